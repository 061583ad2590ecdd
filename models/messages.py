"""Phone and desk messages (留言/转告): who called, for whom, about what, the number to call
back and by when (the seeds' 5W1H: "需要留言吗？我一定转告！"). An open message stays on
今日 until it is marked done; it can become a repair or a complaint in one step, keeping
its words."""
from __future__ import annotations

import datetime

import peewee as pw

from models import audit, clock, house_phone, numbering, settings, users, validation
from models.complaints import Complaint
from models.db import BaseModel, atomic
from models.errors import NotFound, OfficeError, QT_TRANSLATE_NOOP, ValidationError
from models.estate import House
from models.repairs import Repair
from models.users import User

HOW = {
    "phone": QT_TRANSLATE_NOOP("Office", "By phone"),
    "desk": QT_TRANSLATE_NOOP("Office", "At the desk"),
}


class Message(BaseModel):
    year = pw.IntegerField()
    number = pw.IntegerField()
    taken_at = pw.DateTimeField(index=True)
    taken_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    how = pw.CharField(max_length=8, default="phone")
    caller = pw.CharField(max_length=64)
    phone = pw.CharField(max_length=32, default="")
    house = pw.ForeignKeyField(House, null=True, on_delete="RESTRICT", index=True)
    for_whom = pw.CharField(max_length=64)
    about = pw.CharField(max_length=300)
    reply_by = pw.DateTimeField(null=True)
    done_at = pw.DateTimeField(null=True, index=True)
    done_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    outcome = pw.CharField(max_length=200, default="")
    repair = pw.ForeignKeyField(Repair, null=True, on_delete="SET NULL", backref="+")
    complaint = pw.ForeignKeyField(Complaint, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        table_name = "desk_message"
        indexes = ((("year", "number"), True),)

    @property
    def number_text(self) -> str:
        return f"LY{self.year}-{self.number:04d}"

    @property
    def phone_masked(self) -> str:
        return validation.mask_phone(self.phone)

    @property
    def due(self) -> datetime.datetime:
        """When it is to be answered: the time asked, else the office's hours after it was taken."""
        return self.reply_by or self.taken_at + datetime.timedelta(hours=settings.office.message_reply_hours)


def take(user, *, caller: str, for_whom: str, about: str, phone: str = "", house_id: int | None = None,
         how: str = "phone", reply_by: datetime.datetime | None = None) -> Message:
    """Write a message down for a colleague. A call-back asked for needs the number."""
    users.require(user, "desk.parcels")
    now = clock.now()
    phone = validation.normalize_phone(house_phone.full_phone(house_id, phone))
    errors: dict = {}
    fields = dict(caller=validation.check_text(errors, "caller", caller, 64, QT_TRANSLATE_NOOP(
                      "Office", "Write who called or came")),
                  for_whom=validation.check_text(errors, "for_whom", for_whom, 64, QT_TRANSLATE_NOOP(
                      "Office", "Write whom the message is for")),
                  about=validation.check_text(errors, "about", about, 300, QT_TRANSLATE_NOOP(
                      "Office", "Write what it is about")))
    if how not in HOW:
        errors["how"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    if house_id is not None and House.get_or_none(House.id == house_id) is None:
        errors["house"] = (QT_TRANSLATE_NOOP("Office", "No such house"), {})
    if validation.phone_error(phone):
        errors["phone"] = (validation.phone_error(phone), {})
    if reply_by is not None:
        if not isinstance(reply_by, datetime.datetime):
            errors["reply_by"] = (QT_TRANSLATE_NOOP("Office", "Enter a date and time"), {})
        elif reply_by <= now:
            errors["reply_by"] = (QT_TRANSLATE_NOOP("Office", "That time has passed already"), {})
        elif not phone and "phone" not in errors:
            errors["phone"] = (QT_TRANSLATE_NOOP("Office", "Write the number to call back"), {})
    if errors:
        raise ValidationError(errors)
    with atomic():
        m = Message.create(year=now.year, number=numbering.take(f"message-{now.year}"), taken_at=now,
                           taken_by=user.id, how=how, phone=phone, house=house_id, reply_by=reply_by, **fields)
        audit.record(user, "message.take", "desk_message", m.id, f"{m.number_text} → {m.for_whom}",
                     {"house": house_id, "reply_by": reply_by.isoformat(timespec="minutes") if reply_by else None})
    return m


def _get(message_id: int) -> Message:
    m = (Message.select(Message, House).join(House, pw.JOIN.LEFT_OUTER).where(Message.id == message_id).first())
    if m is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This message is no longer in the register"))
    return m


def get(user, message_id: int) -> Message:
    users.require(user, "desk.parcels")
    return _get(message_id)


def _open(m: Message) -> None:
    if m.done_at is not None:
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "This message was done already, on {at}"),
                          at=m.done_at.strftime("%Y-%m-%d %H:%M"))


