"""Repairs (报修): intake by phone or visit with the 10-minute dispatch clock, dispatch to a
technician on a work order with a gapless number, completion (time, materials, labour, the
owner's verdict; a paid repair priced from the office's price list and charged to the
house), the return visit (回访) due by category, and rework when the visit finds a problem.

Deadlines (DOMAIN.md; settings):
- the dispatch answer: `repair_dispatch_minutes` (10) after intake; the clock stops when a
  technician is assigned or a reply to the owner is recorded;
- the return visit: `repair_visit_days` (2) after completion; a leak's
  `repair_visit_leak_days` (3) after its leak test; day limits end at 23:59:59;
- on time: completed by the appointment promised at dispatch;
- a repeat repair: an order reopened as rework after a return visit found a problem; it
  waits for dispatch again, to the same technician, with a new appointment."""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import peewee as pw

from models import audit, clock, deadlines, house_phone, numbering, settings, users, validation
from models.billing import Charge
from models.db import BaseModel, atomic
from models.errors import NotFound, OfficeError, QT_TRANSLATE_NOOP, ValidationError
from models.estate import House
from models.users import User

CATEGORIES = {
    "water": QT_TRANSLATE_NOOP("Office", "Plumbing"),  # 给排水
    "electric": QT_TRANSLATE_NOOP("Office", "Electrics"),  # 电路
    "door_window": QT_TRANSLATE_NOOP("Office", "Doors and windows"),  # 门窗
    "leak": QT_TRANSLATE_NOOP("Office", "Leak"),  # 渗漏
    "safety": QT_TRANSLATE_NOOP("Office", "Safety installation"),  # 安全设施: gas, fire, lift
    "public": QT_TRANSLATE_NOOP("Office", "Public installation"),  # 公共设施
    "other": QT_TRANSLATE_NOOP("Office", "Other"),
}
# words in what the owner says that name the category, checked in this order (电梯 before 电);
# any 漏 (漏水, 漏雨, 水管漏了) is a leak, with its return visit after the leak test, except
# these words, where 漏 is not water coming through
_CATEGORY_WORDS = [
    ("safety", ("电梯", "消防", "燃气", "煤气", "漏气", "烟感", "喷淋", "灭火")),
    ("leak", ("漏", "渗", "滴水", "顶棚", "天花", "墙面潮", "发霉", "防水")),
    ("public", ("楼道", "公共", "路灯", "围墙", "道闸", "单元门", "化粪池")),
    ("water", ("水龙头", "龙头", "水管", "下水", "堵", "马桶", "水箱", "地漏", "水压", "热水器")),
    ("electric", ("灯", "电", "插座", "开关", "跳闸")),
    ("door_window", ("门", "窗", "锁", "合页", "玻璃", "纱")),
]
# 窗户漏风, 门缝漏光: the door or window, not water
_NOT_A_LEAK = ("地漏", "漏电", "漏气", "漏扫", "遗漏", "漏刷", "漏风", "漏光")


def category_of(text: str) -> str:
    """The category the words name (顶棚滴水, 厨房水管漏水: leak), or '' when none does."""
    for category, words in _CATEGORY_WORDS:
        seen = text
        if category == "leak":
            for word in _NOT_A_LEAK:
                seen = seen.replace(word, "")
        if any(w in seen for w in words):
            return category
    return ""


