"""Fee items (收费项目) and the houses subscribed to them, and how an amount is worked out:
area × price × months, a fixed price per month, tiered meter tariffs, a shared total split
to the fen. Amounts are exact (Fraction of fen) until the item's rounding rule makes them
whole fen, once.

Prices are kept in 1/10,000 yuan (2.3500 元/m²/月 is 23500); areas in 1/100 m²."""
from __future__ import annotations

import calendar
import datetime
import json
import re
from dataclasses import dataclass
from fractions import Fraction

import peewee as pw

from models import audit, money, users, validation
from models.db import BaseModel, atomic
from models.errors import NotFound, QT_TRANSLATE_NOOP, ValidationError
from models.estate import House

KINDS = {
    "area": QT_TRANSLATE_NOOP("Office", "By floor area, per month"),  # 按面积
    "fixed": QT_TRANSLATE_NOOP("Office", "Fixed, per month"),  # 定额(每户/每个车位)
    "metered": QT_TRANSLATE_NOOP("Office", "Metered"),  # 抄表
    "shared": QT_TRANSLATE_NOOP("Office", "Shared utilities"),  # 公摊
    "deposit": QT_TRANSLATE_NOOP("Office", "Refundable deposit"),  # 押金/保证金
    "oneoff": QT_TRANSLATE_NOOP("Office", "One-off"),  # 临时/一次性
}
PERIODIC = {"area", "fixed"}  # what a monthly billing run posts by the month
SUBSCRIBED = PERIODIC | {"metered", "shared"}  # what a house is put on (meters are read, shares split)
TIER_PERIODS = {"month": QT_TRANSLATE_NOOP("Office", "Monthly"), "year": QT_TRANSLATE_NOOP("Office", "Yearly")}


class FeeItem(BaseModel):
    code = pw.CharField(max_length=32, unique=True)
    name = pw.CharField(max_length=64)
    kind = pw.CharField(max_length=16)
    unit_price = pw.BigIntegerField(default=0)
    unit = pw.CharField(max_length=16, default="")
    rounding = pw.CharField(max_length=16, default="half_up")
    tiers = pw.TextField(default="")
    tier_period = pw.CharField(max_length=8, default="month")
    active = pw.BooleanField(default=True)
    sort_order = pw.IntegerField(default=0)
    note = pw.TextField(default="")

    class Meta:
        table_name = "fee_item"

    @property
    def tier_list(self) -> list[tuple[int | None, int]]:
        return [(upto, price) for upto, price in json.loads(self.tiers)] if self.tiers else []


class Subscription(BaseModel):
    house = pw.ForeignKeyField(House, on_delete="CASCADE", index=True)
    item = pw.ForeignKeyField(FeeItem, on_delete="RESTRICT")
    quantity = pw.IntegerField(default=1)
    unit_price = pw.BigIntegerField(null=True)
    starts = pw.DateField(null=True)
    ends = pw.DateField(null=True)
    note = pw.CharField(max_length=128, default="")

    class Meta:
        table_name = "subscription"

    def price(self) -> int:
        return self.item.unit_price if self.unit_price is None else self.unit_price


# --- periods ---------------------------------------------------------------------------

def parse_period(period: str) -> tuple[int, int]:
    """A month is written exactly like 2026-11: four digits, a dash, two digits, month 01 to 12
    (a month written any other way would be billed or read under a month of its own)."""
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", period) if isinstance(period, str) else None
    if match is None or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1:
        raise ValidationError({"period": (QT_TRANSLATE_NOOP("Office", "Write the month like 2026-11"), {})})
    return int(period[:4]), int(period[5:])


def month_days(period: str) -> tuple[datetime.date, datetime.date]:
    year, month = parse_period(period)
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


def months_used(period: str, starts: datetime.date | None, ends: datetime.date | None) -> Fraction:
    """How much of the month a subscription covers: 1, or days used ÷ days in the month
    for a first or last month begun or ended within it (DOMAIN.md), or 0."""
    first, last = month_days(period)
    begin = max(first, starts) if starts else first
    end = min(last, ends) if ends else last
    if end < begin:
        return Fraction(0)
    return Fraction((end - begin).days + 1, (last - first).days + 1)


