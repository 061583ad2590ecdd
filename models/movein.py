"""Move-in (办理入住, issue 20; DOMAIN.md "Move-in"; SCENARIOS 13): one guided procedure at
the desk for a house's owner, its steps in order, each kept as it is done so that stopping
half-way loses nothing and the house shows where it stands:

- the move-in notice (入住通知书) printed ahead, with the day the house is handed over;
- the papers checked against the checklist (the notice, ID card copy, purchase invoice copy,
  the move-in procedure form, the preliminary service agreement and the owners' covenant
  signed), ticked on the house's archive; one missing stops the procedure there, and 今日
  shows the house waiting for it;
- the house inspected with the owner (验房): each defect with its place, a photo where there
  is one, passed on as a repair order and followed until closed;
- the keys handed over, how many and which; the desk's own copies of the house's keys leave
  the custody register as handed over to the owner;
- the handover date set: the house is lived in, and its monthly fees (office setting) start
  that day;
- the first charges taken at the counter (the first months' fees prepaid), recorded on the
  case in the payment's own transaction."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from models import (audit, cashier, clock, documents, estate, fees, keys, money, owners, repairs, settings, users,
                    validation)
from models.db import BaseModel, atomic
from models.errors import Label, NotFound, OfficeError, QT_TRANSLATE_NOOP, ValidationError
from models.estate import House
from models.users import User

PAPERS = ("movein_notice", "id_copy", "purchase_invoice", "movein_form", "service_agreement", "covenant")

STEPS = {
    "papers": QT_TRANSLATE_NOOP("Office", "Check the papers"),
    "inspection": QT_TRANSLATE_NOOP("Office", "Inspect the house with the owner"),
    "keys": QT_TRANSLATE_NOOP("Office", "Hand over the keys"),
    "handover": QT_TRANSLATE_NOOP("Office", "Set the handover date"),
    "money": QT_TRANSLATE_NOOP("Office", "Take the first charges"),
}
LIVED_IN = ("owner_occupied", "rented", "vacant", "renovating")
MAX_KEYS = 30


class MoveIn(BaseModel):
    house = pw.ForeignKeyField(House, on_delete="RESTRICT", index=True)
    owner_name = pw.CharField(max_length=64)
    planned = pw.DateField()  # the handover day the notice gives
    started_at = pw.DateTimeField()
    started_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    notice_printed_at = pw.DateTimeField(null=True)
    papers_at = pw.DateTimeField(null=True)  # every paper in
    inspected_at = pw.DateTimeField(null=True)
    inspected_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    keys_count = pw.IntegerField(default=0)
    keys_which = pw.CharField(max_length=128, default="")
    keys_at = pw.DateTimeField(null=True)
    keys_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    handover_date = pw.DateField(null=True)
    handover_at = pw.DateTimeField(null=True)
    receipt = pw.ForeignKeyField(cashier.Receipt, null=True, on_delete="RESTRICT", backref="+")
    done_at = pw.DateTimeField(null=True, index=True)

    class Meta:
        table_name = "move_in"


class Defect(BaseModel):
    movein = pw.ForeignKeyField(MoveIn, backref="defects", on_delete="CASCADE", index=True)
    place = pw.CharField(max_length=64)
    what = pw.CharField(max_length=200)
    photo_hash = pw.CharField(max_length=64, default="")
    photo_name = pw.CharField(max_length=128, default="")
    repair = pw.ForeignKeyField(repairs.Repair, null=True, on_delete="SET NULL")
    at = pw.DateTimeField()
    by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        table_name = "move_in_defect"


# --- reading -----------------------------------------------------------------------------

def get(user, case_id: int) -> MoveIn:
    users.require(user, "service.desk")
    case = MoveIn.select(MoveIn, House).join(House).where(MoveIn.id == case_id).first()
    if case is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This move-in no longer exists"))
    return case


def open_case(user, house_id: int) -> MoveIn | None:
    """The house's move-in not yet done, if any."""
    users.require(user, "service.desk")
    return (MoveIn.select(MoveIn, House).join(House)
            .where(MoveIn.house == house_id, MoveIn.done_at.is_null()).order_by(MoveIn.id.desc()).first())


def papers(case: MoveIn) -> list[tuple[str, bool]]:
    """Each paper of the procedure and whether the archive has it."""
    have = {line.item: line.received for line in documents.checklist(case.house_id)}
    return [(item, bool(have.get(item))) for item in PAPERS]


def missing(case: MoveIn) -> list[str]:
    return [item for item, received in papers(case) if not received]


