"""Keys (钥匙) at the front desk: the register of public parts' keys (机房, 水泵房, 配电室,
天台 …) and house keys in custody, and their loans.

A house's key in custody goes to its owner; anyone else (a resident, a delegate, a
contractor, staff) gets it only with their ID number checked on the spot, the owner's
authorisation letter (钥匙委托书) received, and the owner's confirmation recorded (how and
when). An owner may name people once on the house's standing authorisation, with the
letter; they then need only their ID. A public part's key goes out only with its keeper's
approval. Otherwise the loan is refused with every reason. A loan is due back at the end
of the office's Nth day (default 1: 23:59:59 of the next day); the overdue list shows how
long each has been out. A key comes back, is lost, or is handed back to its owner for good
(领回)."""
from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass

import peewee as pw

from models import audit, clock, deadlines, house_phone, settings, users, validation
from models.db import BaseModel, atomic
from models.errors import NotFound, OfficeError, QT_TRANSLATE_NOOP, ValidationError
from models.estate import House
from models.owners import Owner, Ownership
from models.users import User

KINDS = {
    "public": QT_TRANSLATE_NOOP("Office", "Public part"),  # 公共部位
    "house": QT_TRANSLATE_NOOP("Office", "House in custody"),  # 托管房屋
}
BORROWERS = {
    "owner": QT_TRANSLATE_NOOP("Office", "Owner"),
    "resident": QT_TRANSLATE_NOOP("Office", "Resident"),
    "delegate": QT_TRANSLATE_NOOP("Office", "Owner's delegate"),  # 受托人
    "staff": QT_TRANSLATE_NOOP("Office", "Staff"),
    "contractor": QT_TRANSLATE_NOOP("Office", "Contractor"),
}
CONFIRMED_HOW = {
    "phone": QT_TRANSLATE_NOOP("Office", "By phone"),
    "in_person": QT_TRANSLATE_NOOP("Office", "In person"),
    "message": QT_TRANSLATE_NOOP("Office", "By message"),
}
STATES = {
    "out": QT_TRANSLATE_NOOP("Office", "Out"),
    "returned": QT_TRANSLATE_NOOP("Office", "Returned"),
    "lost": QT_TRANSLATE_NOOP("Office", "Lost"),
    "handed_back": QT_TRANSLATE_NOOP("Office", "Handed back for good"),  # 领回
}


class DeskKey(BaseModel):
    tag = pw.CharField(max_length=16, unique=True)
    name = pw.CharField(max_length=64)
    kind = pw.CharField(max_length=16)
    house = pw.ForeignKeyField(House, null=True, on_delete="RESTRICT")
    position = pw.CharField(max_length=32, default="")
    copies = pw.IntegerField(default=1)
    responsible = pw.CharField(max_length=64, default="")
    note = pw.CharField(max_length=128, default="")
    active = pw.BooleanField(default=True)

    class Meta:
        table_name = "desk_key"


class KeyAuthorisation(BaseModel):
    """常年钥匙委托: someone the owner named once, with the letter, to take the house's key
    on their ID alone, until the owner withdraws it."""
    house = pw.ForeignKeyField(House, on_delete="RESTRICT", index=True)
    name = pw.CharField(max_length=64)
    id_number = pw.CharField(max_length=32)
    relation = pw.CharField(max_length=32, default="")
    letter_received = pw.BooleanField(default=True)
    confirmed_how = pw.CharField(max_length=16)
    confirmed_at = pw.DateTimeField()
    added_at = pw.DateTimeField()
    added_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    ended_at = pw.DateTimeField(null=True)
    ended_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    note = pw.CharField(max_length=128, default="")

    class Meta:
        table_name = "key_authorisation"


