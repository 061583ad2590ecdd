"""报修: the service desk's repairs. Intake in under a minute (the house, who reports it,
what and where, the category and urgency) starts the 10-minute dispatch clock; the open
orders show the time left to their next deadline, refreshed live, overdue in red; dispatch
prints the work order (派工单); completion, the return visit and rework follow."""
from __future__ import annotations

import datetime

from PySide6.QtCore import QDateTime, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QComboBox, QDateTimeEdit, QGroupBox, QHBoxLayout, QInputDialog, QLabel, QLineEdit,
                               QMessageBox, QPushButton, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem,
                               QTabWidget, QVBoxLayout, QWidget)

from models import clock, deadlines, estate, handbook, repairs, users, validation
from models.errors import OfficeError, ValidationError
from ui import i18n
from ui.archive_page import table_view
from ui.desk_page import button, find_house, list_box
from ui.form import Form, FormDialog, fill_combo
from ui.table_models import RowsModel

LATE = QColor("#f4a9a0")
SOON = QColor("#fff3c4")  # under an hour left


def qdatetime(value: datetime.datetime) -> QDateTime:
    return QDateTime.fromString(value.strftime("%Y-%m-%d %H:%M"), "yyyy-MM-dd HH:mm")


def py_datetime(edit: QDateTimeEdit) -> datetime.datetime:
    return datetime.datetime.strptime(edit.dateTime().toString("yyyy-MM-dd HH:mm"), "%Y-%m-%d %H:%M")


def datetime_edit(value: datetime.datetime) -> QDateTimeEdit:
    edit = QDateTimeEdit(qdatetime(value))
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setCalendarPopup(True)
    return edit


