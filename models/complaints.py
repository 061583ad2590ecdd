"""Complaints (投诉), and the enquiries, suggestions and praise recorded beside them.

The clerk who receives a complaint owns it until it is closed (首问责任制): it can be
escalated (to the director, a department head) but never handed to someone else. Its
steps are logged with their time: received, recorded, classified, handled, followed up
(a delay told to the owner), escalated, closed (the result told to the owner), summarised.

Deadlines (DOMAIN.md; settings), from when it was recorded:
- every complaint's first answer within 24 h; a simple one, marked at intake, 2 h;
- major (重大): to the director the same day, a clear answer (明确答复) within 2 days, a
  deadline of its own beside the 24 h first answer, resolved within 10 days;
- important (重要): to the department head within 1 hour, done within 3 days;
- minor (一般): done within 2 days, or by the time the owner asked for.
A complaint outside the service contract is declined with the reason given."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

import peewee as pw

from models import audit, clock, deadlines, house_phone, numbering, settings, users, validation
from models.db import BaseModel, atomic
from models.errors import NotFound, OfficeError, QT_TRANSLATE_NOOP, ValidationError
from models.estate import House
from models.users import User

KINDS = {
    "complaint": QT_TRANSLATE_NOOP("Office", "Complaint"),  # 投诉
    "enquiry": QT_TRANSLATE_NOOP("Office", "Enquiry"),  # 咨询
    "suggestion": QT_TRANSLATE_NOOP("Office", "Suggestion"),  # 建议
    "praise": QT_TRANSLATE_NOOP("Office", "Praise"),  # 表扬
}
CHANNELS = {
    "phone": QT_TRANSLATE_NOOP("Office", "Phone"),
    "visit": QT_TRANSLATE_NOOP("Office", "Visit"),
    "letter": QT_TRANSLATE_NOOP("Office", "Letter"),
}
CLASSES = {
    "major": QT_TRANSLATE_NOOP("Office", "Major"),  # 重大
    "important": QT_TRANSLATE_NOOP("Office", "Important"),  # 重要
    "minor": QT_TRANSLATE_NOOP("Office", "Minor"),  # 一般
}
STEPS = {
    "received": QT_TRANSLATE_NOOP("Office", "Received"),
    "recorded": QT_TRANSLATE_NOOP("Office", "Recorded"),
    "classified": QT_TRANSLATE_NOOP("Office", "Classified"),
    "answered": QT_TRANSLATE_NOOP("Office", "First answer"),
    "clear_answer": QT_TRANSLATE_NOOP("Office", "Clear answer"),
    "escalated": QT_TRANSLATE_NOOP("Office", "Escalated"),
    "handled": QT_TRANSLATE_NOOP("Office", "Handled"),
    "followed_up": QT_TRANSLATE_NOOP("Office", "Followed up"),
    "closed": QT_TRANSLATE_NOOP("Office", "Closed"),
    "summarised": QT_TRANSLATE_NOOP("Office", "Summarised"),
}


class Complaint(BaseModel):
    year = pw.IntegerField()
    number = pw.IntegerField()
    kind = pw.CharField(max_length=16, default="complaint", index=True)
    channel = pw.CharField(max_length=8, default="phone")
    house = pw.ForeignKeyField(House, null=True, on_delete="RESTRICT", index=True)
    name = pw.CharField(max_length=64)
    phone = pw.CharField(max_length=32, default="")
    happened_at = pw.DateTimeField(null=True)
    place = pw.CharField(max_length=64, default="")
    about = pw.CharField(max_length=64, default="")  # the person or department complained of
    what = pw.CharField(max_length=512)
    asks = pw.CharField(max_length=256, default="")  # what the owner asks for
    asked_by = pw.DateTimeField(null=True)  # the time the owner asked for (a minor one's deadline)
    recorded_at = pw.DateTimeField(index=True)
    owner = pw.ForeignKeyField(User, on_delete="RESTRICT", backref="+")  # 首问责任人, for good
    simple = pw.BooleanField(default=False)
    klass = pw.CharField(max_length=16, default="")  # major / important / minor, once classified
    valid = pw.BooleanField(null=True)  # within the service contract; None until decided
    declined_reason = pw.CharField(max_length=256, default="")
    first_answer_at = pw.DateTimeField(null=True)
    escalated_at = pw.DateTimeField(null=True)
    escalated_to = pw.CharField(max_length=64, default="")
    closed_at = pw.DateTimeField(null=True, index=True)
    result = pw.CharField(max_length=512, default="")

    class Meta:
        table_name = "complaint"
        indexes = ((("year", "number"), True),)

    @property
    def number_text(self) -> str:
        return f"TS{self.year}-{self.number:04d}"


class ComplaintStep(BaseModel):
    complaint = pw.ForeignKeyField(Complaint, backref="steps", on_delete="CASCADE", index=True)
    at = pw.DateTimeField()
    user = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    kind = pw.CharField(max_length=16)
    note = pw.CharField(max_length=512, default="")

    class Meta:
        table_name = "complaint_step"


def _step(user, complaint: Complaint, kind: str, note: str = "") -> None:
    ComplaintStep.create(complaint=complaint.id, at=clock.now(), user=user.id, kind=kind, note=note[:512])


def _get(complaint_id: int) -> Complaint:
    found = Complaint.get_or_none(Complaint.id == complaint_id)
    if found is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This complaint no longer exists"))
    return found


def get(user, complaint_id: int) -> Complaint:
    """One complaint as it stands now."""
    users.require(user, "service.desk")
    return _get(complaint_id)


def _open(complaint_id: int) -> Complaint:
    c = _get(complaint_id)
    if c.closed_at is not None:
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "{number} is closed"), number=c.number_text)
    return c


def record(user, *, name: str, what: str, kind: str = "complaint", channel: str = "phone",
           house_id: int | None = None, phone: str = "", happened_at: datetime.datetime | None = None,
           place: str = "", about: str = "", asks: str = "", asked_by: datetime.datetime | None = None,
           simple: bool = False) -> Complaint:
    """Receive and record it; whoever records it owns it until it is closed. The owner's
    phone as the form showed it (masked) is kept in full."""
    users.require(user, "service.desk")
    phone = house_phone.full_phone(house_id, phone)
    errors: dict = {}
    fields = dict(name=name.strip(), what=what.strip(), place=place.strip(), about=about.strip(), asks=asks.strip(),
                  phone=validation.normalize_phone(phone))
    if kind not in KINDS:
        errors["kind"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    if channel not in CHANNELS:
        errors["channel"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    if house_id is not None and House.get_or_none(House.id == house_id) is None:
        errors["house"] = (QT_TRANSLATE_NOOP("Office", "No such house"), {})
    if not fields["name"]:
        errors["name"] = (QT_TRANSLATE_NOOP("Office", "Enter the owner's name"), {})
    if not fields["what"]:
        errors["what"] = (QT_TRANSLATE_NOOP("Office", "Write down what happened"), {})
    if validation.phone_error(phone):
        errors["phone"] = (validation.phone_error(phone), {})
    now = clock.now()
    if happened_at is not None and happened_at > now:
        errors["happened_at"] = (QT_TRANSLATE_NOOP("Office", "It cannot have happened in the future"), {})
    if asked_by is not None and asked_by <= now:
        errors["asked_by"] = (QT_TRANSLATE_NOOP("Office", "The time the owner asks for is still to come"), {})
    validation.check_lengths(Complaint, fields, errors)
    if errors:
        raise ValidationError(errors)
    with atomic():
        c = Complaint.create(year=now.year, number=numbering.take(f"complaint-{now.year}"), kind=kind,
                             channel=channel, house=house_id, happened_at=happened_at, asked_by=asked_by,
                             recorded_at=now, owner=user.id, simple=simple and kind == "complaint", **fields)
        _step(user, c, "received", CHANNELS[channel])
        _step(user, c, "recorded", fields["what"])
        audit.record(user, "complaint.record", "complaint", c.id, f"{c.number_text} {fields['what'][:40]}",
                     {"kind": kind, "channel": channel})
    return c


def classify(user, complaint_id: int, klass: str, *, valid: bool = True, reason: str = "") -> Complaint:
    """Its class (major / important / minor), and whether it is within the service
    contract; a declined one says why."""
    users.require(user, "service.desk")
    errors: dict = {}
    if klass not in CLASSES:
        errors["klass"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    if not valid and not reason.strip():
        errors["reason"] = (QT_TRANSLATE_NOOP(
            "Office", "Say why it is outside the service contract: the owner is told"), {})
    if errors:
        raise ValidationError(errors)
    with atomic():
        c = _open(complaint_id)
        c.klass, c.valid, c.declined_reason = klass, valid, "" if valid else reason.strip()[:256]
        c.save()
        _step(user, c, "classified", CLASSES[klass] + ("" if valid else f"; {reason.strip()}"))
        audit.record(user, "complaint.classify", "complaint", c.id, c.number_text, {"class": klass, "valid": valid})
    return c


def _log(user, complaint_id: int, kind: str, note: str, required_message: str) -> Complaint:
    users.require(user, "service.desk")
    if not note.strip():
        raise ValidationError({"note": (required_message, {})})
    with atomic():
        c = _open(complaint_id)
        if kind in ("answered", "clear_answer") and c.first_answer_at is None:
            c.first_answer_at = clock.now()
        c.save()
        _step(user, c, kind, note.strip())
        action, detail = f"complaint.{kind}", {"note": note.strip()[:80]}
        if kind == "clear_answer":
            action, detail["clear"] = "complaint.answered", True
        audit.record(user, action, "complaint", c.id, c.number_text, detail)
    return c


def answer(user, complaint_id: int, note: str, *, clear: bool = False) -> Complaint:
    """An answer to the owner (what they were told, when to expect more). `clear`: the
    clear answer (明确答复) a major complaint is owed within its days; it is a first answer
    too when none was given yet."""
    return _log(user, complaint_id, "clear_answer" if clear else "answered", note,
                QT_TRANSLATE_NOOP("Office", "Write what the owner was told"))


def next_answer(c: Complaint) -> str:
    """The answer the complaint waits for: 'first_answer', then for a major one 'answer'
    (the clear answer), else '' when none is owed."""
    if c.kind != "complaint" or c.closed_at is not None:
        return ""
    if c.first_answer_at is None:
        return "first_answer"
    return "answer" if c.klass == "major" and clear_answer_at(c) is None else ""


def clear_answer_at(c: Complaint) -> datetime.datetime | None:
    """When the owner was given the clear answer (明确答复); closing with the result is one."""
    if not hasattr(c, "_clear_answer"):  # read once for the row in hand (a list repaints often)
        step = (ComplaintStep.select(ComplaintStep.at)
                .where(ComplaintStep.complaint == c.id, ComplaintStep.kind == "clear_answer")
                .order_by(ComplaintStep.at).first())
        c._clear_answer = step.at if step else None
    times = [x for x in (c._clear_answer, c.closed_at) if x is not None]
    return min(times) if times else None


def handle(user, complaint_id: int, note: str) -> Complaint:
    return _log(user, complaint_id, "handled", note, QT_TRANSLATE_NOOP("Office", "Write what was done"))


def follow_up(user, complaint_id: int, note: str) -> Complaint:
    """A follow-up: a delay told to the owner."""
    return _log(user, complaint_id, "followed_up", note, QT_TRANSLATE_NOOP("Office", "Write what the owner was told"))


def escalate(user, complaint_id: int, to: str, note: str = "") -> Complaint:
    """Reported up (the director, a department head); the clerk who received it still owns it."""
    users.require(user, "service.desk")
    if not to.strip():
        raise ValidationError({"to": (QT_TRANSLATE_NOOP("Office", "Say to whom it was reported"), {})})
    with atomic():
        c = _open(complaint_id)
        if c.escalated_at is None:
            c.escalated_at = clock.now()
        c.escalated_to = to.strip()[:64]
        c.save()
        _step(user, c, "escalated", f"{to.strip()} {note.strip()}".strip())
        audit.record(user, "complaint.escalate", "complaint", c.id, c.number_text, {"to": to.strip()})
    return c


def close(user, complaint_id: int, result: str) -> Complaint:
    """Closed with its result, told to the owner; by the clerk who owns it, or a supervisor."""
    users.require(user, "service.desk")
    if not result.strip():
        raise ValidationError({"result": (QT_TRANSLATE_NOOP(
            "Office", "Write the result the owner was told"), {})})
    with atomic():
        c = _open(complaint_id)
        if c.owner_id != user.id and not users.holds(user, "service.manage"):
            raise OfficeError(QT_TRANSLATE_NOOP(
                "Office", "{number} is {owner}'s until it is closed: they close it, or a supervisor"),
                number=c.number_text, owner=c.owner.full_name)
        now = clock.now()
        c.closed_at, c.result = now, result.strip()[:512]
        if c.first_answer_at is None:
            c.first_answer_at = now
        c.save()
        _step(user, c, "closed", result.strip())
        audit.record(user, "complaint.close", "complaint", c.id, c.number_text, {"result": result.strip()[:80]})
    return c


def summarise(user, complaint_id: int, note: str) -> Complaint:
    """What the office learns from it, after it is closed."""
    users.require(user, "service.desk")
    if not note.strip():
        raise ValidationError({"note": (QT_TRANSLATE_NOOP("Office", "Write the summary"), {})})
    with atomic():
        c = _get(complaint_id)
        if c.closed_at is None:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "{number} is summarised once it is closed"),
                              number=c.number_text)
        _step(user, c, "summarised", note.strip())
    return c


# --- deadlines ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Deadline:
    what: str  # first_answer / escalate / answer / resolve
    due: datetime.datetime
    met_at: datetime.datetime | None


DEADLINE_NAMES = {
    "first_answer": QT_TRANSLATE_NOOP("Office", "First answer"),
    "escalate": QT_TRANSLATE_NOOP("Office", "Reported up"),
    "answer": QT_TRANSLATE_NOOP("Office", "Clear answer"),
    "resolve": QT_TRANSLATE_NOOP("Office", "Resolved"),
}


def deadlines_of(c: Complaint, calendar: deadlines.Calendar | None = None) -> list[Deadline]:
    """The complaint's deadlines by its class, each with when it was met (or None); a
    major one owes its first answer in 24 h and, beside it, a clear answer in its days."""
    if c.kind != "complaint":
        return []
    calendar = calendar or deadlines.Calendar.from_settings()
    at = c.recorded_at
    hours = settings.office.complaint_simple_answer_hours if c.simple else settings.office.complaint_first_answer_hours
    out = [Deadline("first_answer", deadlines.after_hours(at, hours), c.first_answer_at)]
    if c.klass == "major":
        out += [Deadline("escalate", deadlines.same_day(at), c.escalated_at),
                Deadline("answer", deadlines.after_days(at, settings.office.complaint_major_answer_days, calendar),
                         clear_answer_at(c)),
                Deadline("resolve", deadlines.after_days(at, settings.office.complaint_major_resolve_days, calendar),
                         c.closed_at)]
    elif c.klass == "important":
        out += [Deadline("escalate", deadlines.after_hours(at, settings.office.complaint_important_escalate_hours),
                         c.escalated_at),
                Deadline("resolve", deadlines.after_days(at, settings.office.complaint_important_done_days, calendar),
                         c.closed_at)]
    elif c.klass == "minor":
        out.append(Deadline("resolve", c.asked_by or deadlines.after_days(at, settings.office.complaint_minor_days,
                                                                          calendar), c.closed_at))
    return out


def pending(c: Complaint, calendar: deadlines.Calendar | None = None) -> list[Deadline]:
    """The complaint's deadlines not yet met."""
    return [d for d in deadlines_of(c, calendar) if d.met_at is None]


