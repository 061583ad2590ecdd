"""The counter after a receipt is issued: the cash handed over is spent, so the field is
empty for the next payment and a second F9 cannot take the same amount again; the change
still shows, marked as the last payment's, until the house's charges change (a void)."""
import datetime

import pytest
from PySide6.QtCore import Qt

from models import billing, clock, fees
from models import cashier as desk  # the fixture `cashier` is the user

D = datetime.date
PAID = datetime.datetime(2026, 10, 20, 10)  # 5 days late: 223.75 + 1.12


@pytest.fixture
def owing(admin, supervisor, house, cashier):
    """3-2-1201 billed October's service fee (223.75) on 1 October, due 15 October."""
    from models import owners

    owners.add_owner(admin, house.id, name="张三")
    fees.update_item(supervisor, "service", unit_price="2.5000")
    fees.subscribe(supervisor, house.id, "service", starts=D(2026, 1, 1))
    with clock.frozen(datetime.datetime(2026, 10, 1, 9)):
        billing.post(cashier, "2026-10")
    return house


@pytest.fixture
def paid_page(owing, cashier, qtbot, monkeypatch):
    """The counter just after 300 yuan in cash paid 224.87: the receipt is issued."""
    from ui import preview
    from ui.counter_page import CounterPage

    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda self: 0)
    with clock.frozen(PAID):
        page = CounterPage(cashier)
        qtbot.addWidget(page)
        page.show()
        qtbot.waitExposed(page)
        page.open_house(owing.id)
        page.tendered.setText("300")
        qtbot.keyClick(page.tendered, Qt.Key.Key_Return)  # Enter in the cash field: the receipt
    assert desk.Receipt.select().count() == 1
    return page


def test_after_the_receipt_the_cash_field_is_empty_and_the_change_reads_as_the_last_payments(paid_page):
    page = paid_page
    assert page.tendered.text() == "" and page.prepay.text() == ""
    text = page.change_label.text()
    assert text.startswith("Last payment:") and "300.00" in text and "75.13" in text
    assert page.due_label.text() == "To pay: ¥0.00"


def test_after_a_void_neither_the_old_cash_nor_its_change_is_left_for_the_next_f9(paid_page, cashier, supervisor,
                                                                                  qtbot, monkeypatch):
    from ui.approval import ApprovalDialog

    page = paid_page

    def approve(dialog):
        dialog.reason.setText("收错房号")
        dialog.username.setText(supervisor.username)
        dialog.password.setText("secret1")
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(ApprovalDialog, "exec", approve)
    with clock.frozen(PAID):
        page.receipts.selectRow(0)
        page.void()
        assert desk.Receipt.get().void and page.table.rowCount() == 1  # owed again
        assert page.tendered.text() == "" and page.change_label.text() == ""
        assert "300" not in page.change_label.text() and "75.13" not in page.change_label.text()
        # the new cash typed shows as the change of this payment, not the last one
        page.tendered.setText("250")
        assert "25.13" in page.change_label.text() and "Last payment" not in page.change_label.text()


def test_typing_the_next_cash_replaces_the_last_change_with_this_payments(paid_page, owing, cashier):
    page = paid_page
    with clock.frozen(PAID):
        charge = billing.post_charge(cashier, owing.id, "parcel", 300)  # a parcel fee, 3 yuan
        page.refresh()  # the house's charges changed: the last change is gone
        assert page.change_label.text() == ""
        page.tendered.setText("5")
        assert "2.00" in page.change_label.text() and "Last payment" not in page.change_label.text()
        page.pay()
    r = desk.Receipt.select().order_by(desk.Receipt.id.desc()).first()
    assert r.tendered == 500 and [s.charge_id for s in desk.Settlement.select().where(
        desk.Settlement.receipt == r.id)] == [charge.id]
    assert page.tendered.text() == "" and "2.00" in page.change_label.text()
