"""Money paths in the core (issue 16): a supervisor's approval is their password checked by
the core (users.approve gives a single-use approval of a few minutes; a user object approves
nothing), and every amount, price, reading and money setting the core takes is checked as
the forms check it: a refusal in the clerk's words that writes nothing, never a Python
error, never a negative price billed to every house, never True taken as one fen."""
import dataclasses
import datetime

import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from models import audit, billing, cashier, clock, estate, fees, importing, meters, money, parcels, settings, users
from models.cashier import Pick
from models.errors import OfficeError, PermissionDenied, ValidationError
from models.meters import Entry

D = datetime.date
NOW = datetime.datetime(2026, 11, 25, 10, 0)  # ten days past the due day: the bill carries a late fee


def approval(user, permission="cash.approve"):
    return users.approve(user.username, "secret1", permission)


@pytest.fixture
def cashier_user(request):
    return request.getfixturevalue("cashier")


@pytest.fixture
def office(admin, supervisor, house, cashier_user):
    """3-2-1201 on the service fee (2.50 元/m²), billed for 2026-11, a 3,000-yuan renovation
    deposit held and 500 yuan prepaid (paid before the bill was posted, it settled part
    of it); the clock at NOW."""
    fees.update_item(supervisor, "service", unit_price="2.5000")
    fees.subscribe(supervisor, house.id, "service", starts=D(2026, 1, 1))
    with clock.frozen(datetime.datetime(2026, 10, 20, 10)):
        cashier.take_payment(cashier_user, house.id, [], "wechat", deposit=300_000)
    with clock.frozen(datetime.datetime(2026, 11, 1, 10)):
        billing.post(cashier_user, "2026-11")
    clock.set_now(NOW)
    yield house
    clock.set_now(None)


def written():
    """What an office action writes, counted: a refusal leaves every figure as it was."""
    return (audit.AuditEntry.select().count(), cashier.Receipt.select().count(), billing.Charge.select().count(),
            cashier.BalanceEntry.select().count(), cashier.Settlement.select().count(),
            cashier.Waiver.select().count(), cashier.DayClose.select().count(), fees.Subscription.select().count(),
            meters.Reading.select().count(), meters.SharedTotal.select().count(),
            cashier.ReceiptSeries.select(cashier.ReceiptSeries.next_number).tuples()[:],
            fees.FeeItem.select(fees.FeeItem.code, fees.FeeItem.unit_price, fees.FeeItem.tiers).tuples()[:],
            settings.OfficeSetting.select(settings.OfficeSetting.key, settings.OfficeSetting.value).tuples()[:],
            [(p.state, p.waived_by_id) for p in parcels.Parcel.select()])


def assert_books_hold():
    """Whatever was taken fits the books: amounts within what the columns and the capital
    amount hold, prices not negative, money settings whole fen."""
    top = money.MAX_FEN
    assert all(0 <= p <= fees.MAX_PRICE for (p,) in fees.FeeItem.select(fees.FeeItem.unit_price).tuples())
    assert all(p is None or 0 <= p <= fees.MAX_PRICE
               for (p,) in fees.Subscription.select(fees.Subscription.unit_price).tuples())
    for column in (cashier.Receipt.total, cashier.BalanceEntry.amount, cashier.DayClose.counted_cash):
        assert all(abs(v) <= top for (v,) in column.model.select(column).tuples())
    for column in (billing.Charge.amount, meters.SharedTotal.total, cashier.Waiver.amount):
        assert all(0 < v <= top for (v,) in column.model.select(column).tuples())
    assert all(0 <= v < meters.MAX_READING for (v,) in meters.Reading.select(meters.Reading.reading).tuples())
    values = settings.all_values()
    assert all(type(values[k]) is int and 0 <= values[k] <= top for k in settings.SETTINGS if k.endswith("_fen"))


# --- approvals ----------------------------------------------------------------------------