class KeyLoan(BaseModel):
    key = pw.ForeignKeyField(DeskKey, on_delete="RESTRICT", index=True)
    state = pw.CharField(max_length=16, index=True)
    borrower_kind = pw.CharField(max_length=16)
    borrower = pw.CharField(max_length=64)
    phone = pw.CharField(max_length=32, default="")
    id_number = pw.CharField(max_length=32, default="")
    letter_received = pw.BooleanField(default=False)
    confirmed_how = pw.CharField(max_length=16, default="")
    confirmed_at = pw.DateTimeField(null=True)
    approved_by = pw.CharField(max_length=64, default="")
    authorisation = pw.ForeignKeyField(KeyAuthorisation, null=True, on_delete="RESTRICT")  # lent on it
    purpose = pw.CharField(max_length=128, default="")
    lent_at = pw.DateTimeField(index=True)
    lent_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    due_at = pw.DateTimeField(index=True)
    closed_at = pw.DateTimeField(null=True)
    closed_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    returned_by = pw.CharField(max_length=64, default="")
    note = pw.CharField(max_length=128, default="")

    class Meta:
        table_name = "key_loan"


# --- the register ----------------------------------------------------------------------------

def add_key(user, *, tag: str, name: str, kind: str, house_id: int | None = None, position: str = "",
            copies: int = 1, responsible: str = "", note: str = "") -> DeskKey:
    users.require(user, "desk.keys")
    errors: dict = {}
    fields = dict(tag=validation.scanned(tag).upper(), name=name.strip(), position=position.strip(),
                  responsible=responsible.strip(), note=note.strip())
    if not fields["tag"]:
        errors["tag"] = (QT_TRANSLATE_NOOP("Office", "Give the key its tag number"), {})
    elif DeskKey.select().where(DeskKey.tag == fields["tag"]).exists():
        errors["tag"] = (QT_TRANSLATE_NOOP("Office", "Tag {tag} is on another key already"), {"tag": fields["tag"]})
    if not fields["name"]:
        errors["name"] = (QT_TRANSLATE_NOOP("Office", "Say what the key opens"), {})
    if kind not in KINDS:
        errors["kind"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    if kind == "house" and not (house_id and House.get_or_none(House.id == house_id)):
        errors["house"] = (QT_TRANSLATE_NOOP("Office", "Choose the house the key opens"), {})
    if kind == "public" and not fields["responsible"]:
        errors["responsible"] = (QT_TRANSLATE_NOOP(
            "Office", "A public part's key has a keeper who approves its loans"), {})
    validation.check_int(errors, "copies", copies, 1, 99)
    validation.check_lengths(DeskKey, fields, errors)
    if errors:
        raise ValidationError(errors)
    with atomic():
        key = DeskKey.create(kind=kind, house=house_id if kind == "house" else None, copies=copies, **fields)
        audit.record(user, "key.add", "desk_key", key.id, f"{key.tag} {key.name}", {"copies": copies})
    return key


def register(user, *, active_only: bool = True) -> list[DeskKey]:
    users.require(user, "desk.keys")
    q = DeskKey.select().order_by(DeskKey.kind.desc(), DeskKey.tag)
    if active_only:
        q = q.where(DeskKey.active == True)  # noqa: E712
    return list(q)


def out_count(key_id: int) -> int:
    return KeyLoan.select().where(KeyLoan.key == key_id, KeyLoan.state == "out").count()


# --- lending --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Borrower:
    kind: str
    name: str
    phone: str = ""
    id_number: str = ""
    letter_received: bool = False
    confirmed_how: str = ""
    confirmed_at: datetime.datetime | None = None
    approved_by: str = ""
    purpose: str = ""
    standing: bool = False  # the owner's letter names them for good: put them on the standing authorisation


def _id_refusal(errors: dict, id_number: str) -> None:
    """An 18-character number is a resident ID card's and is checked as one; a passport or a
    Hong Kong, Macao or Taiwan pass has at least 6 letters and digits."""
    number = validation.normalize_id(id_number)
    if not number:
        errors["id_number"] = (QT_TRANSLATE_NOOP(
            "Office", "Anyone but the owner shows an ID card: enter its number"), {})
    elif len(number) == 18:
        if validation.resident_id_error(number):
            errors["id_number"] = (validation.resident_id_error(number), {})
    elif not re.fullmatch(r"[0-9A-Z]{6,}", number):
        errors["id_number"] = (QT_TRANSLATE_NOOP(
            "Office", "An ID document's number has at least 6 letters and digits"), {})


def _confirmation_refusals(errors: dict, letter_received: bool, how: str, at, now: datetime.datetime) -> None:
    if not letter_received:
        errors["letter_received"] = (QT_TRANSLATE_NOOP(
            "Office", "Anyone but the owner needs the owner's key authorisation letter (钥匙委托书)"), {})
    if how not in CONFIRMED_HOW or at is None:
        errors["confirmed_how"] = (QT_TRANSLATE_NOOP(
            "Office", "Confirm with the owner first, and record how and when"), {})
    elif at > now:
        errors["confirmed_how"] = (QT_TRANSLATE_NOOP("Office", "The owner's confirmation cannot be later than now"),
                                   {})


def _same_name(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


def owners_of(house_id: int) -> list[str]:
    """The names of the house's current owners in the archive."""
    return [name for name, _number in _owners_on_file(house_id)]


def _owners_on_file(house_id: int) -> list[tuple[str, str]]:
    """The house's current owners in the archive: (name, ID number, "" when none recorded)."""
    return [(o.name, o.id_number or "") for o in Owner.select(Owner.name, Owner.id_number).join(Ownership)
            .where((Ownership.house == house_id) & Ownership.until.is_null()).order_by(Ownership.id)]


def _owner_refusal(errors: dict, house_id: int, b: Borrower) -> None:
    """The owner is on file by name and shows the ID whose number is on file for them (the
    name stands alone only when no number is recorded). With no owner on file, the key goes
    only with the owner's letter."""
    on_file = _owners_on_file(house_id)
    if not on_file:
        errors["kind"] = (QT_TRANSLATE_NOOP(
            "Office", "No owner is on file for this house: whoever takes the key brings the owner's letter"), {})
        return
    names = [name for name, _number in on_file]
    matched = [number for name, number in on_file if _same_name(b.name, name)]
    if not b.name.strip():
        return
    if not matched:
        errors["borrower"] = (QT_TRANSLATE_NOOP(
            "Office", "{name} is not an owner of this house on file ({owners}); anyone else needs the "
                      "owner's letter and confirmation"), {"name": b.name.strip(), "owners": "、".join(names)})
        return
    numbers = {validation.normalize_id(n) for n in matched if validation.normalize_id(n)}
    if len(numbers) < len(matched):
        return  # an owner of this name has no ID number on file: the name match stands
    number = validation.normalize_id(b.id_number)
    if not number:
        errors["id_number"] = (QT_TRANSLATE_NOOP("Office", "The owner shows an ID card: enter its number"), {})
    elif number not in numbers:
        errors["id_number"] = (QT_TRANSLATE_NOOP(
            "Office", "This ID number is not the one on file for {name}"), {"name": b.name.strip()})


def standing_for(house_id: int | None, id_number: str) -> KeyAuthorisation | None:
    """The house's standing authorisation in force for this ID number, if any."""
    number = validation.normalize_id(id_number)
    if not house_id or not number:
        return None
    return (KeyAuthorisation.select().where(KeyAuthorisation.house == house_id, KeyAuthorisation.id_number == number,
                                            KeyAuthorisation.ended_at.is_null()).first())


def refusals(key: DeskKey, b: Borrower, now: datetime.datetime) -> dict:
    """Why this loan cannot be made, by field (empty when it can). A house's key in custody
    goes to an owner on file; anyone else shows an ID card, brings the owner's letter and the
    owner confirms, unless the owner named them on the house's standing authorisation, when
    the ID is enough. A public part's key needs its keeper's approval."""
    errors: dict = {}
    if b.kind not in BORROWERS:
        errors["kind"] = (QT_TRANSLATE_NOOP("Office", "Choose who borrows the key"), {})
    if not b.name.strip():
        errors["borrower"] = (QT_TRANSLATE_NOOP("Office", "Enter the borrower's name"), {})
    if key.kind == "house" and b.kind == "owner":
        _owner_refusal(errors, key.house_id, b)
    elif key.kind == "house" and b.kind in BORROWERS:
        _id_refusal(errors, b.id_number)
        standing = None if "id_number" in errors else standing_for(key.house_id, b.id_number)
        if standing is None:
            _confirmation_refusals(errors, b.letter_received, b.confirmed_how, b.confirmed_at, now)
        elif b.name.strip() and not _same_name(b.name, standing.name):
            errors["borrower"] = (QT_TRANSLATE_NOOP(
                "Office", "The owner's standing authorisation names {name} with this ID number"),
                {"name": standing.name})
    if key.kind == "public" and not b.approved_by.strip():
        errors["approved_by"] = (QT_TRANSLATE_NOOP(
            "Office", "A public part's key needs the approval of its keeper, {keeper}"),
            {"keeper": key.responsible or "—"})
    if b.phone and validation.phone_error(b.phone):
        errors["phone"] = (validation.phone_error(b.phone), {})
    return errors


def lend(user, key_id: int, borrower: Borrower) -> KeyLoan:
    """Lend a key; refused, with every reason, when the office's rules are not met."""
    users.require(user, "desk.keys")
    now = clock.now()
    with atomic():
        key = DeskKey.get_or_none(DeskKey.id == key_id)
        if key is None or not key.active:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "This key is not in the register"))
        # the owner's phone, as the form showed it masked, is kept in full
        borrower = dataclasses.replace(borrower, phone=house_phone.full_phone(key.house_id, borrower.phone))
        errors = refusals(key, borrower, now)
        fields = dict(borrower=borrower.name.strip(), phone=validation.normalize_phone(borrower.phone),
                      id_number=validation.normalize_id(borrower.id_number), approved_by=borrower.approved_by.strip(),
                      purpose=borrower.purpose.strip())
        validation.check_lengths(KeyLoan, fields, errors)
        if errors:
            raise ValidationError(errors)
        if out_count(key.id) >= key.copies:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "Every copy of key {tag} is out"), tag=key.tag)
        due = deadlines.after_days(now, settings.office.key_due_days, deadlines.Calendar.from_settings())
        confirmed = key.kind == "house" and borrower.kind != "owner"
        standing = standing_for(key.house_id, borrower.id_number) if confirmed else None
        confirmed = confirmed and standing is None
        if confirmed and borrower.standing:
            standing = _add_authorisation(user, key.house, fields["borrower"], fields["id_number"],
                                          borrower.confirmed_how, borrower.confirmed_at, now)
        loan = KeyLoan.create(key=key, state="out", borrower_kind=borrower.kind, letter_received=borrower.letter_received,
                              confirmed_how=borrower.confirmed_how if confirmed else "",
                              confirmed_at=borrower.confirmed_at if confirmed else None,
                              authorisation=standing.id if standing else None,
                              lent_at=now, lent_by=user.id, due_at=due, **fields)
        audit.record(user, "key.lend", "desk_key", key.id, f"{key.tag} {key.name} → {fields['borrower']}",
                     {"kind": borrower.kind, "due": due, "approved_by": fields["approved_by"],
                      "confirmed": borrower.confirmed_how if confirmed else "",
                      "standing": standing.id if standing else None})
    return validation.shown_ids(loan, "id_number")


