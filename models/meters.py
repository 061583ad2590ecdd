"""Meter readings (抄表) and shared utility totals (公摊).

A house on a metered item (water, electricity) has its meter read once a month. The
reading is kept with the reading it counts from, so a month's usage is fixed when it is
entered: normal (this − last), rolled over past the meter's top (翻表), or across a
replaced meter (换表: the old meter's last reading and the new one's first). Entries are
checked before they are saved: a reading lower than the last is refused until it is
corrected or marked rolled over or replaced; usage over three times the house's average
is flagged. The billing run posts a charge from every reading not yet billed; a billed
reading is kept as it is.

A shared total is a month's bill for public lighting, pumps, lifts … (the office's own use
and landscaping left out), split by area or per household among the houses subscribed to
the item, to the fen by the largest-remainder rule."""
from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Callable

import peewee as pw

from models import audit, clock, db, fees, money, users
from models.db import BaseModel, atomic
from models.errors import NotFound, OfficeError, QT_TRANSLATE_NOOP, ValidationError
from models.estate import Building, House, Unit
from models.fees import FeeItem, Subscription
from models.users import User

STATUSES = {
    "normal": QT_TRANSLATE_NOOP("Office", "Normal"),
    "rollover": QT_TRANSLATE_NOOP("Office", "Rolled over"),  # 翻表
    "replaced": QT_TRANSLATE_NOOP("Office", "Meter replaced"),  # 换表
}
BASES = {
    "area": QT_TRANSLATE_NOOP("Office", "By floor area"),
    "household": QT_TRANSLATE_NOOP("Office", "Per household"),
}
HIGH_FACTOR = 3  # usage over this many times the house's average is flagged
AVERAGE_OF = 6  # months the average is taken over
DEFAULT_DIGITS = 5
MAX_READING = 10 ** 12


class Meter(BaseModel):
    subscription = pw.ForeignKeyField(Subscription, unique=True, on_delete="CASCADE")
    serial = pw.CharField(max_length=32, default="")
    digits = pw.IntegerField(default=DEFAULT_DIGITS)
    initial = pw.BigIntegerField(default=0)
    fitted_on = pw.DateField(null=True)

    class Meta:
        table_name = "meter"


class Reading(BaseModel):
    subscription = pw.ForeignKeyField(Subscription, on_delete="CASCADE")
    period = pw.CharField(max_length=7)
    previous = pw.BigIntegerField()
    reading = pw.BigIntegerField()
    usage = pw.BigIntegerField()
    status = pw.CharField(max_length=16, default="normal")
    old_final = pw.BigIntegerField(null=True)
    new_start = pw.BigIntegerField(null=True)
    read_on = pw.DateField()
    entered_at = pw.DateTimeField()
    entered_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    note = pw.CharField(max_length=128, default="")
    billed = pw.BooleanField(default=False)

    class Meta:
        table_name = "meter_reading"


class SharedTotal(BaseModel):
    item = pw.ForeignKeyField(FeeItem, on_delete="RESTRICT")
    period = pw.CharField(max_length=7)
    building = pw.ForeignKeyField(Building, null=True, on_delete="RESTRICT")
    total = pw.BigIntegerField()
    basis = pw.CharField(max_length=16, default="area")
    note = pw.CharField(max_length=128, default="")
    entered_at = pw.DateTimeField()
    entered_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    posted = pw.BooleanField(default=False)

    class Meta:
        table_name = "shared_total"


class ReadingsRefused(ValidationError):
    """Readings refused, each by its subscription; the message names the first house."""

    def __str__(self) -> str:
        first_template, params = next(iter(self.fields.values()))
        return f"{params.get('house', '')}: " + first_template.format(**params)


def reading_key(reading_id: int) -> str:
    """The charge key of a reading's charge: a reading is never billed twice."""
    return f"read:{reading_id}"


def share_key(share_id: int, subscription_id: int) -> str:
    return f"share:{share_id}:{subscription_id}"


# --- usage and the checks on an entry ------------------------------------------------------

