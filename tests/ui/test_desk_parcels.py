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
    from ui.desk.parcels import ParcelsTab

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
        from ui.desk import parcels as desk_parcels

        def pay(dialog):
            assert dialog.fee == 300
            dialog.tendered.setText("5")
            dialog._save()
            return dialog.result()

        monkeypatch.setattr(desk_parcels.PickupDialog, "exec", pay)
        tab.find.setText(p.code)  # typed, or scanned from the label: straight to the pickup
        tab.run_find()
    receipt = desk.Receipt.get()
    assert receipt.total == 300 and receipt.tendered == 500
    assert parcels.Parcel.get_by_id(p.id).state == "picked_up" and tab.model.rowCount() == 0
    assert "Receipt" in tab.shown[-1].windowTitle() or receipt.number_text in tab.shown[-1].windowTitle()


def test_a_television_is_refused_and_the_refusal_recorded(tab, monkeypatch, message_boxes):
    from ui.desk import parcels as desk_parcels

    def refuse(dialog):
        dialog.reason.setText("电视机，易碎贵重")
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(desk_parcels.RefuseDialog, "exec", refuse)
    with clock.frozen(T0):
        tab.house_edit.setText("3-2-1201")
        tab.tracking.setText("JD0001")
        tab.refuse()
    [p] = parcels.Parcel.select()
    assert (p.state, p.refusal, p.tracking) == ("refused", "电视机，易碎贵重", "JD0001")
    assert tab.model.rowCount() == 0


def test_a_supervisor_waives_the_fee_in_the_pickup_dialog(tab, house, clerk, supervisor, monkeypatch,
                                                        message_boxes):
    from ui.desk import parcels as desk_parcels

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

        monkeypatch.setattr(desk_parcels.PickupDialog, "exec", waive)
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


@pytest.fixture
def clerk_tab(clerk, house, admin, qtbot, monkeypatch):
    """The front desk as wang (a clerk) sees it."""
    from ui import preview
    from ui.desk.parcels import ParcelsTab

    owners.add_owner(admin, house.id, name="张三", id_number="11010519491231002X", phone="13812345678")
    shown = []
    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    with clock.frozen(T0):
        t = ParcelsTab(clerk)
    qtbot.addWidget(t)
    t.shown = shown
    t.show()
    qtbot.waitExposed(t)
    return t


def test_the_desk_clerk_takes_the_storage_fee_herself_in_the_pickup_dialog(clerk_tab, clerk, house, monkeypatch,
                                                                           message_boxes):
    from ui.desk import parcels as desk_parcels

    with clock.frozen(T0):
        parcels.receive(clerk, house_id=house.id, tracking="SF1", shelf="A-1", safe=True)
    seen = {}

    def pay(dialog):
        save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
        seen["before"] = (dialog.waive.isChecked(), dialog.waive.isEnabled(), save.text(),
                          dialog.form.rows["tendered"].isVisibleTo(dialog))
        dialog.waive.setChecked(True)  # a waiver still needs a supervisor: the button says so
        seen["waiving"] = save.text()
        dialog.waive.setChecked(False)
        dialog.tendered.setText("5")
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(desk_parcels.PickupDialog, "exec", pay)
    with clock.frozen(T0 + 40 * H):
        clerk_tab.load()
        clerk_tab.view.selectRow(0)
        clerk_tab.pick_up()
    assert seen["before"] == (False, True, "Take the fee and hand over", True)
    assert seen["waiving"] == "Waive the fee and hand over"
    assert not any(kind == "warning" for kind, _, _ in message_boxes)  # no "wrong user name or password"
    receipt = desk.Receipt.get()
    assert (receipt.total, receipt.tendered, receipt.cashier_id) == (300, 500, clerk.id)
    assert parcels.Parcel.get().state == "picked_up" and receipt.number_text in clerk_tab.shown[-1].windowTitle()