# --- the standing authorisation (常年委托) ------------------------------------------------------

def authorise(user, house_id: int, *, name: str, id_number: str, letter_received: bool, confirmed_how: str,
              confirmed_at: datetime.datetime | None, relation: str = "", note: str = "") -> KeyAuthorisation:
    """The owner names someone, once, on the house's standing key authorisation: their name
    and ID number, with the owner's letter received and the owner's confirmation recorded.
    They then take the house's key on their ID alone."""
    users.require(user, "desk.keys")
    now = clock.now()
    errors: dict = {}
    house = House.get_or_none(House.id == house_id) if house_id else None
    if house is None:
        errors["house"] = (QT_TRANSLATE_NOOP("Office", "Choose the house the key opens"), {})
    fields = dict(name=name.strip(), id_number=validation.normalize_id(id_number), relation=relation.strip(),
                  note=note.strip())
    if not fields["name"]:
        errors["name"] = (QT_TRANSLATE_NOOP("Office", "Enter the name the owner gives"), {})
    _id_refusal(errors, id_number)
    _confirmation_refusals(errors, letter_received, confirmed_how, confirmed_at, now)
    if house is not None and "id_number" not in errors and standing_for(house.id, id_number) is not None:
        errors["id_number"] = (QT_TRANSLATE_NOOP(
            "Office", "This ID number is on the house's standing authorisation already"), {})
    validation.check_lengths(KeyAuthorisation, fields, errors)
    if errors:
        raise ValidationError(errors)
    with atomic():
        auth = _add_authorisation(user, house, fields["name"], fields["id_number"], confirmed_how, confirmed_at,
                                  now, relation=fields["relation"], note=fields["note"])
    return validation.shown_ids(auth, "id_number")