def usage_of(previous: int, reading: int, status: str = "normal", digits: int = DEFAULT_DIGITS,
             old_final: int | None = None, new_start: int | None = None) -> int:
    """Units used since `previous`: this − last; past the top of a meter that rolled over
    (a 5-digit meter goes 99,990 → 00,012: 22 units); or the old meter's last stretch plus
    the new meter's first. Negative when a normal reading is lower than the last."""
    if status == "rollover":
        return 10 ** digits - previous + reading
    if status == "replaced":
        return (old_final - previous) + (reading - new_start)
    return reading - previous


@dataclass(frozen=True)
class Problem:
    code: str  # negative / high / too_big / replaced_bad / rollover_needless
    template: str
    params: dict
    blocking: bool


@dataclass
class GridRow:
    """One meter in the month's grid."""
    subscription_id: int
    house_id: int
    label: str
    owners: str
    serial: str
    digits: int
    previous: int  # the reading this month counts from
    previous_period: str  # "" when it is the meter's first
    average: Fraction | None  # of the last months' usage
    reading: int | None = None  # this month's, when entered
    status: str = "normal"
    old_final: int | None = None
    new_start: int | None = None
    usage: int | None = None
    note: str = ""
    billed: bool = False  # charged: kept as it is
    later: str = ""  # a later month is read: this one is kept as it is
    initial: int = 0  # the meter's reading when fitted

    @property
    def locked(self) -> bool:
        return self.billed or bool(self.later)


@dataclass(frozen=True)
class Entry:
    subscription_id: int
    reading: int
    status: str = "normal"
    old_final: int | None = None
    new_start: int | None = None
    note: str = ""


def check(row: GridRow, entry: Entry) -> tuple[int | None, list[Problem]]:
    """The usage an entry gives and what is wrong or unusual about it. A blocking problem
    keeps the entry from being saved; the others are warnings the clerk sees."""
    problems = []
    top = 10 ** row.digits
    numbers = [entry.reading] + [v for v in (entry.old_final, entry.new_start) if v is not None]
    if any(not isinstance(v, int) or isinstance(v, bool) or v < 0 or v >= MAX_READING for v in numbers):
        return None, [Problem("bad", QT_TRANSLATE_NOOP("Office", "A reading is a whole number of units, 0 or more"),
                              {}, True)]
    if entry.status == "replaced":
        if entry.old_final is None or entry.new_start is None:
            return None, [Problem("replaced_bad", QT_TRANSLATE_NOOP(
                "Office", "A replaced meter needs the old meter's last reading and the new meter's first"), {}, True)]
        if entry.old_final < row.previous:
            return None, [Problem("replaced_bad", QT_TRANSLATE_NOOP(
                "Office", "The old meter's last reading {old} is lower than its reading last month {previous}"),
                {"old": entry.old_final, "previous": row.previous}, True)]
        if entry.reading < entry.new_start:
            return None, [Problem("replaced_bad", QT_TRANSLATE_NOOP(
                "Office", "The reading {reading} is lower than the new meter's first reading {start}"),
                {"reading": entry.reading, "start": entry.new_start}, True)]
    elif entry.reading >= top:
        return None, [Problem("too_big", QT_TRANSLATE_NOOP(
            "Office", "This meter has {digits} digits: its reading is at most {top}"),
            {"digits": row.digits, "top": top - 1}, True)]
    if entry.status == "rollover" and entry.reading >= row.previous:
        return None, [Problem("rollover_needless", QT_TRANSLATE_NOOP(
            "Office", "The reading is not lower than last month's {previous}: the meter did not roll over"),
            {"previous": row.previous}, True)]
    usage = usage_of(row.previous, entry.reading, entry.status, row.digits, entry.old_final, entry.new_start)
    if usage < 0:
        return usage, [Problem("negative", QT_TRANSLATE_NOOP(
            "Office", "Lower than last month's reading {previous}: correct it, or mark the meter rolled over or "
                      "replaced"), {"previous": row.previous}, True)]
    if row.average and usage > HIGH_FACTOR * row.average:
        problems.append(Problem("high", QT_TRANSLATE_NOOP(
            "Office", "Usage {usage} is more than three times this house's average of {average}"),
            {"usage": usage, "average": f"{float(row.average):.1f}"}, False))
    if entry.status == "rollover":
        problems.append(Problem("rollover", QT_TRANSLATE_NOOP("Office", "Rolled over past {top}"),
                                {"top": top - 1}, False))
    if entry.status == "replaced":
        problems.append(Problem("replaced", QT_TRANSLATE_NOOP(
            "Office", "Meter replaced: old meter to {old}, new meter from {start}"),
            {"old": entry.old_final, "start": entry.new_start}, False))
    return usage, problems


