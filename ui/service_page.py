"""报修: the service desk's repairs. Intake in under a minute (the house, who reports it,
what and where, the category and urgency) starts the 10-minute dispatch clock; the open
orders show the time left to their next deadline, refreshed live, overdue in red; dispatch
prints the work order (派工单); completion, the return visit and rework follow."""
from __future__ import annotations

import datetime

from PySide6.QtCore import QCoreApplication, QDateTime, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateTimeEdit, QHBoxLayout, QHeaderView, QInputDialog, QLabel,
                               QLineEdit, QMessageBox, QPlainTextEdit, QSpinBox, QSplitter, QTableWidget,
                               QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from models import (clock, complaints, deadlines, due_now, estate, handbook, house_phone, repairs, users, validation,
                    visits)
from models.errors import OfficeError, QT_TRANSLATE_NOOP, ValidationError
from ui import i18n
from ui.archive_page import table_view
from ui.desk_page import button, find_house, intake_box, list_box, preview_slip
from ui.form import Form, FormDialog, fill_combo
from ui.table_models import RIGHT, RowsModel

LATE = QColor("#f4a9a0")
SOON = QColor("#fff3c4")  # under an hour left
# the intake beside an open list: what its fields need, so that the list's main columns (the
# number, the time left, the deadline, the house, what) show whole at 1024 pixels
INTAKE_WIDTH = 250


def qdatetime(value: datetime.datetime) -> QDateTime:
    return QDateTime.fromString(value.strftime("%Y-%m-%d %H:%M"), "yyyy-MM-dd HH:mm")


def py_datetime(edit: QDateTimeEdit) -> datetime.datetime:
    return datetime.datetime.strptime(edit.dateTime().toString("yyyy-MM-dd HH:mm"), "%Y-%m-%d %H:%M")


def datetime_edit(value: datetime.datetime) -> QDateTimeEdit:
    edit = QDateTimeEdit(qdatetime(value))
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setCalendarPopup(True)
    return edit


def due_of(repair) -> datetime.datetime | None:
    item = repairs.next_deadline(repair)
    return item[1] if item else None


def shade_of(left) -> QColor | None:
    """Overdue in red, under an hour left in yellow."""
    return LATE if left.overdue else SOON if left.seconds < 3600 else None


def fill_contact(house, name_edit: QLineEdit, phone_edit: QLineEdit) -> None:
    """The house's owner and their phone (masked; the record keeps it in full) into the
    intake, where the clerk has typed nothing of her own: what was filled for a house
    typed before is replaced, what she typed stays."""
    contact = house_phone.of_house(house.id if house else None)
    for edit, value in ((name_edit, contact.name if contact else ""),
                        (phone_edit, contact.phone_shown if contact else "")):
        if not edit.text().strip() or edit.text() == edit.property("filled"):
            edit.setText(value)
            edit.setProperty("filled", value)


class EnterMovesOn(QObject):
    """Enter in an intake field moves to the next field that can be filled in; from the
    last one that matters (`last`) and any after it, it takes the form in (`done`)."""

    leaving = Signal(QWidget)  # a field Enter is moving away from

    def __init__(self, fields: list, last, done, parent=None):
        super().__init__(parent)
        self.fields, self.last, self.done = fields, fields.index(last), done
        for field in fields:
            field.installEventFilter(self)

    def eventFilter(self, watched, event):  # noqa: N802
        if (event.type() != QEvent.Type.KeyPress or event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier or watched not in self.fields):
            return False
        at = self.fields.index(watched)
        self.leaving.emit(watched)
        if at >= self.last:
            self.done()
            return True
        following = [f for f in self.fields[at + 1:] if f.isEnabled()]
        if following:
            following[0].setFocus()
        return True


class _Stretch(QObject):
    """Keeps one column as wide as the room the others leave in the view, and no narrower
    than `least` (then the list scrolls)."""

    def __init__(self, view, column: int, least: int, then_scroll: bool = False):
        super().__init__(view)
        self.view, self.column, self.least, self.then_scroll = view, column, least, then_scroll
        view.viewport().installEventFilter(self)
        self.queued = False
        # the others fitted to their text or dragged: fitted once that is over (Qt sets the
        # sizes of a fit to contents after it has signalled them)
        view.horizontalHeader().sectionResized.connect(lambda *_: self.fit_soon())

    def eventFilter(self, watched, event):  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit_soon(self) -> None:
        if not self.queued:
            self.queued = True
            QTimer.singleShot(0, self, self.fit)

    def fit(self) -> None:
        self.queued = False
        header = self.view.horizontalHeader()
        shown = [n for n in range(header.count()) if n != self.column and not header.isSectionHidden(n)]
        before = sum(header.sectionSize(n) for n in shown if header.visualIndex(n) < header.visualIndex(self.column))
        after = sum(header.sectionSize(n) for n in shown) - before
        room = self.view.viewport().width() - before
        if not self.then_scroll or room - after >= self.least:
            room -= after
        # else no room for them all: the column fills what those before it leave, and those
        # after it (the less important ones) are reached by scrolling
        width = max(self.least, room)
        if header.sectionSize(self.column) != width:
            header.resizeSection(self.column, width)


