"""The meter grid (抄表) as a clerk types into it: Enter moves to the next house, usage shows
as typed, a reading lower than last month is red and blocks the save, a rolled-over meter is
marked and saved; and the Excel import with its problem report."""
import datetime

import openpyxl
import pytest
from PySide6.QtCore import QDate, Qt

from models import clock, estate, fees, meters
from models.meters import Entry

D = datetime.date


@pytest.fixture
def block(admin, supervisor, cashier):
    fees.update_item(supervisor, "water", unit_price="3.10")
    b = estate.create_building(admin, "5", name="5栋")
    u = estate.create_unit(admin, b.id, "1")
    subs = []
    for number in ("101", "102", "201"):
        h = estate.create_house(admin, u.id, number=number, area="90.00", state="owner_occupied")
        subs.append(fees.subscribe(supervisor, h.id, "water", starts=D(2026, 1, 1)).id)
    with clock.frozen(datetime.datetime(2026, 11, 2, 9)):
        meters.save(cashier, "2026-10", [Entry(subs[0], 500), Entry(subs[1], 300), Entry(subs[2], 99_990)])
    return subs


@pytest.fixture
def page(cashier, block, qtbot):
    from ui.meters_page import MetersPage

    with clock.frozen(datetime.datetime(2026, 11, 30, 16)):
        p = MetersPage(cashier)
    qtbot.addWidget(p)
    p.show()
    qtbot.waitExposed(p)
    return p


def type_reading(qtbot, page, text):
    view = page.view
    view.setFocus()
    qtbot.keyClicks(view, text[0])  # the first key opens the editor on the current cell
    editor = view.focusWidget()
    qtbot.keyClicks(editor, text[1:])
    enter(qtbot, editor)


def enter(qtbot, editor):
    """Enter in a reading: committed and closed on a later turn of the event loop, then the
    next house's editor opens (if there is one)."""
    view = editor.parent().parent()
    row = view.currentIndex().row()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    last = all(not (view.model().flags(view.model().index(r, 3)) & Qt.ItemFlag.ItemIsEditable)
               for r in range(row + 1, view.model().rowCount()))
    if last:
        qtbot.waitUntil(lambda: view.focusWidget() is not editor)
    else:
        qtbot.waitUntil(lambda: view.currentIndex().row() > row and view.focusWidget() is not editor)


def test_a_clerk_types_a_buildings_readings_and_saves_them(page, qtbot, message_boxes, cashier):
    assert page.period == "2026-11" and page.model.rowCount() == 3
    assert page.view.currentIndex().row() == 0 and page.view.currentIndex().column() == 3
    type_reading(qtbot, page, "512")
    # Enter moved to the next house with its editor open
    assert page.view.currentIndex().row() == 1
    qtbot.keyClicks(page.view.focusWidget(), "290")
    enter(qtbot, page.view.focusWidget())
    qtbot.keyClicks(page.view.focusWidget(), "12")
    enter(qtbot, page.view.focusWidget())
    m = page.model
    assert m.data(m.index(0, 4)) == "12"  # usage as typed
    assert m.data(m.index(1, 4)) == "-10" and "300" in m.data(m.index(1, 7))
    assert m.data(m.index(1, 0), Qt.ItemDataRole.BackgroundRole).name() == "#f8d7d3"  # red
    assert "correct" in page.summary.text() or "2" in page.summary.text()
    page.save()
    assert message_boxes and message_boxes[-1][0] == "warning"
    assert "Nothing was saved: 2 reading" in message_boxes[-1][2]  # counted with %n: "1 reading", "2 readings"
    assert meters.Reading.select().where(meters.Reading.period == "2026-11").count() == 0  # all or nothing

    # 102 was misread: 310. 201's meter went past 99,999: mark it rolled over
    page.view.setCurrentIndex(m.index(1, 3))
    type_reading(qtbot, page, "310")
    page.view.setCurrentIndex(m.index(2, 3))
    page.mark_rollover()
    assert m.data(m.index(2, 4)) == "22" and m.data(m.index(2, 0), Qt.ItemDataRole.BackgroundRole).name() != "#f8d7d3"
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = {r.reading: (r.usage, r.status) for r in meters.Reading.select().where(meters.Reading.period == "2026-11")}
    assert saved == {512: (12, "normal"), 310: (10, "normal"), 12: (22, "rollover")}
    assert page.model.pending() == [] and "3 of 3" in page.summary.text()


def test_usage_follows_each_key_and_letters_are_not_taken(page, qtbot):
    view, m = page.view, page.model
    view.setFocus()
    qtbot.keyClicks(view, "5")
    editor = view.focusWidget()
    assert m.data(m.index(0, 4)) == "-495"  # 5 against last month's 500, before Enter
    qtbot.keyClicks(editor, "0x9")  # the letter is refused by the field
    assert editor.text() == "509" and m.data(m.index(0, 4)) == "9"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # given up: nothing kept
    qtbot.wait(20)
    assert m.data(m.index(0, 4)) == "" and m.pending() == []