def _add_authorisation(user, house: House, name: str, id_number: str, confirmed_how: str,
                       confirmed_at: datetime.datetime, now: datetime.datetime, *, relation: str = "",
                       note: str = "") -> KeyAuthorisation:
    auth = KeyAuthorisation.create(house=house, name=name, id_number=id_number, relation=relation, note=note,
                                   letter_received=True, confirmed_how=confirmed_how, confirmed_at=confirmed_at,
                                   added_at=now, added_by=user.id)
    audit.record(user, "key.authorise", "house", house.id, f"{house.label} → {auth.name}",
                 {"confirmed": confirmed_how, "relation": relation})
    return auth


def withdraw(user, authorisation_id: int, note: str = "") -> KeyAuthorisation:
    """The owner takes someone off the house's standing authorisation."""
    users.require(user, "desk.keys")
    with atomic():
        auth = KeyAuthorisation.get_or_none(KeyAuthorisation.id == authorisation_id)
        if auth is None or auth.ended_at is not None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "This person is not on the standing authorisation"))
        auth.ended_at, auth.ended_by = clock.now(), user.id
        if note.strip():
            auth.note = note.strip()[:128]
        auth.save()
        audit.record(user, "key.unauthorise", "house", auth.house_id, f"{auth.house.label} ↛ {auth.name}",
                     {"note": note.strip()})
    return validation.shown_ids(auth, "id_number")


