"""The form designer driven as the office's IT clerk drives it: the scan of the stock laid
under the paper at its true size, a field moved with the mouse, nudged with the arrow keys
and typed in mm, undone and redone, saved and chosen for this PC; a receipt printed to the
real print queue lands its value exactly where the field was put."""
import datetime
import os
import time

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPointF, Qt

from models import billing, cashier as desk, clock, templates
from tests.data.stock import stock
from tests.ui.test_print_queue import QUEUE, arrived, queue_printer

MM = 72 / 25.4


@pytest.fixture
def opened():
    """The designers a test opened: at its end their changes are let go without the
    question closing them would ask."""
    found = []
    yield found
    for d in found:
        d.undo.setClean()


def designer_of(admin, qtbot, opened):
    from ui.settings_page import SettingsPage

    page = SettingsPage(admin)
    qtbot.addWidget(page)
    d = page.design_template(exec_dialog=False)
    qtbot.addWidget(d)
    opened.append(d)
    d.show()
    qtbot.waitExposed(d)
    d.activateWindow()
    qtbot.waitUntil(lambda: d.sheet.hasFocus())  # the paper takes the keys (its window active)
    return page, d


def field(d, name):
    [item] = [i for i in d.template.items if i.kind == "field" and i.name == name]
    return item


def test_the_scan_lies_under_the_paper_at_its_true_size_and_fields_move_by_mouse_keys_and_typing(
        admin, qtbot, message_boxes, opened):
    from PySide6.QtWidgets import QGraphicsPixmapItem

    _page, d = designer_of(admin, qtbot, opened)
    assert (d.template.width, d.template.height) == (241, 93.1)  # this PC's paper: the third-height form
    assert d.choose_background(str(stock.SCAN))
    [scan] = [i for i in d.scene.items() if isinstance(i, QGraphicsPixmapItem)]
    where = scan.sceneBoundingRect()
    assert (round(where.width(), 2), round(where.height(), 2)) == (241, 93.1) and (where.x(), where.y()) == (0, 0)

    # the mouse: the payer's box dragged 10 mm right and 5 mm down
    payer = field(d, "payer")
    box = d.boxes[d.key_of_field("payer")]
    view = d.sheet.viewport()
    start = d.sheet.mapFromScene(QPointF(payer.x + payer.w / 2, payer.y + payer.h / 2))
    end = d.sheet.mapFromScene(QPointF(payer.x + payer.w / 2 + 10, payer.y + payer.h / 2 + 5))
    drag(view, start, end)
    moved = field(d, "payer")
    assert moved.x == pytest.approx(payer.x + 10, abs=0.6) and moved.y == pytest.approx(payer.y + 5, abs=0.6)
    assert d.boxes[d.key_of_field("payer")].isSelected() and box is not None

    # the keys: the house's box 4 × 0.5 mm right, one up; Shift+Right a little wider
    house = field(d, "house")
    d.choose_field("house")
    for _ in range(4):
        qtbot.keyClick(d.sheet, Qt.Key.Key_Right)
    qtbot.keyClick(d.sheet, Qt.Key.Key_Up)
    qtbot.keyClick(d.sheet, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    now = field(d, "house")
    assert (now.x, now.y, now.w) == (house.x + 2.0, round(house.y - 0.5, 1), house.w + 0.5)
    assert d.x.value() == now.x and f"{now.x:.1f} mm" in d.where.text() or f"{now.x:.1f}" in d.where.text()

    # typed: the left edge at 30.5 mm
    d.x.lineEdit().setText("30.5")
    qtbot.keyClick(d.x, Qt.Key.Key_Return)
    assert field(d, "house").x == 30.5

    # undone back to where the keys left it, and redone
    qtbot.keyClick(d.sheet, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert field(d, "house").x == house.x + 2.0
    qtbot.keyClick(d.sheet, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert field(d, "house").x == 30.5

    # a value taken off the form, and put back in the middle to be placed
    d.field_ticked(_row(d, "number", Qt.CheckState.Unchecked))
    assert "number" not in d.template.fields()
    d.field_ticked(_row(d, "number", Qt.CheckState.Checked))
    assert "number" in d.template.fields()


def drag(widget, start, end, steps: int = 8) -> None:
    """The left button pressed at `start`, held while the mouse goes to `end`, let go
    (QTest's mouseMove carries no button: a drag needs the events themselves)."""
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton

    def send(kind, at: QPoint, button, buttons):
        local = QPointF(at)
        event = QMouseEvent(kind, local, QPointF(widget.mapToGlobal(at)), button, buttons,
                            Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(widget, event)

    send(QEvent.Type.MouseButtonPress, start, left, left)
    for n in range(1, steps + 1):
        at = QPoint(start.x() + (end.x() - start.x()) * n // steps, start.y() + (end.y() - start.y()) * n // steps)
        send(QEvent.Type.MouseMove, at, none, left)
    send(QEvent.Type.MouseButtonRelease, end, left, none)


def _row(d, name, state):
    for n in range(d.contents.count()):
        row = d.contents.item(n)
        if row.data(Qt.ItemDataRole.UserRole) == name:
            d.contents.blockSignals(True)
            row.setCheckState(state)
            d.contents.blockSignals(False)
            return row
    raise AssertionError(name)


def test_a_box_put_off_the_paper_or_too_small_for_its_value_is_refused_at_the_preview(admin, qtbot, message_boxes,
                                                                                      opened):
    _page, d = designer_of(admin, qtbot, opened)
    d.choose_field("house")
    d.x.lineEdit().setText("235")
    qtbot.keyClick(d.x, Qt.Key.Key_Return)
    assert d.preview(exec_dialog=False) is None
    [(_kind, _title, text)] = message_boxes
    assert "房号" in text or "House" in text
    message_boxes.clear()
    d.undo.undo()
    d.choose_field("payer")
    d.w.lineEdit().setText("6")
    qtbot.keyClick(d.w, Qt.Key.Key_Return)
    d.smallest.lineEdit().setText("9")
    qtbot.keyClick(d.smallest, Qt.Key.Key_Return)
    assert d.preview(exec_dialog=False) is None  # 交款人 张三 in 6 mm at 9 pt: does not fit
    [(_kind, _title, text)] = message_boxes
    assert "交款人" in text or "Paid by" in text
    message_boxes.clear()
    d.undo.undo()
    d.undo.undo()
    dialog = d.preview(exec_dialog=False)
    assert dialog is not None and message_boxes == []
    dialog.close()
    grid = d.test_print(exec_dialog=False)
    assert grid is not None and len(grid.pdf) > len(dialog.pdf)  # the grid and outlines besides
    grid.close()


@pytest.mark.skipif(not QUEUE, reason="no test print queue: bootstrap sets one up on Debian as root")
def test_a_field_placed_in_the_designer_prints_there_through_the_real_queue(admin, house, cashier, qtbot,
                                                                           message_boxes, opened):
    from ui import prefs
    from ui.preview import PreviewDialog
    from ui.receipts import receipt_pdf

    page, d = designer_of(admin, qtbot, opened)
    d.choose_background(str(stock.SCAN))
    d.choose_field("house")
    d.x.lineEdit().setText("42.5")
    qtbot.keyClick(d.x, Qt.Key.Key_Return)
    d.y.lineEdit().setText("30")
    qtbot.keyClick(d.y, Qt.Key.Key_Return)
    d.name.setText("翠湖三联收据")
    assert d.save()
    assert templates.names("receipt") == ["翠湖三联收据"] and prefs.get("receipt/template") == "翠湖三联收据"
    assert page.receipt_template.currentText() == "翠湖三联收据"
    d.close()
    page.data_only.setChecked(True)
    prefs.set("receipt/carbonless", True)

    with clock.frozen(datetime.datetime(2026, 11, 10, 10, 0)):
        charge = billing.post_charge(cashier, house.id, "parcel", 500, description="SF0001")
        r = desk.take_payment(cashier, house.id, [desk.Pick(charge.id)], "cash", tendered=500, payer="张三")
    dialog = PreviewDialog(receipt_pdf(r), "receipt")
    qtbot.addWidget(dialog)
    job = f"estatedesk-designer-{os.getpid()}-{time.time_ns()}"
    assert dialog.print_with(queue_printer(job))
    queued = PdfReader(str(arrived(job))).pages[0]
    seen = {}

    def visit(text, cm, tm, _font, size):
        if "3-2-1201" in text and "x" not in seen:
            seen["x"] = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            seen["y"] = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            seen["size"] = size * abs(cm[3] * tm[3] or 1)

    text = queued.extract_text(visitor_text=visit)
    assert "3-2-1201" in text and "房号" not in text  # the value alone: the stock has 房号 printed
    assert seen["x"] / MM == pytest.approx(42.5, abs=0.3)  # the left edge, where it was typed
    height = float(queued.mediabox.height)
    assert height / MM == pytest.approx(93.1, abs=1)
    assert (height - seen["y"]) / MM == pytest.approx(30 + 5.5 / 2 + 1.2, abs=1.5)  # in its box 30 mm down


def test_words_of_the_offices_own_print_on_plain_paper_only_and_delete_takes_a_box_off(admin, qtbot, message_boxes,
                                                                                       opened):
    from tests.printing import geometry

    _page, d = designer_of(admin, qtbot, opened)
    assert d.add_words("本收据盖章有效")
    [words] = [i for i in d.template.items if i.kind == "text" and i.text == "本收据盖章有效"]
    assert 0 <= words.x and words.x + words.w <= d.template.width
    d.data_only.setChecked(False)
    assert d.preview(exec_dialog=False) is None  # put in the middle, over the charge lines: refused
    message_boxes.clear()
    for spin, value in ((d.y, "0.5"), (d.h, "5")):  # placed above the letterhead
        spin.lineEdit().setText(value)
        qtbot.keyClick(spin, Qt.Key.Key_Return)
    d.data_only.setChecked(False)
    plain = d.preview(exec_dialog=False)
    assert geometry.read(plain.pdf).find("本收据盖章有效")
    plain.close()
    d.data_only.setChecked(True)
    data = d.preview(exec_dialog=False)
    assert not geometry.read(data.pdf).find("本收据盖章有效")
    data.close()
    qtbot.keyClick(d.sheet, Qt.Key.Key_Delete)  # the words are chosen: Delete takes them off
    assert not [i for i in d.template.items if i.kind == "text" and i.text == "本收据盖章有效"]
    d.undo.undo()
    assert [i for i in d.template.items if i.kind == "text" and i.text == "本收据盖章有效"]


def test_escape_asks_before_the_changes_are_lost_and_undo_chooses_the_box_it_gives_back(admin, qtbot, message_boxes,
                                                                                        opened, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    _page, d = designer_of(admin, qtbot, opened)
    date = field(d, "date")
    d.choose_field("date")
    qtbot.keyClick(d.sheet, Qt.Key.Key_Delete)  # the date taken off the form
    assert "date" not in d.template.fields()
    d.choose_field("payer")
    d.undo.undo()  # the date comes back, and it is the box chosen: the arrows move it, not another
    assert field(d, "date") == date and d.current_key == d.key_of_field("date")
    qtbot.keyClick(d.sheet, Qt.Key.Key_Right)
    assert field(d, "date").x == date.x + 0.5
    # Esc with the change unsaved: asked; Cancel keeps the designer open with the change
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(d.sheet, Qt.Key.Key_Escape)
    assert d.isVisible() and field(d, "date").x == date.x + 0.5
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    qtbot.keyClick(d.sheet, Qt.Key.Key_Escape)
    assert not d.isVisible() and templates.names("receipt") == []


def test_a_zoom_stays_while_boxes_are_moved(admin, qtbot, message_boxes, opened):
    _page, d = designer_of(admin, qtbot, opened)
    d.sheet.scale(3, 3)
    zoom = d.sheet.transform().m11()
    d.choose_field("house")
    qtbot.keyClick(d.sheet, Qt.Key.Key_Down)
    assert d.sheet.transform().m11() == zoom


def test_a_column_of_the_charge_lines_is_set_to_the_stocks_own_column_lines(admin, qtbot, message_boxes, opened):
    from tests.printing import geometry

    _page, d = designer_of(admin, qtbot, opened)
    d.scene.clearSelection()
    d.boxes[("table",)].setSelected(True)
    assert d.current_key == ("table",) and d.column.isEnabled()
    d.column.setCurrentIndex(d.column.findData("amount"))
    d.col_x.lineEdit().setText("190")
    qtbot.keyClick(d.col_x, Qt.Key.Key_Return)
    d.col_w.lineEdit().setText("35.5")
    qtbot.keyClick(d.col_w, Qt.Key.Key_Return)
    [amount] = [c for c in d.template.table.columns if c.name == "amount"]
    assert (amount.x, amount.w) == (190, 35.5)
    others = {c.name: (c.x, c.w) for c in d.template.table.columns if c.name != "amount"}
    assert others == {c.name: (c.x, c.w) for c in receipt_default().table.columns if c.name != "amount"}
    dialog = d.preview(exec_dialog=False)
    page = geometry.read(dialog.pdf)
    dialog.close()
    run = page.one("223.08")  # the amount column is right-aligned: its right edge at 190 + 35.5 − 1 mm
    assert run.box.x1 / geometry.MM == pytest.approx(190 + 35.5 - 1, abs=0.05)
    d.undo.undo()
    d.undo.undo()
    assert [c for c in d.template.table.columns if c.name == "amount"][0] == \
        [c for c in receipt_default().table.columns if c.name == "amount"][0]


def receipt_default():
    from printing import receipt

    return receipt.default_template("CONT_THIRD")


def test_a_box_dragged_over_another_is_refused_at_the_preview_naming_both(admin, qtbot, message_boxes, opened):
    _page, d = designer_of(admin, qtbot, opened)
    payer = field(d, "payer")
    d.choose_field("house")
    d.x.lineEdit().setText(f"{payer.x - 8:.1f}")
    qtbot.keyClick(d.x, Qt.Key.Key_Return)
    assert d.preview(exec_dialog=False) is None
    [(_kind, _title, text)] = message_boxes
    assert ("房屋" in text and "交款人" in text) or ("House" in text and "Paid by" in text)