def test_a_supervisors_user_object_approves_no_void_refund_waiver_or_back_dated_payment(office, cashier_user,
                                                                                       supervisor, clerk):
    [line] = cashier.owed(cashier_user, office.id)
    paid = cashier.take_payment(cashier_user, office.id, [Pick(line.charge.id, 10_000)], "wechat")
    [line] = cashier.owed(cashier_user, office.id)
    before = written()
    for action in (
            lambda: cashier.void(cashier_user, paid.id, "收错金额", supervisor),
            lambda: cashier.refund(cashier_user, office.id, "deposit", 100_000, supervisor,
                                   item_code="renovation_deposit", reason="退押金"),
            lambda: cashier.waive(cashier_user, line.charge.id, None, "老人", approver=supervisor),
            lambda: cashier.take_payment(cashier_user, office.id, [Pick(line.charge.id, 100)], "transfer",
                                         business_date=D(2026, 11, 14), approver=supervisor),
            lambda: cashier.void(cashier_user, paid.id, "收错金额", None),
            lambda: cashier.void(cashier_user, paid.id, "收错金额", supervisor.id)):
        with pytest.raises(OfficeError, match="own name and password"):
            action()
    assert written() == before and not cashier.get_receipt(paid.id).void
    with pytest.raises(PermissionDenied):
        approval(clerk)  # a clerk's password approves nothing
    with pytest.raises(OfficeError, match="Wrong user name or password"):
        users.approve(supervisor.username, "secret2", "cash.approve")
    assert [e.action for e in audit.browse(supervisor, action="approval.failed")] == ["approval.failed"]
    # the supervisor's own password: the void goes through, in their name
    r = cashier.void(cashier_user, paid.id, "收错金额", approval(supervisor))
    assert r.void and r.voided_by_id == supervisor.id


def test_a_parcel_fee_is_waived_only_with_the_supervisors_approval(clerk, supervisor, house):
    with clock.frozen(datetime.datetime(2026, 11, 20, 9)):
        p = parcels.receive(clerk, house_id=house.id, tracking="SF1234567890", courier="顺丰", recipient="张三",
                            phone="13812345678", shelf="B-3", safe=True)
    with clock.frozen(datetime.datetime(2026, 11, 25, 12)):
        before = written()
        with pytest.raises(OfficeError, match="own name and password"):
            parcels.pick_up(clerk, p.id, waive_by=supervisor, waive_reason="快递员送错时间")
        assert written() == before and parcels.Parcel.get_by_id(p.id).state == "waiting"
        parcel, receipt = parcels.pick_up(clerk, p.id, waive_by=approval(supervisor), waive_reason="快递员送错时间")
    assert receipt is None and parcel.fee == 1000 and parcel.waived_by_id == supervisor.id


def test_an_approval_is_used_once(office, cashier_user, supervisor):
    first = cashier.take_payment(cashier_user, office.id, [], "wechat", prepay=100)
    second = cashier.take_payment(cashier_user, office.id, [], "wechat", prepay=200)
    ok = approval(supervisor)
    cashier.void(cashier_user, first.id, "重复收款", ok)
    with pytest.raises(OfficeError, match="used already"):
        cashier.void(cashier_user, second.id, "重复收款", ok)
    copy = dataclasses.replace(approval(supervisor))  # the same token, not the approval the core issued
    with pytest.raises(OfficeError, match="used already"):
        cashier.void(cashier_user, second.id, "重复收款", copy)
    made_up = users.Approval(supervisor.id, supervisor.username, "cash.approve", NOW, "0" * 32)
    with pytest.raises(OfficeError, match="used already"):
        cashier.void(cashier_user, second.id, "重复收款", made_up)
    assert not cashier.get_receipt(second.id).void