URGENCY = {
    "normal": QT_TRANSLATE_NOOP("Office", "Normal"),
    "urgent": QT_TRANSLATE_NOOP("Office", "Urgent"),
}
CHANNELS = {
    "phone": QT_TRANSLATE_NOOP("Office", "Phone"),
    "visit": QT_TRANSLATE_NOOP("Office", "Visit"),
    "patrol": QT_TRANSLATE_NOOP("Office", "Found on an inspection"),  # 巡查发现: a vacant house, a patrol
    "handover": QT_TRANSLATE_NOOP("Office", "Found at the handover inspection"),  # 验房发现
}
STATES = {
    "waiting": QT_TRANSLATE_NOOP("Office", "Waiting for dispatch"),
    "dispatched": QT_TRANSLATE_NOOP("Office", "Dispatched"),
    "done": QT_TRANSLATE_NOOP("Office", "Done, visit due"),
    "closed": QT_TRANSLATE_NOOP("Office", "Closed"),
    "cancelled": QT_TRANSLATE_NOOP("Office", "Cancelled"),
}
VERDICTS = {
    "satisfied": QT_TRANSLATE_NOOP("Office", "Satisfied"),
    "fair": QT_TRANSLATE_NOOP("Office", "Fair"),
    "unsatisfied": QT_TRANSLATE_NOOP("Office", "Unsatisfied"),
}
VISIT_HOW = {
    "phone": QT_TRANSLATE_NOOP("Office", "By phone"),
    "visit": QT_TRANSLATE_NOOP("Office", "In person"),
}


class Technician(BaseModel):
    """The office's technicians (they need no login)."""
    name = pw.CharField(max_length=32)
    phone = pw.CharField(max_length=32, default="")
    trade = pw.CharField(max_length=32, default="")  # 水电, 木工 …
    active = pw.BooleanField(default=True)

    class Meta:
        table_name = "technician"


class Repair(BaseModel):
    year = pw.IntegerField()
    number = pw.IntegerField()  # gapless within the year
    state = pw.CharField(max_length=16, index=True)
    house = pw.ForeignKeyField(House, null=True, on_delete="RESTRICT", index=True)
    channel = pw.CharField(max_length=8, default="phone")
    reporter = pw.CharField(max_length=64)
    phone = pw.CharField(max_length=32, default="")
    place = pw.CharField(max_length=64, default="")  # 卫生间顶棚, 3栋电梯厅 …
    what = pw.CharField(max_length=256)
    category = pw.CharField(max_length=16, index=True)
    urgency = pw.CharField(max_length=8, default="normal")
    reported_at = pw.DateTimeField(index=True)
    received_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    dispatch_due = pw.DateTimeField()
    answered_at = pw.DateTimeField(null=True)  # the dispatch clock stopped
    answer_note = pw.CharField(max_length=128, default="")
    technician = pw.ForeignKeyField(Technician, null=True, on_delete="RESTRICT", backref="repairs")
    dispatched_at = pw.DateTimeField(null=True)
    appointment_at = pw.DateTimeField(null=True)  # promised to the owner
    first_appointment_at = pw.DateTimeField(null=True)  # the first promise, kept through rework
    completed_at = pw.DateTimeField(null=True, index=True)
    first_completed_at = pw.DateTimeField(null=True)  # on time or not is judged on the first
    materials = pw.CharField(max_length=256, default="")
    labour_minutes = pw.IntegerField(default=0)
    verdict = pw.CharField(max_length=16, default="")
    amount = pw.BigIntegerField(default=0)  # a paid repair, fen
    charge = pw.ForeignKeyField(Charge, null=True, on_delete="RESTRICT")
    leak_test_at = pw.DateTimeField(null=True)
    visit_due = pw.DateTimeField(null=True, index=True)  # the return visit pending, if any
    reworks = pw.IntegerField(default=0)

    class Meta:
        table_name = "repair"
        indexes = ((("year", "number"), True),)

    @property
    def number_text(self) -> str:
        return f"WX{self.year}-{self.number:04d}"


class RepairEvent(BaseModel):
    """The order's steps with their time: received, answered, dispatched, completed,
    visited, reopened as rework, cancelled."""
    repair = pw.ForeignKeyField(Repair, backref="events", on_delete="CASCADE", index=True)
    at = pw.DateTimeField()
    user = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    kind = pw.CharField(max_length=16)
    note = pw.CharField(max_length=256, default="")
    result = pw.CharField(max_length=16, default="")  # a visit: ok / problem

    class Meta:
        table_name = "repair_event"