def stretch_column(view, column: int, least: int = 120, then_scroll: bool = False) -> None:
    """The description takes the room the other columns leave and gives way first on a
    narrow screen (down to `least` pixels); the others fit their text, the last one too.
    `then_scroll`: when even that leaves no room for the columns after it, the description
    still shows to the view's edge and those after it scroll."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
    view._stretch = _Stretch(view, column, least, then_scroll)


def fit_to_text(view, column: int) -> None:
    """The column always as wide as its text, as the text changes with the clock (the time
    left: '9 min left', then '1 h 2 min overdue'), never cut."""
    view.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)


def cap_column(view, column: int, sample: str) -> None:
    """Fitted to its text (fit_columns), the column is at most as wide as `sample`; a longer
    text ends in … and the clerk can drag the column wider."""
    view._caps = {**getattr(view, "_caps", {}), column: sample}


def fit_columns(view) -> None:
    """The columns fitted to their text, the capped ones no wider than their cap."""
    view.resizeColumnsToContents()
    header, metrics = view.horizontalHeader(), view.fontMetrics()
    for column, sample in getattr(view, "_caps", {}).items():
        most = metrics.horizontalAdvance(sample) + 12  # and the cell's margins
        if header.sectionSize(column) > most:
            header.resizeSection(column, most)


def work_order(repair):
    """维修派工单: the job, the time promised, and the lines the owner signs."""
    from printing.slip import SlipData

    where = repair.house.label if repair.house_id else ""
    if repair.place:
        where = f"{where} {repair.place}".strip()
    rows = [("房号/地点", where), ("报修人", repair.reporter),
            ("联系电话", repair.phone),
            ("报修时间", repair.reported_at.strftime("%Y-%m-%d %H:%M")),
            ("报修内容", repair.what),
            ("类别", i18n.office(repairs.CATEGORIES[repair.category])),
            ("紧急程度", i18n.office(repairs.URGENCY[repair.urgency])),
            ("维修人员", repair.technician.name if repair.technician_id else ""),
            ("约定时间", repair.appointment_at.strftime("%Y-%m-%d %H:%M") if repair.appointment_at else "")]
    if repair.reworks:
        rows.append(("返修", f"第 {repair.reworks} 次"))
    return SlipData("维修派工单", repair.number_text, rows,
                    "完工后请业主核对维修结果并评价：□满意  □基本满意  □不满意。所用材料及有偿费用按物业服务中心价目表收取。",
                    ["维修人员", "业主签字", "完工时间", "派工人"])


class RepairsTab(QWidget):
    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.form = Form()
        self.house_edit = self.form.add("house", self.tr("House"), QLineEdit())
        self.house_edit.setPlaceholderText(self.tr("3-2-1201 or empty"))
        self.house_edit.setToolTip(self.tr("The house, as 3-2-1201; empty for a public place, said under Where"))
        self.house_label = QLabel()
        self.form.layout_.addRow("", self.house_label)
        self.reporter = self.form.add("reporter", self.tr("Reported by"), QLineEdit())
        self.phone = self.form.add("phone", self.tr("Phone"), QLineEdit())
        self.place = self.form.add("place", self.tr("Where"), QLineEdit())
        self.place.setPlaceholderText(self.tr("bathroom, lift hall"))
        self.place.setToolTip(self.tr("Where in the house or the estate: bathroom ceiling, lift hall of building 3 …"))
        self.what = self.form.add("what", self.tr("What"), QLineEdit())
        self.what.setPlaceholderText(self.tr("ceiling dripping …"))
        self.what.setToolTip(self.tr("What the owner reports: ceiling dripping …; Enter takes the repair in"))
        self.category = self.form.add("category", self.tr("Category"),
                                      fill_combo(QComboBox(), repairs.CATEGORIES, "other"))
        self.urgency = self.form.add("urgency", self.tr("Urgency"), fill_combo(QComboBox(), repairs.URGENCY, "normal"))
        self.channel = self.form.add("channel", self.tr("By"), fill_combo(QComboBox(), repairs.CHANNELS, "phone"))
        self.house_edit.editingFinished.connect(self.resolve_house)
        for edit, after in ((self.house_edit, self.reporter), (self.reporter, self.phone), (self.phone, self.place),
                            (self.place, self.what)):
            edit.returnPressed.connect(after.setFocus)
        self.what.returnPressed.connect(self.take_in)
        # the category follows what the owner says, until the clerk chooses one
        self.category_chosen = False
        self.what.textEdited.connect(self.guess_category)
        self.category.activated.connect(lambda _i: setattr(self, "category_chosen", True))
        self.taken = QLabel()
        self.taken.setWordWrap(True)
        intake = intake_box(self.tr("Take a repair in"), self.form, button(self.tr("Take it in"), self.take_in),
                            self.taken)

        # the time left beside the number, where a narrow screen never pushes it off
        self.model = RowsModel([
            (self.tr("No."), lambda r: r.number_text, None),
            (self.tr("Time left"), self.left_text, None),
            (self.tr("Next deadline"), lambda r: due_of(r).strftime("%m-%d %H:%M") if due_of(r) else "", None),
            (self.tr("House or place"), lambda r: " ".join(x for x in (r.house.label if r.house_id else "", r.place)
                                                            if x), None),
            (self.tr("What"), lambda r: r.what, None),
            (self.tr("Category"), lambda r: i18n.office(repairs.CATEGORIES[r.category]), None),
            (self.tr("State"), self.state_text, None),
            (self.tr("Technician"), lambda r: r.technician.name if r.technician_id else "", None),
        ], self, shade=self.shade)
        self.view = table_view(self.model)
        stretch_column(self.view, 4, then_scroll=True)
        fit_to_text(self.view, 1)
        cap_column(self.view, 3, "3-2-1201 卫生间顶棚")  # the house and the first words of the place
        self.summary = QLabel()
        buttons = [button(self.tr("Answer…"), self.answer), button(self.tr("Dispatch…"), self.dispatch),
                   button(self.tr("Work order"), self.print_again), button(self.tr("Done…"), self.complete),
                   button(self.tr("Return visit…"), self.visit), button(self.tr("Cancel…"), self.cancel),
                   button(self.tr("Month's figures…"), self.figures)]
        if users.has(user, "service.manage"):
            buttons.insert(0, button(self.tr("Technicians…"), self.technicians))
        orders = list_box(self.tr("Open repairs"), self.view, buttons, self.summary)
        split = QSplitter()
        split.addWidget(intake)
        split.addWidget(orders)
        split.setStretchFactor(1, 1)
        split.setSizes([INTAKE_WIDTH, 1020])  # on a narrow screen the list keeps the room
        box = QVBoxLayout(self)
        box.addWidget(split)
        self.house = None
        self.timer = QTimer(self)  # the time left, live
        self.timer.timeout.connect(self.tick)
        self.timer.start(30_000)
        self.load()

    # --- the list ---------------------------------------------------------------------------------

    def state_text(self, r) -> str:
        text = i18n.office(repairs.STATES[r.state])
        if r.reworks:
            return self.tr("{state}, rework {n}").format(state=text, n=r.reworks)
        if r.state == "waiting" and r.answered_at:
            return self.tr("{state} (answered)").format(state=text)
        return text

    def left_text(self, r) -> str:
        due = due_of(r)
        return left_text(deadlines.left(due, clock.now())) if due else ""

    def shade(self, r):
        due = due_of(r)
        return shade_of(deadlines.left(due, clock.now())) if due else None

    def load(self) -> None:
        rows = repairs.open_repairs(self.user)
        chosen = self.chosen(quiet=True)
        self.model.set_rows(rows)
        fit_columns(self.view)
        if chosen is not None:
            for n, r in enumerate(rows):
                if r.id == chosen.id:
                    self.view.selectRow(n)
        self.tick()

    def tick(self) -> None:
        self.model.layoutChanged.emit()  # times left, as of now
        late = sum(1 for r in self.model.rows if due_of(r) and due_of(r) < clock.now())
        self.summary.setText(self.tr("{n} open, {late} past a deadline.").format(n=len(self.model.rows), late=late))

    def chosen(self, quiet: bool = False):
        index = self.view.currentIndex()
        r = self.model.row_object(index.row()) if index.isValid() else None
        if r is None and not quiet:
            QMessageBox.information(self, self.tr("Repairs"), self.tr("Choose a repair in the list first"))
        return r

    # --- intake -----------------------------------------------------------------------------------

    def focus_first(self) -> None:
        self.house_edit.setFocus()
        self.house_edit.selectAll()

    def resolve_house(self) -> None:
        text = self.house_edit.text().strip()
        self.house = find_house(self.user, text) if text else None
        if self.house is None:
            self.house_label.setText(self.tr("No such house") if text else "")
            return
        self.house_label.setText(f"{self.house.label}  {self.house.owner_names}")
        self.house_edit.setText(self.house.label)
        fill_contact(self.house, self.reporter, self.phone)

    def guess_category(self, text: str) -> None:
        category = repairs.category_of(text)
        if category and not self.category_chosen:
            self.category.setCurrentIndex(self.category.findData(category))

    def take_in(self):
        self.form.clear_errors()
        self.resolve_house()
        if self.house_edit.text().strip() and self.house is None:
            self.form.rows["house"].set_error(self.tr("No such house"))
            return None
        try:
            repair = repairs.report(
                self.user, house_id=self.house.id if self.house else None, reporter=self.reporter.text(),
                phone=self.phone.text(), place=self.place.text(), what=self.what.text(),
                category=self.category.currentData(), urgency=self.urgency.currentData(),
                channel=self.channel.currentData())
        except ValidationError as e:
            rest = self.form.show_errors(e)
            if rest:
                QMessageBox.warning(self, self.tr("Repairs"), rest)
            return None
        except OfficeError as e:
            QMessageBox.warning(self, self.tr("Repairs"), i18n.error_text(e))
            return None
        for edit in (self.house_edit, self.reporter, self.phone, self.place, self.what):
            edit.clear()
        self.category_chosen = False
        self.category.setCurrentIndex(self.category.findData("other"))
        self.house = None
        self.house_label.setText("")
        self.taken.setText(self.tr("{number} taken in. Tell the owner: we answer about dispatch by {due}.").format(
            number=repair.number_text, due=repair.dispatch_due.strftime("%H:%M")))
        self.load()
        for n, r in enumerate(self.model.rows):
            if r.id == repair.id:
                self.view.selectRow(n)
        self.focus_first()
        return repair

    # --- the steps ----------------------------------------------------------------------------------

    def _run(self, action) -> bool:
        try:
            repair = action()
        except (ValidationError, OfficeError) as e:
            QMessageBox.warning(self, self.tr("Repairs"), i18n.error_text(e))
            return False
        self.stepped(repair)
        return True

    def stepped(self, repair) -> None:
        """After a step: the list as of now, and the note under the intake says where the
        order stands (it replaces the note of the intake or of the step before)."""
        self.load()
        repair = repairs.Repair.get_by_id(repair.id)
        state = self.state_text(repair)
        item = repairs.next_deadline(repair)
        if item is None:
            self.taken.setText(self.tr("{number}: {state}.").format(number=repair.number_text, state=state))
        else:
            self.taken.setText(self.tr("{number}: {state}. {what} by {due}.").format(
                number=repair.number_text, state=state, what=i18n.office(due_now.WHAT[item[0]]),
                due=item[1].strftime("%m-%d %H:%M")))

    def answer(self) -> None:
        r = self.chosen()
        if r is None:
            return
        note, ok = QInputDialog.getText(self, self.tr("Answer the owner"), self.tr(
            "What the owner was told about dispatch ({number}):").format(number=r.number_text))
        if ok:
            self._run(lambda: repairs.answer(self.user, r.id, note))

    def dispatch(self):
        r = self.chosen()
        if r is None:
            return None
        dialog = DispatchDialog(self.user, r, self)
        if dialog.exec():
            self.stepped(dialog.result_object)
            return self.print_order(dialog.result_object)
        return None

    def print_order(self, repair):
        repair = repairs.Repair.get_by_id(repair.id)
        return preview_slip(self, work_order(repair), self.tr("Work order {number}").format(
            number=repair.number_text), f"{repair.number_text}.pdf")

    def print_again(self):
        r = self.chosen()
        return self.print_order(r) if r is not None else None

    def complete(self) -> None:
        r = self.chosen()
        if r is None:
            return
        dialog = CompleteDialog(self.user, r, self)
        if dialog.exec():
            self.stepped(dialog.result_object)

    def visit(self) -> None:
        r = self.chosen()
        if r is None:
            return
        dialog = VisitDialog(self.user, r, self)
        if dialog.exec():
            self.stepped(dialog.result_object)

    def cancel(self) -> None:
        r = self.chosen()
        if r is None:
            return
        reason, ok = QInputDialog.getText(self, self.tr("Cancel a repair"), self.tr(
            "Why is {number} cancelled?").format(number=r.number_text))
        if ok:
            self._run(lambda: repairs.cancel(self.user, r.id, reason))

    def technicians(self) -> None:
        if TechnicianDialog(self.user, self).exec():
            self.load()

    def figures(self, month: str | None = None):
        """The month's figures against the office's targets (settings; by default on time
        ≥ 95 %, repeat repairs 0, return visits 100 %); for everyone, each technician and
        each category."""
        from models import settings
        from ui.preview import preview_list

        if month is None:
            month, ok = QInputDialog.getText(self, self.tr("Month's figures"), self.tr("Month:"),
                                             text=clock.today().strftime("%Y-%m"))
            if not ok:
                return None
        try:
            figures = repairs.month_figures(self.user, month.strip())
        except (ValueError, ValidationError):
            QMessageBox.warning(self, self.tr("Repairs"), self.tr("Write the month as 2026-11"))
            return None

        def pct(part, whole):
            return f"{part * 100 / whole:.1f} %" if whole else "—"

        def scope(key):
            tech, category = key
            if tech:
                return self.tr("Technician {name}").format(name=tech)
            if category:
                return i18n.office(repairs.CATEGORIES.get(category, category))
            return self.tr("All repairs")

        keys = sorted(figures, key=lambda k: (bool(k[1]), bool(k[0]), k))
        model = RowsModel([
            (self.tr("Of"), scope, None),
            (self.tr("Done"), lambda k: figures[k].repairs, RIGHT),
            (self.tr("On time"), lambda k: pct(figures[k].on_time, figures[k].repairs), RIGHT),
            (self.tr("Repeat repairs"), lambda k: figures[k].repeats, RIGHT),
            (self.tr("Visits due"), lambda k: figures[k].visits_due, RIGHT),
            (self.tr("Visits made"), lambda k: pct(figures[k].visits_done, figures[k].visits_due), RIGHT),
        ], self)
        model.set_rows(keys)
        aims = settings.all_values()  # the office's targets, as on every figure it prints
        dialog = preview_list(self, self.tr("Repairs, {month}").format(month=month.strip()), model,
                              self.tr("Targets: on time ≥ {on_time} %, repeat repairs {repeats}, return visits "
                                      "{visits} %").format(on_time=aims["target_repairs_on_time_percent"],
                                                           repeats=aims["target_repeat_repairs"],
                                                           visits=aims["target_return_visits_percent"]))
        dialog.exec()
        return dialog


class DispatchDialog(FormDialog):
    def __init__(self, user, repair, parent=None):
        super().__init__(self.tr("Dispatch {number}").format(number=repair.number_text), parent)
        self.user, self.repair = user, repair
        about = QLabel(f"{repair.house.label if repair.house_id else ''} {repair.place} {repair.what}".strip())
        about.setWordWrap(True)
        self.box.insertWidget(0, about)
        self.technician = self.form.add("technician", self.tr("Technician"), QComboBox())
        for t in repairs.technicians():
            self.technician.addItem(f"{t.name}  {t.trade}".strip(), t.id)
        if repair.reworks:  # back to who did the job
            self.technician.setCurrentIndex(max(0, self.technician.findData(repair.technician_id)))
            self.technician.setEnabled(False)
        soon = repairs.default_appointment(clock.now(), repair.urgency)  # not 01:25 at night
        self.appointment = self.form.add("appointment_at", self.tr("Promised to the owner by"), datetime_edit(soon))
        self.buttons.button(self.buttons.StandardButton.Save).setText(self.tr("Dispatch and print the work order"))

    def save(self):
        return repairs.dispatch(self.user, self.repair.id, self.technician.currentData(),
                                py_datetime(self.appointment))


class CompleteDialog(FormDialog):
    def __init__(self, user, repair, parent=None):
        super().__init__(self.tr("{number} done").format(number=repair.number_text), parent)
        self.user, self.repair = user, repair
        now = clock.now()
        self.done_at = self.form.add("done_at", self.tr("Done at"), datetime_edit(now))
        self.leak_test = self.form.add("leak_test_at", self.tr("Leak test at"), datetime_edit(now))
        self.form.show_row("leak_test_at", repair.category == "leak")
        self.materials = self.form.add("materials", self.tr("Materials"), QLineEdit())
        self.labour = self.form.add("labour_minutes", self.tr("Labour (minutes)"), QSpinBox())
        self.labour.setRange(0, 24 * 60 * 7)
        self.labour.setSingleStep(15)
        self.verdict = self.form.add("verdict", self.tr("Owner's verdict"),
                                     fill_combo(QComboBox(), repairs.VERDICTS, "satisfied"))
        # paid services, priced by the office's list
        self.priced = [p for p in handbook.price_list(user) if p.price is not None]
        self.parts = QTableWidget(len(self.priced), 3)
        self.parts.setHorizontalHeaderLabels([self.tr("Paid service"), self.tr("Price"), self.tr("Quantity")])
        self.parts.verticalHeader().hide()
        self.quantities = []
        for row, item in enumerate(self.priced):
            self.parts.setItem(row, 0, QTableWidgetItem(item.name))
            self.parts.setItem(row, 1, QTableWidgetItem(item.shown_price()))
            spin = QSpinBox()
            spin.setRange(0, 99)
            self.parts.setCellWidget(row, 2, spin)
            self.quantities.append(spin)
        self.parts.resizeColumnsToContents()
        self.parts.horizontalHeader().setStretchLastSection(True)
        self.form.add("parts", self.tr("Paid services"), self.parts)
        if not repair.house_id:
            self.form.show_row("parts", False)
        self.setMinimumWidth(560)

    def save(self):
        parts = [repairs.Part(item.id, spin.value()) for item, spin in zip(self.priced, self.quantities)
                 if spin.value()]
        return repairs.complete(self.user, self.repair.id, materials=self.materials.text(),
                                labour_minutes=self.labour.value(), verdict=self.verdict.currentData(),
                                parts=parts, done_at=py_datetime(self.done_at),
                                leak_test_at=py_datetime(self.leak_test) if self.repair.category == "leak" else None)


class VisitDialog(FormDialog):
    def __init__(self, user, repair, parent=None):
        super().__init__(self.tr("Return visit for {number}").format(number=repair.number_text), parent)
        self.user, self.repair = user, repair
        about = QLabel(self.tr("{what}; done by {tech}; due {due}").format(
            what=repair.what, tech=repair.technician.name if repair.technician_id else "",
            due=repair.visit_due.strftime("%m-%d %H:%M") if repair.visit_due else ""))
        about.setWordWrap(True)
        self.box.insertWidget(0, about)
        self.result_box = self.form.add("ok", self.tr("Result"), fill_combo(QComboBox(), {
            "ok": self.tr("All well"), "problem": self.tr("A problem: back to the technician")}, "ok"))
        self.how = self.form.add("how", self.tr("How"), fill_combo(QComboBox(), repairs.VISIT_HOW, "phone"))
        self.note = self.form.add("note", self.tr("What the owner said"), QLineEdit())

    def save(self):
        return repairs.visit(self.user, self.repair.id, ok=self.result_box.currentData() == "ok",
                             how=self.how.currentData(), note=self.note.text())


class TechnicianDialog(FormDialog):
    """The office's technicians (they need no login): add one, or change one, or take one
    off the list (their orders keep their name)."""

    def __init__(self, user, parent=None):
        super().__init__(self.tr("Technicians"), parent)
        self.user = user
        self.which = self.form.add("which", self.tr("Technician"), QComboBox())
        self.which.addItem(self.tr("(a new one)"), None)
        for t in repairs.technicians(active_only=False):
            self.which.addItem(t.name if t.active else self.tr("{name} (off the list)").format(name=t.name), t.id)
        self.name = self.form.add("name", self.tr("Name"), QLineEdit())
        self.phone = self.form.add("phone", self.tr("Phone"), QLineEdit())
        self.trade = self.form.add("trade", self.tr("Trade"), QLineEdit())
        self.trade.setPlaceholderText(self.tr("plumbing and electrics, carpentry …"))
        self.active = self.form.add("active", self.tr("On the list"), QCheckBox(self.tr("gets new orders")))
        self.active.setChecked(True)
        self.which.currentIndexChanged.connect(self.show_one)

    def show_one(self) -> None:
        tid = self.which.currentData()
        t = repairs.Technician.get_by_id(tid) if tid else None
        self.name.setText(t.name if t else "")
        self.phone.setText(t.phone if t else "")
        self.trade.setText(t.trade if t else "")
        self.active.setChecked(t.active if t else True)

    def save(self):
        return repairs.save_technician(self.user, self.which.currentData(), name=self.name.text(),
                                       phone=validation.scanned(self.phone.text()), trade=self.trade.text(),
                                       active=self.active.isChecked())


class ComplaintsTab(QWidget):
    """投诉: recorded by the clerk who owns it until it is closed; its next deadline shows."""

    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.form = Form()
        self.kind = self.form.add("kind", self.tr("Kind"), fill_combo(QComboBox(), complaints.KINDS, "complaint"))
        self.channel = self.form.add("channel", self.tr("By"), fill_combo(QComboBox(), complaints.CHANNELS, "phone"))
        self.house_edit = self.form.add("house", self.tr("House"), QLineEdit())
        self.house_edit.setPlaceholderText("3-2-1201")
        self.name = self.form.add("name", self.tr("Owner"), QLineEdit())
        self.phone = self.form.add("phone", self.tr("Phone"), QLineEdit())
        self.place = self.form.add("place", self.tr("Where"), QLineEdit())
        self.about = self.form.add("about", self.tr("Complained of"), QLineEdit())
        self.about.setPlaceholderText(self.tr("a person or team"))
        self.about.setToolTip(self.tr("Who is complained of: a person, a department, a neighbour …"))
        self.happened = self.form.add("happened_at", self.tr("When it happened"), datetime_edit(clock.now()))
        self.what = self.form.add("what", self.tr("What happened"), QLineEdit())
        self.asks = self.form.add("asks", self.tr("The owner asks for"), QLineEdit())
        by = QWidget()
        bh = QHBoxLayout(by)
        bh.setContentsMargins(0, 0, 0, 0)
        self.by_time = QCheckBox(self.tr("by"))
        self.asked_by = datetime_edit(clock.now())
        self.asked_by.setEnabled(False)
        self.by_time.toggled.connect(self.asked_by.setEnabled)
        bh.addWidget(self.by_time)
        bh.addWidget(self.asked_by, 1)
        self.form.add("asked_by", self.tr("The owner's time"), by)
        self.simple = self.form.add("simple", self.tr("Simple"), QCheckBox(self.tr("answer within 2 hours")))
        self.house_edit.editingFinished.connect(self.resolve_house)
        # Enter moves on through the form, as the clerk fills it in; on the owner's request
        # (or the boxes after it) it records
        self.enter = EnterMovesOn([self.kind, self.channel, self.house_edit, self.name, self.phone, self.place,
                                   self.about, self.happened, self.what, self.asks, self.by_time, self.asked_by,
                                   self.simple], self.asks, self.record, self)
        self.enter.leaving.connect(lambda widget: widget is self.house_edit and self.resolve_house())
        self.recorded = QLabel()  # what was recorded last, or the step last taken
        self.recorded.setWordWrap(True)
        record = button(self.tr("Record"), self.record)
        record.setAutoDefault(True)  # Enter on it records, as Space does
        intake = intake_box(self.tr("Record a complaint"), self.form, record, self.recorded)
        # the time left beside the number, where a narrow screen never pushes it off
        self.model = RowsModel([
            (self.tr("No."), lambda c: c.number_text, None),
            (self.tr("Time left"), lambda c: self.next_of(c)[1], None),
            (self.tr("Next deadline"), lambda c: self.next_of(c)[0], None),
            (self.tr("House"), lambda c: c.house.label if c.house_id else "", None),
            (self.tr("What"), lambda c: c.what, None),
            (self.tr("Kind"), lambda c: i18n.office(complaints.KINDS[c.kind]), None),
            (self.tr("Class"), lambda c: i18n.office(complaints.CLASSES[c.klass]) if c.klass else "", None),
            (self.tr("Owned by"), lambda c: c.owner.full_name, None),
        ], self, shade=self.shade)
        self.view = table_view(self.model)
        stretch_column(self.view, 4, then_scroll=True)
        fit_to_text(self.view, 1)
        buttons = [button(self.tr("Classify…"), self.classify), button(self.tr("Answer…"), self.answer),
                   button(self.tr("Report up…"), self.escalate), button(self.tr("Handled…"), self.handle),
                   button(self.tr("Follow up…"), self.follow_up),
                   button(self.tr("Close…"), self.close_one), button(self.tr("Today's review…"), self.day_review),
                   button(self.tr("Week summary…"), self.week_summary)]
        self.summary = QLabel()
        self.detail = QLabel()  # the chosen complaint's deadlines, each met or with its time left
        self.detail.setWordWrap(True)
        orders = list_box(self.tr("Open complaints"), self.view, buttons, self.summary)
        orders.layout().insertWidget(1, self.detail)
        split = QSplitter()
        split.addWidget(intake)
        split.addWidget(orders)
        split.setStretchFactor(1, 1)
        split.setSizes([INTAKE_WIDTH + 30, 1020])  # its longer labels; on a narrow screen the list keeps the room
        QVBoxLayout(self).addWidget(split)
        self.house = None
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self.show_detail())
        self.timer = QTimer(self)  # the time left, live
        self.timer.timeout.connect(self.tick)
        self.timer.start(30_000)
        self.load()

    def next_of(self, c) -> tuple[str, str]:
        pending = complaints.pending(c)
        if not pending:
            return "", ""
        d = min(pending, key=lambda d: d.due)
        what = i18n.office(complaints.DEADLINE_NAMES[d.what])
        return f"{what} {d.due:%m-%d %H:%M}", left_text(deadlines.left(d.due, clock.now()))

    def shade(self, c):
        pending = complaints.pending(c)
        return shade_of(deadlines.left(min(d.due for d in pending), clock.now())) if pending else None

    def load(self, select_id: int | None = None) -> None:
        """The open complaints as of now; the one chosen stays chosen (or `select_id`)."""
        if not self.what.text().strip():  # a form not being filled in: it happened now, unless told otherwise
            self.happened.setDateTime(qdatetime(clock.now()))
            self.asked_by.setDateTime(qdatetime(clock.now() + datetime.timedelta(days=1)))
        if select_id is None:
            chosen = self.chosen(quiet=True)
            select_id = chosen.id if chosen is not None else None
        self.model.set_rows(complaints.open_complaints(self.user))
        self.view.resizeColumnsToContents()
        if select_id is not None:
            for n, c in enumerate(self.model.rows):
                if c.id == select_id:
                    self.view.selectRow(n)
        self.tick()

    def tick(self) -> None:
        self.model.layoutChanged.emit()  # times left, as of now
        now = clock.now()
        late = sum(1 for c in self.model.rows if any(d.due < now for d in complaints.pending(c)))
        self.summary.setText(self.tr("{n} open, {late} past a deadline.").format(n=len(self.model.rows), late=late))
        self.show_detail()

    def show_detail(self) -> None:
        """The chosen complaint's deadlines: each met (in time or late) or its time left."""
        c = self.chosen(quiet=True)
        if c is None:
            self.detail.setText("")
            return
        now, parts = clock.now(), []
        for d in complaints.deadlines_of(c):
            name = i18n.office(complaints.DEADLINE_NAMES[d.what])
            if d.met_at is None:
                state = left_text(deadlines.left(d.due, now))
            else:
                state = self.tr("met") if d.met_at <= d.due else self.tr("met late")
            parts.append(f"{name} {d.due:%m-%d %H:%M} ({state})")
        self.detail.setText(self.tr("{complaint}: {deadlines}").format(
            complaint=f"{c.number_text} {c.what}", deadlines="; ".join(parts)) if parts else "")

    def resolve_house(self) -> None:
        text = self.house_edit.text().strip()
        self.house = find_house(self.user, text) if text else None
        if self.house is not None:
            self.house_edit.setText(self.house.label)
            fill_contact(self.house, self.name, self.phone)

    def record(self):
        self.form.clear_errors()
        self.resolve_house()
        if self.house_edit.text().strip() and self.house is None:
            self.form.rows["house"].set_error(self.tr("No such house"))
            return None
        try:
            c = complaints.record(self.user, kind=self.kind.currentData(), channel=self.channel.currentData(),
                                  house_id=self.house.id if self.house else None, name=self.name.text(),
                                  phone=self.phone.text(), place=self.place.text(), about=self.about.text(),
                                  what=self.what.text(), asks=self.asks.text(), simple=self.simple.isChecked(),
                                  happened_at=py_datetime(self.happened),
                                  asked_by=py_datetime(self.asked_by) if self.by_time.isChecked() else None)
        except ValidationError as e:
            rest = self.form.show_errors(e)
            if rest:
                QMessageBox.warning(self, self.tr("Complaints"), rest)
            return None
        for edit in (self.house_edit, self.name, self.phone, self.place, self.about, self.what, self.asks):
            edit.clear()
        self.simple.setChecked(False)
        self.by_time.setChecked(False)
        self.happened.setDateTime(qdatetime(clock.now()))
        self.house = None
        first = next((d for d in complaints.deadlines_of(c) if d.what == "first_answer"), None)
        if first is not None:
            self.recorded.setText(self.tr("{number} recorded. Tell the owner: a first answer by {due}.").format(
                number=c.number_text, due=first.due.strftime("%m-%d %H:%M")))
        else:
            self.recorded.setText(self.tr("{number} recorded.").format(number=c.number_text))
        self.load(select_id=c.id)
        self.house_edit.setFocus()
        return c

    def chosen(self, quiet: bool = False):
        index = self.view.currentIndex()
        c = self.model.row_object(index.row()) if index.isValid() else None
        if c is None and not quiet:
            QMessageBox.information(self, self.tr("Complaints"), self.tr("Choose a complaint in the list first"))
        return c

    def stepped(self, c, step: str) -> None:
        """After a step: the list as of now with the same complaint chosen, and the note
        under the intake says what was done and what it waits for next."""
        self.load(select_id=c.id)
        c = complaints.Complaint.get_by_id(c.id)
        text = self.tr("{number}: {step}, {time}.").format(
            number=c.number_text, step=i18n.office(complaints.STEPS[step]), time=clock.now().strftime("%m-%d %H:%M"))
        pending = complaints.pending(c) if c.closed_at is None else []
        if pending:
            d = min(pending, key=lambda d: d.due)
            text += " " + self.tr("Next: {what} by {due}.").format(
                what=i18n.office(complaints.DEADLINE_NAMES[d.what]), due=d.due.strftime("%m-%d %H:%M"))
        self.recorded.setText(text)

    def _text_step(self, title: str, prompt: str, action, step: str) -> None:
        c = self.chosen()
        if c is None:
            return
        text, ok = QInputDialog.getText(self, title, prompt.format(number=c.number_text))
        if not ok:
            return
        try:
            action(c.id, text)
        except (ValidationError, OfficeError) as e:
            QMessageBox.warning(self, self.tr("Complaints"), i18n.error_text(e))
            return
        self.stepped(c, step)

    def classify(self) -> None:
        c = self.chosen()
        if c is not None and ClassifyDialog(self.user, c, self).exec():
            self.stepped(c, "classified")

    def answer(self) -> None:
        """The first answer; for a major complaint once that is given, its clear answer."""
        c = self.chosen()
        if c is None:
            return
        if complaints.next_answer(c) == "answer":
            self._text_step(self.tr("Clear answer"), self.tr("The clear answer the owner was given ({number}):"),
                            lambda cid, text: complaints.answer(self.user, cid, text, clear=True), "clear_answer")
        else:
            self._text_step(self.tr("First answer"), self.tr("What was the owner told ({number})?"),
                            lambda cid, text: complaints.answer(self.user, cid, text), "answered")

    def escalate(self) -> None:
        self._text_step(self.tr("Report up"), self.tr("Reported to whom ({number})? The complaint stays yours."),
                        lambda cid, text: complaints.escalate(self.user, cid, text), "escalated")

    def follow_up(self) -> None:
        self._text_step(self.tr("Follow up"), self.tr("What was the owner told of the delay ({number})?"),
                        lambda cid, text: complaints.follow_up(self.user, cid, text), "followed_up")

    def handle(self) -> None:
        self._text_step(self.tr("Handled"), self.tr("What was done ({number})?"),
                        lambda cid, text: complaints.handle(self.user, cid, text), "handled")

    def close_one(self) -> None:
        closed = []

        def close(cid, text):
            closed.append(complaints.close(self.user, cid, text))

        self._text_step(self.tr("Close"), self.tr("The result, as the owner was told ({number}):"), close, "closed")
        if closed:  # what the office learns from it, now or later from the week's summary
            note, ok = QInputDialog.getText(self, self.tr("Summary"), self.tr(
                "What does the office learn from {number}? (may stay empty)").format(number=closed[0].number_text))
            if ok and note.strip():
                complaints.summarise(self.user, closed[0].id, note)

    def day_review(self):
        from ui.preview import preview_list

        rows = complaints.day_review(self.user, clock.today())
        model = RowsModel([
            (self.tr("No."), lambda c: c.number_text, None),
            (self.tr("Kind"), lambda c: i18n.office(complaints.KINDS[c.kind]), None),
            (self.tr("House"), lambda c: c.house.label if c.house_id else "", None),
            (self.tr("What"), lambda c: c.what, None),
            (self.tr("Owned by"), lambda c: c.owner.full_name, None),
            (self.tr("State"), lambda c: self.tr("closed") if c.closed_at else self.next_of(c)[0], None),
        ], self)
        model.set_rows(rows)
        dialog = preview_list(self, self.tr("Complaints to review, {day}").format(day=clock.today().isoformat()),
                              model, self.tr("{n} to review").format(n=len(rows)))
        dialog.exec()
        return dialog

    def week_summary(self):
        from ui.preview import preview_list

        today = clock.today()
        start = today - datetime.timedelta(days=today.weekday())
        week = complaints.week_summary(self.user, start)
        model = RowsModel([
            (self.tr("No."), lambda c: c.number_text, None),
            (self.tr("Kind"), lambda c: i18n.office(complaints.KINDS[c.kind]), None),
            (self.tr("Class"), lambda c: i18n.office(complaints.CLASSES[c.klass]) if c.klass else "", None),
            (self.tr("What"), lambda c: c.what, None),
            (self.tr("Result"), lambda c: c.result or c.declined_reason, None),
        ], self)
        model.set_rows(week.rows)
        kinds = "、".join(f"{i18n.office(complaints.KINDS[k])} {n}" for k, n in week.by_kind.items())
        subtitle = self.tr("{kinds}; from earlier weeks {carried}; closed {closed}, open at the week's end {open}, "
                           "declined {declined}, deadlines missed {late}").format(
            kinds=kinds, carried=week.carried, closed=week.closed, open=week.open, declined=week.declined,
            late=week.late)
        dialog = preview_list(self, self.tr("Complaints, week of {day}").format(day=start.isoformat()), model,
                              subtitle)
        dialog.exec()
        return dialog