def open_complaints(user) -> list[Complaint]:
    users.require(user, "service.desk")
    return list(Complaint.select().where(Complaint.closed_at.is_null())
                .order_by(Complaint.recorded_at, Complaint.id))


def history(user, *, house_id: int | None = None, after: Complaint | None = None,
            limit: int = 200) -> list[Complaint]:
    """Every complaint, closed ones too (a house's, or the estate's), the newest first, a
    page at a time by key: those recorded before `after`."""
    users.require(user, "service.desk")
    q = Complaint.select(Complaint, House).join(House, pw.JOIN.LEFT_OUTER).switch(Complaint)
    if house_id is not None:
        q = q.where(Complaint.house == house_id)
    if after is not None:
        q = q.where((Complaint.recorded_at < after.recorded_at)
                    | ((Complaint.recorded_at == after.recorded_at) & (Complaint.id < after.id)))
    return list(q.order_by(Complaint.recorded_at.desc(), Complaint.id.desc()).limit(limit))


def day_review(user, day: datetime.date) -> list[Complaint]:
    """The day's review before it ends: everything recorded that day, and every complaint
    still open."""
    users.require(user, "service.desk")
    start = datetime.datetime.combine(day, datetime.time())
    end = start + datetime.timedelta(days=1)
    return list(Complaint.select().where(((Complaint.recorded_at >= start) & (Complaint.recorded_at < end))
                                         | (Complaint.closed_at.is_null() & (Complaint.recorded_at < end)))
                .order_by(Complaint.recorded_at, Complaint.id))


