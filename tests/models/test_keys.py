"""Keys: a delegate refused without the owner's letter and confirmation, then lent; a
public part's key needs its keeper's approval; copies run out; the overdue list from the
due time on; returned, lost and handed back for good."""
import datetime
import json

import pytest

from models import audit, clock, keys, settings
from models.errors import OfficeError, PermissionDenied, ValidationError
from models.keys import Borrower

T0 = datetime.datetime(2026, 11, 23, 10, 0)
H = datetime.timedelta(hours=1)
GOOD_ID = "11010519491231002X"


@pytest.fixture
def house_key(clerk, house):
    return keys.add_key(clerk, tag="k-12", name="3-2-1201 大门", kind="house", house_id=house.id, position="A柜3号",
                        copies=1)


@pytest.fixture
def pump_key(clerk):
    return keys.add_key(clerk, tag="P-01", name="3栋水泵房", kind="public", position="B柜1号", copies=2,
                        responsible="工程部 刘工")


def test_a_key_register_refuses_bad_entries(clerk, house, house_key, admin):
    assert house_key.tag == "K-12"
    with pytest.raises(ValidationError) as e:
        keys.add_key(clerk, tag="k-12", name="", kind="public")
    assert {"tag", "name", "responsible"} <= set(e.value.fields)
    with pytest.raises(ValidationError) as e:
        keys.add_key(clerk, tag="K-13", name="x", kind="house", copies=0)
    assert {"house", "copies"} <= set(e.value.fields)
    with pytest.raises(PermissionDenied):
        keys.add_key(admin, tag="K-14", name="x", kind="public", responsible="y")
    assert keys.DeskKey.select().count() == 1


def test_a_delegate_without_the_letter_is_refused_then_lent_with_it(clerk, house_key):
    decorator = Borrower("delegate", "王师傅", phone="13900001111", id_number=GOOD_ID, purpose="装修")
    with clock.frozen(T0):
        with pytest.raises(ValidationError) as e:
            keys.lend(clerk, house_key.id, decorator)
    # every reason at once, by its field: the letter, the owner's confirmation
    assert set(e.value.fields) == {"letter_received", "confirmed_how"}
    assert keys.KeyLoan.select().count() == 0
    with clock.frozen(T0):
        with pytest.raises(ValidationError) as e:
            keys.lend(clerk, house_key.id, Borrower("delegate", "王师傅", id_number="110105194912310021",
                                                    letter_received=True, confirmed_how="phone",
                                                    confirmed_at=T0 - H))
        assert set(e.value.fields) == {"id_number"}  # its check digit is wrong
        with pytest.raises(ValidationError):  # confirmed in the future
            keys.lend(clerk, house_key.id, Borrower("delegate", "王师傅", id_number=GOOD_ID, letter_received=True,
                                                    confirmed_how="phone", confirmed_at=T0 + H))
        loan = keys.lend(clerk, house_key.id, Borrower("delegate", "王师傅", phone="13900001111",
                                                       id_number=GOOD_ID.lower(), letter_received=True,
                                                       confirmed_how="phone", confirmed_at=T0 - H, purpose="装修"))
    assert (loan.state, loan.id_number, loan.confirmed_how) == ("out", GOOD_ID, "phone")
    assert loan.due_at == T0 + 24 * H  # the office's 1 day
    entry = audit.AuditEntry.get(audit.AuditEntry.action == "key.lend")
    assert "王师傅" in entry.summary


def test_an_owner_needs_no_letter_but_the_copies_run_out(clerk, house_key):
    with clock.frozen(T0):
        keys.lend(clerk, house_key.id, Borrower("owner", "张三"))
        with pytest.raises(OfficeError):
            keys.lend(clerk, house_key.id, Borrower("owner", "张三"))  # its only copy is out


def test_a_public_parts_key_needs_its_keepers_approval(clerk, pump_key):
    with clock.frozen(T0):
        with pytest.raises(ValidationError) as e:
            keys.lend(clerk, pump_key.id, Borrower("contractor", "水泵维保 赵"))
        assert "approved_by" in e.value.fields and "刘工" in str(e.value)
        keys.lend(clerk, pump_key.id, Borrower("contractor", "水泵维保 赵", approved_by="刘工"))
        keys.lend(clerk, pump_key.id, Borrower("staff", "李师傅", approved_by="刘工"))  # the second copy
        with pytest.raises(OfficeError):
            keys.lend(clerk, pump_key.id, Borrower("staff", "陈师傅", approved_by="刘工"))


