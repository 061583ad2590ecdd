"""The counter (收费): what a house owes with the late fee to the day, payments and their
receipts, prepaid balances and deposits, voids, reprints, waivers, refunds.

Every payment is one transaction: the receipt's number is taken from its series, the
receipt, what it settled and the audit entry are written together, or nothing is. Numbers
are unique within a series and every one is accounted for (issued, voided or spoiled).
A posted receipt is never edited: a void marks it 作废 and reopens what it paid."""
from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Sequence

import peewee as pw

from models import audit, clock, latefee, money, numbering, settings, users
from models.billing import Charge
from models.db import BaseModel, atomic, database
from models.errors import NotFound, OfficeError, QT_TRANSLATE_NOOP, ValidationError
from models.estate import House
from models.fees import FeeItem
from models.pricelist import CHARGEABLE, Extra
from models.users import User

METHODS = {
    "cash": QT_TRANSLATE_NOOP("Office", "Cash"),  # 现金
    "wechat": QT_TRANSLATE_NOOP("Office", "WeChat Pay"),  # 微信
    "alipay": QT_TRANSLATE_NOOP("Office", "Alipay"),  # 支付宝
    "card": QT_TRANSLATE_NOOP("Office", "Bank card"),  # 刷卡
    "transfer": QT_TRANSLATE_NOOP("Office", "Bank transfer"),  # 转账
}
METHOD_WORDS = {"cash": "现金", "wechat": "微信", "alipay": "支付宝", "card": "刷卡", "transfer": "转账"}
DESK_SOURCES = ("parcel",)  # the charges the front desk takes itself (cash.desk)


class ReceiptSeries(BaseModel):
    code = pw.CharField(max_length=32, unique=True)
    prefix = pw.CharField(max_length=16, default="")
    width = pw.IntegerField(default=6)
    next_number = pw.IntegerField(default=1)
    active = pw.BooleanField(default=True)

    class Meta:
        table_name = "receipt_series"

    def text(self, number: int) -> str:
        return f"{self.prefix}{number:0{self.width}d}"


class NumberRange(BaseModel):
    series = pw.ForeignKeyField(ReceiptSeries, on_delete="CASCADE")
    first = pw.IntegerField()
    last = pw.IntegerField(null=True)
    set_at = pw.DateTimeField()
    set_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")

    class Meta:
        table_name = "number_range"


class DayClose(BaseModel):
    cashier = pw.ForeignKeyField(User, on_delete="RESTRICT")
    business_date = pw.DateField()
    closed_at = pw.DateTimeField()
    expected_cash = pw.BigIntegerField(default=0)
    counted_cash = pw.BigIntegerField(default=0)
    note = pw.TextField(default="")
    reopened = pw.BooleanField(default=False)

    class Meta:
        table_name = "day_close"


class Receipt(BaseModel):
    series = pw.ForeignKeyField(ReceiptSeries, on_delete="RESTRICT")
    number = pw.IntegerField()
    number_text = pw.CharField(max_length=32)
    kind = pw.CharField(max_length=16, default="payment")
    house = pw.ForeignKeyField(House, on_delete="RESTRICT", index=True)
    payer = pw.CharField(max_length=64, default="")
    method = pw.CharField(max_length=16)
    total = pw.BigIntegerField()
    tendered = pw.BigIntegerField(default=0)
    business_date = pw.DateField(index=True)
    created_at = pw.DateTimeField()
    cashier = pw.ForeignKeyField(User, on_delete="RESTRICT")
    approved_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    note = pw.CharField(max_length=128, default="")
    void = pw.BooleanField(default=False)
    void_reason = pw.CharField(max_length=256, default="")
    voided_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    voided_at = pw.DateTimeField(null=True)
    void_date = pw.DateField(null=True)
    reprints = pw.IntegerField(default=0)
    invoice_number = pw.CharField(max_length=32, default="")
    refund_of = pw.ForeignKeyField("self", null=True, on_delete="RESTRICT")

    class Meta:
        table_name = "receipt"

    @property
    def change(self) -> int:
        return max(0, self.tendered - self.total) if self.method == "cash" else 0


class SpoiledNumber(BaseModel):
    """A number of the series used up by a form that is not a receipt's first: spoiled
    (a blank form jammed or torn), reprint (the receipt printed again on a new form) or
    continuation (the further forms of a receipt too long for one form)."""
    series = pw.ForeignKeyField(ReceiptSeries, on_delete="RESTRICT")
    number = pw.IntegerField()
    kind = pw.CharField(max_length=16, default="spoiled")
    reason = pw.CharField(max_length=128, default="")
    receipt = pw.ForeignKeyField(Receipt, null=True, on_delete="RESTRICT")
    at = pw.DateTimeField()
    by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")

    class Meta:
        table_name = "spoiled_number"


class BalanceEntry(BaseModel):
    house = pw.ForeignKeyField(House, on_delete="RESTRICT", index=True)
    kind = pw.CharField(max_length=16)  # prepay / deposit
    item = pw.ForeignKeyField(FeeItem, null=True, on_delete="RESTRICT")
    amount = pw.BigIntegerField()
    receipt = pw.ForeignKeyField(Receipt, null=True, on_delete="RESTRICT")
    at = pw.DateTimeField()
    business_date = pw.DateField()
    note = pw.CharField(max_length=128, default="")
    void = pw.BooleanField(default=False)

    class Meta:
        table_name = "balance_entry"


class Settlement(BaseModel):
    charge = pw.ForeignKeyField(Charge, on_delete="RESTRICT", index=True)
    receipt = pw.ForeignKeyField(Receipt, null=True, on_delete="RESTRICT", index=True)
    drawdown = pw.ForeignKeyField(BalanceEntry, null=True, on_delete="RESTRICT")
    principal = pw.BigIntegerField(default=0)
    late_fee = pw.BigIntegerField(default=0)
    business_date = pw.DateField()
    void = pw.BooleanField(default=False)

    class Meta:
        table_name = "settlement"


class Waiver(BaseModel):
    charge = pw.ForeignKeyField(Charge, on_delete="RESTRICT", index=True)
    amount = pw.BigIntegerField()
    reason = pw.CharField(max_length=256)
    at = pw.DateTimeField()
    business_date = pw.DateField()
    by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")

    class Meta:
        table_name = "late_fee_waiver"


# --- what a house owes --------------------------------------------------------------------

@dataclass
class Owed:
    """An open charge on a given day: the principal still unpaid and the late fee to date."""
    charge: Charge
    principal: int  # fen unpaid
    late_fee: int  # fen, rounded once
    history: list[latefee.Paid] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.principal + self.late_fee


def _rules() -> tuple[Fraction, int]:
    values = settings.all_values()
    return Fraction(values["late_fee_rate_per_day"]), values["late_fee_cap_fen"]


def _histories(charge_ids: list[int]) -> dict[int, list[latefee.Paid]]:
    out: dict[int, list[latefee.Paid]] = defaultdict(list)
    if not charge_ids:
        return out
    for cid, on, principal, late in (Settlement.select(Settlement.charge, Settlement.business_date,
                                                       Settlement.principal, Settlement.late_fee)
                                     .where(Settlement.charge.in_(charge_ids), Settlement.void == False)  # noqa: E712
                                     .tuples()):
        out[cid].append(latefee.Paid(on, principal, late))
    for cid, on, amount in (Waiver.select(Waiver.charge, Waiver.business_date, Waiver.amount)
                            .where(Waiver.charge.in_(charge_ids)).tuples()):
        out[cid].append(latefee.Paid(on, waived=amount))
    return out


