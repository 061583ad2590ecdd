"""Arrears (欠费) and dunning (催缴): the houses that owe, by building, with their months,
what they owe and the next step of their dunning ladder, red from the months that bring a
dunning notice; the month's collection rate against the office's target, per item. A
house's detail shows what it owes by month and item with the late fee to the day, and its
ladder: payment notice, logged calls, dunning notice. Notices print for one house or the
whole list (a building, the estate) through the batch printer. The floor plan (楼盘图) of a
building shows its houses coloured by what they owe; a click opens the counter on the
house, as a double-click in the list does."""
from __future__ import annotations

import datetime

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateEdit, QHeaderView, QLabel,
                               QLineEdit, QMessageBox, QPushButton, QSplitter, QTableWidget, QTableWidgetItem,
                               QTabWidget, QVBoxLayout, QWidget)

from models import arrears, billing, cashier as desk, clock, dunning, estate, money, settings, users
from models.errors import OfficeError
from ui import i18n
from ui.kit import refusal, table_view
from ui.form import FormDialog, fill_combo
from ui.reflow import FlowLayout
from ui.table_models import KeyedModel, RIGHT, RowsModel

# what a house owes, as the floor plan colours it: nothing, one month, more, and red from
# the months that bring a dunning notice (office setting dunning_months)
SHADES = ["#e8f5e9", "#fff3c4", "#ffd59e", "#f4a9a0"]


def percent(rate) -> str:
    return "—" if rate is None else f"{float(rate) * 100:.1f}%"


def shade(months: int, red_from: int = 3) -> str:
    return SHADES[3 if months >= red_from else min(months, 2)]


class CallDialog(FormDialog):
    """A dunning call and how it went (电话催缴)."""

    def __init__(self, user, house_id: int, label: str, parent=None):
        super().__init__(self.tr("Dunning call — {house}").format(house=label), parent)
        self.user, self.house_id = user, house_id
        self.result_box = self.form.add("result", self.tr("How it went"), fill_combo(QComboBox(), dunning.CALL_RESULTS,
                                                                                     "promised"))
        today = clock.today()
        soon = today + datetime.timedelta(days=7)
        self.promised = self.form.add("promised_on", self.tr("Promised to pay by"),
                                      QDateEdit(QDate(soon.year, soon.month, soon.day)))
        self.promised.setCalendarPopup(True)
        self.promised.setDisplayFormat("yyyy-MM-dd")
        self.note = self.form.add("note", self.tr("Note"), QLineEdit())
        self.result_box.currentIndexChanged.connect(
            lambda _i: self.promised.setEnabled(self.result_box.currentData() == "promised"))

    def save(self):
        d = self.promised.date()
        promised = datetime.date(d.year(), d.month(), d.day()) if self.promised.isEnabled() else None
        return dunning.log_call(self.user, self.house_id, self.result_box.currentData(), promised_on=promised,
                                note=self.note.text())


