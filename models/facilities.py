"""The facility register (设施设备): pump rooms and pumps, lifts, fire hydrants and
extinguishers, main valves, street and stair lights, meters — how many, where, how many
are out of order, the contractor, the maintenance dates; faults recorded (each can become
a repair order naming the facility) and fixed; the intact rate (完好率: units in order of
all units) against the office's target, on 今日 when below it."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction

import peewee as pw

from models import audit, clock, settings, users, validation
from models.db import BaseModel, atomic
from models.errors import NotFound, QT_TRANSLATE_NOOP, ValidationError
from models.repairs import Repair
from models.users import User

KINDS = {
    "pump_room": QT_TRANSLATE_NOOP("Office", "Pump room"),
    "pump": QT_TRANSLATE_NOOP("Office", "Water pump"),
    "lift": QT_TRANSLATE_NOOP("Office", "Lift"),
    "hydrant": QT_TRANSLATE_NOOP("Office", "Fire hydrant"),
    "extinguisher": QT_TRANSLATE_NOOP("Office", "Fire extinguisher"),
    "valve": QT_TRANSLATE_NOOP("Office", "Main valve"),
    "street_light": QT_TRANSLATE_NOOP("Office", "Street light"),
    "stair_light": QT_TRANSLATE_NOOP("Office", "Stair light"),
    "meter": QT_TRANSLATE_NOOP("Office", "Meter"),
    "other": QT_TRANSLATE_NOOP("Office", "Other"),
}
# the repair category a fault of each kind goes to
REPAIR_CATEGORY = {"pump_room": "water", "pump": "water", "valve": "water", "lift": "other", "hydrant": "water",
                   "extinguisher": "other", "street_light": "electric", "stair_light": "electric", "meter": "electric",
                   "other": "other"}
MOST_UNITS = 10_000


class Facility(BaseModel):
    kind = pw.CharField(max_length=16, index=True)
    name = pw.CharField(max_length=64)
    place = pw.CharField(max_length=64)
    count = pw.IntegerField(default=1)
    faulty = pw.IntegerField(default=0)
    contractor = pw.CharField(max_length=64, default="")
    contractor_phone = pw.CharField(max_length=32, default="")
    every_days = pw.IntegerField(default=0)
    maintained_on = pw.DateField(null=True)
    expires_on = pw.DateField(null=True)
    note = pw.CharField(max_length=200, default="")
    active = pw.BooleanField(default=True)

    class Meta:
        table_name = "facility"

    @property
    def maintenance_due(self) -> datetime.date | None:
        if not self.every_days:
            return None
        if self.maintained_on is None:
            return clock.today()
        return self.maintained_on + datetime.timedelta(days=self.every_days)


class FacilityEvent(BaseModel):
    facility = pw.ForeignKeyField(Facility, backref="events", on_delete="CASCADE", index=True)
    kind = pw.CharField(max_length=16)
    count = pw.IntegerField(default=0)
    what = pw.CharField(max_length=200, default="")
    repair = pw.ForeignKeyField(Repair, null=True, on_delete="SET NULL", backref="+")
    at = pw.DateTimeField(index=True)
    by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        table_name = "facility_event"


EVENTS = {
    "fault": QT_TRANSLATE_NOOP("Office", "Out of order"),
    "fixed": QT_TRANSLATE_NOOP("Office", "Fixed"),
    "maintained": QT_TRANSLATE_NOOP("Office", "Maintained"),
}


def _clean(errors: dict, fields: dict) -> dict:
    clean = {}
    for key, most, required in (("name", 64, QT_TRANSLATE_NOOP("Office", "Name it: 2号楼1号电梯")),
                                ("place", 64, QT_TRANSLATE_NOOP("Office", "Write where it is")),
                                ("contractor", 64, ""), ("note", 200, "")):
        if key in fields:
            clean[key] = validation.check_text(errors, key, fields[key], most, required)
    if "kind" in fields:
        if fields["kind"] not in KINDS:
            errors["kind"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
        clean["kind"] = fields["kind"]
    if "count" in fields:
        clean["count"] = validation.check_int(errors, "count", fields["count"], 1, MOST_UNITS)
    if "every_days" in fields:
        clean["every_days"] = validation.check_int(errors, "every_days", fields["every_days"], 0, 3660)
    if "contractor_phone" in fields:
        clean["contractor_phone"] = validation.normalize_phone(fields["contractor_phone"])
        if validation.phone_error(clean["contractor_phone"]):
            errors["contractor_phone"] = (validation.phone_error(clean["contractor_phone"]), {})
    for key in ("maintained_on", "expires_on"):
        if key in fields:
            clean[key] = validation.check_date(errors, key, fields[key])
    if clean.get("maintained_on") and clean["maintained_on"] > clock.today():
        errors["maintained_on"] = (QT_TRANSLATE_NOOP("Office", "Not later than today"), {})
    return clean


def add(user, **fields) -> Facility:
    users.require(user, "service.manage")
    errors: dict = {}
    clean = _clean(errors, {"kind": "other", "count": 1, **fields})
    if errors:
        raise ValidationError(errors)
    with atomic():
        f = Facility.create(**clean)
        audit.record(user, "facility.add", "facility", f.id, f"{f.name} ×{f.count}", {"kind": f.kind})
    return f


def update(user, facility_id: int, **fields) -> Facility:
    users.require(user, "service.manage")
    errors: dict = {}
    clean = _clean(errors, fields)
    with atomic():
        f = _get(facility_id)
        if clean.get("count") is not None and clean["count"] < f.faulty:
            errors["count"] = (QT_TRANSLATE_NOOP("Office", "{n} of them are out of order: at least that many"),
                               {"n": f.faulty})
        if errors:
            raise ValidationError(errors)
        for k, v in clean.items():
            setattr(f, k, v)
        f.save()
        audit.record(user, "facility.update", "facility", f.id, f.name, {k: str(v) for k, v in clean.items()})
    return f


def _get(facility_id: int) -> Facility:
    f = Facility.get_or_none(Facility.id == facility_id)
    if f is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This facility is not in the register"))
    return f


def get(user, facility_id: int) -> Facility:
    users.require(user, "service.desk")
    return _get(facility_id)


def register(user, *, kind: str | None = None, text: str = "", faulty_only: bool = False) -> list[Facility]:
    """The register by kind and place; out-of-order ones alone when asked."""
    users.require(user, "service.desk")
    q = Facility.select().where(Facility.active == True)  # noqa: E712
    if kind:
        q = q.where(Facility.kind == kind)
    if faulty_only:
        q = q.where(Facility.faulty > 0)
    text = (text or "").strip()
    if text:
        like = f"%{text}%"
        q = q.where((Facility.name ** like) | (Facility.place ** like) | (Facility.contractor ** like))
    order = {k: i for i, k in enumerate(KINDS)}
    return sorted(q, key=lambda f: (order.get(f.kind, 99), f.place, f.name, f.id))


def fault(user, facility_id: int, *, what: str, count: int = 1, repair_category: str | None = None,
          repair_id: int | None = None) -> FacilityEvent:
    """Units out of order: the register counts them, the intact rate drops; with
    `repair_category` a repair order naming the facility is raised in the same step (or an
    existing repair, `repair_id`, is named as the one that fixes it)."""
    users.require(user, "service.desk")
    errors: dict = {}
    what = validation.check_text(errors, "what", what, 200, QT_TRANSLATE_NOOP("Office", "Write what is wrong"))
    n = validation.check_int(errors, "count", count, 1, MOST_UNITS)
    if errors:
        raise ValidationError(errors)
    with atomic():
        f = _get(facility_id)
        if f.faulty + n > f.count:
            raise ValidationError({"count": (QT_TRANSLATE_NOOP(
                "Office", "{name} has {count} units, {faulty} of them out of order already"),
                {"name": f.name, "count": f.count, "faulty": f.faulty})})
        repair = None
        if repair_category:
            from models import repairs

            repair = repairs.report(user, reporter=users.display_name_of(user.id) or user.username,
                                    what=f"{f.name}：{what}", category=repair_category, place=f.place,
                                    channel="patrol")
        elif repair_id is not None:
            repair = Repair.get_or_none(Repair.id == repair_id)
            if repair is None:
                raise ValidationError({"repair": (QT_TRANSLATE_NOOP("Office", "No such repair order"), {})})
        f.faulty += n
        f.save()
        e = FacilityEvent.create(facility=f.id, kind="fault", count=n, what=what, repair=repair.id if repair else None,
                                 at=clock.now(), by=user.id)
        audit.record(user, "facility.fault", "facility", f.id, f"{f.name} −{n} {what[:40]}",
                     {"repair": repair.number_text if repair else None})
    return e


def fixed(user, facility_id: int, *, count: int = 1, what: str = "", repair_id: int | None = None) -> FacilityEvent:
    users.require(user, "service.desk")
    errors: dict = {}
    n = validation.check_int(errors, "count", count, 1, MOST_UNITS)
    what = validation.check_text(errors, "what", what, 200)
    if errors:
        raise ValidationError(errors)
    with atomic():
        f = _get(facility_id)
        if n > f.faulty:
            raise ValidationError({"count": (QT_TRANSLATE_NOOP("Office", "Only {n} are out of order"),
                                             {"n": f.faulty})})
        f.faulty -= n
        f.save()
        e = FacilityEvent.create(facility=f.id, kind="fixed", count=n, what=what, repair=repair_id, at=clock.now(),
                                 by=user.id)
        audit.record(user, "facility.fixed", "facility", f.id, f"{f.name} +{n}")
    return e


def maintained(user, facility_id: int, *, on: datetime.date | None = None, what: str = "",
               expires_on: datetime.date | None = None) -> FacilityEvent:
    """Maintenance done (保养、年检): its date, and an extinguisher's new date."""
    users.require(user, "service.desk")
    errors: dict = {}
    on = validation.check_date(errors, "on", on or clock.today())
    what = validation.check_text(errors, "what", what, 200)
    if on and on > clock.today():
        errors["on"] = (QT_TRANSLATE_NOOP("Office", "Not later than today"), {})
    if errors:
        raise ValidationError(errors)
    with atomic():
        f = _get(facility_id)
        f.maintained_on = on
        if expires_on is not None:
            f.expires_on = expires_on
        f.save()
        e = FacilityEvent.create(facility=f.id, kind="maintained", what=what, at=clock.now(), by=user.id)
        audit.record(user, "facility.maintained", "facility", f.id, f"{f.name} {on}")
    return e


