"""Scenario 7 in the window: a complaint about renovation noise at night is recorded by the
clerk, who owns it; it shows on the due-now list with its first answer due; classified,
answered, reported up and closed; the week's summary prints for the manager."""
import datetime
import io

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QInputDialog

from models import clock, complaints, owners

T0 = datetime.datetime(2026, 11, 23, 9, 0)  # Monday
M = datetime.timedelta(minutes=1)
H = datetime.timedelta(hours=1)


@pytest.fixture
def page(clerk, house, admin, qtbot, monkeypatch):
    from ui import preview
    from ui.service.page import ServicePage

    owners.add_owner(admin, house.id, name="张三", phone="13812345678")
    shown = []
    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    with clock.frozen(T0):
        p = ServicePage(clerk)
    qtbot.addWidget(p)
    p.shown = shown
    return p


def test_a_noise_complaint_from_intake_to_close_and_the_weeks_summary(page, clerk, monkeypatch, message_boxes):
    from ui.service import complaints as service_complaints

    tab = page.complaints
    with clock.frozen(T0):
        tab.record()  # nothing filled: the fields say what is missing, nothing written
        assert tab.form.rows["what"].error.text() and complaints.Complaint.select().count() == 0
        tab.house_edit.setText("3-2-1201")
        tab.house_edit.editingFinished.emit()
        assert tab.name.text() == "张三"
        tab.about.setText("4-2-1301 装修户")
        tab.what.setText("楼上装修夜间施工，22点后仍在电钻")
        tab.asks.setText("晚上8点后停止施工")
        tab.record()
    [c] = complaints.Complaint.select()
    assert (c.owner_id, c.house.label, c.asks) == (clerk.id, "3-2-1201", "晚上8点后停止施工")
    with clock.frozen(T0 + 23 * H):
        page.due.load()
        [due] = page.due.model.rows
        assert (due.what, due.number) == ("first_answer", "TS2026-0001")
        assert page.due.model.data(page.due.model.index(0, 4)) == "1 h 0 min left"
        page.due.open_record(page.due.model.index(0, 0))
        assert page.tabs.currentWidget() is tab and tab.view.currentIndex().row() == 0

        def classify(dialog):
            dialog.klass.setCurrentIndex(dialog.klass.findData("important"))
            dialog._save()
            return dialog.result()

        monkeypatch.setattr(service_complaints.ClassifyDialog, "exec", classify)
        tab.classify()
        answers = iter([("已联系装修户，今晚起20点后停工", True), ("工程部 王经理", True), ("现场核实，要求停工", True),
                        ("装修户已停工，已电话告知业主", True), ("装修巡查加到夜间", True)])
        monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
        tab.view.selectRow(0)
        tab.answer()
        tab.view.selectRow(0)
        tab.escalate()
        tab.view.selectRow(0)
        tab.handle()
        tab.view.selectRow(0)
        tab.close_one()
    got = complaints.Complaint.get_by_id(c.id)
    assert (got.klass, got.escalated_to, got.owner_id) == ("important", "工程部 王经理", clerk.id)
    assert got.happened_at == T0 and [s.kind for s in got.steps.order_by(complaints.ComplaintStep.id)] == [
        "received", "recorded", "classified", "answered", "escalated", "handled", "closed", "summarised"]
    assert got.closed_at == T0 + 23 * H and tab.model.rowCount() == 0
    with clock.frozen(T0 + 4 * 24 * H):
        summary = tab.week_summary()
    text = PdfReader(io.BytesIO(summary.pdf)).pages[0].extract_text()
    assert "TS2026-0001" in text and "装修户已停工" in text
    assert "deadlines missed 1" in text  # reported up 22 hours after the hour it had


def test_a_minor_complaint_is_due_at_the_time_the_owner_asked_for(page, clerk, message_boxes):
    tab = page.complaints
    with clock.frozen(T0):
        tab.load()
        tab.name.setText("李四")
        tab.what.setText("单元门禁坏了")
        tab.by_time.setChecked(True)
        tab.asked_by.setDateTime(service_page_qdt(T0 + 6 * H))
        tab.record()
        c = complaints.Complaint.get()
        complaints.classify(clerk, c.id, "minor")
    [resolve] = [d for d in complaints.deadlines_of(complaints.Complaint.get()) if d.what == "resolve"]
    assert resolve.due == T0 + 6 * H