def defects(case: MoveIn) -> list[Defect]:
    return list(Defect.select(Defect, repairs.Repair).join(repairs.Repair, pw.JOIN.LEFT_OUTER)
                .where(Defect.movein == case.id).order_by(Defect.id))


def next_step(case: MoveIn) -> str:
    """The step the procedure waits for (a key of STEPS), "" once done."""
    if case.done_at is not None:
        return ""
    if case.papers_at is None and missing(case):
        return "papers"
    if case.inspected_at is None:
        return "inspection"
    if case.keys_at is None:
        return "keys"
    if case.handover_date is None:
        return "handover"
    return "money"


def done_steps(case: MoveIn | None) -> set[str]:
    """The steps done ("notice" for the notice sent, then keys of STEPS)."""
    if case is None:
        return set()
    done = {"notice"} if case.notice_printed_at else set()
    for step, at in (("papers", case.papers_at or (None if missing(case) else True)),
                     ("inspection", case.inspected_at), ("keys", case.keys_at), ("handover", case.handover_date),
                     ("money", case.done_at)):
        if at:
            done.add(step)
    return done


def fee_items() -> list[fees.FeeItem]:
    """The monthly items a house starts paying at its handover (office setting)."""
    codes = settings.office.movein_fee_items
    return [i for i in fees.FeeItem.select().where(fees.FeeItem.code.in_(codes), fees.FeeItem.active == True)]  # noqa: E712


def monthly_fees(house: House) -> int:
    """What the house's fees started at the handover come to in a whole month, in fen."""
    total = 0
    subs = {s.item_id: s for s in fees.subscriptions(house.id) if s.ends is None}
    for item in fee_items():
        sub = subs.get(item.id)
        price = sub.price() if sub else item.unit_price
        amount = fees.monthly_amount(item.kind, item.rounding, item.unit, price, sub.quantity if sub else 1,
                                     house.area, 1)
        total += amount.fen if amount else 0
    return total


# --- the steps -------------------------------------------------------------------------------

def start(user, house_id: int, *, planned: datetime.date) -> MoveIn:
    """The move-in begun for the house's owner on file, to be handed over on `planned` (the
    day the notice gives). One open move-in a house; an owner must be on file."""
    users.require(user, "service.desk")
    errors: dict = {}
    if not isinstance(planned, datetime.date) or isinstance(planned, datetime.datetime):
        errors["planned"] = (QT_TRANSLATE_NOOP("Office", "Enter a date"), {})
    elif planned < clock.today() - datetime.timedelta(days=366) or planned > clock.today() + datetime.timedelta(
            days=366):
        errors["planned"] = (QT_TRANSLATE_NOOP("Office", "A handover more than a year away: check the date"), {})
    if errors:
        raise ValidationError(errors)
    with atomic():
        house = House.get_or_none(House.id == house_id)
        if house is None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "This house no longer exists"))
        if open_case(user, house_id) is not None:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "{house}'s move-in is under way already"),
                              house=house.label)
        owner = (owners.Ownership.select(owners.Ownership, owners.Owner).join(owners.Owner)
                 .where(owners.Ownership.house == house_id, owners.Ownership.until.is_null())
                 .order_by(owners.Ownership.is_primary.desc(), owners.Ownership.id).first())
        if owner is None:
            raise OfficeError(QT_TRANSLATE_NOOP(
                "Office", "{house} has no owner on file: add the owner to the archive first"), house=house.label)
        case = MoveIn.create(house=house, owner_name=owner.owner.name, planned=planned, started_at=clock.now(),
                             started_by=user.id)
        audit.record(user, "movein.start", "house", house.id, f"{house.label} {case.owner_name}",
                     {"planned": planned.isoformat()})
    return get(user, case.id)


def _case(case_id: int) -> MoveIn:
    case = MoveIn.get_or_none(MoveIn.id == case_id)
    if case is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This move-in no longer exists"))
    if case.done_at is not None:
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "The move-in of {house} is done"), house=case.house.label)
    return case


def _in_order(case: MoveIn, step: str) -> None:
    order = list(STEPS)
    wanted = next_step(case)
    if wanted and order.index(wanted) < order.index(step):
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "First: {step}"), step=Label(STEPS[wanted]))


def _not_again(case: MoveIn, done, step: str) -> None:
    if done is not None:
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "The move-in of {house} has this step done already: {step}"),
                          house=case.house.label, step=Label(STEPS[step]))


def notice_printed(user, case_id: int) -> MoveIn:
    """The move-in notice went out (printed or handed over)."""
    users.require(user, "service.desk")
    with atomic():
        case = _case(case_id)
        case.notice_printed_at = clock.now()
        case.save()
        audit.record(user, "movein.notice", "house", case.house_id, case.house.label, {})
    return get(user, case_id)


