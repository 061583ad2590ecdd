"""Fee items, the monthly billing run, payments at the counter with their receipts,
voids, waivers, prepaid balances and receipt numbering, against the database."""
import datetime
from fractions import Fraction

import pytest

from models import audit, billing, cashier, clock, estate, fees, money, users
from models.cashier import Pick
from models.errors import OfficeError, PermissionDenied, ValidationError

D = datetime.date


@pytest.fixture
def cashier_user(request):
    return request.getfixturevalue("cashier")  # conftest's cashier (李), not the module


@pytest.fixture
def priced(admin, supervisor):
    """The service fee at 2.5000 元/m²/月 and the waste fee at 10 元/户/月."""
    fees.update_item(supervisor, "service", unit_price="2.5000")
    fees.update_item(supervisor, "waste", unit_price="10")
    return supervisor


def ok(supervisor):
    """The supervisor's approval, as the dialog gets it with their password (conftest's)."""
    return users.approve(supervisor.username, "secret1", "cash.approve")


def on(y, m, d, h=10):
    return clock.frozen(datetime.datetime(y, m, d, h, 0))


def bill(user, house, period="2026-11", posted=(2026, 11, 1)):
    with on(*posted):
        return billing.post(user, period)


# --- amounts -------------------------------------------------------------------------

@pytest.mark.parametrize("area,price,expected", [
    ("89.50", "2.5000", 22375),  # 223.75 exactly
    ("89.23", "1.85", 16508),  # 165.0755 → 165.08
    ("100.00", "2.3500", 23500),
    ("67.33", "2.3456", 15793),  # 157.929248 → 157.93
    ("0.01", "0.0050", 0),  # less than half a fen: nothing to bill
])
def test_area_times_price_is_exact_and_rounded_once(admin, priced, area, price, expected):
    b = estate.create_building(admin, "9")
    u = estate.create_unit(admin, b.id, "1")
    h = estate.create_house(admin, u.id, number="101", area=area)
    fees.update_item(priced, "service", unit_price=price)
    sub = fees.subscribe(priced, h.id, "service", starts=D(2026, 1, 1))
    amount = fees.periodic_amount(fees.item("service"), sub, h, "2026-11")
    assert (amount.fen if amount else 0) == expected


def test_rounding_rules():
    assert money.round_by(Fraction(16507, 1) + Fraction(1, 2), "half_up") == 16508
    assert money.round_by(Fraction(165075, 10), "down") == 16507
    assert money.round_by(Fraction(165071, 10), "up") == 16508
    assert money.round_by(Fraction(16505), "half_up_jiao") == 16510
    assert money.round_by(Fraction(16504), "half_up_jiao") == 16500


def test_a_partial_first_month_is_charged_by_days(admin, priced, house):
    estate.update_house(admin, house.id, handover_date=D(2026, 11, 21))
    sub = fees.subscribe(priced, house.id, "service")
    assert sub.starts == D(2026, 11, 21)  # the service fee starts from the handover date
    amount = fees.periodic_amount(fees.item("service"), sub, estate.get_house(house.id), "2026-11")
    # 223.75 × 10/30 = 74.5833… → 74.58
    assert amount.fen == 7458 and "1/3 月" in amount.quantity
    assert fees.periodic_amount(fees.item("service"), sub, estate.get_house(house.id), "2026-10") is None


@pytest.mark.parametrize("usage,before,expected_fen", [
    (200, 0, 200 * 56),  # all in the first tier at 0.5600
    (240, 0, 240 * 56),  # exactly the first tier's top
    (241, 0, 240 * 56 + 1 * 61),  # one unit into the second
    (400, 0, 240 * 56 + 160 * 61),  # the second tier's top
    (401, 0, 240 * 56 + 160 * 61 + 86),
    (50, 230, 10 * 56 + 40 * 61),  # a yearly tier: 230 units used before this month
])
def test_tiered_tariffs_at_the_tier_boundaries(usage, before, expected_fen):
    tiers = [(240, 5600), (400, 6100), (None, 8600)]  # 0.56 / 0.61 / 0.86 元 a unit
    assert fees.tiered_amount(usage, tiers, before) == expected_fen


def test_a_shared_total_splits_to_the_fen():
    parts = fees.split(10_000, [8950, 8950, 12000])
    # 2993.31, 2993.31, 4013.38: the fen left over goes to the largest remainder
    assert parts == [2993, 2993, 4014] and sum(parts) == 10_000
    assert fees.split(100, [1, 1, 1]) == [34, 33, 33]


