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
def zhang(admin, house):
    """The house's owner 张三 on file, with no ID number recorded: the name match stands."""
    from models import owners

    return owners.add_owner(admin, house.id, name="张三")


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
    assert (loan.state, loan.id_number, loan.confirmed_how) == ("out", "110***********002X", "phone")
    assert keys.KeyLoan.get_by_id(loan.id).id_number == GOOD_ID  # kept in full, upper case
    assert loan.due_at == datetime.datetime(2026, 11, 24, 23, 59, 59)  # the office's 1 day: the end of the next
    entry = audit.AuditEntry.get(audit.AuditEntry.action == "key.lend")
    assert "王师傅" in entry.summary


def test_an_owner_needs_no_letter_but_the_copies_run_out(clerk, house_key, zhang):
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


def test_the_overdue_list_starts_after_the_due_time_and_ends_with_the_return(clerk, house_key, pump_key, admin,
                                                                              zhang):
    with clock.frozen(T0):
        a = keys.lend(clerk, house_key.id, Borrower("owner", "张三"))
    with clock.frozen(T0 + 2 * H):
        b = keys.lend(clerk, pump_key.id, Borrower("staff", "李师傅", approved_by="刘工"))
    due = datetime.datetime(2026, 11, 24, 23, 59, 59)  # both: the end of the next day
    assert keys.overdue(clerk, T0 + 24 * H) == [] and keys.overdue(clerk, due) == []  # due at, not yet over
    late = keys.overdue(clerk, due + datetime.timedelta(seconds=1))
    assert [o.loan.id for o in late] == [a.id, b.id]  # the same due time: lent first, first
    late = keys.overdue(clerk, due + 51 * H)
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
    assert c.due_at == datetime.datetime(2026, 11, 26, 23, 59, 59)


def test_a_lost_key_or_one_handed_back_leaves_the_register_one_copy_fewer(clerk, house_key, pump_key, zhang):
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


# --- a house's key in custody: the owner, or anyone else with ID, letter and confirmation ----

def with_papers(kind: str, name: str = "王师傅", **kw) -> Borrower:
    return Borrower(kind, name, id_number=GOOD_ID, letter_received=True, confirmed_how="phone",
                    confirmed_at=T0 - H, **kw)


@pytest.mark.parametrize("kind", ["resident", "delegate", "contractor", "staff"])
def test_a_house_key_goes_to_anyone_but_the_owner_only_with_id_letter_and_confirmation(clerk, house_key, kind):
    with clock.frozen(T0):
        with pytest.raises(ValidationError) as e:
            keys.lend(clerk, house_key.id, Borrower(kind, "王师傅", purpose="装修"))
        # every reason at once, by its field
        assert set(e.value.fields) == {"id_number", "letter_received", "confirmed_how"}
        with pytest.raises(ValidationError) as e:  # the ID alone is not enough
            keys.lend(clerk, house_key.id, Borrower(kind, "王师傅", id_number=GOOD_ID, approved_by="主管"))
        assert set(e.value.fields) == {"letter_received", "confirmed_how"}
        assert keys.KeyLoan.select().count() == 0
        loan = keys.lend(clerk, house_key.id, with_papers(kind))
    kept = keys.KeyLoan.get_by_id(loan.id)  # in full: the one handed out is masked
    assert (kept.borrower_kind, kept.id_number, kept.letter_received) == (kind, GOOD_ID, True)
    assert (loan.confirmed_how, loan.confirmed_at) == ("phone", T0 - H)


def test_the_owner_of_a_house_key_is_an_owner_on_file(clerk, admin, house, house_key):
    from models import owners

    owners.add_owner(admin, house.id, name="张三", phone="13812345678")
    with clock.frozen(T0):
        with pytest.raises(ValidationError) as e:
            keys.lend(clerk, house_key.id, Borrower("owner", "施工队 王"))  # a contractor passed off as the owner
        assert set(e.value.fields) == {"borrower"} and "张三" in str(e.value)
        loan = keys.lend(clerk, house_key.id, Borrower("owner", "张 三"))
    assert loan.borrower_kind == "owner" and loan.confirmed_how == ""


def test_with_no_owner_on_file_the_house_key_goes_to_no_one_as_the_owner(clerk, house_key):
    with clock.frozen(T0):
        with pytest.raises(ValidationError) as e:
            keys.lend(clerk, house_key.id, Borrower("owner", "张三"))
        assert set(e.value.fields) == {"kind"} and "letter" in str(e.value)
        assert keys.KeyLoan.select().count() == 0
        loan = keys.lend(clerk, house_key.id, with_papers("delegate", "张三"))  # with the owner's letter
    assert loan.borrower_kind == "delegate" and loan.letter_received


