"""到期: everything due by the end of today, overdue first, refreshed live."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from models import due_now
from ui import i18n
from ui.kit import button, left_text, list_box, shade_of, stretch_column, table_view
from ui.table_models import RowsModel


class DueTab(QWidget):
    """到期: everything due by the end of today, overdue first, refreshed live; Enter or a
    double click opens the record."""

    def __init__(self, user, page, parent=None):
        super().__init__(parent)
        self.user, self.page = user, page
        self.model = RowsModel([
            (self.tr("Due"), lambda d: d.due.strftime("%m-%d %H:%M"), None),
            (self.tr("What"), lambda d: i18n.office(due_now.WHAT[d.what]), None),
            (self.tr("No."), lambda d: d.number, None),
            (self.tr("About"), lambda d: " ".join(x for x in (d.about, "、".join(
                i18n.office(label) for label in d.labels)) if x), None),
            (self.tr("Time left"), lambda d: left_text(d.left), None),
        ], self, shade=lambda d: shade_of(d.left))
        self.view = table_view(self.model)
        stretch_column(self.view, 3)
        self.view.activated.connect(self.open_record)
        self.summary = QLabel()
        QVBoxLayout(self).addWidget(list_box(self.tr("Due by the end of today"), self.view,
                                             [button(self.tr("Open"), lambda: self.open_record(
                                                 self.view.currentIndex()))], self.summary))
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.load)
        self.timer.start(30_000)
        self.load()

    def load(self) -> None:
        rows = due_now.due_now(self.user)
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        late = sum(1 for d in rows if d.left.overdue)
        self.summary.setText(self.tr("{n} due today, {late} overdue.").format(n=len(rows), late=late))

    def open_record(self, index) -> None:
        d = self.model.row_object(index.row()) if index.isValid() else None
        if d is not None:
            self.page.open_record(d.table, d.record_id)