# --- the month's grid ---------------------------------------------------------------------

def metered_items() -> list[FeeItem]:
    return [i for i in fees.items() if i.kind == "metered"]


def _metered(code: str) -> FeeItem:
    it = fees.item(code)
    if it.kind != "metered":
        raise ValidationError({"item": (QT_TRANSLATE_NOOP("Office", "{name} is not read from meters"),
                                        {"name": it.name})})
    return it


def grid(user, code: str, period: str, *, building_id: int | None = None,
         house_ids: list[int] | None = None) -> list[GridRow]:
    """Every house on the metered item `code` in the month (in a building, or the whole
    estate), in house order, with last month's reading, the average usage, and this
    month's reading when entered."""
    users.require(user, "fees.view")
    it = _metered(code)
    first, last = fees.month_days(period)
    q = (Subscription.select(Subscription.id, House.id, House.label, House.owner_names,
                             Meter.serial, Meter.digits, Meter.initial)
         .join(House).switch(Subscription)
         .join(Meter, pw.JOIN.LEFT_OUTER, on=(Meter.subscription == Subscription.id))
         .where(Subscription.item == it.id,
                (Subscription.starts.is_null()) | (Subscription.starts <= last),
                (Subscription.ends.is_null()) | (Subscription.ends >= first)))
    if building_id is not None:
        q = q.where(House.unit.in_(Unit.select(Unit.id).where(Unit.building == building_id)))
    if house_ids is not None:
        q = q.where(House.id.in_(house_ids))
    rows = {}
    for sub_id, house_id, label, owners, serial, digits, initial in q.order_by(House.sort_code, Subscription.id).tuples():
        rows[sub_id] = GridRow(sub_id, house_id, label, owners, serial or "", digits or DEFAULT_DIGITS,
                               initial or 0, "", None, initial=initial or 0)
    if not rows:
        return []
    history: dict[int, list] = {}
    ids = list(rows)
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        for r in (Reading.select(Reading.subscription_id, Reading.period, Reading.previous, Reading.reading,
                                 Reading.usage, Reading.status, Reading.old_final, Reading.new_start, Reading.note,
                                 Reading.billed)
                  .where(Reading.subscription.in_(chunk)).order_by(Reading.period).tuples()):
            history.setdefault(r[0], []).append(r)
    for sub_id, row in rows.items():
        earlier = []
        for (_, p, previous, reading, usage, status, old_final, new_start, note, billed) in history.get(sub_id, []):
            if p < period:
                row.previous, row.previous_period = reading, p
                earlier.append(usage)
            elif p == period:
                row.reading, row.status, row.old_final, row.new_start = reading, status, old_final, new_start
                row.usage, row.note, row.billed = usage, note, billed
                row.previous = previous  # as it was when entered
            elif not row.later:
                row.later = p
        recent = earlier[-AVERAGE_OF:]
        row.average = Fraction(sum(recent), len(recent)) if recent else None
    return list(rows.values())


