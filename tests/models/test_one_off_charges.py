"""Charges the counter takes that no bill posted (issue 20): a paid service from the price
list (a price per unit, or a share of the month's rent), the debris fee, advertising, and a
deposit held, not income, each in the payment's one transaction with its receipt number,
audit and day close; a void withdraws what the counter posted, never leaving it owed."""
import datetime

import pytest

from models import arrears, audit, billing, cashier as desk, clock, fees, money, pricelist, users
from models.cashier import Pick
from models.errors import PermissionDenied, ValidationError
from models.pricelist import Extra

D = datetime.date
T = datetime.datetime(2026, 12, 3, 10, 0)


def ok(supervisor):
    return users.approve(supervisor.username, "secret1", "cash.approve")


@pytest.fixture
def services(supervisor):
    """The seeds' rental agency share (migration 23) and a light fitted at 10.00 元/个."""
    light = pricelist.save(supervisor, name="装灯", item_code="service_paid", pricing="unit", price="10.00", unit="个")
    rental = pricelist.PriceEntry.get(pricelist.PriceEntry.name == "房屋租赁代理（业主）")
    return rental, light


def test_the_seeds_rental_agency_is_on_the_price_list_at_forty_percent_of_a_months_rent(services):
    rental, _light = services
    assert (rental.pricing, rental.share, rental.base, rental.item.code) == ("share", "40", "月租金", "service_paid")
    assert rental.note == "市场价 房租的50%"
    # 40 % of 3,000.00 and of an odd rent, half up once
    assert pricelist.charge(rental, amount_of="3000").amount == 120_000
    assert pricelist.charge(rental, amount_of="2,333.33").amount == 93_333  # 93,333.2
    assert pricelist.charge(rental, amount_of="0.04").amount == 2  # 1.6 fen → 2
    assert pricelist.charge(rental, amount_of="3000").description == "房屋租赁代理（业主） 月租金3000.00×40%"


def test_a_price_per_unit_comes_to_the_fen_and_a_quantity_that_is_none_is_refused(services, supervisor):
    _rental, light = services
    three = pricelist.charge(light, quantity="3")
    assert (three.amount, three.quantity, three.unit_price, three.item_code) == (3000, "3个", "10.00/个",
                                                                                 "service_paid")
    hourly = pricelist.save(supervisor, name="保洁（小时）", item_code="service_paid", pricing="unit", price="33.33",
                            unit="小时")
    assert pricelist.charge(hourly, quantity="1.5").amount == 5000  # 4,999.5 fen → 5,000
    for bad in ("0", "-1", "abc", "10001", "1.234", ""):
        with pytest.raises(ValidationError) as e:
            pricelist.charge(light, quantity=bad)
        assert set(e.value.fields) == {"quantity"}, bad
    rental = services[0]
    for bad in ("0", "abc", "-5"):
        with pytest.raises(ValidationError) as e:
            pricelist.charge(rental, amount_of=bad)
        assert set(e.value.fields) == {"amount_of"}, bad


def test_the_price_list_refuses_what_it_cannot_keep_by_the_field_and_writes_nothing(supervisor, cashier):
    before = pricelist.PriceEntry.select().count()
    cases = [(dict(name="", item_code="service_paid", pricing="unit", price="10", unit="个"), {"name"}),
             (dict(name="x", item_code="service", pricing="unit", price="10", unit="个"), {"item"}),  # billed monthly
             (dict(name="x", item_code="renovation_deposit", pricing="unit", price="10", unit="个"), {"item"}),
             (dict(name="x", item_code="service_paid", pricing="unit", price="0", unit="个"), {"price"}),
             (dict(name="x", item_code="service_paid", pricing="unit", price="10", unit=""), {"unit"}),
             (dict(name="x", item_code="service_paid", pricing="share", share="0", base="月租金"), {"share"}),
             (dict(name="x", item_code="service_paid", pricing="share", share="100.01", base="月租金"), {"share"}),
             (dict(name="x", item_code="service_paid", pricing="share", share="40", base=""), {"base"}),
             (dict(name="x", item_code="service_paid", pricing="free"), {"pricing"}),
             (dict(name="房屋租赁代理（业主）", item_code="service_paid", pricing="share", share="50", base="月租金"),
              {"name"})]
    for fields, where in cases:
        with pytest.raises(ValidationError) as e:
            pricelist.save(supervisor, **fields)
        assert set(e.value.fields) == where, fields
    with pytest.raises(PermissionDenied):
        pricelist.save(cashier, name="装灯", item_code="service_paid", pricing="unit", price="10", unit="个")
    assert pricelist.PriceEntry.select().count() == before
    entry = pricelist.save(supervisor, name="装灯", item_code="service_paid", pricing="unit", price="10", unit="个")
    pricelist.save(supervisor, entry_id=entry.id, name="装灯", item_code="service_paid", pricing="unit", price="12",
                   unit="个")
    [change] = audit.AuditEntry.select().where(audit.AuditEntry.action == "price.update")
    assert "1000" in change.detail and "1200" in change.detail


