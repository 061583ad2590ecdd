"""Incidents (突发事件, seed 002): a fire alarm, a flood, someone trapped in a lift, a power
cut, a theft, an injury. When and where it happened, who reported it; each step timed as
it is taken (who was called and when, who was told up the line, who arrived, what was
done, when it was over); the closing summary; the report printed for the head office.
Open incidents stay on 今日 until closed."""
from __future__ import annotations

import datetime
import re

import peewee as pw

from models import audit, clock, numbering, users, validation
from models.db import BaseModel, atomic
from models.errors import NotFound, OfficeError, QT_TRANSLATE_NOOP, ValidationError
from models.estate import House
from models.users import User

KINDS = {
    "fire_alarm": QT_TRANSLATE_NOOP("Office", "Fire alarm"),
    "flood": QT_TRANSLATE_NOOP("Office", "Flood or burst pipe"),
    "lift": QT_TRANSLATE_NOOP("Office", "Someone trapped in a lift"),
    "power": QT_TRANSLATE_NOOP("Office", "Power cut"),
    "theft": QT_TRANSLATE_NOOP("Office", "Theft"),
    "injury": QT_TRANSLATE_NOOP("Office", "Injury or illness"),
    "other": QT_TRANSLATE_NOOP("Office", "Other emergency"),
}
STEPS = {
    "called": QT_TRANSLATE_NOOP("Office", "Called"),  # the lift company, 119, the plumber
    "reported": QT_TRANSLATE_NOOP("Office", "Reported up to"),  # the manager, the head office
    "arrived": QT_TRANSLATE_NOOP("Office", "Arrived"),
    "action": QT_TRANSLATE_NOOP("Office", "Done"),
    "resolved": QT_TRANSLATE_NOOP("Office", "Over"),  # the resident out, the water off
}


class Incident(BaseModel):
    year = pw.IntegerField()
    number = pw.IntegerField()
    kind = pw.CharField(max_length=16)
    happened_at = pw.DateTimeField(index=True)
    place = pw.CharField(max_length=64)
    house = pw.ForeignKeyField(House, null=True, on_delete="RESTRICT", index=True)
    what = pw.CharField(max_length=300)
    reported_by = pw.CharField(max_length=64, default="")
    opened_at = pw.DateTimeField()
    opened_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    closed_at = pw.DateTimeField(null=True, index=True)
    closed_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    summary = pw.TextField(default="")

    class Meta:
        table_name = "incident"
        indexes = ((("year", "number"), True),)

    @property
    def number_text(self) -> str:
        return f"SJ{self.year}-{self.number:04d}"


class IncidentStep(BaseModel):
    incident = pw.ForeignKeyField(Incident, backref="steps", on_delete="CASCADE", index=True)
    kind = pw.CharField(max_length=16)
    at = pw.DateTimeField()
    who = pw.CharField(max_length=64, default="")
    note = pw.CharField(max_length=200, default="")
    recorded_at = pw.DateTimeField()
    recorded_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        table_name = "incident_step"


def _moment(errors: dict, key: str, value, earliest: datetime.datetime | None, now: datetime.datetime):
    if not isinstance(value, datetime.datetime):
        errors[key] = (QT_TRANSLATE_NOOP("Office", "Enter a date and time"), {})
        return None
    value = value.replace(second=0, microsecond=0) if value.second or value.microsecond else value
    if value > now:
        errors[key] = (QT_TRANSLATE_NOOP("Office", "Not later than now"), {})
    elif earliest is not None and value < earliest:
        errors[key] = (QT_TRANSLATE_NOOP("Office", "Not before it happened ({at})"),
                       {"at": earliest.strftime("%Y-%m-%d %H:%M")})
    return value