def save(user, period: str, entries: list[Entry], *, read_on: datetime.date | None = None) -> int:
    """Save the month's readings, all or none. Each is checked against the reading it counts
    from; a blocking problem refuses the whole save, naming the house. Returns how many
    readings were written (an unchanged one is not). Readings wait for the months before
    theirs to be billed: a month read past an unbilled one would miss its bill."""
    users.require(user, "meters.enter")
    fees.parse_period(period)
    if not entries:
        return 0
    read_on = read_on or clock.today()
    from models import billing, cashier

    with atomic():
        cashier.lock_money()  # a billing run at another PC reads the readings it charges
        billing.check_in_order(period, readings=True)
        subs = [e.subscription_id for e in entries]
        item_ids = {i for (i,) in Subscription.select(Subscription.item).where(Subscription.id.in_(subs)).tuples()}
        if len(item_ids) != 1:
            raise ValidationError({"item": (QT_TRANSLATE_NOOP("Office", "These readings are not of one fee item"), {})})
        item_id = item_ids.pop()
        code = FeeItem.get_by_id(item_id).code
        current = {r.subscription_id: r for r in grid(user, code, period,
                                                      house_ids=[h for (h,) in Subscription.select(Subscription.house)
                                                                 .where(Subscription.id.in_(subs)).tuples()])}
        errors, written = {}, 0
        existing = {r.subscription_id: r for r in Reading.select().where(Reading.subscription.in_(subs),
                                                                          Reading.period == period)}
        now = clock.now()
        for e in entries:
            row = current.get(e.subscription_id)
            if row is None:
                raise NotFound(QT_TRANSLATE_NOOP("Office", "This house is not on this item in {period}"), period=period)
            if row.billed:
                errors[str(e.subscription_id)] = (QT_TRANSLATE_NOOP(
                    "Office", "This reading is billed already and is kept as it is"), {"house": row.label})
                continue
            if row.later:
                errors[str(e.subscription_id)] = (QT_TRANSLATE_NOOP(
                    "Office", "{later} is read already; this month is kept as it is"),
                    {"house": row.label, "later": row.later})
                continue
            if e.status not in STATUSES:
                errors[str(e.subscription_id)] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"),
                                                  {"house": row.label})
                continue
            usage, problems = check(row, e)
            blocking = [p for p in problems if p.blocking]
            if blocking:
                p = blocking[0]
                errors[str(e.subscription_id)] = (p.template, {"house": row.label, **p.params})
                continue
            values = dict(previous=row.previous, reading=e.reading, usage=usage, status=e.status,
                          old_final=e.old_final if e.status == "replaced" else None,
                          new_start=e.new_start if e.status == "replaced" else None, note=e.note[:128])
            old = existing.get(e.subscription_id)
            if old is not None:
                if all(getattr(old, k) == v for k, v in values.items()):
                    continue
                Reading.update(read_on=read_on, entered_at=now, entered_by=user.id, **values).where(
                    Reading.id == old.id).execute()
            else:
                Reading.create(subscription=e.subscription_id, period=period, read_on=read_on, entered_at=now,
                               entered_by=user.id, **values)
            if e.status == "replaced":  # the replacement itself is kept on the reading
                meter, _ = Meter.get_or_create(subscription=e.subscription_id)
                meter.fitted_on = read_on
                meter.save()
            written += 1
        if errors:
            raise ReadingsRefused(errors)
        if written:
            audit.record(user, "meter.read", "fee_item", item_id, f"{code} {period}", {"readings": written})
    return written


def set_meter(user, subscription_id: int, *, serial: str = "", digits: int = DEFAULT_DIGITS,
              initial: int = 0) -> Meter:
    """A meter's serial, digits and starting reading (before its first reading)."""
    users.require(user, "meters.enter")
    errors = {}
    if not isinstance(digits, int) or isinstance(digits, bool) or not 3 <= digits <= 9:
        errors["digits"] = (QT_TRANSLATE_NOOP("Office", "A meter has 3 to 9 digits"), {})
    elif not isinstance(initial, int) or isinstance(initial, bool) or not 0 <= initial < 10 ** digits:
        errors["initial"] = (QT_TRANSLATE_NOOP("Office", "The starting reading must fit the meter's digits"), {})
    if len(serial) > 32:
        errors["serial"] = (QT_TRANSLATE_NOOP("Office", "At most {n} characters"), {"n": 32})
    if errors:
        raise ValidationError(errors)
    with atomic():
        meter, _ = Meter.get_or_create(subscription=subscription_id)
        if initial != meter.initial and Reading.select().where(Reading.subscription == subscription_id).exists():
            raise ValidationError({"initial": (QT_TRANSLATE_NOOP(
                "Office", "This meter has readings already; a new meter is entered as a replacement"), {})})
        meter.serial, meter.digits, meter.initial = serial.strip(), digits, initial
        meter.save()
        audit.record(user, "meter.set", "subscription", subscription_id, serial, {"digits": digits})
    return meter


