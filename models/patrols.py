"""The daily patrol of the public areas (巡查, seed 003: 每日巡查…做好巡查记录): routes and
their checkpoints, set by the office; each round walks a route, each checkpoint found in
order or with a finding (its place, what, a photo), a finding raised as a repair order in
one step and, when a facility is out of order, marked in the facility register. A day
without a finished patrol by the office's hour shows on 今日."""
from __future__ import annotations

import datetime
from pathlib import Path

import peewee as pw

from models import audit, clock, documents, settings, users, validation
from models.db import BaseModel, atomic
from models.errors import NotFound, OfficeError, QT_TRANSLATE_NOOP, ValidationError
from models.facilities import REPAIR_CATEGORY, Facility
from models.repairs import Repair
from models.users import User


class PatrolRoute(BaseModel):
    name = pw.CharField(max_length=64, unique=True)
    active = pw.BooleanField(default=True)

    class Meta:
        table_name = "patrol_route"


class Checkpoint(BaseModel):
    route = pw.ForeignKeyField(PatrolRoute, backref="checkpoints", on_delete="CASCADE", index=True)
    name = pw.CharField(max_length=64)
    sort_order = pw.IntegerField(default=0)
    active = pw.BooleanField(default=True)

    class Meta:
        table_name = "patrol_checkpoint"


class PatrolRound(BaseModel):
    route = pw.ForeignKeyField(PatrolRoute, on_delete="RESTRICT", index=True)
    started_at = pw.DateTimeField(index=True)
    by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    walker = pw.CharField(max_length=64)
    finished_at = pw.DateTimeField(null=True)
    note = pw.CharField(max_length=200, default="")

    class Meta:
        table_name = "patrol_round"


class PatrolCheck(BaseModel):
    round = pw.ForeignKeyField(PatrolRound, backref="checks", on_delete="CASCADE", index=True)
    checkpoint = pw.ForeignKeyField(Checkpoint, null=True, on_delete="SET NULL", backref="+")
    place = pw.CharField(max_length=64)
    ok = pw.BooleanField(default=True)
    what = pw.CharField(max_length=200, default="")
    photo_hash = pw.CharField(max_length=64, default="")
    photo_name = pw.CharField(max_length=128, default="")
    facility = pw.ForeignKeyField(Facility, null=True, on_delete="SET NULL", backref="+")
    repair = pw.ForeignKeyField(Repair, null=True, on_delete="SET NULL", backref="+")
    at = pw.DateTimeField()

    class Meta:
        table_name = "patrol_check"


def save_route(user, name: str, checkpoints: list[str], route_id: int | None = None) -> PatrolRoute:
    """A route and its checkpoints in walking order (the office's own)."""
    users.require(user, "service.manage")
    errors: dict = {}
    name = validation.check_text(errors, "name", name, 64, QT_TRANSLATE_NOOP("Office", "Name the route"))
    points = [validation.check_text(errors, "checkpoints", p, 64) for p in checkpoints]
    points = [p for p in points if p]
    if not points and "checkpoints" not in errors:
        errors["checkpoints"] = (QT_TRANSLATE_NOOP("Office", "Give the route its checkpoints, one a line"), {})
    if len(set(points)) != len(points):
        errors["checkpoints"] = (QT_TRANSLATE_NOOP("Office", "A checkpoint is named twice"), {})
    same = PatrolRoute.get_or_none(PatrolRoute.name == name)
    if same is not None and same.id != route_id:
        errors["name"] = (QT_TRANSLATE_NOOP("Office", "There is a route {name} already"), {"name": name})
    if errors:
        raise ValidationError(errors)
    with atomic():
        if route_id is None:
            route = PatrolRoute.create(name=name)
        else:
            route = PatrolRoute.get_or_none(PatrolRoute.id == route_id)
            if route is None:
                raise NotFound(QT_TRANSLATE_NOOP("Office", "This route is no longer kept"))
            route.name = name
            route.save()
            Checkpoint.update(active=False).where(Checkpoint.route == route.id).execute()
        old = {c.name: c for c in Checkpoint.select().where(Checkpoint.route == route.id)}
        for i, p in enumerate(points):
            if p in old:
                Checkpoint.update(active=True, sort_order=i).where(Checkpoint.id == old[p].id).execute()
            else:
                Checkpoint.create(route=route.id, name=p, sort_order=i)
        audit.record(user, "patrol.route", "patrol_route", route.id, f"{name}: {len(points)}")
    return route


