"""Announcements (公告通知): fill the form, preview and print the notice for the boards;
every announcement printed (or saved as PDF) stays in the history, from which it can be
printed again. One only previewed and closed is not issued and leaves no trace."""
from __future__ import annotations

import datetime

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (QComboBox, QDateTimeEdit, QGroupBox, QHBoxLayout,
                               QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QSpinBox,
                               QSplitter, QVBoxLayout, QWidget)

from models import announcements, clock, estate
from ui.kit import act, table_view
from ui.form import Form, fill_combo
from ui.table_models import RowsModel


def _py(edit: QDateTimeEdit) -> datetime.datetime:
    d, t = edit.date(), edit.time()
    return datetime.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


class NoticesPage(QWidget):
    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        prof = estate.profile()
        self.form = Form()
        f = self.form
        self.kind = f.add("kind", self.tr("Kind"), fill_combo(QComboBox(), announcements.KINDS, "water"))
        self.reason = f.add("reason", self.tr("Reason"), QPlainTextEdit())
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(self.tr("e.g. {example}").format(example="市政供水管网检修"))
        self.reason.setMaximumHeight(70)
        self.buildings = f.add("buildings", self.tr("Buildings affected"), QLineEdit())
        self.buildings.setPlaceholderText(self.tr("e.g. {example}").format(example="1-6栋"))
        today = clock.now()
        start = QDateTime(QDate(today.year, today.month, today.day), QTime(9, 0)).addDays(1)
        self.starts = f.add("starts", self.tr("From"), QDateTimeEdit(start))
        self.ends = f.add("ends", self.tr("To"), QDateTimeEdit(start.addSecs(6 * 3600)))
        for edit in (self.starts, self.ends):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.what = f.add("what_to_do", self.tr("What residents should do"), QPlainTextEdit())
        self.what.setTabChangesFocus(True)
        self.what.setMaximumHeight(60)
        self.phone = f.add("phone", self.tr("Office phone"), QLineEdit(prof.office_phone))
        self.copies = f.add("copies", self.tr("Copies"), QSpinBox())
        self.copies.setRange(1, 200)
        self.copies.setValue(1)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        go = QPushButton(self.tr("Preview and print…"))
        go.setDefault(True)
        go.clicked.connect(self.issue)
        left = QGroupBox(self.tr("New announcement"))
        lv = QVBoxLayout(left)
        lv.addWidget(self.form)
        lv.addWidget(go)
        lv.addStretch(1)

        self.history = RowsModel([
            (self.tr("Date"), lambda a: a.created_at.strftime("%Y-%m-%d %H:%M"), None),
            (self.tr("Notice"), lambda a: a.title, None),
            (self.tr("Buildings"), lambda a: a.buildings, None),
            (self.tr("From"), lambda a: a.starts.strftime("%Y-%m-%d %H:%M") if a.starts else "", None),
        ], self)
        self.history_view = table_view(self.history)
        self.history_view.activated.connect(lambda ix: self.reprint(self.history.row_object(ix.row())))
        again = QPushButton(self.tr("Print again…"))
        again.clicked.connect(self._reprint_selected)
        right = QGroupBox(self.tr("Announcements made"))
        rv = QVBoxLayout(right)
        rv.addWidget(self.history_view)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(again)
        rv.addLayout(row)

        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([520, 640])
        box = QVBoxLayout(self)
        box.addWidget(split)
        self.load_history()

    def _kind_changed(self) -> None:
        timed = self.kind.currentData() in announcements.NEEDS_TIMES
        for name in ("starts", "ends", "buildings"):
            self.form.editor(name).setEnabled(timed)

    def load_history(self) -> None:
        self.history.set_rows(announcements.history(self.user))
        self.history_view.resizeColumnsToContents()

    def issue(self) -> None:
        self.form.clear_errors()
        timed = self.kind.currentData() in announcements.NEEDS_TIMES
        # recorded as issued once printed or saved as PDF, not when only previewed
        done = act(self, self.tr("Announcement"), announcements.draft, self.user, kind=self.kind.currentData(),
                   reason=self.reason.toPlainText(), buildings=self.buildings.text() if timed else "",
                   starts=_py(self.starts) if timed else None, ends=_py(self.ends) if timed else None,
                   what_to_do=self.what.toPlainText(), phone=self.phone.text(), form=self.form)
        if not done:
            return
        a = done.value
        self.reprint(a, self.copies.value())

    def _reprint_selected(self) -> None:
        rows = self.history_view.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, self.tr("Announcement"), self.tr("Choose an announcement first"))
            return
        self.reprint(self.history.row_object(rows[0].row()))

    def preview(self, a, copies: int = 1):
        from printing import announcement
        from printing.furniture import Letterhead
        from ui.preview import PreviewDialog

        prof = estate.profile()
        head = Letterhead.from_profile(prof)
        pdf = announcement.render(announcements.wording(a, head.office_name), head, copies=copies)
        handed_out = None
        if a.id is None:  # a new one: issued when printed or saved as PDF

            def handed_out(how: str) -> None:
                act(self, self.tr("Announcement"), announcements.record, self.user, a, how)
                self.load_history()

        return PreviewDialog(pdf, a.title, self, file_name=f"{a.title}.pdf", handed_out=handed_out)

    def reprint(self, a, copies: int = 1) -> None:
        if a is not None:
            self.preview(a, copies).exec()
