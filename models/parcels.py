"""Parcels (代收包裹) at the front desk: intake with the clerk's check that a parcel is
neither fragile nor valuable (else it is refused, and the refusal kept), a pickup code and
a shelf, pickup by code, tracking number, house or name (by someone else: their name and ID
number), and the storage fee by the office's rule, to the second from intake to pickup:
paid at pickup with a receipt, or waived by a supervisor with a reason.

The fee rule (DOMAIN.md, settings): free up to 24 h; past it 2 yuan; each further
started 12 h adds 1 yuan; at most 10 yuan."""
from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from typing import Callable

import peewee as pw

from models import audit, clock, house_phone, settings, users, validation
from models.billing import Charge
from models.db import BaseModel, atomic
from models.errors import NotFound, OfficeError, QT_TRANSLATE_NOOP, ValidationError
from models.estate import House
from models.users import User

STATES = {
    "waiting": QT_TRANSLATE_NOOP("Office", "Waiting"),
    "picked_up": QT_TRANSLATE_NOOP("Office", "Picked up"),
    "refused": QT_TRANSLATE_NOOP("Office", "Refused"),
}
COURIERS = ["顺丰", "京东", "中通", "圆通", "申通", "韵达", "极兔", "EMS", "邮政", "德邦", "其他"]
# the tracking number's letters that name the courier (SF1234…: 顺丰)
_PREFIXES = [("SF", "顺丰"), ("JDV", "京东"), ("JD", "京东"), ("ZTO", "中通"), ("YT", "圆通"), ("STO", "申通"),
             ("YD", "韵达"), ("JT", "极兔"), ("DPK", "德邦"), ("EM", "EMS")]


def courier_of(tracking: str) -> str:
    """The courier a tracking number's letters name, or '' (all digits: anyone's)."""
    tracking = validation.scanned(tracking).upper()
    return next((name for prefix, name in _PREFIXES if tracking.startswith(prefix)), "")


class Parcel(BaseModel):
    house = pw.ForeignKeyField(House, null=True, on_delete="RESTRICT", index=True)
    state = pw.CharField(max_length=16, index=True)
    courier = pw.CharField(max_length=32, default="")
    tracking = pw.CharField(max_length=64, default="", index=True)
    recipient = pw.CharField(max_length=64, default="")
    phone = pw.CharField(max_length=32, default="")
    shelf = pw.CharField(max_length=16, default="")
    code = pw.CharField(max_length=8, default="", index=True)
    note = pw.CharField(max_length=128, default="")
    received_at = pw.DateTimeField(index=True)
    received_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    refusal = pw.CharField(max_length=128, default="")
    picked_up_at = pw.DateTimeField(null=True, index=True)
    handed_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    proxy_name = pw.CharField(max_length=64, default="")
    proxy_id_number = pw.CharField(max_length=32, default="")
    fee = pw.BigIntegerField(default=0)
    charge = pw.ForeignKeyField(Charge, null=True, on_delete="RESTRICT")
    waived_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    waive_reason = pw.CharField(max_length=128, default="")
    called_at = pw.DateTimeField(null=True)

    class Meta:
        table_name = "parcel"
        indexes = ((("state", "received_at"), False),)  # the waiting list (migration 12)


# --- the storage fee ----------------------------------------------------------------------

@dataclass(frozen=True)
class FeeRule:
    free_hours: int = 24
    first_fen: int = 200
    step_hours: int = 12
    step_fen: int = 100
    cap_fen: int = 1000

    @classmethod
    def from_settings(cls, values: dict | None = None) -> "FeeRule":
        v = values or settings.all_values()
        return cls(v["parcel_free_hours"], v["parcel_first_fee_fen"], v["parcel_step_hours"],
                   v["parcel_step_fee_fen"], v["parcel_cap_fen"])