def owed_lines(charges: list[Charge], on: datetime.date) -> list[Owed]:
    rate, cap = _rules()
    histories = _histories([c.id for c in charges])
    out = []
    for c in charges:
        if c.withdrawn:  # a counter charge whose receipt was voided: owed by nobody
            continue
        history = [p for p in histories.get(c.id, []) if p.on <= on]
        unpaid = c.amount - sum(p.principal for p in history)
        late = latefee.owed(c.amount, c.due_date, history, on, rate, cap) if c.late_fee else 0
        if unpaid > 0 or late > 0:
            out.append(Owed(c, unpaid, late, history))
    return out


def owed(user, house_id: int, on: datetime.date | None = None) -> list[Owed]:
    """A house's open charges, oldest first, with the late fee to `on` (default today)."""
    users.require(user, "fees.view")
    charges = list(Charge.select(Charge, FeeItem).join(FeeItem)
                   .where(Charge.house == house_id).order_by(Charge.due_date, Charge.period, FeeItem.sort_order,
                                                             Charge.id))
    return owed_lines(charges, on or clock.today())


def balances(house_id: int) -> dict[tuple[str, int | None], int]:
    """Money held for a house: {(kind, item id or None): fen} for prepayments and deposits."""
    out: dict = {}
    for kind, item, amount in (BalanceEntry.select(BalanceEntry.kind, BalanceEntry.item,
                                                   pw.fn.SUM(BalanceEntry.amount))
                               .where(BalanceEntry.house == house_id, BalanceEntry.void == False)  # noqa: E712
                               .group_by(BalanceEntry.kind, BalanceEntry.item).tuples()):
        if amount:
            out[(kind, item)] = int(amount)
    return out


@dataclass(frozen=True)
class Held:
    """Money the office holds for a house, that a refund can pay back."""
    kind: str  # prepay | deposit
    item_code: str | None
    item_name: str  # "" for prepaid money not tied to a fee item
    amount: int  # fen


def money_held(user, house_id: int) -> list[Held]:
    """The prepayments and deposits a house holds now (more than nothing), for a refund."""
    users.require(user, "fees.view")
    held = {k: v for k, v in balances(house_id).items() if v > 0}
    items = {i.id: i for i in FeeItem.select().where(FeeItem.id.in_([i for _, i in held if i]))} if held else {}
    return [Held(kind, items[item_id].code if item_id else None, items[item_id].name if item_id else "", amount)
            for (kind, item_id), amount in held.items()]


# --- receipt numbers ----------------------------------------------------------------------

def active_series() -> ReceiptSeries:
    """The series receipts are numbered in now; the year's, made at its first receipt."""
    series = ReceiptSeries.get_or_none(ReceiptSeries.active == True)  # noqa: E712
    if series is None:
        code = str(clock.today().year)
        series = ReceiptSeries.get_or_none(ReceiptSeries.code == code)
        if series is None:
            try:
                with atomic():  # a savepoint: another PC may be making the same series right now
                    series = ReceiptSeries.create(code=code, prefix=f"{code}-", width=6, next_number=1, active=True)
                    NumberRange.create(series=series, first=1, set_at=clock.now())
            except pw.IntegrityError:
                series = ReceiptSeries.get(ReceiptSeries.code == code)
    return series


def _take_number(series: ReceiptSeries) -> int:
    """The series' next number, inside the payment's transaction (numbering.next_in)."""
    return numbering.next_in(ReceiptSeries, ReceiptSeries.id == series.id)


def lock_money() -> None:
    """The one money lock: wait for the payments in progress at other PCs (the receipt
    series' row), without taking a number, before money is counted or changes hands
    elsewhere (a void of the same charges, a billing run drawing on prepaid balances,
    the readings a billing run charges). SQLite writes one transaction at a time anyway."""
    if not isinstance(database.obj, pw.SqliteDatabase):
        ReceiptSeries.select().where(ReceiptSeries.id == active_series().id).for_update().get()


def set_next_number(user, number: int, *, prefix: str | None = None) -> ReceiptSeries:
    """Match the numbering to a pre-printed receipt book: a supervisor starts a new range
    at `number`, past every number already used; audited."""
    users.require(user, "cash.approve")
    with atomic():
        series = active_series()
        used = max(series.next_number - 1,
                   SpoiledNumber.select(pw.fn.MAX(SpoiledNumber.number)).where(SpoiledNumber.series == series)
                   .scalar() or 0)
        if not isinstance(number, int) or isinstance(number, bool) or number <= used:
            raise ValidationError({"number": (QT_TRANSLATE_NOOP(
                "Office", "The next number must be after {used}, the last one used"), {"used": used})})
        if number > 999_999_999:  # the number columns (an integer on PostgreSQL) hold it, and the books
            raise ValidationError({"number": (QT_TRANSLATE_NOOP("Office", "Enter a whole number from {low} to {high}"),
                                              {"low": used + 1, "high": 999_999_999})})
        before = series.next_number
        (NumberRange.update(last=before - 1)
         .where(NumberRange.series == series, NumberRange.last.is_null()).execute())
        series.next_number = number
        if prefix is not None:
            series.prefix = prefix.strip()[:16]
        series.save()
        NumberRange.create(series=series, first=number, set_at=clock.now(), set_by=user.id)
        audit.record(user, "receipt.numbering", "receipt_series", series.id, series.code,
                     {"next_number": [before, number]})
    return series


def spoil_next(user, reason: str) -> int:
    """A pre-printed form jammed or spoiled: its number is recorded as spoiled, not lost. The
    desk clerk who prints parcel-fee receipts on the forms records hers too."""
    users.require_any(user, "cash.desk", "cash.take")
    if not reason.strip():
        raise ValidationError({"reason": (QT_TRANSLATE_NOOP("Office", "Say what happened to the form"), {})})
    with atomic():
        series = active_series()
        number = _take_number(series)
        SpoiledNumber.create(series=series, number=number, reason=reason.strip()[:128], at=clock.now(), by=user.id)
        audit.record(user, "receipt.spoiled", "receipt_series", series.id, series.text(number), {"note": reason})
    return number


def unaccounted_numbers(series: ReceiptSeries) -> list[int]:
    """Numbers of the series that are neither on a receipt nor spoiled (none, normally), nor
    lost with a restore (those are listed with their reason: lost_numbers)."""
    series = ReceiptSeries.get_by_id(series.id)
    used = {n for (n,) in Receipt.select(Receipt.number).where(Receipt.series == series).tuples()}
    used |= {n for (n,) in SpoiledNumber.select(SpoiledNumber.number).where(SpoiledNumber.series == series).tuples()}
    used |= numbering.lost_numbers(numbering.RECEIPTS + series.code)
    missing = []
    for first, last in NumberRange.select(NumberRange.first, NumberRange.last).where(
            NumberRange.series == series).tuples():
        end = series.next_number - 1 if last is None else last
        missing += [n for n in range(first, end + 1) if n not in used]
    return missing