def authorisations(user, house_id: int) -> list[KeyAuthorisation]:
    """Who is on the house's standing authorisation now, in the order they were named."""
    users.require(user, "desk.keys")
    return validation.shown_ids(list(KeyAuthorisation.select().where(
        KeyAuthorisation.house == house_id, KeyAuthorisation.ended_at.is_null()).order_by(KeyAuthorisation.id)),
        "id_number")


def _close(user, loan_id: int, state: str, *, returned_by: str = "", note: str = "") -> KeyLoan:
    users.require(user, "desk.keys")
    with atomic():
        loan = KeyLoan.get_or_none(KeyLoan.id == loan_id)
        if loan is None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "This loan no longer exists"))
        if loan.state != "out":
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "This key is not out on this loan"))
        if state in ("lost", "handed_back"):
            if not note.strip():
                raise ValidationError({"note": (QT_TRANSLATE_NOOP("Office", "Say what happened"), {})})
            DeskKey.update(copies=DeskKey.copies - 1).where(DeskKey.id == loan.key_id).execute()
        loan.state, loan.closed_at, loan.closed_by = state, clock.now(), user.id
        loan.returned_by, loan.note = (returned_by.strip() or loan.borrower)[:64], note.strip()[:128]
        loan.save()
        key = DeskKey.get_by_id(loan.key_id)
        if key.copies <= 0:
            key.active = False  # its last copy is gone: out of the register, kept for the history
            key.save()
        audit.record(user, f"key.{state}", "desk_key", key.id, f"{key.tag} {key.name} ← {loan.returned_by}",
                     {"note": loan.note})
    return validation.shown_ids(loan, "id_number")