def test_an_approval_lasts_five_minutes(office, cashier_user, supervisor):
    receipts = [cashier.take_payment(cashier_user, office.id, [], "wechat", prepay=100 + n) for n in range(3)]
    at_five = approval(supervisor)
    late = approval(supervisor)
    clock.set_now(NOW + datetime.timedelta(minutes=5))
    cashier.void(cashier_user, receipts[0].id, "收错", at_five)  # five minutes exactly: still good
    clock.set_now(NOW + datetime.timedelta(minutes=5, seconds=1))
    with pytest.raises(OfficeError, match="run out"):
        cashier.void(cashier_user, receipts[1].id, "收错", late)
    clock.set_now(NOW - datetime.timedelta(minutes=1))  # the clock put back: no approval from the future
    future = approval(supervisor)
    clock.set_now(NOW - datetime.timedelta(minutes=2))
    with pytest.raises(OfficeError, match="run out"):
        cashier.void(cashier_user, receipts[2].id, "收错", future)
    assert [r.void for r in cashier.Receipt.select().order_by(cashier.Receipt.id)][-3:] == [True, False, False]


def test_an_approval_is_for_its_permission_and_a_supervisor_still_in_office(office, admin, cashier_user,
                                                                            supervisor):
    r = cashier.take_payment(cashier_user, office.id, [], "wechat", prepay=100)
    with pytest.raises(OfficeError, match="something else"):
        cashier.void(cashier_user, r.id, "收错", approval(supervisor, "pii.reveal"))
    ok = approval(supervisor)
    users.update_user(admin, supervisor.id, active=False)  # deactivated at another PC meanwhile
    with pytest.raises(PermissionDenied):
        cashier.void(cashier_user, r.id, "收错", ok)
    assert not cashier.get_receipt(r.id).void


def test_a_supervisor_at_the_counter_approves_with_their_own_password(office, supervisor):
    """DOMAIN.md asks for a supervisor's approval, not a second person: a supervisor taking
    payments voids her own receipt with her password, as before."""
    r = cashier.take_payment(supervisor, office.id, [], "wechat", prepay=100)
    assert cashier.void(supervisor, r.id, "收错", approval(supervisor)).voided_by_id == supervisor.id


def test_a_waiver_and_a_back_dated_payment_name_the_approving_supervisor(office, cashier_user, supervisor):
    [line] = cashier.owed(cashier_user, office.id)
    assert line.late_fee > 100
    assert cashier.waive(cashier_user, line.charge.id, 100, "业主住院", approver=approval(supervisor)) == 100
    assert cashier.Waiver.get().by_id == supervisor.id
    [entry] = audit.browse(supervisor, action="latefee.waive")
    assert entry.user_id == cashier_user.id and "zhao" in entry.detail
    r = cashier.take_payment(cashier_user, office.id, [Pick(line.charge.id, 100)], "transfer",
                             business_date=D(2026, 11, 24), approver=approval(supervisor))
    assert r.approved_by_id == supervisor.id


# --- amounts ------------------------------------------------------------------------------

def test_a_negative_unit_price_is_refused_and_no_run_bills_one(office, supervisor, cashier_user):
    before = written()
    for price in (-25_000, "-2.50", True, 10 ** 13, 2 ** 63, 2.5, None):
        with pytest.raises(ValidationError) as e:
            fees.update_item(supervisor, "service", unit_price=price)
        assert "unit_price" in e.value.fields
        if price is not None:  # None: the house pays the item's price
            with pytest.raises(ValidationError):
                fees.subscribe(supervisor, office.id, "waste", unit_price=price)
    with pytest.raises(ValidationError):
        fees.update_item(supervisor, "water", tiers=[(10, 31_000), (None, -1)])
    with pytest.raises(ValidationError):
        fees.update_item(supervisor, "water", tiers=[(True, 31_000), (None, 40_000)])
    assert written() == before and fees.item("service").unit_price == 25_000
    assert fees.update_item(supervisor, "service", unit_price=fees.MAX_PRICE).unit_price == fees.MAX_PRICE
    # a price stored before prices were checked: the run refuses in words, it posts no credits
    fees.FeeItem.update(unit_price=-25_000).where(fees.FeeItem.code == "service").execute()
    with clock.frozen(datetime.datetime(2026, 12, 1, 10)):
        with pytest.raises(OfficeError, match="cannot be billed"):
            billing.post(cashier_user, "2026-12")
    assert billing.Charge.select().where(billing.Charge.amount <= 0).count() == 0


