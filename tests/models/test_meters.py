"""Meter readings (抄表): usage from the last reading, the checks before a reading is saved
(lower than last month, three times the average, rollover, a replaced meter), the Excel
import, billing from readings with tiers, and shared totals (公摊) split to the fen."""
import datetime

import openpyxl
import pytest

from models import audit, billing, clock, estate, fees, meters
from models.errors import OfficeError, PermissionDenied, ValidationError
from models.meters import Entry

D = datetime.date


def on(y, m, d, h=10):
    return clock.frozen(datetime.datetime(y, m, d, h, 0))


@pytest.fixture
def water(supervisor):
    fees.update_item(supervisor, "water", unit_price="3.10")
    return supervisor


@pytest.fixture
def block(admin, water):
    """Building 5, unit 1: four houses on water, 80–120 m²."""
    b = estate.create_building(admin, "5")
    u = estate.create_unit(admin, b.id, "1")
    houses, subs = [], []
    for number, area in (("101", "80.00"), ("102", "100.00"), ("201", "120.00"), ("202", "100.00")):
        h = estate.create_house(admin, u.id, number=number, area=area, state="owner_occupied")
        houses.append(h)
        subs.append(fees.subscribe(water, h.id, "water", starts=D(2026, 1, 1)).id)
    return b, houses, subs


def row_of(user, sub_id, period, code="water"):
    return next(r for r in meters.grid(user, code, period) if r.subscription_id == sub_id)


def test_usage_counts_from_the_last_reading_and_is_averaged(cashier, block):
    _b, _houses, subs = block
    for period, reading in (("2026-08", 110), ("2026-09", 122), ("2026-10", 131)):
        with on(2026, int(period[5:]) + 1, 2):
            assert meters.save(cashier, period, [Entry(subs[0], reading)]) == 1
    row = row_of(cashier, subs[0], "2026-11")
    # the meter started at 0: August used 110, then 12 and 9
    assert (row.previous, row.previous_period, row.reading) == (131, "2026-10", None)
    assert row.average == pytest.approx((110 + 12 + 9) / 3)
    october = row_of(cashier, subs[0], "2026-10")
    assert (october.previous, october.reading, october.usage) == (122, 131, 9)
    assert october.later == ""  # nothing read after it yet? November is not
    assert row_of(cashier, subs[0], "2026-09").later == "2026-10"


def test_a_reading_lower_than_last_month_is_refused_and_nothing_is_saved(cashier, block):
    _b, _houses, subs = block
    meters.save(cashier, "2026-10", [Entry(subs[0], 500), Entry(subs[1], 300)])
    with pytest.raises(ValidationError) as e:
        meters.save(cashier, "2026-11", [Entry(subs[1], 310), Entry(subs[0], 490)])
    assert "5-1-101" in str(e.value) and "500" in str(e.value)
    assert str(subs[0]) in e.value.fields
    # all or nothing: the good reading of 5-1-102 waits too
    assert meters.Reading.select().where(meters.Reading.period == "2026-11").count() == 0
    usage, problems = meters.check(row_of(cashier, subs[0], "2026-11"), Entry(subs[0], 490))
    assert usage == -10 and problems[0].code == "negative" and problems[0].blocking


def test_usage_over_three_times_the_average_is_flagged_not_refused(cashier, block):
    _b, _houses, subs = block
    for period, reading in (("2026-08", 10), ("2026-09", 20), ("2026-10", 30)):
        meters.save(cashier, period, [Entry(subs[0], reading)])
    row = row_of(cashier, subs[0], "2026-11")  # average 10
    assert meters.check(row, Entry(subs[0], 60))[1] == []  # exactly three times: not flagged
    usage, problems = meters.check(row, Entry(subs[0], 61))
    assert usage == 31 and [p.code for p in problems] == ["high"] and not problems[0].blocking
    assert meters.save(cashier, "2026-11", [Entry(subs[0], 61)]) == 1