@dataclass(frozen=True)
class FormStock:
    """Pre-numbered receipt stock (已印号码) in this PC's printer: how many charge lines one
    form holds, and in how many copies a receipt is printed (three on plain forms, one on
    carbonless stock). Each form printed uses up its printed number, so a receipt that
    spills onto several forms takes that many consecutive numbers: the first is the
    receipt's, the rest are recorded as its continuation forms, and the series stays in
    step with the forms (DOMAIN.md, Decisions: pre-numbered stock)."""
    lines_per_form: int
    copies: int = 1

    def forms(self, lines: int) -> int:
        """The forms one print of a receipt with `lines` charge lines uses."""
        per_form = max(1, self.lines_per_form)
        return max(1, -(-max(1, lines) // per_form)) * max(1, self.copies)


def _take_forms(user, series: ReceiptSeries, receipt: Receipt, count: int, kind: str, reason: str) -> list[str]:
    """`count` further numbers for the forms `receipt` is printed on, recorded against it."""
    taken = []
    for _ in range(count):
        number = _take_number(series)
        SpoiledNumber.create(series=series, number=number, kind=kind, reason=reason[:128], receipt=receipt.id,
                             at=clock.now(), by=user.id)
        taken.append(series.text(number))
    return taken


# --- taking a payment ---------------------------------------------------------------------

@dataclass(frozen=True)
class Pick:
    """A charge the payer pays: all of it (amount None), or part (fen)."""
    charge_id: int
    amount: int | None = None


def _check_day_open(cashier: User, business_date: datetime.date) -> None:
    closed = DayClose.get_or_none(DayClose.cashier == cashier.id, DayClose.business_date == business_date,
                                  DayClose.reopened == False)  # noqa: E712
    if closed is not None:
        raise OfficeError(QT_TRANSLATE_NOOP(
            "Office", "The day {date} is closed for {name}; a supervisor can reopen it"),
            date=business_date.isoformat(), name=cashier.display_name)


def total_of(picks: list[Pick], owed: dict[int, int], prepay: int = 0, deposit: int = 0) -> int:
    """What the payer pays now (fen): each picked charge's amount, all it owes (`owed`, by
    charge id) where the pick names none, and the prepayment and deposit."""
    return sum(owed[p.charge_id] if p.amount is None else p.amount for p in picks) + prepay + deposit


def take_payment(user, house_id: int, picks: list[Pick], method: str, *, tendered: int | None = 0, payer: str = "",
                 prepay: int = 0, prepay_item: str | None = None, deposit: int = 0,
                 deposit_item: str = "renovation_deposit", business_date: datetime.date | None = None,
                 approver: users.Approval | None = None, note: str = "", stock: FormStock | None = None,
                 expected: int | None = None, printable: Callable[[Receipt], None] | None = None,
                 extras: Sequence = (), also: Callable[[Receipt], None] | None = None) -> Receipt:
    """Take one payment and issue its receipt, all in one transaction. Each picked charge
    settles its late fee first, then principal. `prepay` is paid into the house's prepaid
    balance (optionally for one item), `deposit` is held (not income). A back-dated payment
    needs a supervisor's approval (users.approve). On pre-numbered `stock` the receipt takes one number
    for each form it will be printed on (continuation_forms lists the rest). The front desk
    (cash.desk without cash.take) takes only its own fees: a parcel's storage fee.
    `tendered` None: the cash handed over is the exact amount (the clerk typed none).
    `expected`: the total the clerk showed the payer; when the total is no longer that (a
    late fee grew past midnight, another PC took a charge), nothing is taken.
    `printable(receipt)`: asked once the receipt is made and before it is kept; what it
    raises (a value the office's receipt form cannot hold) takes nothing.
    `extras` (models.pricelist.Extra): one-off charges (a paid service, the debris fee,
    advertising) posted and paid on this receipt, in this transaction; voiding the receipt
    withdraws them. A deposit goes on a fee item held as a deposit, never income.
    `also(receipt)`: the case the payment is for records it (a renovation's deposit), in this
    transaction; what it raises takes nothing."""
    desk_only = users.require_any(user, "cash.take", "cash.desk") != "cash.take"
    if desk_only and (prepay or deposit or extras):
        users.require(user, "cash.take")
    today = clock.today()
    business_date = business_date or today
    errors: dict = {}
    if method not in METHODS:
        errors["method"] = (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})
    if business_date > today:
        errors["business_date"] = (QT_TRANSLATE_NOOP("Office", "A payment cannot be dated in the future"), {})
    elif business_date < today:
        if approver is None:
            errors["business_date"] = (QT_TRANSLATE_NOOP(
                "Office", "A back-dated payment needs a supervisor's approval"), {})
    for name, value in (("prepay", prepay), ("deposit", deposit), ("tendered", 0 if tendered is None else tendered)):
        problem = money.amount_problem(value, lowest=0)
        if problem:
            errors[name] = problem
    deposit_to = None
    if deposit:
        deposit_to = FeeItem.get_or_none(FeeItem.code == deposit_item)
        if deposit_to is None or deposit_to.kind != "deposit" or not deposit_to.active:
            errors["deposit_item"] = (QT_TRANSLATE_NOOP("Office", "Choose a deposit of the list"), {})
    extra_items = {}
    for extra in extras:
        if not isinstance(extra, Extra):
            raise TypeError(extra)
        it = FeeItem.get_or_none(FeeItem.code == extra.item_code)
        if it is None or it.kind not in CHARGEABLE or not it.active:
            errors["charge"] = (QT_TRANSLATE_NOOP("Office", "Choose a one-off fee item of the list"), {})
        elif money.amount_problem(extra.amount):
            errors["charge"] = money.amount_problem(extra.amount)
        extra_items[extra.item_code] = it
    for p in picks:
        if not isinstance(p, Pick) or not isinstance(p.charge_id, int) or isinstance(p.charge_id, bool):
            raise OfficeError(QT_TRANSLATE_NOOP(
                "Office", "A chosen charge is already paid or is not this house's; look at the list again"))
        problem = money.amount_problem(p.amount, lowest=None) if p.amount is not None else None
        if problem:  # in range: checked against what the charge owes below
            errors["amount"] = problem
    if errors:
        raise ValidationError(errors)
    if approver is not None:  # whenever given, it is checked: its supervisor goes on the receipt
        approver = users.redeem(approver, "cash.approve")
    chosen = [p.charge_id for p in picks]
    if len(set(chosen)) != len(chosen):  # one charge settled twice would show double on the receipt
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "The same charge is chosen twice; choose each charge once"))
    house = House.get_or_none(House.id == house_id)
    if house is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This house no longer exists"))
    with atomic():
        _check_day_open(user, business_date)
        # the number first: its row lock makes payments at other PCs wait until this one
        # is done, so two cashiers never both take the same unpaid charge (a refusal
        # below rolls the number back with everything else)
        series = active_series()
        number = _take_number(series)
        charges = {c.id: c for c in Charge.select(Charge, FeeItem).join(FeeItem)
                   .where(Charge.id.in_([p.charge_id for p in picks]), Charge.house == house.id)}
        if desk_only and any(c.source not in DESK_SOURCES for c in charges.values()):
            users.require(user, "cash.take")
        open_lines = {o.charge.id: o for o in owed_lines(list(charges.values()), business_date)}
        parts = []
        for p in picks:
            line = open_lines.get(p.charge_id)
            if line is None:
                raise OfficeError(QT_TRANSLATE_NOOP(
                    "Office", "A chosen charge is already paid or is not this house's; look at the list again"))
            amount = line.total if p.amount is None else p.amount
            if not isinstance(amount, int) or amount <= 0 or amount > line.total:
                raise ValidationError({"amount": (QT_TRANSLATE_NOOP(
                    "Office", "Pay between 0.01 and {most} for {item}"),
                    {"most": money.fmt(line.total), "item": line.charge.item.name})})
            late, principal = latefee.split_payment(amount, line.late_fee, line.principal)
            parts.append((line.charge, principal, late))
        total = sum(p + f for _, p, f in parts) + prepay + deposit + sum(e.amount for e in extras)
        if total <= 0:
            raise ValidationError({"amount": (QT_TRANSLATE_NOOP("Office", "Nothing to pay: choose what is paid"), {})})
        if money.amount_problem(total):  # one receipt, its capital amount, the columns: all hold at most MAX_FEN
            raise ValidationError({"amount": money.amount_problem(total)})
        if expected is not None and total != expected:
            raise ValidationError({"amount": (QT_TRANSLATE_NOOP(
                "Office", "The amount to pay is now {total}, not the {shown} shown: look at it again"),
                {"total": money.fmt(total), "shown": money.fmt(expected)})})
        if tendered is None:  # nothing typed: the cash handed over is the exact amount
            tendered = total
        if method == "cash" and tendered < total:
            raise ValidationError({"tendered": (QT_TRANSLATE_NOOP(
                "Office", "{given} is less than the {total} to pay"),
                {"given": money.fmt(tendered), "total": money.fmt(total)})})
        now = clock.now()
        receipt = Receipt.create(series=series, number=number, number_text=series.text(number), kind="payment",
                                 house=house, payer=payer.strip()[:64], method=method, total=total,
                                 tendered=tendered if method == "cash" else total, business_date=business_date,
                                 created_at=now, cashier=user.id, approved_by=approver.id if approver else None,
                                 note=note.strip()[:128])
        for charge, principal, late in parts:
            Settlement.create(charge=charge, receipt=receipt, principal=principal, late_fee=late,
                              business_date=business_date)
        for extra in extras:  # posted for this payment alone, and paid by it
            charge = Charge.create(house=house, item=extra_items[extra.item_code], description=extra.description[:128],
                                   quantity=extra.quantity[:64], unit_price=extra.unit_price[:32], amount=extra.amount,
                                   due_date=business_date, late_fee=False, posted_at=now, posted_by=user.id,
                                   source="counter")
            Settlement.create(charge=charge, receipt=receipt, principal=extra.amount, late_fee=0,
                              business_date=business_date)
            audit.record(user, "charge.post", "house", house.id, f"{house.label} {charge.item.name}",
                         {"amount": extra.amount, "receipt": receipt.number_text, "description": charge.description})
        if prepay:
            item = FeeItem.get_or_none(FeeItem.code == prepay_item) if prepay_item else None
            BalanceEntry.create(house=house, kind="prepay", item=item, amount=prepay, receipt=receipt, at=now,
                                business_date=business_date)
        if deposit:
            BalanceEntry.create(house=house, kind="deposit", item=deposit_to, amount=deposit, receipt=receipt, at=now,
                                business_date=business_date)
        if also is not None:
            also(receipt)
        detail = {"total": total, "method": method, "approved_by": approver.username if approver else ""}
        if stock is not None:
            forms = stock.forms(len(receipt_lines(receipt)))
            more = _take_forms(user, series, receipt, forms - 1, "continuation", f"续 {receipt.number_text}")
            if more:
                detail["forms"] = [receipt.number_text, *more]
        if printable is not None:  # the receipt must print on this PC's form, or nothing is taken
            printable(receipt)
        audit.record(user, "receipt.issue", "receipt", receipt.id, f"{receipt.number_text} {house.label}", detail)
    # money prepaid here waits for the next bills (DOMAIN.md: it settles new charges); what
    # the payer left open today stays open as they chose
    return receipt


