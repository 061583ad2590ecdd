"""Goods release passes (放行条): goods leave the estate only with a numbered pass the desk
prints for the gate. The owner asks for it, or a tenant with the owner's authorisation
(recorded: by whom, how, when); the items and the vehicle are written on it; a house that
owes the office and is moving out is shown to the clerk before the pass is issued, and the
pass says what was owed. The gate records its use, once."""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import peewee as pw

from models import audit, cashier, clock, numbering, users, validation
from models.db import BaseModel, atomic
from models.errors import NotFound, OfficeError, QT_TRANSLATE_NOOP, ValidationError
from models.estate import House
from models.owners import Owner, Ownership, Resident
from models.users import User
from models.visitors import plate_error, plate_of

KINDS = {
    "owner": QT_TRANSLATE_NOOP("Office", "Owner"),
    "tenant": QT_TRANSLATE_NOOP("Office", "Tenant"),
}
HOW = {
    "phone": QT_TRANSLATE_NOOP("Office", "By phone"),
    "in_person": QT_TRANSLATE_NOOP("Office", "In person"),
    "letter": QT_TRANSLATE_NOOP("Office", "In writing"),
}
MOST_DAYS_AHEAD = 7


class ReleasePass(BaseModel):
    year = pw.IntegerField()
    number = pw.IntegerField()
    house = pw.ForeignKeyField(House, on_delete="RESTRICT", index=True)
    applicant = pw.CharField(max_length=64)
    applicant_kind = pw.CharField(max_length=8)
    authorised_by = pw.CharField(max_length=64, default="")
    authorised_how = pw.CharField(max_length=16, default="")
    authorised_at = pw.DateTimeField(null=True)
    items = pw.CharField(max_length=300)
    vehicle = pw.CharField(max_length=16, default="")
    moving_out = pw.BooleanField(default=False)
    arrears = pw.BigIntegerField(default=0)
    valid_on = pw.DateField(index=True)
    issued_at = pw.DateTimeField(index=True)
    issued_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    used_at = pw.DateTimeField(null=True)
    used_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    gate_note = pw.CharField(max_length=128, default="")
    voided_at = pw.DateTimeField(null=True)
    void_reason = pw.CharField(max_length=128, default="")

    class Meta:
        table_name = "release_pass"
        indexes = ((("year", "number"), True),)

    @property
    def number_text(self) -> str:
        return f"FX{self.year}-{self.number:04d}"

    @property
    def state(self) -> str:
        return "void" if self.voided_at else "used" if self.used_at else "issued"


STATES = {
    "issued": QT_TRANSLATE_NOOP("Office", "Not used yet"),
    "used": QT_TRANSLATE_NOOP("Office", "Used at the gate"),
    "void": QT_TRANSLATE_NOOP("Office", "Void"),
}


@dataclass(frozen=True)
class Person:
    kind: str  # owner / tenant
    name: str


def people_of(user, house_id: int) -> list[Person]:
    """Who may ask for a pass for the house: its owners now, and its tenants not moved out."""
    users.require(user, "desk.parcels")
    owners = [Person("owner", o.name) for o in Owner.select(Owner.name).join(Ownership)
              .where(Ownership.house == house_id, Ownership.until.is_null()).order_by(Ownership.id)]
    tenants = [Person("tenant", r.name) for r in Resident.select(Resident.name)
               .where(Resident.house == house_id, Resident.kind == "tenant", Resident.moved_out.is_null())
               .order_by(Resident.id)]
    return owners + tenants


def owed_now(user, house_id: int) -> int:
    """Fen the house owes today, late fees included: what the clerk sees before a move-out's pass."""
    users.require(user, "fees.view")
    return sum(o.total for o in cashier.owed(user, house_id))


