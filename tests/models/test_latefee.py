"""The late fee, exactly as DOMAIN.md defines it (pure computation, no database)."""
import datetime
from fractions import Fraction

from hypothesis import given, strategies as st

from models import latefee
from models.latefee import Paid

D = datetime.date
DUE = D(2026, 11, 15)
RATE = Fraction(1, 1000)  # 0.1 % a day


def test_paid_on_the_due_day_is_on_time():
    assert latefee.owed(10_000, DUE, [], DUE, RATE) == 0


def test_the_day_after_the_due_day_is_one_late_day():
    # 100.00 yuan, one day: 0.1 % = 10 fen
    assert latefee.accrued(10_000, DUE, [], D(2026, 11, 16), RATE) == 10
    assert latefee.owed(10_000, DUE, [], D(2026, 11, 16), RATE) == 10


def test_days_are_calendar_days_across_a_month_end():
    # due 15 Nov, paid 1 Dec: 16 late days
    assert latefee.accrued(10_000, DUE, [], D(2026, 12, 1), RATE) == 160


def test_sums_are_exact_and_rounded_half_up_once():
    # 223.75 yuan × 0.1 % = 22.375 fen a day; 2 days = 44.75 fen → 45; 1 day = 22.375 → 22
    assert latefee.accrued(22_375, DUE, [], D(2026, 11, 17), RATE) == Fraction(4475, 100)
    assert latefee.owed(22_375, DUE, [], D(2026, 11, 17), RATE) == 45
    assert latefee.owed(22_375, DUE, [], D(2026, 11, 16), RATE) == 22
    # 4 days = 89.5 fen: a half rounds up
    assert latefee.owed(22_375, DUE, [], D(2026, 11, 19), RATE) == 90


def test_a_partial_payment_day_accrues_on_the_principal_before_it():
    # 100.00 due 15th; on the 20th (5 late days: 50 fen owed) 40.50 is paid: 0.50 late fee
    # first, then 40.00 principal; from the 21st, 60.00 accrues 6 fen a day
    late, principal = latefee.split_payment(4_050, 50, 10_000)
    assert (late, principal) == (50, 4_000)
    history = [Paid(D(2026, 11, 20), principal=4_000, late_fee=50)]
    assert latefee.owed(10_000, DUE, history, D(2026, 11, 20), RATE) == 0
    assert latefee.accrued(10_000, DUE, history, D(2026, 11, 23), RATE) == 50 + 3 * 6
    assert latefee.owed(10_000, DUE, history, D(2026, 11, 23), RATE) == 18


def test_partial_payments_on_several_days():
    history = [Paid(D(2026, 11, 10), principal=2_000),  # before the due day: no late fee ever on it
               Paid(D(2026, 11, 17), principal=3_000, late_fee=16),  # 2 days on 80.00
               Paid(D(2026, 11, 17), principal=1_000),  # the same day: that day already counted
               Paid(D(2026, 11, 20), principal=4_000, late_fee=12)]  # 3 days on 40.00
    # accrued: 2 × 8 + 3 × 4 = 28 fen, all paid; nothing left after the last payment
    assert latefee.accrued(10_000, DUE, history, D(2026, 11, 20), RATE) == 28
    assert latefee.owed(10_000, DUE, history, D(2026, 11, 30), RATE) == 0


def test_late_fees_never_accrue_late_fees():
    # an unpaid late fee stays what it was once the principal is paid
    history = [Paid(D(2026, 11, 25), principal=10_000)]  # the principal only, 10 days late
    assert latefee.owed(10_000, DUE, history, D(2026, 11, 25), RATE) == 100
    assert latefee.owed(10_000, DUE, history, D(2027, 3, 1), RATE) == 100


def test_a_waiver_takes_off_what_it_waives():
    history = [Paid(D(2026, 11, 25), waived=60)]
    assert latefee.owed(10_000, DUE, history, D(2026, 11, 25), RATE) == 40
    assert latefee.owed(10_000, DUE, history, D(2026, 11, 26), RATE) == 50


def test_a_cap_limits_a_charge_late_fee():
    assert latefee.owed(10_000, DUE, [], D(2027, 11, 15), RATE, cap=500) == 500
    assert latefee.owed(10_000, DUE, [], D(2026, 11, 20), RATE, cap=500) == 50


@given(st.integers(1, 10_000_000), st.integers(0, 400), st.integers(0, 400))
def test_accrual_adds_up_day_by_day(principal, first, second):
    # the piecewise sum equals adding each late day's accrual one by one
    pay_on = DUE + datetime.timedelta(days=first)
    until = pay_on + datetime.timedelta(days=second)
    part = principal // 3
    history = [Paid(pay_on, principal=part)]
    by_day = Fraction(0)
    for n in range(1, (until - DUE).days + 1):
        day = DUE + datetime.timedelta(days=n)
        unpaid = principal - (part if pay_on < day else 0)
        by_day += RATE * unpaid
    assert latefee.accrued(principal, DUE, history, until, RATE) == by_day