def settle_from_balances(house_ids, business_date: datetime.date) -> int:
    """Prepaid balances pay the houses' open charges, oldest first (an earmarked balance
    only its item's), recorded as draw-downs: not new receipts. Returns fen drawn."""
    drawn = 0
    house_ids = sorted(house_ids)
    with_money = set()
    for start in range(0, len(house_ids), 900):  # one query for all, not one per house
        with_money |= {h for (h,) in (BalanceEntry.select(BalanceEntry.house)
                                      .where(BalanceEntry.house.in_(house_ids[start:start + 900]),
                                             BalanceEntry.kind == "prepay", BalanceEntry.void == False)  # noqa: E712
                                      .group_by(BalanceEntry.house, BalanceEntry.item)
                                      .having(pw.fn.SUM(BalanceEntry.amount) > 0).tuples())}
    for house_id in (h for h in house_ids if h in with_money):
        held = {item: amount for (kind, item), amount in balances(house_id).items() if kind == "prepay" and amount > 0}
        if not held:
            continue
        charges = list(Charge.select(Charge, FeeItem).join(FeeItem).where(Charge.house == house_id)
                       .order_by(Charge.due_date, Charge.period, FeeItem.sort_order, Charge.id))
        for line in owed_lines(charges, business_date):
            for item in (line.charge.item_id, None):  # the item's own money first, then money for anything
                available = held.get(item, 0)
                if available <= 0 or line.total <= 0:
                    continue
                amount = min(available, line.total)
                late, principal = latefee.split_payment(amount, line.late_fee, line.principal)
                entry = BalanceEntry.create(house=house_id, kind="prepay", item=item, amount=-amount,
                                            at=clock.now(), business_date=business_date,
                                            note=f"{line.charge.item.name} {line.charge.period}".strip())
                Settlement.create(charge=line.charge, drawdown=entry, principal=principal, late_fee=late,
                                  business_date=business_date)
                held[item] = available - amount
                line.principal -= principal
                line.late_fee -= late
                drawn += amount
    return drawn


# --- after the payment --------------------------------------------------------------------

def get_receipt(receipt_id: int) -> Receipt:
    r = Receipt.get_or_none(Receipt.id == receipt_id)
    if r is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This receipt does not exist"))
    return r


def house_of_charge(charge_id: int) -> int:
    charge = Charge.get_or_none(Charge.id == charge_id)
    if charge is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "This charge no longer exists"))
    return charge.house_id


def receipt_numbered(user, number_text: str) -> Receipt:
    """The receipt (or refund document) with this number (2026-000001), to print again."""
    users.require(user, "fees.view")
    r = Receipt.get_or_none(Receipt.number_text == number_text.strip())
    if r is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "No receipt has the number {number}"), number=number_text.strip())
    return r


@dataclass(frozen=True)
class Line:
    """A receipt's line as printed."""
    item: str
    period: str
    quantity: str
    unit_price: str
    amount: int
    group: str = ""  # what the day close totals it under: the item, 违约金, 预存款 …