def test_a_meter_that_rolls_over_counts_past_its_top(cashier, supervisor, block):
    _b, _houses, subs = block
    meters.set_meter(supervisor, subs[0], serial="W-0001", digits=4, initial=9_950)
    meters.save(cashier, "2026-10", [Entry(subs[0], 9_990)])
    row = row_of(cashier, subs[0], "2026-11")
    assert row.digits == 4 and row.serial == "W-0001"
    with pytest.raises(ValidationError):  # 12 is lower than 9,990: it must be marked
        meters.save(cashier, "2026-11", [Entry(subs[0], 12)])
    usage, problems = meters.check(row, Entry(subs[0], 12, "rollover"))
    assert usage == 22 and [p.code for p in problems] == ["rollover"]
    meters.save(cashier, "2026-11", [Entry(subs[0], 12, "rollover")])
    assert meters.Reading.get(meters.Reading.period == "2026-11").usage == 22
    # a reading past a 4-digit meter's top, and a rollover that is not one, are refused
    assert meters.check(row, Entry(subs[0], 10_000))[1][0].code == "too_big"
    assert meters.check(row, Entry(subs[0], 9_995, "rollover"))[1][0].code == "rollover_needless"


def test_a_replaced_meter_adds_the_old_meters_last_stretch(cashier, block):
    _b, _houses, subs = block
    meters.save(cashier, "2026-10", [Entry(subs[0], 800)])
    # the old meter read 815 when it came off; the new one started at 0 and reads 7
    entry = Entry(subs[0], 7, "replaced", old_final=815, new_start=0)
    usage, problems = meters.check(row_of(cashier, subs[0], "2026-11"), entry)
    assert usage == 22 and [p.code for p in problems] == ["replaced"]
    meters.save(cashier, "2026-11", [entry])
    assert row_of(cashier, subs[0], "2026-12").previous == 7  # December counts from the new meter
    assert meters.Meter.get(meters.Meter.subscription == subs[0]).fitted_on is not None
    bad = Entry(subs[0], 7, "replaced", old_final=790, new_start=0)  # below October's 800
    assert meters.check(row_of(cashier, subs[0], "2026-11"), bad)[1][0].code == "replaced_bad"


def test_a_meters_details_change_but_not_the_reading_its_readings_count_from(cashier, supervisor, block):
    _b, _houses, subs = block
    meters.set_meter(supervisor, subs[0], serial="W-1", digits=5, initial=9_950)
    meters.save(cashier, "2026-10", [Entry(subs[0], 9_990)])
    meters.set_meter(supervisor, subs[0], serial="W-1A", digits=5, initial=9_950)  # the same start: fine
    with pytest.raises(ValidationError):
        meters.set_meter(supervisor, subs[0], serial="W-1A", digits=5, initial=0)
    assert meters.Meter.get(meters.Meter.subscription == subs[0]).serial == "W-1A"


def test_the_billing_plan_says_how_many_houses_have_no_reading_for_the_month(cashier, admin, water, block):
    _b, houses, subs = block
    meters.save(cashier, "2026-11", [Entry(subs[0], 100)])  # one of four read
    gone = estate.create_house(admin, houses[0].unit_id, number="301", area="90.00")
    fees.subscribe(water, gone.id, "water", starts=D(2026, 1, 1), ends=D(2026, 10, 31))  # off water before November
    with on(2026, 11, 30):
        plan = billing.plan(cashier, "2026-11")
        assert [(m.item_name, m.read, m.unread) for m in plan.meters_read] == [("水费", 1, 3)]
        billing.post(cashier, "2026-11")  # posting is still allowed: the unread are charged when read
        meters.save(cashier, "2026-11", [Entry(s, 10) for s in subs[1:]])
        later = billing.plan(cashier, "2026-11")
    assert [(m.read, m.unread) for m in later.meters_read] == [(4, 0)]
    assert sorted(c.house_label for c in later.charges if c.source == "meter") == ["5-1-102", "5-1-201", "5-1-202"]


