"""A house tells its story (issue 20): owners over time, repairs, complaints, parcels, keys
lent, renovations, vacant-house inspections, charges and receipts (a void among them) in
one list, newest first, each naming the record it opens."""
import datetime

from models import cashier as desk
from models import (billing, clock, complaints, estate, history, keys, owners, parcels, renovation, repairs,
                    vacant)
from models.keys import Borrower

D = datetime.date
T = datetime.datetime


def test_every_record_of_the_house_is_in_its_history_newest_first_each_opening_its_record(
        admin, clerk, cashier, supervisor, house):
    other = estate.create_house(admin, house.unit_id, number="1202", area="80", state="owner_occupied")
    with clock.frozen(T(2026, 1, 5, 9)):
        owner = owners.add_owner(admin, house.id, name="张三", since=D(2026, 1, 5))
        repairs.report(clerk, reporter="李四", what="隔壁水管漏水", category="water", house_id=other.id)  # not ours
    with clock.frozen(T(2026, 3, 1, 10)):
        repair = repairs.report(clerk, reporter="张三", what="厨房水管漏水", category="water", house_id=house.id)
    with clock.frozen(T(2026, 4, 2, 11)):
        complaint = complaints.record(clerk, name="张三", what="楼上装修噪音", house_id=house.id)
    with clock.frozen(T(2026, 5, 3, 12)):
        parcel = parcels.receive(clerk, house_id=house.id, tracking="SF1234567890", recipient="张三", shelf="A3",
                                 safe=True)
        key = keys.add_key(clerk, tag="K-12", name="3-2-1201 大门", kind="house", house_id=house.id, position="A柜3号")
        loan = keys.lend(clerk, key.id, Borrower("owner", "张三", id_number="11010519491231002X"))
    with clock.frozen(T(2026, 6, 1, 9)):
        charge = billing.post_charge(cashier, house.id, "debris", 30_000, description="装修垃圾")
        paid = desk.take_payment(cashier, house.id, [desk.Pick(charge.id)], "cash", tendered=None)
    with clock.frozen(T(2026, 6, 1, 9, 30)):
        desk.void(cashier, paid.id, "收错", cashier_approval(supervisor))
    with clock.frozen(T(2026, 7, 1, 9)):
        case = renovation.apply(clerk, house.id, applicant="张三", contractor="顺达装饰", licence="91110000MA01ABCD3X",
                                scope="刷墙", planned_start=D(2026, 7, 2), planned_end=D(2026, 7, 30),
                                workers=[renovation.NewWorker("李四", "110101199003077571")])
    estate.update_house(admin, house.id, state="vacant")
    with clock.frozen(T(2026, 8, 1, 9)):
        vacant.record(clerk, house.id, doors_ok=True, water_power_ok=True, no_leaks=False, no_smells=True,
                      findings="卫生间返潮")

    events = history.of_house(clerk, house.id)
    assert [e.at for e in events] == sorted((e.at for e in events), reverse=True)
    seen = {(e.kind, e.action, e.table, e.record_id) for e in events}
    assert {("owner", "owner_since", "house", house.id), ("repair", "reported", "repair", repair.id),
            ("complaint", "recorded", "complaint", complaint.id), ("parcel", "waiting", "parcel", parcel.id),
            ("key_loan", "lent", "key_loan", loan.id), ("charge", "posted", "charge", charge.id),
            ("receipt", "paid", "receipt", paid.id), ("receipt", "voided", "receipt", paid.id),
            ("renovation", "applied", "renovation", case.id), ("vacant", "inspected", "vacant", house.id)} <= seen
    assert not any(e.text == "隔壁水管漏水" for e in events)  # the neighbour's repair is not this house's
    assert events[0].kind == "vacant" and events[0].text == "卫生间返潮"
    assert next(e for e in events if e.kind == "repair").number == repair.number_text
    assert next(e for e in events if e.action == "paid").text == "300.00"
    assert next(e for e in events if e.kind == "owner").text == owner.name
    # the history since a day: only what came after it
    assert {e.kind for e in history.of_house(clerk, house.id, since=T(2026, 7, 1))} == {"renovation", "vacant"}


def cashier_approval(supervisor):
    from models import users

    return users.approve(supervisor.username, "secret1", "cash.approve")