class HouseArrears(QWidget):
    """One house: what it owes by month and item, and its dunning ladder."""
    open_counter = Signal(int)
    changed = Signal()

    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.house_id: int | None = None
        self.label = self.owners = ""
        self.title = QLabel(self.tr("Choose a house in the list"))
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.lines = RowsModel([
            (self.tr("Month"), self.month_text, None),
            (self.tr("Item"), lambda o: o.charge.item.name, None),
            (self.tr("Unpaid"), lambda o: money.fmt(o.principal, grouping=True), RIGHT),
            (self.tr("Late fee to date"), lambda o: money.fmt(o.late_fee, grouping=True), RIGHT),
            (self.tr("Total"), lambda o: money.fmt(o.total, grouping=True), RIGHT),
        ], self)
        self.lines_view = table_view(self.lines)
        self.next = QLabel()
        self.next.setStyleSheet("font-weight: bold;")
        self.steps = RowsModel([
            (self.tr("When"), lambda s: s.at.strftime("%Y-%m-%d %H:%M"), None),
            (self.tr("Step"), lambda s: i18n.office(dunning.KINDS.get(s.kind, s.kind)), None),
            (self.tr("Result"), self.result_text, None),
            (self.tr("Promised by"), lambda s: s.promised_on.isoformat() if s.promised_on else "", None),
            (self.tr("Owed then"), lambda s: money.fmt(s.owed, grouping=True), RIGHT),
            (self.tr("By"), lambda s: s.by.display_name if s.by_id else "", None),
        ], self)
        self.steps_view = table_view(self.steps)
        self.call_button = QPushButton(self.tr("Log a call…"))
        self.call_button.clicked.connect(self.log_call)
        self.notice_button = QPushButton(self.tr("Payment notice…"))
        self.notice_button.clicked.connect(lambda: self.print_one("notice"))
        self.letter_button = QPushButton(self.tr("Dunning notice…"))
        self.letter_button.clicked.connect(lambda: self.print_one("dunning"))
        counter = QPushButton(self.tr("To the counter"))
        counter.clicked.connect(lambda: self.house_id and self.open_counter.emit(self.house_id))
        can_log = users.has(user, "dunning.log")
        for b in (self.call_button, self.notice_button, self.letter_button):
            b.setEnabled(False)
            if not can_log:
                b.hide()
        self.counter_button = counter
        counter.setEnabled(False)
        buttons = FlowLayout()
        for b in (self.call_button, self.notice_button, self.letter_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(counter)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.title)
        box.addWidget(self.lines_view, 3)
        box.addWidget(self.next)
        box.addWidget(QLabel(self.tr("Dunning so far")))
        box.addWidget(self.steps_view, 2)
        box.addLayout(buttons)

    def month_text(self, o) -> str:
        """The charge's month; one not yet due (its due date today or later) says so."""
        text = o.charge.period or o.charge.due_date.isoformat()
        if not billing.past_due(o.charge.due_date, clock.today()):
            text += " " + self.tr("(not yet due)")
        return text

    def result_text(self, step) -> str:
        if step.kind == "call":
            result = i18n.office(dunning.CALL_RESULTS.get(step.result, step.result))
            return f"{result}  {step.note}" if step.note else result
        return {"print": self.tr("Printed"), "pdf": self.tr("Saved as PDF")}.get(step.note, step.note)

    def show_house(self, house_id: int | None, label: str = "", owners: str = "") -> None:
        self.house_id, self.label, self.owners = house_id, label, owners
        if house_id is None:
            self.title.setText(self.tr("Choose a house in the list"))
            self.lines.set_rows([])
            self.steps.set_rows([])
            self.next.setText("")
            for b in (self.call_button, self.notice_button, self.letter_button, self.counter_button):
                b.setEnabled(False)
            return
        ladder = dunning.ladder(self.user, house_id)
        lines = desk.owed(self.user, house_id)
        self.title.setText(self.tr("{house}  {owners}: {total} owed, late fee to date included").format(
            house=label, owners=owners, total=money.fmt(ladder.owed, grouping=True)))
        self.lines.set_rows(lines)
        self.lines_view.resizeColumnsToContents()
        self.steps.set_rows(list(reversed(ladder.steps)))
        self.steps_view.resizeColumnsToContents()
        text = self.tr("Next: {step}").format(step=i18n.office(dunning.NEXT[ladder.next]))
        if ladder.next == "wait":
            text += " " + ladder.steps[-1].promised_on.isoformat()
        self.next.setText(text)
        for b in (self.call_button, self.notice_button, self.letter_button, self.counter_button):
            b.setEnabled(True)

    def log_call(self) -> None:
        if self.house_id is None:
            return
        if CallDialog(self.user, self.house_id, self.label, self).exec():
            self.show_house(self.house_id, self.label, self.owners)
            self.changed.emit()

    def print_one(self, kind: str) -> None:
        if self.house_id is None:
            return
        if print_notices(self, self.user, kind, [self.house_id], self.label):
            self.changed.emit()
            self.show_house(self.house_id, self.label, self.owners)