def test_an_unknown_tracking_prefix_clears_the_courier_and_a_refusal_does_not_inherit_it(clerk_tab, qtbot,
                                                                                        monkeypatch, message_boxes):
    from ui.desk import parcels as desk_parcels

    tab = clerk_tab
    with clock.frozen(T0):
        tab.focus_first()
        tab.tracking.setText("SF1234567890")
        qtbot.keyClick(tab.tracking, Qt.Key.Key_Return)
        assert tab.courier.currentText() == "顺丰" and tab.focusWidget() is tab.house_edit
        tab.focus_first()
        tab.tracking.setText("773012345678")  # digits only: the number names no courier
        qtbot.keyClick(tab.tracking, Qt.Key.Key_Return)
        assert tab.courier.currentText() == "" and tab.focusWidget() is tab.courier  # the clerk chooses it
        tab.courier.setCurrentText("中通")
        qtbot.keyClick(tab.courier.lineEdit(), Qt.Key.Key_Return)
        assert tab.focusWidget() is tab.house_edit and tab.courier.currentText() == "中通"
        assert tab.courier.count() == len(parcels.COURIERS)  # Enter chose it, it added no courier
        tab.guess_courier()  # the number read again: the clerk's choice stays
        assert tab.courier.currentText() == "中通"
        # a refusal: the number typed over, no Enter; the last parcel's courier is not carried over
        tab.courier.setCurrentText("顺丰")
        tab.tracking.setText("XYZ0001")
        couriers = []

        def refuse(dialog):
            couriers.append(dialog.courier.text())
            return 0

        monkeypatch.setattr(desk_parcels.RefuseDialog, "exec", refuse)
        tab.refuse()
    assert couriers == [""]


def test_enter_on_the_unticked_check_says_what_is_missing_and_takes_nothing_in(clerk_tab, qtbot, message_boxes):
    tab = clerk_tab
    with clock.frozen(T0):
        tab.tracking.setText("SF1")
        tab.guess_courier()
        tab.house_edit.setText("3-2-1201")
        tab.resolve_house()
        tab.shelf.setText("A-1")
        qtbot.keyClick(tab.shelf, Qt.Key.Key_Return)
        assert tab.focusWidget() is tab.safe
        qtbot.keyClick(tab.safe, Qt.Key.Key_Return)  # not ticked
        error = tab.form.rows["safe"].error
        assert error.isVisibleTo(tab) and "fragile" in error.text() and "refuse" in error.text()
        assert parcels.Parcel.select().count() == 0 and tab.focusWidget() is tab.safe
        qtbot.keyClick(tab.safe, Qt.Key.Key_Space)
        qtbot.keyClick(tab.focusWidget(), Qt.Key.Key_Return)
    assert parcels.Parcel.select().count() == 1


def test_the_refusal_has_a_keyboard_shortcut_shown_in_its_tooltip(clerk_tab, qtbot, monkeypatch, message_boxes):
    from ui.desk import parcels as desk_parcels

    tab = clerk_tab
    assert "Ctrl+R" in tab.refuse_button.toolTip()
    opened = []
    monkeypatch.setattr(desk_parcels.RefuseDialog, "exec", lambda dialog: opened.append(dialog.tracking.text()) or 0)
    tab.activateWindow()
    qtbot.waitActive(tab)
    with clock.frozen(T0):
        tab.tracking.setFocus()
        tab.tracking.setText("JD0001")
        qtbot.keyClick(tab.tracking, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: bool(opened))  # a button's shortcut clicks it as if pressed, a moment later
    assert opened == ["JD0001"]


def test_the_owners_phone_is_filled_at_intake_and_kept_in_full(clerk_tab, clerk, house, admin, qtbot, message_boxes):
    from models import estate

    other = estate.create_house(admin, house.unit_id, number="1202", area="60.00")
    owners.add_owner(admin, other.id, name="李四", phone="13900001202")
    tab = clerk_tab
    with clock.frozen(T0):
        tab.tracking.setText("SF1")
        tab.house_edit.setText("3-2-1202")
        qtbot.keyClick(tab.house_edit, Qt.Key.Key_Return)
        assert (tab.recipient.text(), tab.phone.text()) == ("李四", "139****1202")
        tab.house_edit.setText("3-2-1201")  # the wrong house typed first: its owner's details go with it
        qtbot.keyClick(tab.house_edit, Qt.Key.Key_Return)
        assert (tab.recipient.text(), tab.phone.text()) == ("张三", "138****5678")
        tab.shelf.setText("A-1")
        tab.safe.setChecked(True)
        tab.take_in()
        p = parcels.Parcel.get()
        assert (p.recipient, p.phone) == ("张三", "13812345678")
        tab.tracking.setText("SF2")
        tab.phone.setText("13700009999")  # the clerk gives another number: it stays
        tab.house_edit.setText("3-2-1201")
        qtbot.keyClick(tab.house_edit, Qt.Key.Key_Return)
        assert tab.phone.text() == "13700009999"