def open_incident(user, *, kind: str, happened_at: datetime.datetime, place: str, what: str,
                  reported_by: str = "", house_id: int | None = None) -> Incident:
    users.require(user, "service.desk")
    now = clock.now()
    errors: dict = {}
    if kind not in KINDS:
        errors["kind"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    happened_at = _moment(errors, "happened_at", happened_at, now - datetime.timedelta(days=7), now)
    place = validation.check_text(errors, "place", place, 64, QT_TRANSLATE_NOOP("Office", "Write where it happened"))
    what = validation.check_text(errors, "what", what, 300, QT_TRANSLATE_NOOP("Office", "Write what happened"))
    reported_by = validation.check_text(errors, "reported_by", reported_by, 64)
    if house_id is not None and House.get_or_none(House.id == house_id) is None:
        errors["house"] = (QT_TRANSLATE_NOOP("Office", "No such house"), {})
    if errors:
        raise ValidationError(errors)
    with atomic():
        i = Incident.create(year=now.year, number=numbering.take(f"incident-{now.year}"), kind=kind,
                            happened_at=happened_at, place=place, house=house_id, what=what, reported_by=reported_by,
                            opened_at=now, opened_by=user.id)
        audit.record(user, "incident.open", "incident", i.id, f"{i.number_text} {place} {what[:40]}", {"kind": kind})
    return i


def _get(incident_id: int) -> Incident:
    i = Incident.get_or_none(Incident.id == incident_id)
    if i is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This incident is not in the log"))
    return i


def get(user, incident_id: int) -> Incident:
    users.require(user, "service.desk")
    return _get(incident_id)


def step(user, incident_id: int, *, kind: str, at: datetime.datetime, who: str = "", note: str = "") -> IncidentStep:
    """A step as it is taken, with its time: who was called or told, who arrived, what was done."""
    users.require(user, "service.desk")
    now = clock.now()
    errors: dict = {}
    i = _get(incident_id)
    if kind not in STEPS:
        errors["kind"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    at = _moment(errors, "at", at, i.happened_at, now)
    who = validation.check_text(errors, "who", who, 64)
    note = validation.check_text(errors, "note", note, 200)
    if kind in ("called", "reported", "arrived") and not who:
        errors["who"] = (QT_TRANSLATE_NOOP("Office", "Write who: the lift company, the manager, 119…"), {})
    if kind in ("action", "resolved") and not note:
        errors["note"] = (QT_TRANSLATE_NOOP("Office", "Write what was done"), {})
    if errors:
        raise ValidationError(errors)
    with atomic():
        i = _get(incident_id)
        if i.closed_at is not None:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "Incident {number} is closed"), number=i.number_text)
        s = IncidentStep.create(incident=i.id, kind=kind, at=at, who=who, note=note, recorded_at=now,
                                recorded_by=user.id)
        audit.record(user, "incident.step", "incident", i.id, f"{i.number_text} {kind} {at:%H:%M} {who}")
    return s


def steps(user, incident_id: int) -> list[IncidentStep]:
    users.require(user, "service.desk")
    return list(IncidentStep.select().where(IncidentStep.incident == incident_id)
                .order_by(IncidentStep.at, IncidentStep.id))


def close(user, incident_id: int, summary: str) -> Incident:
    """Closed with its summary (cause, what was done, what follows), once it is over."""
    users.require(user, "service.desk")
    errors: dict = {}
    summary = validation.check_text(errors, "summary", summary, 2000, QT_TRANSLATE_NOOP(
        "Office", "Write the closing summary: what happened, what was done, what follows"))
    if errors:
        raise ValidationError(errors)
    with atomic():
        i = _get(incident_id)
        if i.closed_at is not None:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "Incident {number} is closed"), number=i.number_text)
        kinds = {s.kind for s in IncidentStep.select(IncidentStep.kind).where(IncidentStep.incident == i.id)}
        if "resolved" not in kinds:
            raise OfficeError(QT_TRANSLATE_NOOP(
                "Office", "Record when it was over (a step “Over”) before closing the incident"))
        i.closed_at, i.closed_by, i.summary = clock.now(), user.id, summary
        i.save()
        audit.record(user, "incident.close", "incident", i.id, i.number_text)
    return i


def search(user, text: str = "", *, open_only: bool = False, limit: int = 200) -> list[Incident]:
    users.require(user, "service.desk")
    q = Incident.select(Incident, House).join(House, pw.JOIN.LEFT_OUTER)
    if open_only:
        q = q.where(Incident.closed_at.is_null())
    text = (text or "").strip()
    if text:
        m = re.fullmatch(r"(?i)SJ(\d{4})-0*(\d+)", text)
        if m:
            q = q.where(Incident.year == int(m.group(1)), Incident.number == int(m.group(2)))
        else:
            like = f"%{text}%"
            q = q.where((Incident.place ** like) | (Incident.what ** like) | (Incident.summary ** like))
    return list(q.order_by(Incident.happened_at.desc(), Incident.id.desc()).limit(limit))
