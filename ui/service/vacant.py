"""空置房巡查: the vacant houses with their last inspection and the next one's due time (a
week missed marked), each house's inspections, and the inspection recorded: four checks,
what was found, a photo, and a repair order raised from the finding in the same step."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QMessageBox, QPlainTextEdit, QSplitter, QVBoxLayout, QWidget

from models import clock, vacant
from ui import i18n
from ui.form import FormDialog
from ui.kit import PhotoField, button, list_box, selected_object, table_view
from ui.table_models import RIGHT, RowsModel


class InspectDialog(FormDialog):
    """One inspection of a vacant house: each check ticked when it is as it should be."""

    def __init__(self, user, house: vacant.VacantHouse, parent=None):
        super().__init__(self.tr("Inspect {house}").format(house=house.label), parent)
        self.user, self.house = user, house
        self.checks = {}
        for name, label in vacant.CHECKS.items():
            box = QCheckBox(i18n.office(label))
            box.setChecked(True)
            self.checks[name] = self.form.add(name, "", box)
        self.findings = self.form.add("findings", self.tr("Found"), QPlainTextEdit())
        self.findings.setPlaceholderText(self.tr("What is not as it should be, and where"))
        self.findings.setTabChangesFocus(True)
        self.findings.setMaximumHeight(90)
        self.photo = self.form.add("photo", self.tr("Photo"), PhotoField())
        self.raise_repair = self.form.add("raise_repair", "", QCheckBox(self.tr("Pass the finding on as a repair order")))

    def choose_photo(self, path: str | None = None) -> None:
        self.photo.choose(path)

    def save(self):
        return vacant.record(self.user, self.house.house_id, findings=self.findings.toPlainText(),
                             raise_repair=self.raise_repair.isChecked(), photo=self.photo.path,
                             **{name: box.isChecked() for name, box in self.checks.items()})


class VacantTab(QWidget):
    """The vacant houses due first; below, the chosen house's inspections."""

    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.model = RowsModel([
            (self.tr("House"), lambda v: v.label, None),
            (self.tr("Owner"), lambda v: v.owner_names, None),
            (self.tr("Last inspected"), lambda v: v.last.strftime("%Y-%m-%d %H:%M") if v.last else self.tr("Never"),
             None),
            (self.tr("Next due"), lambda v: v.due.strftime("%Y-%m-%d %H:%M"), None),
            (self.tr("Weeks missed"), lambda v: str(v.missed) if v.missed else "", RIGHT),
        ], self, alert=lambda v: v.due <= clock.now())
        self.view = table_view(self.model)
        self.view.doubleClicked.connect(lambda _: self.inspect())
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self.show_history())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        houses = list_box(self.tr("Vacant houses (inspected every {n} days)").format(n=vacant.interval().days),
                          self.view, [button(self.tr("Record an inspection…"), self.inspect)], self.summary)
        self.history_model = RowsModel([
            (self.tr("When"), lambda i: i.inspected_at.strftime("%Y-%m-%d %H:%M"), None),
            (self.tr("By"), lambda i: i.inspected_by.full_name if i.inspected_by_id else "", None),
            (self.tr("All fine"), lambda i: self.tr("Yes") if i.all_fine else self.tr("No"), None),
            (self.tr("Found"), lambda i: i.findings, None),
            (self.tr("Repair"), lambda i: i.repair.number_text if i.repair_id else "", None),
            (self.tr("Photo"), lambda i: i.photo_name, None),
        ], self, alert=lambda i: not i.all_fine)
        self.history_view = table_view(self.history_model)
        history = list_box(self.tr("Inspections of the chosen house"), self.history_view, [])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(houses)
        split.addWidget(history)
        split.setSizes([420, 260])
        QVBoxLayout(self).addWidget(split)
        self.load()

    def load(self) -> None:
        """The list as it is now, the house chosen kept chosen."""
        was = self.chosen()
        rows = vacant.houses(self.user)
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        if was is not None:
            for n, v in enumerate(rows):
                if v.house_id == was.house_id:
                    self.view.selectRow(n)
                    break
        now = clock.now()
        due = sum(1 for v in rows if v.due <= now)
        self.summary.setText(self.tr("{n} vacant, {due} due now.").format(n=len(rows), due=due))
        self.show_history()

    def chosen(self) -> vacant.VacantHouse | None:
        return selected_object(self.view)

    def show_history(self) -> None:
        v = self.chosen()
        self.history_model.set_rows(vacant.history(self.user, v.house_id) if v else [])
        self.history_view.resizeColumnsToContents()

    def open_house(self, house_id: int) -> bool:
        self.load()
        for n, v in enumerate(self.model.rows):
            if v.house_id == house_id:
                self.view.selectRow(n)
                self.view.setFocus()
                self.show_history()
                return True
        return False

    def inspect(self, exec_dialog: bool = True):
        v = self.chosen()
        if v is None:
            QMessageBox.information(self, self.tr("Vacant houses"), self.tr("Choose a house in the list first"))
            return None
        dialog = InspectDialog(self.user, v, self)
        if exec_dialog and dialog.exec():
            self.load()
            self.open_house(v.house_id)
        return dialog