class RepairVisit(BaseModel):
    """A return visit owed for a completion: due by the category's rule, made or not."""
    repair = pw.ForeignKeyField(Repair, backref="visits", on_delete="CASCADE", index=True)
    due_at = pw.DateTimeField(index=True)
    done_at = pw.DateTimeField(null=True)
    done_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    how = pw.CharField(max_length=8, default="")
    ok = pw.BooleanField(null=True)
    note = pw.CharField(max_length=256, default="")

    class Meta:
        table_name = "repair_visit"


def _event(user, repair: Repair, kind: str, note: str = "", result: str = "") -> None:
    RepairEvent.create(repair=repair.id, at=clock.now(), user=user.id, kind=kind, note=note[:256], result=result)


def _get(repair_id: int) -> Repair:
    repair = Repair.get_or_none(Repair.id == repair_id)
    if repair is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This repair no longer exists"))
    return repair


def get(user, repair_id: int) -> Repair:
    """One repair order as it stands now (for its work order, or after a step)."""
    users.require(user, "service.desk")
    return _get(repair_id)


def numbered(user, number_text: str) -> Repair:
    """The repair order with this number (WX2026-0045)."""
    users.require(user, "service.desk")
    m = re.fullmatch(r"(?i)\s*WX(\d{4})-0*(\d+)\s*", number_text)
    repair = Repair.get_or_none(Repair.year == int(m.group(1)), Repair.number == int(m.group(2))) if m else None
    if repair is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "No repair order has the number {number}"),
                       number=number_text.strip())
    return repair


def _require_state(repair: Repair, *states: str) -> None:
    if repair.state not in states:
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "Repair {number} is {state}: this step does not apply"),
                          number=repair.number_text, state=_state_label(repair.state))


def _state_label(state: str):
    from models.errors import Label

    return Label(STATES.get(state, state))


# --- technicians --------------------------------------------------------------------------------

def save_technician(user, technician_id: int | None = None, *, name: str, phone: str = "", trade: str = "",
                    active: bool = True) -> Technician:
    users.require(user, "service.manage")
    fields = dict(name=name.strip(), phone=validation.normalize_phone(phone), trade=trade.strip(), active=active)
    errors: dict = {}
    if not fields["name"]:
        errors["name"] = (QT_TRANSLATE_NOOP("Office", "Enter the technician's name"), {})
    if validation.phone_error(phone):
        errors["phone"] = (validation.phone_error(phone), {})
    validation.check_lengths(Technician, fields, errors)
    if errors:
        raise ValidationError(errors)
    with atomic():
        if technician_id is None:
            tech = Technician.create(**fields)
        else:
            tech = Technician.get_by_id(technician_id)
            Technician.update(**fields).where(Technician.id == tech.id).execute()
            tech = Technician.get_by_id(tech.id)
        audit.record(user, "repair.technician", "technician", tech.id, tech.name, {"trade": tech.trade})
    return tech


def technicians(active_only: bool = True) -> list[Technician]:
    q = Technician.select().order_by(Technician.name)
    return list(q.where(Technician.active == True) if active_only else q)  # noqa: E712


# --- intake, dispatch, completion -----------------------------------------------------------------