# the groups a day close totals under that are the product's own words, not an office fee
# item's name (those stay as the office typed them): Chinese on receipts and in the
# Chinese export, in the clerk's language on screen (i18n.office)
GROUPS = {
    "违约金": QT_TRANSLATE_NOOP("Office", "Late fee"),
    "预存款": QT_TRANSLATE_NOOP("Office", "Prepayment"),
    "押金": QT_TRANSLATE_NOOP("Office", "Deposit"),
    "退还押金": QT_TRANSLATE_NOOP("Office", "Deposit paid back"),
    "退还预存款": QT_TRANSLATE_NOOP("Office", "Prepayment paid back"),
}


def receipt_lines(receipt: Receipt) -> list[Line]:
    """What the receipt paid, line by line: each charge's principal, its late fee on a line
    of its own, prepayments and deposits."""
    out = []
    for s in (Settlement.select(Settlement, Charge, FeeItem).join(Charge).join(FeeItem)
              .where(Settlement.receipt == receipt.id).order_by(Settlement.id)):
        c = s.charge
        name = c.item.name + (f"({c.description})" if c.description else "")
        if s.principal:
            out.append(Line(name, c.period, c.quantity, c.unit_price, s.principal, c.item.name))
        if s.late_fee:
            out.append(Line(f"违约金({c.item.name})", c.period, "", "", s.late_fee, "违约金"))
    for e in BalanceEntry.select().where(BalanceEntry.receipt == receipt.id, BalanceEntry.amount != 0):
        if receipt.kind == "refund":
            label = "退还押金" if e.kind == "deposit" else "退还预存款"
            out.append(Line(label + (f"({e.item.name})" if e.item_id else ""), "", "", "", e.amount, label))
        elif e.kind == "prepay":
            out.append(Line("预存款" + (f"({e.item.name})" if e.item_id else ""), "", "", "", e.amount, "预存款"))
        else:
            name = e.item.name if e.item_id else "押金"
            out.append(Line(name, "", "", "", e.amount, name))
    return out


def void(user, receipt_id: int, reason: str, approver: users.Approval) -> Receipt:
    """作废: with a supervisor's approval (users.approve) and a reason. The receipt stays,
    marked void; what it paid reopens; a prepayment it took in is taken back out (refused
    if already used). A receipt of a closed day is voided on the day the void is made."""
    users.require(user, "cash.take")
    if not str(reason).strip():
        raise ValidationError({"reason": (QT_TRANSLATE_NOOP("Office", "Say why the receipt is voided"), {})})
    approver = users.redeem(approver, "cash.approve")
    with atomic():
        lock_money()
        r = get_receipt(receipt_id)
        if r.void:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "Receipt {number} is already void"), number=r.number_text)
        _check_day_open(r.cashier, clock.today())  # the void is posted on today's books
        entries = list(BalanceEntry.select().where(BalanceEntry.receipt == r.id, BalanceEntry.void == False))  # noqa: E712
        held = balances(r.house_id)
        for e in entries:
            if e.amount > 0 and held.get((e.kind, e.item_id), 0) < e.amount:
                raise OfficeError(QT_TRANSLATE_NOOP(
                    "Office", "The money this receipt put on the house's balance has been used since; "
                              "void the later use first or refund instead"))
        Settlement.update(void=True).where(Settlement.receipt == r.id).execute()
        # the charges posted at the counter for this payment alone go with it
        Charge.update(withdrawn=True).where(Charge.source == "counter", Charge.id.in_(
            Settlement.select(Settlement.charge).where(Settlement.receipt == r.id))).execute()
        BalanceEntry.update(void=True).where(BalanceEntry.receipt == r.id).execute()
        r.void, r.void_reason, r.voided_by, r.voided_at = True, reason.strip()[:256], approver.id, clock.now()
        r.void_date = clock.today()
        r.save()
        from models import movein, renovation  # the cases whose money this receipt was: told, or refusing

        renovation.receipt_voided(user, r)
        movein.receipt_voided(user, r)
        audit.record(user, "receipt.void", "receipt", r.id, r.number_text,
                     {"note": reason.strip(), "approved_by": approver.username})
    return r


def reprint(user, receipt_id: int, *, new_form: bool = False, stock: FormStock | None = None) -> Receipt:
    """补打: the receipt printed again, marked with its count. On pre-numbered stock the
    reprint goes on the next blank forms (`new_form`; as many as `stock` says the receipt
    needs, else one): their numbers are taken from the series and recorded against the same
    receipt, so every form stays accounted for. The desk clerk (no cash.take) reprints only
    the receipts she issued herself."""
    allowed = users.require_any(user, "cash.take", "cash.desk")
    with atomic():
        r = get_receipt(receipt_id)
        if allowed != "cash.take" and r.cashier_id != user.id:
            users.require(user, "cash.take")  # another's receipt: refused, and logged
        detail = {}
        if new_form:
            series = ReceiptSeries.get_by_id(r.series_id)
            count = stock.forms(len(receipt_lines(r))) if stock is not None else 1
            forms = _take_forms(user, series, r, count, "reprint", f"补打 {r.number_text}")
            detail["form"] = forms[0] if len(forms) == 1 else forms
        Receipt.update(reprints=Receipt.reprints + 1).where(Receipt.id == r.id).execute()
        r = get_receipt(receipt_id)
        audit.record(user, "receipt.reprint", "receipt", r.id, r.number_text, {"reprints": r.reprints, **detail})
    return r


def _forms_of(receipt_id: int, kind: str) -> list[str]:
    return [s.series.text(s.number) for s in SpoiledNumber.select(SpoiledNumber, ReceiptSeries).join(ReceiptSeries)
            .where(SpoiledNumber.receipt == receipt_id, SpoiledNumber.kind == kind).order_by(SpoiledNumber.number)]


def reprint_forms(receipt_id: int) -> list[str]:
    """The pre-printed forms a receipt was reprinted on, by their numbers."""
    return _forms_of(receipt_id, "reprint")


def continuation_forms(receipt_id: int) -> list[str]:
    """The further pre-printed forms a long receipt was first printed on, after its own number."""
    return _forms_of(receipt_id, "continuation")


INVOICE_LENGTH = (8, 20)


def set_invoice(user, receipt_id: int, number: str) -> Receipt:
    """Record the official tax invoice (发票) issued for a receipt, or correct it; audited
    with the number before. Empty clears it."""
    users.require(user, "cash.take")
    import re
    import unicodedata

    text = unicodedata.normalize("NFKC", number or "").strip().replace(" ", "").upper()
    if text and not re.fullmatch(r"[0-9A-Z-]{%d,%d}" % INVOICE_LENGTH, text):
        raise ValidationError({"invoice_number": (QT_TRANSLATE_NOOP(
            "Office", "An invoice number is {low} to {high} digits or letters"),
            {"low": INVOICE_LENGTH[0], "high": INVOICE_LENGTH[1]})})
    with atomic():
        lock_money()  # two PCs never record one invoice on two receipts
        r = get_receipt(receipt_id)
        if r.void and text:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "Receipt {number} is void; no invoice goes with it"),
                              number=r.number_text)
        if r.invoice_number == text:
            return r
        clash = Receipt.get_or_none(Receipt.invoice_number == text, Receipt.id != r.id) if text else None
        if clash is not None:
            raise ValidationError({"invoice_number": (QT_TRANSLATE_NOOP(
                "Office", "Invoice {invoice} is recorded on receipt {number} already"),
                {"invoice": text, "number": clash.number_text})})
        before = r.invoice_number
        Receipt.update(invoice_number=text).where(Receipt.id == r.id).execute()
        audit.record(user, "receipt.invoice", "receipt", r.id, r.number_text, {"invoice": [before, text]})
    return get_receipt(receipt_id)


