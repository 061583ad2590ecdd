"""Billing goes month by month (计费): no month is billed, and no meter is read for a
month, while an earlier month since billing began is unbilled; the refusal names the
month. A new office starts where it chooses, once; the billing and meter pages open on
the first month not billed yet."""
import datetime

import pytest

from models import billing, clock, fees, meters
from models.errors import OfficeError
from models.meters import Entry

D = datetime.date


def on(y, m, d, h=10):
    return clock.frozen(datetime.datetime(y, m, d, h, 0))


@pytest.fixture
def subs(admin, supervisor, house):
    """3-2-1201 on the service fee and on water since January."""
    fees.update_item(supervisor, "service", unit_price="2.5000")
    fees.update_item(supervisor, "water", unit_price="3.10")
    fees.subscribe(supervisor, house.id, "service", starts=D(2026, 1, 1))
    return [fees.subscribe(supervisor, house.id, "water", starts=D(2026, 1, 1)).id]


def test_a_month_is_not_billed_while_the_month_before_is_unbilled(cashier, subs):
    with on(2026, 10, 1):
        billing.post(cashier, "2026-10")
    with on(2026, 12, 2):
        with pytest.raises(OfficeError) as refused:
            billing.post(cashier, "2026-12")
        assert refused.value.params["unbilled"] == "2026-11" and "2026-11 is not billed yet" in str(refused.value)
        with pytest.raises(OfficeError):
            billing.plan(cashier, "2026-12")  # the preview says so too
        assert billing.BillingRun.select().count() == 1 and billing.Charge.select().count() == 1  # nothing written
        billing.post(cashier, "2026-11")
        assert billing.post(cashier, "2026-12").charges == 1
        assert billing.post(cashier, "2026-10").charges == 0  # a billed month may run again: nothing twice


def test_a_new_office_starts_billing_where_it_chooses_once(cashier, subs):
    with on(2026, 9, 1):
        assert billing.first_unbilled() is None
        billing.post(cashier, "2026-09")  # the first run: any month
        with pytest.raises(OfficeError) as refused:
            billing.post(cashier, "2026-08")
    assert "Billing began with 2026-09" in str(refused.value)
    assert billing.first_unbilled() == "2026-10"


def test_readings_wait_until_the_months_before_are_billed(cashier, subs, tmp_path):
    import openpyxl

    with on(2026, 10, 1):
        billing.post(cashier, "2026-10")
    with on(2026, 12, 2):
        with pytest.raises(OfficeError) as refused:
            meters.save(cashier, "2026-12", [Entry(subs[0], 120)])
        assert "2026-11 is not billed yet" in str(refused.value) and "2026-12" in str(refused.value)
        book = openpyxl.Workbook()
        book.active.append(["房号", "本月读数"])
        book.active.append(["3-2-1201", 120])
        book.save(tmp_path / "readings.xlsx")
        with pytest.raises(OfficeError):
            meters.import_workbook(cashier, "water", "2026-12", tmp_path / "readings.xlsx", write=True)
        assert meters.Reading.select().count() == 0
        # the unbilled month itself and the months before take readings
        assert meters.save(cashier, "2026-10", [Entry(subs[0], 90)]) == 1
        assert meters.save(cashier, "2026-11", [Entry(subs[0], 100)]) == 1
        billing.post(cashier, "2026-11")  # November's readings go on November's bill
        assert {c.period for c in billing.Charge.select().where(billing.Charge.source == "meter")} == {"2026-10",
                                                                                                       "2026-11"}
        assert meters.save(cashier, "2026-12", [Entry(subs[0], 120)]) == 1


def test_a_new_office_reads_any_month(cashier, subs):
    with on(2026, 12, 2):
        assert meters.save(cashier, "2027-03", [Entry(subs[0], 10)]) == 1


