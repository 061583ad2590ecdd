"""Scenario 4 in the window: a parcel taken in with its label printed, a television refused
and the refusal kept, and forty hours later the owner picks up by code and pays 3 yuan on
a receipt; a supervisor waives another's fee."""
import datetime
import io

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from models import cashier as desk, clock, owners, parcels

T0 = datetime.datetime(2026, 11, 20, 9, 30)
H = datetime.timedelta(hours=1)


@pytest.fixture
def tab(cashier, house, admin, qtbot, monkeypatch):
    from ui import preview
    from ui.desk_page import ParcelsTab

    owners.add_owner(admin, house.id, name="张三", id_number="11010519491231002X", phone="13812345678")
    shown = []
    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    with clock.frozen(T0):
        t = ParcelsTab(cashier)
    qtbot.addWidget(t)
    t.shown = shown
    return t


def test_a_parcel_in_with_its_label_then_out_by_code_with_the_fee(tab, house, cashier, qtbot, monkeypatch,
                                                                 message_boxes):
    tab.show()
    qtbot.waitExposed(tab)
    with clock.frozen(T0):
        tab.focus_first()  # the scan goes first; Enter (the scanner's) moves on past the courier, guessed
        tab.tracking.setText("SF1234567890")
        qtbot.keyClick(tab.tracking, Qt.Key.Key_Return)
        assert tab.courier.currentText() == "顺丰" and tab.focusWidget() is tab.house_edit
        tab.house_edit.setText("3栋2单元1201")
        qtbot.keyClick(tab.house_edit, Qt.Key.Key_Return)
        assert tab.recipient.text() == "张三" and "3-2-1201" in tab.house_label.text()
        assert tab.focusWidget() is tab.recipient
        tab.shelf.setText("b-3")
        qtbot.keyClick(tab.shelf, Qt.Key.Key_Return)
        assert tab.focusWidget() is tab.safe
        tab.take_in()  # not checked: refused next to the field, nothing written
        assert tab.form.rows["safe"].error.text() and parcels.Parcel.select().count() == 0
        qtbot.keyClick(tab.safe, Qt.Key.Key_Space)  # ticked: the take-in button has the focus
        qtbot.keyClick(tab.focusWidget(), Qt.Key.Key_Return)
    [p] = parcels.Parcel.select()
    label = PdfReader(io.BytesIO(tab.shown[-1].pdf)).pages[0].extract_text()
    assert p.code in label and "3-2-1201" in label and "B-3" in label
    assert tab.model.rowCount() == 1 and tab.house_edit.text() == "" and not tab.safe.isChecked()
    assert tab.focusWidget() is tab.tracking and tab.shelf.text() == "B-3"  # ready for the next parcel on the same shelf

    with clock.frozen(T0 + 40 * H):
        tab.load()
        assert tab.model.data(tab.model.index(0, 6)) == "3.00"
        assert tab.model.data(tab.model.index(0, 0), Qt.ItemDataRole.BackgroundRole) is not None  # past 24 h
        from ui import desk_page

        def pay(dialog):
            assert dialog.fee == 300
            dialog.tendered.setText("5")
            dialog._save()
            return dialog.result()

        monkeypatch.setattr(desk_page.PickupDialog, "exec", pay)
        tab.find.setText(p.code)  # typed, or scanned from the label: straight to the pickup
        tab.run_find()
    receipt = desk.Receipt.get()
    assert receipt.total == 300 and receipt.tendered == 500
    assert parcels.Parcel.get_by_id(p.id).state == "picked_up" and tab.model.rowCount() == 0
    assert "Receipt" in tab.shown[-1].windowTitle() or receipt.number_text in tab.shown[-1].windowTitle()


def test_a_television_is_refused_and_the_refusal_recorded(tab, monkeypatch, message_boxes):
    from ui import desk_page

    def refuse(dialog):
        dialog.reason.setText("电视机，易碎贵重")
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(desk_page.RefuseDialog, "exec", refuse)
    with clock.frozen(T0):
        tab.house_edit.setText("3-2-1201")
        tab.tracking.setText("JD0001")
        tab.refuse()
    [p] = parcels.Parcel.select()
    assert (p.state, p.refusal, p.tracking) == ("refused", "电视机，易碎贵重", "JD0001")
    assert tab.model.rowCount() == 0


def test_a_supervisor_waives_the_fee_in_the_pickup_dialog(tab, house, clerk, supervisor, monkeypatch,
                                                        message_boxes):
    from ui import desk_page

    with clock.frozen(T0):
        p = parcels.receive(clerk, house_id=house.id, tracking="YT1", shelf="A-1", safe=True)
    with clock.frozen(T0 + 130 * H):
        tab.load()
        tab.view.selectRow(0)

        def waive(dialog):
            assert dialog.fee == 1000
            dialog.waive.setChecked(True)
            dialog.waive_reason.setText("快递员投错")
            dialog.username.setText(supervisor.username)
            dialog.password.setText("wrong1")
            dialog._save()
            assert not dialog.result()
            dialog.password.setText("secret1")
            dialog._save()
            return dialog.result()

        monkeypatch.setattr(desk_page.PickupDialog, "exec", waive)
        tab.pick_up()
    got = parcels.Parcel.get_by_id(p.id)
    assert got.state == "picked_up" and got.waived_by_id == supervisor.id and desk.Receipt.select().count() == 0


def test_the_call_list_marks_the_owners_reminded_once_printed(tab, house, clerk, tmp_path, message_boxes,
                                                             monkeypatch):
    from tests.ui.test_preview import pdf_printer
    from ui import preview

    with clock.frozen(T0):
        parcels.receive(clerk, house_id=house.id, tracking="YT2", shelf="A-1", safe=True, phone="13812345678")
    seen = {}

    def look_and_print(dialog):
        seen["text"] = PdfReader(io.BytesIO(dialog.pdf)).pages[0].extract_text()
        seen["before"] = parcels.Parcel.get().called_at
        return dialog.print_with(pdf_printer(tmp_path / "calls.pdf")) and 0

    monkeypatch.setattr(preview.PreviewDialog, "exec", look_and_print)
    with clock.frozen(T0 + 30 * H):
        tab.load()
        tab.call_list()
    assert "3-2-1201" in seen["text"] and "2.00" in seen["text"] and seen["before"] is None
    assert len(PdfReader(tmp_path / "calls.pdf").pages) == 1
    assert parcels.Parcel.get().called_at == T0 + 30 * H


def test_a_houses_parcels_list_its_history_with_who_picked_up(tab, house, clerk, message_boxes):
    with clock.frozen(T0):
        first = parcels.receive(clerk, house_id=house.id, tracking="SF100", shelf="A-1", safe=True)
        parcels.receive(clerk, house_id=house.id, tracking="SF200", shelf="B-2", safe=True)
        parcels.refuse(clerk, tracking="JD300", reason="冰箱，太大", house_id=house.id)
    with clock.frozen(T0 + 2 * H):
        parcels.pick_up(clerk, first.id, proxy_name="李四", proxy_id_number="11010519491231002X")
        tab.find.setText("3-2-1201")
        dialog = tab.house_history()
    text = PdfReader(io.BytesIO(dialog.pdf)).pages[0].extract_text()
    for seen in ("3-2-1201", "SF100", "SF200", "JD300", "李四", "冰箱，太大"):
        assert seen in text, seen
    tab.find.setText("9-9-9999")
    assert tab.house_history() is None and "9-9-9999" in message_boxes[-1][2]