def receive_papers(user, case_id: int, items: list[str]) -> MoveIn:
    """The papers the owner handed over, ticked on the house's archive; once every one is in,
    the step is done."""
    users.require(user, "service.desk")
    users.require(user, "archive.edit")
    if any(i not in PAPERS for i in items):
        raise ValidationError({"papers": (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})})
    with atomic():
        case = _case(case_id)
        have = dict(papers(case))
        for item in items:
            if not have[item]:
                documents.set_document(user, case.house_id, item, received=True)
        left = missing(case)
        if not left and case.papers_at is None:
            case.papers_at = clock.now()
            case.save()
        audit.record(user, "movein.papers", "house", case.house_id, case.house.label,
                     {"received": list(items), "missing": left})
    return get(user, case_id)


def add_defect(user, case_id: int, *, place: str, what: str, photo: str | Path | None = None) -> Defect:
    """A defect found walking the house with the owner: passed on as a repair order (found at
    the handover inspection) in the same transaction."""
    users.require(user, "service.desk")
    errors: dict = {}
    place = validation.check_text(errors, "place", place, 64,
                                  QT_TRANSLATE_NOOP("Office", "Say where: the kitchen, the bedroom window …"))
    what = validation.check_text(errors, "what", what, 200, QT_TRANSLATE_NOOP("Office", "Say what is wrong"))
    if errors:
        raise ValidationError(errors)
    photo_hash = photo_name = ""
    if photo is not None:
        photo_hash, photo_name = documents.store_scan(photo, "photo")
    with atomic():
        case = _case(case_id)
        _in_order(case, "inspection")
        if case.inspected_at is not None:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "The inspection of {house} is signed off: report a later "
                                                          "fault as a repair"), house=case.house.label)
        repair = repairs.report(user, reporter=case.owner_name, what=f"{place}：{what}"[:200],
                                category=repairs.category_of(what) or "other", house_id=case.house_id, place=place,
                                channel="handover")
        row = Defect.create(movein=case, place=place, what=what, photo_hash=photo_hash, photo_name=photo_name,
                            repair=repair, at=clock.now(), by=user.id)
        audit.record(user, "movein.defect", "house", case.house_id, f"{case.house.label} {place} {what}"[:120],
                     {"repair": repair.number_text})
    return row


def inspected(user, case_id: int) -> MoveIn:
    """The inspection walked and its report (验房表) signed by the owner; ticked on the archive."""
    users.require(user, "service.desk")
    users.require(user, "archive.edit")
    with atomic():
        case = _case(case_id)
        _in_order(case, "inspection")
        _not_again(case, case.inspected_at, "inspection")
        if case.papers_at is None:  # every paper was on file already: the papers step passed now
            case.papers_at = clock.now()
        case.inspected_at, case.inspected_by = clock.now(), user.id
        case.save()
        documents.set_document(user, case.house_id, "inspection_form", received=True)
        audit.record(user, "movein.inspected", "house", case.house_id, case.house.label,
                     {"defects": len(defects(case))})
    return get(user, case_id)


def hand_keys(user, case_id: int, *, count: int, which: str) -> MoveIn:
    """The keys handed to the owner: how many and which. The desk's copies of the house's
    keys leave its custody register, handed over for good to the owner."""
    users.require(user, "service.desk")
    users.require(user, "desk.keys")
    errors: dict = {}
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_KEYS:
        errors["count"] = (QT_TRANSLATE_NOOP("Office", "Enter a whole number from {low} to {high}"),
                           {"low": 1, "high": MAX_KEYS})
    which = validation.check_text(errors, "which", which, 128,
                                  QT_TRANSLATE_NOOP("Office", "Say which keys: 2 door keys, 1 mailbox key …"))
    if errors:
        raise ValidationError(errors)
    with atomic():
        case = _case(case_id)
        _in_order(case, "keys")
        _not_again(case, case.keys_at, "keys")
        handed = keys.hand_over_house_keys(user, case.house_id, case.owner_name, f"入住移交：{which}")
        case.keys_count, case.keys_which, case.keys_at, case.keys_by = count, which, clock.now(), user.id
        case.save()
        audit.record(user, "movein.keys", "house", case.house_id, case.house.label,
                     {"count": count, "which": which, "from_custody": handed})
    return get(user, case_id)