def print_notices(parent, user, kind: str, house_ids: list[int], where: str) -> bool:
    """Make the notices of `house_ids` into one PDF off the UI thread, preview it, and
    record them on each house's ladder when they are printed or saved. True if recorded."""
    import tempfile

    from printing import papers
    from printing.furniture import Letterhead
    from ui.preview import PreviewDialog
    from ui.receipts import data_only, form
    from ui.tasks import run_with_progress

    title_word = QCoreApplication.translate("ArrearsPage", "Payment notices") if kind == "notice" else QCoreApplication.translate("ArrearsPage", "Dunning notices")
    head = Letterhead.from_profile(estate.profile())
    folder = tempfile.TemporaryDirectory(prefix="estatedesk-")
    path = f"{folder.name}/notices.pdf"
    made: list = []
    own = form(kind)  # the office's own notice stock (套打), else the built-in notice

    def work(report, _cancelled):
        pages, notes = papers.notices_file(user, kind, house_ids, path, head, title=f"{title_word} {where}",
                                           report=report, template=own, plain=not (own and data_only(kind)))
        made.extend(notes)
        return pages

    recorded = []
    try:
        pages = run_with_progress(parent, QCoreApplication.translate("ArrearsPage", "Making the notices…"), len(house_ids), work)
        if pages is None:
            return False
        if not made:
            QMessageBox.information(parent, title_word, QCoreApplication.translate("ArrearsPage", "Nobody here owes anything now."))
            return False

        def handed_out(how: str) -> None:
            if not recorded:
                dunning.record_sent(user, kind, made, how)
                recorded.append(how)

        title = f"{title_word} — {where}"
        PreviewDialog(None, title, parent, file_name=f"{title}.pdf", path=path, handed_out=handed_out).exec()
    except OfficeError as e:
        refusal(parent, title_word, e)
    finally:
        folder.cleanup()
    return bool(recorded)


class FloorPlan(QTableWidget):
    """A building's houses by floor (rows, top floor first) and unit and place (columns),
    coloured by the months they owe; a click opens the counter on a house."""
    open_counter = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setMinimumSectionSize(70)
        self.verticalHeader().setDefaultSectionSize(42)
        self.cellClicked.connect(self._clicked)
        self.cells: dict[tuple[int, int], arrears.PlanCell] = {}

    def show_building(self, cells: list[arrears.PlanCell], red_from: int = 3) -> None:
        self.clear()
        self.cells = {}
        columns = sorted({(c.unit, c.position) for c in cells}, key=lambda k: (estate._sort_key(k[0]),
                                                                               estate._natural(k[1])))
        floors = sorted({c.floor for c in cells}, reverse=True)
        self.setColumnCount(len(columns))
        self.setRowCount(len(floors))
        self.setHorizontalHeaderLabels([self.tr("Unit {unit} · {place}").format(unit=u, place=p) for u, p in columns])
        self.setVerticalHeaderLabels([self.tr("{n}F").format(n=f) for f in floors])
        col_of = {k: i for i, k in enumerate(columns)}
        row_of = {f: i for i, f in enumerate(floors)}
        for c in cells:
            r, k = row_of[c.floor], col_of[(c.unit, c.position)]
            text = c.label.split("-")[-1] + ("\n" + money.fmt(c.owed, grouping=True) if c.owed else "")
            item = QTableWidgetItem(text)
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            item.setBackground(QBrush(QColor(shade(c.months, red_from))))
            item.setForeground(QBrush(QColor("#222222")))
            item.setToolTip(self.tr("{house} {owners}: %n month(s), {owed} owed", "", c.months).format(
                house=c.label, owners=c.owners, owed=money.fmt(c.owed, grouping=True))
                if c.owed else f"{c.label} {c.owners}")
            self.setItem(r, k, item)
            self.cells[(r, k)] = c

    def _clicked(self, row: int, column: int) -> None:
        cell = self.cells.get((row, column))
        if cell is not None:
            self.open_counter.emit(cell.house_id)