def hand_over_house_keys(user, house_id: int, to: str, note: str) -> int:
    """The desk's copies of a house's keys handed over for good to its owner (a move-in):
    each recorded as a loan handed back, the key out of the custody register. Returns the
    copies handed over."""
    users.require(user, "desk.keys")
    handed = 0
    now = clock.now()
    with atomic():
        for key in DeskKey.select().where(DeskKey.house == house_id, DeskKey.kind == "house",
                                          DeskKey.active == True):  # noqa: E712
            out = KeyLoan.select().where(KeyLoan.key == key.id, KeyLoan.state == "out").count()
            copies = key.copies - out
            if copies <= 0:
                continue
            for _ in range(copies):
                KeyLoan.create(key=key, state="handed_back", borrower_kind="owner", borrower=to[:64], lent_at=now,
                               lent_by=user.id, due_at=now, closed_at=now, closed_by=user.id, returned_by=to[:64],
                               note=note[:128])
            key.copies -= copies
            key.active = key.copies > 0
            key.save()
            handed += copies
            audit.record(user, "key.handed_back", "desk_key", key.id, f"{key.tag} {key.name} → {to}",
                         {"copies": copies, "note": note})
    return handed


def give_back(user, loan_id: int, *, returned_by: str = "") -> KeyLoan:
    """The key came back; who brought it is recorded (the borrower unless said)."""
    return _close(user, loan_id, "returned", returned_by=returned_by)


def lost(user, loan_id: int, note: str) -> KeyLoan:
    return _close(user, loan_id, "lost", note=note)


def hand_back_for_good(user, loan_id: int, note: str) -> KeyLoan:
    """领回: the owner keeps the key (signed on the slip); the office holds one copy fewer."""
    return _close(user, loan_id, "handed_back", note=note)


# --- lists ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Overdue:
    loan: KeyLoan
    late: datetime.timedelta


def get_loan(user, loan_id: int) -> KeyLoan:
    """One loan, for its slip: the borrower's ID number masked, as everywhere."""
    users.require(user, "desk.keys")
    loan = KeyLoan.select(KeyLoan, DeskKey).join(DeskKey).where(KeyLoan.id == loan_id).first()
    if loan is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This loan no longer exists"))
    return validation.shown_ids(loan, "id_number")


def loans_out(user) -> list[KeyLoan]:
    users.require(user, "desk.keys")
    return validation.shown_ids(list(KeyLoan.select(KeyLoan, DeskKey).join(DeskKey).where(KeyLoan.state == "out")
                                     .order_by(KeyLoan.due_at, KeyLoan.id)), "id_number")


def overdue(user, at: datetime.datetime | None = None) -> list[Overdue]:
    """Loans past their due time, longest overdue first."""
    at = at or clock.now()
    return [Overdue(loan, at - loan.due_at) for loan in loans_out(user) if loan.due_at < at]


