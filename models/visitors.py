"""The visitor book (访客登记): who came (the name, the ID document's kind and number, kept
in full and shown masked like an owner's), to which house and who there said to let them
in, their vehicle, when they came in and went out. Visitors still inside at the end of the
day (setting) show on 今日."""
from __future__ import annotations

import datetime

import peewee as pw

from models import audit, clock, settings, users, validation
from models.db import BaseModel, atomic
from models.errors import NotFound, OfficeError, QT_TRANSLATE_NOOP, ValidationError
from models.estate import House
from models.users import User

MOST_PEOPLE = 50


class Visitor(BaseModel):
    name = pw.CharField(max_length=64)
    id_type = pw.CharField(max_length=16, default="resident_id")
    id_number = pw.CharField(max_length=32, default="")
    phone = pw.CharField(max_length=32, default="")
    house = pw.ForeignKeyField(House, on_delete="RESTRICT", index=True)
    confirmed_by = pw.CharField(max_length=64)
    purpose = pw.CharField(max_length=128, default="")
    plate = pw.CharField(max_length=16, default="", index=True)
    people = pw.IntegerField(default=1)
    in_at = pw.DateTimeField(index=True)
    in_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    out_at = pw.DateTimeField(null=True, index=True)
    out_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        table_name = "visitor"

    @property
    def phone_masked(self) -> str:
        return validation.mask_phone(self.phone)


def plate_of(text: str) -> str:
    """A plate as kept: 粤B·12345, 粤 b12345 → 粤B12345."""
    return validation.scanned(text).replace("·", "").replace(".", "").upper()


def plate_error(plate: str):
    import re

    if plate and not re.fullmatch(r"[\u4e00-\u9fff][A-Z][A-Z0-9]{4,6}[\u4e00-\u9fff]?", plate):
        return QT_TRANSLATE_NOOP("Office", "Write the plate like 粤B12345")
    return None


def come_in(user, *, name: str, house_id: int | None, confirmed_by: str, id_type: str = "resident_id",
            id_number: str = "", phone: str = "", purpose: str = "", plate: str = "", people: int = 1) -> Visitor:
    """A visitor signed in at the desk or the gate, once someone in the house has said so."""
    users.require(user, "desk.parcels")
    errors: dict = {}
    fields = dict(name=validation.check_text(errors, "name", name, 64, QT_TRANSLATE_NOOP(
                      "Office", "Write the visitor's name")),
                  confirmed_by=validation.check_text(errors, "confirmed_by", confirmed_by, 64, QT_TRANSLATE_NOOP(
                      "Office", "Write who in the house said to let them in")),
                  purpose=validation.check_text(errors, "purpose", purpose, 128),
                  phone=validation.normalize_phone(phone), id_number=validation.normalize_id(id_number),
                  plate=plate_of(plate), id_type=id_type)
    if house_id is None or House.get_or_none(House.id == house_id) is None:
        errors["house"] = (QT_TRANSLATE_NOOP("Office", "Type the house visited: 3-2-1201"), {})
    if id_type not in validation.ID_TYPES:
        errors["id_type"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    elif validation.id_number_error(id_type, fields["id_number"]):
        errors["id_number"] = (validation.id_number_error(id_type, fields["id_number"]), {})
    if validation.phone_error(fields["phone"]):
        errors["phone"] = (validation.phone_error(fields["phone"]), {})
    if plate_error(fields["plate"]):
        errors["plate"] = (plate_error(fields["plate"]), {})
    count = validation.check_int(errors, "people", people, 1, MOST_PEOPLE)
    validation.check_lengths(Visitor, fields, errors)
    if errors:
        raise ValidationError(errors)
    with atomic():
        v = Visitor.create(house=house_id, people=count, in_at=clock.now(), in_by=user.id, **fields)
        audit.record(user, "visitor.in", "visitor", v.id, f"{v.name} → {House.get_by_id(house_id).label}",
                     {"id_number": validation.mask_id(v.id_number), "plate": v.plate})
    return validation.shown_ids(v, "id_number")


def go_out(user, visitor_id: int, at: datetime.datetime | None = None) -> Visitor:
    users.require(user, "desk.parcels")
    now = clock.now()
    at = at or now
    with atomic():
        v = Visitor.get_or_none(Visitor.id == visitor_id)
        if v is None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "This visitor is no longer in the book"))
        if v.out_at is not None:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "{name} went out already, at {at}"), name=v.name,
                              at=v.out_at.strftime("%Y-%m-%d %H:%M"))
        if not v.in_at <= at <= now:
            raise ValidationError({"out_at": (QT_TRANSLATE_NOOP(
                "Office", "The time out is between the time in and now"), {})})
        v.out_at, v.out_by = at, user.id
        v.save()
        audit.record(user, "visitor.out", "visitor", v.id, v.name)
    return validation.shown_ids(v, "id_number")


def _rows(q):
    return validation.shown_ids(list(q), "id_number")


def inside(user) -> list[Visitor]:
    """Visitors not yet signed out, the longest inside first."""
    users.require(user, "desk.parcels")
    return _rows(Visitor.select(Visitor, House).join(House).where(Visitor.out_at.is_null())
                 .order_by(Visitor.in_at, Visitor.id))


def search(user, text: str = "", *, inside_only: bool = False, day: datetime.date | None = None,
           limit: int = 200) -> list[Visitor]:
    """The book, newest first: by the visitor's name, the house visited, the plate, the
    phone's or the ID number's last digits; or one day's visitors."""
    users.require(user, "desk.parcels")
    q = Visitor.select(Visitor, House).join(House)
    if inside_only:
        q = q.where(Visitor.out_at.is_null())
    if day is not None:
        start = datetime.datetime.combine(day, datetime.time())
        q = q.where(Visitor.in_at >= start, Visitor.in_at < start + datetime.timedelta(days=1))
    text = (text or "").strip()
    if text:
        from models import search as finding

        label = finding.label_of(text)
        if label:
            q = q.where(House.label == label)
        elif text.isdigit() and len(text) >= 4:
            q = q.where(Visitor.phone.endswith(text) | Visitor.id_number.endswith(text))
        elif plate_error(plate_of(text)) is None and len(plate_of(text)) >= 6:
            q = q.where(Visitor.plate == plate_of(text))
        else:
            q = q.where(Visitor.name.startswith(text) | Visitor.plate.contains(plate_of(text)))
    return _rows(q.order_by(Visitor.in_at.desc(), Visitor.id.desc()).limit(limit))


def day_end(day: datetime.date) -> datetime.datetime:
    """When a visitor in since `day` is still inside past the office's hour."""
    hour = settings.office.visitor_day_end_hour
    return datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(hours=hour)


def still_inside(user, at: datetime.datetime | None = None) -> list[tuple[Visitor, datetime.datetime]]:
    """Visitors inside past the end of the day they came (for 今日), with that time."""
    at = at or clock.now()
    return [(v, day_end(v.in_at.date())) for v in inside(user) if day_end(v.in_at.date()) <= at]
