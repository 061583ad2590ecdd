"""今日: what needs the clerk today (scenario 1), most urgent first, refreshed live; Enter or
a double click opens the record the line names on its page."""
from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from models import clock, today
from ui import first_steps, i18n
from ui.kit import table_view
from ui.kit import button, list_box
from ui.kit import LATE, cap_column, fit_columns, fit_to_text, left_text, shade_of, stretch_column
from ui.table_models import RowsModel


class TodayPage(QWidget):
    open_record = Signal(str, int)  # table, id

    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.model = RowsModel([
            (self.tr("Due"), lambda line: self.tr("now") if self.never_backed_up(line) else
             line.due.strftime("%m-%d %H:%M"), None),
            (self.tr("What"), lambda line: i18n.office(today.WHAT[line.what]), None),
            (self.tr("No."), lambda line: line.number, None),
            (self.tr("About"), lambda line: " ".join(x for x in (line.about, "、".join(
                i18n.office(label) for label in line.labels)) if x) or (
                self.tr("no backup yet") if line.what == "backup" else ""), None),
            (self.tr("Time left"), lambda line: self.tr("back up now") if self.never_backed_up(line) else
             self.tr("now") if line.table == "audit" else left_text(line.left), None),  # a broken audit chain
        ], self, shade=lambda line: LATE if line.at_risk else shade_of(line.left))  # at risk: act now
        self.view = table_view(self.model)
        stretch_column(self.view, 3)
        fit_to_text(self.view, 4)  # the time left whole, however long the other columns' texts
        # what is to be done, as long as the usual longest; a longer one (the failed self-check) ends in …
        cap_column(self.view, 1, i18n.office(today.WHAT["parcel"]))
        self.view.activated.connect(self.open_line)
        self.summary = QLabel()
        self.title = self.tr("Today, {day}")
        self.box = list_box(self.title.format(day=clock.today().isoformat()), self.view,
                            [button(self.tr("Open"), lambda: self.open_line(self.view.currentIndex()))],
                            self.summary)
        outer = QVBoxLayout(self)
        self.first_steps = first_steps.for_user(user, self)  # a new office's first steps, for its administrator
        if self.first_steps is not None:
            outer.addWidget(self.first_steps)
        outer.addWidget(self.box)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.load)
        self.timer.start(30_000)
        self.load()

    def load(self) -> None:
        """The list as of now, most urgent first (models.today.urgency); the line chosen
        stays chosen through the refresh."""
        index = self.view.currentIndex()
        chosen = self.model.row_object(index.row()) if index.isValid() else None
        rows = today.lines(self.user)
        self.model.set_rows(rows)
        fit_columns(self.view)
        if chosen is not None:
            same = [n for n, line in enumerate(rows)
                    if (line.what, line.table, line.record_id) == (chosen.what, chosen.table, chosen.record_id)]
            if same:
                self.view.selectRow(same[0])
        self.box.setTitle(self.title.format(day=clock.today().isoformat()))
        late = sum(1 for line in rows if line.left.overdue)
        self.summary.setText(self.tr("%n thing(s) today, {late} overdue.", "", len(rows)).format(late=late)
                             if rows else self.tr("Nothing is due today."))

    @staticmethod
    def never_backed_up(line) -> bool:
        """The office has no backup at all: nothing to count down to, it is to be made now."""
        return line.what == "backup" and line.at_risk

    def focus_search(self) -> None:
        self.load()
        self.view.setFocus()
        if self.model.rowCount():
            self.view.selectRow(0)

    def open_line(self, index) -> None:
        line = self.model.row_object(index.row()) if index.isValid() else None
        if line is not None:
            self.open_record.emit(line.table, line.record_id)
