"""Arrears (欠费) and the collection rate (收缴率): who owes what, by building and house,
and for a month what was paid of what was billed, per item and overall, with the money
recovered in that month for earlier months shown beside it, not mixed in."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction

import peewee as pw

from models import billing, clock, db, fees, settings, users
from models.billing import Charge
from models.cashier import Settlement
from models.estate import House, Unit
from models.fees import FeeItem


def target() -> Fraction:
    """The collection rate the office aims at: an office setting (DOMAIN.md: ≥ 96 %)."""
    return Fraction(settings.office.target_collection_percent, 100)


@dataclass(frozen=True)
class HouseArrears:
    house_id: int
    label: str
    owners: str
    months: int  # how many months it owes for past their due date: what dunning counts
    oldest: str  # the oldest month owed
    owed: int  # fen of principal unpaid, due or not
    not_due: int = 0  # fen of that principal not yet due (posted, its due date not passed)
    sort_code: str = ""  # the house's place in the list (estate.house_sort_code): the key pages are read by


def _paid_by_charge():
    return (Settlement.select(Settlement.charge.alias("charge_id"), pw.fn.SUM(Settlement.principal).alias("paid"))
            .where(Settlement.void == False)  # noqa: E712
            .group_by(Settlement.charge))


def _unpaid():
    paid = _paid_by_charge().alias("p")
    return paid, unpaid_of(paid)


def unpaid_of(paid):
    """What a charge still owes, given the query of what was paid on each: nothing once it
    is withdrawn (a counter charge whose receipt was voided)."""
    return pw.Case(None, [(Charge.withdrawn == True, 0)],  # noqa: E712 - peewee expression
                   Charge.amount - pw.fn.COALESCE(paid.c.paid, 0))


def _in_building(q, building_id: int | None):
    if building_id is not None:
        q = q.where(House.unit.in_(Unit.select(Unit.id).where(Unit.building == building_id)))
    return q


def _owing(building_id: int | None):
    """The houses with a charge not fully paid (a query of House.id, House.sort_code)."""
    paid, unpaid = _unpaid()
    q = (Charge.select(House.id, House.sort_code).join(House).switch(Charge)
         .join(paid, pw.JOIN.LEFT_OUTER, on=(paid.c.charge_id == Charge.id))
         .where(unpaid > 0).distinct())
    return _in_building(q, building_id)


def _of_houses(house_ids, building_id: int | None, on: datetime.date) -> list[HouseArrears]:
    paid, unpaid = _unpaid()
    q = (Charge.select(House.id, House.label, House.owner_names, House.sort_code, Charge.period, Charge.due_date,
                       unpaid.alias("unpaid"))
         .join(House).switch(Charge)
         .join(paid, pw.JOIN.LEFT_OUTER, on=(paid.c.charge_id == Charge.id))
         .where(unpaid > 0))
    if house_ids is not None:
        q = q.where(House.id.in_(house_ids))
    q = _in_building(q, building_id).order_by(House.sort_code, House.id, Charge.period)
    out: dict[int, list] = {}
    for house_id, label, names, sort_code, period, due, owed in q.tuples():
        due = db.as_date(due)
        row = out.setdefault(house_id, [label, names, set(), period or "", 0, 0, sort_code])
        if billing.past_due(due, on):  # past due: a month behind (a one-off charge counts in the month it fell due)
            row[2].add(period or due.strftime("%Y-%m"))
        else:
            row[5] += int(owed)
        row[4] += int(owed)
    return [HouseArrears(h, label, names, len(months), oldest, owed, not_due, sort_code)
            for h, (label, names, months, oldest, owed, not_due, sort_code) in out.items()]


def by_house(user, *, building_id: int | None = None, on: datetime.date | None = None) -> list[HouseArrears]:
    """Every house that owes, in the list's order, with its unpaid principal and the months
    it is behind on `on` (default today): months with a charge past its due date. A charge
    is due on its due date, so paying on that day is on time; what is posted but not yet
    due is owed, counted apart (not_due), and no month behind."""
    users.require(user, "fees.view")
    return _of_houses(None, building_id, on or clock.today())


def page(user, *, building_id: int | None = None, after: HouseArrears | None = None, limit: int = 200,
         on: datetime.date | None = None) -> list[HouseArrears]:
    """The next `limit` houses that owe after `after` in the list's order (by_house's), read
    by key: on a 20,000-house estate the hundredth page costs what the first does."""
    users.require(user, "fees.view")
    q = _owing(building_id)
    if after is not None:
        q = q.where((House.sort_code > after.sort_code) | ((House.sort_code == after.sort_code)
                                                           & (House.id > after.house_id)))
    on = on or clock.today()
    rows: list[HouseArrears] = []
    while len(rows) < limit:
        wanted = limit - len(rows)
        keys = list(q.order_by(House.sort_code, House.id).limit(wanted).tuples())
        # a house that paid between the two reads drops out: the page is filled from the next
        rows += _of_houses([h for h, _code in keys], building_id, on) if keys else []
        if len(keys) < wanted:
            break  # no more houses owe
        last_id, last_code = keys[-1]
        q = _owing(building_id).where((House.sort_code > last_code) | ((House.sort_code == last_code)
                                                                       & (House.id > last_id)))
    return rows


@dataclass(frozen=True)
class Owing:
    houses: int
    owed: int  # fen


def owing(user, *, building_id: int | None = None) -> Owing:
    """How many houses owe and how much in all (fen), counted by the database."""
    users.require(user, "fees.view")
    paid, unpaid = _unpaid()
    q = (Charge.select(pw.fn.COUNT(pw.fn.DISTINCT(Charge.house)), pw.fn.SUM(unpaid)).join(House).switch(Charge)
         .join(paid, pw.JOIN.LEFT_OUTER, on=(paid.c.charge_id == Charge.id)).where(unpaid > 0))
    houses, owed = _in_building(q, building_id).tuples().first() or (0, 0)
    return Owing(int(houses or 0), int(owed or 0))


def owing_ids(user, *, building_id: int | None = None) -> list[int]:
    """The houses that owe, in the list's order (a batch of notices)."""
    users.require(user, "fees.view")
    return [h for h, _code in _owing(building_id).order_by(House.sort_code, House.id).tuples()]


