"""报修: the service desk's repairs. Intake in under a minute (the house, who reports it,
what and where, the category and urgency) starts the 10-minute dispatch clock; the open
orders show the time left to their next deadline, refreshed live, overdue in red; dispatch
prints the work order (派工单); completion, the return visit and rework follow."""
from __future__ import annotations

import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (QCheckBox, QComboBox, QInputDialog, QLabel, QLineEdit, QMessageBox, QSpinBox,
                               QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from models import clock, deadlines, due_now, handbook, repairs, search, users, validation
from models.errors import ValidationError
from printing.papers import work_order
from ui import i18n
from ui.form import Form, FormDialog, fill_combo
from ui.kit import (ContactFill, INTAKE_WIDTH, ListDialog, act, button, cap_column, datetime_edit, fit_columns,
                    fit_to_text, intake_box, left_text, list_box, preview_slip, py_datetime, shade_of, stretch_column,
                    table_view)
from ui.table_models import KeyedModel, RIGHT, RowsModel


def due_of(repair) -> datetime.datetime | None:
    item = repairs.next_deadline(repair)
    return item[1] if item else None


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
        self.contact = ContactFill(self.reporter, self.phone)  # the owner's, when the house is typed
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
                   button(self.tr("Month's figures…"), self.figures), button(self.tr("History…"), self.history)]
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

    def history(self):
        """Every order, closed and cancelled too, the newest first: the house's typed in the
        intake, else the estate's; read as the list scrolls."""
        text = self.house_edit.text().strip()
        house = search.the_house(self.user, text) if text else None
        if text and house is None:
            QMessageBox.information(self, self.tr("Repairs"), self.tr("No such house: {text}").format(text=text))
            return None
        model = KeyedModel([
            (self.tr("No."), lambda r: r.number_text, None),
            (self.tr("Reported"), lambda r: r.reported_at.strftime("%Y-%m-%d %H:%M"), None),
            (self.tr("House or place"), lambda r: " ".join(x for x in (r.house.label if r.house_id else "", r.place)
                                                            if x), None),
            (self.tr("What"), lambda r: r.what, None),
            (self.tr("Category"), lambda r: i18n.office(repairs.CATEGORIES[r.category]), None),
            (self.tr("State"), self.state_text, None),
            (self.tr("Technician"), lambda r: r.technician.name if r.technician_id else "", None),
            (self.tr("Completed"), lambda r: r.completed_at.strftime("%Y-%m-%d %H:%M") if r.completed_at else "", None),
        ], lambda last, n: repairs.history(self.user, house_id=house.id if house else None, after=last, limit=n),
            self)
        model.reload()
        title = self.tr("Repairs of {house}").format(house=house.label) if house else self.tr("All repairs")
        dialog = ListDialog(title, model, self, self.tr("The newest first; type a house in the intake to see its "
                                                        "own.") if house is None else "")
        dialog.exec()
        return dialog

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
        self.house = search.the_house(self.user, text) if text else None
        if self.house is None:
            self.house_label.setText(self.tr("No such house") if text else "")
            return
        self.house_label.setText(f"{self.house.label}  {self.house.owner_names}")
        self.house_edit.setText(self.house.label)
        self.contact.fill(self.house.id)  # the owner's name and phone

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
        done = act(self, self.tr("Repairs"), repairs.report, self.user, house_id=self.house.id if self.house else None,
                   reporter=self.reporter.text(), phone=self.phone.text(), place=self.place.text(),
                   what=self.what.text(), category=self.category.currentData(), urgency=self.urgency.currentData(),
                   channel=self.channel.currentData(), form=self.form)
        if not done:
            return None
        repair = done.value
        for edit in (self.house_edit, self.reporter, self.phone, self.place, self.what):
            edit.clear()
        self.contact.forget()
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
        done = act(self, self.tr("Repairs"), action)
        if not done:
            return False
        repair = done.value
        self.stepped(repair)
        return True

    def stepped(self, repair) -> None:
        """After a step: the list as of now, and the note under the intake says where the
        order stands (it replaces the note of the intake or of the step before)."""
        self.load()
        repair = repairs.get(self.user, repair.id)
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
        repair = repairs.get(self.user, repair.id)
        return preview_slip(self, work_order(repair), self.tr("Work order {number}").format(
            number=repair.number_text), f"{repair.number_text}.pdf")

    def print_again(self):
        r = self.chosen()
        return self.print_order(r) if r is not None else None

    def _step_in(self, dialog_class) -> None:
        """The chosen order's next step, taken in its dialog; the list and note follow it."""
        r = self.chosen()
        if r is None:
            return
        dialog = dialog_class(self.user, r, self)
        if dialog.exec():
            self.stepped(dialog.result_object)

    def complete(self) -> None:
        self._step_in(CompleteDialog)

    def visit(self) -> None:
        self._step_in(VisitDialog)

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
        self.known = {t.id: t for t in repairs.technicians(active_only=False)}
        for t in self.known.values():
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
        t = self.known.get(tid)
        self.name.setText(t.name if t else "")
        self.phone.setText(t.phone if t else "")
        self.trade.setText(t.trade if t else "")
        self.active.setChecked(t.active if t else True)

    def save(self):
        return repairs.save_technician(self.user, self.which.currentData(), name=self.name.text(),
                                       phone=validation.scanned(self.phone.text()), trade=self.trade.text(),
                                       active=self.active.isChecked())
