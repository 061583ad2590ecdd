"""Scenario 6 in the window: a leak reported by phone is taken in within the minute (the
dispatch clock shows), dispatched with the work order printed, completed with its leak test
and a paid part, visited, found still dripping and reopened to the same technician."""
import datetime
import io

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from models import billing, clock, handbook, owners, repairs

T0 = datetime.datetime(2026, 11, 23, 9, 0)  # Monday
M = datetime.timedelta(minutes=1)
H = datetime.timedelta(hours=1)


@pytest.fixture
def tab(clerk, supervisor, house, admin, qtbot, monkeypatch):
    from ui import preview
    from ui.service.repairs import RepairsTab

    owners.add_owner(admin, house.id, name="张三", phone="13812345678")
    repairs.save_technician(supervisor, name="刘师傅", trade="水电")
    handbook.save_price(supervisor, name="更换角阀", price="25", unit="个", category="水电维修")
    shown = []
    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    with clock.frozen(T0):
        t = RepairsTab(clerk)
    qtbot.addWidget(t)
    t.shown = shown
    return t


def test_a_leak_from_intake_to_rework_after_the_return_visit(tab, house, qtbot, monkeypatch, message_boxes):
    from ui import kit
    from ui.service import repairs as service_repairs

    with clock.frozen(T0):
        tab.what.setText("卫生间顶棚滴水")
        tab.take_in()  # no reporter, no place: refused by the fields, nothing written
        assert tab.form.rows["reporter"].error.text() and repairs.Repair.select().count() == 0
        tab.house_edit.setText("3-2-1201")
        qtbot.keyClick(tab.house_edit, Qt.Key.Key_Return)
        assert tab.reporter.text() == "张三"
        tab.place.setText("卫生间")
        tab.what.textEdited.emit(tab.what.text())  # as typed: the category follows the words
        assert tab.category.currentData() == "leak"
        qtbot.keyClick(tab.what, Qt.Key.Key_Return)  # Enter on the last field takes it in
    [r] = repairs.Repair.select()
    assert (r.number_text, r.category, r.reporter) == ("WX2026-0001", "leak", "张三")
    assert "09:10" in tab.taken.text() and tab.model.rowCount() == 1
    with clock.frozen(T0 + 7 * M):
        tab.tick()
        assert tab.model.data(tab.model.index(0, 1)) == "3 min left"
    with clock.frozen(T0 + 12 * M):
        tab.tick()
        assert tab.model.data(tab.model.index(0, 1)) == "2 min overdue"
        assert tab.model.data(tab.model.index(0, 0), Qt.ItemDataRole.BackgroundRole) is not None

        def dispatch(dialog):
            dialog.appointment.setDateTime(kit.qdatetime(T0 + 2 * H))
            dialog._save()
            return dialog.result()

        monkeypatch.setattr(service_repairs.DispatchDialog, "exec", dispatch)
        tab.view.selectRow(0)
        order = tab.dispatch()
    text = PdfReader(io.BytesIO(order.pdf)).pages[0].extract_text()
    for seen in ("维修派工单", "WX2026-0001", "卫生间顶棚滴水", "刘师傅", "业主签字", "11:00"):
        assert seen in text, seen

    def complete(dialog):
        dialog._save()  # a leak needs its leak test time: it is there, at now, by default
        assert dialog.result()
        return dialog.result()

    with clock.frozen(T0 + 90 * M):
        tab.view.selectRow(0)

        def complete_with_part(dialog):
            dialog.materials.setText("角阀 1个")
            dialog.quantities[0].setValue(1)
            return complete(dialog)

        monkeypatch.setattr(service_repairs.CompleteDialog, "exec", complete_with_part)
        tab.complete()
    got = repairs.Repair.get_by_id(r.id)
    assert got.state == "done" and got.visit_due == datetime.datetime(2026, 11, 26, 23, 59, 59)
    assert billing.Charge.get().amount == 2500

    def still_dripping(dialog):
        dialog.result_box.setCurrentIndex(dialog.result_box.findData("problem"))
        dialog._save()  # say what is wrong
        assert not dialog.result()
        dialog.note.setText("仍有渗水")
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(service_repairs.VisitDialog, "exec", still_dripping)
    with clock.frozen(T0 + 26 * H):
        tab.load()
        tab.view.selectRow(0)
        tab.visit()
        again = repairs.Repair.get_by_id(r.id)
        assert (again.state, again.reworks, again.technician.name) == ("waiting", 1, "刘师傅")
        assert "rework 1" in tab.model.data(tab.model.index(0, 6))


