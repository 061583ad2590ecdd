"""装修: the renovations in progress by building with their next step and its deadline, and
the chosen case worked through: the application, the approvals, the papers printed and
signed, the money at the counter, the permit and passes, inspections and rectifications,
waterproofing tests, the final inspection and the refund of the deposit."""
from __future__ import annotations

import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QMenu, QMessageBox,
                               QPlainTextEdit, QPushButton, QSpinBox, QSplitter, QVBoxLayout, QWidget)

from models import clock, estate, money, renovation as reno, search, users
from models.errors import OfficeError, ValidationError
from ui import i18n
from ui.archive_dialogs import date_edit, to_date
from ui.form import FormDialog, fill_combo
from ui.kit import act, button, list_box, select_record, selected_object, table_view
from ui.table_models import RowsModel


def parse_workers(text: str) -> list[reno.NewWorker]:
    """One worker a line: name, ID number, then a phone and a trade in any order (a phone is
    the one of digits); spaces, commas or tabs between."""
    out = []
    for line in text.splitlines():
        parts = [p for p in line.replace("，", " ").replace(",", " ").replace("\t", " ").split(" ") if p]
        if not parts:
            continue
        name, rest = parts[0], parts[1:]
        number = rest.pop(0) if rest else ""
        phone = next((p for p in rest if p.replace("-", "").isdigit()), "")
        trade = " ".join(p for p in rest if p != phone)
        out.append(reno.NewWorker(name, number, phone, trade))
    return out


class ApplicationDialog(FormDialog):
    """A renovation applied for: the house, who applies, the contractor and its licence, the
    works and their risky parts, the planned dates and the workers."""

    def __init__(self, user, parent=None, house_label: str = ""):
        super().__init__(self.tr("Renovation application"), parent)
        self.user = user
        self.house = None
        self.house_edit = self.form.add("house", self.tr("House"), QLineEdit(house_label))
        self.house_edit.setPlaceholderText("9-1-1502")
        self.house_edit.editingFinished.connect(self.resolve_house)
        self.applicant = self.form.add("applicant", self.tr("Applicant (owner)"), QLineEdit())
        self.phone = self.form.add("phone", self.tr("Phone"), QLineEdit())
        self.contractor = self.form.add("contractor", self.tr("Contractor"), QLineEdit())
        self.licence = self.form.add("licence", self.tr("Licence number"), QLineEdit())
        self.licence.setPlaceholderText(self.tr("Business licence or qualification certificate"))
        self.contractor_phone = self.form.add("contractor_phone", self.tr("Contractor's phone"), QLineEdit())
        self.scope = self.form.add("scope", self.tr("Works"), QPlainTextEdit())
        self.scope.setTabChangesFocus(True)
        self.scope.setMaximumHeight(60)
        risks = QWidget()
        row = QHBoxLayout(risks)
        row.setContentsMargins(0, 0, 0, 0)
        self.risks = {}
        for key, label in reno.RISKS.items():
            box = QCheckBox(i18n.office(label))
            self.risks[key] = box
            row.addWidget(box)
        row.addStretch(1)
        self.form.add("risks", self.tr("Touches"), risks)
        start = clock.today() + datetime.timedelta(days=1)
        self.start = self.form.add("planned_start", self.tr("Works start"), date_edit(start))
        self.end = self.form.add("planned_end", self.tr("Works end"), date_edit(start + datetime.timedelta(days=45)))
        self.workers = self.form.add("workers", self.tr("Workers"), QPlainTextEdit())
        self.workers.setPlaceholderText(self.tr("One a line: name, ID number, phone, trade"))
        self.workers.setTabChangesFocus(True)
        self.workers.setMinimumHeight(80)
        if house_label:
            self.resolve_house()

    def resolve_house(self) -> None:
        text = self.house_edit.text().strip()
        self.house = search.the_house(self.user, text) if text else None
        if self.house is not None:
            self.house_edit.setText(self.house.label)
            if not self.applicant.text().strip() and self.house.owner_names:
                self.applicant.setText(self.house.owner_names.split("、")[0])

    def save(self):
        self.resolve_house()
        if self.house is None:
            raise ValidationError({"house": (self.tr("No such house") if self.house_edit.text().strip()
                                             else self.tr("Enter the house"), {})})
        return reno.apply(self.user, self.house.id, applicant=self.applicant.text(), phone=self.phone.text(),
                          contractor=self.contractor.text(), licence=self.licence.text(),
                          contractor_phone=self.contractor_phone.text(), scope=self.scope.toPlainText(),
                          risks=[k for k, box in self.risks.items() if box.isChecked()],
                          planned_start=to_date(self.start), planned_end=to_date(self.end),
                          workers=parse_workers(self.workers.toPlainText()))


