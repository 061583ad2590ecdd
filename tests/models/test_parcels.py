"""Parcels: the storage fee at every boundary of the office's rule, intake only of what is
neither fragile nor valuable (a refusal is recorded), pickup by code with the fee paid on a
receipt or waived by a supervisor, a proxy's name and ID, and the lists."""
import datetime

import pytest

from models import audit, cashier as desk, clock, parcels, settings, users
from models.errors import NotFound, OfficeError, PermissionDenied, ValidationError
from models.parcels import FeeRule, storage_fee

T0 = datetime.datetime(2026, 11, 20, 9, 30, 0)
H = datetime.timedelta(hours=1)
S = datetime.timedelta(seconds=1)


@pytest.mark.parametrize("after,fen", [
    (0 * H, 0),
    (24 * H, 0),  # the free day, to the second
    (24 * H + S, 200),  # one second past it: 2 yuan
    (36 * H, 200),
    (36 * H + S, 300),  # a further started 12 h: 1 yuan more
    (48 * H, 300),
    (48 * H + S, 400),
    (108 * H + S, 900),
    (120 * H, 900),
    (120 * H + S, 1000),  # the cap
    (30 * 24 * H, 1000),  # a month: still the cap
])
def test_the_storage_fee_at_its_boundaries(after, fen):
    assert storage_fee(T0, T0 + after) == fen


def test_the_fee_counts_whole_seconds_and_follows_the_offices_rule(admin):
    assert storage_fee(T0, T0 + 24 * H + datetime.timedelta(microseconds=999_999)) == 0
    settings.update({"parcel_free_hours": 48, "parcel_first_fee_fen": 100, "parcel_step_hours": 24,
                     "parcel_step_fee_fen": 50, "parcel_cap_fen": 300}, user=admin)
    rule = FeeRule.from_settings()
    assert [storage_fee(T0, T0 + h * H + S, rule) for h in (0, 48, 72, 96, 200)] == [0, 100, 150, 200, 300]


@pytest.fixture
def desk_clerk(clerk):
    return clerk


def take_in(user, house, tracking="SF1234567890", shelf="b-3", **kw):
    with clock.frozen(kw.pop("at", T0)):
        return parcels.receive(user, house_id=house.id, tracking=tracking, courier="顺丰", recipient="张三",
                               phone="13812345678", shelf=shelf, safe=kw.pop("safe", True), **kw)


def test_a_parcel_is_taken_in_with_a_code_and_a_scanned_tracking_number(clerk, house):
    p = take_in(clerk, house, tracking="ＳＦ1234567890\r\n")  # a scanner's full-width letters and Enter
    assert (p.tracking, p.shelf, p.state) == ("SF1234567890", "B-3", "waiting")
    assert len(p.code) == 6 and p.code.isdigit()
    assert parcels.by_code(clerk, p.code).id == p.id
    with pytest.raises(ValidationError) as e:
        take_in(clerk, house)  # the same parcel twice
    assert "tracking" in e.value.fields
    entry = audit.AuditEntry.get(audit.AuditEntry.action == "parcel.receive")
    assert "3-2-1201" in entry.summary


def test_what_is_fragile_or_valuable_is_refused_and_the_refusal_kept(clerk, house):
    with pytest.raises(ValidationError) as e:
        take_in(clerk, house, safe=False)
    assert "safe" in e.value.fields and parcels.Parcel.select().count() == 0
    with pytest.raises(ValidationError):
        parcels.refuse(clerk, tracking="JD0001", reason="  ")
    with clock.frozen(T0):
        r = parcels.refuse(clerk, tracking="JD0001", reason="电视机,易碎", courier="京东", house_id=house.id)
    assert (r.state, r.refusal) == ("refused", "电视机,易碎") and parcels.waiting(clerk) == []
    with pytest.raises(ValidationError) as e:
        parcels.receive(clerk, house_id=None, tracking="", shelf="", safe=True)
    assert {"house", "tracking", "shelf"} <= set(e.value.fields)


def test_a_pickup_forty_hours_later_pays_three_yuan_on_a_receipt(cashier, clerk, house):
    p = take_in(clerk, house)
    with clock.frozen(T0 + 40 * H):
        assert parcels.fee_now(p) == 300
        parcel, receipt = parcels.pick_up(cashier, parcels.by_code(cashier, p.code).id, tendered=500)
    assert (parcel.state, parcel.fee, parcel.code) == ("picked_up", 300, "")
    assert receipt.total == 300 and receipt.tendered == 500
    [line] = desk.receipt_lines(receipt)
    assert line.item == "包裹保管费(SF1234567890)" and line.amount == 300
    assert desk.owed(cashier, house.id) == []  # paid
    with pytest.raises(NotFound):
        parcels.by_code(cashier, p.code)  # the code is free again
    with pytest.raises(OfficeError):
        parcels.pick_up(cashier, p.id)  # once only


