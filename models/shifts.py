"""The shift handover (交接班记录): the outgoing clerk's note, the open items carried over
(keys and lent items out, parcels waiting, messages to answer, repairs waiting), the cash
in the box where the office hands it over, confirmed by the outgoing clerk's password and
then by the incoming clerk's, who sees what was handed to her when she signs in."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

import peewee as pw

from models import audit, clock, money, settings, users, validation
from models.db import BaseModel, atomic
from models.errors import NotFound, OfficeError, QT_TRANSLATE_NOOP, ValidationError
from models.users import User

KINDS = {
    "key": QT_TRANSLATE_NOOP("Office", "Key out"),
    "item": QT_TRANSLATE_NOOP("Office", "Lent item out"),
    "parcel": QT_TRANSLATE_NOOP("Office", "Parcel waiting"),
    "message": QT_TRANSLATE_NOOP("Office", "Message to answer"),
    "repair": QT_TRANSLATE_NOOP("Office", "Repair waiting"),
}
MOST_CASH = 10_000_000  # fen: 100,000 yuan is more than any desk's cash box holds


class Handover(BaseModel):
    at = pw.DateTimeField(index=True)
    by = pw.ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    to_user = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    note = pw.TextField(default="")
    cash = pw.BigIntegerField(null=True)
    confirmed_at = pw.DateTimeField(null=True, index=True)
    confirmed_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    confirm_note = pw.CharField(max_length=200, default="")

    class Meta:
        table_name = "shift_handover"


class HandoverItem(BaseModel):
    handover = pw.ForeignKeyField(Handover, backref="items", on_delete="CASCADE", index=True)
    kind = pw.CharField(max_length=16)
    number = pw.CharField(max_length=32, default="")
    about = pw.CharField(max_length=200, default="")
    record_table = pw.CharField(max_length=32, default="")
    record_id = pw.IntegerField(default=0)

    class Meta:
        table_name = "shift_handover_item"


@dataclass(frozen=True)
class Carried:
    kind: str  # a key of KINDS
    number: str
    about: str
    table: str
    record_id: int
    late: bool = False  # past its time (a key overdue, a parcel past its free time, a message due)


def open_items(user, at: datetime.datetime | None = None) -> list[Carried]:
    """What is open at the desk now, for the handover: keys and lent items out, parcels
    waiting, messages not done, repairs waiting for dispatch."""
    from models import keys, lending, messages, parcels, repairs
    from models.estate import House

    at = at or clock.now()
    out: list[Carried] = []
    if users.has(user, "desk.keys"):
        for loan in keys.loans_out(user):
            out.append(Carried("key", loan.key.tag, f"{loan.key.name} {loan.borrower} "
                               f"→{loan.due_at:%m-%d %H:%M}", "key_loan", loan.id, loan.due_at < at))
        for loan in lending.loans_out(user):
            out.append(Carried("item", loan.item.tag, f"{loan.item.name} {loan.borrower} "
                               f"→{loan.due_at:%m-%d %H:%M}", "item_loan", loan.id, loan.due_at < at))
    for aged in parcels.waiting_by_age(user, at):
        p = aged.parcel
        house = p.house.label if p.house_id else ""
        out.append(Carried("parcel", p.code, f"{house} {p.recipient} {p.shelf} {aged.hours}h".strip(), "parcel", p.id,
                           aged.overdue))
    for m in messages.open_messages(user):
        out.append(Carried("message", m.number_text, f"{m.for_whom}: {m.caller} {m.about}"[:200], "desk_message", m.id,
                           m.due < at))
    if users.has(user, "service.desk"):
        for r in (repairs.Repair.select(repairs.Repair, House.id, House.label).join(House, pw.JOIN.LEFT_OUTER)
                  .where(repairs.Repair.state == "waiting").order_by(repairs.Repair.reported_at)):
            where = r.house.label if r.house_id else r.place
            out.append(Carried("repair", r.number_text, f"{where} {r.what}"[:200], "repair", r.id,
                               r.dispatch_due < at))
    return out


def _confirmed_user(username: str, password: str) -> User:
    """The user whose password this is, checked as a sign-in is (wrong ones counted)."""
    approval = users.approve(username, password, "desk.parcels")
    return users.redeem(approval, "desk.parcels")


def hand_over(user, password: str, *, note: str, cash: int | None = None, to_user_id: int | None = None,
              at: datetime.datetime | None = None) -> Handover:
    """The outgoing clerk hands the desk over: her note, the open items as they are now, the
    cash counted (where the office hands cash over), confirmed by her own password."""
    users.require(user, "desk.parcels")
    errors: dict = {}
    note = validation.check_text(errors, "note", note, 2000, QT_TRANSLATE_NOOP(
        "Office", "Write the handover note: what the next clerk must know"))
    if settings.office.shift_cash:
        if cash is None:
            errors["cash"] = (QT_TRANSLATE_NOOP("Office", "Count the cash box and write what is in it"), {})
        else:
            problem = money.amount_problem(cash, lowest=0)
            if problem is None and cash > MOST_CASH:
                problem = (QT_TRANSLATE_NOOP("Office", "The amount {text} is too large"), {"text": money.fmt(cash)})
            if problem:
                errors["cash"] = problem
    else:
        cash = None
    if to_user_id is not None:
        to = User.get_or_none(User.id == to_user_id)
        if to is None or not to.active:
            errors["to_user"] = (QT_TRANSLATE_NOOP("Office", "Choose the clerk who takes over"), {})
        elif to.id == user.id:
            errors["to_user"] = (QT_TRANSLATE_NOOP("Office", "Hand over to another clerk, not to yourself"), {})
        elif not users.has(to, "desk.parcels"):
            errors["to_user"] = (QT_TRANSLATE_NOOP("Office", "{name} does not work at the desk"),
                                 {"name": to.display_name})
    if not str(password or ""):
        errors["password"] = (QT_TRANSLATE_NOOP("Office", "Type your password to confirm the handover"), {})
    if errors:
        raise ValidationError(errors)
    try:
        who = _confirmed_user(user.username, password)
    except OfficeError:
        raise ValidationError({"password": (QT_TRANSLATE_NOOP("Office", "Wrong password"), {})})
    if who.id != user.id:
        raise ValidationError({"password": (QT_TRANSLATE_NOOP("Office", "Wrong password"), {})})
    at = at or clock.now()
    carried = open_items(user, at)
    with atomic():
        h = Handover.create(at=at, by=user.id, to_user=to_user_id, note=note, cash=cash)
        HandoverItem.insert_many([dict(handover=h.id, kind=c.kind, number=c.number, about=c.about,
                                       record_table=c.table, record_id=c.record_id) for c in carried]).execute()
        audit.record(user, "shift.hand_over", "shift_handover", h.id,
                     f"{len(carried)} open" + (f", cash {money.fmt(cash)}" if cash is not None else ""),
                     {"to_user": to_user_id, "items": len(carried), "cash": cash})
    return h


def _get(handover_id: int) -> Handover:
    h = Handover.get_or_none(Handover.id == handover_id)
    if h is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This handover is no longer in the register"))
    return h


def get(user, handover_id: int) -> Handover:
    users.require(user, "desk.parcels")
    return _get(handover_id)


def items_of(user, handover_id: int) -> list[HandoverItem]:
    users.require(user, "desk.parcels")
    return list(HandoverItem.select().where(HandoverItem.handover == handover_id).order_by(HandoverItem.id))


def confirm(user, handover_id: int, password: str, note: str = "") -> Handover:
    """The incoming clerk takes the desk over, by her own password: not the one who handed
    it over, and the one it was handed to when a name was given."""
    users.require(user, "desk.parcels")
    errors: dict = {}
    note = validation.check_text(errors, "confirm_note", note, 200)
    if not str(password or ""):
        errors["password"] = (QT_TRANSLATE_NOOP("Office", "Type your password to take the desk over"), {})
    if errors:
        raise ValidationError(errors)
    h = _get(handover_id)
    if h.confirmed_at is not None:
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "{name} took this handover over already, at {at}"),
                          name=users.display_name_of(h.confirmed_by_id), at=h.confirmed_at.strftime("%Y-%m-%d %H:%M"))
    if h.by_id == user.id:
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "The clerk who takes over confirms, not the one handing over"))
    if h.to_user_id is not None and h.to_user_id != user.id:
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "This handover is for {name}"),
                          name=users.display_name_of(h.to_user_id))
    try:
        who = _confirmed_user(user.username, password)
    except OfficeError:
        raise ValidationError({"password": (QT_TRANSLATE_NOOP("Office", "Wrong password"), {})})
    if who.id != user.id:
        raise ValidationError({"password": (QT_TRANSLATE_NOOP("Office", "Wrong password"), {})})
    with atomic():
        h = _get(handover_id)
        if h.confirmed_at is not None:  # another PC, meanwhile
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "This handover was taken over meanwhile"))
        h.confirmed_at, h.confirmed_by, h.confirm_note = clock.now(), user.id, note
        h.save()
        audit.record(user, "shift.confirm", "shift_handover", h.id, users.display_name_of(h.by_id))
    return h


OFFERED_DAYS = 2  # a handover older than this is not offered at sign-in (it stays on 今日)


def pending_for(user, *, recent: bool = False) -> list[Handover]:
    """Handovers waiting for this clerk to take over: to her by name, or to whoever comes
    next; newest first. `recent`: only those of the last OFFERED_DAYS, offered at sign-in."""
    if not users.has(user, "desk.parcels"):
        return []
    q = Handover.select().where(Handover.confirmed_at.is_null(), Handover.by != user.id,
                                (Handover.to_user == user.id) | Handover.to_user.is_null())
    if recent:
        q = q.where(Handover.at >= clock.now() - datetime.timedelta(days=OFFERED_DAYS))
    return list(q.order_by(Handover.at.desc()))


def history(user, limit: int = 200) -> list[Handover]:
    users.require(user, "desk.parcels")
    return list(Handover.select().order_by(Handover.at.desc(), Handover.id.desc()).limit(limit))


def desk_clerks(user) -> list[User]:
    """Who can take the desk over (active, working at the desk), but the user."""
    users.require(user, "desk.parcels")
    return [u for u in User.select().where(User.active == True).order_by(User.username)  # noqa: E712
            if u.id != user.id and users.has(u, "desk.parcels")]
