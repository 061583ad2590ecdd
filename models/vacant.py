"""Vacant houses (空置房) and their weekly inspection (seed 003: 每周一次; DOMAIN.md: every 7
days, an office setting, counted from the last inspection). A house is due while its state
is vacant: at once when it was never inspected, else the interval after its last
inspection; a house whose state changes stops being due. Each inspection keeps its four
checks (doors and windows, water and power, no leaks, no smells), what was found, a photo
when there is one, and the repair order a finding raised in the same step.

What is due reaches 今日 and the service desk's due list through models.due_now."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from models import audit, clock, deadlines, documents, repairs, settings, users
from models.db import BaseModel, atomic
from models.errors import NotFound, QT_TRANSLATE_NOOP, ValidationError
from models.estate import House
from models.users import User

CHECKS = {
    "doors_ok": QT_TRANSLATE_NOOP("Office", "Doors and windows shut and whole"),
    "water_power_ok": QT_TRANSLATE_NOOP("Office", "Water and power as they should be"),
    "no_leaks": QT_TRANSLATE_NOOP("Office", "No leaks or damp"),
    "no_smells": QT_TRANSLATE_NOOP("Office", "No smell"),
}


class VacantInspection(BaseModel):
    house = pw.ForeignKeyField(House, on_delete="RESTRICT", index=True)
    inspected_at = pw.DateTimeField(index=True)
    inspected_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    doors_ok = pw.BooleanField()
    water_power_ok = pw.BooleanField()
    no_leaks = pw.BooleanField()
    no_smells = pw.BooleanField()
    findings = pw.TextField(default="")
    photo_hash = pw.CharField(max_length=64, default="")
    photo_name = pw.CharField(max_length=128, default="")
    repair = pw.ForeignKeyField(repairs.Repair, null=True, on_delete="SET NULL")

    class Meta:
        table_name = "vacant_inspection"

    @property
    def all_fine(self) -> bool:
        return all(getattr(self, name) for name in CHECKS)


@dataclass(frozen=True)
class VacantHouse:
    """A vacant house as the inspection list shows it."""
    house_id: int
    label: str
    owner_names: str
    last: datetime.datetime | None  # the last inspection, None: never inspected
    due: datetime.datetime  # when the next is due
    missed: int  # whole intervals gone by since the next was due: weeks without an inspection
    sort_code: str = ""  # the estate's order (1-2-301 before 10-1-1102)


def interval() -> datetime.timedelta:
    return datetime.timedelta(days=settings.office.vacant_inspection_days)


def due_after(last: datetime.datetime | None, today: datetime.date) -> datetime.datetime:
    """The next inspection's due time: the interval after the last, or the start of `today`
    for a house never inspected."""
    if last is None:
        return datetime.datetime.combine(today, datetime.time())
    return last + interval()


def missed_intervals(due: datetime.datetime, at: datetime.datetime) -> int:
    """How many whole intervals have passed since `due` without an inspection (0 while the
    first is still running): a week missed shows."""
    if at < due:
        return 0
    return (at - due) // interval()


def houses(user, at: datetime.datetime | None = None) -> list[VacantHouse]:
    """Every house marked vacant with its last inspection and the next one's due time: those
    never inspected first (when they became vacant is not known: due today), then the most
    overdue."""
    users.require(user, "service.desk")
    at = at or clock.now()
    last = (VacantInspection.select(VacantInspection.house, pw.fn.MAX(VacantInspection.inspected_at).alias("last"))
            .group_by(VacantInspection.house).alias("last"))
    rows = (House.select(House.id, House.label, House.owner_names, House.sort_code, last.c.last)
            .join(last, pw.JOIN.LEFT_OUTER, on=(last.c.house_id == House.id))
            .where(House.state == "vacant").order_by(House.sort_code, House.id).tuples())
    out = []
    for house_id, label, owners, _sort, when in rows:
        when = _as_datetime(when)
        due = due_after(when, at.date())
        out.append(VacantHouse(house_id, label, owners, when, due, missed_intervals(due, at), _sort))
    out.sort(key=lambda v: (v.last is not None, v.due, v.sort_code))
    return out


def due(user, at: datetime.datetime | None = None, horizon: datetime.datetime | None = None) -> list[VacantHouse]:
    """The vacant houses whose inspection falls due by `horizon` (default: the end of today)."""
    users.require(user, "service.desk")
    at = at or clock.now()
    horizon = horizon or deadlines.same_day(at)
    return [v for v in houses(user, at) if v.due <= horizon]


def _as_datetime(value) -> datetime.datetime | None:
    if value is None or isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.fromisoformat(str(value))  # SQLite hands MAX() back as text


def record(user, house_id: int, *, doors_ok: bool, water_power_ok: bool, no_leaks: bool, no_smells: bool,
           findings: str = "", raise_repair: bool = False, photo: str | Path | None = None) -> VacantInspection:
    """An inspection of a vacant house, now. A check not passed needs what was found;
    `raise_repair` passes the finding on as a repair order (reported by the inspection) in
    the same transaction. Every refusal by its field, nothing written."""
    users.require(user, "service.desk")
    house = House.get_or_none(House.id == house_id)
    if house is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This house no longer exists"))
    checks = {"doors_ok": doors_ok, "water_power_ok": water_power_ok, "no_leaks": no_leaks, "no_smells": no_smells}
    errors: dict = {}
    for name, value in checks.items():
        if not isinstance(value, bool):
            errors[name] = (QT_TRANSLATE_NOOP("Office", "Tick it or leave it unticked"), {})
    if house.state != "vacant":
        errors["house"] = (QT_TRANSLATE_NOOP(
            "Office", "{house} is not marked vacant: change its state in the archive first"), {"house": house.label})
    findings = str(findings).strip()
    if any(v is False for v in checks.values()) and not findings:
        errors["findings"] = (QT_TRANSLATE_NOOP("Office", "A check not passed: say what you found"), {})
    if raise_repair and not findings:
        errors["findings"] = (QT_TRANSLATE_NOOP("Office", "Say what the repair is for"), {})
    if len(findings) > 1000:
        errors["findings"] = (QT_TRANSLATE_NOOP("Office", "At most {n} characters"), {"n": 1000})
    if errors:
        raise ValidationError(errors)
    photo_hash = photo_name = ""
    if photo is not None:
        photo_hash, photo_name = documents.store_scan(photo, "photo")
    with atomic():
        repair = None
        if raise_repair:
            repair = repairs.report(user, reporter="空置房巡查", what=findings[:200], category=repairs.category_of(findings) or "other",
                                    house_id=house.id, place="空置房", channel="patrol")
        inspection = VacantInspection.create(house=house, inspected_at=clock.now(), inspected_by=user.id,
                                             findings=findings, photo_hash=photo_hash, photo_name=photo_name,
                                             repair=repair, **checks)
        audit.record(user, "vacant.inspect", "house", house.id, house.label,
                     {"fine": inspection.all_fine, "repair": repair.number_text if repair else ""})
    return inspection


def history(user, house_id: int, limit: int = 100) -> list[VacantInspection]:
    """A house's inspections, newest first."""
    users.require(user, "service.desk")
    return list(VacantInspection.select().where(VacantInspection.house == house_id)
                .order_by(VacantInspection.inspected_at.desc(), VacantInspection.id.desc()).limit(limit))


def photo_path(inspection: VacantInspection) -> Path | None:
    return documents.scan_path(inspection.photo_hash, inspection.photo_name) if inspection.photo_hash else None