class ClassifyDialog(FormDialog):
    def __init__(self, user, complaint, parent=None):
        super().__init__(self.tr("Classify {number}").format(number=complaint.number_text), parent)
        self.user, self.complaint = user, complaint
        about = QLabel(complaint.what)
        about.setWordWrap(True)
        self.box.insertWidget(0, about)
        self.klass = self.form.add("klass", self.tr("Class"),
                                   fill_combo(QComboBox(), complaints.CLASSES, complaint.klass or "minor"))
        self.valid = self.form.add("valid", self.tr("Service contract"),
                                   QCheckBox(self.tr("within the contract (otherwise declined)")))
        self.valid.setChecked(complaint.valid is not False)
        self.reason = self.form.add("reason", self.tr("Why declined"), QLineEdit(complaint.declined_reason))

    def save(self):
        return complaints.classify(self.user, self.complaint.id, self.klass.currentData(),
                                   valid=self.valid.isChecked(), reason=self.reason.text())


def left_text(left) -> str:
    """'2 min left', '1 d 3 h overdue'."""
    d, h, m = left.parts()
    if d:
        span = QCoreApplication.translate("ServiceDesk", "{d} d {h} h").format(d=d, h=h)
    elif h:
        span = QCoreApplication.translate("ServiceDesk", "{h} h {m} min").format(h=h, m=m)
    else:
        span = QCoreApplication.translate("ServiceDesk", "{m} min").format(m=m)
    if left.overdue:
        return QCoreApplication.translate("ServiceDesk", "{span} overdue").format(span=span)
    return QCoreApplication.translate("ServiceDesk", "{span} left").format(span=span)


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
            (self.tr("About"), lambda d: d.about, None),
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