def waive(user, charge_id: int, amount: int | None, reason: str, on: datetime.date | None = None, *,
          approver: users.Approval) -> int:
    """At the counter, a supervisor's approval (users.approve) waives a charge's late fee,
    whole (None) or in part; returns fen waived."""
    users.require(user, "cash.take")
    if not str(reason).strip():
        raise ValidationError({"reason": (QT_TRANSLATE_NOOP("Office", "Say why the late fee is waived"), {})})
    problem = money.amount_problem(amount, lowest=None) if amount is not None else None
    if problem:  # in range: checked against the late fee to date below
        raise ValidationError({"amount": problem})
    approver = users.redeem(approver, "cash.approve")
    on = on or clock.today()
    with atomic():
        charge = Charge.get_or_none(Charge.id == charge_id)
        if charge is None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "This charge no longer exists"))
        lines = owed_lines([charge], on)
        late = lines[0].late_fee if lines else 0
        amount = late if amount is None else amount
        if not isinstance(amount, int) or amount <= 0 or amount > late:
            raise ValidationError({"amount": (QT_TRANSLATE_NOOP(
                "Office", "The late fee to date is {late}; waive at most that"), {"late": money.fmt(late)})})
        Waiver.create(charge=charge, amount=amount, reason=reason.strip()[:256], at=clock.now(), business_date=on,
                      by=approver.id)
        audit.record(user, "latefee.waive", "charge", charge.id, f"{charge.house.label} {charge.item.name} "
                     f"{charge.period}".strip(), {"amount": amount, "note": reason.strip(),
                                                  "approved_by": approver.username})
    return amount


def refund(user, house_id: int, kind: str, amount: int, approver: users.Approval, *, method: str = "cash",
           item_code: str | None = None, reason: str = "", deductions: Sequence[tuple[int, str]] = (),
           also: Callable[[Receipt], None] | None = None) -> Receipt:
    """Pay back a deposit or prepaid money: a refund document (negative receipt) in the
    same series, with a supervisor's approval (users.approve). `deductions` (fen, reason):
    parts of a deposit the office keeps (a damaged lift panel), posted as one-off charges
    paid from it on this document; the payer gets `amount` less them. `also(document)`: the
    case refunded records it, in this transaction."""
    users.require(user, "cash.take")
    if kind not in ("prepay", "deposit"):
        raise ValidationError({"kind": (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})})
    if method not in METHODS:
        raise ValidationError({"method": (QT_TRANSLATE_NOOP("Office", "Choose one of the list"), {})})
    if money.amount_problem(amount, lowest=None):  # in range: checked against what is held below
        raise ValidationError({"amount": money.amount_problem(amount, lowest=None)})
    for fen, why in deductions:
        if money.amount_problem(fen) or not str(why).strip():
            raise ValidationError({"deductions": money.amount_problem(fen) or (
                QT_TRANSLATE_NOOP("Office", "A deduction says what it is for"), {})})
    kept = sum(fen for fen, _ in deductions)
    if kind != "deposit" and deductions:
        raise ValidationError({"deductions": (QT_TRANSLATE_NOOP("Office", "Only a deposit has deductions"), {})})
    approver = users.redeem(approver, "cash.approve")
    with atomic():
        series = active_series()
        number = _take_number(series)  # first: it serializes money leaving with other PCs
        house = House.get_by_id(house_id)
        item = FeeItem.get_or_none(FeeItem.code == item_code) if item_code else None
        held = balances(house_id).get((kind, item.id if item else None), 0)
        if not isinstance(amount, int) or amount <= 0 or amount > held:
            raise ValidationError({"amount": (QT_TRANSLATE_NOOP(
                "Office", "The house has {held} of this; refund at most that"), {"held": money.fmt(held)})})
        if kept > amount:
            raise ValidationError({"deductions": (QT_TRANSLATE_NOOP(
                "Office", "The deductions come to {kept}, more than the {held} deposit"),
                {"kept": money.fmt(kept), "held": money.fmt(amount)})})
        kept_as = FeeItem.get_or_none(FeeItem.code == "deposit_deduction") if deductions else None
        if deductions and kept_as is None:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "The fee item for deposit deductions is missing"))
        today = clock.today()
        _check_day_open(user, today)
        now = clock.now()
        r = Receipt.create(series=series, number=number, number_text=series.text(number), kind="refund",
                           house=house, method=method, total=kept - amount, tendered=kept - amount,
                           business_date=today, created_at=now, cashier=user.id, approved_by=approver.id,
                           note=reason.strip()[:128])
        BalanceEntry.create(house=house, kind=kind, item=item, amount=-amount, receipt=r, at=now, business_date=today,
                            note=reason.strip()[:128])
        for fen, why in deductions:  # kept by the office: income, on this document
            charge = Charge.create(house=house, item=kept_as, description=str(why).strip()[:128], amount=fen,
                                   due_date=today, late_fee=False, posted_at=now, posted_by=user.id, source="counter")
            Settlement.create(charge=charge, receipt=r, principal=fen, late_fee=0, business_date=today)
        if also is not None:
            also(r)
        audit.record(user, "receipt.refund", "receipt", r.id, f"{r.number_text} {house.label}",
                     {"total": kept - amount, "approved_by": approver.username, "note": reason.strip(),
                      "deductions": [[fen, str(why).strip()] for fen, why in deductions]})
    return r


# --- day close (日结) ----------------------------------------------------------------------

@dataclass(frozen=True)
class LostNumbers:
    """Numbers a restore lost (随恢复备份丢失): issued in the data it replaced (the owners hold
    those papers), gone with that data, never issued again."""
    numbers: str  # one run: "2026-000005 – 000009", "WX2026-0003"
    backup: str  # the backup file restored
    made: datetime.datetime  # when that backup was made
    restored: datetime.datetime
    by: str  # the administrator who restored it
    receipts: bool  # receipt numbers (else a work order's, a complaint's …)


def lost_numbers(series: ReceiptSeries | None = None, since: datetime.datetime | None = None,
                 until: datetime.datetime | None = None) -> list[LostNumbers]:
    """The numbers lost with restores (only `series`'s receipts, with it; only restores made
    from `since` and before `until`, with them), in the order they were lost."""
    texts = {s.code: s for s in ReceiptSeries.select()}
    out = []
    for r in numbering.lost(numbering.RECEIPTS + series.code if series is not None else None):
        if (since is not None and r.restored < since) or (until is not None and r.restored >= until):
            continue
        receipts = r.series.startswith(numbering.RECEIPTS)
        s = texts.get(r.series[len(numbering.RECEIPTS):]) if receipts else None
        if s is not None:
            first, last = s.text(r.first), s.text(r.last)
            text = first if r.first == r.last else f"{first} – {last[len(s.prefix):]}"
        elif receipts:
            code = r.series[len(numbering.RECEIPTS):]
            text = f"{code} {r.first}" + ("" if r.first == r.last else f" – {r.last}")
        else:
            first, last = numbering.counter_text(r.series, r.first), numbering.counter_text(r.series, r.last)
            text = first if r.first == r.last else f"{first} – {last}"
        out.append(LostNumbers(text, r.backup, r.backup_made, r.restored, r.by, receipts))
    return out