def test_true_is_no_fen_and_amounts_too_large_are_refused_in_words(office, cashier_user, supervisor, admin):
    [line] = cashier.owed(cashier_user, office.id)
    huge = money.MAX_FEN + 1
    before = written()
    refused = [
        lambda v: cashier.take_payment(cashier_user, office.id, [], "wechat", prepay=v),
        lambda v: cashier.take_payment(cashier_user, office.id, [], "wechat", deposit=v),
        lambda v: cashier.take_payment(cashier_user, office.id, [], "cash", prepay=100, tendered=v),
        lambda v: cashier.take_payment(cashier_user, office.id, [Pick(line.charge.id, v)], "wechat"),
        lambda v: cashier.refund(cashier_user, office.id, "deposit", v, approval(supervisor),
                                 item_code="renovation_deposit"),
        lambda v: cashier.waive(cashier_user, line.charge.id, v, "老人", approver=approval(supervisor)),
        lambda v: billing.post_charge(cashier_user, office.id, "repair", v),
        lambda v: cashier.close_day(cashier_user, v, "点错"),
        lambda v: settings.update({"parcel_cap_fen": v}, user=admin),
        lambda v: settings.update({"late_fee_cap_fen": v}, user=admin),
    ]
    for action in refused:
        for value in (True, huge, 2 ** 63, 10 ** 40, 10 ** 5000, "100", 1.0):  # 10**5000: Python cannot print it
            with pytest.raises(OfficeError):
                action(value)
    assert written() == before
    # the whole of the column still goes: the most the books hold
    r = cashier.take_payment(cashier_user, office.id, [], "wechat", prepay=money.MAX_FEN)
    assert r.total == money.MAX_FEN and money.capital(r.total)
    with pytest.raises(ValidationError):  # two maximums on one receipt: more than it can say in capitals
        cashier.take_payment(cashier_user, office.id, [], "wechat", prepay=money.MAX_FEN, deposit=1)


def test_a_meter_reading_or_shared_total_given_as_true_or_too_large_is_refused(admin, supervisor, cashier_user):
    b = estate.create_building(admin, "5")
    u = estate.create_unit(admin, b.id, "1")
    h = estate.create_house(admin, u.id, number="101", area="80.00", state="owner_occupied")
    fees.update_item(supervisor, "water", unit_price="3.10")
    sub = fees.subscribe(supervisor, h.id, "water", starts=D(2026, 1, 1))
    fees.subscribe(supervisor, h.id, "shared", starts=D(2026, 1, 1))
    before = written()
    for value in (True, -1, 10 ** 12, 10 ** 30, 1.5, "12"):
        with pytest.raises(ValidationError):
            meters.save(cashier_user, "2026-11", [Entry(sub.id, value)])
        with pytest.raises(ValidationError):
            meters.save(cashier_user, "2026-11", [Entry(sub.id, 10, "replaced", old_final=value, new_start=0)])
    for value in (True, 0, -100, money.MAX_FEN + 1, 1.5, "100"):
        with pytest.raises(ValidationError):
            meters.set_share(supervisor, "shared", "2026-11", value, building_id=b.id)
    for digits, initial in ((True, 0), ("5", 0), (5, True), (5, 1.5), (5, -1)):
        with pytest.raises(ValidationError):
            meters.set_meter(cashier_user, sub.id, digits=digits, initial=initial)
    assert written() == before


def test_money_settings_are_not_negative_and_fit_the_books(admin):
    before = written()
    for key in ("parcel_first_fee_fen", "parcel_step_fee_fen", "parcel_cap_fen", "late_fee_cap_fen"):
        for value in (-1, True, money.MAX_FEN + 1, 10 ** 30, float("inf"), float("nan"), "200"):
            with pytest.raises(ValidationError) as e:
                settings.update({key: value}, user=admin)
            assert key in e.value.fields
    with pytest.raises(ValidationError, match="at most"):
        settings.update({"parcel_free_hours": 10 ** 20}, user=admin)  # hours no parcel is kept
    assert written() == before
    settings.update({"parcel_cap_fen": money.MAX_FEN}, user=admin)
    assert settings.get("parcel_cap_fen") == money.MAX_FEN