class VisitsTab(QWidget):
    """走访: the month's plans by clerk and building with their progress, the visits with the
    owners' opinions and follow-ups, and the month's problems (recurring ones named)."""

    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.month = QLineEdit(clock.today().strftime("%Y-%m"))
        self.month.setMaximumWidth(90)
        self.month.returnPressed.connect(self.load)
        self.plans_model = RowsModel([
            (self.tr("Clerk"), lambda p: p.plan.clerk.full_name, None),
            (self.tr("Building"), lambda p: p.plan.building.name, None),
            (self.tr("Houses"), lambda p: p.houses, RIGHT),
            (self.tr("Visited"), lambda p: p.visited, RIGHT),
            (self.tr("Done"), lambda p: f"{p.visited * 100 // p.houses} %" if p.houses else "", RIGHT),
        ], self)
        self.plans_view = table_view(self.plans_model)
        plan_buttons = [button(self.tr("Plan…"), self.add_plan)] if users.has(user, "service.manage") else []
        top = QWidget()
        th = QHBoxLayout(top)
        th.setContentsMargins(0, 0, 0, 0)
        th.addWidget(QLabel(self.tr("Month")))
        th.addWidget(self.month)
        th.addStretch(1)
        plans = list_box(self.tr("Visit plans"), self.plans_view, plan_buttons, top=top)
        self.visits_model = RowsModel([
            (self.tr("When"), lambda v: v.visited_at.strftime("%m-%d %H:%M"), None),
            (self.tr("House"), lambda v: v.house.label, None),
            (self.tr("By"), lambda v: v.visited_by.full_name if v.visited_by_id else "", None),
            (self.tr("Problem"), lambda v: i18n.office(visits.PROBLEMS[v.problem]), None),
            (self.tr("Opinion"), lambda v: v.opinion, None),
            (self.tr("Follow-up"), lambda v: v.follow_up + (self.tr(" (done)") if v.followed_up_at else ""), None),
        ], self, alert=lambda v: v.problem != "none" and v.followed_up_at is None)
        self.visits_view = table_view(self.visits_model)
        self.stats = QLabel()
        self.stats.setWordWrap(True)
        visit_box = list_box(self.tr("Visits this month"), self.visits_view, [
            button(self.tr("Record a visit…"), self.record), button(self.tr("Followed up"), self.followed_up),
            button(self.tr("Print…"), self.print_month)], self.stats)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(plans)
        split.addWidget(visit_box)
        split.setSizes([220, 480])
        QVBoxLayout(self).addWidget(split)
        self.load()

    def load(self) -> None:
        month = self.month.text().strip()
        try:
            self.plans_model.set_rows(visits.plans(self.user, month))
            start, end = visits._month_bounds(month)
            stats = visits.month_stats(self.user, month)
        except ValidationError as e:
            QMessageBox.warning(self, self.tr("Visits"), i18n.error_text(e))
            return
        self.visits_model.set_rows(list(visits.Visit.select().where(visits.Visit.visited_at >= start,
                                                                    visits.Visit.visited_at < end)
                                        .order_by(visits.Visit.visited_at.desc())))
        for view in (self.plans_view, self.visits_view):
            view.resizeColumnsToContents()
        problems = "、".join(f"{i18n.office(visits.PROBLEMS[k])} {n}" for k, n in stats.by_problem.items()
                            if n and k != "none")
        recurring = "、".join(i18n.office(visits.PROBLEMS[k]) for k, _n in stats.recurring)
        text = self.tr("{visits} visits to {houses} houses; problems: {problems}; follow-ups open: {open}").format(
            visits=stats.visits, houses=stats.houses, problems=problems or "—", open=stats.open_follow_ups)
        if recurring:
            text += self.tr("; recurring: {recurring}").format(recurring=recurring)
        self.stats.setText(text)
        self.stats_text = text

    def add_plan(self) -> None:
        if PlanDialog(self.user, self.month.text().strip(), self).exec():
            self.load()

    def record(self) -> None:
        if OwnerVisitDialog(self.user, self.month.text().strip(), self).exec():
            self.load()

    def followed_up(self) -> None:
        index = self.visits_view.currentIndex()
        v = self.visits_model.row_object(index.row()) if index.isValid() else None
        if v is None:
            QMessageBox.information(self, self.tr("Visits"), self.tr("Choose a visit in the list first"))
            return
        visits.followed_up(self.user, v.id)
        self.load()

    def print_month(self):
        from ui.preview import preview_list

        dialog = preview_list(self, self.tr("Visits, {month}").format(month=self.month.text().strip()),
                              self.visits_model, self.stats_text)
        dialog.exec()
        return dialog


