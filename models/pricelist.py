"""The office's price list of paid services (有偿特约服务收费标准, DOMAIN.md): each service a
one-off charge of a fee item, priced by the unit (装灯 10.00 元/个, so many of them) or as a
share of an amount the clerk types when charging (房屋租赁代理: 40 % of one month's rent).
The counter charges from it inside the payment's own transaction (cashier.take_payment's
`extras`): the price is worked out here, exactly, to the fen (half up, once).

Kept by whoever sets up the fees (fees.setup), audited; a service used on receipts is
retired, never deleted, so old receipts keep their words."""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

import peewee as pw

from models import audit, money, users, validation
from models.db import BaseModel, atomic
from models.errors import NotFound, QT_TRANSLATE_NOOP, ValidationError
from models.fees import FeeItem

PRICING = {
    "unit": QT_TRANSLATE_NOOP("Office", "A price per unit"),  # 按件/次/小时
    "share": QT_TRANSLATE_NOOP("Office", "A share of an amount"),  # 按房租的 40%
}
CHARGEABLE = ("oneoff",)  # the fee items a service or a counter charge may post
MOST_QUANTITY = 10_000
_PERCENT = re.compile(r"^\s*(\d{1,3})(?:\.(\d{1,2}))?\s*%?\s*$")
_QUANTITY = re.compile(r"^\s*(\d{1,5})(?:\.(\d{1,2}))?\s*$")


class PriceEntry(BaseModel):
    name = pw.CharField(max_length=64, unique=True)
    item = pw.ForeignKeyField(FeeItem, on_delete="RESTRICT")
    pricing = pw.CharField(max_length=8)  # unit / share
    price = pw.BigIntegerField(default=0)  # fen per unit
    unit = pw.CharField(max_length=16, default="")  # 个, 次, 小时, 套
    share = pw.CharField(max_length=8, default="")  # percent, exact as typed: "40", "37.5"
    base = pw.CharField(max_length=32, default="")  # what the share is of: 月租金
    note = pw.CharField(max_length=128, default="")  # 市场价 房租的50%
    active = pw.BooleanField(default=True)
    sort_order = pw.IntegerField(default=0)

    class Meta:
        table_name = "price_entry"

    @property
    def share_fraction(self) -> Fraction:
        return percent(self.share)


@dataclass(frozen=True)
class Extra:
    """A one-off charge posted and paid at the counter in the payment's transaction: the fee
    item, its amount (fen), and the words its receipt line shows."""
    item_code: str
    amount: int
    description: str = ""
    quantity: str = ""
    unit_price: str = ""


def percent(text: str) -> Fraction:
    """'40' or '37.5%' → 2/5, 3/8 (exact); ValueError for anything else or above 100 %."""
    m = _PERCENT.match(str(text))
    if not m:
        raise ValueError(text)
    value = _decimal(m)
    if not 0 < value <= 100:
        raise ValueError(text)
    return value / 100


def _decimal(m: re.Match) -> Fraction:
    """The whole and decimal digits a pattern matched (groups 1 and 2), exactly."""
    whole, decimals = m.group(1), m.group(2)
    return Fraction(int(whole)) + (Fraction(int(decimals), 10 ** len(decimals)) if decimals else 0)


def entries(active_only: bool = True) -> list[PriceEntry]:
    q = PriceEntry.select(PriceEntry, FeeItem).join(FeeItem).order_by(PriceEntry.sort_order, PriceEntry.id)
    if active_only:
        q = q.where(PriceEntry.active == True)  # noqa: E712 - peewee expression
    return list(q)


def get(entry_id: int) -> PriceEntry:
    found = PriceEntry.get_or_none(PriceEntry.id == entry_id)
    if found is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This service is no longer on the price list"))
    return found


def chargeable_items() -> list[FeeItem]:
    """The fee items a one-off charge may post: active, not billed by the month nor held."""
    return [i for i in FeeItem.select().where(FeeItem.kind.in_(CHARGEABLE), FeeItem.active == True)  # noqa: E712
            .order_by(FeeItem.sort_order, FeeItem.id)]