def test_the_overdue_list_starts_after_the_due_time_and_ends_with_the_return(clerk, house_key, pump_key, admin):
    with clock.frozen(T0):
        a = keys.lend(clerk, house_key.id, Borrower("owner", "张三"))
    with clock.frozen(T0 + 2 * H):
        b = keys.lend(clerk, pump_key.id, Borrower("staff", "李师傅", approved_by="刘工"))
    assert keys.overdue(clerk, T0 + 24 * H) == []  # due at, not yet over
    late = keys.overdue(clerk, T0 + 24 * H + datetime.timedelta(seconds=1))
    assert [o.loan.id for o in late] == [a.id]
    late = keys.overdue(clerk, T0 + 75 * H)
    assert [o.loan.id for o in late] == [a.id, b.id] and keys.late_text(late[0].late) == (2, 3)
    with clock.frozen(T0 + 76 * H):
        keys.give_back(clerk, a.id, returned_by="张三之子")
        with pytest.raises(OfficeError):
            keys.give_back(clerk, a.id)
    assert [o.loan.id for o in keys.overdue(clerk, T0 + 80 * H)] == [b.id]
    assert keys.KeyLoan.get_by_id(a.id).returned_by == "张三之子"
    settings.update({"key_due_days": 3}, user=admin)
    with clock.frozen(T0):
        c = keys.lend(clerk, house_key.id, Borrower("owner", "张三"))
    assert c.due_at == T0 + 72 * H


def test_a_lost_key_or_one_handed_back_leaves_the_register_one_copy_fewer(clerk, house_key, pump_key):
    with clock.frozen(T0):
        a = keys.lend(clerk, pump_key.id, Borrower("staff", "李师傅", approved_by="刘工"))
        with pytest.raises(ValidationError):
            keys.lost(clerk, a.id, " ")
        keys.lost(clerk, a.id, "李师傅在天台遗失")
        b = keys.lend(clerk, house_key.id, Borrower("owner", "张三"))
        keys.hand_back_for_good(clerk, b.id, "业主领回，已签字")
    assert keys.DeskKey.get_by_id(pump_key.id).copies == 1
    house = keys.DeskKey.get_by_id(house_key.id)
    assert house.copies == 0 and not house.active and [k.tag for k in keys.register(clerk)] == ["P-01"]
    assert keys.KeyLoan.get_by_id(b.id).state == "handed_back"


def test_the_cabinet_is_counted_against_the_register_with_the_responsible_person(clerk, admin, house_key,
                                                                               pump_key):
    with clock.frozen(T0):
        assert keys.check_due()  # keys, never counted
        keys.lend(clerk, pump_key.id, Borrower("staff", "李师傅", approved_by="工程部 刘工"))
        sheet = {line.key.tag: line.expected for line in keys.count_sheet(clerk)}
        assert sheet == {"P-01": 1, "K-12": 1}  # two copies, one out
        with pytest.raises(ValidationError) as e:
            keys.record_check(clerk, "", {house_key.id: 1})
        assert {"responsible", "counted"} <= set(e.value.fields)
        assert keys.KeyCheck.select().count() == 0
        check = keys.record_check(clerk, "客服主管 赵", {house_key.id: 0, pump_key.id: 2}, "K-12 不在柜中")
    assert (check.short, check.extra, check.responsible) == (1, 1, "客服主管 赵")
    assert {(l.key.tag, l.expected, l.counted) for l in check.lines} == {("K-12", 1, 0), ("P-01", 1, 2)}
    [entry] = audit.AuditEntry.select().where(audit.AuditEntry.action == "key.check")
    assert json.loads(entry.detail)["differences"] == {"K-12": -1, "P-01": 1}
    assert not keys.check_due(T0 + 30 * 24 * H)  # counted every 30 days by default
    assert keys.check_due(T0 + 30 * 24 * H + datetime.timedelta(seconds=1))
    settings.update({"key_check_days": 0}, user=admin)  # the office wants no reminder
    assert not keys.check_due(T0 + 300 * 24 * H)