@dataclass(frozen=True)
class Rate:
    item: str
    billed: int
    paid: int

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.paid, self.billed) if self.billed else None


@dataclass(frozen=True)
class Collection:
    period: str
    items: list[Rate]
    recovered: int  # fen paid in the month on earlier months' charges
    target: Fraction  # the office's target (setting) when the figures were made

    @property
    def on_target(self) -> bool | None:
        rate = self.total.rate
        return None if rate is None else rate >= self.target

    @property
    def total(self) -> Rate:
        return Rate("", sum(r.billed for r in self.items), sum(r.paid for r in self.items))


def collection(user, period: str, on: datetime.date | None = None) -> Collection:
    """The month's collection rate: of the charges billed for `period`, what is paid (to
    `on`, default today), per item and overall; and, beside it, what was recovered during
    that month on charges of earlier months."""
    users.require(user, "fees.view")
    first, last = fees.month_days(period)
    on = on or datetime.date.max
    billed = dict(Charge.select(FeeItem.name, pw.fn.SUM(Charge.amount)).join(FeeItem)
                  .where(Charge.period == period).group_by(FeeItem.name).tuples())
    paid = dict(Settlement.select(FeeItem.name, pw.fn.SUM(Settlement.principal))
                .join(Charge).join(FeeItem)
                .where(Charge.period == period, Settlement.void == False,  # noqa: E712
                       Settlement.business_date <= on)
                .group_by(FeeItem.name).tuples())
    recovered = (Settlement.select(pw.fn.COALESCE(pw.fn.SUM(Settlement.principal), 0)).join(Charge)
                 .where(Charge.period < period, Charge.period != "", Settlement.void == False,  # noqa: E712
                        Settlement.business_date.between(first, last)).scalar())
    order = {name: n for n, name in enumerate(i.name for i in fees.items(active_only=False))}
    items = [Rate(name, int(billed[name]), int(paid.get(name, 0) or 0)) for name in sorted(billed, key=order.get)]
    return Collection(period, items, int(recovered or 0), target())


@dataclass(frozen=True)
class PlanCell:
    """A house on a building's floor plan (楼盘图) with what it owes."""
    house_id: int
    unit: str
    position: str  # the house's place on its floor: 1201 on floor 12 is 01
    floor: int
    label: str
    owners: str
    months: int
    owed: int


def floor_plan(user, building_id: int, on: datetime.date | None = None) -> list[PlanCell]:
    """Every house of a building, with its months behind and principal owed, for the grid."""
    users.require(user, "fees.view")
    owing = {a.house_id: a for a in by_house(user, building_id=building_id, on=on)}
    out = []
    for house_id, unit_code, number, floor, label, owners in (
            House.select(House.id, Unit.code, House.number, House.floor, House.label, House.owner_names)
            .join(Unit).where(Unit.building == building_id).order_by(House.sort_code).tuples()):
        prefix = str(floor)
        position = number[len(prefix):] if floor > 0 and number.startswith(prefix) and len(number) > len(prefix) \
            else number
        a = owing.get(house_id)
        out.append(PlanCell(house_id, unit_code, position, floor, label, owners, a.months if a else 0,
                            a.owed if a else 0))
    return out