def test_due_dates_follow_the_posting_day():
    assert fees.due_date(D(2026, 11, 1), 15) == D(2026, 11, 15)
    assert fees.due_date(D(2026, 11, 15), 15) == D(2026, 11, 15)
    assert fees.due_date(D(2026, 10, 3), 15) == D(2026, 10, 15)  # September's water billed 3 October
    assert fees.due_date(D(2026, 11, 16), 15) == D(2026, 12, 15)
    assert fees.due_date(D(2026, 12, 20), 15) == D(2027, 1, 15)


def test_prices_take_four_decimals_and_refuse_more(priced, clerk):
    assert money.parse_price("1.85") == 18500 and money.parse_price("2.3500") == 23500
    with pytest.raises(ValidationError):
        fees.update_item(priced, "service", unit_price="2.35001")
    assert fees.item("service").unit_price == 25000
    with pytest.raises(PermissionDenied):
        fees.update_item(clerk, "service", unit_price="1")


# --- billing run ---------------------------------------------------------------------

def test_a_billing_run_posts_once_even_when_run_again(admin, priced, house, cashier_user):
    fees.subscribe(priced, house.id, "service", starts=D(2026, 1, 1))
    fees.subscribe(priced, house.id, "waste", starts=D(2026, 1, 1))
    with on(2026, 11, 1):
        plan = billing.plan(cashier_user, "2026-11")
        assert [(c.house_label, c.amount) for c in plan.charges] == [("3-2-1201", 22375), ("3-2-1201", 1000)]
        assert plan.due == D(2026, 11, 15)
        first = billing.post(cashier_user, "2026-11")
        again = billing.post(cashier_user, "2026-11")
    assert (first.charges, first.total) == (2, 23375)
    assert (again.charges, again.total) == (0, 0)
    assert billing.Charge.select().count() == 2
    service = billing.Charge.get(billing.Charge.item == fees.item("service"))
    assert service.late_fee and not billing.Charge.get(billing.Charge.item == fees.item("waste")).late_fee


# --- the counter ---------------------------------------------------------------------

@pytest.fixture
def billed(admin, priced, house, cashier_user):
    fees.subscribe(priced, house.id, "service", starts=D(2026, 1, 1))
    bill(cashier_user, house)
    return house


def test_paid_on_the_due_day_no_late_fee_the_day_after_one_day(billed, cashier_user):
    with on(2026, 11, 15):
        [line] = cashier.owed(cashier_user, billed.id)
        assert (line.principal, line.late_fee) == (22375, 0)
    with on(2026, 11, 16):
        [line] = cashier.owed(cashier_user, billed.id)
        assert line.late_fee == 22  # 22.375 fen
    with on(2026, 11, 17):
        [line] = cashier.owed(cashier_user, billed.id)
        assert line.late_fee == 45  # 44.75, rounded once


def test_a_cash_payment_issues_a_numbered_receipt_with_change(billed, cashier_user):
    with on(2026, 11, 20):
        [line] = cashier.owed(cashier_user, billed.id)
        r = cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id)], "cash", tendered=30_000,
                                 payer="张三")
    assert r.total == 22375 + 112  # 5 late days × 22.375 = 111.875 → 112
    assert r.change == 30_000 - r.total
    assert r.number_text == "2026-000001"
    lines = cashier.receipt_lines(r)
    assert [(l.item, l.amount) for l in lines] == [("物业服务费", 22375), ("违约金(物业服务费)", 112)]
    with on(2026, 11, 20):
        assert cashier.owed(cashier_user, billed.id) == []


def test_cash_with_nothing_typed_as_handed_over_is_the_exact_amount(billed, cashier_user):
    with on(2026, 11, 20):
        [line] = cashier.owed(cashier_user, billed.id)
        r = cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id)], "cash", tendered=None)
    assert (r.tendered, r.change) == (22375 + 112, 0)


def test_what_the_payer_pays_is_each_pick_or_all_its_charge_owes_plus_the_prepayment():
    picks = [Pick(1), Pick(2, 5_000)]
    assert cashier.total_of(picks, {1: 12_345, 2: 20_000}, prepay=10_000) == 12_345 + 5_000 + 10_000
    assert cashier.total_of([], {}, deposit=300_000) == 300_000