def next_deadline(repair) -> datetime.datetime | None:
    """What the order waits for next: the dispatch answer, the appointment, the return visit."""
    if repair.state == "waiting":
        return None if repair.answered_at else repair.dispatch_due
    if repair.state == "dispatched":
        return repair.appointment_at
    if repair.state == "done":
        return repair.visit_due
    return None


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
        intake = QGroupBox(self.tr("Take a repair in"))
        self.form = Form()
        self.house_edit = self.form.add("house", self.tr("House"), QLineEdit())
        self.house_edit.setPlaceholderText(self.tr("3-2-1201, or empty for a public place"))
        self.house_label = QLabel()
        self.form.layout_.addRow("", self.house_label)
        self.reporter = self.form.add("reporter", self.tr("Reported by"), QLineEdit())
        self.phone = self.form.add("phone", self.tr("Phone"), QLineEdit())
        self.place = self.form.add("place", self.tr("Where"), QLineEdit())
        self.place.setPlaceholderText(self.tr("bathroom ceiling, lift hall of building 3 …"))
        self.what = self.form.add("what", self.tr("What"), QLineEdit())
        self.category = self.form.add("category", self.tr("Category"),
                                      fill_combo(QComboBox(), repairs.CATEGORIES, "water"))
        self.urgency = self.form.add("urgency", self.tr("Urgency"), fill_combo(QComboBox(), repairs.URGENCY, "normal"))
        self.channel = self.form.add("channel", self.tr("By"), fill_combo(QComboBox(), repairs.CHANNELS, "phone"))
        self.house_edit.editingFinished.connect(self.resolve_house)
        for edit, after in ((self.house_edit, self.reporter), (self.reporter, self.phone), (self.phone, self.place),
                            (self.place, self.what)):
            edit.returnPressed.connect(after.setFocus)
        self.what.returnPressed.connect(self.take_in)
        take = QPushButton(self.tr("Take it in"))
        take.clicked.connect(self.take_in)
        iv = QVBoxLayout(intake)
        iv.addWidget(self.form)
        self.taken = QLabel()
        self.taken.setWordWrap(True)
        iv.addWidget(self.taken)
        iv.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(take)
        iv.addLayout(row)

        self.model = RowsModel([
            (self.tr("No."), lambda r: r.number_text, None),
            (self.tr("House or place"), lambda r: " ".join(x for x in (r.house.label if r.house_id else "", r.place)
                                                            if x), None),
            (self.tr("What"), lambda r: r.what, None),
            (self.tr("Category"), lambda r: i18n.office(repairs.CATEGORIES[r.category]), None),
            (self.tr("State"), self.state_text, None),
            (self.tr("Technician"), lambda r: r.technician.name if r.technician_id else "", None),
            (self.tr("Next deadline"), lambda r: next_deadline(r).strftime("%m-%d %H:%M") if next_deadline(r)
             else "", None),
            (self.tr("Time left"), self.left_text, None),
        ], self, shade=self.shade)
        self.view = table_view(self.model)
        self.summary = QLabel()
        buttons = [button(self.tr("Answer…"), self.answer), button(self.tr("Dispatch…"), self.dispatch),
                   button(self.tr("Work order"), self.print_again), button(self.tr("Done…"), self.complete),
                   button(self.tr("Return visit…"), self.visit), button(self.tr("Cancel…"), self.cancel)]
        if users.has(user, "service.manage"):
            buttons.insert(0, button(self.tr("Technicians…"), self.technicians))
        orders = list_box(self.tr("Open repairs"), self.view, buttons, self.summary)
        split = QSplitter()
        split.addWidget(intake)
        split.addWidget(orders)
        split.setStretchFactor(1, 1)
        split.setSizes([380, 940])
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
        due = next_deadline(r)
        if due is None:
            return ""
        left = deadlines.left(due, clock.now())
        d, h, m = left.parts()
        span = self.tr("{d} d {h} h").format(d=d, h=h) if d else self.tr("{h} h {m} min").format(h=h, m=m) if h \
            else self.tr("{m} min").format(m=m)
        return self.tr("{span} overdue").format(span=span) if left.overdue else self.tr("{span} left").format(
            span=span)

    def shade(self, r):
        due = next_deadline(r)
        if due is None:
            return None
        left = deadlines.left(due, clock.now())
        return LATE if left.overdue else SOON if left.seconds < 3600 else None

    def load(self) -> None:
        rows = repairs.open_repairs(self.user)
        chosen = self.chosen(quiet=True)
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        if chosen is not None:
            for n, r in enumerate(rows):
                if r.id == chosen.id:
                    self.view.selectRow(n)
        self.tick()

    def tick(self) -> None:
        self.model.layoutChanged.emit()  # times left, as of now
        late = sum(1 for r in self.model.rows if next_deadline(r) and next_deadline(r) < clock.now())
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
        if not self.reporter.text().strip() and self.house.owner_names:
            self.reporter.setText(self.house.owner_names.split("、")[0])

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
            action()
        except (ValidationError, OfficeError) as e:
            QMessageBox.warning(self, self.tr("Repairs"), i18n.error_text(e))
            return False
        self.load()
        return True

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
            self.load()
            return self.print_order(dialog.result_object)
        return None

    def print_order(self, repair):
        from printing import slip
        from printing.furniture import Letterhead
        from ui.preview import PreviewDialog

        repair = repairs.Repair.get_by_id(repair.id)
        pdf = slip.render(work_order(repair), Letterhead.from_profile(estate.profile()))
        dialog = PreviewDialog(pdf, self.tr("Work order {number}").format(number=repair.number_text), self,
                               file_name=f"{repair.number_text}.pdf")
        dialog.exec()
        return dialog

    def print_again(self):
        r = self.chosen()
        return self.print_order(r) if r is not None else None

    def complete(self) -> None:
        r = self.chosen()
        if r is not None and CompleteDialog(self.user, r, self).exec():
            self.load()

    def visit(self) -> None:
        r = self.chosen()
        if r is not None and VisitDialog(self.user, r, self).exec():
            self.load()

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
        soon = clock.now() + datetime.timedelta(minutes=30 if repair.urgency == "urgent" else 120)
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
    """Add a technician to the office's list (they need no login)."""

    def __init__(self, user, parent=None):
        super().__init__(self.tr("Add a technician"), parent)
        self.user = user
        names = "、".join(t.name for t in repairs.technicians())
        if names:
            known = QLabel(self.tr("On the list: {names}").format(names=names))
            known.setWordWrap(True)
            self.box.insertWidget(0, known)
        self.name = self.form.add("name", self.tr("Name"), QLineEdit())
        self.phone = self.form.add("phone", self.tr("Phone"), QLineEdit())
        self.trade = self.form.add("trade", self.tr("Trade"), QLineEdit())
        self.trade.setPlaceholderText(self.tr("plumbing and electrics, carpentry …"))

    def save(self):
        return repairs.save_technician(self.user, name=self.name.text(), phone=validation.scanned(self.phone.text()),
                                       trade=self.trade.text())


class ServicePage(QWidget):
    """报修 and, as they come, complaints and return visits."""

    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.tabs = QTabWidget()
        self.repairs = RepairsTab(user)
        self.tabs.addTab(self.repairs, self.tr("Repairs"))
        QVBoxLayout(self).addWidget(self.tabs)

    def focus_search(self) -> None:
        self.repairs.load()
        self.repairs.focus_first()