def routes(user) -> list[PatrolRoute]:
    users.require(user, "service.desk")
    return list(PatrolRoute.select().where(PatrolRoute.active == True).order_by(PatrolRoute.name))  # noqa: E712


def checkpoints(user, route_id: int) -> list[Checkpoint]:
    users.require(user, "service.desk")
    return list(Checkpoint.select().where(Checkpoint.route == route_id, Checkpoint.active == True)  # noqa: E712
                .order_by(Checkpoint.sort_order, Checkpoint.id))


def start(user, route_id: int, walker: str = "") -> PatrolRound:
    users.require(user, "service.desk")
    route = PatrolRoute.get_or_none(PatrolRoute.id == route_id, PatrolRoute.active == True)  # noqa: E712
    if route is None:
        raise ValidationError({"route": (QT_TRANSLATE_NOOP("Office", "Choose the route walked"), {})})
    errors: dict = {}
    walker = validation.check_text(errors, "walker", walker or users.display_name_of(user.id), 64,
                                   QT_TRANSLATE_NOOP("Office", "Write who walks the patrol"))
    if errors:
        raise ValidationError(errors)
    with atomic():
        r = PatrolRound.create(route=route.id, started_at=clock.now(), by=user.id, walker=walker)
        audit.record(user, "patrol.start", "patrol_round", r.id, f"{route.name} {walker}")
    return r


def _round(round_id: int) -> PatrolRound:
    r = PatrolRound.select(PatrolRound, PatrolRoute).join(PatrolRoute).where(PatrolRound.id == round_id).first()
    if r is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This patrol is no longer in the record"))
    return r


def get(user, round_id: int) -> PatrolRound:
    users.require(user, "service.desk")
    return _round(round_id)


def check(user, round_id: int, *, checkpoint_id: int | None = None, place: str = "", ok: bool = True,
          what: str = "", photo: str | Path | None = None, facility_id: int | None = None,
          raise_repair: bool = False, category: str | None = None, facility_faulty: int = 0) -> PatrolCheck:
    """A checkpoint found in order, or a finding: where, what, a photo. With `raise_repair`
    the finding becomes a repair order at once (its place, its words; the category the
    facility's kind goes to unless given); `facility_faulty` units of the facility named are
    marked out of order in the register, in the same step."""
    users.require(user, "service.desk")
    errors: dict = {}
    what = validation.check_text(errors, "what", what, 200,
                                 "" if ok else QT_TRANSLATE_NOOP("Office", "Write what was found"))
    point = None
    if checkpoint_id is not None:
        point = Checkpoint.get_or_none(Checkpoint.id == checkpoint_id)
        if point is None:
            errors["checkpoint"] = (QT_TRANSLATE_NOOP("Office", "No such checkpoint"), {})
    place = validation.check_text(errors, "place", place or (point.name if point else ""), 64,
                                  QT_TRANSLATE_NOOP("Office", "Write where it was found"))
    facility = None
    if facility_id is not None:
        facility = Facility.get_or_none(Facility.id == facility_id)
        if facility is None:
            errors["facility"] = (QT_TRANSLATE_NOOP("Office", "This facility is not in the register"), {})
    if facility_faulty and facility is None and "facility" not in errors:
        errors["facility"] = (QT_TRANSLATE_NOOP("Office", "Choose the facility that is out of order"), {})
    if ok and (raise_repair or facility_faulty):
        errors["ok"] = (QT_TRANSLATE_NOOP("Office", "A repair or a fault is a finding: untick “in order”"), {})
    if raise_repair:
        category = category or (REPAIR_CATEGORY.get(facility.kind) if facility else None)
        from models import repairs

        if category not in repairs.CATEGORIES:
            errors["category"] = (QT_TRANSLATE_NOOP("Office", "Choose the kind of repair"), {})
    if errors:
        raise ValidationError(errors)
    photo_hash = photo_name = ""
    if photo is not None:
        photo_hash, photo_name = documents.store_scan(photo, "photo")
    with atomic():
        r = _round(round_id)
        if r.finished_at is not None:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "This patrol is finished: start another for a new finding"))
        if point is not None and point.route_id != r.route_id:
            raise ValidationError({"checkpoint": (QT_TRANSLATE_NOOP("Office", "This checkpoint is on another route"),
                                                  {})})
        repair = None
        if facility_faulty:
            from models import facilities

            event = facilities.fault(user, facility.id, what=what, count=facility_faulty,
                                     repair_category=category if raise_repair else None)
            repair = event.repair
        elif raise_repair:
            from models import repairs

            repair = repairs.report(user, reporter=r.walker, what=what, category=category, place=place,
                                    channel="patrol")
        c = PatrolCheck.create(round=r.id, checkpoint=point.id if point else None, place=place, ok=ok, what=what,
                               photo_hash=photo_hash, photo_name=photo_name, facility=facility.id if facility else None,
                               repair=repair.id if repair else None, at=clock.now())
        if not ok:
            audit.record(user, "patrol.finding", "patrol_round", r.id, f"{place} {what[:40]}",
                         {"repair": repair.number_text if repair else None})
    return c