def test_the_months_figures_print_against_the_targets(tab, clerk, supervisor, house, message_boxes):
    tech = repairs.Technician.get()
    with clock.frozen(T0):
        r = repairs.report(clerk, house_id=house.id, reporter="张三", what="灯不亮", category="electric")
    with clock.frozen(T0 + M):
        repairs.dispatch(clerk, r.id, tech.id, T0 + H)
    with clock.frozen(T0 + 2 * H):
        repairs.complete(clerk, r.id)  # an hour late
        dialog = tab.figures("2026-11")
    text = PdfReader(io.BytesIO(dialog.pdf)).pages[0].extract_text()
    assert "All repairs" in text and "Technician 刘师傅" in text and "0.0 %" in text and "95 %" in text
    assert tab.figures("十一月") is None and "2026-11" in message_boxes[-1][2]


def test_a_supervisor_keeps_the_technicians_list(supervisor, qtbot, monkeypatch, message_boxes):
    from ui import kit
    from ui.service import repairs as service_repairs

    repairs.save_technician(supervisor, name="刘师傅", trade="水电")
    tab = service_repairs.RepairsTab(supervisor)
    qtbot.addWidget(tab)

    def add(dialog):
        dialog.name.setText("陈师傅")
        dialog.trade.setText("木工")
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(service_repairs.TechnicianDialog, "exec", add)
    tab.technicians()

    def retire(dialog):
        dialog.which.setCurrentIndex(dialog.which.findText("刘师傅"))
        assert dialog.trade.text() == "水电"
        dialog.active.setChecked(False)
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(service_repairs.TechnicianDialog, "exec", retire)
    tab.technicians()
    assert [t.name for t in repairs.technicians()] == ["陈师傅"]
    assert repairs.Technician.select().count() == 2


def test_the_time_left_shows_at_1024_pixels_wide_with_the_description_taking_the_rest(clerk, house, qtbot,
                                                                                     message_boxes):
    from ui.service.page import ServicePage

    with clock.frozen(T0):
        for what in ("卫生间顶棚滴水，楼下住户天花板已经渗出水渍，需要尽快上门查看处理", "客厅灯不亮"):
            repairs.report(clerk, house_id=house.id, reporter="张三", place="卫生间", what=what, category="leak")
        page = ServicePage(clerk)
        qtbot.addWidget(page)
        page.resize(1024 - 164, 700)  # what the page gets in a 1024 px window, beside the navigation
        page.show()
        tab = page.repairs
        qtbot.wait(20)
        tab.load()
        qtbot.wait(20)
        model, view, header = tab.model, tab.view, tab.view.horizontalHeader()
        [left] = [n for n in range(model.columnCount()) if model.headerData(n, Qt.Orientation.Horizontal) == "Time left"]
        [what] = [n for n in range(model.columnCount()) if model.headerData(n, Qt.Orientation.Horizontal) == "What"]
        text = model.data(model.index(0, left))
        assert text == "10 min left"
        # the time left whole on the screen, whatever the other columns need
        assert header.sectionViewportPosition(left) + header.sectionSize(left) <= view.viewport().width()
        assert header.sectionSize(left) >= view.fontMetrics().horizontalAdvance(text)
        # the long description gives way first (the last column does not stretch)
        assert header.sectionSize(what) < view.fontMetrics().horizontalAdvance(model.data(model.index(0, what)))
        before = [header.sectionSize(n) for n in range(model.columnCount())]
        page.resize(1900, 1000)  # a large screen: the description alone takes the room
        qtbot.wait(20)
        after = [header.sectionSize(n) for n in range(model.columnCount())]
        assert after[what] > before[what] and header.length() == view.viewport().width()
        assert [x for n, x in enumerate(after) if n != what] == [x for n, x in enumerate(before) if n != what]
        tab.load()  # fitted again after a refresh
        qtbot.wait(10)
        assert header.length() == view.viewport().width()


def test_the_owners_phone_is_filled_at_intake_and_printed_on_the_work_order(tab, house, admin, qtbot, monkeypatch,
                                                                           message_boxes):
    from ui import kit
    from ui.service import repairs as service_repairs

    with clock.frozen(T0):
        tab.house_edit.setText("3-2-1201")
        qtbot.keyClick(tab.house_edit, Qt.Key.Key_Return)
        assert (tab.reporter.text(), tab.phone.text()) == ("张三", "138****5678")  # masked on the screen
        tab.what.setText("厨房水管漏水")
        tab.what.textEdited.emit(tab.what.text())
        assert tab.category.currentData() == "leak"  # 漏水: a leak, visited after its leak test
        repair = tab.take_in()
    assert (repair.phone, repair.category) == ("13812345678", "leak")

    def dispatch(dialog):
        dialog.appointment.setDateTime(kit.qdatetime(T0 + 2 * H))
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(service_repairs.DispatchDialog, "exec", dispatch)
    with clock.frozen(T0 + 5 * M):
        tab.view.selectRow(0)
        order = tab.dispatch()
    text = PdfReader(io.BytesIO(order.pdf)).pages[0].extract_text()
    assert "13812345678" in text  # 联系电话 for the technician
    with clock.frozen(T0 + 6 * M):  # a phone the clerk types stays as typed
        estate_house = tab.house_edit
        estate_house.setText("3-2-1201")
        qtbot.keyClick(estate_house, Qt.Key.Key_Return)
        tab.phone.setText("13900001111")
        qtbot.keyClick(estate_house, Qt.Key.Key_Return)
        assert tab.phone.text() == "13900001111"


