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

from models import audit, clock, fees, settings, users
from models.db import BaseModel, atomic
from models.errors import NotFound, QT_TRANSLATE_NOOP, ValidationError
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

    class Meta:
        table_name = "charge"


def run_key(period: str, subscription_id: int) -> str:
    return f"bill:{period}:{subscription_id}"


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


@dataclass(frozen=True)
class Plan:
    period: str
    charges: list[Planned]
    already_posted: int  # charges of this month posted before: a run again posts only the rest
    due: datetime.date

    @property
    def total(self) -> int:
        return sum(c.amount for c in self.charges)


def plan(user, period: str, report: Callable[[int], None] | None = None) -> Plan:
    """What a run for `period` would post now: every monthly subscription covering some of
    the month, less what is posted already."""
    users.require(user, "billing.run")
    fees.parse_period(period)
    values = settings.all_values()
    late_items = set(values["late_fee_items"])
    posted = {k for (k,) in Charge.select(Charge.key).where(Charge.period == period, Charge.source == "billing")
              .tuples()}
    first, last = fees.month_days(period)
    subs = (Subscription.select(Subscription, FeeItem, House).join(FeeItem).switch(Subscription).join(House)
            .where(FeeItem.kind.in_(sorted(fees.PERIODIC)), FeeItem.active == True,  # noqa: E712
                   (Subscription.starts.is_null()) | (Subscription.starts <= last),
                   (Subscription.ends.is_null()) | (Subscription.ends >= first))
            .order_by(House.sort_code, FeeItem.sort_order, Subscription.id))
    out, skipped = [], 0
    for n, sub in enumerate(subs.iterator(), start=1):
        key = run_key(period, sub.id)
        if key in posted:
            skipped += 1
            continue
        amount = fees.periodic_amount(sub.item, sub, sub.house, period)
        if amount is not None:
            out.append(Planned(sub.house.id, sub.house.label, sub.item.id, sub.item.name, amount.fen,
                               amount.quantity, amount.unit_price, key, sub.item.code in late_items))
        if report is not None and n % 500 == 0:
            report(n)
    return Plan(period, out, skipped, fees.due_date(clock.today(), values["due_day"]))


def post(user, period: str, report: Callable[[int], None] | None = None) -> BillingRun:
    """Post the month's charges, all or none, in one transaction; prepaid balances then
    settle the new charges. `report(n)` hears how many charges are written (it may raise
    to cancel: nothing is then posted)."""
    from models import cashier

    users.require(user, "billing.run")
    with atomic():
        the_plan = plan(user, period)
        now = clock.now()
        run = BillingRun.create(period=period, posted_at=now, posted_by=user.id)
        rows = [dict(house=c.house_id, item=c.item_id, period=period, quantity=c.quantity, unit_price=c.unit_price,
                     amount=c.amount, due_date=the_plan.due, late_fee=c.late_fee, posted_at=now, posted_by=user.id,
                     run=run.id, source="billing", key=c.key) for c in the_plan.charges]
        for start in range(0, len(rows), 500):
            # a charge another PC posted meanwhile is skipped, not doubled (its key is unique)
            Charge.insert_many(rows[start:start + 500]).on_conflict_ignore().execute()
            if report is not None:
                report(min(start + 500, len(rows)))
        count, total = (Charge.select(pw.fn.COUNT(Charge.id), pw.fn.COALESCE(pw.fn.SUM(Charge.amount), 0))
                        .where(Charge.run == run).tuples().get())
        run.charges, run.total = count, int(total)
        run.save()
        audit.record(user, "billing.run", "billing_run", run.id, period, {"charges": count, "total": int(total)})
        cashier.settle_from_balances({c.house_id for c in the_plan.charges}, clock.today())
    return run


def post_charge(user, house_id: int, code: str, amount: int, *, description: str = "", period: str = "",
                quantity: str = "", unit_price: str = "", source: str = "oneoff",
                due: datetime.date | None = None) -> Charge:
    """A one-off charge (debris removal, a paid repair, a parcel's storage fee), due at
    once unless a due date is given. The caller's permission was checked by its process."""
    it = fees.item(code)
    house = House.get_or_none(House.id == house_id)
    if house is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This house no longer exists"))
    if not isinstance(amount, int) or amount <= 0:
        raise ValidationError({"amount": (QT_TRANSLATE_NOOP("Office", "The amount must be more than zero"), {})})
    today = clock.today()
    with atomic():
        charge = Charge.create(house=house, item=it, period=period, description=description[:128],
                               quantity=quantity, unit_price=unit_price, amount=amount, due_date=due or today,
                               late_fee=False, posted_at=clock.now(), posted_by=user.id if user else None,
                               source=source)
        audit.record(user, "charge.post", "house", house.id, f"{house.label} {it.name}", {"amount": amount})
    return charge