def _lost_since_last_close(cashier_id: int, business_date: datetime.date) -> list[LostNumbers]:
    """The numbers lost with the restores made since the cashier's last closed day before
    `business_date`, up to its end: her next day close lists them."""
    before = (DayClose.select(pw.fn.MAX(DayClose.business_date))
              .where(DayClose.cashier == cashier_id, DayClose.business_date < business_date,
                     DayClose.reopened == False).scalar())  # noqa: E712
    since = None
    if before is not None:
        since = datetime.datetime.combine(_as_date(before) + datetime.timedelta(days=1), datetime.time())
    return lost_numbers(since=since, until=datetime.datetime.combine(business_date + datetime.timedelta(days=1),
                                                                     datetime.time()))


def _as_date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class FormUse:
    """A form number the day used beyond its receipts' own: what it went to."""
    number: str
    kind: str  # continuation, reprint, spoiled
    receipt: str = ""  # the receipt it belongs to (continuation, reprint)
    reason: str = ""


@dataclass
class DaySummary:
    cashier: User
    business_date: datetime.date
    receipts: list[Receipt]  # issued that day, in number order
    voids: list[Receipt]  # voided that day (issued that day or earlier)
    by_method: dict[str, int]
    by_item: dict[str, int]
    expected_cash: int
    closed: DayClose | None
    forms: list[FormUse] = field(default_factory=list)  # continuation, reprint and spoiled forms
    number_runs: list[str] = field(default_factory=list)  # the cashier's own numbers, run by run
    lost: list[LostNumbers] = field(default_factory=list)  # lost with restores since her last close
    held: int = 0  # of the total: deposits and prepayments taken in (less those paid back), not income

    @property
    def total(self) -> int:
        return sum(self.by_method.values())

    @property
    def income(self) -> int:
        """What the day took as the office's income: the total less the money held for houses."""
        return self.total - self.held

    @property
    def numbers(self) -> str:
        """The day's receipt numbers as the cashier finds them in her book: her own only
        (another clerk's receipts between hers are left out), voided ones included, with
        the continuation forms of long receipts, in runs: 2026-001376 – 001379、2026-001381."""
        return "、".join(self.number_runs)

    @property
    def standing(self) -> DayClose | None:
        """The close that stands: None while the day is open, and once a supervisor reopened
        it (its count was of a drawer that has changed since, against cash expected then)."""
        return self.closed if self.closed is not None and not self.closed.reopened else None

    def over_short(self, counted_cash: int) -> int:
        """Over (+) or short (−): the cash counted against what the drawer should hold. The
        voids and refunds are taken off the figures already (expected_cash is net of them)."""
        return counted_cash - self.expected_cash


def day_summary(user, cashier_id: int, business_date: datetime.date) -> DaySummary:
    """A cashier's day: what each receipt of the day took, by method and by item, less the
    voids made that day (a receipt of a closed day voided later counts on the day of the
    void, so the closed day stays as it was); refunds count as negative."""
    if user.id != cashier_id:
        users.require(user, "cash.approve")
    else:
        users.require(user, "cash.desk")  # every cashier, and the desk clerk who took parcel fees
    cashier = User.get_by_id(cashier_id)
    issued = list(Receipt.select().where(Receipt.cashier == cashier_id, Receipt.business_date == business_date)
                  .order_by(Receipt.series, Receipt.number))
    voided = list(Receipt.select().where(Receipt.cashier == cashier_id, Receipt.void == True,  # noqa: E712
                                         Receipt.void_date == business_date).order_by(Receipt.number))
    by_method: dict[str, int] = defaultdict(int)
    by_item: dict[str, int] = defaultdict(int)

    def count(r: Receipt, sign: int) -> None:
        by_method[r.method] += sign * r.total
        for line in receipt_lines(r):
            by_item[line.group] += sign * line.amount

    for r in issued:
        count(r, 1)
    for r in voided:
        count(r, -1)

    def held_by(receipts) -> int:
        ids = [r.id for r in receipts]
        return int(BalanceEntry.select(pw.fn.COALESCE(pw.fn.SUM(BalanceEntry.amount), 0))
                   .where(BalanceEntry.receipt.in_(ids)).scalar() or 0) if ids else 0

    held = held_by(issued) - held_by(voided)
    closed = (DayClose.select().where(DayClose.cashier == cashier_id, DayClose.business_date == business_date)
              .order_by(DayClose.id.desc()).first())
    return DaySummary(cashier, business_date, issued, voided, dict(by_method), dict(by_item),
                      by_method.get("cash", 0), closed, _forms_used(cashier_id, business_date, issued),
                      _number_runs(issued), _lost_since_last_close(cashier_id, business_date), held)


def _number_runs(issued: list[Receipt]) -> list[str]:
    """The numbers of `issued` and of their continuation forms, as runs of consecutive
    numbers per series: "2026-001376 – 001379" (the last without the series' prefix), or
    one number alone."""
    taken: dict[int, set[int]] = defaultdict(set)
    for r in issued:
        taken[r.series_id].add(r.number)
    if issued:
        for series_id, number in (SpoiledNumber.select(SpoiledNumber.series, SpoiledNumber.number)
                                  .where(SpoiledNumber.kind == "continuation",
                                         SpoiledNumber.receipt.in_([r.id for r in issued])).tuples()):
            taken[series_id].add(number)
    runs = []
    series_used = ReceiptSeries.select().where(ReceiptSeries.id.in_(list(taken) or [0])).order_by(ReceiptSeries.id)
    for series in series_used:
        numbers = sorted(taken[series.id])
        start = prev = numbers[0]
        for n in numbers[1:] + [None]:
            if n is not None and n == prev + 1:
                prev = n
                continue
            first, last = series.text(start), series.text(prev)
            runs.append(first if start == prev else f"{first} – {last[len(series.prefix):]}")
            if n is not None:
                start = prev = n
    return runs


def _forms_used(cashier_id: int, business_date: datetime.date, issued: list[Receipt]) -> list[FormUse]:
    """The day's forms beyond its receipts' first ones: the continuation forms of the day's
    receipts, and the forms the cashier reprinted on or spoiled that day."""
    start = datetime.datetime.combine(business_date, datetime.time())
    day = (SpoiledNumber.at >= start) & (SpoiledNumber.at < start + datetime.timedelta(days=1))
    ids = [r.id for r in issued]
    mine = (SpoiledNumber.kind == "continuation") & SpoiledNumber.receipt.in_(ids or [0])
    theirs = (SpoiledNumber.kind != "continuation") & (SpoiledNumber.by == cashier_id) & day
    rows = (SpoiledNumber.select(SpoiledNumber, ReceiptSeries).join(ReceiptSeries)
            .where(mine | theirs).order_by(SpoiledNumber.series, SpoiledNumber.number))
    rows = list(rows)
    texts = {r.id: r.number_text for r in issued}
    earlier = {s.receipt_id for s in rows if s.receipt_id and s.receipt_id not in texts}
    if earlier:  # a reprint today of an earlier day's receipt
        texts.update(Receipt.select(Receipt.id, Receipt.number_text).where(Receipt.id.in_(earlier)).tuples())
    return [FormUse(s.series.text(s.number), s.kind, texts.get(s.receipt_id, ""), s.reason) for s in rows]