@pytest.mark.parametrize("billed,expected", [
    ((), "2026-12"),  # never billed: this month
    (("2026-09", "2026-10"), "2026-11"),  # November was skipped: it comes first
    (("2026-10", "2026-11"), "2026-12"),
    (("2026-11", "2026-12", "2027-01"), "2026-12"),  # billed ahead: still this month
])
def test_the_pages_open_on_the_first_month_not_billed(cashier, subs, billed, expected):
    for period in billed:
        with on(int(period[:4]), int(period[5:]), 1):
            billing.post(cashier, period)
    with on(2026, 12, 2):
        assert billing.open_month() == expected


def test_a_gap_left_in_old_runs_is_billed_before_later_months(cashier, subs):
    for period in ("2026-08", "2026-10"):  # written before months were kept in order
        billing.BillingRun.create(period=period, posted_at=datetime.datetime(2026, 10, 1, 9))
    assert billing.first_unbilled() == "2026-09"
    with on(2026, 11, 2), pytest.raises(OfficeError):
        billing.post(cashier, "2026-11")


def test_the_year_turns_month_by_month(cashier, subs):
    with on(2026, 12, 1):
        billing.post(cashier, "2026-12")
    assert billing.first_unbilled() == "2027-01"
    with on(2027, 1, 1):
        billing.post(cashier, "2027-01")
    assert billing.first_unbilled() == "2027-02"


@pytest.mark.parametrize("period", ["2026-10 ", " 2026-12", "2026-+12", "2026-1", "2026-13", "2026-00", "26-10",
                                    "2026/10", "２０２６-１０", "2026-10-01"])
def test_a_month_written_any_other_way_is_refused_and_nothing_is_billed_or_read(cashier, supervisor, subs, period):
    from models.errors import ValidationError

    fees.subscribe(supervisor, fees.Subscription.get(fees.Subscription.id == subs[0]).house_id, "shared",
                   starts=D(2026, 1, 1))
    with on(2026, 10, 1):
        billing.post(cashier, "2026-10")
        for attempt in (lambda: billing.post(cashier, period), lambda: billing.plan(cashier, period),
                        lambda: meters.save(cashier, period, [Entry(subs[0], 90)]),
                        lambda: meters.set_share(supervisor, "shared", period, 10_000)):
            with pytest.raises(ValidationError) as refused:
                attempt()
            assert "like 2026-11" in str(refused.value)
    assert billing.BillingRun.select().count() == 1  # October billed once, under its own month
    assert meters.Reading.select().count() == 0 and meters.SharedTotal.select().count() == 0


def test_the_refusal_to_read_ahead_sends_the_meter_clerk_to_whoever_bills(cashier, subs):
    with on(2026, 10, 1):
        billing.post(cashier, "2026-10")
    with on(2026, 12, 2), pytest.raises(OfficeError) as refused:
        meters.save(cashier, "2026-12", [Entry(subs[0], 120)])
    assert str(refused.value) == ("2026-11 is not billed yet: readings for 2026-12 wait until it is (ask whoever "
                                  "runs the billing)")


def test_a_shared_total_waits_until_the_months_before_are_billed(cashier, supervisor, subs):
    house_id = fees.Subscription.get(fees.Subscription.id == subs[0]).house_id
    fees.subscribe(supervisor, house_id, "shared", starts=D(2026, 1, 1))
    with on(2026, 10, 1):
        billing.post(cashier, "2026-10")
    with on(2026, 12, 2):
        with pytest.raises(OfficeError) as refused:
            meters.set_share(supervisor, "shared", "2026-12", 10_000)
        assert refused.value.params["unbilled"] == "2026-11" and meters.SharedTotal.select().count() == 0
        assert meters.set_share(supervisor, "shared", "2026-11", 10_000).total == 10_000


def test_a_charges_months_read_in_chinese_as_stored_and_in_english_with_a_plural():
    from fractions import Fraction

    from models import fees

    assert [fees.months_text(m) for m in (Fraction(1), Fraction(15, 31), Fraction(3))] == ["1 月", "15/31 月", "3 月"]
    assert [fees.months_text(m, english=True) for m in (Fraction(1), Fraction(15, 31), Fraction(3))] == [
        "1 month", "15/31 month", "3 months"]