def test_ctrl_s_takes_the_reading_still_being_typed(page, qtbot):
    page.view.setFocus()
    qtbot.keyClicks(page.view, "5")
    qtbot.keyClicks(page.view.focusWidget(), "07")  # no Enter
    qtbot.keyClick(page.view.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert [(r.reading, r.usage) for r in meters.Reading.select().where(meters.Reading.period == "2026-11")] == [
        (507, 7)]


def test_leaving_the_month_with_unsaved_readings_asks_first(page, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    type_reading(qtbot, page, "520")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    page.month.setDate(QDate(2026, 12, 1))
    qtbot.waitUntil(lambda: not page.month_timer.isActive())
    assert page.period == "2026-11" and len(page.model.pending()) == 1  # stayed, the reading kept
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    page.month.setDate(QDate(2027, 1, 1))  # typed: it passes through other months first
    page.month.setDate(QDate(2026, 12, 1))
    qtbot.waitUntil(lambda: not page.month_timer.isActive())
    assert page.period == "2026-12" and page.shown_period() == "2026-12"
    # saved with the month it was typed for, not the month moved to
    assert [(r.period, r.reading) for r in meters.Reading.select().where(meters.Reading.reading == 520)] == [
        ("2026-11", 520)]


def test_an_excel_sheet_with_problems_is_reported_and_not_imported(page, qtbot, monkeypatch, tmp_path,
                                                                   message_boxes):
    from ui import meters_page

    book = openpyxl.Workbook()
    book.active.append(["房号", "本月读数"])
    book.active.append(["5-1-101", 510])
    book.active.append(["5-1-102", 250])
    book.save(tmp_path / "r.xlsx")
    seen = []

    def fake_exec(dialog):
        seen.append(dialog)
        return 1

    monkeypatch.setattr(meters_page.ImportReportDialog, "exec", fake_exec)
    page.import_file(str(tmp_path / "r.xlsx"))
    assert len(seen) == 1 and meters.Reading.select().where(meters.Reading.period == "2026-11").count() == 0
    book.active["B3"] = 305
    book.save(tmp_path / "r.xlsx")
    page.import_file(str(tmp_path / "r.xlsx"))
    assert meters.Reading.select().where(meters.Reading.period == "2026-11").count() == 2
    assert page.model.data(page.model.index(0, 3)) == "510"
    assert "Imported 2" in message_boxes[-1][2]


def test_a_shared_total_is_entered_on_the_billing_page_and_previewed(admin, supervisor, cashier, block, qtbot,
                                                                     message_boxes):
    from ui.billing_page import BillingPage, SharedTotalDialog

    for sub in list(fees.Subscription.select()):
        fees.subscribe(supervisor, sub.house_id, "shared", starts=D(2026, 1, 1))
    with clock.frozen(datetime.datetime(2026, 11, 30, 16)):
        page = BillingPage(cashier)
        qtbot.addWidget(page)
        d = SharedTotalDialog(cashier, page.period, page)
        qtbot.addWidget(d)
        d.total.setText("100.001")  # three decimals: refused by the field
        d._save()
        assert d.form.rows["total"].error.text() and meters.SharedTotal.select().count() == 0
        d.total.setText("100")
        d.where.setCurrentIndex(1)  # building 5
        d._save()
        share = meters.SharedTotal.get()
        assert (share.total, share.basis, share.building_id is not None) == (10_000, "area", True)
        page.preview()
    shared = [c for c in page.plan.charges if c.source == "shared"]
    assert sorted(c.amount for c in shared) == [3333, 3333, 3334]
    assert "3 from shared totals" in page.summary.text() and "3 from meter readings" in page.summary.text()


def test_the_grid_takes_the_keyboard_when_the_page_opens(cashier, block, qtbot):
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    with clock.frozen(datetime.datetime(2026, 11, 30, 16)):
        w = MainWindow(cashier)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        page = w.page("meters")
        qtbot.waitUntil(lambda: QApplication.focusWidget() is page.view)
    assert page.view.currentIndex().column() == 3  # a digit typed now starts the first reading


def test_readings_and_billing_open_on_the_month_not_billed_yet(cashier, supervisor, block, qtbot, message_boxes):
    """October billed, November never: on 2 December both pages open on November; December
    takes no readings and is not billed until November is, and the pages say why."""
    from models import billing
    from ui.billing_page import BillingPage
    from ui.meters_page import MetersPage

    fees.update_item(supervisor, "service", unit_price="2.5000")
    for sub in list(fees.Subscription.select()):
        fees.subscribe(supervisor, sub.house_id, "service", starts=D(2026, 1, 1))
    with clock.frozen(datetime.datetime(2026, 10, 1, 9)):
        billing.post(cashier, "2026-10")
    with clock.frozen(datetime.datetime(2026, 12, 2, 9)):
        page = MetersPage(cashier)
        qtbot.addWidget(page)
        page.show()
        qtbot.waitExposed(page)
        bills = BillingPage(cashier)
        qtbot.addWidget(bills)
        assert page.period == "2026-11" and bills.period == "2026-11"
        assert page.order_note.isHidden()
        page.month.setDate(QDate(2026, 12, 1))
        qtbot.waitUntil(lambda: page.shown_period() == "2026-12")
        assert page.order_note.isVisible() and "2026-11 is not billed yet" in page.order_note.text()
        type_reading(qtbot, page, "510")
        assert not page.save()
        assert meters.Reading.select().where(meters.Reading.period == "2026-12").count() == 0
        assert "2026-11 is not billed yet" in message_boxes[-1][2]
        bills.month.setDate(QDate(2026, 12, 1))
        bills.preview()
        assert "2026-11 is not billed yet" in message_boxes[-1][2] and not bills.post_button.isEnabled()


def test_the_editable_meter_grid_passes_the_model_tester(page, qtbot, qtmodeltester):
    """Qt's own checks of a model (rows, columns, parents, data roles), typed into as well."""
    qtmodeltester.check(page.model)
    type_reading(qtbot, page, "512")
    assert page.model.data(page.model.index(0, 4)) == "12"
    qtmodeltester.check(page.model)