def events(user, facility_id: int) -> list[FacilityEvent]:
    users.require(user, "service.desk")
    return list(FacilityEvent.select().where(FacilityEvent.facility == facility_id)
                .order_by(FacilityEvent.at.desc(), FacilityEvent.id.desc()))


@dataclass(frozen=True)
class Rate:
    units: int
    faulty: int
    target_percent: int

    @property
    def intact(self) -> Fraction:
        return Fraction(self.units - self.faulty, self.units) if self.units else Fraction(1)

    @property
    def below_target(self) -> bool:
        return self.intact * 100 < self.target_percent

    @property
    def percent_text(self) -> str:
        """98.7 (one decimal, rounded half up, never 100.0 while any unit is out of order)."""
        tenths = (self.intact * 1000 + Fraction(1, 2)).__floor__()
        if tenths == 1000 and self.faulty:
            tenths = 999
        return f"{tenths // 10}.{tenths % 10}"


def intact_rate(user=None) -> Rate:
    """完好率: units in order of all units in the register, against the office's target."""
    if user is not None:
        users.require(user, "service.desk")
    row = (Facility.select(pw.fn.COALESCE(pw.fn.SUM(Facility.count), 0), pw.fn.COALESCE(pw.fn.SUM(Facility.faulty), 0))
           .where(Facility.active == True).tuples().get())  # noqa: E712
    return Rate(int(row[0]), int(row[1]), settings.office.target_facilities_intact_percent)


def last_fault_at() -> datetime.datetime | None:
    """When the last fault was recorded: since then the rate has been what it is."""
    e = FacilityEvent.select(FacilityEvent.at).where(FacilityEvent.kind == "fault").order_by(
        FacilityEvent.at.desc()).first()
    return e.at if e else None


def due(user, at: datetime.datetime) -> list[tuple[str, Facility, datetime.datetime]]:
    """For 今日: maintenance due by the end of today, and extinguishers past their date."""
    users.require(user, "service.desk")
    out = []
    end = datetime.datetime.combine(at.date(), datetime.time(23, 59, 59))
    for f in Facility.select().where(Facility.active == True, (Facility.every_days > 0)  # noqa: E712
                                     | Facility.expires_on.is_null(False)):
        d = f.maintenance_due
        if d is not None and d <= at.date():
            out.append(("maintenance", f, datetime.datetime.combine(d, datetime.time(23, 59, 59))))
        if f.expires_on is not None and f.expires_on <= at.date():
            out.append(("expired", f, datetime.datetime.combine(f.expires_on, datetime.time())))
    return [x for x in out if x[2] <= end]