def storage_fee(received: datetime.datetime, picked_up: datetime.datetime, rule: FeeRule = FeeRule()) -> int:
    """Fen for the time from intake to pickup, counted to the second: nothing up to the
    free hours; past them the first fee; each further started step adds the step fee; never
    more than the cap. With the defaults: (24 h, 36 h] → 2 yuan, (36 h, 48 h] → 3 yuan …
    over 120 h → 10 yuan."""
    seconds = int((picked_up.replace(microsecond=0) - received.replace(microsecond=0)).total_seconds())
    free = rule.free_hours * 3600
    if seconds <= free:
        return 0
    steps = -(-(seconds - free) // (rule.step_hours * 3600))  # started steps past the free time
    return min(rule.first_fen + (steps - 1) * rule.step_fen, rule.cap_fen)


# --- intake ---------------------------------------------------------------------------------

def _new_code() -> str:
    """A 6-digit pickup code not used by a parcel still waiting."""
    for _ in range(50):
        code = f"{secrets.randbelow(900_000) + 100_000}"
        if not Parcel.select().where(Parcel.code == code, Parcel.state == "waiting").exists():
            return code
    raise OfficeError(QT_TRANSLATE_NOOP("Office", "No free pickup code; try again"))


def receive(user, *, house_id: int, tracking: str, courier: str = "", recipient: str = "", phone: str = "",
            shelf: str = "", safe: bool = False, note: str = "",
            printable: Callable[[Parcel], None] | None = None) -> Parcel:
    """Take in a parcel for a house, once the clerk has checked it is neither fragile nor
    valuable (`safe`); it gets a pickup code. The courier is the one chosen, else the one
    the tracking number's letters name; when neither says, the clerk chooses it.
    `printable(parcel)`: asked before it is kept; what it raises (its label cannot print on
    this PC's label form) takes nothing in."""
    users.require(user, "desk.parcels")
    tracking = validation.scanned(tracking).upper()
    courier = courier.strip() or courier_of(tracking)
    errors: dict = {}
    if not courier:
        errors["courier"] = (QT_TRANSLATE_NOOP(
            "Office", "The tracking number does not say the courier: choose it"), {})
    house = House.get_or_none(House.id == house_id) if house_id else None
    phone = house_phone.full_phone(house_id, phone)  # the owner's, as the form showed it masked
    if house is None:
        errors["house"] = (QT_TRANSLATE_NOOP("Office", "Choose the house the parcel is for"), {})
    if not tracking:
        errors["tracking"] = (QT_TRANSLATE_NOOP("Office", "Scan or type the tracking number"), {})
    if not shelf.strip():
        errors["shelf"] = (QT_TRANSLATE_NOOP("Office", "Say which shelf it goes on"), {})
    if validation.phone_error(phone):
        errors["phone"] = (validation.phone_error(phone), {})
    if not safe:
        errors["safe"] = (QT_TRANSLATE_NOOP(
            "Office", "Tick it once you have checked it is neither fragile nor valuable; otherwise refuse it"),
            {})
    fields = dict(courier=courier, tracking=tracking, recipient=recipient.strip(),
                  phone=validation.normalize_phone(phone),
                  shelf=shelf.strip().upper(), note=note.strip())
    validation.check_lengths(Parcel, fields, errors)
    if tracking and Parcel.select().where(Parcel.tracking == tracking, Parcel.state == "waiting").exists():
        errors["tracking"] = (QT_TRANSLATE_NOOP("Office", "A parcel with this tracking number is already waiting"),
                              {})
    if errors:
        raise ValidationError(errors)
    with atomic():
        parcel = Parcel.create(house=house, state="waiting", code=_new_code(), received_at=clock.now(),
                               received_by=user.id, **fields)
        if printable is not None:
            printable(parcel)
        audit.record(user, "parcel.receive", "parcel", parcel.id, f"{house.label} {tracking}",
                     {"shelf": parcel.shelf, "courier": parcel.courier})
    return parcel


def refuse(user, *, tracking: str, reason: str, courier: str = "", house_id: int | None = None,
           recipient: str = "") -> Parcel:
    """A parcel not taken in (fragile, valuable, too large …): the refusal is recorded."""
    users.require(user, "desk.parcels")
    if not reason.strip():
        raise ValidationError({"refusal": (QT_TRANSLATE_NOOP("Office", "Say why the parcel is refused"), {})})
    fields = dict(courier=courier.strip(), tracking=validation.scanned(tracking).upper(), recipient=recipient.strip(),
                  refusal=reason.strip())
    errors: dict = {}
    validation.check_lengths(Parcel, fields, errors)
    if errors:
        raise ValidationError(errors)
    with atomic():
        parcel = Parcel.create(house=house_id or None, state="refused", received_at=clock.now(), received_by=user.id,
                               **fields)
        audit.record(user, "parcel.refuse", "parcel", parcel.id, fields["tracking"], {"reason": fields["refusal"]})
    return parcel


# --- finding and picking up -------------------------------------------------------------------

# what the waiting list, its labels and its call list show: a long list reads no more
WAITING_COLUMNS = (Parcel.id, Parcel.house, Parcel.state, Parcel.courier, Parcel.tracking, Parcel.recipient,
                   Parcel.phone, Parcel.shelf, Parcel.code, Parcel.received_at, Parcel.called_at)


def waiting(user, *, house_id: int | None = None, text: str = "", limit: int = 500) -> list[Parcel]:
    """Parcels waiting, oldest first: all, a house's, or those matching a pickup code,
    a tracking number, a house (3-2-1201) or the recipient's name or phone tail."""
    users.require(user, "desk.parcels")
    q = (Parcel.select(*WAITING_COLUMNS, House.id, House.label).join(House, pw.JOIN.LEFT_OUTER)
         .where(Parcel.state == "waiting").order_by(Parcel.received_at, Parcel.id))
    if house_id is not None:
        q = q.where(Parcel.house == house_id)
    text = validation.scanned(text)
    if text:
        from models import search

        label = search.label_of(text)
        conditions = (Parcel.code == text) | (Parcel.tracking == text.upper()) | (Parcel.recipient == text)
        if label:
            conditions |= House.label == label
        if text.isdigit() and len(text) == 4:
            conditions |= Parcel.phone.endswith(text)
        q = q.where(conditions)
    return list(q.limit(limit))


def by_code(user, code: str) -> Parcel:
    users.require(user, "desk.parcels")
    found = Parcel.get_or_none(Parcel.code == code.strip(), Parcel.state == "waiting")
    if found is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "No parcel is waiting with the code {code}"), code=code.strip())
    return found