def test_within_the_free_day_the_clerk_hands_it_over_with_no_receipt(clerk, house):
    p = take_in(clerk, house)
    with clock.frozen(T0 + 24 * H):
        parcel, receipt = parcels.pick_up(clerk, p.id)
    assert receipt is None and parcel.fee == 0 and parcel.charge_id is None


def test_a_failed_payment_leaves_the_parcel_waiting(cashier, clerk, house):
    p = take_in(clerk, house)
    with clock.frozen(T0 + 50 * H):
        with pytest.raises(ValidationError):
            parcels.pick_up(cashier, p.id, method="cash", tendered=100)  # 1 yuan for a 4-yuan fee
    again = parcels.Parcel.get_by_id(p.id)
    assert again.state == "waiting" and again.code == p.code and desk.Receipt.select().count() == 0
    assert desk.owed(cashier, house.id) == []  # no charge left behind


def test_a_waiver_needs_a_supervisor_and_a_reason(cashier, clerk, supervisor, house):
    p = take_in(clerk, house)
    with clock.frozen(T0 + 130 * H):
        with pytest.raises(PermissionDenied):
            users.approve(cashier.username, "secret1", "cash.approve")  # a cashier approves no waiver
        with pytest.raises(OfficeError, match="own name and password"):
            parcels.pick_up(clerk, p.id, waive_by=supervisor, waive_reason="老人")  # a user object is no approval
        with pytest.raises(ValidationError):
            parcels.pick_up(clerk, p.id, waive_by=users.approve(supervisor.username, "secret1", "cash.approve"),
                            waive_reason="")
        parcel, receipt = parcels.pick_up(clerk, p.id, waive_by=users.approve(supervisor.username, "secret1",
                                                                              "cash.approve"),
                                          waive_reason="快递员送错时间")
    assert receipt is None and parcel.fee == 1000 and parcel.waived_by_id == supervisor.id
    assert parcel.waive_reason == "快递员送错时间"


def test_a_proxy_gives_name_and_a_valid_id_number(clerk, house):
    p = take_in(clerk, house)
    with clock.frozen(T0 + 2 * H):
        with pytest.raises(ValidationError) as e:
            parcels.pick_up(clerk, p.id, proxy_name="李四")
        assert "proxy_id_number" in e.value.fields
        with pytest.raises(ValidationError):
            parcels.pick_up(clerk, p.id, proxy_name="李四", proxy_id_number="110105194912310021")  # check digit
        parcel, _ = parcels.pick_up(clerk, p.id, proxy_name="李四", proxy_id_number="11010519491231002x")
    assert (parcel.proxy_name, parcel.proxy_id_number) == ("李四", "110***********002X")  # handed out masked
    assert parcels.Parcel.get_by_id(parcel.id).proxy_id_number == "11010519491231002X"  # kept in full


def test_finding_parcels_and_the_waiting_list_by_age(clerk, house, admin):
    from models import estate

    other = estate.create_house(admin, house.unit_id, number="1202", area="60.00")
    a = take_in(clerk, house, tracking="A1", at=T0)
    b = take_in(clerk, other, tracking="B2", at=T0 + 100 * H)
    c = take_in(clerk, house, tracking="C3", at=T0 - 5 * 24 * H)
    assert [p.tracking for p in parcels.waiting(clerk, text="3-2-1201")] == ["C3", "A1"]
    assert [p.tracking for p in parcels.waiting(clerk, text=b.code)] == ["B2"]
    assert [p.tracking for p in parcels.waiting(clerk, text="a1 ")] == ["A1"]  # typed by hand
    assert [p.tracking for p in parcels.waiting(clerk, text="5678")] == ["C3", "A1", "B2"]  # phone tail
    with clock.frozen(T0 + 101 * H):
        aged = {x.parcel.tracking: x for x in parcels.waiting_by_age(clerk)}
    assert (aged["B2"].hours, aged["B2"].overdue) == (1, False)
    assert (aged["A1"].hours, aged["A1"].overdue, aged["A1"].long, aged["A1"].fee) == (101, True, False, 800)
    assert aged["C3"].long and aged["C3"].fee == 1000
    with clock.frozen(T0 + 101 * H):
        assert parcels.mark_called(clerk, [a.id, c.id]) == 2
    taken, picked = parcels.day_list(clerk, T0.date())
    assert [p.tracking for p in taken] == ["A1"] and picked == []


def test_the_courier_is_read_from_the_tracking_numbers_letters():
    assert parcels.courier_of(" sf1234567890 ") == "顺丰"
    assert parcels.courier_of("ＪＤ0012345") == "京东"  # a full-width scan
    assert parcels.courier_of("YT8890") == "圆通"
    assert parcels.courier_of("773012345678") == ""  # digits only: the clerk chooses


