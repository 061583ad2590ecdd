"""A house sold (issue 20): the new owner takes over with the old one's archive kept as
history; a sale "settled" is refused while the house owes, a sale "carried" leaves the debt
on the house for the new owner, said in the audit; deposits held move across; the old
owner's standing key authorisations end; the old household moves out; nothing is written
when the sale is refused."""
import datetime
import json

import pytest

from models import audit, billing, clock, fees, history, keys, owners, resale
from models import cashier as desk
from models.errors import OfficeError, PermissionDenied, ValidationError

D = datetime.date
T = datetime.datetime(2026, 12, 3, 10, 0)
NEW = dict(name="李四", id_number="110101199003077571", phone="13900139000")


@pytest.fixture
def sold_house(admin, supervisor, cashier, clerk, house):
    with clock.frozen(T - datetime.timedelta(days=400)):
        owners.add_owner(admin, house.id, name="张三", id_number="11010519491231002X", phone="13812345678",
                         since=D(2025, 1, 1))
        owners.add_resident(admin, house.id, kind="member", name="张小三", moved_in=D(2025, 1, 2))
    with clock.frozen(T - datetime.timedelta(days=30)):
        desk.take_payment(cashier, house.id, [], "cash", tendered=None, deposit=200_000)
        keys.authorise(clerk, house.id, name="王师傅", id_number="110101199003070513", letter_received=True,
                       confirmed_how="phone", confirmed_at=T - datetime.timedelta(days=30, hours=1))
    fees.update_item(supervisor, "service", unit_price="2.5000")
    fees.subscribe(supervisor, house.id, "service", starts=D(2026, 1, 1))
    with clock.frozen(datetime.datetime(2026, 11, 1, 9)):
        billing.post(cashier, "2026-11")
    return house


def test_a_sale_settled_is_refused_while_the_house_owes_and_writes_nothing(sold_house, admin):
    with clock.frozen(T):
        s = resale.standing(admin, sold_house.id)
        assert (s.owners, s.owed > 0, [h.amount for h in s.held], s.authorisations, s.residents) == (
            ["张三"], True, [200_000], ["王师傅"], ["张小三"])
        before = (owners.Ownership.select().count(), owners.Owner.select().count(), audit.AuditEntry.select().count())
        with pytest.raises(ValidationError) as e:
            resale.transfer(admin, sold_house.id, on=D(2026, 12, 1), arrears="settled", new_owner=NEW)
        assert "take the payment" in e.value.fields["arrears"][0] and e.value.fields["arrears"][1]["owed"] == "227.78"  # November's 223.75 and its late fee
        for bad, field in ((dict(on=D(2026, 12, 4)), "on"), (dict(on=D(2024, 12, 31)), "on"),
                           (dict(arrears="forgiven"), "arrears"), (dict(new_owner=dict(NEW, name="")), "name"),
                           (dict(new_owner=dict(NEW, id_number="110101199003077578")), "id_number")):
            args = dict(on=D(2026, 12, 1), arrears="carried", new_owner=NEW) | bad
            with pytest.raises(ValidationError) as e:
                resale.transfer(admin, sold_house.id, **args)
            assert field in e.value.fields, bad
        assert (owners.Ownership.select().count(), owners.Owner.select().count(),
                audit.AuditEntry.select().count()) == before


def test_the_new_owner_takes_over_with_the_debt_carried_the_deposit_moved_and_the_old_archive_kept(
        sold_house, admin, clerk):
    with clock.frozen(T):
        owed = resale.standing(admin, sold_house.id).owed
        new = resale.transfer(admin, sold_house.id, on=D(2026, 12, 1), arrears="carried", new_owner=NEW,
                              note="买卖合同 2026-11-28")
        archive = owners.house_archive(admin, sold_house.id)
        assert [o.owner.name for o in archive.owners if o.until is None] == ["李四"]
        assert archive.house.owner_names == "李四"
        old = owners.Ownership.select().join(owners.Owner).where(owners.Owner.name == "张三").get()
        assert old.until == D(2026, 12, 1) and not old.is_primary  # kept, ended on the day of the sale
        assert owners.Ownership.get(owners.Ownership.owner == new.id).since == D(2026, 12, 1)
        assert [r.name for r in archive.residents if r.moved_out is None] == []  # the old household moved out
        assert keys.authorisations(clerk, sold_house.id) == []
        assert desk.balances(sold_house.id) and sum(desk.balances(sold_house.id).values()) == 200_000  # moved across
        assert sum(o.total for o in desk.owed(admin, sold_house.id)) == owed  # carried, on the house
        [entry] = audit.AuditEntry.select().where(audit.AuditEntry.action == "house.resale")
        detail = json.loads(entry.detail)
        assert (detail["from"], detail["to"], detail["arrears"], detail["owed"]) == (["张三"], "李四", "carried", owed)
        assert detail["held_moved"] == [["deposit", "renovation_deposit", 200_000]]
        assert detail["authorisations_ended"] == ["王师傅"] and detail["moved_out"] == ["张小三"]
        story = [(e.kind, e.action, e.text) for e in history.of_house(admin, sold_house.id) if e.kind == "owner"]
        assert story == [("owner", "owner_since", "李四"), ("owner", "owner_until", "张三"),
                         ("owner", "owner_since", "张三")]


def test_a_sale_settled_goes_through_once_the_house_owes_nothing(sold_house, admin, cashier, clerk):
    with clock.frozen(T):
        desk.take_payment(cashier, sold_house.id, [desk.Pick(o.charge.id) for o in desk.owed(cashier, sold_house.id)],
                          "cash", tendered=None)
        resale.transfer(admin, sold_house.id, on=D(2026, 12, 3), arrears="settled", new_owner=NEW,
                        old_household_moves_out=False)
        assert [r.name for r in owners.house_archive(admin, sold_house.id).residents if r.moved_out is None] == ["张小三"]
        with pytest.raises(PermissionDenied):
            resale.transfer(cashier, sold_house.id, on=D(2026, 12, 3), arrears="settled", new_owner=NEW)


def test_a_house_with_no_owner_on_file_is_not_sold_but_given_its_owner(admin, house):
    with clock.frozen(T):
        with pytest.raises(OfficeError) as e:
            resale.transfer(admin, house.id, on=D(2026, 12, 1), arrears="carried", new_owner=NEW)
        assert "add the owner" in e.value.template
    assert owners.Owner.select().count() == 0