def issue(user, *, house_id: int | None, applicant: str, items: str, applicant_kind: str = "owner",
          authorised_by: str = "", authorised_how: str = "", authorised_at: datetime.datetime | None = None,
          vehicle: str = "", moving_out: bool = False, arrears_seen: bool = False,
          valid_on: datetime.date | None = None) -> ReleasePass:
    """A numbered pass for the gate. Refused, each by its field: a house not found; someone
    not an owner or tenant of it; a tenant without the owner's authorisation; no items; a
    move-out of a house that owes the office before the clerk has seen it (`arrears_seen`)."""
    users.require(user, "desk.parcels")
    users.require(user, "fees.view")
    now = clock.now()
    valid_on = valid_on or now.date()
    errors: dict = {}
    applicant = validation.check_text(errors, "applicant", applicant, 64, QT_TRANSLATE_NOOP(
        "Office", "Write who asks for the pass"))
    items = validation.check_text(errors, "items", items, 300, QT_TRANSLATE_NOOP(
        "Office", "Write the goods that go out"))
    authorised_by = validation.check_text(errors, "authorised_by", authorised_by, 64)
    vehicle = plate_of(vehicle)
    if plate_error(vehicle):
        errors["vehicle"] = (plate_error(vehicle), {})
    house = House.get_or_none(House.id == house_id) if house_id else None
    arrears = 0
    if house is None:
        errors["house"] = (QT_TRANSLATE_NOOP("Office", "Type the house the goods come from: 3-2-1201"), {})
    else:
        people = people_of(user, house.id)
        owners = {p.name for p in people if p.kind == "owner"}
        if applicant_kind not in KINDS:
            errors["applicant_kind"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
        elif applicant and Person(applicant_kind, applicant) not in people:
            errors["applicant"] = (QT_TRANSLATE_NOOP(
                "Office", "{name} is not an owner or a tenant of {house}: the pass is asked for by one of them"),
                {"name": applicant, "house": house.label})
        if applicant_kind == "tenant":
            if not authorised_by:
                errors["authorised_by"] = (QT_TRANSLATE_NOOP(
                    "Office", "A tenant's goods go out with the owner's authorisation: call the owner and write "
                              "who agreed"), {})
            elif authorised_by not in owners:
                errors["authorised_by"] = (QT_TRANSLATE_NOOP("Office", "{name} is not an owner of {house}"),
                                           {"name": authorised_by, "house": house.label})
            if authorised_how not in HOW:
                errors["authorised_how"] = (QT_TRANSLATE_NOOP("Office", "Say how the owner agreed"), {})
            if authorised_at is None or authorised_at > now:
                errors["authorised_at"] = (QT_TRANSLATE_NOOP("Office", "When did the owner agree? Not later than now"),
                                           {})
        else:
            authorised_by, authorised_how, authorised_at = "", "", None
        if moving_out:
            arrears = owed_now(user, house.id)
            if arrears > 0 and not arrears_seen:
                from models import money

                errors["arrears_seen"] = (QT_TRANSLATE_NOOP(
                    "Office", "{house} owes {amount} yuan and is moving out: tell the owner, then tick that you did"),
                    {"house": house.label, "amount": money.fmt(arrears, grouping=True)})
    if not isinstance(valid_on, datetime.date) or not now.date() <= valid_on <= now.date() + datetime.timedelta(
            days=MOST_DAYS_AHEAD):
        errors["valid_on"] = (QT_TRANSLATE_NOOP("Office", "A pass is for today or one of the next {n} days"),
                              {"n": MOST_DAYS_AHEAD})
    if errors:
        raise ValidationError(errors)
    with atomic():
        p = ReleasePass.create(year=now.year, number=numbering.take(f"pass-{now.year}"), house=house.id,
                               applicant=applicant, applicant_kind=applicant_kind, authorised_by=authorised_by,
                               authorised_how=authorised_how, authorised_at=authorised_at, items=items,
                               vehicle=vehicle, moving_out=moving_out, arrears=arrears, valid_on=valid_on,
                               issued_at=now, issued_by=user.id)
        audit.record(user, "pass.issue", "release_pass", p.id, f"{p.number_text} {house.label} {items[:40]}",
                     {"kind": applicant_kind, "authorised_by": authorised_by, "moving_out": moving_out,
                      "arrears": arrears})
    return p


def _get(pass_id: int) -> ReleasePass:
    p = ReleasePass.select(ReleasePass, House).join(House).where(ReleasePass.id == pass_id).first()
    if p is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This release pass is not in the register"))
    return p


def get(user, pass_id: int) -> ReleasePass:
    users.require(user, "desk.parcels")
    return _get(pass_id)


def numbered(user, text: str) -> ReleasePass:
    """The pass with this number (FX2026-0142), as the guard reads it from the paper."""
    users.require(user, "desk.parcels")
    m = re.fullmatch(r"(?i)\s*FX(\d{4})-0*(\d+)\s*", text or "")
    p = (ReleasePass.get_or_none(ReleasePass.year == int(m.group(1)), ReleasePass.number == int(m.group(2)))
         if m else None)
    if p is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "No release pass {text}"), text=(text or "").strip())
    return _get(p.id)