class PlanDialog(FormDialog):
    def __init__(self, user, month: str, parent=None):
        super().__init__(self.tr("Plan visits"), parent)
        self.user = user
        self.month = self.form.add("month", self.tr("Month"), QLineEdit(month))
        self.clerk = self.form.add("clerk", self.tr("Clerk"), QComboBox())
        for u in users.User.select().where(users.User.active == True).order_by(users.User.username):  # noqa: E712
            if users.has(u, "service.desk"):
                self.clerk.addItem(u.full_name, u.id)
        self.building = self.form.add("building", self.tr("Building"), QComboBox())
        for b in estate.Building.select().order_by(estate.Building.sort_key, estate.Building.code):
            self.building.addItem(b.name, b.id)

    def save(self):
        return visits.plan(self.user, self.clerk.currentData(), self.building.currentData(), self.month.text().strip())


class OwnerVisitDialog(FormDialog):
    """A visit to an owner: whom the clerk met, the opinion, the problem raised and what
    will be done about it."""

    def __init__(self, user, month: str, parent=None):
        super().__init__(self.tr("Record a visit"), parent)
        self.user = user
        self.house_edit = self.form.add("house", self.tr("House"), QLineEdit())
        self.house_edit.setPlaceholderText("3-2-1201")
        self.how = self.form.add("how", self.tr("How"), fill_combo(QComboBox(), visits.HOW, "visit"))
        self.met = self.form.add("met", self.tr("Spoke with"), QLineEdit())
        self.opinion = self.form.add("opinion", self.tr("The owner's opinion"), QLineEdit())
        self.problem = self.form.add("problem", self.tr("Problem raised"),
                                     fill_combo(QComboBox(), visits.PROBLEMS, "none"))
        self.follow_up = self.form.add("follow_up", self.tr("Follow-up"), QLineEdit())
        self.plans = {p.plan.building_id: p.plan.id for p in visits.plans(user, month, user.id)} \
            if month else {}

    def save(self):
        house = find_house(self.user, self.house_edit.text().strip()) if self.house_edit.text().strip() else None
        if house is None:
            raise ValidationError({"house": (QT_TRANSLATE_NOOP("Office", "No such house"), {})})
        return visits.record(self.user, house.id, opinion=self.opinion.text(), problem=self.problem.currentData(),
                             how=self.how.currentData(), met=self.met.text(), follow_up=self.follow_up.text(),
                             plan_id=self.plans.get(house.unit.building_id))