def save(user, *, name: str, item_code: str, pricing: str, price: str = "", unit: str = "", share: str = "",
         base: str = "", note: str = "", active: bool = True, entry_id: int | None = None) -> PriceEntry:
    """Add a service to the price list, or change one (`entry_id`); every reason it cannot
    be kept by its field, nothing written."""
    users.require(user, "fees.setup")
    errors: dict = {}
    fields = {"name": str(name).strip(), "unit": str(unit).strip(), "base": str(base).strip(),
              "note": str(note).strip(), "active": bool(active), "pricing": pricing}
    if not fields["name"]:
        errors["name"] = (QT_TRANSLATE_NOOP("Office", "Give the service a name"), {})
    item = FeeItem.get_or_none(FeeItem.code == item_code)
    if item is None or item.kind not in CHARGEABLE:
        errors["item"] = (QT_TRANSLATE_NOOP("Office", "Choose a one-off fee item of the list"), {})
    if pricing not in PRICING:
        errors["pricing"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    elif pricing == "unit":
        try:
            fields["price"] = money.parse(price)
        except money.BadAmount as e:
            errors["price"] = (e.template, e.params)
        else:
            problem = money.amount_problem(fields["price"])
            if problem:
                errors["price"] = problem
        if not fields["unit"]:
            errors["unit"] = (QT_TRANSLATE_NOOP("Office", "Say what the price is for: 个, 次, 小时 …"), {})
        fields["share"], fields["base"] = "", ""
    else:
        try:
            percent(share)
            fields["share"] = str(share).strip().rstrip("%").strip()
        except ValueError:
            errors["share"] = (QT_TRANSLATE_NOOP("Office", "Write the share as a percentage above 0 and at most 100, "
                                                           "like 40 or 37.5"), {})
        if not fields["base"]:
            errors["base"] = (QT_TRANSLATE_NOOP("Office", "Say what it is a share of: 月租金 …"), {})
        fields["price"], fields["unit"] = 0, ""
    validation.check_lengths(PriceEntry, fields, errors)
    same = PriceEntry.select().where(PriceEntry.name == fields["name"])
    if entry_id is not None:
        same = same.where(PriceEntry.id != entry_id)
    if fields["name"] and same.exists():
        errors["name"] = (QT_TRANSLATE_NOOP("Office", "The price list has a service of this name already"), {})
    if errors:
        raise ValidationError(errors)
    with atomic():
        if entry_id is None:
            entry = PriceEntry.create(item=item, sort_order=PriceEntry.select().count(), **fields)
            audit.record(user, "price.add", "price_entry", entry.id, entry.name, {"pricing": pricing})
        else:
            entry = get(entry_id)
            before = {k: str(getattr(entry, k)) for k in (*fields, "item_id")}
            for k, v in fields.items():
                setattr(entry, k, v)
            entry.item = item
            entry.save()
            changes = {k: [before[k], str(getattr(entry, k))] for k in before if before[k] != str(getattr(entry, k))}
            if changes:
                audit.record(user, "price.update", "price_entry", entry.id, entry.name, changes)
    return entry


def charge(entry: PriceEntry, *, quantity: str = "1", amount_of: str = "") -> Extra:
    """The service as charged: `quantity` units at its price, or its share of `amount_of`
    (the month's rent typed by the clerk), exact to the fen, half up; ValidationError by
    the field for a quantity or an amount that is not one."""
    if not entry.active:
        raise ValidationError({"service": (QT_TRANSLATE_NOOP("Office", "This service is no longer on the price list"),
                                           {})})
    if entry.pricing == "unit":
        m = _QUANTITY.match(str(quantity).translate(money._FULLWIDTH))
        count = _decimal(m) if m else Fraction(0)
        if not m or not 0 < count <= MOST_QUANTITY:
            raise ValidationError({"quantity": (QT_TRANSLATE_NOOP(
                "Office", "Write how many, more than 0 and at most {most} (two decimals at most)"),
                {"most": MOST_QUANTITY})})
        amount = money.round_half_up(entry.price * count)
        shown = str(quantity).strip()
        _check_amount(amount, "quantity")
        return Extra(entry.item.code, amount, entry.name, f"{shown}{entry.unit}",
                     f"{money.fmt(entry.price)}/{entry.unit}")
    try:
        of = money.parse(amount_of)
    except money.BadAmount as e:
        raise ValidationError({"amount_of": (e.template, e.params)}) from None
    problem = money.amount_problem(of)
    if problem:
        raise ValidationError({"amount_of": problem})
    amount = money.round_half_up(of * entry.share_fraction)
    _check_amount(amount, "amount_of")
    return Extra(entry.item.code, amount, f"{entry.name} {entry.base}{money.fmt(of)}×{entry.share}%")


def _check_amount(amount: int, field: str) -> None:
    problem = money.amount_problem(amount)
    if problem:
        raise ValidationError({field: (QT_TRANSLATE_NOOP(
            "Office", "This comes to {amount}: not an amount the counter can take"), {"amount": money.fmt(amount)})})
