"""The counter driven as the cashier drives it: find the house, hand over cash, see the
change, issue the receipt with one key, then a supervisor voids it in the dialog."""
import datetime
import io

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from models import billing, clock, fees
from models import cashier as desk  # the fixture `cashier` is the user

D = datetime.date


@pytest.fixture
def owing(admin, supervisor, house, cashier, request):
    """3-2-1201 billed October's service fee (223.75) on 1 October, due 15 October."""
    from models import owners

    owners.add_owner(admin, house.id, name="张三", id_number="11010519491231002X", phone="13812345678")
    fees.update_item(supervisor, "service", unit_price="2.5000")
    fees.subscribe(supervisor, house.id, "service", starts=D(2026, 1, 1))
    with clock.frozen(datetime.datetime(2026, 10, 1, 9)):
        billing.post(cashier, "2026-10")
    return house


def test_a_whole_counter_payment_with_change_then_a_void(owing, cashier, supervisor, qtbot, monkeypatch,
                                                        message_boxes):
    from ui import preview
    from ui.approval import ApprovalDialog
    from ui.main_window import MainWindow

    shown = []
    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda self: shown.append(self) or 0)
    with clock.frozen(datetime.datetime(2026, 10, 20, 10)):  # 5 days late: 111.875 fen → 1.12
        w = MainWindow(cashier)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        page = w.page("counter")
        qtbot.waitUntil(lambda: page.search_box.hasFocus())
        page.search_box.setText("zs")  # 张三 by the initials
        page.run_search()
        assert page.house.id == owing.id and "3-2-1201" in page.title.text()
        assert [page.table.item(0, c).text() for c in (1, 4, 5, 6)] == ["2026-10", "223.75", "1.12", "224.87"]
        page.tendered.setText("300")
        assert "75.13" in page.change_label.text()  # 收您300.00元，找回75.13元
        qtbot.keyClick(page.tendered, Qt.Key.Key_F9)  # one key, from where the cash was typed
        [dialog] = shown
        text = PdfReader(io.BytesIO(dialog.pdf)).pages[0].extract_text()
        assert "2026-000001" in text and "人民币贰佰贰拾肆元捌角柒分" in text and "违约金" in text
        assert "300.00" in page.change_label.text() and "75.13" in page.change_label.text()
        assert page.table.rowCount() == 0  # nothing owed any more
        assert page.receipts.rowCount() == 1

        # the wrong house: the supervisor voids it with a reason and their password
        page.receipts.selectRow(0)

        def approve(dialog):
            dialog.reason.setText("收错房号")
            dialog.username.setText(supervisor.username)
            dialog.password.setText("wrong")
            dialog._save()  # refused: the dialog stays open with the message
            assert not desk.get_receipt(desk.Receipt.get().id).void
            dialog.password.setText("secret1")
            dialog._save()
            return dialog.result()

        monkeypatch.setattr(ApprovalDialog, "exec", approve)
        page.void()
    r = desk.Receipt.get()
    assert r.void and r.void_reason == "收错房号" and r.voided_by_id == supervisor.id
    assert page.table.rowCount() == 1  # the charge is open again
    assert any("password" in text.lower() or "密码" in text for kind, _, text in message_boxes)


def test_a_clerk_sees_what_is_owed_but_takes_no_money(owing, clerk, qtbot):
    from ui.counter_page import CounterPage

    with clock.frozen(datetime.datetime(2026, 10, 20, 10)):
        page = CounterPage(clerk)
        qtbot.addWidget(page)
        page.open_house(owing.id)
    assert page.table.rowCount() == 1
    assert not page.pay_button.isVisibleTo(page)


def test_a_wrong_amount_on_a_line_is_refused_and_writes_nothing(owing, cashier, qtbot, message_boxes):
    from ui.counter_page import CounterPage

    with clock.frozen(datetime.datetime(2026, 10, 10, 10)):
        page = CounterPage(cashier)
        qtbot.addWidget(page)
        page.open_house(owing.id)
        page.table.item(0, 6).setText("12.3.4")
        assert not page.pay_button.isEnabled()
        page.table.item(0, 6).setText("500")  # more than owed
        page.tendered.setText("500")
        page.pay()
    assert desk.Receipt.select().count() == 0
    assert message_boxes  # told why