def test_billing_charges_each_reading_once_and_keeps_it(cashier, block):
    _b, houses, subs = block
    meters.save(cashier, "2026-10", [Entry(subs[0], 100), Entry(subs[1], 40), Entry(subs[2], 0)])
    meters.save(cashier, "2026-11", [Entry(subs[0], 112)])
    with on(2026, 11, 30):
        plan = billing.plan(cashier, "2026-11")
        water = [c for c in plan.charges if c.source == "meter"]
        # October's and November's readings are billed by the November run; no usage, no charge
        assert sorted((c.house_label, c.period, c.amount) for c in water) == [
            ("5-1-101", "2026-10", 31000), ("5-1-101", "2026-11", 3720), ("5-1-102", "2026-10", 12400)]
        run = billing.post(cashier, "2026-11")
        assert billing.post(cashier, "2026-11").charges == 0  # again: nothing twice
    assert run.charges == 3
    charge = billing.Charge.get(billing.Charge.key == meters.reading_key(
        meters.Reading.get(meters.Reading.period == "2026-11").id))
    assert (charge.quantity, charge.period, charge.source) == ("100→112 用量 12", "2026-11", "meter")
    assert charge.due_date == D(2026, 12, 15)  # posted after the 15th: due next month
    assert all(r.billed for r in meters.Reading.select())  # the nil reading too
    with pytest.raises(ValidationError) as e:
        meters.save(cashier, "2026-11", [Entry(subs[0], 113)])
    assert "billed" in str(e.value)


def test_tiered_water_is_billed_by_its_tiers_and_a_yearly_tier_counts_from_january(supervisor, cashier, block):
    _b, _houses, subs = block
    fees.update_item(supervisor, "water", tiers=[(20, 31000), (30, 40000), (None, 50000)], tier_period="year")
    meters.save(cashier, "2026-01", [Entry(subs[0], 15)])
    meters.save(cashier, "2026-02", [Entry(subs[0], 32)])  # 17 more: 5 at 3.10, 10 at 4.00, 2 at 5.00
    with on(2026, 3, 1):
        plan = billing.plan(cashier, "2026-02")
    amounts = {c.period: c.amount for c in plan.charges if c.source == "meter"}
    assert amounts == {"2026-01": 15 * 310, "2026-02": 5 * 310 + 10 * 400 + 2 * 500}
    fees.update_item(supervisor, "water", tier_period="month")
    with on(2026, 3, 1):
        plan = billing.plan(cashier, "2026-02")
    assert {c.period: c.amount for c in plan.charges if c.source == "meter"}["2026-02"] == 17 * 310
    # April read after March was missed: 40 units over two months fill two months' tiers
    meters.save(cashier, "2026-04", [Entry(subs[0], 72)])
    with on(2026, 5, 1):
        plan = billing.plan(cashier, "2026-04")
    assert {c.period: c.amount for c in plan.charges if c.source == "meter"}["2026-04"] == 40 * 310


def test_a_shared_total_is_split_by_area_to_the_fen_and_posted_once(admin, supervisor, cashier, block):
    b, houses, _subs = block
    for h in houses[:3]:
        fees.subscribe(supervisor, h.id, "shared", starts=D(2026, 1, 1))
    meters.set_share(supervisor, "shared", "2026-11", 10_000, basis="area", building_id=b.id, note="楼道照明")
    with on(2026, 11, 30):
        parts = {c.house_label: c.amount for c in billing.plan(cashier, "2026-11").charges if c.source == "shared"}
        # 100 yuan over 80, 100 and 120 m²: 26.666…, 33.333…, 40.00 → the spare fen to the largest remainder
        assert parts == {"5-1-101": 2667, "5-1-102": 3333, "5-1-201": 4000}
        billing.post(cashier, "2026-11")
        assert billing.post(cashier, "2026-11").charges == 0
    assert sum(c.amount for c in billing.Charge.select().where(billing.Charge.source == "shared")) == 10_000
    with pytest.raises(ValidationError):  # billed: kept as it is
        meters.set_share(supervisor, "shared", "2026-11", 12_000, building_id=b.id)
    meters.set_share(supervisor, "shared", "2026-12", 301, basis="household", building_id=b.id)
    with on(2026, 12, 30):
        parts = [c.amount for c in billing.plan(cashier, "2026-12").charges if c.source == "shared"]
    assert sorted(parts) == [100, 100, 101]