def test_each_step_replaces_the_note_of_the_one_before(tab, house, qtbot, monkeypatch, message_boxes):
    from ui import kit
    from ui.service import repairs as service_repairs

    with clock.frozen(T0):
        tab.house_edit.setText("3-2-1201")
        qtbot.keyClick(tab.house_edit, Qt.Key.Key_Return)
        tab.what.setText("客厅灯不亮")
        tab.category.setCurrentIndex(tab.category.findData("electric"))
        tab.take_in()
        assert "taken in" in tab.taken.text()

    def dispatch(dialog):
        dialog.appointment.setDateTime(kit.qdatetime(T0 + 2 * H))
        dialog._save()
        return dialog.result()

    def complete(dialog):
        dialog._save()
        return dialog.result()

    def all_well(dialog):
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(service_repairs.DispatchDialog, "exec", dispatch)
    monkeypatch.setattr(service_repairs.CompleteDialog, "exec", complete)
    monkeypatch.setattr(service_repairs.VisitDialog, "exec", all_well)
    with clock.frozen(T0 + 5 * M):
        tab.dispatch()
        assert tab.taken.text() == "WX2026-0001: Dispatched. Repair promised by 11-23 11:00."
    with clock.frozen(T0 + H):
        tab.complete()
        assert tab.taken.text() == "WX2026-0001: Done, visit due. Return visit by 11-25 23:59."
        assert tab.chosen().number_text == "WX2026-0001"  # still chosen for the next step
    with clock.frozen(T0 + 26 * H):
        tab.visit()
        assert tab.taken.text() == "WX2026-0001: Closed." and tab.model.rowCount() == 0


def test_a_normal_repair_taken_in_late_at_night_is_proposed_for_the_next_morning(tab, house, supervisor):
    from ui.service.repairs import DispatchDialog
    from ui.kit import py_datetime

    night = datetime.datetime(2026, 12, 2, 23, 25)
    with clock.frozen(night):
        normal = repairs.report(tab.user, house_id=house.id, reporter="张三", what="推拉门脱轨", category="door_window")
        urgent = repairs.report(tab.user, house_id=house.id, reporter="张三", what="水管爆裂", category="water",
                                urgency="urgent")
        proposed = {r.urgency: py_datetime(DispatchDialog(tab.user, r, tab).appointment) for r in (normal, urgent)}
    assert proposed == {"normal": datetime.datetime(2026, 12, 3, 9, 0),  # not 01:25 at night on the work order
                        "urgent": datetime.datetime(2026, 12, 3, 0, 0)}  # a burst pipe: within the hour


def _open_repairs(clerk, house, qtbot, width):
    from ui.service.page import ServicePage

    with clock.frozen(T0):
        repairs.report(clerk, house_id=house.id, reporter="张三", place="卫生间顶棚靠窗一侧", category="leak",
                       what="卫生间顶棚滴水，楼下住户天花板已经渗出水渍，需要尽快上门查看处理")
        page = ServicePage(clerk)
        qtbot.addWidget(page)
        page.resize(width - 164, 700)  # what the page gets beside the navigation
        page.show()
        qtbot.wait(20)
        page.repairs.load()
        qtbot.wait(20)
    return page


def _columns(model, *names):
    heads = [model.headerData(n, Qt.Orientation.Horizontal) for n in range(model.columnCount())]
    return [heads.index(name) for name in names]


def test_the_open_repairs_main_columns_show_without_scrolling_at_1024(clerk, house, qtbot, message_boxes, language):
    from PySide6.QtCore import QCoreApplication

    page = _open_repairs(clerk, house, qtbot, 1024)
    view, header, model = page.repairs.view, page.repairs.view.horizontalHeader(), page.repairs.model
    tr = lambda text: QCoreApplication.translate("RepairsTab", text)  # noqa: E731
    main = _columns(model, *map(tr, ("No.", "Time left", "Next deadline", "House or place", "What")))
    for n in main[:3]:
        assert header.sectionSize(n) >= view.sizeHintForColumn(n)  # whole
    for n in main:
        assert header.sectionViewportPosition(n) + header.sectionSize(n) <= view.viewport().width()
    assert header.sectionSize(main[4]) >= 120  # the description's first words, whatever the columns after it need
    assert view.horizontalScrollBar().value() == 0


