"""The office's handbook (应知): the contacts directory the desk rings every day (water,
power, gas, heating, police, cable TV, telecom, schools, locksmith, movers, post office,
hospital, recycling, and the estate's contractors with their responsible persons), and the
paid-service price list (有偿服务价目表) for the counter. Everyone reads them; supervisors
and administrators keep them."""
from __future__ import annotations

import peewee as pw

from models import audit, money, users, validation
from models.db import BaseModel, atomic
from models.errors import NotFound, QT_TRANSLATE_NOOP, ValidationError

CATEGORIES = {
    "water": QT_TRANSLATE_NOOP("Office", "Water"),
    "power": QT_TRANSLATE_NOOP("Office", "Power"),
    "gas": QT_TRANSLATE_NOOP("Office", "Gas"),
    "heating": QT_TRANSLATE_NOOP("Office", "Heating"),
    "police": QT_TRANSLATE_NOOP("Office", "Police"),
    "cable": QT_TRANSLATE_NOOP("Office", "Cable TV"),
    "telecom": QT_TRANSLATE_NOOP("Office", "Telephone and network"),
    "school": QT_TRANSLATE_NOOP("Office", "Kindergarten and schools"),
    "locksmith": QT_TRANSLATE_NOOP("Office", "Locksmith"),
    "movers": QT_TRANSLATE_NOOP("Office", "Movers"),
    "post": QT_TRANSLATE_NOOP("Office", "Post office"),
    "hospital": QT_TRANSLATE_NOOP("Office", "Hospital"),
    "recycling": QT_TRANSLATE_NOOP("Office", "Recycling"),
    "contractor": QT_TRANSLATE_NOOP("Office", "Estate contractors"),
    "other": QT_TRANSLATE_NOOP("Office", "Other"),
}


class Contact(BaseModel):
    category = pw.CharField(max_length=16, index=True)
    name = pw.CharField(max_length=64)
    person = pw.CharField(max_length=32, default="")
    phone = pw.CharField(max_length=64, default="")
    address = pw.CharField(max_length=128, default="")
    note = pw.CharField(max_length=128, default="")

    class Meta:
        table_name = "contact"


class PriceItem(BaseModel):
    category = pw.CharField(max_length=32, default="")
    name = pw.CharField(max_length=64)
    unit = pw.CharField(max_length=16, default="")
    price = pw.BigIntegerField(null=True)
    price_text = pw.CharField(max_length=64, default="")
    note = pw.CharField(max_length=128, default="")
    sort_order = pw.IntegerField(default=0)

    class Meta:
        table_name = "price_item"

    def shown_price(self) -> str:
        if self.price is None:
            return self.price_text
        return f"{money.fmt(self.price)} 元" + (f"/{self.unit}" if self.unit else "")


# --- contacts --------------------------------------------------------------------------------

def contacts(user, text: str = "", category: str | None = None, categories_named: tuple = ()) -> list[Contact]:
    """The directory in category order, or what matches `text` (a name, a person, a phone,
    or a category's name: English here, the UI's language in `categories_named`)."""
    users.require(user, "archive.view")
    order = {code: n for n, code in enumerate(CATEGORIES)}
    q = Contact.select()
    if category:
        q = q.where(Contact.category == category)
    text = text.replace("\x00", "").strip()  # a LIKE pattern is not a field's value: db.py's rule misses it
    if text:
        digits = "".join(ch for ch in text if ch.isdigit())
        cond = Contact.name.contains(text) | Contact.person.contains(text) | Contact.note.contains(text) | \
            Contact.address.contains(text)
        if digits:
            cond |= Contact.phone.contains(digits)
        cats = [code for code, label in CATEGORIES.items() if text.lower() in label.lower()] + list(categories_named)
        if cats:
            cond |= Contact.category.in_(cats)
        q = q.where(cond)
    return sorted(q, key=lambda c: (order.get(c.category, 99), c.name, c.id))