def test_services_the_debris_fee_and_a_deposit_go_on_one_receipt_in_one_transaction(services, cashier, house,
                                                                                    supervisor):
    rental, light = services
    fees.update_item(supervisor, "service", unit_price="2.5000")
    fees.subscribe(supervisor, house.id, "service", starts=D(2026, 1, 1))
    with clock.frozen(datetime.datetime(2026, 12, 1, 9)):
        billing.post(cashier, "2026-12")
    [bill] = desk.owed(cashier, house.id)
    extras = [pricelist.charge(light, quantity="2"), Extra("debris", 30_000, "装修垃圾清运"),
              pricelist.charge(rental, amount_of="3000")]
    with clock.frozen(T):
        r = desk.take_payment(cashier, house.id, [Pick(bill.charge.id)], "cash", tendered=None, extras=extras,
                                 deposit=200_000, deposit_item="renovation_deposit",
                                 expected=bill.total + 2000 + 30_000 + 120_000 + 200_000)
    assert r.total == 22_375 + 2000 + 30_000 + 120_000 + 200_000
    lines = [(line.item, line.quantity, line.unit_price, line.amount) for line in desk.receipt_lines(r)]
    assert (lines[0][0], lines[0][3]) == ("物业服务费", 22_375)
    assert lines[1:] == [("有偿服务费(装灯)", "2个", "10.00/个", 2000), ("装修垃圾清运费(装修垃圾清运)", "", "", 30_000),
                     ("有偿服务费(房屋租赁代理（业主） 月租金3000.00×40%)", "", "", 120_000),
                     ("装修保证金", "", "", 200_000)]
    assert desk.owed(cashier, house.id) == []  # what the counter posted is paid by the same receipt
    counter = billing.Charge.select().where(billing.Charge.source == "counter")
    assert counter.count() == 3 and {c.due_date for c in counter} == {D(2026, 12, 3)}
    posted = audit.AuditEntry.select().where(audit.AuditEntry.action == "charge.post")
    assert posted.count() == 3 and all(r.number_text in e.detail for e in posted)
    assert desk.balances(house.id)[("deposit", fees.item("renovation_deposit").id)] == 200_000
    # the day close: all of it in the drawer, the deposit held, not income
    with clock.frozen(T):
        day = desk.day_summary(cashier, cashier.id, D(2026, 12, 3))
    assert day.total == r.total and day.expected_cash == r.total
    assert day.held == 200_000 and day.income == r.total - 200_000
    # the month's collection rate counts the month's bill only
    assert [(i.item, i.billed, i.paid) for i in arrears.collection(cashier, "2026-12").items] == [
        ("物业服务费", 22_375, 22_375)]


def test_a_wrong_charge_or_deposit_takes_nothing(services, cashier, house, clerk):
    def nothing_taken():
        assert desk.Receipt.select().count() == 0 and billing.Charge.select().count() == 0
        assert desk.BalanceEntry.select().count() == 0

    with clock.frozen(T):
        for extras, deposit, item, where in (
                ([Extra("service", 1000)], 0, "renovation_deposit", "charge"),  # a monthly item is billed, not typed
                ([Extra("renovation_deposit", 1000)], 0, "renovation_deposit", "charge"),  # held, not charged
                ([Extra("debris", 0)], 0, "renovation_deposit", "charge"),
                ([Extra("debris", -500)], 0, "renovation_deposit", "charge"),
                ([Extra("nonesuch", 500)], 0, "renovation_deposit", "charge"),
                ([], 1000, "debris", "deposit_item"),  # a fee is no deposit
                ([], 1000, "nonesuch", "deposit_item")):
            with pytest.raises(ValidationError) as e:
                desk.take_payment(cashier, house.id, [], "cash", tendered=None, extras=extras, deposit=deposit,
                                     deposit_item=item)
            assert where in e.value.fields, (extras, item)
            nothing_taken()
        # a form its receipt cannot print on refuses the whole payment, the charge with it
        from models.errors import OfficeError

        def cannot(_receipt):
            raise OfficeError("too long")

        with pytest.raises(OfficeError):
            desk.take_payment(cashier, house.id, [], "cash", tendered=None, extras=[Extra("debris", 30_000)],
                                 printable=cannot)
        nothing_taken()
    with pytest.raises(PermissionDenied):
        desk.take_payment(clerk, house.id, [], "cash", tendered=None, extras=[Extra("debris", 30_000)])
    nothing_taken()


def test_a_void_withdraws_what_the_counter_posted_and_the_house_owes_nothing_for_it(services, cashier, house,
                                                                                    supervisor):
    _rental, light = services
    with clock.frozen(T):
        r = desk.take_payment(cashier, house.id, [], "wechat", extras=[pricelist.charge(light, quantity="30")])
        assert r.total == 30_000  # 30 lights: the clerk meant 3
        desk.void(cashier, r.id, "数量录错", ok(supervisor))
        assert desk.owed(cashier, house.id) == []
        assert arrears.owing(cashier).houses == 0
        [charge] = billing.Charge.select()
        assert charge.withdrawn
        right = desk.take_payment(cashier, house.id, [], "wechat", extras=[pricelist.charge(light, quantity="3")])
        statement = desk.statement(cashier, house.id, D(2026, 12, 1), D(2026, 12, 31))
        day = desk.day_summary(cashier, cashier.id, D(2026, 12, 3))
    assert statement.lines[-1].owed == 0 and any(line.what.startswith("撤销") for line in statement.lines)
    assert day.total == right.total == 3000 and day.income == 3000
    assert money.fmt(day.total) == "30.00"


def test_a_back_dated_payment_with_a_counter_charge_reads_right_on_the_statement(services, cashier, house,
                                                                                 supervisor):
    with clock.frozen(T):
        approval = users.approve(supervisor.username, "secret1", "cash.approve")
        desk.take_payment(cashier, house.id, [], "cash", tendered=None, extras=[Extra("debris", 30_000)],
                          business_date=D(2026, 12, 1), approver=approval)
        statement = desk.statement(cashier, house.id, D(2026, 12, 1), D(2026, 12, 1))
    assert [(line.charged, line.paid, line.owed) for line in statement.lines] == [(30_000, 0, 30_000),
                                                                                  (0, 30_000, 0)]