def test_not_enough_cash_and_nothing_picked_are_refused_and_write_nothing(billed, cashier_user):
    with on(2026, 11, 10):
        [line] = cashier.owed(cashier_user, billed.id)
        with pytest.raises(ValidationError) as e:
            cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id)], "cash", tendered=20_000)
        assert "tendered" in e.value.fields
        with pytest.raises(ValidationError):
            cashier.take_payment(cashier_user, billed.id, [], "wechat")
        with pytest.raises(ValidationError):
            cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id, 22376)], "wechat")
    assert cashier.Receipt.select().count() == 0
    assert cashier.active_series().next_number == 1  # no number used up


def test_one_charge_picked_twice_or_an_amount_given_as_true_is_refused_and_writes_nothing(billed, cashier_user):
    with on(2026, 11, 10):
        [line] = cashier.owed(cashier_user, billed.id)
        with pytest.raises(OfficeError, match="chosen twice"):
            cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id), Pick(line.charge.id)], "wechat")
        with pytest.raises(OfficeError, match="chosen twice"):
            cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id, 100), Pick(line.charge.id, 200)],
                                 "wechat")
        with pytest.raises(ValidationError) as e:
            cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id)], "cash", tendered=True)
        assert "tendered" in e.value.fields
    assert cashier.Receipt.select().count() == 0
    assert cashier.active_series().next_number == 1  # no number used up


def test_a_void_needs_a_supervisor_and_reopens_the_charge(billed, cashier_user, supervisor, clerk):
    with on(2026, 11, 10):
        [line] = cashier.owed(cashier_user, billed.id)
        part = cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id, 10_000)], "wechat")
        with pytest.raises(PermissionDenied):
            ok(clerk)  # a clerk approves nothing
        with pytest.raises(OfficeError, match="own name and password"):
            cashier.void(cashier_user, part.id, "收错金额", supervisor)  # a user object is no approval
        with pytest.raises(ValidationError):
            cashier.void(cashier_user, part.id, " ", ok(supervisor))
    with on(2026, 11, 20):
        cashier.void(cashier_user, part.id, "收错金额", ok(supervisor))
        [line] = cashier.owed(cashier_user, billed.id)
    # a void after a partial payment: the whole principal is unpaid again and the late fee
    # counts on all of it from the due day
    assert line.principal == 22375 and line.late_fee == 112
    r = cashier.get_receipt(part.id)
    assert r.void and r.void_reason == "收错金额" and r.voided_by_id == supervisor.id
    with pytest.raises(OfficeError):
        cashier.void(cashier_user, part.id, "again", ok(supervisor))


def test_partial_payments_on_several_days_settle_late_fee_first(billed, cashier_user):
    with on(2026, 11, 20):  # 5 days: 111.875 → 112 owed
        [line] = cashier.owed(cashier_user, billed.id)
        r1 = cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id, 10_112)], "alipay")
    assert [(l.item, l.amount) for l in cashier.receipt_lines(r1)] == [("物业服务费", 10_000), ("违约金(物业服务费)", 112)]
    with on(2026, 11, 25):  # 12,375 unpaid × 5 days = 61.875; with the 0.125 left from the rounding: 62
        [line] = cashier.owed(cashier_user, billed.id)
        assert (line.principal, line.late_fee) == (12_375, 62)


def test_a_waiver_by_a_supervisor_with_a_reason(billed, cashier_user, supervisor):
    with on(2026, 11, 25):
        [line] = cashier.owed(cashier_user, billed.id)
        assert line.late_fee == 224
        with pytest.raises(OfficeError, match="own name and password"):
            cashier.waive(cashier_user, line.charge.id, None, "老人", approver=supervisor)
        assert cashier.waive(cashier_user, line.charge.id, 100, "业主住院", approver=ok(supervisor)) == 100
        [line] = cashier.owed(cashier_user, billed.id)
        assert line.late_fee == 124
    [entry] = audit.browse(supervisor, action="latefee.waive")
    assert "业主住院" in entry.detail


def test_a_back_dated_payment_needs_a_supervisor(billed, cashier_user, supervisor):
    with on(2026, 11, 20):
        [line] = cashier.owed(cashier_user, billed.id)
        with pytest.raises(ValidationError):
            cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id)], "transfer",
                                 business_date=D(2026, 11, 14))
        r = cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id)], "transfer",
                                 business_date=D(2026, 11, 14), approver=ok(supervisor))
    assert r.total == 22375 and r.approved_by_id == supervisor.id  # on time on the 14th: no late fee