def close_day(user, counted_cash: int, note: str = "", business_date: datetime.date | None = None) -> DayClose:
    """日结: the cashier closes their day with the cash counted in the drawer; the
    difference from what the books expect (over or short) is recorded with the note."""
    users.require(user, "cash.desk")
    business_date = business_date or clock.today()
    if money.amount_problem(counted_cash, lowest=0):
        raise ValidationError({"counted_cash": money.amount_problem(counted_cash, lowest=0)})
    with atomic():
        _check_day_open(user, business_date)
        summary = day_summary(user, user.id, business_date)
        difference = summary.over_short(counted_cash)
        if difference and not note.strip():
            raise ValidationError({"note": (QT_TRANSLATE_NOOP(
                "Office", "The cash differs from the books by {difference}: say why"),
                {"difference": money.fmt(difference)})})
        closed = DayClose.create(cashier=user.id, business_date=business_date, closed_at=clock.now(),
                                 expected_cash=summary.expected_cash, counted_cash=counted_cash, note=note.strip())
        audit.record(user, "day.close", "day_close", closed.id, business_date.isoformat(),
                     {"total": summary.total, "amount": counted_cash, "note": note.strip()})
    return closed


def reopen_day(user, cashier_id: int, business_date: datetime.date, reason: str) -> None:
    """A supervisor reopens a cashier's closed day, with the reason; logged."""
    users.require(user, "cash.approve")
    if not reason.strip():
        raise ValidationError({"reason": (QT_TRANSLATE_NOOP("Office", "Say why the day is reopened"), {})})
    with atomic():
        n = (DayClose.update(reopened=True)
             .where(DayClose.cashier == cashier_id, DayClose.business_date == business_date,
                    DayClose.reopened == False).execute())  # noqa: E712
        if not n:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "That day is not closed"))
        audit.record(user, "day.reopen", "user", cashier_id, business_date.isoformat(), {"note": reason.strip()})


# --- statements (对账单) ------------------------------------------------------------------

@dataclass(frozen=True)
class LedgerLine:
    on: datetime.date
    what: str
    charged: int  # fen the house came to owe
    paid: int  # fen of that settled
    owed: int  # running: what the house owes after this line (principal)
    prepaid: int  # running: its prepaid balance after this line
    late_fee: int = 0  # fen of late fee (违约金) settled with this line; negative on a void


@dataclass(frozen=True)
class Statement:
    start: datetime.date
    end: datetime.date
    opening_owed: int
    opening_prepaid: int
    lines: list[LedgerLine]

    @property
    def closing_owed(self) -> int:
        return self.lines[-1].owed if self.lines else self.opening_owed

    @property
    def closing_prepaid(self) -> int:
        return self.lines[-1].prepaid if self.lines else self.opening_prepaid


def statement(user, house_id: int, start: datetime.date, end: datetime.date) -> Statement:
    """A house's ledger from `start` to `end`: charges, payments (with late fees taken),
    draw-downs of prepaid money, voids on the day they were made, prepayments and refunds,
    with what the house owes and holds after each line, and the opening figures."""
    users.require(user, "fees.view")
    if end < start:
        raise ValidationError({"end": (QT_TRANSLATE_NOOP("Office", "The end date is before the start date"), {})})
    events = []  # (date, order, what, charged, paid, prepaid change, late fee)
    withdrawn_on = {s.charge_id: s.receipt.void_date for s in Settlement.select(Settlement, Receipt).join(Receipt)
                    .switch(Settlement).join(Charge)
                    .where(Charge.house == house_id, Charge.withdrawn == True, Receipt.void == True)}  # noqa: E712
    for c in Charge.select(Charge, FeeItem).join(FeeItem).where(Charge.house == house_id):
        # a counter charge is of the payment's business day (a back-dated payment's too)
        on = c.due_date if c.source == "counter" else c.posted_at.date()
        events.append((on, 0, f"{c.item.name} {c.period}".strip(), c.amount, 0, 0, 0))
        if c.withdrawn and c.id in withdrawn_on:  # with the receipt that posted it
            events.append((withdrawn_on[c.id], 3, f"撤销：{c.item.name}", -c.amount, 0, 0, 0))
    settlements = (Settlement.select(Settlement, Charge, FeeItem).join(Charge).join(FeeItem)
                   .where(Charge.house == house_id))
    for s in settlements:
        name = f"{s.charge.item.name} {s.charge.period}".strip()
        if s.receipt_id is not None:
            r = s.receipt
            how = f"收据 {r.number_text} {METHOD_WORDS.get(r.method, r.method)}"
            events.append((s.business_date, 1, f"{how}：{name}", 0, s.principal, 0, s.late_fee))
            if r.void:
                events.append((r.void_date, 2, f"作废 {r.number_text}：{name}", 0, -s.principal, 0, -s.late_fee))
        else:
            events.append((s.business_date, 1, f"预存抵扣：{name}", 0, s.principal, 0, s.late_fee))
    for e in BalanceEntry.select().where(BalanceEntry.house == house_id, BalanceEntry.kind == "prepay",
                                         BalanceEntry.amount > 0):
        label = f"预存 收据 {e.receipt.number_text}" if e.receipt_id else "预存"
        events.append((e.business_date, 1, label, 0, 0, e.amount, 0))
        if e.void and e.receipt_id and e.receipt.void:
            events.append((e.receipt.void_date, 2, f"作废 {e.receipt.number_text}：预存", 0, 0, -e.amount, 0))
    for e in BalanceEntry.select().where(BalanceEntry.house == house_id, BalanceEntry.kind == "prepay",
                                         BalanceEntry.amount < 0):
        events.append((e.business_date, 1, "预存抵扣" if e.receipt_id is None else f"退预存 {e.receipt.number_text}",
                       0, 0, e.amount, 0))
    events.sort(key=lambda ev: (ev[0], ev[1]))
    owed = prepaid = 0
    opening = None
    lines = []
    for on, _, what, charged, paid, prepay, late in events:
        if on > end:
            break
        if on >= start and opening is None:
            opening = (owed, prepaid)
        owed += charged - paid
        prepaid += prepay
        if on >= start:
            lines.append(LedgerLine(on, what, charged, paid, owed, prepaid, late))
    if opening is None:
        opening = (owed, prepaid)
    return Statement(start, end, opening[0], opening[1], lines)


def receipts_of(user, house_id: int, limit: int = 50) -> list[Receipt]:
    """A house's receipts, newest first (the counter's list of them: a clerk sees them too)."""
    users.require(user, "fees.view")
    return list(Receipt.select().where(Receipt.house == house_id)
                .order_by(Receipt.created_at.desc(), Receipt.id.desc()).limit(limit))


def recent_spoiled(user, series: ReceiptSeries, limit: int = 3) -> list[SpoiledNumber]:
    """The series' latest spoiled forms, newest first (the day close names them)."""
    users.require_any(user, "cash.desk", "cash.take")
    return list(SpoiledNumber.select().where(SpoiledNumber.series == series)
                .order_by(SpoiledNumber.number.desc()).limit(limit))