def done(user, message_id: int, outcome: str = "") -> Message:
    """Mark it done: passed on, called back; what came of it, in a few words."""
    users.require(user, "desk.parcels")
    errors: dict = {}
    outcome = validation.check_text(errors, "outcome", outcome, 200, QT_TRANSLATE_NOOP(
        "Office", "Write what came of it: passed on, called back…"))
    if errors:
        raise ValidationError(errors)
    with atomic():
        m = _get(message_id)
        _open(m)
        m.done_at, m.done_by, m.outcome = clock.now(), user.id, outcome
        m.save()
        audit.record(user, "message.done", "desk_message", m.id, f"{m.number_text} {outcome[:40]}")
    return m


def to_repair(user, message_id: int, *, category: str, place: str = "", urgency: str = "normal") -> Repair:
    """The message becomes a repair order in one step, its words the repair's; the message is done."""
    from models import repairs

    users.require(user, "desk.parcels")
    users.require(user, "service.desk")
    with atomic():
        m = _get(message_id)
        _open(m)
        repair = repairs.report(user, reporter=m.caller, what=m.about, category=category, house_id=m.house_id,
                                phone=m.phone, place=place, urgency=urgency,
                                channel="phone" if m.how == "phone" else "visit")
        m.done_at, m.done_by, m.repair = clock.now(), user.id, repair.id
        m.outcome = f"转为报修 {repair.number_text}"
        m.save()
        audit.record(user, "message.to_repair", "desk_message", m.id, f"{m.number_text} → {repair.number_text}")
    return repair


def to_complaint(user, message_id: int, *, kind: str = "complaint") -> Complaint:
    """The message becomes a complaint (or an enquiry, a suggestion) in one step, keeping its words."""
    from models import complaints

    users.require(user, "desk.parcels")
    users.require(user, "service.desk")
    with atomic():
        m = _get(message_id)
        _open(m)
        c = complaints.record(user, name=m.caller, what=m.about, kind=kind, house_id=m.house_id, phone=m.phone,
                              channel="phone" if m.how == "phone" else "visit")
        m.done_at, m.done_by, m.complaint = clock.now(), user.id, c.id
        m.outcome = f"转为投诉 {c.number_text}"
        m.save()
        audit.record(user, "message.to_complaint", "desk_message", m.id, f"{m.number_text} → {c.number_text}")
    return c


def open_messages(user) -> list[Message]:
    """Messages not yet done, the soonest due first."""
    users.require(user, "desk.parcels")
    rows = list(Message.select(Message, House).join(House, pw.JOIN.LEFT_OUTER).where(Message.done_at.is_null()))
    rows.sort(key=lambda m: (m.due, m.id))
    return rows


def search(user, text: str = "", *, include_done: bool = True, limit: int = 200) -> list[Message]:
    """The register, newest first: every message, or those whose caller, recipient, words,
    house or number match, or the phone's last digits."""
    users.require(user, "desk.parcels")
    q = Message.select(Message, House).join(House, pw.JOIN.LEFT_OUTER)
    if not include_done:
        q = q.where(Message.done_at.is_null())
    text = (text or "").strip()
    if text:
        q = q.where(_matching(text))
    return list(q.order_by(Message.taken_at.desc(), Message.id.desc()).limit(limit))


def _matching(text: str):
    import re

    m = re.fullmatch(r"(?i)LY(\d{4})-0*(\d+)", text)
    if m:
        return (Message.year == int(m.group(1))) & (Message.number == int(m.group(2)))
    like = f"%{text}%"
    cond = (Message.caller ** like) | (Message.for_whom ** like) | (Message.about ** like) | (House.label == text)
    if text.isdigit() and len(text) >= 4:
        cond |= Message.phone.endswith(text)
    return cond