# --- any value at all: an office error or success, never a Python error -------------------

VALUES = st.one_of(
    st.integers(min_value=-10, max_value=10 ** 6), st.integers(), st.integers(min_value=-2 ** 70, max_value=2 ** 70),
    st.sampled_from([0, 1, money.MAX_FEN, money.MAX_FEN + 1, 2 ** 63 - 1, 2 ** 63, fees.MAX_PRICE,
                     fees.MAX_PRICE + 1]),
    st.booleans(), st.none(), st.floats(), st.text(max_size=12),
    st.sampled_from(["12.50", "-1", "¥100", "1e9", "１２", " ", "0.001"]))

ENTRY_POINTS = {
    "prepay": lambda o, v: cashier.take_payment(o.cashier, o.house.id, [], "wechat", prepay=v),
    "deposit": lambda o, v: cashier.take_payment(o.cashier, o.house.id, [], "wechat", deposit=v),
    "tendered": lambda o, v: cashier.take_payment(o.cashier, o.house.id, [], "cash", prepay=100, tendered=v),
    "pick": lambda o, v: cashier.take_payment(o.cashier, o.house.id, [Pick(o.charge_id, v)], "wechat"),
    "refund": lambda o, v: cashier.refund(o.cashier, o.house.id, "deposit", v, approval(o.supervisor),
                                          item_code="renovation_deposit"),
    "waive": lambda o, v: cashier.waive(o.cashier, o.charge_id, v, "老人", approver=approval(o.supervisor)),
    "price": lambda o, v: fees.update_item(o.supervisor, "waste", unit_price=v),
    "own_price": lambda o, v: fees.subscribe(o.supervisor, o.house.id, "waste", unit_price=v),
    "one_off": lambda o, v: billing.post_charge(o.cashier, o.house.id, "repair", v),
    "reading": lambda o, v: meters.save(o.cashier, "2026-11", [Entry(o.water_sub, v)]),
    "share": lambda o, v: meters.set_share(o.supervisor, "shared", "2026-11", v),
    "setting": lambda o, v: settings.update({"parcel_step_fee_fen": v}, user=o.admin),
    "day_close": lambda o, v: cashier.close_day(o.cashier, v, "点错"),
}
SLOW = {"refund", "waive"}  # each example checks a password (argon2, a tenth of a second)


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_any_value_at_a_money_entry_point_is_refused_in_words_or_taken(entry, office, admin, cashier_user,
                                                                       supervisor):
    water = fees.subscribe(supervisor, office.id, "water", starts=D(2026, 1, 1))
    fees.subscribe(supervisor, office.id, "shared", starts=D(2026, 1, 1))
    [line] = cashier.owed(cashier_user, office.id)
    o = type("Office", (), dict(house=office, cashier=cashier_user, supervisor=supervisor, admin=admin,
                                charge_id=line.charge.id, water_sub=water.id))

    @hypothesis_settings(max_examples=15 if entry in SLOW else 60, deadline=None, derandomize=True, database=None,
                         suppress_health_check=list(HealthCheck))
    @given(value=VALUES)
    def check(value):
        before = written()
        try:
            ENTRY_POINTS[entry](o, value)
        except OfficeError as e:
            assert str(e)  # the clerk's words, filled in
            assert written() == before, f"{entry}({value!r}) was refused but wrote something"
        assert_books_hold()

    check()


@given(value=VALUES)
@hypothesis_settings(max_examples=200, deadline=None, derandomize=True, database=None)
def test_an_opening_balance_cell_is_an_amount_or_a_cell_error(value):
    try:
        fen = importing.money(value)
    except OfficeError as e:
        assert str(e)
    else:
        assert isinstance(fen, int) and not isinstance(fen, bool) and abs(fen) <= money.MAX_FEN