class StepDialog(FormDialog):
    """A small form for one step: its fields are added by the caller, `action()` saves."""

    def __init__(self, title: str, action, parent=None, intro: str = ""):
        super().__init__(title, parent)
        self.action = action
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            self.box.insertWidget(0, label)

    def save(self):
        return self.action()


def parse_deductions(text: str) -> list[reno.Deduction]:
    """One deduction a line: the amount in yuan, then what it is for."""
    out = []
    for n, line in enumerate((l for l in text.splitlines() if l.strip()), 1):
        parts = line.strip().split(None, 1)  # any space between, a full-width one too
        amount, reason = parts[0], parts[1] if len(parts) > 1 else ""
        try:
            fen = money.parse(amount)
        except OfficeError:
            raise ValidationError({"deductions": (reno.QT_TRANSLATE_NOOP(
                "Office", "Deduction {n}: start with the amount, then say what it is for"), {"n": n})})
        out.append(reno.Deduction(fen, reason.strip()))
    return out


class RenovationTab(QWidget):
    """The open renovations above; the chosen one's facts, its steps and its records below."""

    take_money = Signal(int, int, int, int)  # case id, house id, deposit fen, debris fee fen

    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.model = RowsModel([
            (self.tr("Number"), lambda r: r.number, None),
            (self.tr("House"), lambda r: r.house, None),
            (self.tr("Applicant"), lambda r: r.applicant, None),
            (self.tr("Contractor"), lambda r: r.contractor, None),
            (self.tr("State"), lambda r: i18n.office(reno.STATES[r.state]), None),
            (self.tr("Next step"), lambda r: i18n.office(reno.STEPS[r.step]) if r.step else "", None),
            (self.tr("Deadline"), lambda r: r.due.strftime("%Y-%m-%d %H:%M") if r.due else "", None),
            (self.tr("Works end"), lambda r: r.planned_end.isoformat(), None),
        ], self, alert=lambda r: r.overdue)
        self.view = table_view(self.model)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self.show_case())
        self.view.doubleClicked.connect(lambda _: self.next_step())
        self.closed = QCheckBox(self.tr("Closed ones too"))
        self.closed.toggled.connect(lambda _: self.load())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        new = button(self.tr("New application…"), lambda: self.new_application())
        new.setToolTip("Ctrl+N")
        QShortcut(QKeySequence("Ctrl+N"), self, activated=lambda: self.new_application())
        counts = button(self.tr("Month's counts…"), lambda: self.month_counts())
        listing = button(self.tr("Print the list…"), lambda: self.print_list())
        cases = list_box(self.tr("Renovations"), self.view, [self.closed, counts, listing, new], self.summary)

        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.step_button = button(self.tr("Next step"), lambda: self.next_step())
        self.step_button.setDefault(True)
        self.inspect_button = button(self.tr("Inspect…"), lambda: self.inspect())
        self.test_button = QPushButton(self.tr("Waterproofing test"))
        tests = QMenu(self.test_button)
        tests.addAction(self.tr("Start a test…"), lambda: self.start_test())
        tests.addAction(self.tr("Read the test…"), lambda: self.read_test())
        self.test_button.setMenu(tests)
        self.print_button = QPushButton(self.tr("Print"))
        papers = QMenu(self.print_button)
        papers.addAction(self.tr("Application and approval form"), lambda: self.print_application())
        papers.addAction(self.tr("Agreement and fire-safety pledge"), lambda: self.print_agreement())
        papers.addAction(self.tr("Permit for the door"), lambda: self.print_permit())
        papers.addAction(self.tr("Workers' passes"), lambda: self.print_passes())
        papers.addAction(self.tr("Rectification notice"), lambda: self.print_rectification())
        self.print_button.setMenu(papers)
        self.more_button = QPushButton(self.tr("More"))
        more = QMenu(self.more_button)
        more.addAction(self.tr("Rectification put right…"), lambda: self.check_rectification())
        more.addAction(self.tr("More workers…"), lambda: self.add_workers())
        more.addAction(self.tr("More time…"), lambda: self.extend())
        more.addAction(self.tr("Not approved…"), lambda: self.refuse())
        self.more_button.setMenu(more)
        self.records_model = RowsModel([
            (self.tr("When"), lambda e: e[0].strftime("%Y-%m-%d %H:%M"), None),
            (self.tr("What"), lambda e: e[1], None),
            (self.tr("Found or result"), lambda e: e[2], None),
            (self.tr("State"), lambda e: e[3], None),
        ], self, alert=lambda e: e[4])
        self.records = table_view(self.records_model)
        detail = list_box(self.tr("The chosen renovation"), self.records,
                          [self.step_button, self.inspect_button, self.test_button, self.print_button,
                           self.more_button], top=self.facts)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(cases)
        split.addWidget(detail)
        split.setSizes([300, 380])
        QVBoxLayout(self).addWidget(split)
        self.load()

    # --- the list ------------------------------------------------------------------------

    def load(self) -> None:
        was = self.chosen_row()
        rows = reno.cases(self.user, open_only=not self.closed.isChecked())
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        if was is not None:
            select_record(self.view, self.model, was.id, of=lambda r: r)
        late = sum(1 for r in rows if r.overdue)
        working = sum(1 for r in rows if r.state == "working")
        self.summary.setText(self.tr("{n} open, {working} with works going on, {late} late.").format(
            n=sum(1 for r in rows if r.state in reno.OPEN_STATES), working=working, late=late))
        self.show_case()

    def chosen_row(self) -> reno.CaseRow | None:
        return selected_object(self.view)

    def case(self) -> reno.Renovation | None:
        row = self.chosen_row()
        return reno.get(self.user, row.id) if row else None

    def open_case(self, case_id: int) -> bool:
        self.load()
        if not select_record(self.view, self.model, case_id, of=lambda r: r):
            self.closed.setChecked(True)
            if not select_record(self.view, self.model, case_id, of=lambda r: r):
                return False
        self.view.setFocus()
        self.show_case()
        return True

    def show_case(self) -> None:
        case = self.case()
        for b in (self.step_button, self.inspect_button, self.test_button, self.print_button, self.more_button):
            b.setEnabled(case is not None)
        if case is None:
            self.facts.setText(self.tr("Choose a renovation in the list, or make a new application (Ctrl+N)."))
            self.records_model.set_rows([])
            return
        step, due = reno.next_step(case)
        self.step_button.setText(i18n.office(reno.STEPS[step]) + "…" if step else self.tr("Closed"))
        # the money and the refund are a cashier's: a clerk sees the step, and who does it
        self.step_button.setEnabled(bool(step) and (step not in ("refund",) or users.has(self.user, "cash.take")))
        self.step_button.setToolTip("" if self.step_button.isEnabled() or not step else
                                    self.tr("A cashier refunds the deposit, with a supervisor's approval"))
        works = case.state == "working"
        self.inspect_button.setEnabled(works)
        self.test_button.setEnabled(works)
        workers = reno.workers(case)
        risks = self.tr(", ").join(i18n.office(reno.RISKS[r]) for r in case.risk_list) or self.tr("none")
        lines = [
            f"<b>{case.number_text}</b>  {case.house.label}  {case.applicant}  "
            f"{i18n.office(reno.STATES[case.state])}",
            self.tr("Contractor: {c} ({licence}); touches: {risks}").format(c=case.contractor, licence=case.licence,
                                                                           risks=risks),
            self.tr("%n worker(s): {names}", "", len(workers)).format(
                names=self.tr(", ").join(f"{w.name}{'（' + w.trade + '）' if w.trade else ''}" for w in workers)),
            self.tr("Works {start} to {end}; {scope}").format(start=case.planned_start.isoformat(),
                                                              end=case.planned_end.isoformat(), scope=case.scope),
        ]
        if case.receipt_id:
            lines.append(self.tr("Deposit {deposit} and debris fee {debris} on receipt {receipt}").format(
                deposit=money.fmt(case.deposit, grouping=True), debris=money.fmt(case.debris_fee, grouping=True),
                receipt=case.receipt.number_text))
        if case.refund_id:
            kept = reno.deductions_of(case)
            lines.append(self.tr("Refunded on {doc}; kept {kept}").format(
                doc=case.refund.number_text, kept=self.tr(", ").join(f"{money.fmt(d.amount)} {d.reason}" for d in kept)
                or self.tr("nothing")))
        if case.refused_reason:
            lines.append(self.tr("Not approved: {reason}").format(reason=case.refused_reason))
        blocks = reno.completion_blocks(case) if case.state == "working" else []
        if blocks:
            lines.append("<span style='color:#b71c1c'>" + self.tr("Before the final inspection:") + " " + self.tr("; ").join(
                i18n.office(text).format(**args) for text, args in blocks) + "</span>")
        self.facts.setText("<br>".join(line.replace("\n", " ") for line in lines))
        self.records_model.set_rows(self.records_of(case))
        self.records.resizeColumnsToContents()

    def records_of(self, case) -> list[tuple]:
        """The case's inspections, rectifications and tests, newest first: (when, what,
        found, state, late)."""
        now = clock.now()
        out = []
        for i in reno.inspections(case):
            what = self.tr("Final inspection") if i.final else self.tr("Inspection")
            notes = [i.findings]
            if not i.debris_ok:
                notes.append(self.tr("debris not taken away"))
            if i.after_hours:
                notes.append(self.tr("works outside the permitted hours"))
            state = self.tr("Passed") if i.passed else self.tr("Not passed")
            out.append((i.at, what, self.tr("; ").join(n for n in notes if n), state, i.after_hours or not i.passed))
        for r in reno.rectifications(case):
            state = (self.tr("Checked {when}").format(when=r.checked_at.strftime("%Y-%m-%d"))
                     if r.checked_at else self.tr("Open, by {day}").format(day=r.deadline.isoformat()))
            out.append((r.issued_at, self.tr("Rectification {number}").format(number=r.number_text), r.what, state,
                        r.checked_at is None and r.due <= now))
        for t in reno.tests(case):
            kind = i18n.office(reno.TESTS[t.kind])
            if t.passed is None:
                state = self.tr("Running, read from {when}").format(when=t.ready_at.strftime("%m-%d %H:%M"))
            else:
                state = self.tr("Passed") if t.passed else self.tr("Failed")
            out.append((t.started_at, f"{kind} {t.area} ({t.hours} h)", t.note, state,
                        t.passed is False or (t.passed is None and t.ready_at <= now)))
        out.sort(key=lambda e: e[0], reverse=True)
        return out

    def _done(self, case_id: int | None = None) -> None:
        self.load()
        if case_id is not None:
            self.open_case(case_id)

    # --- the steps -----------------------------------------------------------------------

    def new_application(self, exec_dialog: bool = True, house_label: str = ""):
        dialog = ApplicationDialog(self.user, self, house_label)
        if exec_dialog and dialog.exec() and dialog.result_object is not None:
            self._done(dialog.result_object.id)
            self.print_application()
        return dialog

    def next_step(self, exec_dialog: bool = True):
        case = self.case()
        if case is None:
            return None
        step, _ = reno.next_step(case)
        if step in reno.APPROVALS:
            return self.approve(step, exec_dialog)
        action = {"sign": self.sign, "money": self.ask_money, "permit": self.permit, "rectify": self.check_rectification,
                  "test": self.read_test, "final": self.final_inspection, "refund": self.refund}.get(step)
        return action(exec_dialog) if action else None

    def _dialog(self, title: str, action, intro: str = "") -> StepDialog:
        return StepDialog(title, action, self, intro)

    def _run(self, dialog: StepDialog, exec_dialog: bool, case_id: int):
        if exec_dialog and dialog.exec():
            self._done(case_id)
        return dialog

    def approve(self, step: str, exec_dialog: bool = True):
        case = self.case()
        title = i18n.office(reno.STEPS[step])
        if step == "desk":
            dialog = self._dialog(title, lambda: reno.approve(self.user, case.id, "desk", note=note.text()),
                                  self.tr("{number}: the application and its papers are complete.").format(
                                      number=case.number_text))
            note = dialog.form.add("note", self.tr("Remark"), QLineEdit())
        elif step == "engineering":
            dialog = self._dialog(title, lambda: reno.approve(self.user, case.id, "engineering",
                                                              engineer=engineer.text(), note=note.text()),
                                  self.tr("As the engineer signed the application form."))
            engineer = dialog.form.add("engineer", self.tr("Engineer"), QLineEdit())
            note = dialog.form.add("note", self.tr("Opinion"), QLineEdit())
        else:
            from ui.approval import ApprovalDialog

            dialog = ApprovalDialog(title, self.tr("{number} {house}: the supervisor approves the works.").format(
                number=case.number_text, house=case.house.label), "service.manage",
                lambda approval, reason: reno.approve(self.user, case.id, "supervisor", approver=approval,
                                                      note=reason), needs_reason=False, parent=self)
        dialog.buttons.button(dialog.buttons.StandardButton.Save).setText(self.tr("Approve"))
        if exec_dialog and dialog.exec():
            self._done(case.id)
            if step == "supervisor":
                self.print_agreement()
        return dialog

    def refuse(self, exec_dialog: bool = True):
        case = self.case()
        if case is None:
            return None
        step, _ = reno.next_step(case)
        if step not in reno.APPROVALS:
            QMessageBox.information(self, self.tr("Renovations"), self.tr("{number} is approved already.").format(
                number=case.number_text))
            return None
        dialog = self._dialog(self.tr("Not approved"), lambda: reno.approve(self.user, case.id, step, refuse=True,
                                                                            note=reason.text(), engineer=by.text()))
        reason = dialog.form.add("note", self.tr("Why"), QLineEdit())
        by = dialog.form.add("engineer", self.tr("Engineer"), QLineEdit()) if step == "engineering" else QLineEdit()
        return self._run(dialog, exec_dialog, case.id)

    def sign(self, exec_dialog: bool = True):
        case = self.case()
        if exec_dialog and QMessageBox.question(
                self, self.tr("Renovations"), self.tr(
                    "Have the owner and the contractor signed the application, the agreement, the renovation rules "
                    "and the fire-safety pledge?")) != QMessageBox.StandardButton.Yes:
            return None
        done = act(self, self.tr("Renovations"), reno.sign, self.user, case.id)
        if done:
            self._done(case.id)
        return done

    def ask_money(self, _exec_dialog: bool = True):
        """The deposit and the debris fee go to the counter, on one receipt."""
        case = self.case()
        done = act(self, self.tr("Renovations"), reno.counter_lines, self.user, case.id)
        if done:
            deposit, debris = done.value
            self.take_money.emit(case.id, case.house_id, deposit, debris)
        return done

    def permit(self, exec_dialog: bool = True):
        case = self.case()
        done = act(self, self.tr("Renovations"), reno.issue_permit, self.user, case.id)
        if done:
            self._done(case.id)
            if exec_dialog:
                self.print_permit()
                self.print_passes()
        return done

    def inspect(self, exec_dialog: bool = True):
        case = self.case()
        if case is None:
            return None

        def save():
            row = reno.inspect(self.user, case.id, findings=findings.toPlainText(), debris_ok=debris.isChecked(),
                               after_hours=late.isChecked(), rectify=rectify.toPlainText() if to_rectify.isChecked()
                               else "", days=days.value())
            return row

        dialog = self._dialog(self.tr("Inspect {number}").format(number=case.number_text), save)
        debris = dialog.form.add("debris_ok", "", QCheckBox(self.tr("Debris bagged and taken away today")))
        debris.setChecked(True)
        start, end = reno.permitted_hours()
        late = dialog.form.add("after_hours", "", QCheckBox(self.tr(
            "Works going on outside the permitted hours ({start}:00–{end}:00)").format(start=start, end=end)))
        findings = dialog.form.add("findings", self.tr("Found"), QPlainTextEdit())
        findings.setTabChangesFocus(True)
        findings.setMaximumHeight(70)
        to_rectify = dialog.form.add("to_rectify", "", QCheckBox(self.tr("Issue a rectification notice")))
        rectify = dialog.form.add("rectify", self.tr("To put right"), QPlainTextEdit())
        rectify.setTabChangesFocus(True)
        rectify.setMaximumHeight(60)
        days = dialog.form.add("days", self.tr("Within (days)"), QSpinBox())
        days.setRange(0, reno.MAX_RECTIFY_DAYS)
        days.setValue(3)
        for field in (rectify, days):  # what to put right, only with a notice to issue
            field.setEnabled(False)
            to_rectify.toggled.connect(field.setEnabled)
        dialog.fields = dict(debris=debris, late=late, findings=findings, to_rectify=to_rectify, rectify=rectify,
                             days=days)
        if exec_dialog and dialog.exec():
            self._done(case.id)
            if to_rectify.isChecked():
                self.print_rectification()
        return dialog

    def check_rectification(self, exec_dialog: bool = True):
        case = self.case()
        open_ones = reno.open_rectifications(case) if case else []
        if not open_ones:
            QMessageBox.information(self, self.tr("Renovations"), self.tr("No rectification is open."))
            return None
        which = QComboBox()
        for r in reversed(open_ones):
            which.addItem(f"{r.number_text}  {r.what[:30]}  ({r.deadline.isoformat()})", r.id)
        dialog = self._dialog(self.tr("Rectification put right"),
                              lambda: reno.check_rectification(self.user, which.currentData(), note.text()))
        dialog.form.add("which", self.tr("Notice"), which)
        note = dialog.form.add("note", self.tr("Checked"), QLineEdit())
        return self._run(dialog, exec_dialog, case.id)

    def start_test(self, exec_dialog: bool = True):
        case = self.case()
        if case is None:
            return None
        dialog = self._dialog(self.tr("Start a waterproofing test"),
                              lambda: reno.start_test(self.user, case.id, area=area.currentText(), kind=kind.currentData()),
                              self.tr("It runs {hours} hours from now before it is read.").format(hours=reno.test_hours()))
        kind = dialog.form.add("kind", self.tr("Test"), fill_combo(QComboBox(), reno.TESTS, "closed_water"))
        area = dialog.form.add("area", self.tr("Where"), QComboBox())
        area.setEditable(True)
        area.addItems([self.tr("Bathroom"), self.tr("Kitchen"), self.tr("Balcony")])
        return self._run(dialog, exec_dialog, case.id)

    def read_test(self, exec_dialog: bool = True):
        case = self.case()
        running = [t for t in reno.tests(case) if t.passed is None] if case else []
        if not running:
            QMessageBox.information(self, self.tr("Renovations"), self.tr("No test is running."))
            return None
        which = QComboBox()
        for t in running:
            which.addItem(f"{t.area}  {t.started_at:%m-%d %H:%M} → {t.ready_at:%m-%d %H:%M}", t.id)
        dialog = self._dialog(self.tr("Read the waterproofing test"),
                              lambda: reno.read_test(self.user, which.currentData(), passed=passed.currentData(),
                                                     note=note.text()))
        dialog.form.add("which", self.tr("Test"), which)
        passed = dialog.form.add("passed", self.tr("Result"), QComboBox())
        passed.addItem(self.tr("Passed: no leak"), True)
        passed.addItem(self.tr("Failed: it leaked"), False)
        note = dialog.form.add("note", self.tr("Seen"), QLineEdit())
        return self._run(dialog, exec_dialog, case.id)

    def final_inspection(self, exec_dialog: bool = True):
        case = self.case()
        dialog = self._dialog(self.tr("Final inspection of {number}").format(number=case.number_text),
                              lambda: reno.final_inspection(self.user, case.id, passed=passed.currentData(),
                                                            findings=findings.text()))
        passed = dialog.form.add("passed", self.tr("Result"), QComboBox())
        passed.addItem(self.tr("Accepted"), True)
        passed.addItem(self.tr("Not accepted: the works go on"), False)
        findings = dialog.form.add("findings", self.tr("Found"), QLineEdit())
        return self._run(dialog, exec_dialog, case.id)

    def refund(self, exec_dialog: bool = True):
        from ui.approval import ApprovalDialog

        case = self.case()
        method = fill_combo(QComboBox(), reno.cashier.METHODS, "cash")
        deductions = QPlainTextEdit()
        deductions.setTabChangesFocus(True)
        deductions.setMaximumHeight(70)
        deductions.setPlaceholderText(self.tr("One a line: the amount, then what it is for (200 电梯轿厢壁板损坏)"))

        def action(approval, _reason):
            return reno.refund(self.user, case.id, parse_deductions(deductions.toPlainText()), approval,
                               method=method.currentData())

        dialog = ApprovalDialog(self.tr("Refund the deposit"), self.tr(
            "{number} {house}: the deposit of {deposit} is paid back, less any deductions.").format(
            number=case.number_text, house=case.house.label, deposit=money.fmt(case.deposit, grouping=True)),
            "cash.approve", action, needs_reason=False, parent=self)
        dialog.form.add("deductions", self.tr("Deductions"), deductions)
        dialog.form.add("method", self.tr("Paid back by"), method)
        dialog.deductions = deductions
        if exec_dialog and dialog.exec() and dialog.result_object is not None:
            self._done(case.id)
            self.show_receipt(dialog.result_object)
        return dialog

    def show_receipt(self, receipt):
        from ui.preview import PreviewDialog
        from ui.receipts import receipt_pdf

        done = act(self, self.tr("Renovations"), receipt_pdf, receipt)
        if done:
            PreviewDialog(done.value, self.tr("Receipt {number}").format(number=receipt.number_text), self,
                          file_name=f"{receipt.number_text}.pdf").exec()

    def add_workers(self, exec_dialog: bool = True):
        case = self.case()
        if case is None:
            return None
        dialog = self._dialog(self.tr("More workers"), lambda: reno.add_workers(
            self.user, case.id, parse_workers(people.toPlainText())))
        people = dialog.form.add("workers", self.tr("Workers"), QPlainTextEdit())
        people.setPlaceholderText(self.tr("One a line: name, ID number, phone, trade"))
        people.setTabChangesFocus(True)
        return self._run(dialog, exec_dialog, case.id)

    def extend(self, exec_dialog: bool = True):
        case = self.case()
        if case is None:
            return None
        dialog = self._dialog(self.tr("More time for {number}").format(number=case.number_text),
                              lambda: reno.extend(self.user, case.id, to_date(end), reason.text()),
                              self.tr("The permit and the workers' passes run to the new end."))
        end = dialog.form.add("planned_end", self.tr("Works end"),
                              date_edit(case.planned_end + datetime.timedelta(days=14)))
        reason = dialog.form.add("reason", self.tr("Why"), QLineEdit())
        return self._run(dialog, exec_dialog, case.id)

    def month_counts(self):
        today = clock.today()
        m = reno.month(self.user, today.year, today.month)
        QMessageBox.information(self, self.tr("Renovations this month"), self.tr(
            "{month}: {applied} applied, {started} started, {finished} accepted, {refunded} deposits refunded; "
            "{held_count} deposits held at the month's end, {held} in all.").format(
            month=today.strftime("%Y-%m"), applied=m.applied, started=m.started, finished=m.finished,
            refunded=m.refunded, held_count=m.held_count, held=money.fmt(m.held, grouping=True)))
        return m

    def print_list(self):
        """The renovations listed, by building, with their next step and its deadline (装修台账)."""
        from printing import lists
        from printing.furniture import Letterhead
        from printing.words import zh

        rows = self.model.rows
        data = lists.ListData(
            "装修登记台账", ["编号", "楼栋", "房屋", "申请人", "施工单位", "状态", "下一步", "期限", "计划完工"],
            [[r.number, r.building, r.house, r.applicant, r.contractor, zh(reno.STATES[r.state]),
              zh(reno.STEPS[r.step]) if r.step else "", r.due.strftime("%Y-%m-%d %H:%M") if r.due else "",
              r.planned_end.isoformat()] for r in rows],
            subtitle=f"{clock.today().isoformat()}  共 {len(rows)} 户", widths=(12, 5, 9, 8, 16, 8, 14, 13, 10))
        pdf = lists.render(data, Letterhead.from_profile(estate.profile()), landscape=True)
        return self._preview(pdf, self.tr("Renovations"), f"装修登记台账 {clock.today().isoformat()}.pdf")

    # --- the papers ------------------------------------------------------------------------

    def _preview(self, pdf: bytes, title: str, file_name: str):
        from ui.preview import PreviewDialog

        dialog = PreviewDialog(pdf, title, self, file_name=file_name)
        dialog.exec()
        return dialog

    def _paper(self, make, title: str, file_name: str):
        from printing import papers
        from printing.furniture import Letterhead

        case = self.case()
        if case is None:
            return None
        done = act(self, title, make, papers.renovation_case(case), Letterhead.from_profile(estate.profile()))
        return self._preview(done.value, title, f"{case.number_text} {file_name}.pdf") if done else None

    def print_application(self):
        from printing import renovation as paper, slip

        return self._paper(lambda c, head: slip.render(paper.application(c), head, paper="A4"),
                           self.tr("Application and approval form"), "装修申请审批表")

    def print_agreement(self):
        from printing import renovation as paper

        date = clock.today().isoformat()
        return self._paper(lambda c, head: paper.agreement(c, head, reno.test_hours(), date),
                           self.tr("Agreement and fire-safety pledge"), "装修管理协议")

    def print_permit(self):
        from printing import renovation as paper

        case = self.case()
        if case is None or case.permit_at is None:
            QMessageBox.information(self, self.tr("Renovations"), self.tr("The permit is issued once the papers are "
                                                                          "signed and the money taken."))
            return None
        phone = estate.profile().office_phone
        return self._paper(lambda c, head: paper.permit(c, head, office_phone=phone), self.tr("Permit for the door"),
                           "装修许可证")

    def print_passes(self):
        from printing import renovation as paper

        case = self.case()
        if case is None or case.permit_at is None:
            QMessageBox.information(self, self.tr("Renovations"), self.tr("The passes are printed with the permit."))
            return None
        return self._paper(paper.passes, self.tr("Workers' passes"), "施工人员出入证")

    def print_rectification(self):
        from printing import papers, slip
        from printing.furniture import Letterhead

        case = self.case()
        rows = reno.rectifications(case) if case else []
        if not rows:
            QMessageBox.information(self, self.tr("Renovations"), self.tr("No rectification notice was issued."))
            return None
        row = rows[0]  # the newest
        title = self.tr("Rectification notice {number}").format(number=row.number_text)
        done = act(self, title, slip.render, papers.rectification_notice(row), Letterhead.from_profile(estate.profile()),
                   paper="A5")
        return self._preview(done.value, title, f"{row.number_text}.pdf") if done else None