def test_the_owner_shows_the_id_on_file(clerk, admin, house, house_key):
    from models import owners

    owners.add_owner(admin, house.id, name="李四", id_type="resident_id", id_number=GOOD_ID)
    with clock.frozen(T0):
        with pytest.raises(ValidationError) as e:  # the name alone is not enough
            keys.lend(clerk, house_key.id, Borrower("owner", "李四"))
        assert set(e.value.fields) == {"id_number"}
        with pytest.raises(ValidationError) as e:  # someone else's card
            keys.lend(clerk, house_key.id, Borrower("owner", "李四", id_number="110105194912310011"))
        assert set(e.value.fields) == {"id_number"} and "李四" in str(e.value)
        assert keys.KeyLoan.select().count() == 0
        loan = keys.lend(clerk, house_key.id, Borrower("owner", "李 四", id_number=" " + GOOD_ID.lower()))
    kept = keys.KeyLoan.get_by_id(loan.id)
    assert (kept.borrower_kind, kept.id_number, kept.letter_received) == ("owner", GOOD_ID, False)


@pytest.mark.parametrize("number", ["E12345678", "H1234567801", "09123456", "c12345678"])
def test_a_contractor_with_a_passport_or_a_pass_is_lent_the_key(clerk, house_key, number):
    with clock.frozen(T0):
        loan = keys.lend(clerk, house_key.id, Borrower("contractor", "Smith", id_number=number, letter_received=True,
                                                       confirmed_how="phone", confirmed_at=T0 - H))
    assert keys.KeyLoan.get_by_id(loan.id).id_number == number.upper()


@pytest.mark.parametrize("number", ["E123", "E1234-567", "110105194912310012"])
def test_a_too_short_number_or_a_bad_resident_id_is_refused(clerk, house_key, number):
    with clock.frozen(T0):
        with pytest.raises(ValidationError) as e:
            keys.lend(clerk, house_key.id, Borrower("contractor", "Smith", id_number=number, letter_received=True,
                                                    confirmed_how="phone", confirmed_at=T0 - H))
    assert set(e.value.fields) == {"id_number"} and keys.KeyLoan.select().count() == 0


def test_a_public_parts_key_keeps_its_keepers_rule_and_asks_no_owners_letter(clerk, pump_key):
    with clock.frozen(T0):
        for kind in ("contractor", "delegate", "resident"):
            with pytest.raises(ValidationError) as e:
                keys.lend(clerk, pump_key.id, Borrower(kind, "赵"))
            assert set(e.value.fields) == {"approved_by"}
        keys.lend(clerk, pump_key.id, Borrower("contractor", "赵", approved_by="刘工"))


def test_on_the_standing_authorisation_the_id_is_enough_until_it_is_withdrawn(clerk, house, house_key):
    with clock.frozen(T0):
        with pytest.raises(ValidationError) as e:  # named once, but with the letter and the owner's word
            keys.authorise(clerk, house.id, name="王师傅", id_number=GOOD_ID, letter_received=False,
                           confirmed_how="", confirmed_at=None)
        assert set(e.value.fields) == {"letter_received", "confirmed_how"}
        assert keys.KeyAuthorisation.select().count() == 0
        auth = keys.authorise(clerk, house.id, name="王师傅", id_number=GOOD_ID.lower(), relation="装修",
                              letter_received=True, confirmed_how="in_person", confirmed_at=T0 - H)
        with pytest.raises(ValidationError):  # once
            keys.authorise(clerk, house.id, name="王师傅", id_number=GOOD_ID, letter_received=True,
                           confirmed_how="in_person", confirmed_at=T0 - H)
        with pytest.raises(ValidationError) as e:  # still an ID checked on the spot
            keys.lend(clerk, house_key.id, Borrower("contractor", "王师傅"))
        assert "id_number" in e.value.fields
        with pytest.raises(ValidationError) as e:  # the authorisation names someone else with this ID
            keys.lend(clerk, house_key.id, Borrower("contractor", "李四", id_number=GOOD_ID))
        assert set(e.value.fields) == {"borrower"} and "王师傅" in str(e.value)
        loan = keys.lend(clerk, house_key.id, Borrower("contractor", "王师傅", id_number=GOOD_ID))
        keys.give_back(clerk, loan.id)
    assert loan.authorisation_id == auth.id and loan.confirmed_how == ""
    assert [a.name for a in keys.authorisations(clerk, house.id)] == ["王师傅"]
    with clock.frozen(T0 + H):
        keys.withdraw(clerk, auth.id, "业主收回委托")
        with pytest.raises(ValidationError) as e:
            keys.lend(clerk, house_key.id, Borrower("contractor", "王师傅", id_number=GOOD_ID))
        assert set(e.value.fields) == {"letter_received", "confirmed_how"}
    assert keys.authorisations(clerk, house.id) == []
    assert audit.AuditEntry.select().where(audit.AuditEntry.action == "key.unauthorise").count() == 1


