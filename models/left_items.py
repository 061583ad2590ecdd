"""What is left at the desk for someone (寄存) and mail without a tracking number (letters,
registered mail, newspapers): what, for whom, left by whom and when, and when it was
collected and by whom. The desk keeps no cash (seed 003: 现金 is not among what may be
left), so a deposit is taken only once the clerk has checked there is none in it."""
from __future__ import annotations

import peewee as pw

from models import audit, clock, house_phone, users, validation
from models.db import BaseModel, atomic
from models.errors import NotFound, OfficeError, QT_TRANSLATE_NOOP, ValidationError
from models.estate import House
from models.users import User

KINDS = {
    "item": QT_TRANSLATE_NOOP("Office", "Item left"),
    "letter": QT_TRANSLATE_NOOP("Office", "Letter"),
    "registered": QT_TRANSLATE_NOOP("Office", "Registered mail"),
    "newspaper": QT_TRANSLATE_NOOP("Office", "Newspaper or magazine"),
}
CASH_WORDS = ("现金", "现钞", "钱款", "人民币", "钱包", "cash", "money")


class LeftItem(BaseModel):
    kind = pw.CharField(max_length=16)
    what = pw.CharField(max_length=128)
    number = pw.CharField(max_length=32, default="")
    for_whom = pw.CharField(max_length=64)
    house = pw.ForeignKeyField(House, null=True, on_delete="RESTRICT", index=True)
    phone = pw.CharField(max_length=32, default="")
    left_by = pw.CharField(max_length=64, default="")
    place = pw.CharField(max_length=32, default="")
    left_at = pw.DateTimeField(index=True)
    taken_in_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    collected_at = pw.DateTimeField(null=True, index=True)
    collected_by = pw.CharField(max_length=64, default="")
    handed_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        table_name = "left_item"

    @property
    def phone_masked(self) -> str:
        return validation.mask_phone(self.phone)


def leave(user, *, kind: str, what: str, for_whom: str, house_id: int | None = None, phone: str = "",
          left_by: str = "", place: str = "", number: str = "", no_cash: bool = False) -> LeftItem:
    """Take something in for someone. Cash is refused, with the reason; so is anything the
    clerk has not checked holds none."""
    users.require(user, "desk.parcels")
    phone = validation.normalize_phone(house_phone.full_phone(house_id, phone))
    errors: dict = {}
    fields = dict(what=validation.check_text(errors, "what", what, 128, QT_TRANSLATE_NOOP(
                      "Office", "Write what is left")),
                  for_whom=validation.check_text(errors, "for_whom", for_whom, 64, QT_TRANSLATE_NOOP(
                      "Office", "Write whom it is for")),
                  left_by=validation.check_text(errors, "left_by", left_by, 64),
                  place=validation.check_text(errors, "place", place, 32),
                  number=validation.scanned(number).upper(), phone=phone, kind=kind)
    if kind not in KINDS:
        errors["kind"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    if any(w in fields["what"].lower() for w in CASH_WORDS):
        errors["what"] = (QT_TRANSLATE_NOOP(
            "Office", "The desk does not keep cash: ask them to hand it over in person or by transfer"), {})
    elif not no_cash and kind == "item":
        errors["no_cash"] = (QT_TRANSLATE_NOOP(
            "Office", "Tick it once you have checked there is no cash or valuables inside; the desk keeps none"), {})
    if kind == "registered" and not fields["number"]:
        errors["number"] = (QT_TRANSLATE_NOOP("Office", "Write the registered letter's number"), {})
    if house_id is not None and House.get_or_none(House.id == house_id) is None:
        errors["house"] = (QT_TRANSLATE_NOOP("Office", "No such house"), {})
    if validation.phone_error(phone):
        errors["phone"] = (validation.phone_error(phone), {})
    validation.check_lengths(LeftItem, fields, errors)
    if errors:
        raise ValidationError(errors)
    with atomic():
        item = LeftItem.create(house=house_id, left_at=clock.now(), taken_in_by=user.id, **fields)
        audit.record(user, "left_item.leave", "left_item", item.id, f"{item.what[:40]} → {item.for_whom}",
                     {"kind": kind})
    return item


def collect(user, item_id: int, *, collected_by: str) -> LeftItem:
    """Handed over to whoever came for it (their name)."""
    users.require(user, "desk.parcels")
    errors: dict = {}
    collected_by = validation.check_text(errors, "collected_by", collected_by, 64, QT_TRANSLATE_NOOP(
        "Office", "Write who collected it"))
    if errors:
        raise ValidationError(errors)
    with atomic():
        item = LeftItem.get_or_none(LeftItem.id == item_id)
        if item is None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "This is no longer in the register"))
        if item.collected_at is not None:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "{name} collected it already, at {at}"),
                              name=item.collected_by, at=item.collected_at.strftime("%Y-%m-%d %H:%M"))
        item.collected_at, item.collected_by, item.handed_by = clock.now(), collected_by, user.id
        item.save()
        audit.record(user, "left_item.collect", "left_item", item.id, f"{item.what[:40]} ← {collected_by}")
    return item


def search(user, text: str = "", *, waiting_only: bool = False, limit: int = 200) -> list[LeftItem]:
    """The register, newest first: by what, for whom, left by whom, the house or the number."""
    users.require(user, "desk.parcels")
    q = LeftItem.select(LeftItem, House).join(House, pw.JOIN.LEFT_OUTER)
    if waiting_only:
        q = q.where(LeftItem.collected_at.is_null())
    text = (text or "").strip()
    if text:
        from models import search as finding

        label = finding.label_of(text)
        if label:
            q = q.where(House.label == label)
        else:
            like = f"%{text}%"
            q = q.where((LeftItem.what ** like) | (LeftItem.for_whom ** like) | (LeftItem.left_by ** like)
                        | (LeftItem.number == validation.scanned(text).upper()))
    return list(q.order_by(LeftItem.left_at.desc(), LeftItem.id.desc()).limit(limit))