def late_text(late: datetime.timedelta) -> tuple[int, int]:
    """(days, hours) of a lateness, for display."""
    hours = int(late.total_seconds() // 3600)
    return hours // 24, hours % 24


# --- the periodic count (盘点) ----------------------------------------------------------------

class KeyCheck(BaseModel):
    """The office counted its keys against the register, with a named responsible person."""
    checked_at = pw.DateTimeField(index=True)
    checked_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    responsible = pw.CharField(max_length=64)
    note = pw.CharField(max_length=256, default="")
    short = pw.IntegerField(default=0)  # keys missing from the cabinet, in all
    extra = pw.IntegerField(default=0)  # keys found that the register does not expect

    class Meta:
        table_name = "key_check"


class KeyCheckLine(BaseModel):
    check = pw.ForeignKeyField(KeyCheck, backref="lines", on_delete="CASCADE", index=True)
    key = pw.ForeignKeyField(DeskKey, on_delete="RESTRICT")
    expected = pw.IntegerField()  # copies less those out on loan
    counted = pw.IntegerField()

    class Meta:
        table_name = "key_check_line"


@dataclass(frozen=True)
class SheetLine:
    key: DeskKey
    out: int

    @property
    def expected(self) -> int:
        """How many copies should hang on the hook now."""
        return max(self.key.copies - self.out, 0)


def count_sheet(user) -> list[SheetLine]:
    """Every key in the register with how many copies should be in the cabinet now."""
    users.require(user, "desk.keys")
    out = dict(KeyLoan.select(KeyLoan.key, pw.fn.COUNT(KeyLoan.id)).where(KeyLoan.state == "out")
               .group_by(KeyLoan.key).tuples())
    return [SheetLine(k, out.get(k.id, 0)) for k in register(user)]


def record_check(user, responsible: str, counted: dict[int, int], note: str = "") -> KeyCheck:
    """Record a count of the cabinet: for every key in the register, the copies found.
    Differences are kept line by line, and the totals short and extra."""
    users.require(user, "desk.keys")
    sheet = count_sheet(user)
    errors: dict = {}
    responsible, note = responsible.strip(), note.strip()
    if not responsible:
        errors["responsible"] = (QT_TRANSLATE_NOOP("Office", "Name the person responsible for the keys"), {})
    missing = [line.key.tag for line in sheet if line.key.id not in counted]
    if missing:
        errors["counted"] = (QT_TRANSLATE_NOOP("Office", "Count every key; not counted: {tags}"),
                             {"tags": "、".join(missing[:10])})
    elif any(not isinstance(n, int) or not 0 <= n <= 99 for n in counted.values()):
        errors["counted"] = (QT_TRANSLATE_NOOP("Office", "A count is a whole number from 0 to 99"), {})
    fields = dict(responsible=responsible, note=note)
    validation.check_lengths(KeyCheck, fields, errors)
    if errors:
        raise ValidationError(errors)
    short = sum(max(line.expected - counted[line.key.id], 0) for line in sheet)
    extra = sum(max(counted[line.key.id] - line.expected, 0) for line in sheet)
    with atomic():
        check = KeyCheck.create(checked_at=clock.now(), checked_by=user.id, short=short, extra=extra, **fields)
        KeyCheckLine.insert_many([dict(check=check.id, key=line.key.id, expected=line.expected,
                                       counted=counted[line.key.id]) for line in sheet]).execute()
        audit.record(user, "key.check", "key_check", check.id, responsible,
                     {"keys": len(sheet), "short": short, "extra": extra,
                      "differences": {line.key.tag: counted[line.key.id] - line.expected for line in sheet
                                      if counted[line.key.id] != line.expected}})
    return check


def last_check() -> KeyCheck | None:
    return KeyCheck.select().order_by(KeyCheck.checked_at.desc(), KeyCheck.id.desc()).first()


def check_due(at: datetime.datetime | None = None) -> bool:
    """The office's interval between counts (days) has passed since the last one (or
    there never was one while there are keys)."""
    days = settings.office.key_check_days
    if not days:
        return False
    last = last_check()
    if last is None:
        return DeskKey.select().where(DeskKey.active == True).exists()  # noqa: E712
    return (at or clock.now()) - last.checked_at > datetime.timedelta(days=days)