def test_every_open_repairs_column_shows_at_1366_in_english(clerk, house, qtbot, message_boxes):
    page = _open_repairs(clerk, house, qtbot, 1366)
    view, header = page.repairs.view, page.repairs.view.horizontalHeader()
    [technician] = _columns(page.repairs.model, "Technician")
    assert header.sectionViewportPosition(technician) + header.sectionSize(technician) <= view.viewport().width()


def test_the_time_left_keeps_its_whole_text_as_the_clock_runs(clerk, house, qtbot, message_boxes):
    page = _open_repairs(clerk, house, qtbot, 1024)
    tab = page.repairs
    [left] = _columns(tab.model, "Time left")
    with clock.frozen(T0 + 2 * H + 5 * M):  # the dispatch answer long overdue: a longer text, between refreshes
        tab.tick()
        qtbot.wait(20)
        text = tab.model.data(tab.model.index(0, left))
        assert text == "1 h 55 min overdue"
        assert tab.view.horizontalHeader().sectionSize(left) >= tab.view.fontMetrics().horizontalAdvance(text)


@pytest.mark.parametrize("width", [1024, 1366])
def test_the_intake_hints_are_short_enough_to_read_the_longer_word_in_a_tooltip(clerk, house, qtbot, message_boxes,
                                                                                width):
    from PySide6.QtWidgets import QLineEdit

    page = _open_repairs(clerk, house, qtbot, width)
    page.tabs.setCurrentWidget(page.complaints)
    qtbot.wait(20)
    for tab in (page.repairs, page.complaints):
        hinted = [e for e in tab.findChildren(QLineEdit) if e.placeholderText() and e.isVisibleTo(tab)]
        assert len(hinted) >= (3 if tab is page.repairs else 2)
        for edit in hinted:
            room = edit.contentsRect().width() - 8  # less the frame's and the text's margins
            assert edit.fontMetrics().horizontalAdvance(edit.placeholderText()) <= room, edit.placeholderText()
    # the longer explanation where the clerk can read it
    assert all(e.toolTip() for e in (page.repairs.house_edit, page.repairs.place, page.repairs.what,
                                     page.complaints.about))


def test_the_history_shows_closed_orders_too_of_the_house_typed_or_of_all(tab, clerk, house, admin, qtbot,
                                                                        monkeypatch, qtmodeltester, message_boxes):
    from models import estate
    from ui import kit
    from ui.table_models import KeyedModel

    other = estate.create_house(admin, house.unit_id, number="1202", area="60")
    tech = repairs.technicians()[0]
    with clock.frozen(T0):
        mine = [repairs.report(clerk, house_id=house.id, reporter="张三", what=f"第{n}单", category="water")
                for n in range(3)]
        repairs.report(clerk, house_id=other.id, reporter="李四", what="隔壁的", category="electric")
        repairs.dispatch(clerk, mine[0].id, tech.id, T0 + H)
        repairs.complete(clerk, mine[0].id)
        repairs.cancel(clerk, mine[1].id, "业主自行修好")
    monkeypatch.setattr(KeyedModel, "PAGE", 2)
    seen = []
    monkeypatch.setattr(kit.ListDialog, "exec", lambda d: seen.append(d) or 0)
    tab.house_edit.setText("3-2-1201")
    dialog = tab.history()
    assert dialog.windowTitle() == "Repairs of 3-2-1201"
    assert dialog.model.rowCount() == 2  # a page, the rest as it scrolls
    dialog.model.fetch_all()
    assert sorted(dialog.model.row_object(r).what for r in range(3)) == ["第0单", "第1单", "第2单"]
    states = {dialog.model.data(dialog.model.index(r, 3)): dialog.model.data(dialog.model.index(r, 5))
              for r in range(3)}
    assert states["第1单"] == "Cancelled" and states["第0单"] != states["第2单"]
    qtmodeltester.check(dialog.model)
    tab.house_edit.clear()
    assert tab.history().model.fetch_all()[-1].what in ("第0单", "第1单", "第2单", "隔壁的")
    assert len(seen[-1].model.rows) == 4 and seen[-1].windowTitle() == "All repairs"
    tab.house_edit.setText("9-9-999")
    assert tab.history() is None and "9-9-999" in message_boxes[-1][2]
