"""Move-in at the desk (DOMAIN.md "Move-in"; SCENARIOS 13): the steps in order, each kept as
it is done; a missing paper stops the procedure and 今日 names it; two defects become two
repair orders; the desk's copies of the house's keys leave the custody register; the
handover date starts the house's fees; the first quarter taken at the counter closes it."""
import datetime

import pytest

from models import clock, documents, estate, fees, keys, movein, owners, repairs, settings, today
from models import cashier as desk
from models.errors import OfficeError, ValidationError

D = datetime.date
T0 = datetime.datetime(2026, 12, 3, 9, 30)


@pytest.fixture
def new_house(admin, supervisor, clerk, house):
    estate.update_house(admin, house.id, state="undelivered")
    owners.add_owner(admin, house.id, name="张三", id_number="11010519491231002X", phone="13812345678")
    fees.update_item(supervisor, "service", unit_price="2.5000")  # 89.50 m² × 2.50 = 223.75 a month
    fees.update_item(supervisor, "waste", unit_price="10.00")
    with clock.frozen(T0 - datetime.timedelta(days=60)):
        keys.add_key(clerk, tag="H-01", name="3-2-1201 入户门", kind="house", house_id=house.id, position="C柜1号",
                     copies=3)
    return house


def test_a_whole_move_in_in_order_with_a_paper_missing_two_defects_the_keys_and_the_first_quarter(
        new_house, clerk, cashier):
    with clock.frozen(T0):
        case = movein.start(clerk, new_house.id, planned=D(2026, 12, 3))
        assert (case.owner_name, movein.next_step(case)) == ("张三", "papers")
        movein.notice_printed(clerk, case.id)
        # the owner forgot the purchase invoice: the procedure stops at the papers
        case = movein.receive_papers(clerk, case.id, [p for p in movein.PAPERS if p != "purchase_invoice"])
        assert (movein.next_step(case), movein.missing(case)) == ("papers", ["purchase_invoice"])
        with pytest.raises(OfficeError) as e:
            movein.add_defect(clerk, case.id, place="厨房", what="地砖开裂")
        assert e.value.params == {"step": movein.STEPS["papers"]}
        [line] = [t for t in today.lines(clerk) if t.what == "movein"]
        assert (line.number, line.about, line.labels, line.table, line.record_id) == (
            "3-2-1201", "张三", (documents.ITEMS["purchase_invoice"][1],), "movein", case.id)
        assert not line.left.overdue  # waiting for the owner to bring it today
    with clock.frozen(T0 + datetime.timedelta(hours=2)):  # the owner came back with it
        case = movein.receive_papers(clerk, case.id, ["purchase_invoice"])
        assert movein.next_step(case) == "inspection" and case.papers_at is not None
        tile = movein.add_defect(clerk, case.id, place="厨房", what="地砖开裂")
        window = movein.add_defect(clerk, case.id, place="主卧", what="窗户关不严")
        assert [(d.repair.channel, d.repair.house_id, d.repair.state) for d in (tile, window)] == [
            ("handover", new_house.id, "waiting")] * 2
        assert tile.repair.what == "厨房：地砖开裂" and tile.repair.reporter == "张三"
        with pytest.raises(OfficeError):
            movein.hand_keys(clerk, case.id, count=3, which="入户门钥匙3把")  # not inspected yet
        case = movein.inspected(clerk, case.id)
        assert {l.item for l in documents.checklist(new_house.id) if l.received} >= set(movein.PAPERS) | {
            "inspection_form"}
        with pytest.raises(OfficeError):  # signed off: a later fault is a repair of its own
            movein.add_defect(clerk, case.id, place="卫生间", what="水龙头滴水")
        case = movein.hand_keys(clerk, case.id, count=3, which="入户门钥匙3把")
        [key] = keys.DeskKey.select().where(keys.DeskKey.tag == "H-01")
        assert (key.copies, key.active) == (0, False)  # out of the custody register
        assert keys.KeyLoan.select().where(keys.KeyLoan.key == key.id, keys.KeyLoan.state == "handed_back").count() == 3
        with pytest.raises(ValidationError):
            movein.set_handover(clerk, case.id, on=D(2026, 12, 4))  # tomorrow
        case = movein.set_handover(clerk, case.id, on=D(2026, 12, 3))
        house = estate.get_house(new_house.id)
        assert (house.handover_date, house.state) == (D(2026, 12, 3), "owner_occupied")
        assert sorted((s.item.code, s.starts) for s in fees.subscriptions(house.id)) == [
            ("service", D(2026, 12, 3)), ("waste", D(2026, 12, 3))]
        assert movein.counter_amount(clerk, case.id) == 3 * (22_375 + 1_000)
        receipt = desk.take_payment(cashier, house.id, [], "cash", tendered=None, prepay=3 * 23_375,
                                    also=lambda r: movein.money_taken(cashier, case.id, r))
        case = movein.get(clerk, case.id)
        assert (case.receipt_id, case.done_at is not None, movein.next_step(case)) == (receipt.id, True, "")
        assert movein.open_case(clerk, house.id) is None
        assert not [t for t in today.lines(clerk) if t.what == "movein"]
    assert repairs.Repair.select().where(repairs.Repair.channel == "handover").count() == 2