class SurveyTab(QWidget):
    """业主意见征询: the year's questions, answers entered by house, the results."""

    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(clock.today().year)
        self.year.valueChanged.connect(lambda _v: self.load())
        self.title = QLabel()
        self.model = RowsModel([
            (self.tr("No."), lambda t: t.question.position, RIGHT),
            (self.tr("Question"), lambda t: t.question.text, None),
            (self.tr("Answered"), lambda t: t.answered, RIGHT),
            (self.tr("Result"), self.result_text, None),
        ], self)
        self.view = table_view(self.model)
        top = QWidget()
        th = QHBoxLayout(top)
        th.setContentsMargins(0, 0, 0, 0)
        th.addWidget(QLabel(self.tr("Year")))
        th.addWidget(self.year)
        th.addWidget(self.title, 1)
        buttons = [button(self.tr("Enter a house's answers…"), self.enter), button(self.tr("Print…"), self.print_results)]
        if users.has(user, "service.manage"):
            buttons.insert(0, button(self.tr("Questions…"), self.set_questions))
        self.summary = QLabel()
        QVBoxLayout(self).addWidget(list_box(self.tr("Owners' survey"), self.view, buttons, self.summary, top=top))
        self.load()

    def survey(self):
        return visits.Survey.get_or_none(visits.Survey.year == self.year.value())

    def result_text(self, t) -> str:
        if t.question.kind == "score":
            spread = " ".join(f"{n}:{t.counts[n]}" for n in range(1, 6))
            return self.tr("average {avg}  ({spread})").format(
                avg=f"{t.average:.2f}" if t.average is not None else "—", spread=spread)
        if t.question.kind == "yes_no":
            return self.tr("yes {yes}, no {no}").format(yes=t.counts["yes"], no=t.counts["no"])
        return "；".join(t.texts[:5]) + (" …" if len(t.texts) > 5 else "")

    def load(self) -> None:
        survey = self.survey()
        if survey is None:
            self.title.setText(self.tr("No survey for this year yet"))
            self.model.set_rows([])
            self.summary.setText("")
            return
        houses, results = visits.tally(self.user, survey.id)
        self.title.setText(survey.title)
        self.model.set_rows(results)
        self.view.resizeColumnsToContents()
        self.summary.setText(self.tr("%n house(s) answered.", "", houses))

    def set_questions(self) -> None:
        if SurveyDialog(self.user, self.year.value(), self.survey(), self).exec():
            self.load()

    def enter(self) -> None:
        survey = self.survey()
        if survey is None:
            QMessageBox.information(self, self.tr("Survey"), self.tr("Set this year's questions first"))
            return
        if AnswersDialog(self.user, survey, self).exec():
            self.load()

    def print_results(self):
        from ui.preview import preview_list

        survey = self.survey()
        if survey is None:
            return None
        dialog = preview_list(self, survey.title, self.model, self.summary.text())
        dialog.exec()
        return dialog