def get(user, parcel_id: int) -> Parcel:
    """One parcel as it stands now (another PC may have handed it over meanwhile)."""
    users.require(user, "desk.parcels")
    parcel = Parcel.get_or_none(Parcel.id == parcel_id)
    if parcel is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This parcel no longer exists"))
    return parcel


def fee_now(parcel: Parcel, at: datetime.datetime | None = None) -> int:
    return storage_fee(parcel.received_at, at or clock.now(), FeeRule.from_settings())


def pick_up(user, parcel_id: int, *, proxy_name: str = "", proxy_id_number: str = "", method: str = "cash",
            tendered: int | None = 0, waive_by: users.Approval | None = None, waive_reason: str = "", stock=None,
            expected: int | None = None, printable=None):
    """Hand a parcel over. Its storage fee to this second is paid now, with a receipt: the
    desk clerk who hands it over takes the money herself (cash.desk), on the counter's receipt
    series, in her own day close; or it is waived with a supervisor's approval (users.approve,
    `waive_by`) and a reason. Someone
    picking up for the recipient gives their name and ID number. Returns (parcel, receipt or None).
    `stock`: this PC's pre-numbered receipt forms (cashier.FormStock), if any; `expected`: the
    fee the clerk told the recipient (refused when the fee is another by now); `printable`:
    this PC's receipt form's check (cashier.take_payment), before anything is kept."""
    from models import billing, cashier, money

    users.require(user, "desk.parcels")
    errors: dict = {}
    proxy_name, proxy_id_number = proxy_name.strip(), validation.scanned(proxy_id_number).upper()
    if proxy_name or proxy_id_number:
        if not proxy_name:
            errors["proxy_name"] = (QT_TRANSLATE_NOOP("Office", "Enter the name of who picks it up"), {})
        if not proxy_id_number:
            errors["proxy_id_number"] = (QT_TRANSLATE_NOOP(
                "Office", "Enter the ID number of who picks it up"), {})
        elif len(proxy_id_number) == 18 and validation.resident_id_error(proxy_id_number):
            errors["proxy_id_number"] = (validation.resident_id_error(proxy_id_number), {})
    if waive_by is not None and not str(waive_reason).strip():
        errors["waive_reason"] = (QT_TRANSLATE_NOOP("Office", "Say why the storage fee is waived"), {})
    if errors:
        raise ValidationError(errors)
    if waive_by is not None:  # the approval is checked whenever given, even when no fee is due
        waive_by = users.redeem(waive_by, "cash.approve")
    now = clock.now()
    with atomic():
        parcel = Parcel.get_or_none(Parcel.id == parcel_id)
        if parcel is None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "This parcel no longer exists"))
        if parcel.state != "waiting":
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "Parcel {tracking} is not waiting: it was {state}"),
                              tracking=parcel.tracking, state=STATES_LABEL(parcel.state))
        fee = fee_now(parcel, now)
        receipt = None
        parcel.state, parcel.picked_up_at, parcel.handed_by = "picked_up", now, user.id
        parcel.proxy_name, parcel.proxy_id_number, parcel.fee, parcel.code = proxy_name, proxy_id_number, fee, ""
        if fee and waive_by is not None:
            parcel.waived_by, parcel.waive_reason = waive_by.id, waive_reason.strip()[:128]
        elif fee:
            users.require(user, "cash.desk")
            hours = int((now - parcel.received_at).total_seconds() // 3600)
            charge = billing.charge_for(user, parcel.house_id, "parcel", fee, description=parcel.tracking[:40],
                                         quantity=f"{hours} 小时", unit_price="", source="parcel")
            parcel.charge = charge.id
            receipt = cashier.take_payment(user, parcel.house_id, [cashier.Pick(charge.id)], method,
                                           tendered=tendered, payer=proxy_name or parcel.recipient, stock=stock,
                                           expected=expected, printable=printable)
        parcel.save()
        audit.record(user, "parcel.pickup", "parcel", parcel.id, f"{parcel.house.label} {parcel.tracking}",
                     {"fee": fee, "waived": bool(parcel.waived_by_id), "proxy": proxy_name,
                      "receipt": receipt.number_text if receipt else "", "amount": money.fmt(fee)})
    return validation.shown_ids(parcel, "proxy_id_number"), receipt


def STATES_LABEL(state: str):  # noqa: N802 - a label for a message parameter
    from models.errors import Label

    return Label(STATES.get(state, state))


def mark_called(user, parcel_ids: list[int]) -> int:
    """The owners of these parcels were reminded (the call list)."""
    users.require(user, "desk.parcels")
    with atomic():
        n = Parcel.update(called_at=clock.now()).where(Parcel.id.in_(parcel_ids), Parcel.state == "waiting").execute()
        if n:
            audit.record(user, "parcel.call", "parcel", None, f"× {n}", {"parcels": n})
    return n


# --- lists --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Aged:
    parcel: Parcel
    hours: int
    fee: int
    overdue: bool  # past the free time (24 h)
    long: bool  # over 5 days


def waiting_by_age(user, at: datetime.datetime | None = None) -> list[Aged]:
    """Every parcel waiting, oldest first, with its age in hours and its fee now."""
    at = at or clock.now()
    rule = FeeRule.from_settings()
    out = []
    for p in waiting(user, limit=100_000):
        seconds = (at - p.received_at).total_seconds()
        out.append(Aged(p, int(seconds // 3600), storage_fee(p.received_at, at, rule),
                        seconds > rule.free_hours * 3600, seconds > 5 * 24 * 3600))
    return out


def of_house(user, house_id: int, *, after: Parcel | None = None, limit: int = 200) -> list[Parcel]:
    """A house's parcels, newest first: waiting, picked up (by whom, the fee) and refused;
    a page at a time by key (those received before `after`)."""
    users.require(user, "desk.parcels")
    q = Parcel.select().where(Parcel.house == house_id)
    if after is not None:
        q = q.where((Parcel.received_at < after.received_at)
                    | ((Parcel.received_at == after.received_at) & (Parcel.id < after.id)))
    return validation.shown_ids(list(q.order_by(Parcel.received_at.desc(), Parcel.id.desc()).limit(limit)),
                                "proxy_id_number")


def day_list(user, day: datetime.date) -> tuple[list[Parcel], list[Parcel]]:
    """The day's intake (and refusals) and pickups."""
    users.require(user, "desk.parcels")
    start = datetime.datetime.combine(day, datetime.time())
    end = start + datetime.timedelta(days=1)
    taken = list(Parcel.select(Parcel, House).join(House, pw.JOIN.LEFT_OUTER)
                 .where(Parcel.received_at >= start, Parcel.received_at < end).order_by(Parcel.received_at))
    picked = list(Parcel.select(Parcel, House).join(House, pw.JOIN.LEFT_OUTER)
                  .where(Parcel.picked_up_at >= start, Parcel.picked_up_at < end).order_by(Parcel.picked_up_at))
    return validation.shown_ids(taken, "proxy_id_number"), validation.shown_ids(picked, "proxy_id_number")