def test_the_cashier_closes_the_day_against_the_drawer_and_prints_it(owing, cashier, qtbot, monkeypatch,
                                                                   message_boxes):
    from ui import preview
    from ui.day_close_page import DayClosePage

    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda self: 0)
    with clock.frozen(datetime.datetime(2026, 10, 12, 17)):
        [line] = desk.owed(cashier, owing.id)
        desk.take_payment(cashier, owing.id, [desk.Pick(line.charge.id)], "cash", tendered=30_000)
        page = DayClosePage(cashier)
        qtbot.addWidget(page)
        shown = [page.model.data(page.model.index(r, 1)) for r in range(page.model.rowCount())]
        assert "223.75" in shown and "2026-000001" in shown  # one receipt: its number alone
        page.counted.setText("220")
        page.close_day()  # short, without a word: refused next to the field
        assert page.form.rows["note"].error.text() and desk.DayClose.select().count() == 0
        page.note.setText("少收3.75元")
        page.close_day()
        assert not page.close_button.isEnabled() and desk.DayClose.select().count() == 1
        dialog = page.print_summary()
        text = PdfReader(io.BytesIO(dialog.pdf)).pages[0].extract_text()
        assert "223.75" in text and "-3.75" in text


def test_the_month_is_previewed_then_posted_once(admin, supervisor, house, cashier, qtbot, message_boxes):
    from PySide6.QtCore import QDate

    from ui.billing_page import BillingPage

    fees.update_item(supervisor, "service", unit_price="2.5000")
    fees.subscribe(supervisor, house.id, "service", starts=D(2026, 1, 1))
    with clock.frozen(datetime.datetime(2026, 11, 1, 9)):
        page = BillingPage(cashier)
        qtbot.addWidget(page)
        page.month.setDate(QDate(2026, 11, 1))
        page.preview()
        assert page.model.rowCount() == 1 and "223.75" in page.summary.text() and "2026-11-15" in page.summary.text()
        page.post()  # off the UI thread; the question is answered Yes
        assert billing.Charge.select().count() == 1
        page.preview()
        assert page.model.rowCount() == 0 and not page.post_button.isEnabled()
        assert "1" in page.summary.text()  # one posted before, left as it is


def test_the_house_statement_prints_from_the_counter(owing, cashier, qtbot, monkeypatch):
    from ui import preview
    from ui.counter_page import CounterPage

    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda self: 0)
    with clock.frozen(datetime.datetime(2026, 10, 20, 10)):
        [line] = desk.owed(cashier, owing.id)
        desk.take_payment(cashier, owing.id, [desk.Pick(line.charge.id, 10_000)], "wechat")
        page = CounterPage(cashier)
        qtbot.addWidget(page)
        page.open_house(owing.id)
        dialog = page.print_statement()
    text = PdfReader(io.BytesIO(dialog.pdf)).pages[0].extract_text()
    # 100.00 paid: 1.12 late fee first, 98.88 of the principal; 124.87 still owed
    assert "物业服务费 2026-10" in text and "223.75" in text and "98.88" in text and "124.87" in text


def test_a_house_in_arrears_opens_at_the_counter(owing, cashier, qtbot, monkeypatch):
    from ui import preview
    from ui.main_window import MainWindow

    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda self: 0)
    with clock.frozen(datetime.datetime(2026, 11, 2, 10)):
        w = MainWindow(cashier)
        qtbot.addWidget(w)
        page = w.page("arrears")
        assert page.model.rowCount() == 1 and page.model.row_object(0).owed == 22_375
        from PySide6.QtCore import QDate

        page.month.setDate(QDate(2026, 10, 1))
        assert "0.00 paid of 223.75 billed, 0.0%" in page.rate.text()
        page.view.activated.emit(page.model.index(0, 0))
        counter = w.page_by_key["counter"]
        assert w.pages.currentWidget() is counter and counter.house.id == owing.id
        dialog = page.print_list()
        assert "3-2-1201" in PdfReader(io.BytesIO(dialog.pdf)).pages[0].extract_text()


def test_a_reprint_shows_its_mark_and_is_counted_once_printed(owing, cashier, qtbot, monkeypatch, tmp_path):
    from tests.ui.test_preview import pdf_printer
    from ui import preview
    from ui.counter_page import CounterPage

    seen = []

    def print_it(dialog):
        seen.append(PdfReader(io.BytesIO(dialog.pdf)).pages[0].extract_text())
        seen.append(desk.Receipt.get().reprints)  # not yet: only previewed
        dialog.print_with(pdf_printer(tmp_path / "again.pdf"))
        return 0

    monkeypatch.setattr(preview.PreviewDialog, "exec", print_it)
    with clock.frozen(datetime.datetime(2026, 10, 12, 10)):
        [line] = desk.owed(cashier, owing.id)
        desk.take_payment(cashier, owing.id, [desk.Pick(line.charge.id)], "wechat")
        page = CounterPage(cashier)
        qtbot.addWidget(page)
        page.open_house(owing.id)
        page.receipts.selectRow(0)
        page.reprint()
    assert "补打(第1次)" in seen[0] and seen[1] == 0
    assert desk.Receipt.get().reprints == 1
    assert page.receipts.item(0, 4).text() == "Reprinted 1×"  # the list shows the count


