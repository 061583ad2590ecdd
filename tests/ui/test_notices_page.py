"""Announcements in the window: a notice is issued, and kept in the history, only when it
is printed or saved as PDF; a preview looked at and closed leaves nothing behind."""
import datetime

import pytest
from PySide6.QtCore import QDate, QDateTime, QTime

from models import announcements, audit


@pytest.fixture
def page(clerk, qtbot, frozen_now):
    from ui.notices_page import NoticesPage

    p = NoticesPage(clerk)
    qtbot.addWidget(p)
    p.reason.setPlainText("市政供水管网检修")
    p.buildings.setText("1-6栋")
    p.starts.setDateTime(QDateTime(QDate(2026, 11, 28), QTime(9, 0)))
    p.ends.setDateTime(QDateTime(QDate(2026, 11, 28), QTime(15, 0)))
    return p


def test_a_notice_previewed_and_closed_unprinted_is_not_issued(page, clerk, monkeypatch):
    from ui.preview import PreviewDialog

    shown = []
    monkeypatch.setattr(PreviewDialog, "exec", lambda dialog: shown.append(dialog) or 0)  # closed
    page.issue()
    assert shown and shown[0].pages == 1
    assert announcements.history(clerk) == [] and page.history.rowCount() == 0
    assert not audit.AuditEntry.select().where(audit.AuditEntry.action == "notice.create").exists()


def test_a_notice_printed_is_issued_once_however_often_it_prints(page, clerk, monkeypatch, tmp_path):
    from tests.ui.test_preview import pdf_printer
    from ui.preview import PreviewDialog

    printed = []

    def print_twice(dialog):
        printed.append(dialog.print_with(pdf_printer(tmp_path / "one.pdf")))
        printed.append(dialog.print_with(pdf_printer(tmp_path / "two.pdf")))
        return 0

    monkeypatch.setattr(PreviewDialog, "exec", print_twice)
    page.copies.setValue(3)
    page.issue()
    assert printed == [True, True]
    [kept] = announcements.history(clerk)
    assert (kept.title, kept.buildings, kept.created_at.date()) == ("停水通知", "1-6栋", datetime.date(2026, 11, 23))
    assert page.history.rowCount() == 1
    # printed again from the history: still one announcement
    page.history_view.selectRow(0)
    page._reprint_selected()
    assert len(announcements.history(clerk)) == 1


def test_a_notice_saved_as_pdf_counts_as_issued(page, clerk, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    from ui.preview import PreviewDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "停水通知.pdf"), ""))
    monkeypatch.setattr(PreviewDialog, "exec", lambda dialog: dialog.save_pdf() or 0)
    page.issue()
    assert (tmp_path / "停水通知.pdf").read_bytes().startswith(b"%PDF")
    [kept] = announcements.history(clerk)
    entry = audit.AuditEntry.get(audit.AuditEntry.action == "notice.create")
    assert entry.target_id == kept.id and '"pdf"' in entry.detail