def service_page_qdt(value):
    from ui.kit import qdatetime

    return qdatetime(value)


def test_enter_moves_through_the_intake_and_records_with_its_number_said(page, clerk, qtbot, message_boxes):
    from PySide6.QtCore import Qt

    tab = page.complaints
    page.tabs.setCurrentWidget(tab)
    with clock.frozen(T0):
        tab.load()
        tab.house_edit.setFocus()
        tab.house_edit.setText("3-2-1201")
        qtbot.keyClick(tab.house_edit, Qt.Key.Key_Return)  # the house found: the owner and the phone filled
        assert tab.focusWidget() is tab.name
        assert (tab.name.text(), tab.phone.text()) == ("张三", "138****5678")
        for edit, after in ((tab.name, tab.phone), (tab.phone, tab.place), (tab.place, tab.about),
                            (tab.about, tab.happened), (tab.happened, tab.what), (tab.what, tab.asks)):
            qtbot.keyClick(edit, Qt.Key.Key_Return)
            assert tab.focusWidget() is after, after
        tab.what.setText("楼上装修夜间施工")
        assert complaints.Complaint.select().count() == 0  # nothing recorded on the way
        qtbot.keyClick(tab.asks, Qt.Key.Key_Return)  # Enter at the end records it
    [c] = complaints.Complaint.select()
    assert (c.what, c.phone, c.house.label) == ("楼上装修夜间施工", "13812345678", "3-2-1201")  # the phone in full
    assert tab.recorded.text() == "TS2026-0001 recorded. Tell the owner: a first answer by 11-24 09:00."
    assert tab.model.row_object(tab.view.currentIndex().row()).id == c.id  # chosen in the list, ready for the next step
    assert tab.focusWidget() is tab.house_edit and not message_boxes


