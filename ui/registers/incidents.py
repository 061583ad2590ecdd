"""突发事件: an incident opened as it happens, each step timed as it is taken (who was
called, who was told, who arrived, what was done, when it was over), closed with its
summary and printed for the head office."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit

from models import clock, incidents
from printing.registers import incident_report
from ui import i18n
from ui.form import FormDialog, fill_combo
from ui.kit import EnterMovesOn, datetime_edit, preview_slip, py_datetime
from ui.register_tab import RegisterTab, house_of, when


class IncidentDialog(FormDialog):
    def __init__(self, user, parent=None):
        super().__init__(self.tr("Open an incident"), parent)
        self.user = user
        self.kind = self.form.add("kind", self.tr("What kind"), fill_combo(QComboBox(), incidents.KINDS, "lift"))
        self.happened_at = self.form.add("happened_at", self.tr("When it happened"), datetime_edit(clock.now()))
        self.place = self.form.add("place", self.tr("Where"), QLineEdit())
        self.house = self.form.add("house", self.tr("House"), QLineEdit())
        self.house.setPlaceholderText(self.tr("3-2-1201, or leave empty"))
        self.what = self.form.add("what", self.tr("What happened"), QLineEdit())
        self.reported_by = self.form.add("reported_by", self.tr("Reported by"), QLineEdit())
        self.enter = EnterMovesOn([self.kind, self.happened_at, self.place, self.house, self.what, self.reported_by],
                                  self.reported_by, self._save, self)

    def save(self):
        house = house_of(self.user, self.house)
        return incidents.open_incident(self.user, kind=self.kind.currentData(), happened_at=py_datetime(
            self.happened_at), place=self.place.text(), what=self.what.text(), reported_by=self.reported_by.text(),
            house_id=house.id if house else None)


class StepDialog(FormDialog):
    def __init__(self, user, incident, parent=None):
        super().__init__(self.tr("{number}: a step").format(number=incident.number_text), parent)
        self.user, self.incident = user, incident
        done = incidents.steps(user, incident.id)
        about = QLabel("\n".join(f"{s.at:%H:%M}  {i18n.office(incidents.STEPS[s.kind])}  {s.who}  {s.note}"
                                 for s in done) or self.tr("No step yet."))
        about.setWordWrap(True)
        self.box.insertWidget(0, about)
        self.kind = self.form.add("kind", self.tr("Step"), fill_combo(QComboBox(), incidents.STEPS, "called"))
        self.at = self.form.add("at", self.tr("At"), datetime_edit(clock.now()))
        self.who = self.form.add("who", self.tr("Who"), QLineEdit())
        self.who.setPlaceholderText(self.tr("the lift company, the manager, 119…"))
        self.note = self.form.add("note", self.tr("Note"), QLineEdit())
        self.enter = EnterMovesOn([self.kind, self.at, self.who, self.note], self.note, self._save, self)

    def save(self):
        return incidents.step(self.user, self.incident.id, kind=self.kind.currentData(), at=py_datetime(self.at),
                              who=self.who.text(), note=self.note.text())


class CloseDialog(FormDialog):
    def __init__(self, user, incident, parent=None):
        super().__init__(self.tr("Close {number}").format(number=incident.number_text), parent)
        self.user, self.incident = user, incident
        self.summary = self.form.add("summary", self.tr("Closing summary"), QPlainTextEdit())
        self.summary.setTabChangesFocus(True)

    def save(self):
        return incidents.close(self.user, self.incident.id, self.summary.toPlainText())


class IncidentsTab(RegisterTab):
    def __init__(self, user, parent=None):
        self.title = self.tr("Incidents")
        self.find_hint = self.tr("Number, place or words — Enter")
        self.open_label = self.tr("Open only")
        super().__init__(user, [
            (self.tr("No."), lambda i: i.number_text, None),
            (self.tr("Happened"), lambda i: when(i.happened_at), None),
            (self.tr("Kind"), lambda i: i18n.office(incidents.KINDS[i.kind]), None),
            (self.tr("Where"), lambda i: i.place + (f" {i.house.label}" if i.house_id else ""), None),
            (self.tr("What"), lambda i: i.what, None),
            (self.tr("Closed"), lambda i: when(i.closed_at) or self.tr("open"), None),
        ], parent, alert=lambda i: i.closed_at is None)
        self.only_open.setChecked(False)
        self.add_button(self.tr("Open an incident…"), self.open_one, "Ctrl+N")
        self.add_button(self.tr("A step…"), self.add_step)
        self.add_button(self.tr("Close…"), self.close_one)
        self.add_button(self.tr("Print the report…"), self.print_report)
        self.load()

    def fetch(self, text, only_open):
        return incidents.search(self.user, text, open_only=only_open)

    def activated(self) -> None:
        self.add_step()

    def open_one(self):
        dialog = IncidentDialog(self.user, self)
        if dialog.exec():
            self.load()
            self.choose_record(dialog.result_object.id)
        return dialog

    def _open_chosen(self):
        i = self.chosen(self.tr("Choose an incident first"))
        if i is not None and i.closed_at is not None:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.information(self, self.title, self.tr("This incident is closed"))
            return None
        return i

    def add_step(self):
        i = self._open_chosen()
        if i is None:
            return None
        dialog = StepDialog(self.user, i, self)
        if dialog.exec():
            self.load()
        return dialog

    def close_one(self):
        i = self._open_chosen()
        if i is None:
            return None
        dialog = CloseDialog(self.user, i, self)
        if dialog.exec():
            self.load()
            return self.print_report(i)
        return dialog

    def print_report(self, i=None):
        i = i or self.chosen(self.tr("Choose an incident first"))
        if i is None:
            return None
        i = incidents.get(self.user, i.id)
        return preview_slip(self, incident_report(i, incidents.steps(self.user, i.id)), self.tr("Incident report"),
                            f"{i.number_text}.pdf")


def tour_dialog(user, tab, which: str):
    rows = incidents.search(user)
    return StepDialog(user, rows[0], tab) if rows and which == "step" else IncidentDialog(user, tab)