def test_the_storage_fee_is_in_yuan_in_the_english_pickup_dialog(clerk_tab, clerk, house):
    from PySide6.QtWidgets import QLabel

    from ui.desk.parcels import PickupDialog

    with clock.frozen(T0):
        p = parcels.receive(clerk, house_id=house.id, tracking="SF1234567890", courier="顺丰", recipient="张三",
                            phone="13812345678", shelf="B-3", safe=True)
    with clock.frozen(T0 + 40 * H):
        dialog = PickupDialog(clerk, p, clerk_tab)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert "Storage fee: ¥3.00" in texts  # as the counter says "To pay: ¥3.00"


def test_at_1024_wide_the_intake_keeps_its_width_and_the_tracking_number_shows_whole(clerk_tab, clerk, house,
                                                                                     qtbot, message_boxes):
    tab = clerk_tab
    with clock.frozen(T0):
        for tracking in ("SF1234567890", "YD121381926785"):
            parcels.receive(clerk, house_id=house.id, tracking=tracking, courier=parcels.courier_of(tracking),
                            recipient="张三", phone="13812345678", shelf="B-3", safe=True)
        tab.load()
        tab.resize(822, 600)  # its room in a 1024 × 768 window
        qtbot.wait(20)
        intake = tab.form.parentWidget()
        width = intake.width()
        tab.tracking.setText("JD0012345678901")  # longer than any so far
        tab.guess_courier()
        tab.house_edit.setText("3-2-1201")
        tab.shelf.setText("B-3")
        tab.safe.setChecked(True)
        tab.take_in()
        qtbot.wait(20)
    assert parcels.Parcel.select().count() == 3 and "Taken in" in tab.house_label.text()
    assert intake.width() == width  # the message wraps inside the box
    view, column = tab.view, tab.model.columnCount() - 2
    assert tab.model.headerData(column, Qt.Orientation.Horizontal) == "Courier, tracking no."
    assert view.columnWidth(column) >= view.sizeHintForColumn(column)  # "京东 JD0012345678901", not "京东 …"
    assert view.columnViewportPosition(column) + view.columnWidth(column) <= view.viewport().width()


def test_a_fee_that_grew_while_the_pickup_dialog_was_open_is_shown_again_not_taken(tab, house, clerk, qtbot,
                                                                                  message_boxes):
    """Opened at 35 h 59 min showing the fee then; handed over past 36 h the fee is more:
    nothing is taken, the clerk is told, and the dialog shows the fee as it is now."""
    from models import money
    from ui.desk.parcels import PickupDialog

    with clock.frozen(T0):
        p = parcels.receive(clerk, house_id=house.id, tracking="SF9", shelf="A-1", safe=True)
    with clock.frozen(T0 + 36 * H - datetime.timedelta(minutes=1)):
        dialog = PickupDialog(clerk, parcels.get(clerk, p.id), tab)
        qtbot.addWidget(dialog)
        shown = dialog.fee
    with clock.frozen(T0 + 36 * H + datetime.timedelta(minutes=1)):
        dialog._save()
        assert dialog.result() != dialog.DialogCode.Accepted and desk.Receipt.select().count() == 0
        assert "look at it again" in message_boxes[-1][2]
        assert dialog.fee > shown and f"¥{money.fmt(dialog.fee)}" in dialog.fee_label.text()
        dialog._save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert desk.Receipt.get().total == dialog.fee