def test_a_bill_is_shared_over_the_estate_or_by_building_not_both(supervisor, block):
    b, houses, _subs = block
    for h in houses:
        fees.subscribe(supervisor, h.id, "shared", starts=D(2026, 1, 1))
    meters.set_share(supervisor, "shared", "2026-11", 10_000, building_id=b.id)
    with pytest.raises(ValidationError):
        meters.set_share(supervisor, "shared", "2026-11", 5_000)  # the estate too: 5-1's houses would pay twice
    meters.set_share(supervisor, "shared", "2026-12", 5_000)
    with pytest.raises(ValidationError):
        meters.set_share(supervisor, "shared", "2026-12", 5_000, building_id=b.id)
    assert meters.SharedTotal.select().count() == 2


def test_a_share_needs_houses_and_a_positive_total(supervisor, block):
    b, _houses, _subs = block
    with pytest.raises(ValidationError):
        meters.set_share(supervisor, "shared", "2026-11", 10_000, building_id=b.id)  # nobody is on it
    with pytest.raises(ValidationError):
        meters.set_share(supervisor, "shared", "2026-11", 0)
    with pytest.raises(ValidationError):
        meters.set_share(supervisor, "water", "2026-11", 100)
    assert meters.SharedTotal.select().count() == 0


def test_clerks_read_meters_but_only_billers_enter_shares_and_readings_are_audited(clerk, cashier, block):
    b, houses, subs = block
    with pytest.raises(PermissionDenied):
        meters.set_share(clerk, "shared", "2026-11", 100, building_id=b.id)
    meters.save(clerk, "2026-11", [Entry(subs[0], 1), Entry(subs[1], 2)])
    entry = audit.AuditEntry.get(audit.AuditEntry.action == "meter.read")
    assert "water 2026-11" in entry.summary and '"readings": 2' in entry.detail


def _sheet(path, rows, title=True):
    book = openpyxl.Workbook()
    ws = book.active
    if title:
        ws.append(["5栋 2026年11月 水表抄表单"])  # a title line above the header, as offices make them
    for r in rows:
        ws.append(r)
    book.save(path)
    return path


def test_readings_import_from_excel_all_or_nothing(cashier, block, tmp_path):
    _b, _houses, subs = block
    meters.save(cashier, "2026-10", [Entry(subs[0], 500), Entry(subs[1], 300)])
    bad = _sheet(tmp_path / "bad.xlsx", [
        ["房号", "户主", "本月读数"],
        ["5-1-101", "甲", 512],
        ["5栋1单元102", "乙", "２９０"],  # full-width digits; lower than last month
        ["5-1-201", "丙", "十二"],
        ["5-1-101", "甲", 513],
        ["9-9-999", "丁", 1],
        [None, None, None],
    ])
    report = meters.import_workbook(cashier, "water", "2026-11", bad, write=True)
    assert [(row, column) for row, column, _t, _p in report.problems] == [
        (4, "reading"), (5, "reading"), (6, "house"), (7, "house")]
    assert report.written == 0 and meters.Reading.select().where(meters.Reading.period == "2026-11").count() == 0
    good = _sheet(tmp_path / "good.xlsx", [
        ["房号", "户主", "本月读数"], ["5-1-101", "甲", 512], ["5栋1单元102", "乙", "３１０"], ["5-1-201", "丙", 12.0]])
    report = meters.import_workbook(cashier, "water", "2026-11", good, write=True)
    assert report.problems == [] and report.written == 3
    assert {r.reading for r in meters.Reading.select().where(meters.Reading.period == "2026-11")} == {512, 310, 12}


def test_an_unreadable_or_headerless_file_is_refused(cashier, block, tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    with pytest.raises(OfficeError):
        meters.import_workbook(cashier, "water", "2026-11", junk)
    with pytest.raises(OfficeError) as e:
        meters.import_workbook(cashier, "water", "2026-11", _sheet(tmp_path / "x.xlsx", [["a", "b"], [1, 2]]))
    assert "房号" in str(e.value)
