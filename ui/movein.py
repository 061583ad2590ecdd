"""办理入住: the move-in worked through at the desk, step by step, from the house's page. Each
step is kept as it is done: closing the window half-way loses nothing, and the house shows
the step it waits for."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QPushButton, QSpinBox,
                               QStackedWidget, QVBoxLayout, QWidget)

from models import clock, documents, estate, money, movein, repairs, settings
from models.errors import OfficeError
from ui import i18n
from ui.archive_dialogs import date_edit, to_date
from ui.form import Form, fill_combo
from ui.kit import PhotoField, act, table_view
from ui.table_models import RowsModel

PAGES = ("notice", "papers", "inspection", "keys", "handover", "money")


class MoveInDialog(QDialog):
    """The move-in of one house: its steps on the left (done ones ticked), the step's form on
    the right, the papers to print at the bottom."""

    take_money = Signal(int, int, int)  # case id, house id, fen prepaid

    def __init__(self, user, house_id: int, parent=None):
        super().__init__(parent)
        self.user, self.house_id = user, house_id
        self.house = estate.get_house(house_id)
        self.setWindowTitle(self.tr("Move-in of {house}").format(house=self.house.label))
        self.case = movein.open_case(user, house_id)
        self.steps = QListWidget()
        self.steps.setMaximumWidth(230)
        for key in PAGES:
            self.steps.addItem(QListWidgetItem(self.step_title(key)))
        self.steps.currentRowChanged.connect(lambda row: self.stack.setCurrentIndex(max(row, 0)))
        self.stack = QStackedWidget()
        self.forms: dict[str, Form] = {}
        for key in PAGES:
            self.stack.addWidget(getattr(self, f"_page_{key}")())
        self.state = QLabel()
        self.state.setWordWrap(True)
        prints = QHBoxLayout()
        for text, slot in ((self.tr("Print the notice"), self.print_notice),
                           (self.tr("Print the procedure form"), self.print_form),
                           (self.tr("Print the inspection report"), self.print_report),
                           (self.tr("Print the keys receipt"), self.print_keys)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            prints.addWidget(b)
        prints.addStretch(1)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        prints.addWidget(close)
        body = QHBoxLayout()
        body.addWidget(self.steps)
        body.addWidget(self.stack, 1)
        box = QVBoxLayout(self)
        box.addWidget(self.state)
        box.addLayout(body, 1)
        box.addLayout(prints)
        self.resize(900, 560)
        self.show_case()

    def step_title(self, key: str) -> str:
        if key == "notice":
            return self.tr("Move-in notice")
        return i18n.office(movein.STEPS[key])

    # --- the pages -------------------------------------------------------------------------

    def _form(self, key: str, intro: str) -> tuple[QWidget, Form, QVBoxLayout]:
        page = QGroupBox(self.step_title(key))
        v = QVBoxLayout(page)
        label = QLabel(intro)
        label.setWordWrap(True)
        v.addWidget(label)
        form = Form()
        v.addWidget(form)
        self.forms[key] = form
        return page, form, v

    def _buttons(self, v: QVBoxLayout, *buttons: QPushButton) -> None:
        row = QHBoxLayout()
        row.addStretch(1)
        for b in buttons:
            row.addWidget(b)
        v.addStretch(1)
        v.addLayout(row)

    def _button(self, text: str, slot) -> QPushButton:
        b = QPushButton(text)
        b.clicked.connect(slot)
        return b

    def _page_notice(self):
        page, form, v = self._form("notice", self.tr(
            "The notice tells the owner the day the house is handed over, what to bring and what is paid."))
        self.planned = form.add("planned", self.tr("Handed over on"), date_edit())
        self.start_button = self._button(self.tr("Start the move-in and print the notice"), self.start)
        self._buttons(v, self.start_button)
        return page

    def _page_papers(self):
        page, form, v = self._form("papers", self.tr(
            "Tick each paper the owner hands over; they are ticked on the house's archive too. A paper missing stops "
            "the move-in here, and Today shows what it waits for."))
        self.paper_boxes = {}
        for item in movein.PAPERS:
            box = QCheckBox(i18n.office(documents.ITEMS[item][1]))
            self.paper_boxes[item] = form.add(item, "", box)
        self._buttons(v, self._button(self.tr("Save the papers"), self.save_papers))
        return page

    def _page_inspection(self):
        page, form, v = self._form("inspection", self.tr(
            "Walk the house with the owner. Each defect becomes a repair order at once, followed until it is closed."))
        self.place = form.add("place", self.tr("Where"), QLineEdit())
        self.place.setPlaceholderText(self.tr("The kitchen, the bedroom window …"))
        self.what = form.add("what", self.tr("What is wrong"), QLineEdit())
        self.photo = form.add("photo", self.tr("Photo"), PhotoField())
        self.defects_model = RowsModel([
            (self.tr("Where"), lambda d: d.place, None),
            (self.tr("What is wrong"), lambda d: d.what, None),
            (self.tr("Repair"), lambda d: d.repair.number_text if d.repair_id else "", None),
            (self.tr("Repair state"), lambda d: i18n.office(repairs.STATES.get(d.repair.state, d.repair.state))
             if d.repair_id else "", None),
        ], self)
        self.defects_view = table_view(self.defects_model)
        v.addWidget(self.defects_view, 1)
        self._buttons(v, self._button(self.tr("Add the defect"), self.add_defect),
                      self._button(self.tr("Inspection done, report signed"), self.inspected))
        return page

    def choose_photo(self, path: str | None = None) -> None:
        self.photo.choose(path)

    def _page_keys(self):
        page, form, v = self._form("keys", self.tr(
            "The keys the owner receives. The desk's copies of this house's keys leave its custody register."))
        self.key_count = form.add("count", self.tr("How many"), QSpinBox())
        self.key_count.setRange(0, movein.MAX_KEYS)
        self.key_count.setValue(3)
        self.key_which = form.add("which", self.tr("Which"), QLineEdit())
        self.key_which.setPlaceholderText(self.tr("2 door keys, 1 mailbox key"))
        self._buttons(v, self._button(self.tr("Keys handed over"), self.hand_keys))
        return page

    def _page_handover(self):
        page, form, v = self._form("handover", self.tr(
            "The day the house is handed over: its monthly fees start that day."))
        self.handover = form.add("on", self.tr("Handover date"), date_edit())
        self.lived = form.add("state", self.tr("The house is"), fill_combo(
            QComboBox(), {k: estate.STATES[k] for k in movein.LIVED_IN}, "owner_occupied"))
        self.fees_note = QLabel()
        self.fees_note.setWordWrap(True)
        v.addWidget(self.fees_note)
        self._buttons(v, self._button(self.tr("Set the handover date"), self.set_handover))
        return page

    def _page_money(self):
        page, form, v = self._form("money", self.tr(
            "The first months' fees are taken at the counter; the move-in is done once they are paid."))
        self.money_note = QLabel()
        self.money_note.setWordWrap(True)
        v.addWidget(self.money_note)
        self.reason = form.add("reason", self.tr("Nothing taken now because"), QLineEdit())
        self._buttons(v, self._button(self.tr("Close without charges"), self.without_charges),
                      self._button(self.tr("To the counter"), self.to_counter))
        return page

    # --- showing -----------------------------------------------------------------------------

    def show_case(self) -> None:
        if self.case is not None:
            self.case = movein.get(self.user, self.case.id)
        case = self.case
        step = movein.next_step(case) if case else "notice"
        done = movein.done_steps(case)
        for n, key in enumerate(PAGES):
            item = self.steps.item(n)
            item.setText(("✓ " if key in done else "   ") + self.step_title(key))
            enabled = key in done or key == step or (key == "notice" and case is not None)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEnabled if enabled
                          else item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
        self.steps.setCurrentRow(PAGES.index(step) if step in PAGES else len(PAGES) - 1)
        self.start_button.setEnabled(case is None)
        if case is None:
            self.state.setText(self.tr("No move-in under way for {house}. Start it with the day the house is handed "
                                       "over.").format(house=self.house.label))
            return
        self.planned.setDate(date_edit(case.planned).date())
        have = dict(movein.papers(case))
        for item, box in self.paper_boxes.items():
            box.setChecked(have[item])
            box.setEnabled(not have[item])
        self.defects_model.set_rows(movein.defects(case))
        self.defects_view.resizeColumnsToContents()
        if case.keys_at:
            self.key_count.setValue(case.keys_count)
            self.key_which.setText(case.keys_which)
        items = "、".join(i.name for i in movein.fee_items())
        self.fees_note.setText(self.tr("Fees that start: {items}; a month comes to {amount}.").format(
            items=items or self.tr("none"), amount=money.fmt(movein.monthly_fees(case.house), grouping=True)))
        if step == "money":
            amount = movein.counter_amount(self.user, case.id)
            self.money_note.setText(self.tr("{months} months prepaid: {amount}.").format(
                months=settings.office.movein_prepaid_months, amount=money.fmt(amount, grouping=True)))
        if not step:
            self.state.setText(self.tr("The move-in of {house} is done.").format(house=self.house.label))
        else:
            waits = self.step_title(step)
            left = movein.missing(case) if step == "papers" else []
            if left:
                waits += self.tr(": waiting for {papers}").format(
                    papers="、".join(i18n.office(documents.ITEMS[i][1]) for i in left))
            self.state.setText(self.tr("{owner}, to be handed over on {planned}. Now: {step}.").format(
                owner=case.owner_name, planned=case.planned.isoformat(), step=waits))

    def _act(self, key: str, action, *args, **kwargs):
        done = act(self, self.windowTitle(), action, *args, form=self.forms.get(key), **kwargs)
        if done:
            self.show_case()
        return done

    # --- the steps ---------------------------------------------------------------------------

    def start(self):
        done = act(self, self.windowTitle(), movein.start, self.user, self.house_id, planned=to_date(self.planned),
                   form=self.forms["notice"])
        if not done:
            return done
        self.case = done.value
        self.show_case()
        self.print_notice()
        return done

    def save_papers(self):
        if self.case is None:
            return None
        ticked = [item for item, box in self.paper_boxes.items() if box.isChecked() and box.isEnabled()]
        return self._act("papers", movein.receive_papers, self.user, self.case.id, ticked)

    def add_defect(self):
        if self.case is None:
            return None
        done = self._act("inspection", movein.add_defect, self.user, self.case.id, place=self.place.text(),
                         what=self.what.text(), photo=self.photo.path)
        if done:
            for edit in (self.place, self.what):
                edit.clear()
            self.photo.clear()
            self.place.setFocus()
        return done

    def inspected(self):
        if self.case is None:
            return None
        if self.place.text().strip() or self.what.text().strip():  # typed, not added: never lost silently
            self.forms["inspection"].rows["what"].set_error(self.tr(
                "A defect is typed but not added: add it, or clear it, first"))
            return None
        return self._act("inspection", movein.inspected, self.user, self.case.id)

    def hand_keys(self):
        if self.case is None:
            return None
        done = self._act("keys", movein.hand_keys, self.user, self.case.id, count=self.key_count.value(),
                         which=self.key_which.text())
        if done:
            self.print_keys()
        return done

    def set_handover(self):
        if self.case is None:
            return None
        return self._act("handover", movein.set_handover, self.user, self.case.id, on=to_date(self.handover),
                         state=self.lived.currentData())

    def to_counter(self):
        if self.case is None:
            return None
        done = act(self, self.windowTitle(), movein.counter_amount, self.user, self.case.id)
        if done:
            self.take_money.emit(self.case.id, self.house_id, done.value)
            self.accept()
        return done

    def without_charges(self):
        if self.case is None:
            return None
        return self._act("money", movein.finish_without_charges, self.user, self.case.id, self.reason.text())

    # --- the papers ----------------------------------------------------------------------------

    def _preview(self, pdf: bytes, title: str):
        from ui.preview import PreviewDialog

        dialog = PreviewDialog(pdf, title, self, file_name=f"{self.house.label} {title}.pdf")
        dialog.exec()
        return dialog

    def _paper(self, make, title: str):
        from printing import papers
        from printing.furniture import Letterhead

        if self.case is None:
            QMessageBox.information(self, self.windowTitle(), self.tr("Start the move-in first."))
            return None
        try:
            pdf = make(papers.movein_paper(self.case), Letterhead.from_profile(estate.profile()))
        except OfficeError as e:
            from ui.kit import refusal

            refusal(self, title, e)
            return None
        return self._preview(pdf, title)

    def print_notice(self):
        from printing import movein as paper

        done = self._paper(lambda p, head: paper.notice(p, head, clock.today().isoformat()), self.tr("Move-in notice"))
        if done is not None and self.case is not None and self.case.notice_printed_at is None:
            act(self, self.windowTitle(), movein.notice_printed, self.user, self.case.id)
            self.show_case()
        return done

    def print_form(self):
        from printing import movein as paper, slip

        return self._paper(lambda p, head: slip.render(paper.procedure_form(p), head, paper="A4"),
                           self.tr("Move-in procedure form"))

    def print_report(self):
        from printing import movein as paper, slip

        return self._paper(lambda p, head: slip.render(paper.inspection_report(p), head, paper="A4"),
                           self.tr("Inspection report"))

    def print_keys(self):
        from printing import movein as paper, slip

        when = (self.case.keys_at if self.case and self.case.keys_at else clock.now()).strftime("%Y-%m-%d %H:%M")
        return self._paper(lambda p, head: slip.render(paper.keys_receipt(p, when), head, paper="A5"),
                           self.tr("Keys receipt"))