def save_contact(user, contact_id: int | None = None, **fields) -> Contact:
    users.require(user, "estate.edit")
    clean = {k: str(fields.get(k, "")).strip() for k in ("category", "name", "person", "phone", "address", "note")}
    errors: dict = {}
    if clean["category"] not in CATEGORIES:
        errors["category"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    if not clean["name"]:
        errors["name"] = (QT_TRANSLATE_NOOP("Office", "Enter the name"), {})
    if not clean["phone"]:
        errors["phone"] = (QT_TRANSLATE_NOOP("Office", "Enter the phone number"), {})
    else:
        for part in clean["phone"].replace("，", ",").replace("/", ",").split(","):
            if part.strip() and validation.phone_error(part) and not part.strip().isdigit():
                errors["phone"] = (validation.phone_error(part), {})
    validation.check_lengths(Contact, clean, errors)
    if errors:
        raise ValidationError(errors)
    with atomic():
        if contact_id is None:
            contact = Contact.create(**clean)
        else:
            contact = Contact.get_or_none(Contact.id == contact_id)
            if contact is None:
                raise NotFound(QT_TRANSLATE_NOOP("Office", "This contact no longer exists"))
            for k, v in clean.items():
                setattr(contact, k, v)
            contact.save()
        audit.record(user, "handbook.contact", "contact", contact.id, contact.name, {"phone": contact.phone})
    return contact


def _delete(user, model, row_id: int, action: str) -> None:
    users.require(user, "estate.edit")
    with atomic():
        row = model.get_or_none(model.id == row_id)
        if row is None:
            return
        row.delete_instance()
        audit.record(user, action, model._meta.table_name, row_id, row.name, {"deleted": True})


def delete_contact(user, contact_id: int) -> None:
    _delete(user, Contact, contact_id, "handbook.contact")


# --- the price list ------------------------------------------------------------------------------

def price_list(user) -> list[PriceItem]:
    users.require(user, "archive.view")
    return list(PriceItem.select().order_by(PriceItem.sort_order, PriceItem.category, PriceItem.id))


def save_price(user, item_id: int | None = None, *, name: str, price: str = "", unit: str = "", category: str = "",
               price_text: str = "", note: str = "") -> PriceItem:
    """A paid service and its price: an amount (元, per unit), or a rule written out
    (月租金的40%) when it has no fixed price."""
    users.require(user, "estate.edit")
    errors: dict = {}
    clean = dict(name=name.strip(), unit=unit.strip(), category=category.strip(), price_text=price_text.strip(),
                 note=note.strip())
    fen = None
    if not clean["name"]:
        errors["name"] = (QT_TRANSLATE_NOOP("Office", "Enter the name"), {})
    if str(price).strip():
        try:
            fen = money.parse(price)
        except money.BadAmount as e:
            errors["price"] = (e.template, e.params)
        else:
            if fen < 0:
                errors["price"] = (QT_TRANSLATE_NOOP("Office", "The amount cannot be negative"), {})
    elif not clean["price_text"]:
        errors["price"] = (QT_TRANSLATE_NOOP("Office", "Give a price, or write how it is charged"), {})
    validation.check_lengths(PriceItem, clean, errors)
    if errors:
        raise ValidationError(errors)
    with atomic():
        if item_id is None:
            last = PriceItem.select(pw.fn.MAX(PriceItem.sort_order)).scalar() or 0
            item = PriceItem.create(price=fen, sort_order=last + 10, **clean)
        else:
            item = PriceItem.get_or_none(PriceItem.id == item_id)
            if item is None:
                raise NotFound(QT_TRANSLATE_NOOP("Office", "This price no longer exists"))
            for k, v in clean.items():
                setattr(item, k, v)
            item.price = fen
            item.save()
        audit.record(user, "handbook.price", "price_item", item.id, item.name, {"price": fen, "text": item.price_text})
    return item


def delete_price(user, item_id: int) -> None:
    _delete(user, PriceItem, item_id, "handbook.price")