@dataclass
class Week:
    start: datetime.date
    by_kind: dict[str, int]  # what came in during the week
    by_class: dict[str, int]
    closed: int  # closed during the week, whenever received
    open: int  # still open at the week's end, whenever received
    declined: int
    late: int  # complaints past a deadline during the week (met late, or still not met)
    rows: list[Complaint]  # what came in, then what was carried over from before the week
    carried: int = 0  # of the rows, received before the week and still open at its start


def week_summary(user, start: datetime.date) -> Week:
    """The week from `start` (7 days) for the manager: what came in by kind and class,
    declined; and of everything on the books that week, whenever it was received: closed in
    the week, open at its end, and past a deadline in it."""
    users.require(user, "service.desk")
    begin = datetime.datetime.combine(start, datetime.time())
    end = begin + datetime.timedelta(days=7)
    rows = list(Complaint.select().where(Complaint.recorded_at < end,
                                         Complaint.closed_at.is_null() | (Complaint.closed_at >= begin))
                .order_by(Complaint.recorded_at, Complaint.id))
    received = [c for c in rows if c.recorded_at >= begin]
    carried = [c for c in rows if c.recorded_at < begin]
    by_kind = {k: 0 for k in KINDS}
    by_class = {k: 0 for k in CLASSES}
    for c in received:
        by_kind[c.kind] += 1
        if c.klass:
            by_class[c.klass] += 1
    calendar = deadlines.Calendar.from_settings()
    cutoff = min(end, clock.now())

    def late_in_week(d: Deadline) -> bool:  # overdue at some moment of the week
        return d.due < cutoff and (d.met_at is None or (d.met_at > d.due and d.met_at > begin))

    late = sum(1 for c in rows if any(late_in_week(d) for d in deadlines_of(c, calendar)))
    return Week(start, by_kind, by_class, sum(1 for c in rows if c.closed_at and c.closed_at < end),
                sum(1 for c in rows if not c.closed_at or c.closed_at >= end),
                sum(1 for c in received if c.valid is False), late, received + carried, len(carried))
