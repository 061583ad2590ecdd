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
    from ui.service_page import ServicePage

    owners.add_owner(admin, house.id, name="张三", phone="13812345678")
    shown = []
    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    with clock.frozen(T0):
        p = ServicePage(clerk)
    qtbot.addWidget(p)
    p.shown = shown
    return p


def test_a_noise_complaint_from_intake_to_close_and_the_weeks_summary(page, clerk, monkeypatch, message_boxes):
    from ui import service_page

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

        monkeypatch.setattr(service_page.ClassifyDialog, "exec", classify)
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
    from ui.service_page import qdatetime

    return qdatetime(value)