def test_a_prepayment_larger_than_the_bill_pays_it_and_keeps_the_rest(admin, priced, house, cashier_user):
    fees.subscribe(priced, house.id, "service", starts=D(2026, 1, 1))
    with on(2026, 10, 20):
        r = cashier.take_payment(cashier_user, house.id, [], "cash", tendered=50_000, prepay=50_000)
    assert [(l.item, l.amount) for l in cashier.receipt_lines(r)] == [("预存款", 50_000)]
    bill(cashier_user, house)
    with on(2026, 11, 1):
        assert cashier.owed(cashier_user, house.id) == []  # settled at posting, as a draw-down
    assert cashier.balances(house.id) == {("prepay", None): 50_000 - 22_375}
    assert cashier.Receipt.select().count() == 1  # no new receipt for the draw-down


def test_a_prepayment_smaller_than_the_bill_pays_part(admin, priced, house, cashier_user):
    fees.subscribe(priced, house.id, "service", starts=D(2026, 1, 1))
    with on(2026, 10, 20):
        cashier.take_payment(cashier_user, house.id, [], "wechat", prepay=10_000)
    bill(cashier_user, house)
    with on(2026, 11, 16):
        [line] = cashier.owed(cashier_user, house.id)
    assert line.principal == 12_375 and line.late_fee == 12  # 12.375 fen on what is left
    assert cashier.balances(house.id) == {}


def test_the_billing_run_says_what_prepaid_balances_paid(admin, priced, house, cashier_user):
    other = estate.create_house(admin, house.unit_id, number="1202", area="100.00")
    third = estate.create_house(admin, house.unit_id, number="1203", area="100.00")
    for h in (house, other, third):
        fees.subscribe(priced, h.id, "service", starts=D(2026, 1, 1))
    with on(2026, 10, 20):
        cashier.take_payment(cashier_user, house.id, [], "cash", tendered=50_000, prepay=50_000)  # more than the bill
        cashier.take_payment(cashier_user, other.id, [], "wechat", prepay=10_000)  # part of it
    run = bill(cashier_user, house)
    assert (run.prepaid_houses, run.prepaid) == (2, 22_375 + 10_000)  # the third house had nothing prepaid
    again = bill(cashier_user, house)
    assert (again.charges, again.prepaid, again.prepaid_houses) == (0, 0, 0)


def test_receipt_numbers_run_on_and_can_be_set_by_a_supervisor_only_forward(billed, cashier_user, supervisor):
    with on(2026, 11, 10):
        [line] = cashier.owed(cashier_user, billed.id)
        cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id, 100)], "cash", tendered=100)
        assert cashier.spoil_next(cashier_user, "卡纸") == 2
        with pytest.raises(PermissionDenied):
            cashier.set_next_number(cashier_user, 501)
        with pytest.raises(ValidationError):
            cashier.set_next_number(supervisor, 2)
        cashier.set_next_number(supervisor, 501)
        r = cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id, 100)], "cash", tendered=100)
    assert r.number == 501
    assert cashier.unaccounted_numbers(cashier.active_series()) == []


def test_a_reprint_on_a_new_preprinted_form_takes_that_forms_number(billed, cashier_user):
    with on(2026, 11, 10):
        [line] = cashier.owed(cashier_user, billed.id)
        r = cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id, 100)], "cash", tendered=100)
        cashier.reprint(cashier_user, r.id)  # on plain paper: no form used up
        again = cashier.reprint(cashier_user, r.id, new_form=True)  # the next pre-printed form, No. 2
        nxt = cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id, 100)], "cash", tendered=100)
    assert again.reprints == 2 and cashier.reprint_forms(r.id) == ["2026-000002"]
    assert nxt.number == 3 and cashier.unaccounted_numbers(cashier.active_series()) == []


