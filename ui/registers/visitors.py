"""访客登记: the visitor book. Who came, to which house and who there said so, the ID
document (shown masked), the vehicle; out again with one key."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox, QSpinBox

from models import clock, validation, visitors
from ui.form import FormDialog, fill_combo
from ui.kit import EnterMovesOn, act
from ui.register_tab import RegisterTab, house_of, short


class VisitorDialog(FormDialog):
    def __init__(self, user, parent=None):
        super().__init__(self.tr("Sign a visitor in"), parent)
        self.user = user
        self.house = self.form.add("house", self.tr("House visited"), QLineEdit())
        self.house.setPlaceholderText("3-2-1201")
        self.name = self.form.add("name", self.tr("Visitor"), QLineEdit())
        self.confirmed_by = self.form.add("confirmed_by", self.tr("Let in by"), QLineEdit())
        self.confirmed_by.setPlaceholderText(self.tr("who in the house said so, and how"))
        self.id_type = self.form.add("id_type", self.tr("ID document"),
                                     fill_combo(QComboBox(), validation.ID_TYPES, "resident_id"))
        self.id_number = self.form.add("id_number", self.tr("ID number"), QLineEdit())
        self.phone = self.form.add("phone", self.tr("Phone"), QLineEdit())
        self.plate = self.form.add("plate", self.tr("Vehicle plate"), QLineEdit())
        self.plate.setPlaceholderText("粤B12345")
        self.people = self.form.add("people", self.tr("People"), QSpinBox())
        self.people.setRange(1, visitors.MOST_PEOPLE)
        self.purpose = self.form.add("purpose", self.tr("Purpose"), QLineEdit())
        fields = [self.house, self.name, self.confirmed_by, self.id_type, self.id_number, self.phone, self.plate,
                  self.people, self.purpose]
        self.enter = EnterMovesOn(fields, self.purpose, self._save, self)
        self.house.editingFinished.connect(self.show_house)

    def show_house(self) -> None:
        try:
            house_of(self.user, self.house)
        except Exception:  # said by the field when it is saved
            pass

    def save(self):
        house = house_of(self.user, self.house, required=True)
        return visitors.come_in(self.user, name=self.name.text(), house_id=house.id,
                                confirmed_by=self.confirmed_by.text(), id_type=self.id_type.currentData(),
                                id_number=self.id_number.text(), phone=self.phone.text(), purpose=self.purpose.text(),
                                plate=self.plate.text(), people=self.people.value())


class VisitorsTab(RegisterTab):
    def __init__(self, user, parent=None):
        self.title = self.tr("Visitors")
        self.find_hint = self.tr("Name, house, plate, or the phone's or ID's last digits — Enter")
        self.open_label = self.tr("Still inside")
        super().__init__(user, [
            (self.tr("In"), lambda v: short(v.in_at), None),
            (self.tr("Visitor"), lambda v: v.name + (f" ×{v.people}" if v.people > 1 else ""), None),
            (self.tr("House"), lambda v: v.house.label, None),
            (self.tr("Let in by"), lambda v: v.confirmed_by, None),
            (self.tr("ID number"), lambda v: v.id_number, None),
            (self.tr("Phone"), lambda v: v.phone_masked, None),
            (self.tr("Plate"), lambda v: v.plate, None),
            (self.tr("Purpose"), lambda v: v.purpose, None),
            (self.tr("Out"), lambda v: short(v.out_at) or self.tr("inside"), None),
        ], parent, alert=lambda v: v.out_at is None and visitors.day_end(v.in_at.date()) <= clock.now())
        self.add_button(self.tr("Sign in…"), self.sign_in, "Ctrl+N")
        self.add_button(self.tr("Out"), self.sign_out)
        self.add_button(self.tr("Today's visitors"), self.todays)
        self.add_print_button()
        self.day = None
        self.load()

    def fetch(self, text, only_open):
        day, self.day = self.day, None
        if only_open and not text:
            return visitors.inside(self.user)
        return visitors.search(self.user, text, inside_only=only_open, day=day)

    def summary_text(self, rows) -> str:
        inside = sum(1 for v in rows if v.out_at is None)
        return self.tr("{n} visitors, {inside} still inside.").format(n=len(rows), inside=inside)

    def activated(self) -> None:
        self.sign_out()

    def sign_in(self):
        dialog = VisitorDialog(self.user, self)
        if dialog.exec():
            self.load()
            self.choose_record(dialog.result_object.id)
        return dialog

    def sign_out(self):
        v = self.chosen(self.tr("Choose the visitor going out"))
        if v is None:
            return None
        if v.out_at is not None:
            QMessageBox.information(self, self.title, self.tr("{name} went out at {at}").format(
                name=v.name, at=short(v.out_at)))
            return None
        done = act(self, self.title, visitors.go_out, self.user, v.id)
        if done:
            self.load()
        return done

    def todays(self) -> None:
        """Today's book, in and out: the list to print at the end of the day."""
        self.find.clear()
        self.day = clock.today()
        if self.only_open.isChecked():
            self.only_open.blockSignals(True)
            self.only_open.setChecked(False)
            self.only_open.blockSignals(False)
        self.load()


def tour_dialog(user, tab, which: str):
    dialog = VisitorDialog(user, tab)
    dialog.house.setText("5-1-302")
    dialog.name.setText("刘备")
    dialog.confirmed_by.setText("业主对讲确认")
    dialog.plate.setText("粤B66666")
    return dialog