class ArrearsPage(QWidget):
    open_counter = Signal(int)  # a house id

    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.where = QComboBox()
        self.where.addItem(self.tr("The whole estate"), None)
        for b in estate.tree():
            self.where.addItem(b.name, b.id)
        today = clock.today()
        self.month = QDateEdit(QDate(today.year, today.month, 1))
        self.month.setDisplayFormat("yyyy-MM")
        self.month.setCalendarPopup(True)
        self.where.currentIndexChanged.connect(lambda _i: self.load())
        self.month.dateChanged.connect(lambda _d: self.load_rate())
        print_list = QPushButton(self.tr("Print this list…"))
        print_list.clicked.connect(self.print_list)
        notices = QPushButton(self.tr("Payment notices…"))
        notices.setToolTip(self.tr("A payment notice (缴款通知) for every house here that owes"))
        notices.clicked.connect(lambda: self.print_batch("notice"))
        letters = QPushButton(self.tr("Dunning notices…"))
        letters.setToolTip(self.tr("A dunning notice (催缴通知书) for every house here owing the months set in the "
                                   "office rules or more"))
        letters.clicked.connect(lambda: self.print_batch("dunning"))
        for b in (notices, letters):
            if not users.has(user, "dunning.log"):
                b.hide()
        self.rate = QLabel()
        self.rate.setWordWrap(True)
        self.next_steps: dict[int, str] = {}
        self.red_months = settings.office.dunning_months  # red from the months a dunning notice needs
        self.model = KeyedModel([
            (self.tr("House"), lambda a: a.label, None),
            (self.tr("Owners"), lambda a: a.owners, None),
            (self.tr("Months owed"), lambda a: a.months, RIGHT),
            (self.tr("Since"), lambda a: a.oldest, None),
            (self.tr("Owed"), lambda a: money.fmt(a.owed, grouping=True), RIGHT),
            (self.tr("Of it not yet due"), lambda a: money.fmt(a.not_due, grouping=True) if a.not_due else "", RIGHT),
            (self.tr("Next step"), lambda a: i18n.office(dunning.NEXT[self.next_steps.get(a.house_id, "")]), None),
        ], self.next_page, self, alert=lambda a: a.months >= self.red_months)
        self.view = table_view(self.model)
        self.view.activated.connect(lambda ix: self.open_counter.emit(self.model.row_object(ix.row()).house_id))
        self.detail = HouseArrears(user)
        self.detail.open_counter.connect(self.open_counter)
        self.detail.changed.connect(self.refresh_steps)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self.show_detail())
        split = QSplitter()
        split.addWidget(self.view)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.plan = FloorPlan()
        self.plan.open_counter.connect(self.open_counter)
        self.plan_note = QLabel()
        plan_page = QWidget()
        pl = QVBoxLayout(plan_page)
        pl.addWidget(self.plan_note)
        pl.addWidget(self.plan, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(split, self.tr("List"))
        self.tabs.addTab(plan_page, self.tr("Floor plan"))
        self.total = QLabel()
        bar = FlowLayout()
        bar.addWidget(QLabel(self.tr("Where")))
        bar.addWidget(self.where)
        bar.addWidget(QLabel(self.tr("Collection rate of")))
        bar.addWidget(self.month)
        bar.addStretch(1)
        bar.addWidget(notices)
        bar.addWidget(letters)
        bar.addWidget(print_list)
        box = QVBoxLayout(self)
        box.addLayout(bar)
        box.addWidget(self.rate)
        box.addWidget(self.tabs, 1)
        box.addWidget(self.total)
        self.load()

    @property
    def period(self) -> str:
        d = self.month.date()
        return f"{d.year()}-{d.month():02d}"

    def next_page(self, last, limit: int) -> list:
        """The next houses owing, with the step each is at on the dunning ladder."""
        rows = arrears.page(self.user, building_id=self.where.currentData(), after=last, limit=limit)
        self.next_steps.update(dunning.next_steps(self.user, [a.house_id for a in rows],
                                                  {a.house_id: a.owed for a in rows}))
        return rows

    def load(self) -> None:
        self.red_months = settings.office.dunning_months
        self.next_steps = {}
        self.model.reload()  # the first page: the rest as the list scrolls
        self.view.resizeColumnsToContents()
        total = arrears.owing(self.user, building_id=self.where.currentData())
        self.total.setText(self.tr("{n} houses owe {total} in all; red: {months} months or more.").format(
            n=total.houses, total=money.fmt(total.owed, grouping=True), months=self.red_months))
        self.detail.show_house(None)
        self.load_plan()
        self.load_rate()

    def load_plan(self) -> None:
        building = self.where.currentData()
        if building is None:
            self.plan.show_building([])
            self.plan_note.setText(self.tr("Choose a building above to see its floor plan."))
            return
        self.plan.show_building(arrears.floor_plan(self.user, building), self.red_months)
        self.plan_note.setText(self.tr("Green: nothing owed; yellow: one month; orange: two or more; red: {months} "
                                       "months or more. Click a house to open it at the counter.").format(
            months=self.red_months))

    def refresh_steps(self) -> None:
        rows = self.model.rows
        self.next_steps = dunning.next_steps(self.user, [a.house_id for a in rows], {a.house_id: a.owed for a in rows})
        self.model.refresh_rows()

    def show_detail(self) -> None:
        a = self.model.row_object(self.view.currentIndex().row())
        if a is None:
            self.detail.show_house(None)
        else:
            self.detail.show_house(a.house_id, a.label, a.owners)

    def load_rate(self) -> None:
        c = arrears.collection(self.user, self.period)
        total = c.total
        if not total.billed:
            self.rate.setText(self.tr("{period}: nothing billed yet. Recovered in the month for earlier months: "
                                      "{recovered}.").format(period=self.period,
                                                             recovered=money.fmt(c.recovered, grouping=True)))
            return
        verdict = "" if c.on_target is None else (
            self.tr("on target") if c.on_target else self.tr("below the {target} target").format(
                target=percent(c.target)))
        parts = [f"{r.item} {percent(r.rate)}" for r in c.items]
        self.rate.setText(self.tr("{period}: {paid} paid of {billed} billed, {rate} ({verdict}). {items}. "
                                  "Recovered in the month for earlier months: {recovered}.").format(
            period=self.period, paid=money.fmt(total.paid, grouping=True), billed=money.fmt(total.billed, grouping=True),
            rate=percent(total.rate), verdict=verdict, items="; ".join(parts),
            recovered=money.fmt(c.recovered, grouping=True)))

    def print_batch(self, kind: str) -> None:
        where = self.where.currentText()
        if kind == "notice":
            ids = arrears.owing_ids(self.user, building_id=self.where.currentData())
            question = self.tr("Make a payment notice for each of the {n} houses that owe ({where})?")
        else:
            ids, promised = dunning.dunning_batch(self.user, self.where.currentData())
            question = self.tr("Make a dunning notice for each of the {n} houses owing {months} months or more past "
                               "the due date ({where})?").replace("{months}", str(settings.office.dunning_months))
            if promised:
                question += " " + self.tr("{k} more are waiting for the date they promised to pay and are left "
                                          "out.").format(k=promised)
        title = self.tr("Payment notices") if kind == "notice" else self.tr("Dunning notices")
        if not ids:
            QMessageBox.information(self, title, self.tr("No house here needs one."))
            return
        if QMessageBox.question(self, title, question.format(n=len(ids), where=where)) \
                != QMessageBox.StandardButton.Yes:
            return
        if print_notices(self, self.user, kind, ids, where):
            self.refresh_steps()

    def print_list(self):
        """The list on paper. Paper has no red: the houses shown red on screen (owing the
        months of a dunning notice or more) carry a ★, and the line above the list says so."""
        from dataclasses import replace

        from printing import lists
        from printing.furniture import Letterhead
        from ui.preview import PreviewDialog, list_data

        title = self.tr("Arrears — {where}").format(where=self.where.currentText())
        rows = self.model.fetch_all()  # the whole list on paper, not only the rows scrolled to
        legend = self.tr("{n} houses owe {total} in all; ★: {months} months or more.").format(
            n=len(rows), total=money.fmt(sum(a.owed for a in rows), grouping=True), months=self.red_months)
        data = list_data(title, self.model, legend)
        marked = [["★ " + row[0] if self.model.alert(rows[n]) else row[0], *row[1:]]
                  for n, row in enumerate(data.rows)]
        pdf = lists.render(replace(data, rows=marked), Letterhead.from_profile(estate.profile()))
        dialog = PreviewDialog(pdf, title, self, file_name=f"{title}.pdf")
        dialog.exec()
        return dialog