def test_an_invoice_number_is_recorded_against_a_receipt(billed, cashier_user, supervisor):
    with on(2026, 11, 10):
        [line] = cashier.owed(cashier_user, billed.id)
        r = cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id, 100)], "cash", tendered=100)
        r2 = cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id, 100)], "cash", tendered=100)
        with pytest.raises(ValidationError):
            cashier.set_invoice(cashier_user, r.id, "12 34")  # too short
        assert cashier.set_invoice(cashier_user, r.id, "０４４００１２３４５６７").invoice_number == "044001234567"
        with pytest.raises(ValidationError) as e:
            cashier.set_invoice(cashier_user, r2.id, "044001234567")  # one invoice, one receipt
        assert "2026-000001" in str(e.value)
        cashier.void(cashier_user, r2.id, "收错", ok(supervisor))
        with pytest.raises(OfficeError):
            cashier.set_invoice(cashier_user, r2.id, "044001234568")
    entry = audit.AuditEntry.get(audit.AuditEntry.action == "receipt.invoice")
    assert '["", "044001234567"]' in entry.detail


def test_a_refund_of_a_deposit_needs_a_supervisor_and_is_a_negative_receipt(admin, house, cashier_user, supervisor):
    with on(2026, 11, 2):
        cashier.take_payment(cashier_user, house.id, [], "cash", tendered=300_000, deposit=300_000)
        assert cashier.balances(house.id) == {("deposit", fees.item("renovation_deposit").id): 300_000}
        with pytest.raises(ValidationError):
            cashier.refund(cashier_user, house.id, "deposit", 300_001, ok(supervisor), item_code="renovation_deposit")
        r = cashier.refund(cashier_user, house.id, "deposit", 300_000, ok(supervisor), item_code="renovation_deposit",
                           reason="装修验收合格")
    assert r.kind == "refund" and r.total == -300_000 and r.number == 2
    assert cashier.balances(house.id) == {}


# --- day close ------------------------------------------------------------------------

def test_the_day_close_totals_by_method_and_item_and_checks_the_cash(billed, cashier_user, supervisor):
    with on(2026, 11, 10):
        [line] = cashier.owed(cashier_user, billed.id)
        cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id, 10_000)], "cash", tendered=20_000)
        r2 = cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id, 5_000)], "wechat")
        r3 = cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id, 1_000)], "cash", tendered=1_000)
        cashier.void(cashier_user, r3.id, "重复收款", ok(supervisor))
        s = cashier.day_summary(cashier_user, cashier_user.id, D(2026, 11, 10))
        assert s.by_method == {"cash": 10_000, "wechat": 5_000} and s.expected_cash == 10_000
        assert s.by_item == {"物业服务费": 15_000}
        assert s.numbers == "2026-000001 – 000003" and [r.id for r in s.voids] == [r3.id]
        with pytest.raises(ValidationError):  # 5 yuan short, and no word why
            cashier.close_day(cashier_user, 9_500)
        cashier.close_day(cashier_user, 9_500, "找错零钱")
        with pytest.raises(OfficeError):  # the day is closed: no more payments on it
            cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id, 100)], "wechat")
    with on(2026, 11, 11):
        # voiding a receipt of the closed day is posted on the 11th; the 10th stays as closed
        cashier.void(cashier_user, r2.id, "退回", ok(supervisor))
        assert cashier.day_summary(cashier_user, cashier_user.id, D(2026, 11, 10)).by_method["wechat"] == 5_000
        assert cashier.day_summary(cashier_user, cashier_user.id, D(2026, 11, 11)).by_method == {"wechat": -5_000}
        with pytest.raises(PermissionDenied):
            cashier.reopen_day(cashier_user, cashier_user.id, D(2026, 11, 10), "补录")
        cashier.reopen_day(supervisor, cashier_user.id, D(2026, 11, 10), "补录漏收")
    assert [e.action for e in audit.browse(supervisor, action="day.reopen")] == ["day.reopen"]


def test_the_day_close_lists_only_the_cashiers_own_numbers_in_runs(billed, cashier_user, supervisor, clerk):
    """Another clerk's parcel-fee receipt between hers is not hers: her book shows her own
    numbers, a voided one among them, as runs of consecutive numbers."""
    with on(2026, 11, 10):
        [line] = cashier.owed(cashier_user, billed.id)
        for _ in range(3):
            cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id, 1_000)], "wechat")
        parcel = billing.charge_for(clerk, billed.id, "parcel", 200, source="parcel")
        cashier.take_payment(clerk, billed.id, [Pick(parcel.id)], "cash", tendered=200)  # 2026-000004: wang's
        r5 = cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id, 1_000)], "wechat")
        cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id, 1_000)], "wechat")
        cashier.void(cashier_user, r5.id, "收错房号", ok(supervisor))
        s = cashier.day_summary(cashier_user, cashier_user.id, D(2026, 11, 10))
        assert [r.number for r in s.receipts] == [1, 2, 3, 5, 6]
        assert s.number_runs == ["2026-000001 – 000003", "2026-000005 – 000006"]
        assert s.numbers == "2026-000001 – 000003、2026-000005 – 000006"
        assert cashier.day_summary(clerk, clerk.id, D(2026, 11, 10)).numbers == "2026-000004"  # one alone
        assert cashier.day_summary(cashier_user, cashier_user.id, D(2026, 11, 11)).numbers == ""


