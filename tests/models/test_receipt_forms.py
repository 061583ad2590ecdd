"""Pre-numbered receipt stock (已印号码): one number for every form printed, so the series
stays in step with the forms in the printer when a receipt spills onto several forms, is
printed in three copies, or is reprinted; the day close lists the forms beyond the
receipts' own (DOMAIN.md, Decisions: pre-numbered stock)."""
import datetime

import pytest

from models import audit, billing, cashier, clock
from models.cashier import FormStock, Pick
from tests.conftest import PG_URL


def on(y, m, d, h=10):
    return clock.frozen(datetime.datetime(y, m, d, h, 0))


@pytest.fixture
def li(request):
    return request.getfixturevalue("cashier")  # conftest's cashier (李), not the module


@pytest.fixture
def owing(admin, house, li):
    """Seven one-off charges on the house: seven lines on its receipt."""
    with on(2026, 11, 10):
        return [billing.post_charge(li, house.id, "parcel", 200 + n, description=f"SF{n:04d}")
                for n in range(7)]


def pay(user, house, charges, stock):
    with on(2026, 11, 10):
        return cashier.take_payment(user, house.id, [Pick(c.id) for c in charges], "cash",
                                    tendered=10_000, stock=stock)


@pytest.mark.parametrize("lines,per_form,copies,forms", [
    (1, 3, 1, 1), (3, 3, 1, 1), (4, 3, 1, 2), (7, 3, 1, 3), (7, 3, 3, 9), (1, 3, 3, 3), (0, 3, 1, 1)])
def test_a_receipt_uses_one_form_per_started_form_of_lines_per_copy(lines, per_form, copies, forms):
    assert FormStock(per_form, copies).forms(lines) == forms


def test_a_receipt_on_three_forms_takes_three_consecutive_numbers(li, house, owing):
    r = pay(li, house, owing, FormStock(lines_per_form=3))
    assert r.number_text == "2026-000001"
    assert cashier_forms(r) == ["2026-000002", "2026-000003"]
    with on(2026, 11, 10):
        c = billing.post_charge(li, house.id, "parcel", 300, description="SF9999")
    nxt = pay(li, house, [c], FormStock(lines_per_form=3))
    # the next receipt's number is the next form's: the series stayed in step with the stock
    assert nxt.number_text == "2026-000004" and cashier_forms(nxt) == []
    assert cashier.unaccounted_numbers(cashier.active_series()) == []
    entry = audit.AuditEntry.get(audit.AuditEntry.action == "receipt.issue", audit.AuditEntry.target_id == r.id)
    assert "2026-000003" in entry.detail


def cashier_forms(r):
    return cashier.continuation_forms(r.id)


def test_on_plain_paper_a_long_receipt_takes_one_number(li, house, owing):
    r = pay(li, house, owing, None)
    assert cashier_forms(r) == [] and cashier.active_series().next_number == 2


def test_three_copies_on_numbered_forms_take_a_number_each(li, house, owing):
    r = pay(li, house, owing[:2], FormStock(lines_per_form=3, copies=3))
    assert cashier_forms(r) == ["2026-000002", "2026-000003"]


def test_a_refused_payment_takes_no_form_number(li, house, owing):
    from models.errors import ValidationError

    with on(2026, 11, 10), pytest.raises(ValidationError):
        cashier.take_payment(li, house.id, [Pick(c.id) for c in owing], "cash", tendered=1,
                             stock=FormStock(lines_per_form=3))
    assert cashier.active_series().next_number == 1
    assert cashier.SpoiledNumber.select().count() == 0


def test_a_reprint_of_a_long_receipt_on_new_forms_takes_as_many_numbers(li, house, owing):
    stock = FormStock(lines_per_form=3)
    r = pay(li, house, owing, stock)
    with on(2026, 11, 10):
        again = cashier.reprint(li, r.id, new_form=True, stock=stock)
    assert again.reprints == 1
    assert cashier.reprint_forms(r.id) == ["2026-000004", "2026-000005", "2026-000006"]
    assert cashier_forms(r) == ["2026-000002", "2026-000003"]  # its first forms stay its own
    assert cashier.active_series().next_number == 7
    assert cashier.unaccounted_numbers(cashier.active_series()) == []


def test_the_day_close_lists_the_continuation_reprint_and_spoiled_forms(li, house, owing):
    stock = FormStock(lines_per_form=3)
    r = pay(li, house, owing, stock)
    with on(2026, 11, 10, 11):
        cashier.spoil_next(li, "卡纸")
        cashier.reprint(li, r.id, new_form=True, stock=FormStock(lines_per_form=10))
        day = cashier.day_summary(li, li.id, datetime.date(2026, 11, 10))
    assert [(f.number, f.kind, f.receipt) for f in day.forms] == [
        ("2026-000002", "continuation", "2026-000001"), ("2026-000003", "continuation", "2026-000001"),
        ("2026-000004", "spoiled", ""), ("2026-000005", "reprint", "2026-000001")]
    assert day.numbers == "2026-000001 – 000003"
    with on(2026, 11, 11):
        other = cashier.day_summary(li, li.id, datetime.date(2026, 11, 11))
    assert other.forms == []


@pytest.mark.skipif(bool(PG_URL), reason="a database file: the SQLite leg covers it")
def test_a_database_of_schema_17_keeps_its_reprint_and_spoiled_forms_apart(tmp_path, li, house, owing):
    """The upgrade that gives each accounted-for number its kind: a number recorded against
    a receipt was a reprint's new form, any other a spoiled form."""
    from models import db, migrations

    with on(2026, 11, 10):
        r = cashier.take_payment(li, house.id, [Pick(owing[0].id)], "cash", tendered=1000)
        cashier.reprint(li, r.id, new_form=True)
        cashier.spoil_next(li, "卡纸")
    path = tmp_path / "schema17.sqlite"
    db.database.execute_sql("VACUUM INTO ?", (str(path),))
    db.close()
    old = __import__("sqlite3").connect(path)
    old.execute("ALTER TABLE spoiled_number DROP COLUMN kind")
    old.execute("UPDATE app_meta SET value = '17' WHERE key = 'schema_version'")
    old.commit()
    old.close()
    db.connect(db.sqlite_url(path))
    try:
        assert migrations.current_version() == migrations.LATEST
        assert [(s.number, s.kind) for s in cashier.SpoiledNumber.select().order_by(cashier.SpoiledNumber.number)] \
            == [(2, "reprint"), (3, "spoiled")]
        assert cashier.reprint_forms(r.id) == ["2026-000002"] and cashier.continuation_forms(r.id) == []
    finally:
        db.close()