def report(user, *, reporter: str, what: str, category: str, house_id: int | None = None, phone: str = "",
           place: str = "", urgency: str = "normal", channel: str = "phone") -> Repair:
    """Take a repair in; its dispatch clock starts now. The owner's phone as the form
    showed it (masked) is kept in full, for the work order."""
    users.require(user, "service.desk")
    phone = house_phone.full_phone(house_id, phone)
    errors: dict = {}
    fields = dict(reporter=reporter.strip(), what=what.strip(), place=place.strip(),
                  phone=validation.normalize_phone(phone))
    if house_id is not None and House.get_or_none(House.id == house_id) is None:
        errors["house"] = (QT_TRANSLATE_NOOP("Office", "No such house"), {})
    if not fields["reporter"]:
        errors["reporter"] = (QT_TRANSLATE_NOOP("Office", "Enter who reports it"), {})
    if not fields["what"]:
        errors["what"] = (QT_TRANSLATE_NOOP("Office", "Say what needs repairing"), {})
    if not house_id and not fields["place"]:
        errors["place"] = (QT_TRANSLATE_NOOP("Office", "Say where: the house, or the place in the estate"), {})
    if category not in CATEGORIES:
        errors["category"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    if urgency not in URGENCY:
        errors["urgency"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    if channel not in CHANNELS:
        errors["channel"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    if validation.phone_error(phone):
        errors["phone"] = (validation.phone_error(phone), {})
    validation.check_lengths(Repair, fields, errors)
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    with atomic():
        repair = Repair.create(year=now.year, number=numbering.take(f"repair-{now.year}"), state="waiting",
                               house=house_id, channel=channel, category=category, urgency=urgency, reported_at=now,
                               received_by=user.id,
                               dispatch_due=deadlines.after_minutes(now, settings.office.repair_dispatch_minutes),
                               **fields)
        _event(user, repair, "received", fields["what"])
        audit.record(user, "repair.report", "repair", repair.id, f"{repair.number_text} {fields['what'][:40]}",
                     {"category": category, "urgency": urgency})
    return repair


def answer(user, repair_id: int, note: str) -> Repair:
    """A reply to the owner about dispatch recorded (the technician comes later): the
    dispatch clock stops."""
    users.require(user, "service.desk")
    if not note.strip():
        raise ValidationError({"note": (QT_TRANSLATE_NOOP("Office", "Write what the owner was told"), {})})
    with atomic():
        repair = _get(repair_id)
        _require_state(repair, "waiting")
        if repair.answered_at is None:
            repair.answered_at = clock.now()
        repair.answer_note = note.strip()[:128]
        repair.save()
        _event(user, repair, "answered", note.strip())
    return repair


# The technicians' working hours, for the time proposed at dispatch. The office keeps no such
# setting (its opening hours are free text for the papers), so the usual day is named here.
WORKING_HOURS = (datetime.time(8, 0), datetime.time(18, 0))
MORNING_APPOINTMENT = datetime.time(9, 0)  # the first jobs of a working morning, after the day's briefing
URGENT_WITHIN = datetime.timedelta(minutes=30)
NORMAL_WITHIN = datetime.timedelta(hours=2)


def default_appointment(now: datetime.datetime, urgency: str,
                        calendar: deadlines.Calendar | None = None) -> datetime.datetime:
    """The time the dispatch dialog proposes to promise the owner, on the next half hour: an
    urgent repair soon, whatever the hour (within the hour); a normal one two hours on, or
    the next working morning at 09:00 when that falls outside the working hours (23:25 →
    tomorrow 09:00, not 01:25 at night). Working days are the office's calendar's."""
    calendar = calendar or deadlines.Calendar.from_settings()
    at = _next_half_hour(now + (URGENT_WITHIN if urgency == "urgent" else NORMAL_WITHIN))
    if urgency == "urgent":
        return at
    start, end = WORKING_HOURS
    if start <= at.time() <= end and calendar.counts(at.date()):
        return at
    day = at.date() if at.time() < MORNING_APPOINTMENT else at.date() + datetime.timedelta(days=1)
    while not calendar.counts(day):
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, MORNING_APPOINTMENT)


def _next_half_hour(at: datetime.datetime) -> datetime.datetime:
    """The time itself on a whole or half hour, else the next one (10:01 → 10:30)."""
    base, half = at.replace(minute=0, second=0, microsecond=0), datetime.timedelta(minutes=30)
    return base + half * -(-(at - base) // half)


def dispatch(user, repair_id: int, technician_id: int, appointment_at: datetime.datetime) -> Repair:
    """Assign a technician with the time promised to the owner; the work order prints."""
    users.require(user, "service.desk")
    errors: dict = {}
    tech = Technician.get_or_none(Technician.id == technician_id, Technician.active == True)  # noqa: E712
    if tech is None:
        errors["technician"] = (QT_TRANSLATE_NOOP("Office", "Choose a technician"), {})
    now = clock.now()
    if appointment_at is None or appointment_at < now - datetime.timedelta(minutes=1):
        errors["appointment_at"] = (QT_TRANSLATE_NOOP("Office", "The time promised to the owner cannot be past"), {})
    if errors:
        raise ValidationError(errors)
    with atomic():
        repair = _get(repair_id)
        _require_state(repair, "waiting")
        if repair.reworks and repair.technician_id != tech.id:
            raise ValidationError({"technician": (QT_TRANSLATE_NOOP(
                "Office", "A rework goes back to the technician who did the job"), {})})
        repair.state, repair.technician, repair.dispatched_at = "dispatched", tech.id, now
        repair.appointment_at = appointment_at.replace(microsecond=0)
        repair.first_appointment_at = repair.first_appointment_at or repair.appointment_at
        if repair.answered_at is None:
            repair.answered_at = now
        repair.save()
        _event(user, repair, "dispatched", f"{tech.name} {repair.appointment_at:%m-%d %H:%M}")
        audit.record(user, "repair.dispatch", "repair", repair.id, f"{repair.number_text} {tech.name}",
                     {"appointment": repair.appointment_at})
    return repair


@dataclass(frozen=True)
class Part:
    """A paid line of the repair: an item of the price list and how many."""
    price_item_id: int
    quantity: int = 1


def price_of(parts: list[Part]) -> int:
    """The fen the parts cost by the office's price list (items with a fixed price only)."""
    from models.handbook import PriceItem

    total = 0
    for part in parts:
        item = PriceItem.get_or_none(PriceItem.id == part.price_item_id)
        if item is None or item.price is None:
            raise ValidationError({"parts": (QT_TRANSLATE_NOOP(
                "Office", "Choose priced services of the price list"), {})})
        if not isinstance(part.quantity, int) or not 1 <= part.quantity <= 999:
            raise ValidationError({"parts": (QT_TRANSLATE_NOOP("Office", "A quantity is a whole number from 1"), {})})
        total += item.price * part.quantity
    return total


def complete(user, repair_id: int, *, materials: str = "", labour_minutes: int = 0, verdict: str = "satisfied",
             parts: list[Part] | None = None, leak_test_at: datetime.datetime | None = None,
             done_at: datetime.datetime | None = None) -> Repair:
    """The technician reports the job done: when, the materials and labour, the owner's
    verdict; a paid repair is charged to the house by the price list. The return visit
    falls due by the category's rule."""
    users.require(user, "service.desk")
    errors: dict = {}
    now = clock.now()
    done_at = (done_at or now).replace(microsecond=0)
    if done_at > now:
        errors["done_at"] = (QT_TRANSLATE_NOOP("Office", "The job cannot be done in the future"), {})
    if leak_test_at is not None and leak_test_at.replace(microsecond=0) > now:
        errors["leak_test_at"] = (QT_TRANSLATE_NOOP("Office", "The leak test cannot be in the future"), {})
    if verdict not in VERDICTS:
        errors["verdict"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    validation.check_int(errors, "labour_minutes", labour_minutes, 0, 24 * 60 * 7)
    fields = dict(materials=materials.strip())
    validation.check_lengths(Repair, fields, errors)
    if errors:
        raise ValidationError(errors)
    amount = price_of(parts or [])
    with atomic():
        repair = _get(repair_id)
        _require_state(repair, "dispatched")
        if done_at < repair.dispatched_at.replace(second=0, microsecond=0):  # times are entered to the minute
            raise ValidationError({"done_at": (QT_TRANSLATE_NOOP(
                "Office", "The job cannot be done before it was dispatched"), {})})
        if repair.category == "leak" and leak_test_at is None:
            raise ValidationError({"leak_test_at": (QT_TRANSLATE_NOOP(
                "Office", "A leak's return visit counts from its leak test: enter when it was done"), {})})
        if amount and repair.house_id is None:
            raise ValidationError({"parts": (QT_TRANSLATE_NOOP(
                "Office", "A paid repair is charged to a house: this one has none"), {})})
        repair.state, repair.completed_at = "done", done_at
        repair.first_completed_at = repair.first_completed_at or done_at
        repair.materials, repair.labour_minutes, repair.verdict = fields["materials"], labour_minutes, verdict
        repair.leak_test_at = leak_test_at.replace(microsecond=0) if leak_test_at else None
        repair.visit_due = visit_due(repair.category, done_at, repair.leak_test_at)
        RepairVisit.create(repair=repair.id, due_at=repair.visit_due)
        if amount:
            from models import billing

            charge = billing.charge_for(user, repair.house_id, "repair", amount, description=repair.number_text,
                                         source="repair")
            repair.amount += amount
            repair.charge = charge.id
        repair.save()
        _event(user, repair, "completed", fields["materials"])
        audit.record(user, "repair.complete", "repair", repair.id, repair.number_text,
                     {"verdict": verdict, "amount": amount})
    return repair


def visit_due(category: str, done_at: datetime.datetime, leak_test_at: datetime.datetime | None = None,
              calendar: deadlines.Calendar | None = None) -> datetime.datetime:
    """When the return visit is due: a leak's days after its leak test, the others' after
    completion."""
    calendar = calendar or deadlines.Calendar.from_settings()
    if category == "leak":
        return deadlines.after_days(leak_test_at or done_at, settings.office.repair_visit_leak_days, calendar)
    return deadlines.after_days(done_at, settings.office.repair_visit_days, calendar)


def visit(user, repair_id: int, *, ok: bool, how: str = "phone", note: str = "") -> Repair:
    """The return visit: all well closes the order; a problem found reopens it as rework
    to the same technician (a repeat repair)."""
    users.require(user, "service.desk")
    errors: dict = {}
    if how not in VISIT_HOW:
        errors["how"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    if not ok and not note.strip():
        errors["note"] = (QT_TRANSLATE_NOOP("Office", "Say what is still wrong"), {})
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    with atomic():
        repair = _get(repair_id)
        _require_state(repair, "done")
        RepairVisit.update(done_at=now, done_by=user.id, how=how, ok=ok, note=note.strip()[:256]).where(
            RepairVisit.repair == repair.id, RepairVisit.done_at.is_null()).execute()
        repair.visit_due = None
        _event(user, repair, "visited", f"{how}: {note.strip()}".strip(": "), "ok" if ok else "problem")
        if ok:
            repair.state = "closed"
        else:  # back to the same technician, with a new appointment and work order
            repair.state, repair.reworks, repair.completed_at = "waiting", repair.reworks + 1, None
            repair.answered_at = None  # the dispatch clock runs again
            repair.dispatch_due = deadlines.after_minutes(now, settings.office.repair_dispatch_minutes)
            _event(user, repair, "rework", note.strip())
        repair.save()
        audit.record(user, "repair.visit", "repair", repair.id, repair.number_text,
                     {"ok": ok, "how": how, "note": note.strip()})
    return repair


def cancel(user, repair_id: int, reason: str) -> Repair:
    users.require(user, "service.desk")
    if not reason.strip():
        raise ValidationError({"reason": (QT_TRANSLATE_NOOP("Office", "Say why the repair is cancelled"), {})})
    with atomic():
        repair = _get(repair_id)
        _require_state(repair, "waiting", "dispatched")
        repair.state = "cancelled"
        repair.save()
        _event(user, repair, "cancelled", reason.strip())
        audit.record(user, "repair.cancel", "repair", repair.id, repair.number_text, {"reason": reason.strip()})
    return repair


# --- lists and figures --------------------------------------------------------------------------

def open_repairs(user) -> list[Repair]:
    """Every repair not closed or cancelled, oldest first."""
    users.require(user, "service.desk")
    return list(Repair.select(Repair, Technician).join(Technician, pw.JOIN.LEFT_OUTER)
                .switch(Repair).where(Repair.state.in_(("waiting", "dispatched", "done")))
                .order_by(Repair.reported_at, Repair.id))


def history(user, *, house_id: int | None = None, after: Repair | None = None, limit: int = 200) -> list[Repair]:
    """Every repair order, closed and cancelled ones too (a house's, or the estate's), the
    newest first, a page at a time by key: the orders reported before `after`."""
    users.require(user, "service.desk")
    q = (Repair.select(Repair, Technician, House).join(Technician, pw.JOIN.LEFT_OUTER).switch(Repair)
         .join(House, pw.JOIN.LEFT_OUTER).switch(Repair))
    if house_id is not None:
        q = q.where(Repair.house == house_id)
    if after is not None:
        q = q.where((Repair.reported_at < after.reported_at)
                    | ((Repair.reported_at == after.reported_at) & (Repair.id < after.id)))
    return list(q.order_by(Repair.reported_at.desc(), Repair.id.desc()).limit(limit))


def next_deadline(repair: Repair) -> tuple[str, datetime.datetime] | None:
    """What the order waits for next, and by when: the dispatch answer (while nobody has
    answered), the time promised, the return visit; None when nothing is due."""
    if repair.state == "waiting" and repair.answered_at is None:
        return "dispatch", repair.dispatch_due
    if repair.state == "dispatched" and repair.appointment_at:
        return "appointment", repair.appointment_at
    if repair.state == "done" and repair.visit_due:
        return "visit", repair.visit_due
    return None


def on_time(repair: Repair) -> bool | None:
    """Completed by the appointment promised (judged on its first completion); None while
    not completed."""
    if repair.first_completed_at is None or repair.first_appointment_at is None:
        return None
    return repair.first_completed_at <= repair.first_appointment_at


@dataclass
class Figures:
    repairs: int = 0  # completed in the month
    on_time: int = 0
    repeats: int = 0  # reopened as rework in the month
    visits_due: int = 0  # return visits that fell due in the month
    visits_done: int = 0  # of those, made (by their due time or after)

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.repairs if self.repairs else None

    @property
    def visit_rate(self) -> float | None:
        return self.visits_done / self.visits_due if self.visits_due else None


def month_figures(user, month: str) -> dict[tuple[str, str], Figures]:
    """The month's figures (2026-11) in all ('', ''), per technician (name, '') and per
    category ('', category): on time (target ≥ 95 %), repeat repairs (target 0), return
    visits done (target 100 %)."""
    users.require(user, "service.desk")
    try:
        year, mon = (int(x) for x in month.split("-"))
        start = datetime.datetime(year, mon, 1)
    except ValueError:
        raise ValidationError({"month": (QT_TRANSLATE_NOOP("Office", "Write the month as 2026-11"), {})}) from None
    end = datetime.datetime(year + mon // 12, mon % 12 + 1, 1)
    out: dict[tuple[str, str], Figures] = {}

    def add(keys, field):
        for key in keys:
            f = out.setdefault(key, Figures())
            setattr(f, field, getattr(f, field) + 1)

    rows = (Repair.select(Repair.first_completed_at, Repair.first_appointment_at, Repair.category, Technician.name)
            .join(Technician, pw.JOIN.LEFT_OUTER)
            .where(Repair.first_completed_at >= start, Repair.first_completed_at < end).tuples())
    for done, promised, category, tech in rows:
        keys = [("", ""), (tech or "", ""), ("", category)]
        add(keys, "repairs")
        if promised is not None and done <= promised:
            add(keys, "on_time")
    reworks = (RepairEvent.select(Repair.category, Technician.name).join(Repair)
               .join(Technician, pw.JOIN.LEFT_OUTER)
               .where(RepairEvent.kind == "rework", RepairEvent.at >= start, RepairEvent.at < end).tuples())
    for category, tech in reworks:
        add([("", ""), (tech or "", ""), ("", category)], "repeats")
    due = (RepairVisit.select(RepairVisit.done_at, Repair.category, Technician.name).join(Repair)
           .join(Technician, pw.JOIN.LEFT_OUTER)
           .where(RepairVisit.due_at >= start, RepairVisit.due_at < end).tuples())
    for done, category, tech in due:
        keys = [("", ""), (tech or "", ""), ("", category)]
        add(keys, "visits_due")
        if done is not None:
            add(keys, "visits_done")
    return out