def test_the_late_fee_totals_under_a_group_the_ui_can_name_in_its_language(billed, cashier_user):
    with on(2026, 11, 20):
        [line] = cashier.owed(cashier_user, billed.id)
        cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id)], "cash", tendered=30_000)
        s = cashier.day_summary(cashier_user, cashier_user.id, D(2026, 11, 20))
    assert s.by_item == {"物业服务费": 22375, "违约金": 112}  # the Chinese export's words
    assert cashier.GROUPS["违约金"] == "Late fee" and "物业服务费" not in cashier.GROUPS


@pytest.mark.parametrize("rule", sorted(money.ROUNDING))
def test_integer_rounding_agrees_with_the_exact_rule(rule):
    for numerator in range(0, 3000, 7):
        for denominator in (1, 2, 3, 7, 10, 100, 10_000):
            assert money.round_ratio(numerator, denominator, rule) == money.round_by(Fraction(numerator, denominator),
                                                                                     rule), (numerator, denominator)


def test_a_house_statement_balances_line_by_line(billed, cashier_user, supervisor):
    with on(2026, 11, 10):
        [line] = cashier.owed(cashier_user, billed.id)
        r = cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id, 10_000)], "wechat", prepay=5_000)
    with on(2026, 11, 12):
        cashier.void(cashier_user, r.id, "收错", ok(supervisor))
    with on(2026, 11, 20):
        [line] = cashier.owed(cashier_user, billed.id)
        cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id)], "cash", tendered=30_000)
        s = cashier.statement(cashier_user, billed.id, D(2026, 11, 5), D(2026, 11, 30))
    assert s.opening_owed == 22_375 and s.opening_prepaid == 0  # billed on 1 November, before the period
    assert [(l.on.day, l.charged, l.paid, l.owed, l.prepaid) for l in s.lines] == [
        (10, 0, 10_000, 12_375, 0), (10, 0, 0, 12_375, 5_000),  # part paid, 50 yuan prepaid
        (12, 0, -10_000, 22_375, 5_000), (12, 0, 0, 22_375, 0),  # both voided on the 12th
        (20, 0, 22_375, 0, 0)]  # paid in full with its late fee
    assert s.lines[-1].late_fee == 112 and s.lines[-1].paid == 22375  # the late fee beside the principal
    assert s.closing_owed == 0
    with pytest.raises(ValidationError):
        cashier.statement(cashier_user, billed.id, D(2026, 11, 30), D(2026, 11, 1))


# --- arrears and the collection rate -----------------------------------------------------

def test_arrears_by_house_and_the_month_collection_rate(admin, priced, house, cashier_user):
    from models import arrears

    other = estate.create_house(admin, house.unit_id, number="1202", area="100.00")
    for h in (house, other):
        fees.subscribe(priced, h.id, "service", starts=D(2026, 1, 1))
    bill(cashier_user, house, "2026-10", (2026, 10, 1))
    bill(cashier_user, house, "2026-11", (2026, 11, 1))
    with on(2026, 11, 5):
        lines = {l.charge.period: l for l in cashier.owed(cashier_user, other.id)}
        cashier.take_payment(cashier_user, other.id, [Pick(lines["2026-10"].charge.id)], "wechat")  # October, late
        cashier.take_payment(cashier_user, other.id, [Pick(lines["2026-11"].charge.id, 10_000)], "wechat")
    with on(2026, 11, 20):  # both months past their due date (15 October, 15 November)
        owing = arrears.by_house(cashier_user)
    assert [(a.label, a.months, a.oldest, a.owed) for a in owing] == [
        ("3-2-1201", 2, "2026-10", 2 * 22_375), ("3-2-1202", 1, "2026-11", 25_000 - 10_000)]
    nov = arrears.collection(cashier_user, "2026-11")
    assert (nov.total.billed, nov.total.paid) == (22_375 + 25_000, 10_000)
    assert nov.recovered == 25_000  # October's bill paid in November: beside the rate, not in it
    assert arrears.collection(cashier_user, "2026-10").total.rate == Fraction(25_000, 47_375)