def used(user, pass_id: int, note: str = "") -> ReleasePass:
    """The gate let the goods out on this pass: once, on its day, not a void one."""
    users.require(user, "desk.parcels")
    errors: dict = {}
    note = validation.check_text(errors, "gate_note", note, 128)
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    with atomic():
        p = _get(pass_id)
        if p.voided_at:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "Pass {number} is void: the goods do not go out on it"),
                              number=p.number_text)
        if p.used_at:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "Pass {number} was used already, at {at}"),
                              number=p.number_text, at=p.used_at.strftime("%Y-%m-%d %H:%M"))
        if p.valid_on != now.date():
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "Pass {number} is for {day}, not today"),
                              number=p.number_text, day=p.valid_on.isoformat())
        p.used_at, p.used_by, p.gate_note = now, user.id, note
        p.save()
        audit.record(user, "pass.used", "release_pass", p.id, f"{p.number_text} {note[:40]}")
    return p


def void(user, pass_id: int, reason: str) -> ReleasePass:
    users.require(user, "desk.parcels")
    errors: dict = {}
    reason = validation.check_text(errors, "void_reason", reason, 128, QT_TRANSLATE_NOOP(
        "Office", "Write why the pass is void"))
    if errors:
        raise ValidationError(errors)
    with atomic():
        p = _get(pass_id)
        if p.used_at or p.voided_at:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "Pass {number} is {state} already"), number=p.number_text,
                              state=STATES[p.state])
        p.voided_at, p.void_reason = clock.now(), reason
        p.save()
        audit.record(user, "pass.void", "release_pass", p.id, f"{p.number_text} {reason[:40]}")
    return p


def search(user, text: str = "", *, open_only: bool = False, limit: int = 200) -> list[ReleasePass]:
    """The register, newest first: by number, house, applicant, items or plate."""
    users.require(user, "desk.parcels")
    q = ReleasePass.select(ReleasePass, House).join(House)
    if open_only:
        q = q.where(ReleasePass.used_at.is_null(), ReleasePass.voided_at.is_null(),
                    ReleasePass.valid_on >= clock.now().date())
    text = (text or "").strip()
    if text:
        from models import search as finding

        m = re.fullmatch(r"(?i)FX(\d{4})-0*(\d+)", text)
        label = finding.label_of(text)
        if m:
            q = q.where(ReleasePass.year == int(m.group(1)), ReleasePass.number == int(m.group(2)))
        elif label:
            q = q.where(House.label == label)
        else:
            like = f"%{text}%"
            q = q.where((ReleasePass.applicant ** like) | (ReleasePass.items ** like)
                        | (ReleasePass.vehicle == plate_of(text)))
    return list(q.order_by(ReleasePass.issued_at.desc(), ReleasePass.id.desc()).limit(limit))