class SurveyDialog(FormDialog):
    """The survey's title and questions: one a line; a line starting 评分/是否/文字 (or
    score:/yes:/text:) says how it is answered, a score of 1–5 when it says nothing."""

    PREFIXES = {"评分": "score", "score": "score", "是否": "yes_no", "yes": "yes_no", "文字": "text", "text": "text"}

    def __init__(self, user, year: int, survey, parent=None):
        super().__init__(self.tr("Survey questions for {year}").format(year=year), parent)
        self.user, self.year = user, year
        self.title = self.form.add("title", self.tr("Title"), QLineEdit(
            survey.title if survey else f"{year}年业主意见征询表"))
        self.lines = QPlainTextEdit()
        if survey:
            kind_word = {"score": "评分", "yes_no": "是否", "text": "文字"}
            self.lines.setPlainText("\n".join(f"{kind_word[q.kind]}：{q.text}" for q in visits.questions(survey.id)))
        self.lines.setPlaceholderText("评分：您对物业服务的总体评价\n是否：您愿意推荐本小区吗\n文字：您的其他意见")
        self.form.add("questions", self.tr("Questions, one a line"), self.lines)
        self.setMinimumWidth(620)

    def parsed(self) -> list[tuple[str, str]]:
        out = []
        for line in self.lines.toPlainText().splitlines():
            kind, text = "score", line.strip()
            for sep in ("：", ":"):
                head, found, rest = text.partition(sep)
                if found and head.strip().lower() in self.PREFIXES:
                    kind, text = self.PREFIXES[head.strip().lower()], rest.strip()
                    break
            if text:
                out.append((text, kind))
        return out

    def save(self):
        return visits.set_survey(self.user, self.year, self.title.text(), self.parsed())