def test_the_arrears_list_is_read_by_key_a_page_at_a_time_as_it_is_whole(admin, priced, house, cashier_user):
    """Pages of two across eleven houses in three buildings' order, some paid up: together
    exactly by_house's list, each house once; the totals counted by the database."""
    from models import arrears

    b5 = estate.create_building(admin, "5")
    u5 = estate.create_unit(admin, b5.id, "1")
    houses = [house] + [estate.create_house(admin, house.unit_id, number=str(n), area="80") for n in (301, 1202)]
    houses += [estate.create_house(admin, u5.id, number=str(n), area="60") for n in range(101, 109)]
    for h in houses:
        fees.subscribe(priced, h.id, "service", starts=D(2026, 1, 1))
    bill(cashier_user, house, "2026-10", (2026, 10, 1))
    with on(2026, 10, 5):
        for h in houses[2::3]:  # paid up: not in the list
            [line] = cashier.owed(cashier_user, h.id)
            cashier.take_payment(cashier_user, h.id, [Pick(line.charge.id)], "wechat")
    with on(2026, 11, 20):
        whole = arrears.by_house(cashier_user)
        pages, last = [], None
        while True:
            page = arrears.page(cashier_user, after=last, limit=2)
            if not page:
                break
            pages.append(page)
            last = page[-1]
        total = arrears.owing(cashier_user)
        in_b5 = arrears.page(cashier_user, building_id=b5.id, limit=100)
    assert [a for p in pages for a in p] == whole and all(len(p) == 2 for p in pages[:-1])
    assert len(whole) == len(houses) - len(houses[2::3]) == 8
    assert [a.label for a in whole][:2] == ["3-2-301", "3-2-1201"]  # the estate's order, not the text's
    assert (total.houses, total.owed) == (len(whole), sum(a.owed for a in whole))
    assert {a.label[:2] for a in in_b5} == {"5-"} and len(in_b5) == 6
    assert arrears.owing_ids(cashier_user) == [a.house_id for a in whole]


def test_a_total_other_than_the_one_shown_takes_nothing(billed, cashier_user):
    """The late fee grew past midnight since the counter showed the lines: refused in words,
    no receipt, no number used; the total shown still works."""
    with on(2026, 11, 20):
        [line] = cashier.owed(cashier_user, billed.id)
        shown = line.total
    with on(2026, 11, 21):
        with pytest.raises(ValidationError) as e:
            cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id)], "cash", tendered=None,
                                 expected=shown)
        assert "amount" in e.value.fields and "look at it again" in str(e.value)
        assert cashier.Receipt.select().count() == 0 and cashier.active_series().next_number == 1
        [now] = cashier.owed(cashier_user, billed.id)
        r = cashier.take_payment(cashier_user, billed.id, [Pick(line.charge.id)], "cash", tendered=None,
                                 expected=now.total)
    assert r.total == now.total > shown and r.change == 0


def test_a_page_of_arrears_is_filled_from_the_next_houses_when_one_paid_between_the_reads(
        admin, priced, house, cashier_user, monkeypatch):
    from models import arrears

    houses = [house] + [estate.create_house(admin, house.unit_id, number=str(n), area="80") for n in (1202, 1203, 1204)]
    for h in houses:
        fees.subscribe(priced, h.id, "service", starts=D(2026, 1, 1))
    bill(cashier_user, house, "2026-10", (2026, 10, 1))
    real = arrears._of_houses
    paid_meanwhile = {houses[1].id}

    def one_paid(ids, building_id, day):  # 1202 pays at another PC between the two reads
        return [a for a in real(ids, building_id, day) if a.house_id not in paid_meanwhile]

    monkeypatch.setattr(arrears, "_of_houses", one_paid)
    with on(2026, 11, 20):
        first = arrears.page(cashier_user, limit=2)
        rest = arrears.page(cashier_user, after=first[-1], limit=2)
    assert [a.label for a in first] == ["3-2-1201", "3-2-1203"]  # full: the list reads on
    assert [a.label for a in rest] == ["3-2-1204"]
