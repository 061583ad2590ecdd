"""A ladder lent to an owner: the condition checked together, the owner signs on screen with
the mouse and the signature is on the printed slip; back a day later with its condition
noted; overdue until then, on top of the front desk."""
import datetime
import io

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt

from models import clock, lending

T0 = datetime.datetime(2026, 11, 23, 10, 0)
H = datetime.timedelta(hours=1)


def sign(qtbot, pad):
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(20, 60))
    for x in range(30, 200, 10):
        qtbot.mouseMove(pad, QPoint(x, 40 + (x % 40)))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(200, 60))


@pytest.fixture
def desk(clerk, qtbot, monkeypatch):
    from ui import preview
    from ui.desk.page import DeskPage

    lending.add_item(clerk, tag="T-01", name="人字梯 2 米", note="带防滑垫")
    shown = []
    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    with clock.frozen(T0):
        page = DeskPage(clerk)
    qtbot.addWidget(page)
    page.shown = shown
    return page


def test_a_ladder_lent_with_a_signature_and_back_with_its_condition(desk, house, qtbot, monkeypatch,
                                                                   message_boxes, admin):
    from models import owners
    from ui.desk import lending as desk_lending

    owners.add_owner(admin, house.id, name="张三", id_number="11010519491231002X", phone="13812345678")
    tab = desk.items
    tab.items_view.selectRow(0)

    def fill(dialog):
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.house.setText("3-2-1201")
        dialog.fill_borrower()
        assert dialog.borrower.text() == "张三" and "防滑垫" in dialog.condition.text()
        assert dialog.phone.text() == "138****5678"  # the owner's phone, as a clerk sees it
        assert dialog.signature.pad.png() is None
        sign(qtbot, dialog.signature.pad)
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(desk_lending.LendItemDialog, "exec", fill)
    with clock.frozen(T0):
        tab.lend()
    loan = lending.ItemLoan.get()
    assert loan.borrower == "张三" and bytes(loan.signature_out).startswith(lending.PNG)
    assert loan.phone == "13812345678"  # kept in full, to call about the item
    page = PdfReader(io.BytesIO(desk.shown[-1].pdf)).pages[0]
    assert "物品借用单" in page.extract_text() and "人字梯" in page.extract_text()
    assert len(page.images) == 1  # the signature, drawn on screen, on the slip

    with clock.frozen(T0 + 26 * H):  # 1 day: due by the end of the next day
        desk.focus_search()
        assert "人字梯" not in desk.alert.text()
    with clock.frozen(T0 + 38 * H):
        desk.focus_search()
        assert "人字梯" in desk.alert.text()

        def back(dialog):
            dialog.condition.setText("一只防滑垫破损")
            dialog._save()
            return dialog.result()

        monkeypatch.setattr(desk_lending.ReturnItemDialog, "exec", back)
        tab.loans_view.selectRow(0)
        tab.take_back()
        desk.focus_search()
    assert lending.ItemLoan.get().condition_back == "一只防滑垫破损" and not desk.alert.isVisibleTo(desk)
    assert "归还时状况" in PdfReader(io.BytesIO(desk.shown[-1].pdf)).pages[0].extract_text()