class AnswersDialog(FormDialog):
    """One house's answers to the survey: scores 1–5 (0: not answered), yes or no, words."""

    def __init__(self, user, survey, parent=None):
        super().__init__(self.tr("Answers to {title}").format(title=survey.title), parent)
        self.user, self.survey = user, survey
        self.house_edit = self.form.add("house", self.tr("House"), QLineEdit())
        self.house_edit.setPlaceholderText("3-2-1201")
        self.editors = {}
        for q in visits.questions(survey.id):
            if q.kind == "score":
                editor = QSpinBox()
                editor.setRange(0, 5)
                editor.setSpecialValueText(self.tr("not answered"))
            elif q.kind == "yes_no":
                editor = QComboBox()
                editor.addItem(self.tr("not answered"), None)
                editor.addItem(self.tr("Yes"), True)
                editor.addItem(self.tr("No"), False)
            else:
                editor = QLineEdit()
            self.editors[q] = self.form.add(f"q{q.position}", f"{q.position}. {q.text}", editor)
        self.setMinimumWidth(620)

    def save(self):
        house = find_house(self.user, self.house_edit.text().strip()) if self.house_edit.text().strip() else None
        if house is None:
            raise ValidationError({"house": (QT_TRANSLATE_NOOP("Office", "No such house"), {})})
        answers = {}
        for q, editor in self.editors.items():
            if q.kind == "score":
                answers[q.id] = editor.value() or None
            elif q.kind == "yes_no":
                answers[q.id] = editor.currentData()
            else:
                answers[q.id] = editor.text()
        return visits.enter_answers(self.user, self.survey.id, house.id, answers)


def select_record(view, model, record_id: int, of=lambda row: row) -> bool:
    """Choose the row whose record has this id (`of` finds the record in a row)."""
    for n, row in enumerate(model.rows):
        if of(row).id == record_id:
            view.selectRow(n)
            view.setFocus()
            return True
    return False


class ServicePage(QWidget):
    """报修: what is due now, repairs and complaints."""

    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.tabs = QTabWidget()
        self.repairs = RepairsTab(user)
        self.complaints = ComplaintsTab(user)
        self.due = DueTab(user, self)
        self.tabs.addTab(self.due, self.tr("Due now"))
        self.tabs.addTab(self.repairs, self.tr("Repairs"))
        self.tabs.addTab(self.complaints, self.tr("Complaints"))
        self.visits = VisitsTab(user)
        self.tabs.addTab(self.visits, self.tr("Visits"))
        self.survey = SurveyTab(user)
        self.tabs.addTab(self.survey, self.tr("Survey"))
        self.tabs.setCurrentWidget(self.repairs)
        QVBoxLayout(self).addWidget(self.tabs)

    def open_record(self, table: str, record_id: int) -> None:
        """Show a repair or a complaint, chosen in its list."""
        tab = self.repairs if table == "repair" else self.complaints
        self.tabs.setCurrentWidget(tab)
        tab.load()
        select_record(tab.view, tab.model, record_id)

    def focus_search(self) -> None:
        self.due.load()
        self.repairs.load()
        self.complaints.load()
        if self.tabs.currentWidget() is self.repairs:
            self.repairs.focus_first()