def test_what_the_move_in_cannot_accept_is_refused_and_writes_nothing(new_house, clerk, admin, house):
    with clock.frozen(T0):
        with pytest.raises(ValidationError):
            movein.start(clerk, new_house.id, planned=D(2028, 1, 1))
        case = movein.start(clerk, new_house.id, planned=D(2026, 12, 3))
        with pytest.raises(OfficeError):  # one move-in a house at a time
            movein.start(clerk, new_house.id, planned=D(2026, 12, 3))
        movein.receive_papers(clerk, case.id, list(movein.PAPERS))
        for place, what, field in (("", "地砖开裂", "place"), ("厨房", " ", "what"), ("厨房", "裂" * 201, "what")):
            with pytest.raises(ValidationError) as e:
                movein.add_defect(clerk, case.id, place=place, what=what)
            assert field in e.value.fields
        assert movein.Defect.select().count() == 0 and repairs.Repair.select().count() == 0
        movein.inspected(clerk, case.id)
        for count, which, field in ((0, "门钥匙", "count"), (31, "门钥匙", "count"), (2, "", "which")):
            with pytest.raises(ValidationError) as e:
                movein.hand_keys(clerk, case.id, count=count, which=which)
            assert field in e.value.fields
        assert keys.DeskKey.get(keys.DeskKey.tag == "H-01").copies == 3
    b = estate.create_unit(admin, house.unit.building_id, "9")
    empty = estate.create_house(admin, b.id, number="101", area="50", state="undelivered")
    with clock.frozen(T0):
        with pytest.raises(OfficeError) as e:
            movein.start(clerk, empty.id, planned=D(2026, 12, 3))
        assert "add the owner" in e.value.template
        assert movein.MoveIn.select().count() == 1


def test_a_move_in_closed_without_charges_says_why_and_the_office_sets_its_fees_and_months(
        new_house, clerk, admin):
    settings.update({"movein_fee_items": ["service"], "movein_prepaid_months": 6}, user=admin)
    with clock.frozen(T0):
        case = movein.start(clerk, new_house.id, planned=D(2026, 12, 3))
        movein.receive_papers(clerk, case.id, list(movein.PAPERS))
        movein.inspected(clerk, case.id)
        movein.hand_keys(clerk, case.id, count=2, which="入户门钥匙2把")
        movein.set_handover(clerk, case.id, on=D(2026, 12, 1), state="vacant")
        assert [s.item.code for s in fees.subscriptions(new_house.id)] == ["service"]
        assert movein.counter_amount(clerk, case.id) == 6 * 22_375
        with pytest.raises(ValidationError):
            movein.finish_without_charges(clerk, case.id, " ")
        case = movein.finish_without_charges(clerk, case.id, "开发商代缴首期物业费")
        assert case.done_at is not None and estate.get_house(new_house.id).state == "vacant"


def test_a_step_done_is_not_done_again_and_the_first_charges_are_at_least_a_month(new_house, clerk, cashier,
                                                                                   supervisor):
    from models import users

    with clock.frozen(T0):
        case = movein.start(clerk, new_house.id, planned=D(2026, 12, 3))
        for item in movein.PAPERS:  # every paper on file before the move-in's papers step
            documents.set_document(clerk, new_house.id, item, received=True)
        movein.inspected(clerk, case.id)
        assert movein.get(clerk, case.id).papers_at is not None  # passed, and stays passed
        documents.set_document(clerk, new_house.id, "covenant", received=False)
        assert movein.next_step(movein.get(clerk, case.id)) == "keys"
        with pytest.raises(OfficeError):
            movein.inspected(clerk, case.id)
        movein.hand_keys(clerk, case.id, count=2, which="入户门钥匙2把")
        with pytest.raises(OfficeError):
            movein.hand_keys(clerk, case.id, count=5, which="又5把")
        movein.set_handover(clerk, case.id, on=D(2026, 12, 3))
        with pytest.raises(OfficeError):
            movein.set_handover(clerk, case.id, on=D(2026, 11, 1), state="rented")
        assert estate.get_house(new_house.id).handover_date == D(2026, 12, 3)
        with pytest.raises(ValidationError) as e:  # a fen is no first charge
            desk.take_payment(cashier, new_house.id, [], "cash", tendered=None, prepay=1,
                              also=lambda r: movein.money_taken(cashier, case.id, r))
        assert e.value.fields["amount"][1] == {"month": "233.75", "paid": "0.01"}
        paid = desk.take_payment(cashier, new_house.id, [], "cash", tendered=None, prepay=23_375,
                                 also=lambda r: movein.money_taken(cashier, case.id, r))
        assert movein.get(clerk, case.id).done_at is not None
        desk.void(cashier, paid.id, "收错", users.approve(supervisor.username, "secret1", "cash.approve"))
        case = movein.get(clerk, case.id)
        assert (case.done_at, case.receipt_id, movein.next_step(case)) == (None, None, "money")
