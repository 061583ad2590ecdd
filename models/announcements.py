"""Announcements (停水/停电/施工通知, 公告): the clerk fills the form, the office keeps every
one in a history, and the notice prints with the office's own wording (office settings)."""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import peewee as pw

from models import audit, clock, settings, users, validation
from models.db import BaseModel, atomic
from models.errors import NotFound, QT_TRANSLATE_NOOP, ValidationError
from models.users import User

KINDS = {
    "water": QT_TRANSLATE_NOOP("Office", "Water cut"),  # 停水通知
    "power": QT_TRANSLATE_NOOP("Office", "Power cut"),  # 停电通知
    "construction": QT_TRANSLATE_NOOP("Office", "Construction"),  # 施工通知
    "general": QT_TRANSLATE_NOOP("Office", "General announcement"),  # 公告
}
TITLES = {"water": "停水通知", "power": "停电通知", "construction": "施工通知", "general": "公  告"}
NEEDS_TIMES = {"water", "power", "construction"}


class Announcement(BaseModel):
    kind = pw.CharField(max_length=16)
    title = pw.CharField(max_length=64)
    reason = pw.TextField(default="")
    buildings = pw.CharField(max_length=256, default="")
    starts = pw.DateTimeField(null=True)
    ends = pw.DateTimeField(null=True)
    what_to_do = pw.TextField(default="")
    phone = pw.CharField(max_length=64, default="")
    created_at = pw.DateTimeField(index=True)
    created_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")

    class Meta:
        table_name = "announcement"


def create(user, *, how: str = "print", **facts) -> Announcement:
    """Record an announcement as issued (it then prints again from the history)."""
    return record(user, draft(user, **facts), how)


def draft(user, *, kind: str, reason: str, buildings: str = "", starts: datetime.datetime | None = None,
          ends: datetime.datetime | None = None, what_to_do: str = "", phone: str = "",
          title: str = "") -> Announcement:
    """An announcement checked and ready to preview, not recorded: it is issued, and kept
    in the history, only once printed or saved as PDF (`record`); a preview closed
    unprinted leaves nothing behind."""
    users.require(user, "notice.edit")
    errors: dict = {}
    if kind not in KINDS:
        errors["kind"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    reason, buildings, what_to_do = reason.strip(), buildings.strip(), what_to_do.strip()
    if not reason:
        errors["reason"] = (QT_TRANSLATE_NOOP("Office", "Say why (the reason is printed on the notice)"), {})
    if kind in NEEDS_TIMES:
        if starts is None or ends is None:
            errors["starts"] = (QT_TRANSLATE_NOOP("Office", "Give the start and the end"), {})
        elif ends <= starts:
            errors["ends"] = (QT_TRANSLATE_NOOP("Office", "The end must be after the start"), {})
        if not buildings:
            errors["buildings"] = (QT_TRANSLATE_NOOP("Office", "Say which buildings are affected"), {})
    phone = phone.strip()
    if phone and validation.phone_error(phone):
        errors["phone"] = (validation.phone_error(phone), {})
    title = (title.strip() or TITLES.get(kind, ""))
    fields = dict(kind=kind, title=title, buildings=buildings, phone=phone)
    validation.check_lengths(Announcement, fields, errors)
    if errors:
        raise ValidationError(errors)
    return Announcement(reason=reason, starts=starts, ends=ends, what_to_do=what_to_do, created_at=clock.now(),
                        created_by=user.id, **fields)


ISSUED = ("print", "pdf")  # printed for the boards, or saved as PDF to post or send on


def record(user, a: Announcement, how: str = "print") -> Announcement:
    """Record a drafted announcement as issued, once: printed, or saved as PDF (a PDF
    goes on the owners' group chat or to another PC's printer, so it counts as issued)."""
    users.require(user, "notice.edit")
    if how not in ISSUED:
        raise ValueError(how)
    if a.id is not None:
        return a  # printed again in the same preview: issued once
    with atomic():
        a.save()  # dated as drafted: the date printed on the notice
        audit.record(user, "notice.create", "announcement", a.id, f"{a.title} {a.buildings}".strip(), {"how": how})
    return a


def history(user, limit: int = 200) -> list[Announcement]:
    users.require(user, "archive.view")
    return list(Announcement.select().order_by(Announcement.created_at.desc(), Announcement.id.desc())
                .limit(limit))


def get(user, announcement_id: int) -> Announcement:
    users.require(user, "archive.view")
    a = Announcement.get_or_none(Announcement.id == announcement_id)
    if a is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This announcement no longer exists"))
    return a


@dataclass(frozen=True)
class NoticeText:
    """The words of a notice, ready for paper."""
    title: str
    greeting: str
    body: str
    closing: str
    signature: str
    date: datetime.date


WEEKDAYS = "一二三四五六日"
_BUILDING_NUMBERS = re.compile(r"\d+(\s*[-–—~～至到]\s*\d+)?(\s*[、,，和及/]\s*\d+(\s*[-–—~～至到]\s*\d+)?)*")
_SENTENCE_END = "。！？!?…；;."


def _day(moment: datetime.datetime) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日（星期{WEEKDAYS[moment.weekday()]}）"


def _when(moment: datetime.datetime | None, since: datetime.datetime | None = None) -> str:
    """2026年12月5日（星期六）9:00; an end on the start's day is its time alone (至15:00)."""
    if moment is None:
        return ""
    time = f"{moment.hour}:{moment.minute:02d}"
    if since is not None and since.date() == moment.date():
        return time
    return _day(moment) + time


def buildings_text(buildings: str) -> str:
    """Buildings typed as numbers only ("1-6", "3、4") read as buildings on paper: 1-6栋,
    3、4栋 (a bare "1-6" reads like a house number); anything else stays as typed."""
    text = buildings.strip()
    return text + "栋" if _BUILDING_NUMBERS.fullmatch(text) else text


def _sentence(text: str) -> str:
    text = text.strip()
    return text + "。" if text and text[-1] not in _SENTENCE_END else text


def _without_own_advice(template: str) -> str:
    """The template less its own advice to residents — the sentences after the one giving
    the facts, up to {what_to_do} — for when the clerk wrote what residents should do."""
    before, found, after = template.partition("{what_to_do}")
    if not found:
        return template
    facts = max(before.rfind("{" + k + "}") for k in ("reason", "buildings", "start", "end"))
    stop = before.find("。", facts) if facts >= 0 else -1
    return template if stop < 0 else before[:stop + 1] + found + after


def wording(a: Announcement, office_name: str) -> NoticeText:
    """Fill the office's wording (settings notice_*) with the announcement's facts. What
    the clerk says residents should do takes the place of the wording's own advice, and
    ends as a sentence."""
    values = settings.all_values()
    what_to_do = _sentence(a.what_to_do or "")
    facts = {"reason": a.reason, "buildings": buildings_text(a.buildings), "start": _when(a.starts),
             "end": _when(a.ends, a.starts), "what_to_do": what_to_do, "phone": a.phone}
    template = values[f"notice_{a.kind}"]
    if what_to_do:
        template = _without_own_advice(template)
    body = template.format(**facts)
    closing = values["notice_closing"].format(**facts) if a.phone else ""
    return NoticeText(a.title, values["notice_greeting"], body, closing, office_name, a.created_at.date())
