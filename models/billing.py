"""Charges (应收) and the monthly billing run (计费): what every house owes for a month by
its subscriptions, previewed, then posted in one transaction. A charge posted by a run
carries a key made of the month and the subscription, unique in the database, so running
the month again posts only what is missing and never a charge twice. Other processes
(parcel fees, paid repairs, debris removal) post one-off charges here too."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Callable

import peewee as pw

from models import audit, clock, db, fees, money, settings, users
from models.db import BaseModel, atomic
from models.errors import NotFound, OfficeError, QT_TRANSLATE_NOOP, ValidationError
from models.estate import House
from models.fees import FeeItem, Subscription
from models.users import User


class BillingRun(BaseModel):
    period = pw.CharField(max_length=7, index=True)
    posted_at = pw.DateTimeField()
    posted_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    charges = pw.IntegerField(default=0)
    total = pw.BigIntegerField(default=0)

    class Meta:
        table_name = "billing_run"


class Charge(BaseModel):
    house = pw.ForeignKeyField(House, on_delete="RESTRICT", index=True)
    item = pw.ForeignKeyField(FeeItem, on_delete="RESTRICT")
    period = pw.CharField(max_length=7, default="")
    description = pw.CharField(max_length=128, default="")
    quantity = pw.CharField(max_length=64, default="")
    unit_price = pw.CharField(max_length=32, default="")
    amount = pw.BigIntegerField()
    due_date = pw.DateField(index=True)
    late_fee = pw.BooleanField(default=False)
    posted_at = pw.DateTimeField()
    posted_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    run = pw.ForeignKeyField(BillingRun, null=True, on_delete="RESTRICT")
    source = pw.CharField(max_length=16, default="billing")
    key = pw.CharField(max_length=96, null=True, unique=True)
    # posted at the counter for its payment alone, and that receipt voided: owed by nobody
    withdrawn = pw.BooleanField(default=False)

    class Meta:
        table_name = "charge"


def run_key(period: str, subscription_id: int) -> str:
    return f"bill:{period}:{subscription_id}"


# --- month by month ---------------------------------------------------------------------

def _next_month(period: str) -> str:
    year, month = fees.parse_period(period)
    return f"{year + month // 12}-{month % 12 + 1:02d}"


def first_unbilled() -> str | None:
    """The month to bill next: the first month since billing began with no run. None while
    the office has never billed (its first run starts wherever it chooses)."""
    billed = {p for (p,) in BillingRun.select(BillingRun.period).distinct().tuples()}
    if not billed:
        return None
    month = min(billed)
    while month in billed:
        month = _next_month(month)
    return month


def open_month(today: datetime.date | None = None) -> str:
    """The month the billing and meter pages open on: the first unbilled month, or this
    month when every month up to it is billed (or nothing is billed yet)."""
    today = today or clock.today()
    this = f"{today.year}-{today.month:02d}"
    unbilled = first_unbilled()
    return unbilled if unbilled is not None and unbilled < this else this


def check_in_order(period: str, *, readings: bool = False) -> None:
    """Months are billed one after the other: a month may be billed (or its meters read)
    only when every month before it, since billing began, is billed. A month billed
    already may be run again (only what is missing is posted)."""
    month = fees.parse_period(period)  # compared as (year, month), never as text
    unbilled = first_unbilled()
    if unbilled is None:
        return  # a new office: its first run starts where it chooses
    if month > fees.parse_period(unbilled):
        if readings:  # said to a meter clerk, who does not bill
            raise OfficeError(QT_TRANSLATE_NOOP(
                "Office", "{unbilled} is not billed yet: readings for {period} wait until it is (ask whoever "
                          "runs the billing)"), unbilled=unbilled, period=period)
        raise OfficeError(QT_TRANSLATE_NOOP(
            "Office", "{unbilled} is not billed yet: months are billed in order, so bill {unbilled} before "
                      "{period}"), unbilled=unbilled, period=period)
    start = BillingRun.select(pw.fn.MIN(BillingRun.period)).scalar()
    if not readings and month < fees.parse_period(start):  # readings of earlier months are charged by the next run
        raise OfficeError(QT_TRANSLATE_NOOP(
            "Office", "Billing began with {start}: {period} comes before it and is not billed"),
            start=start, period=period)


@dataclass(frozen=True)
class Planned:
    """One charge a run will post."""
    house_id: int
    house_label: str
    item_id: int
    item_name: str
    amount: int
    quantity: str
    unit_price: str
    key: str
    late_fee: bool
    period: str = ""  # a meter reading's or share's month, when it is not the run's
    source: str = "billing"  # billing / meter / shared
    ref: int = 0  # the reading or share it comes from


@dataclass(frozen=True)
class MetersRead:
    """How far a metered item's readings of the month are entered: houses on the item with
    every meter read, and houses with a meter not read (charged by a later run, once read)."""
    item_id: int
    item_name: str
    read: int
    unread: int


@dataclass(frozen=True)
class Plan:
    period: str
    charges: list[Planned]
    already_posted: int  # charges of this month posted before: a run again posts only the rest
    due: datetime.date
    nil_readings: tuple[int, ...] = ()  # readings of no usage: marked billed, nothing to charge
    meters_read: tuple[MetersRead, ...] = ()  # per metered item, what of the month is read

    @property
    def total(self) -> int:
        return sum(c.amount for c in self.charges)


def plan(user, period: str, report: Callable[[int], None] | None = None) -> Plan:
    """What a run for `period` would post now: every monthly subscription covering some of
    the month, less what is posted already; and every meter reading and shared total of the
    month or before that is not billed yet."""
    from models import meters

    users.require(user, "billing.run")
    check_in_order(period)
    values = settings.all_values()
    late_items = set(values["late_fee_items"])
    posted = {k for (k,) in Charge.select(Charge.key).where(Charge.period == period, Charge.source == "billing")
              .tuples()}
    first, last = fees.month_days(period)
    rows = (Subscription.select(Subscription.id, Subscription.quantity, Subscription.unit_price, Subscription.starts,
                                Subscription.ends, FeeItem.id, FeeItem.code, FeeItem.name, FeeItem.kind,
                                FeeItem.unit_price, FeeItem.rounding, FeeItem.unit, House.id, House.label, House.area)
            .join(FeeItem).switch(Subscription).join(House)
            .where(FeeItem.kind.in_(sorted(fees.PERIODIC)), FeeItem.active == True,  # noqa: E712
                   (Subscription.starts.is_null()) | (Subscription.starts <= last),
                   (Subscription.ends.is_null()) | (Subscription.ends >= first))
            .order_by(House.sort_code, FeeItem.sort_order, Subscription.id).tuples())
    out, skipped = [], 0
    whole = fees.months_used(period, None, None)
    for n, (sub_id, quantity, own_price, starts, ends, item_id, code, name, kind, item_price, rounding, unit,
            house_id, label, area) in enumerate(db.raw_rows(rows), start=1):
        key = run_key(period, sub_id)
        if key in posted:
            skipped += 1
            continue
        starts, ends = db.as_date(starts), db.as_date(ends)
        partial = (starts is not None and starts > first) or (ends is not None and ends < last)
        months = fees.months_used(period, starts, ends) if partial else whole
        price = item_price if own_price is None else own_price
        if fees.price_problem(price):  # a price stored before prices were checked: no credit posted to every house
            raise OfficeError(QT_TRANSLATE_NOOP(
                "Office", "The price of {item} for {house} is {price}, which cannot be billed; correct it on the "
                          "fees page first"), item=name, house=label, price=money.price_text(price))
        amount = fees.monthly_amount(kind, rounding, unit, price, quantity, area, months)
        if amount is not None and money.amount_problem(amount.fen):
            raise OfficeError(QT_TRANSLATE_NOOP(
                "Office", "The charge of {item} for {house} would be {amount}, which cannot be billed; check its "
                          "price"), item=name, house=label, amount=money.fmt(amount.fen))
        if amount is not None:
            out.append(Planned(house_id, label, item_id, name, amount.fen, amount.quantity, amount.unit_price, key,
                               code in late_items))
        if report is not None and n % 500 == 0:
            report(n)
    nil = []
    for source, found in (("meter", meters.unbilled_readings(period)), ("shared", meters.unposted_shares(period))):
        for m in found:
            if money.amount_problem(m.amount, lowest=None):  # a reading far past any meter's, at a price far past any
                raise OfficeError(QT_TRANSLATE_NOOP(
                    "Office", "The charge of {item} for {house} would be {amount}, which cannot be billed; check its "
                              "price"), item=m.name, house=m.label, amount=money.fmt(m.amount))
            if m.amount > 0:
                out.append(Planned(m.house_id, m.label, m.item_id, m.name, m.amount, m.quantity, m.unit_price, m.key,
                                   m.code in late_items, m.period, source, m.ref))
            elif source == "meter":
                nil.append(m.ref)
    return Plan(period, out, skipped, fees.due_date(clock.today(), values["due_day"]), tuple(nil),
                meters_read(period))


def meters_read(period: str) -> tuple[MetersRead, ...]:
    """For each active metered item, the houses on it in `period` whose meters all have the
    month's reading, and those with one missing: a run posts only what is read, so the
    preview says what is not, before anything is posted."""
    from models import meters

    first, last = fees.month_days(period)
    out = []
    for it in meters.metered_items():
        subs = (Subscription.select(Subscription.id, Subscription.house)
                .where(Subscription.item == it.id,
                       (Subscription.starts.is_null()) | (Subscription.starts <= last),
                       (Subscription.ends.is_null()) | (Subscription.ends >= first)))
        read_ids = {sid for (sid,) in meters.Reading.select(meters.Reading.subscription)
                    .join(Subscription)
                    .where(meters.Reading.period == period, Subscription.item == it.id).tuples()}
        houses: dict[int, bool] = {}
        for sub_id, house_id in subs.tuples():
            houses[house_id] = houses.get(house_id, True) and sub_id in read_ids
        if houses:
            read = sum(1 for v in houses.values() if v)
            out.append(MetersRead(it.id, it.name, read, len(houses) - read))
    return tuple(out)


def post(user, period: str, report: Callable[[int], None] | None = None) -> BillingRun:
    """Post the month's charges, all or none, in one transaction; prepaid balances then
    settle the new charges. `report(n)` hears how many charges are written (it may raise
    to cancel: nothing is then posted). The run returned also carries what the balances
    paid: `prepaid` (fen drawn) and `prepaid_houses` (how many houses they paid for)."""
    from models import cashier, meters

    users.require(user, "billing.run")
    with atomic():
        cashier.lock_money()  # the counters wait while prepaid balances are drawn on
        the_plan = plan(user, period)
        now = clock.now()
        run = BillingRun.create(period=period, posted_at=now, posted_by=user.id)
        columns = ("house_id", "item_id", "period", "description", "quantity", "unit_price", "amount", "due_date",
                   "late_fee", "posted_at", "posted_by_id", "run_id", "source", "key", "withdrawn")
        rows = [(c.house_id, c.item_id, c.period or period, "", c.quantity, c.unit_price, c.amount, the_plan.due,
                 c.late_fee, now, user.id, run.id, c.source, c.key, False) for c in the_plan.charges]
        # straight to the driver (peewee would build the statement row by row): a charge
        # another PC posted meanwhile is skipped, not doubled, by its unique key
        if db.is_sqlite():
            sql = f"INSERT OR IGNORE INTO charge ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        else:
            sql = (f"INSERT INTO charge ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
                   "ON CONFLICT (key) DO NOTHING")
        cursor = db.database.cursor()
        for start in range(0, len(rows), 1000):
            cursor.executemany(sql, rows[start:start + 1000])
            if report is not None:
                report(min(start + 1000, len(rows)))
        readings = [c.ref for c in the_plan.charges if c.source == "meter"] + list(the_plan.nil_readings)
        db.executemany("UPDATE meter_reading SET billed = ? WHERE id = ?", [(True, r) for r in readings])
        shared = sorted({c.ref for c in the_plan.charges if c.source == "shared"})
        if shared:
            meters.SharedTotal.update(posted=True).where(meters.SharedTotal.id.in_(shared)).execute()
        count, total = (Charge.select(pw.fn.COUNT(Charge.id), pw.fn.COALESCE(pw.fn.SUM(Charge.amount), 0))
                        .where(Charge.run == run).tuples().get())
        run.charges, run.total = count, int(total)
        run.save()
        audit.record(user, "billing.run", "billing_run", run.id, period, {"charges": count, "total": int(total)})
        before = cashier.BalanceEntry.select(pw.fn.COALESCE(pw.fn.MAX(cashier.BalanceEntry.id), 0)).scalar()
        run.prepaid = cashier.settle_from_balances({c.house_id for c in the_plan.charges}, clock.today())
        # the draw-downs this run made, under the counters' lock: nobody else writes them meanwhile
        run.prepaid_houses = (cashier.BalanceEntry.select(pw.fn.COUNT(pw.fn.DISTINCT(cashier.BalanceEntry.house)))
                              .where(cashier.BalanceEntry.id > before, cashier.BalanceEntry.kind == "prepay",
                                     cashier.BalanceEntry.amount < 0).scalar()) if run.prepaid else 0
    return run


def past_due(due_date: datetime.date, on: datetime.date) -> bool:
    """Whether a charge due on `due_date` is behind on `on`: from the day after its due date
    (DOMAIN: paid on the due day, it is on time). Arrears, dunning and their pages count by it."""
    return due_date < on


def post_charge(user, house_id: int, code: str, amount: int, **details) -> Charge:
    """A one-off charge posted by hand (debris removal, a paid service), due at once unless
    a due date is given: a billing permission, as the monthly run needs."""
    users.require(user, "billing.run")
    return charge_for(user, house_id, code, amount, **details)


def charge_for(user, house_id: int, code: str, amount: int, *, description: str = "", period: str = "",
               quantity: str = "", unit_price: str = "", source: str = "oneoff",
               due: datetime.date | None = None) -> Charge:
    """A one-off charge that a process posts as part of its own action (a parcel's storage
    fee at pickup, a paid repair at completion), that action's permission checked by it."""
    it = fees.item(code)
    house = House.get_or_none(House.id == house_id)
    if house is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This house no longer exists"))
    if money.amount_problem(amount):
        raise ValidationError({"amount": money.amount_problem(amount)})
    today = clock.today()
    with atomic():
        charge = Charge.create(house=house, item=it, period=period, description=description[:128],
                               quantity=quantity, unit_price=unit_price, amount=amount, due_date=due or today,
                               late_fee=False, posted_at=clock.now(), posted_by=user.id if user else None,
                               source=source)
        audit.record(user, "charge.post", "house", house.id, f"{house.label} {it.name}", {"amount": amount})
    return charge


def recent_runs(user, limit: int = 6) -> list[BillingRun]:
    """The latest monthly billing runs, newest first (the billing page's record of them)."""
    users.require(user, "billing.run")
    return list(BillingRun.select().order_by(BillingRun.posted_at.desc()).limit(limit))


def run_size(user) -> int:
    """How many subscriptions a billing run goes through: the length of its progress bar."""
    users.require(user, "billing.run")
    return Subscription.select().count()