def test_a_letter_that_names_someone_for_good_puts_them_on_the_standing_authorisation(clerk, house, house_key):
    with clock.frozen(T0):
        first = keys.lend(clerk, house_key.id, with_papers("delegate", standing=True))
        keys.give_back(clerk, first.id)
        again = keys.lend(clerk, house_key.id, Borrower("delegate", "王师傅", id_number=GOOD_ID))
    [auth] = keys.authorisations(clerk, house.id)
    kept = keys.KeyAuthorisation.get_by_id(auth.id)
    assert (kept.name, kept.id_number, kept.confirmed_how) == ("王师傅", GOOD_ID, "phone")
    assert first.confirmed_how == "phone" and again.authorisation_id == auth.id


# --- "due in N days": the end of the Nth day ------------------------------------------------

@pytest.mark.parametrize("lent,days,working,due", [
    (datetime.datetime(2026, 11, 23, 10, 0), 1, False, datetime.datetime(2026, 11, 24, 23, 59, 59)),
    (datetime.datetime(2026, 11, 23, 23, 59), 1, False, datetime.datetime(2026, 11, 24, 23, 59, 59)),
    (datetime.datetime(2026, 11, 23, 0, 0), 0, False, datetime.datetime(2026, 11, 23, 23, 59, 59)),  # the same day
    (datetime.datetime(2026, 11, 20, 16, 0), 1, False, datetime.datetime(2026, 11, 21, 23, 59, 59)),  # Friday
    (datetime.datetime(2026, 11, 20, 16, 0), 1, True, datetime.datetime(2026, 11, 23, 23, 59, 59)),  # → Monday
    (datetime.datetime(2026, 9, 30, 16, 0), 1, True, datetime.datetime(2026, 10, 9, 23, 59, 59)),  # National Day
])
def test_a_key_and_a_lent_item_are_due_at_the_end_of_the_nth_day(clerk, admin, house_key, zhang, lent, days, working,
                                                                 due):
    from models import lending

    settings.update({"key_due_days": days, "item_due_days": days, "working_days_only": working,
                     "holidays": [f"2026-10-0{d}" for d in range(1, 9)]}, user=admin)
    ladder = lending.add_item(clerk, tag="T-01", name="人字梯")
    with clock.frozen(lent):
        key_loan = keys.lend(clerk, house_key.id, Borrower("owner", "张三"))
        item_loan = lending.lend(clerk, ladder.id, borrower="张三", condition="完好")
    assert key_loan.due_at == due and item_loan.due_at == due
    assert keys.overdue(clerk, due) == [] and lending.overdue(clerk, due) == []
    assert len(keys.overdue(clerk, due + datetime.timedelta(seconds=1))) == 1
    assert len(lending.overdue(clerk, due + datetime.timedelta(seconds=1))) == 1


@pytest.mark.skipif(bool(__import__("os").environ.get("ESTATEDESK_TEST_DB")),
                    reason="a database file: the SQLite leg covers it")
def test_a_database_of_schema_18_gets_the_standing_authorisation_and_keeps_its_loans(tmp_path, clerk, house,
                                                                                 house_key):
    """Migration 19: the standing authorisation table, and the loan's link to it."""
    import sqlite3

    from models import db, migrations

    with clock.frozen(T0):
        loan = keys.lend(clerk, house_key.id, with_papers("delegate"))
    path = tmp_path / "schema18.sqlite"
    db.database.execute_sql("VACUUM INTO ?", (str(path),))
    db.close()
    old = sqlite3.connect(path)
    old.execute("DROP INDEX key_loan_authorisation_id")
    old.execute("ALTER TABLE key_loan DROP COLUMN authorisation_id")
    old.execute("DROP TABLE key_authorisation")
    old.execute("UPDATE app_meta SET value = '18' WHERE key = 'schema_version'")
    old.commit()
    old.close()
    db.connect(db.sqlite_url(path))
    try:
        assert migrations.current_version() == migrations.LATEST
        again = keys.KeyLoan.get_by_id(loan.id)
        assert (again.borrower, again.authorisation_id) == ("王师傅", None)
        with clock.frozen(T0 + H):
            keys.give_back(clerk, loan.id)
            keys.lend(clerk, house_key.id, with_papers("contractor", standing=True))
        assert keys.KeyAuthorisation.select().count() == 1
    finally:
        db.close()