def test_the_desk_clerk_takes_a_parcels_fee_on_a_receipt_in_her_own_day_close(clerk, cashier, house):
    """She hands parcels out: the fee on the counter's receipt series, in one transaction,
    audited, and counted in the day close of whoever took it."""
    from models import billing

    p = take_in(clerk, house)
    with clock.frozen(T0 + 40 * H):
        with pytest.raises(ValidationError):  # not enough cash handed over: nothing written
            parcels.pick_up(clerk, p.id, tendered=200)
        assert desk.Receipt.select().count() == 0 and parcels.Parcel.get_by_id(p.id).state == "waiting"
        parcel, receipt = parcels.pick_up(clerk, p.id, tendered=500)
    assert (parcel.state, receipt.total, receipt.cashier_id) == ("picked_up", 300, clerk.id)
    assert receipt.number_text == desk.active_series().text(1)  # the counter's series
    assert {"receipt.issue", "parcel.pickup"} <= {e.action for e in audit.AuditEntry.select()}
    with clock.frozen(T0 + 41 * H):
        # her day close counts it; the cashier's does not
        mine = desk.day_summary(clerk, clerk.id, (T0 + 40 * H).date())
        assert (mine.total, mine.expected_cash, [r.id for r in mine.receipts]) == (300, 300, [receipt.id])
        assert desk.day_summary(cashier, cashier.id, (T0 + 40 * H).date()).total == 0
        # the front desk's own fees only: no payment of the service fee at the desk
        service = billing.post_charge(cashier, house.id, "service", 5000, description="11月")
        with pytest.raises(PermissionDenied):
            desk.take_payment(clerk, house.id, [desk.Pick(service.id)], "cash", tendered=5000)
        with pytest.raises(PermissionDenied):
            desk.take_payment(clerk, house.id, [], "cash", tendered=100, prepay=100)
        assert desk.Receipt.select().count() == 1
        closed = desk.close_day(clerk, 300, business_date=(T0 + 40 * H).date())
    assert (closed.expected_cash, closed.counted_cash) == (300, 300)
    late = take_in(clerk, house, tracking="SF2", at=T0 - 10 * H)
    with clock.frozen(T0 + 41 * H):
        with pytest.raises(OfficeError):  # her day is closed: no more fees taken on it
            parcels.pick_up(clerk, late.id, tendered=1000)
    assert parcels.Parcel.get_by_id(late.id).state == "waiting"


def test_the_desk_clerk_records_a_jammed_form_and_reprints_her_own_receipt(clerk, cashier, house):
    """The forms she prints parcel-fee receipts on stay accounted for: a jammed one is recorded
    as spoiled, and her own receipt is reprinted; a receipt taken at the counter is not hers."""
    from models import users

    other = users.User.create(username="zhou", full_name="zhou", roles="clerk", password_hash=cashier.password_hash)
    p = take_in(clerk, house)
    with clock.frozen(T0 + 40 * H):
        spoiled = desk.spoil_next(clerk, "卡纸")
        _parcel, receipt = parcels.pick_up(clerk, p.id, tendered=300)
        assert receipt.number_text == desk.active_series().text(spoiled + 1)
        assert desk.unaccounted_numbers(desk.active_series()) == []
        again = desk.reprint(clerk, receipt.id)
        assert again.reprints == 1
        with pytest.raises(PermissionDenied):  # another clerk's receipt
            desk.reprint(other, receipt.id)
        counter = desk.take_payment(cashier, house.id, [], "cash", tendered=100, prepay=100)
        with pytest.raises(PermissionDenied):  # the counter's receipt: its cashier reprints it
            desk.reprint(clerk, counter.id)
    assert desk.Receipt.get_by_id(receipt.id).reprints == 1 and desk.Receipt.get_by_id(counter.id).reprints == 0
    assert "receipt.spoiled" in {e.action for e in audit.AuditEntry.select()}


def test_an_unknown_tracking_prefix_needs_the_courier_chosen(clerk, house):
    with pytest.raises(ValidationError) as e:
        parcels.receive(clerk, house_id=house.id, tracking="773012345678", shelf="A-1", safe=True)
    assert set(e.value.fields) == {"courier"} and parcels.Parcel.select().count() == 0
    p = parcels.receive(clerk, house_id=house.id, tracking="773012345678", courier="中通", shelf="A-1", safe=True)
    q = parcels.receive(clerk, house_id=house.id, tracking="sf998", shelf="A-1", safe=True)
    assert (p.courier, q.courier) == ("中通", "顺丰")


def test_a_houses_parcels_are_read_the_newest_first_by_key_with_nothing_cut(clerk, house):
    at = datetime.datetime(2026, 11, 2, 9, 0)
    for n in (0, 2, 1, 4, 3):  # taken in out of order; two at a time: the key holds the id too
        take_in(clerk, house, tracking=f"SF10000000{n}", at=at + datetime.timedelta(hours=n // 2))
    pages, last = [], None
    while page := parcels.of_house(clerk, house.id, after=last, limit=2):
        pages.append([p.tracking[-1] for p in page])
        last = page[-1]
    assert pages == [["4", "3"], ["2", "1"], ["0"]]