def months_text(months: Fraction, english: bool = False) -> str:
    """The months in a charge's quantity: "1 月", "15/31 月" as stored and printed on
    Chinese papers; "1 month", "15/31 month", "2 months" for an English screen."""
    number = str(months.numerator) if months.denominator == 1 else f"{months.numerator}/{months.denominator}"
    if english:
        return f"{number} {'months' if months > 1 else 'month'}"
    return f"{number} 月"


def due_date(posted: datetime.date, due_day: int) -> datetime.date:
    """A charge is due on the due day of the month it is posted in, or of the next month
    when posted after that day (DOMAIN.md)."""
    if posted.day <= due_day:
        return posted.replace(day=due_day)
    year, month = (posted.year + 1, 1) if posted.month == 12 else (posted.year, posted.month + 1)
    return datetime.date(year, month, due_day)


# --- amounts ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Amount:
    """What a charge will be: whole fen, and how it reads on the receipt."""
    fen: int
    quantity: str
    unit_price: str


def periodic_amount(item: FeeItem, sub: Subscription, house: House, period: str) -> Amount | None:
    """A monthly item's charge for one house and month, or None when nothing is due."""
    return monthly_amount(item.kind, item.rounding, item.unit, sub.price(), sub.quantity, house.area,
                          months_used(period, sub.starts, sub.ends))


def monthly_amount(kind: str, rounding: str, unit: str, price: int, quantity: int, area: int,
                   months: Fraction) -> Amount | None:
    """The same from plain values (a billing run reads thousands of rows as tuples)."""
    if months == 0:
        return None
    months = Fraction(months)
    if kind == "area":
        # area (1/100 m²) × price (1/10,000 yuan) × months → fen: ÷ 100 ÷ 10,000 × 100
        numerator, denominator = area * price * months.numerator, 10_000 * months.denominator
        quantity_text = f"{area // 100}.{area % 100:02d} m² × {months_text(months)}"
    elif kind == "fixed":
        numerator, denominator = quantity * price * months.numerator, 100 * months.denominator
        quantity_text = f"{quantity} × {months_text(months)}"
    else:
        return None
    fen = money.round_ratio(numerator, denominator, rounding)  # exact, in integers, rounded once
    if fen == 0:
        return None
    return Amount(fen, quantity_text, money.price_text(price, unit))


def tiered_amount(usage: int, tiers: list[tuple[int | None, int]], used_before: int = 0) -> Fraction:
    """Exact fen for `usage` units under a tiered tariff [(up_to, price), …, (None, price)],
    the tiers counted from `used_before` units already used in the tier period (a yearly
    阶梯电价 counts from January)."""
    if usage < 0:
        raise ValueError(usage)
    total = Fraction(0)
    position, remaining = used_before, usage
    for upto, price in tiers:
        if remaining <= 0:
            break
        if upto is not None and position >= upto:
            continue  # this tier was filled earlier in the period
        room = remaining if upto is None else min(remaining, upto - position)
        total += Fraction(room * price, 100)  # units × 1/10,000 yuan → fen
        remaining -= room
        position += room
    if remaining > 0:
        raise ValueError("the last tier must be open-ended")
    return total


def split(total: int, weights: list[int]) -> list[int]:
    """A shared total (fen) in parts proportional to `weights` (areas, or 1 per household),
    by the largest-remainder rule: the parts add up to the total to the fen."""
    if not weights or sum(weights) <= 0:
        raise ValueError("nothing to share among")
    whole = sum(weights)
    exact = [Fraction(total * w, whole) for w in weights]
    parts = [int(e) for e in exact]  # floor (totals are not negative)
    left = total - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in by_remainder[:left]:
        parts[i] += 1
    return parts


# --- items and subscriptions -------------------------------------------------------------

def items(active_only: bool = True) -> list[FeeItem]:
    q = FeeItem.select().order_by(FeeItem.sort_order, FeeItem.id)
    if active_only:
        q = q.where(FeeItem.active == True)  # noqa: E712 - peewee expression
    return list(q)


def item(code: str) -> FeeItem:
    found = FeeItem.get_or_none(FeeItem.code == code)
    if found is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "There is no fee item {code}"), code=code)
    return found