def set_handover(user, case_id: int, *, on: datetime.date, state: str = "owner_occupied") -> MoveIn:
    """The handover date set: the house is handed over (its state as the owner says: lived
    in, let, left empty …) and its monthly fees start that day."""
    users.require(user, "service.desk")
    users.require(user, "archive.edit")
    errors: dict = {}
    if not isinstance(on, datetime.date) or isinstance(on, datetime.datetime):
        errors["on"] = (QT_TRANSLATE_NOOP("Office", "Enter a date"), {})
    elif on > clock.today():
        errors["on"] = (QT_TRANSLATE_NOOP("Office", "The date cannot be in the future"), {})
    if state not in LIVED_IN:
        errors["state"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    if errors:
        raise ValidationError(errors)
    with atomic():
        case = _case(case_id)
        _in_order(case, "handover")
        _not_again(case, case.handover_date, "handover")
        if (on - case.started_at.date()).days < -366:
            raise ValidationError({"on": (QT_TRANSLATE_NOOP("Office", "A handover more than a year away: check the "
                                                                      "date"), {})})
        house = estate.update_house(user, case.house_id, handover_date=on, state=state)
        started = []
        subscribed = {s.item_id for s in fees.subscriptions(house.id) if s.ends is None}
        for item in fee_items():
            if item.id not in subscribed:
                fees.start_fee(user, house, item, on)
                started.append(item.code)
        case.handover_date, case.handover_at = on, clock.now()
        case.save()
        audit.record(user, "movein.handover", "house", house.id, house.label,
                     {"on": on.isoformat(), "state": state, "fees_started": started})
    return get(user, case_id)


def counter_amount(user, case_id: int) -> int:
    """The first charges the counter suggests: the months prepaid (office setting) of the
    house's fees, in fen."""
    case = get(user, case_id)
    if next_step(case) != "money":
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "First: {step}"), step=Label(STEPS[next_step(case) or "money"]))
    return monthly_fees(case.house) * settings.office.movein_prepaid_months


def money_taken(user, case_id: int, receipt: cashier.Receipt) -> None:
    """Called by the counter inside the payment's transaction (cashier.take_payment `also`):
    the first charges are taken, the move-in is done."""
    users.require(user, "cash.take")
    case = _case(case_id)
    _in_order(case, "money")
    if receipt.house_id != case.house_id:
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "This payment is not for {house}"), house=case.house.label)
    month = monthly_fees(case.house)
    if receipt.total < month:
        raise ValidationError({"amount": (QT_TRANSLATE_NOOP(
            "Office", "The first charges are at least a month's fees, {month}: this payment is {paid}"),
            {"month": money.fmt(month), "paid": money.fmt(receipt.total)})})
    case.receipt, case.done_at = receipt.id, clock.now()
    case.save()
    audit.record(user, "movein.done", "house", case.house_id, f"{case.house.label} {receipt.number_text}",
                 {"total": receipt.total})


def finish_without_charges(user, case_id: int, reason: str) -> MoveIn:
    """The move-in closed with nothing taken at the counter (the developer pays the first
    months, the owner pays later): the reason said."""
    users.require(user, "service.desk")
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": (QT_TRANSLATE_NOOP("Office", "Say why nothing is taken now"), {})})
    with atomic():
        case = _case(case_id)
        _in_order(case, "money")
        case.done_at = clock.now()
        case.save()
        audit.record(user, "movein.done", "house", case.house_id, case.house.label, {"reason": reason[:200]})
    return get(user, case_id)


def receipt_voided(user, receipt: cashier.Receipt) -> None:
    """Called by cashier.void inside its transaction: a move-in's first charges voided, the
    move-in waits for them again."""
    case = MoveIn.get_or_none(MoveIn.receipt == receipt.id)
    if case is not None:
        case.receipt, case.done_at = None, None
        case.save()
        audit.record(user, "movein.money_voided", "house", case.house_id, f"{case.house.label} {receipt.number_text}",
                     {})


# --- what is due ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Waiting:
    case_id: int
    house_id: int
    label: str
    owner: str
    step: str
    missing: list[str]  # the papers it waits for (keys of documents.ITEMS)
    due: datetime.datetime


def waiting(user, at: datetime.datetime | None = None) -> list[Waiting]:
    """Move-ins stopped half-way: each with the step it waits for and, for papers, which;
    due by the end of the day it began (the owner brings what was missing)."""
    from models.deadlines import END_OF_DAY

    users.require(user, "service.desk")
    at = at or clock.now()
    out = []
    for case in MoveIn.select(MoveIn, House).join(House).where(MoveIn.done_at.is_null()).order_by(MoveIn.started_at):
        step = next_step(case)
        out.append(Waiting(case.id, case.house_id, case.house.label, case.owner_name, step,
                           missing(case) if step == "papers" else [],
                           datetime.datetime.combine(case.started_at.date(), END_OF_DAY)))
    return out
