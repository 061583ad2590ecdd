"""Receipt numbers in the window: a spoiled blank form recorded from the day close, the
next number set by a supervisor's approval to match a new book, a reprint on a
pre-numbered form, and a tax invoice number recorded against a receipt."""
import datetime

import pytest

from models import billing, clock, fees
from models import cashier as desk
from models.cashier import Pick

D = datetime.date
NOW = datetime.datetime(2026, 11, 10, 10)


@pytest.fixture
def paid(admin, supervisor, cashier, house):
    fees.update_item(supervisor, "service", unit_price="2.5000")
    fees.subscribe(supervisor, house.id, "service", starts=D(2026, 1, 1))
    with clock.frozen(NOW):
        billing.post(cashier, "2026-11")
        [line] = desk.owed(cashier, house.id)
        return desk.take_payment(cashier, house.id, [Pick(line.charge.id, 100)], "cash", tendered=100)


def test_a_spoiled_form_and_a_new_book_from_the_day_close(paid, cashier, supervisor, qtbot, monkeypatch,
                                                         message_boxes):
    from ui import day_close_page, receipt_numbers

    with clock.frozen(NOW):
        page = day_close_page.DayClosePage(cashier)
        qtbot.addWidget(page)
        assert "2026-000002" in page.numbers.text() and "accounted for" in page.numbers.text()

        def spoil(dialog):
            dialog._save()  # no reason: refused next to the field
            assert dialog.form.rows["reason"].error.text()
            dialog.reason.setText("卡纸")
            dialog._save()
            return dialog.result()

        monkeypatch.setattr(day_close_page.SpoilDialog, "exec", spoil)
        page.spoil()
        assert "2026-000003" in page.numbers.text() and "卡纸" in page.numbers.text()

        def renumber(dialog):
            dialog.number.setText("501")
            dialog.username.setText(cashier.username)  # a cashier cannot approve it
            dialog.password.setText("secret1")
            dialog._save()
            assert not dialog.result()
            dialog.username.setText(supervisor.username)
            dialog._save()
            return dialog.result()

        monkeypatch.setattr(receipt_numbers.NextNumberDialog, "exec", renumber)
        page.renumber()
        assert "2026-000501" in page.numbers.text()
    assert desk.active_series().next_number == 501 and desk.unaccounted_numbers(desk.active_series()) == []


def test_a_reprint_on_a_prenumbered_form_and_an_invoice_number(paid, cashier, house, qtbot, monkeypatch,
                                                               message_boxes, tmp_path):
    from tests.ui.test_preview import pdf_printer
    from ui import counter_page, preview, prefs

    prefs.set("receipt/prenumbered", True)
    prefs.set("receipt/carbonless", True)  # numbered 三联 stock: one pass makes the copies
    monkeypatch.setattr(preview.PreviewDialog, "exec",
                        lambda dialog: dialog.print_with(pdf_printer(tmp_path / "again.pdf")) and 0)
    with clock.frozen(NOW):
        page = counter_page.CounterPage(cashier)
        qtbot.addWidget(page)
        page.open_house(house.id)
        page.receipts.selectRow(0)
        page.reprint()
        assert desk.reprint_forms(paid.id) == ["2026-000002"]

        def invoice(dialog):
            dialog.number.setText("0440")  # too short
            dialog._save()
            assert dialog.form.rows["invoice_number"].error.text()
            dialog.number.setText("044001234567")
            dialog._save()
            return dialog.result()

        monkeypatch.setattr(counter_page.InvoiceDialog, "exec", invoice)
        page.receipts.selectRow(0)
        page.record_invoice()
    assert desk.get_receipt(paid.id).invoice_number == "044001234567"
    assert "044001234567" in page.receipts.item(0, 4).text()


def test_a_long_receipt_on_numbered_forms_takes_a_number_for_each_form_it_prints_on(
        admin, supervisor, cashier, house, qtbot, monkeypatch, message_boxes):
    """The counter pays eight charges on a PC whose printer holds numbered third forms: the
    receipt spills onto several forms, each printed with its own number, and the next
    receipt starts on the next form's number."""
    import io

    from pypdf import PdfReader

    from printing import receipt as paper
    from ui import counter_page, preview, prefs

    prefs.set("receipt/prenumbered", True)
    prefs.set("receipt/carbonless", True)
    prefs.set("receipt/paper", "CONT_THIRD")
    per_form = paper.lines_per_form("CONT_THIRD")
    with clock.frozen(NOW):
        for n in range(per_form * 2 + 1):  # one line more than two forms hold
            billing.post_charge(cashier, house.id, "parcel", 200 + n, description=f"SF{n:04d}")
    shown = []
    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    with clock.frozen(NOW):
        page = counter_page.CounterPage(cashier)
        qtbot.addWidget(page)
        page.open_house(house.id)
        page.pay()
    [dialog] = shown
    pdf = dialog.pdf
    assert dialog.numbered_forms  # printed once and whole: no extra copies on numbered forms
    assert "3 numbered forms, 2026-000001 – 2026-000003" in page.forms_note.text()
    [r] = desk.Receipt.select()
    assert r.number_text == "2026-000001"
    assert desk.continuation_forms(r.id) == ["2026-000002", "2026-000003"]
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 3  # one pass on carbonless stock: as many pages as forms
    for text, number in zip(pages, ["2026-000001", "2026-000002", "2026-000003"]):
        assert number in text
    assert desk.active_series().next_number == 4

    from ui import day_close_page

    with clock.frozen(NOW):
        close = day_close_page.DayClosePage(cashier)
        qtbot.addWidget(close)
        close.load()
    rows = [what for what, _amount in close.rows(close.summary)]
    assert "Continuation form 2026-000002 of receipt 2026-000001" in rows
    assert "Continuation form 2026-000003 of receipt 2026-000001" in rows
    assert close.summary.numbers == "2026-000001 – 000003"