MAX_PRICE = 10 ** 13 - 1  # 999,999,999.9999 元, what parse_price reads: the column and any bill hold it


def price_problem(value):
    """Why `value` cannot be a unit price (1/10,000 yuan, an int as parse_price gives it), or
    None: a field error as the fee form shows it. Not a bool, not negative (a negative price
    would post a credit to every house on the next run), at most MAX_PRICE."""
    whole = isinstance(value, int) and not isinstance(value, bool)
    if whole and 0 <= value <= MAX_PRICE:
        return None
    text = money.price_text(value) if whole else str(value)
    return (QT_TRANSLATE_NOOP("Office", "\"{text}\" is not a price; write it like 1.85 or 2.3500 "
                                        "(at most 4 decimals)"), {"text": text[:40]})


def _price(value, errors: dict, key: str):
    """A price given as text (parsed as the form parses it) or as 1/10,000 yuan, checked;
    a float (2.5 is not what anyone typed) or a bool is no price."""
    if not isinstance(value, (int, str)) or isinstance(value, bool):
        errors[key] = price_problem(value)
        return None
    try:
        price = value if isinstance(value, int) else money.parse_price(value)
    except money.BadAmount as e:
        errors[key] = (e.template, e.params)
        return None
    if price_problem(price):
        errors[key] = price_problem(price)
        return None
    return price


def _check_tiers(tiers, errors: dict) -> str:
    if not tiers:
        return ""
    try:
        rows = [(None if upto is None else int(upto), int(price)) for upto, price in tiers]
        tops = [upto for upto, _ in rows[:-1]]
        if rows[-1][0] is not None or None in tops or tops != sorted(set(tops)) or any(t <= 0 for t in tops) \
                or any(p < 0 or p > MAX_PRICE for _, p in rows) or any(t >= 10 ** 12 for t in tops) \
                or any(isinstance(v, (bool, float)) for row in tiers for v in row):
            raise ValueError
    except (ValueError, TypeError, OverflowError):
        errors["tiers"] = (QT_TRANSLATE_NOOP(
            "Office", "Tiers go up in order, each with its upper limit, and the last one has none"), {})
        return ""
    return json.dumps(rows)


