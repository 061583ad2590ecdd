"""Items lent to owners (物品借用): ladders, tools, carts. The item's condition is written
down when it goes out and when it comes back, in front of the borrower, who signs each
time: on the printed slip, and optionally on screen (mouse or pen), kept with the loan.
A loan is due back by the end (23:59:59) of the office's Nth day after it went out, like
every "N days" rule (models.deadlines); overdue loans are listed like keys."""
from __future__ import annotations

import datetime

import peewee as pw

from models import audit, clock, deadlines, house_phone, settings, users, validation
from models.db import BaseModel, atomic
from models.errors import NotFound, OfficeError, QT_TRANSLATE_NOOP, ValidationError
from models.estate import House
from models.users import User

MAX_SIGNATURE = 300_000  # bytes of PNG: a drawn signature is a few kilobytes
PNG = b"\x89PNG\r\n\x1a\n"


class LendItem(BaseModel):
    tag = pw.CharField(max_length=16, unique=True)
    name = pw.CharField(max_length=64)
    note = pw.CharField(max_length=128, default="")
    active = pw.BooleanField(default=True)

    class Meta:
        table_name = "lend_item"


class ItemLoan(BaseModel):
    item = pw.ForeignKeyField(LendItem, on_delete="RESTRICT", index=True)
    state = pw.CharField(max_length=16, index=True)
    house = pw.ForeignKeyField(House, null=True, on_delete="RESTRICT")
    borrower = pw.CharField(max_length=64)
    phone = pw.CharField(max_length=32, default="")
    lent_at = pw.DateTimeField(index=True)
    lent_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    due_at = pw.DateTimeField(index=True)
    condition_out = pw.CharField(max_length=256)
    signature_out = pw.BlobField(null=True)
    closed_at = pw.DateTimeField(null=True)
    closed_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    condition_back = pw.CharField(max_length=256, default="")
    signature_back = pw.BlobField(null=True)

    class Meta:
        table_name = "item_loan"


def _check_signature(errors: dict, field: str, signature: bytes | None) -> None:
    if signature is not None and (not signature.startswith(PNG) or len(signature) > MAX_SIGNATURE):
        errors[field] = (QT_TRANSLATE_NOOP("Office", "The signature could not be kept; sign again"), {})


def add_item(user, *, tag: str, name: str, note: str = "") -> LendItem:
    users.require(user, "desk.keys")
    errors: dict = {}
    fields = dict(tag=validation.scanned(tag).upper(), name=name.strip(), note=note.strip())
    if not fields["tag"]:
        errors["tag"] = (QT_TRANSLATE_NOOP("Office", "Give the item its tag number"), {})
    elif LendItem.select().where(LendItem.tag == fields["tag"]).exists():
        errors["tag"] = (QT_TRANSLATE_NOOP("Office", "Tag {tag} is on another item already"), {"tag": fields["tag"]})
    if not fields["name"]:
        errors["name"] = (QT_TRANSLATE_NOOP("Office", "Say what the item is"), {})
    validation.check_lengths(LendItem, fields, errors)
    if errors:
        raise ValidationError(errors)
    with atomic():
        item = LendItem.create(**fields)
        audit.record(user, "item.add", "lend_item", item.id, f"{item.tag} {item.name}", {})
    return item


def items(user) -> list[LendItem]:
    users.require(user, "desk.keys")
    return list(LendItem.select().where(LendItem.active == True).order_by(LendItem.tag))  # noqa: E712


def get_loan(user, loan_id: int) -> ItemLoan:
    """One item loan as it stands now, for its slip."""
    users.require(user, "desk.keys")
    loan = ItemLoan.get_or_none(ItemLoan.id == loan_id)
    if loan is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This loan no longer exists"))
    return loan


def is_out(item_id: int) -> bool:
    return ItemLoan.select().where(ItemLoan.item == item_id, ItemLoan.state == "out").exists()


def lend(user, item_id: int, *, borrower: str, condition: str, house_id: int | None = None, phone: str = "",
         signature: bytes | None = None) -> ItemLoan:
    """Lend an item: its condition as checked with the borrower, and their signature."""
    users.require(user, "desk.keys")
    errors: dict = {}
    phone = house_phone.full_phone(house_id, phone)  # the owner's, as the form showed it masked
    fields = dict(borrower=borrower.strip(), phone=validation.normalize_phone(phone), condition_out=condition.strip())
    if not fields["borrower"]:
        errors["borrower"] = (QT_TRANSLATE_NOOP("Office", "Enter the borrower's name"), {})
    if not fields["condition_out"]:
        errors["condition_out"] = (QT_TRANSLATE_NOOP(
            "Office", "Write down the item's condition, checked with the borrower"), {})
    if phone and validation.phone_error(phone):
        errors["phone"] = (validation.phone_error(phone), {})
    _check_signature(errors, "signature_out", signature)
    validation.check_lengths(ItemLoan, fields, errors)
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    due = deadlines.after_days(now, settings.office.item_due_days, deadlines.Calendar.from_settings())
    with atomic():
        item = LendItem.get_or_none(LendItem.id == item_id)
        if item is None or not item.active:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "This item is not in the list"))
        if is_out(item.id):
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "{name} ({tag}) is lent out already"), name=item.name,
                              tag=item.tag)
        loan = ItemLoan.create(item=item, state="out", house=house_id or None, lent_at=now, lent_by=user.id,
                               due_at=due,
                               signature_out=signature, **fields)
        audit.record(user, "item.lend", "lend_item", item.id, f"{item.tag} {item.name} → {fields['borrower']}",
                     {"condition": fields["condition_out"], "signed": signature is not None})
    return loan


def take_back(user, loan_id: int, *, condition: str, signature: bytes | None = None, lost: bool = False) -> ItemLoan:
    """The item came back (or is lost): its condition checked again with the borrower."""
    users.require(user, "desk.keys")
    errors: dict = {}
    if not condition.strip():
        errors["condition_back"] = (QT_TRANSLATE_NOOP(
            "Office", "Write down the item's condition, checked with the borrower"), {})
    _check_signature(errors, "signature_back", signature)
    if len(condition.strip()) > 256:
        errors["condition_back"] = (QT_TRANSLATE_NOOP("Office", "At most {n} characters"), {"n": 256})
    if errors:
        raise ValidationError(errors)
    with atomic():
        loan = ItemLoan.get_or_none(ItemLoan.id == loan_id)
        if loan is None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "This loan no longer exists"))
        if loan.state != "out":
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "This item is not out on this loan"))
        loan.state = "lost" if lost else "returned"
        loan.closed_at, loan.closed_by = clock.now(), user.id
        loan.condition_back, loan.signature_back = condition.strip(), signature
        loan.save()
        if lost:
            LendItem.update(active=False).where(LendItem.id == loan.item_id).execute()
        audit.record(user, "item.lost" if lost else "item.returned", "lend_item", loan.item_id,
                     f"{loan.item.tag} {loan.item.name} ← {loan.borrower}", {"condition": loan.condition_back})
    return loan


def loans_out(user) -> list[ItemLoan]:
    users.require(user, "desk.keys")
    return list(ItemLoan.select(ItemLoan, LendItem).join(LendItem).where(ItemLoan.state == "out")
                .order_by(ItemLoan.due_at, ItemLoan.id))


def overdue(user, at: datetime.datetime | None = None) -> list[ItemLoan]:
    at = at or clock.now()
    return [loan for loan in loans_out(user) if loan.due_at < at]