def test_a_deposit_is_refunded_with_a_supervisor_and_a_refund_document(owing, cashier, supervisor, qtbot,
                                                                      monkeypatch):
    from ui import preview
    from ui.approval import ApprovalDialog
    from ui.counter_page import CounterPage

    shown = []
    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda self: shown.append(self) or 0)

    def approve(dialog):
        dialog.form.editor("amount").setText("1000")
        dialog.reason.setText("装修验收合格")
        dialog.username.setText(supervisor.username)
        dialog.password.setText("secret1")
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(ApprovalDialog, "exec", approve)
    with clock.frozen(datetime.datetime(2026, 10, 12, 10)):
        desk.take_payment(cashier, owing.id, [], "cash", tendered=300_000, deposit=300_000)
        page = CounterPage(cashier)
        qtbot.addWidget(page)
        page.open_house(owing.id)
        page.refund()
    r = desk.Receipt.select().where(desk.Receipt.kind == "refund").get()
    assert r.total == -100_000 and r.approved_by_id == supervisor.id
    text = PdfReader(io.BytesIO(shown[-1].pdf)).pages[0].extract_text()
    assert "退  款  单" in text and "退还押金" in text and "人民币负壹仟元整" in text
    assert desk.balances(owing.id) == {("deposit", fees.item("renovation_deposit").id): 200_000}


def test_ctrl_f_goes_back_to_the_search_and_the_last_change_leaves_with_its_house(owing, admin, cashier, qtbot,
                                                                                   monkeypatch, message_boxes):
    """After a payment the cashier presses Ctrl+F and types the next house: it lands in the
    search box, not the cash field; the change of the last payment is not shown beside the
    next house's figures."""
    from models import estate, owners
    from ui import preview
    from ui.main_window import MainWindow

    other = estate.create_house(admin, owing.unit_id, number="1202", area="60.00")
    owners.add_owner(admin, other.id, name="张四")
    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda self: 0)
    with clock.frozen(datetime.datetime(2026, 10, 20, 10)):
        w = MainWindow(cashier)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        page = w.page("counter")
        qtbot.waitUntil(lambda: page.search_box.hasFocus())
        page.search_box.setText("3-2-1201")
        page.run_search()
        page.tendered.setText("300")
        qtbot.keyClick(page.tendered, Qt.Key.Key_F9)
        assert "75.13" in page.change_label.text() and page.tendered.hasFocus()
        qtbot.keyClick(page.tendered, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        assert page.search_box.hasFocus() and page.search_box.selectedText() == "3-2-1201"
        qtbot.keyClicks(page.search_box, "zs")  # 张三 and 张四: a list to choose from
        assert page.tendered.text() == "" and page.search_box.text() == "zs"  # the 300 went on the receipt
        qtbot.keyClick(page.search_box, Qt.Key.Key_Return)
        assert page.hits.isVisible() and page.change_label.text() == ""  # the next owner is being found
        page.open_house(other.id)
        assert page.due_label.text() == "To pay: ¥0.00" and page.change_label.text() == ""
        assert page.tendered.text() == "" and page.forms_note.text() == ""


def test_a_late_fee_is_waived_at_the_counter_with_the_supervisors_password(owing, cashier, supervisor, qtbot,
                                                                           monkeypatch, message_boxes):
    from ui.approval import ApprovalDialog
    from ui.counter_page import CounterPage

    def approve(dialog):
        dialog.form.editor("amount").setText("0.50")
        dialog.reason.setText("业主住院")
        dialog.username.setText(supervisor.username)
        dialog.password.setText("wrong")
        dialog._save()  # refused: nothing waived, the dialog stays open
        assert desk.Waiver.select().count() == 0
        dialog.password.setText("secret1")
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(ApprovalDialog, "exec", approve)
    with clock.frozen(datetime.datetime(2026, 10, 20, 10)):  # 5 days late: 1.12
        page = CounterPage(cashier)
        qtbot.addWidget(page)
        page.open_house(owing.id)
        page.table.selectRow(0)
        page.waive()
        [line] = desk.owed(cashier, owing.id)
    waiver = desk.Waiver.get()
    assert waiver.amount == 50 and waiver.by_id == supervisor.id and line.late_fee == 62