def update_item(user, code: str, **fields) -> FeeItem:
    """Change a fee item's price, unit, rounding, tiers or name; audited with before/after."""
    users.require(user, "fees.setup")
    it = item(code)
    errors: dict = {}
    clean = {}
    if "name" in fields:
        clean["name"] = str(fields["name"]).strip()
        if not clean["name"]:
            errors["name"] = (QT_TRANSLATE_NOOP("Office", "Give the item a name"), {})
    if "unit_price" in fields:
        clean["unit_price"] = _price(fields["unit_price"], errors, "unit_price")
    if "rounding" in fields:
        if fields["rounding"] not in money.ROUNDING:
            errors["rounding"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
        clean["rounding"] = fields["rounding"]
    if "tier_period" in fields:
        if fields["tier_period"] not in TIER_PERIODS:
            errors["tier_period"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
        clean["tier_period"] = fields["tier_period"]
    if "tiers" in fields:
        clean["tiers"] = _check_tiers(fields["tiers"], errors)
    for key in ("unit", "note", "active"):
        if key in fields:
            clean[key] = fields[key] if key == "active" else str(fields[key]).strip()
    validation.check_lengths(FeeItem, clean, errors)
    if errors:
        raise ValidationError(errors)
    with atomic():
        changes = {k: [str(getattr(it, k)), str(v)] for k, v in clean.items() if getattr(it, k) != v}
        for k, v in clean.items():
            setattr(it, k, v)
        it.save()
        if changes:
            audit.record(user, "fee.update", "fee_item", it.id, it.name, changes)
    return it


def subscribe(user, house_id: int, code: str, *, quantity: int = 1, unit_price: int | None = None,
              starts: datetime.date | None = None, ends: datetime.date | None = None, note: str = "") -> Subscription:
    """Put a house on a monthly fee item. The service fee starts from the handover date
    (the day the owner collected the keys) unless a start is given."""
    users.require(user, "fees.setup")
    it = item(code)
    house = House.get_or_none(House.id == house_id)
    if house is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This house no longer exists"))
    errors: dict = {}
    if it.kind not in SUBSCRIBED:
        errors["item"] = (QT_TRANSLATE_NOOP("Office", "Only monthly, metered and shared items are subscribed to"), {})
    if not (isinstance(quantity, int) and not isinstance(quantity, bool) and 1 <= quantity <= 999):
        errors["quantity"] = (QT_TRANSLATE_NOOP("Office", "Enter a whole number from {low} to {high}"),
                              {"low": 1, "high": 999})
    if unit_price is not None:  # the house's own price instead of the item's
        unit_price = _price(unit_price, errors, "unit_price")
    if starts is None and it.kind == "area":
        starts = house.handover_date
    if starts and ends and ends < starts:
        errors["ends"] = (QT_TRANSLATE_NOOP("Office", "The end date is before the start date"), {})
    if errors:
        raise ValidationError(errors)
    with atomic():
        sub = Subscription.create(house=house, item=it, quantity=quantity, unit_price=unit_price, starts=starts,
                                  ends=ends, note=note.strip()[:128])
        audit.record(user, "fee.subscribe", "house", house.id, f"{house.label} {it.name}",
                     {"quantity": quantity, "starts": starts, "ends": ends})
    return sub


def start_fee(user, house: House, item: FeeItem, starts: datetime.date) -> Subscription:
    """A monthly fee started by an office procedure that checked its own permission (a
    move-in's handover, models.movein): the item's own price, from `starts`."""
    with atomic():
        sub = Subscription.create(house=house, item=item, quantity=1, unit_price=None, starts=starts, ends=None,
                                  note="入住")
        audit.record(user, "fee.subscribe", "house", house.id, f"{house.label} {item.name}",
                     {"quantity": 1, "starts": starts, "ends": None, "by": "movein"})
    return sub


def end_subscription(user, subscription_id: int, ends: datetime.date) -> Subscription:
    users.require(user, "fees.setup")
    sub = Subscription.get_or_none(Subscription.id == subscription_id)
    if sub is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This fee no longer exists for the house"))
    if sub.starts and ends < sub.starts:
        raise ValidationError({"ends": (QT_TRANSLATE_NOOP("Office", "The end date is before the start date"), {})})
    with atomic():
        sub.ends = ends
        sub.save()
        audit.record(user, "fee.unsubscribe", "house", sub.house_id, f"{sub.house.label} {sub.item.name}",
                     {"ends": ends})
    return sub


def subscriptions(house_id: int) -> list[Subscription]:
    return list(Subscription.select(Subscription, FeeItem).join(FeeItem)
                .where(Subscription.house == house_id).order_by(FeeItem.sort_order, Subscription.id))


def subscribe_many(user, code: str, house_ids: list[int], *, starts: datetime.date | None = None) -> int:
    """Put many houses on a monthly item at once (setting up an office, a new item): each
    from its handover date (or `starts`, when later), skipping houses not yet handed over
    and houses already on the item. One transaction, one audit entry; returns how many."""
    users.require(user, "fees.setup")
    it = item(code)
    if it.kind not in SUBSCRIBED:
        raise ValidationError({"item": (QT_TRANSLATE_NOOP(
            "Office", "Only monthly, metered and shared items are subscribed to"), {})})
    already = {h for (h,) in Subscription.select(Subscription.house)
               .where(Subscription.item == it, Subscription.ends.is_null()).tuples()}
    rows = []
    for house_id, handover in (House.select(House.id, House.handover_date)
                               .where(House.id.in_(house_ids)).tuples()):
        if house_id in already or handover is None:
            continue
        begin = max(handover, starts) if starts else handover
        rows.append(dict(house=house_id, item=it.id, quantity=1, starts=begin, note=""))
    with atomic():
        for start in range(0, len(rows), 500):
            Subscription.insert_many(rows[start:start + 500]).execute()
        audit.record(user, "fee.subscribe", "fee_item", it.id, f"{it.name} × {len(rows)}",
                     {"houses": len(rows), "starts": starts})
    return len(rows)