def checks(user, round_id: int) -> list[PatrolCheck]:
    users.require(user, "service.desk")
    return list(PatrolCheck.select().where(PatrolCheck.round == round_id).order_by(PatrolCheck.at, PatrolCheck.id))


def unchecked(user, round_id: int) -> list[Checkpoint]:
    """The route's checkpoints this round has not reached yet."""
    r = get(user, round_id)
    seen = {c.checkpoint_id for c in checks(user, round_id)}
    return [p for p in checkpoints(user, r.route_id) if p.id not in seen]


def finish(user, round_id: int, note: str = "") -> PatrolRound:
    """The round is done: every checkpoint reached, or the note says why not."""
    users.require(user, "service.desk")
    errors: dict = {}
    note = validation.check_text(errors, "note", note, 200)
    missed = unchecked(user, round_id)
    if missed and not note:
        errors["note"] = (QT_TRANSLATE_NOOP("Office", "Not reached: {names}. Say why in the note"),
                          {"names": "、".join(p.name for p in missed)})
    if errors:
        raise ValidationError(errors)
    with atomic():
        r = _round(round_id)
        if r.finished_at is not None:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "This patrol is finished already"))
        r.finished_at, r.note = clock.now(), note
        r.save()
        audit.record(user, "patrol.finish", "patrol_round", r.id, f"{r.route.name} {len(missed)} missed")
    return r


def rounds(user, *, day: datetime.date | None = None, limit: int = 200) -> list[PatrolRound]:
    users.require(user, "service.desk")
    q = PatrolRound.select(PatrolRound, PatrolRoute).join(PatrolRoute)
    if day is not None:
        start_ = datetime.datetime.combine(day, datetime.time())
        q = q.where(PatrolRound.started_at >= start_, PatrolRound.started_at < start_ + datetime.timedelta(days=1))
    return list(q.order_by(PatrolRound.started_at.desc(), PatrolRound.id.desc()).limit(limit))


def missing_today(user, at: datetime.datetime | None = None) -> datetime.datetime | None:
    """When today's patrol is due (the office's hour), while no round has been finished
    today; None once one is (or when the office keeps no route)."""
    users.require(user, "service.desk")
    at = at or clock.now()
    if not PatrolRoute.select().where(PatrolRoute.active == True).exists():  # noqa: E712
        return None
    due = datetime.datetime.combine(at.date(), datetime.time()) + datetime.timedelta(
        hours=settings.office.patrol_by_hour)
    start_ = datetime.datetime.combine(at.date(), datetime.time())
    done = PatrolRound.select().where(PatrolRound.finished_at >= start_, PatrolRound.finished_at <= at).exists()
    return None if done else due


def photo_path(c: PatrolCheck):
    return documents.scan_path(c.photo_hash, c.photo_name) if c.photo_hash else None