def test_the_complaint_stays_chosen_after_each_step_and_the_note_says_what_was_done(page, clerk, monkeypatch,
                                                                                     message_boxes):
    from ui.service import complaints as service_complaints

    with clock.frozen(T0):
        first = complaints.record(clerk, name="张三", what="楼上装修噪音")
        second = complaints.record(clerk, name="李四", what="电梯困人")
    tab = page.complaints
    answers = iter([("已联系装修户", True), ("已上报经理，两日内明确答复", True), ("更换曳引机，周五前完成", True),
                    ("总经理 孙总", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))

    def major(dialog):
        dialog.klass.setCurrentIndex(dialog.klass.findData("major"))
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(service_complaints.ClassifyDialog, "exec", major)
    with clock.frozen(T0 + H):
        tab.load()
        tab.view.selectRow(1)
        assert tab.chosen().id == second.id
        tab.classify()
        assert tab.chosen().id == second.id and "Classified" in tab.recorded.text()
        # a major complaint shows its clear answer beside the first answer
        assert "Clear answer 11-25 23:59" in tab.detail.text() and "First answer 11-24 09:00" in tab.detail.text()
        tab.view.selectRow(0)
        tab.answer()  # the first one's first answer
        assert tab.chosen().id == first.id and tab.recorded.text().startswith("TS2026-0001: First answer, 11-23 10:00.")
        tab.view.selectRow(1)
        tab.answer()  # the major one's first answer
        tab.answer()  # and then its clear answer, with the same complaint still chosen
        assert tab.chosen().id == second.id and "Clear answer" in tab.recorded.text()
        tab.escalate()
        assert tab.chosen().id == second.id and not message_boxes  # never "choose a complaint first"
    got = complaints.Complaint.get_by_id(second.id)
    kinds = [s.kind for s in got.steps.order_by(complaints.ComplaintStep.id)]
    assert kinds == ["received", "recorded", "classified", "answered", "clear_answer", "escalated"]
    with clock.frozen(T0 + H):
        tab.load()
        assert "Clear answer 11-25 23:59 (met)" in tab.detail.text()


def test_a_major_complaints_clear_answer_is_due_on_the_due_now_list(page, clerk, message_boxes):
    with clock.frozen(T0):
        c = complaints.record(clerk, name="李四", what="电梯困人")
        complaints.classify(clerk, c.id, "major")
        complaints.escalate(clerk, c.id, "总经理 孙总")
        complaints.answer(clerk, c.id, "已上报，两日内明确答复")
    with clock.frozen(datetime.datetime(2026, 11, 25, 20, 0)):
        page.due.load()
        [due] = page.due.model.rows
        assert page.due.model.data(page.due.model.index(0, 1)) == "Clear answer to the complaint"
        assert page.due.model.data(page.due.model.index(0, 4)) == "3 h 59 min left"
    with clock.frozen(datetime.datetime(2026, 11, 26, 9, 0)):
        page.complaints.load()
        assert page.complaints.summary.text() == "1 open, 1 past a deadline."


def test_the_weeks_summary_counts_older_complaints_still_open(page, clerk, message_boxes):
    with clock.frozen(T0 - 10 * 24 * H):
        complaints.record(clerk, name="张三", what="车库积水")  # never answered
    with clock.frozen(T0 + 2 * 24 * H):
        summary = page.complaints.week_summary()
    text = PdfReader(io.BytesIO(summary.pdf)).pages[0].extract_text()
    assert "from earlier weeks 1" in text and "open at the week's end 1" in text and "deadlines missed 1" in text
    assert "车库积水" in text


def test_the_open_complaints_main_columns_show_without_scrolling_at_1024(clerk, house, qtbot, message_boxes,
                                                                         language):
    from PySide6.QtCore import QCoreApplication, Qt

    from ui.service.page import ServicePage

    with clock.frozen(T0):
        complaints.record(clerk, house_id=house.id, name="张三", what="楼上装修噪音，晚上十点以后还在电钻施工，已经影响休息")
        page = ServicePage(clerk)
        qtbot.addWidget(page)
        page.resize(1024 - 164, 700)  # what the page gets in a 1024 px window, beside the navigation
        page.show()
        page.tabs.setCurrentWidget(page.complaints)
        qtbot.wait(20)
        page.complaints.load()
        qtbot.wait(20)
    tab = page.complaints
    view, header, model = tab.view, tab.view.horizontalHeader(), tab.model
    heads = [model.headerData(n, Qt.Orientation.Horizontal) for n in range(model.columnCount())]
    main = [heads.index(QCoreApplication.translate("ComplaintsTab", name))
            for name in ("No.", "Time left", "Next deadline", "House", "What")]
    for n in main[:4]:
        assert header.sectionSize(n) >= view.sizeHintForColumn(n)  # whole
    for n in main:
        assert header.sectionViewportPosition(n) + header.sectionSize(n) <= view.viewport().width()
    assert header.sectionSize(main[4]) >= 120  # the first words of what happened


def test_the_history_shows_closed_complaints_too_of_the_house_typed_or_of_all(page, clerk, house, admin,
                                                                            monkeypatch, qtmodeltester,
                                                                            message_boxes):
    from models import estate
    from ui import kit

    other = estate.create_house(admin, house.unit_id, number="1202", area="60")
    with clock.frozen(T0):
        first = complaints.record(clerk, name="张三", what="楼上噪音", house_id=house.id)
        complaints.record(clerk, name="张三", what="垃圾未清", house_id=house.id)
        complaints.record(clerk, name="李四", what="隔壁的", house_id=other.id)
        complaints.close(clerk, first.id, "已协调")
    seen = []
    monkeypatch.setattr(kit.ListDialog, "exec", lambda d: seen.append(d) or 0)
    tab = page.complaints
    tab.house_edit.setText("3-2-1201")
    dialog = tab.history()
    rows = {dialog.model.data(dialog.model.index(r, 4)): dialog.model.data(dialog.model.index(r, 6))
            for r in range(dialog.model.rowCount())}
    assert rows == {"楼上噪音": "已协调", "垃圾未清": ""}
    qtmodeltester.check(dialog.model)
    tab.house_edit.clear()
    assert {c.what for c in tab.history().model.fetch_all()} == {"楼上噪音", "垃圾未清", "隔壁的"}
    assert seen[-1].windowTitle() == "All complaints"
