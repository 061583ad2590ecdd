"""寄存、信件: what is left at the desk for someone, and mail without a tracking number;
handed over to whoever collects it. Cash is refused."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox

from models import left_items
from ui import i18n
from ui.form import FormDialog, fill_combo
from ui.kit import ContactFill, EnterCheckBox, EnterMovesOn
from ui.register_tab import RegisterTab, house_of, short


class LeaveDialog(FormDialog):
    def __init__(self, user, parent=None):
        super().__init__(self.tr("Left at the desk"), parent)
        self.user = user
        self.kind = self.form.add("kind", self.tr("What kind"), fill_combo(QComboBox(), left_items.KINDS, "item"))
        self.house = self.form.add("house", self.tr("House"), QLineEdit())
        self.house.setPlaceholderText(self.tr("3-2-1201, or leave empty"))
        self.for_whom = self.form.add("for_whom", self.tr("For"), QLineEdit())
        self.phone = self.form.add("phone", self.tr("Phone"), QLineEdit())
        self.what = self.form.add("what", self.tr("What"), QLineEdit())
        self.number = self.form.add("number", self.tr("Registered number"), QLineEdit())
        self.left_by = self.form.add("left_by", self.tr("Left by"), QLineEdit())
        self.place = self.form.add("place", self.tr("Kept at"), QLineEdit())
        self.no_cash = self.form.add("no_cash", self.tr("Checked"), EnterCheckBox(self.tr("no cash or valuables inside")))
        self.contact = ContactFill(self.for_whom, self.phone)
        self.kind.currentIndexChanged.connect(lambda _i: self.show_kind())
        fields = [self.kind, self.house, self.for_whom, self.phone, self.what, self.number, self.left_by, self.place,
                  self.no_cash]
        self.enter = EnterMovesOn(fields, self.no_cash, self._save, self)
        self.enter.leaving.connect(lambda w: self.fill_for() if w is self.house else None)
        self.show_kind()

    def show_kind(self) -> None:
        kind = self.kind.currentData()
        self.form.show_row("number", kind == "registered")
        self.number.setEnabled(kind == "registered")
        self.form.show_row("no_cash", kind == "item")
        self.no_cash.setEnabled(kind == "item")

    def fill_for(self) -> None:
        try:
            house = house_of(self.user, self.house)
        except Exception:  # said by the field when it is saved
            return
        self.contact.fill(house.id if house else None)

    def save(self):
        house = house_of(self.user, self.house)
        return left_items.leave(self.user, kind=self.kind.currentData(), what=self.what.text(),
                                for_whom=self.for_whom.text(), house_id=house.id if house else None,
                                phone=self.phone.text(), left_by=self.left_by.text(), place=self.place.text(),
                                number=self.number.text(), no_cash=self.no_cash.isChecked())


class CollectDialog(FormDialog):
    def __init__(self, user, item, parent=None):
        super().__init__(self.tr("Collected: {what}").format(what=item.what), parent)
        self.user, self.item = user, item
        self.collected_by = self.form.add("collected_by", self.tr("Collected by"), QLineEdit(item.for_whom))

    def save(self):
        return left_items.collect(self.user, self.item.id, collected_by=self.collected_by.text())


class LeftItemsTab(RegisterTab):
    def __init__(self, user, parent=None):
        self.title = self.tr("Left at the desk")
        self.find_hint = self.tr("What, for whom, left by, house or registered number — Enter")
        self.open_label = self.tr("Waiting only")
        super().__init__(user, [
            (self.tr("Left"), lambda i: short(i.left_at), None),
            (self.tr("Kind"), lambda i: i18n.office(left_items.KINDS[i.kind]), None),
            (self.tr("What"), lambda i: " ".join(x for x in (i.what, i.number) if x), None),
            (self.tr("For"), lambda i: " ".join(x for x in (i.house.label if i.house_id else "", i.for_whom) if x),
             None),
            (self.tr("Phone"), lambda i: i.phone_masked, None),
            (self.tr("Left by"), lambda i: i.left_by, None),
            (self.tr("Kept at"), lambda i: i.place, None),
            (self.tr("Collected"), lambda i: f"{short(i.collected_at)} {i.collected_by}".strip(), None),
        ], parent, muted=lambda i: i.collected_at is not None)
        self.add_button(self.tr("Take in…"), self.take_in, "Ctrl+N")
        self.add_button(self.tr("Collected…"), self.collect)
        self.add_print_button()
        self.load()

    def fetch(self, text, only_open):
        return left_items.search(self.user, text, waiting_only=only_open and not text)

    def activated(self) -> None:
        self.collect()

    def take_in(self):
        dialog = LeaveDialog(self.user, self)
        if dialog.exec():
            self.load()
            self.choose_record(dialog.result_object.id)
        return dialog

    def collect(self):
        item = self.chosen(self.tr("Choose what is collected"))
        if item is None:
            return None
        if item.collected_at is not None:
            QMessageBox.information(self, self.title, self.tr("Collected already by {name}").format(
                name=item.collected_by))
            return None
        dialog = CollectDialog(self.user, item, self)
        if dialog.exec():
            self.load()
        return dialog


def tour_dialog(user, tab, which: str):
    dialog = LeaveDialog(user, tab)
    dialog.kind.setCurrentIndex(dialog.kind.findData("registered"))
    dialog.house.setText("3-2-1201")
    dialog.fill_for()
    dialog.what.setText("法院挂号信")
    dialog.number.setText("XA123456789CN")
    dialog.left_by.setText("邮递员")
    return dialog