# --- importing readings from Excel ---------------------------------------------------------

HOUSE_HEADERS = ("房号", "房屋编号", "门牌号", "房屋", "房间号", "house")
READING_HEADERS = ("本月读数", "本期读数", "本月止码", "止码", "本期止码", "读数", "本月表数", "reading")


@dataclass
class ImportReport:
    entries: list[Entry] = field(default_factory=list)
    problems: list[tuple[int, str, str, dict]] = field(default_factory=list)  # row, column, template, params
    rows: int = 0
    written: int = 0


def _clean(value) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip() if value is not None else ""


def _whole(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = _clean(value).replace(",", "")
    if re.fullmatch(r"\d+(?:\.0*)?", text):
        return int(text.split(".")[0])
    return None


def import_workbook(user, code: str, period: str, path: str | Path, *, write: bool = False) -> ImportReport:
    """Read a month's readings from an .xlsx: a house column (房号 …) and a reading column
    (本月读数 …), found by their headers in the first rows. Every problem is listed by row
    and column; nothing is written unless `write` and there are none (all or nothing)."""
    from models import billing, importing, search

    users.require(user, "meters.enter")
    billing.check_in_order(period, readings=True)
    report = ImportReport()
    book = importing.open_book(path)
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header_at, columns = None, {}
        head = []
        for n, values in enumerate(rows, start=1):
            head.append(values)
            names = [_clean(v).replace(" ", "") for v in values]
            house_col = next((i for i, v in enumerate(names) if v in HOUSE_HEADERS), None)
            reading_col = next((i for i, v in enumerate(names) if v in READING_HEADERS), None)
            if house_col is not None and reading_col is not None:
                header_at, columns = n, {"house": house_col, "reading": reading_col}
                break
            if n >= 10:
                break
        if header_at is None:
            raise OfficeError(QT_TRANSLATE_NOOP(
                "Office", "No header row with a house column (房号) and a reading column (本月读数) in the first "
                          "10 rows"))
        by_label = {r.label: r for r in grid(user, code, period)}
        seen = {}
        for n, values in enumerate(rows, start=header_at + 1):
            values = list(values) + [None] * 2
            house_text, reading_value = _clean(values[columns["house"]]), values[columns["reading"]]
            if not house_text and (reading_value is None or _clean(reading_value) == ""):
                continue  # an empty line
            report.rows += 1
            label = search.label_of(house_text) or house_text
            row = by_label.get(label)
            if row is None:
                report.problems.append((n, "house", QT_TRANSLATE_NOOP(
                    "Office", "No house {house} on this item"), {"house": house_text}))
                continue
            if label in seen:
                report.problems.append((n, "house", QT_TRANSLATE_NOOP(
                    "Office", "{house} is listed twice (also on row {row})"), {"house": label, "row": seen[label]}))
                continue
            seen[label] = n
            reading = _whole(reading_value)
            if reading is None:
                report.problems.append((n, "reading", QT_TRANSLATE_NOOP(
                    "Office", "\"{value}\" is not a reading (a whole number)"), {"value": _clean(reading_value)}))
                continue
            if row.locked:
                report.problems.append((n, "house", QT_TRANSLATE_NOOP(
                    "Office", "{house}: this month's reading is billed or a later month is read"), {"house": label}))
                continue
            entry = Entry(row.subscription_id, reading)
            _usage, problems = check(row, entry)
            blocking = [p for p in problems if p.blocking]
            if blocking:
                report.problems.append((n, "reading", blocking[0].template, blocking[0].params))
                continue
            report.entries.append(entry)
    finally:
        book.close()
    if write and not report.problems and report.entries:
        report.written = save(user, period, report.entries)
    return report


# --- shared totals (公摊) ----------------------------------------------------------------

def set_share(user, code: str, period: str, total: int, *, basis: str = "area", building_id: int | None = None,
              note: str = "") -> SharedTotal:
    """Enter (or correct, before it is billed) a month's shared total for an item."""
    users.require(user, "billing.run")
    it = fees.item(code)
    fees.parse_period(period)
    errors = {}
    if it.kind != "shared":
        errors["item"] = (QT_TRANSLATE_NOOP("Office", "{name} is not a shared item"), {"name": it.name})
    if money.amount_problem(total):
        errors["total"] = money.amount_problem(total)
    if basis not in BASES:
        errors["basis"] = (QT_TRANSLATE_NOOP("Office", "Choose how it is shared"), {})
    if errors:
        raise ValidationError(errors)
    from models import billing, cashier

    with atomic():
        cashier.lock_money()  # one estate-wide row a month (NULL building is not unique in SQL)
        billing.check_in_order(period, readings=True)  # a share past an unbilled month would miss its bill
        existing = SharedTotal.get_or_none(SharedTotal.item == it.id, SharedTotal.period == period,
                                           SharedTotal.building == building_id if building_id else
                                           SharedTotal.building.is_null())
        if existing is not None and existing.posted:
            raise ValidationError({"total": (QT_TRANSLATE_NOOP(
                "Office", "This month's share is billed already and is kept as it is"), {})})
        overlap = SharedTotal.select().where(SharedTotal.item == it.id, SharedTotal.period == period,
                                             SharedTotal.building.is_null(False) if building_id is None
                                             else SharedTotal.building.is_null())
        if overlap.exists():  # a house would pay its share of the same bill twice
            raise ValidationError({"building": (QT_TRANSLATE_NOOP(
                "Office", "{name} for {period} is shared over the whole estate and by building at once; "
                          "enter it one way"), {"name": it.name, "period": period})})
        if not share_houses(it.id, period, building_id):
            raise ValidationError({"item": (QT_TRANSLATE_NOOP(
                "Office", "No house is subscribed to {name} there in {period}"), {"name": it.name, "period": period})})
        if existing is None:
            existing = SharedTotal(item=it, period=period, building=building_id)
        existing.total, existing.basis, existing.note = total, basis, note[:128]
        existing.entered_at, existing.entered_by = clock.now(), user.id
        existing.save()
        audit.record(user, "share.set", "fee_item", it.id, f"{it.name} {period}", {"total": total, "basis": basis})
    return existing


def share_houses(item_id: int, period: str, building_id: int | None) -> list[tuple[int, int, str, int]]:
    """(subscription, house, label, area) of the houses a share is split among."""
    first, last = fees.month_days(period)
    q = (Subscription.select(Subscription.id, House.id, House.label, House.area).join(House)
         .where(Subscription.item == item_id,
                (Subscription.starts.is_null()) | (Subscription.starts <= last),
                (Subscription.ends.is_null()) | (Subscription.ends >= first)))
    if building_id is not None:
        q = q.where(House.unit.in_(Unit.select(Unit.id).where(Unit.building == building_id)))
    return list(q.order_by(House.sort_code, Subscription.id).tuples())


# --- what the billing run charges --------------------------------------------------------

@dataclass(frozen=True)
class MeterCharge:
    house_id: int
    label: str
    item_id: int
    code: str
    name: str
    period: str
    amount: int
    quantity: str
    unit_price: str
    key: str
    ref: int  # the reading's or share's id


def unbilled_readings(upto: str, report: Callable[[int], None] | None = None) -> list[MeterCharge]:
    """A charge for every reading of `upto` or before that is not billed: usage × price,
    or by the item's tiers (a yearly tier counts the usage billed from January)."""
    q = (Reading.select(Reading.id, Reading.period, Reading.usage, Reading.previous, Reading.reading, Reading.status,
                        Subscription.id, Subscription.unit_price, FeeItem.id, FeeItem.code, FeeItem.name,
                        FeeItem.unit_price, FeeItem.unit, FeeItem.rounding, FeeItem.tiers, FeeItem.tier_period,
                        House.id, House.label)
         .join(Subscription).join(FeeItem).switch(Subscription).join(House)
         .where(Reading.billed == False, Reading.period <= upto)  # noqa: E712
         .order_by(House.sort_code, FeeItem.sort_order, Reading.period))
    out = []
    yearly_cache: dict[tuple[int, str], int] = {}
    tier_lists: dict[int, list] = {}
    for n, (rid, period, usage, previous, reading, status, sub_id, own_price, item_id, code, name, price, unit,
            rounding, tiers_json, tier_period, house_id, label) in enumerate(db.raw_rows(q), start=1):
        if item_id not in tier_lists:
            tier_lists[item_id] = FeeItem(tiers=tiers_json).tier_list
        tiers = tier_lists[item_id]
        if tiers and own_price is None:
            before = 0
            if tier_period == "year":
                key = (sub_id, period)
                if key not in yearly_cache:
                    yearly_cache[key] = int(Reading.select(pw.fn.COALESCE(pw.fn.SUM(Reading.usage), 0)).where(
                        Reading.subscription == sub_id, Reading.period >= period[:4] + "-01",
                        Reading.period < period).scalar())
                before = yearly_cache[key]
            else:  # monthly tiers: a reading after a month left unread spans both months' tiers
                span = _months_since_last_reading(sub_id, period)
                if span > 1:
                    tiers = [(None if upto is None else upto * span, p) for upto, p in tiers]
            fen = money.round_by(fees.tiered_amount(usage, tiers, before), rounding)
            unit_text = "阶梯价"  # printed on the receipt, like the rest of a charge's wording
        else:
            p = price if own_price is None else own_price
            fen = money.round_ratio(usage * p, 100, rounding)  # units × 1/10,000 yuan → fen, exactly, once
            unit_text = money.price_text(p, unit)
        word = "翻表 " if status == "rollover" else "换表 " if status == "replaced" else ""
        out.append(MeterCharge(house_id, label, item_id, code, name, period, fen,
                               f"{word}{previous}→{reading} 用量 {usage}"[:64], unit_text, reading_key(rid), rid))
        if report is not None and n % 500 == 0:
            report(n)
    return out


def _months_since_last_reading(subscription_id: int, period: str) -> int:
    last = (Reading.select(pw.fn.MAX(Reading.period))
            .where(Reading.subscription == subscription_id, Reading.period < period).scalar())
    if not last:
        return 1
    (y1, m1), (y2, m2) = fees.parse_period(last), fees.parse_period(period)
    return max(1, (y2 - y1) * 12 + m2 - m1)


def unposted_shares(upto: str) -> list[MeterCharge]:
    """Every share of `upto` or before not yet billed, split among its houses."""
    out = []
    for share in (SharedTotal.select(SharedTotal, FeeItem).join(FeeItem)
                  .where(SharedTotal.posted == False, SharedTotal.period <= upto)  # noqa: E712
                  .order_by(SharedTotal.period, SharedTotal.id)):
        houses = share_houses(share.item_id, share.period, share.building_id)
        if not houses:
            continue
        weights = [area if share.basis == "area" else 1 for (_s, _h, _l, area) in houses]
        if sum(weights) <= 0:
            continue
        parts = fees.split(share.total, weights)
        basis = "按面积" if share.basis == "area" else "按户"
        for (sub_id, house_id, label, area), part in zip(houses, parts):
            if part > 0:
                out.append(MeterCharge(house_id, label, share.item_id, share.item.code, share.item.name, share.period,
                                       part, f"{basis} 共{money.fmt(share.total)}元"[:64], "",
                                       share_key(share.id, sub_id), share.id))
    return out
