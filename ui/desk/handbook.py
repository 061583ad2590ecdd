"""The desk's handbook (便民手册): contacts and the price list of paid services the clerk
reads out, and the estate's profile."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QMessageBox, QSplitter, QVBoxLayout, QWidget

from models import estate, handbook, money, users
from ui import i18n
from ui.form import FormDialog, fill_combo
from ui.kit import button, list_box, table_view
from ui.table_models import RowsModel


class ContactDialog(FormDialog):
    def __init__(self, user, contact=None, parent=None):
        super().__init__(self.tr("Contact"), parent)
        self.user, self.contact = user, contact
        self.category = self.form.add("category", self.tr("Kind"), fill_combo(
            QComboBox(), handbook.CATEGORIES, contact.category if contact else "other"))
        self.name = self.form.add("name", self.tr("Name"), QLineEdit(contact.name if contact else ""))
        self.person = self.form.add("person", self.tr("Responsible person"), QLineEdit(contact.person if contact else ""))
        self.phone = self.form.add("phone", self.tr("Phone"), QLineEdit(contact.phone if contact else ""))
        self.address = self.form.add("address", self.tr("Address"), QLineEdit(contact.address if contact else ""))
        self.note = self.form.add("note", self.tr("Note"), QLineEdit(contact.note if contact else ""))

    def save(self):
        return handbook.save_contact(self.user, self.contact.id if self.contact else None,
                                     category=self.category.currentData(), name=self.name.text(),
                                     person=self.person.text(), phone=self.phone.text(), address=self.address.text(),
                                     note=self.note.text())


class PriceDialog(FormDialog):
    def __init__(self, user, item=None, parent=None):
        super().__init__(self.tr("Paid service"), parent)
        self.user, self.item = user, item
        self.category = self.form.add("category", self.tr("Group"), QLineEdit(item.category if item else ""))
        self.name = self.form.add("name", self.tr("Service"), QLineEdit(item.name if item else ""))
        self.price = self.form.add("price", self.tr("Price (元)"), QLineEdit(
            money.fmt(item.price) if item and item.price is not None else ""))
        self.unit = self.form.add("unit", self.tr("Per"), QLineEdit(item.unit if item else ""))
        self.price_text = self.form.add("price_text", self.tr("Or how it is charged"),
                                        QLineEdit(item.price_text if item else ""))
        self.note = self.form.add("note", self.tr("Note"), QLineEdit(item.note if item else ""))

    def save(self):
        return handbook.save_price(self.user, self.item.id if self.item else None, name=self.name.text(),
                                   price=self.price.text(), unit=self.unit.text(), category=self.category.text(),
                                   price_text=self.price_text.text(), note=self.note.text())


class HandbookTab(QWidget):
    """应知: the contacts directory, searchable, and the paid-service price list; both print."""

    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        can_edit = users.has(user, "estate.edit")
        self.find = QLineEdit()
        self.find.setPlaceholderText(self.tr("Search: a name, a person, a phone or a kind (开锁, 自来水 …)"))
        self.find.textChanged.connect(lambda _t: self.load())
        self.contacts = RowsModel([
            (self.tr("Kind"), lambda c: i18n.office(handbook.CATEGORIES.get(c.category, c.category)), None),
            (self.tr("Name"), lambda c: c.name, None),
            (self.tr("Responsible person"), lambda c: c.person, None),
            (self.tr("Phone"), lambda c: c.phone, None),
            (self.tr("Address"), lambda c: c.address, None),
            (self.tr("Note"), lambda c: c.note, None),
        ], self)
        self.contacts_view = table_view(self.contacts)
        self.prices = RowsModel([
            (self.tr("Group"), lambda p: p.category, None),
            (self.tr("Service"), lambda p: p.name, None),
            (self.tr("Price"), lambda p: p.shown_price(), None),
            (self.tr("Note"), lambda p: p.note, None),
        ], self)
        self.prices_view = table_view(self.prices)
        edits = [button(self.tr("Add…"), self.add_contact), button(self.tr("Change…"), self.edit_contact),
                 button(self.tr("Add…"), self.add_price), button(self.tr("Change…"), self.edit_price)]
        for b in edits:
            if not can_edit:
                b.hide()
        left = list_box(self.tr("Contacts"), self.contacts_view,
                        edits[:2] + [button(self.tr("Print…"), self.print_contacts)], top=self.find)
        right = list_box(self.tr("Paid services (有偿服务价目表)"), self.prices_view,
                         edits[2:] + [button(self.tr("Print…"), self.print_prices)])
        self.profile = RowsModel([
            (self.tr("Item"), lambda line: i18n.office(line[0]), None),
            (self.tr("Detail"), lambda line: line[1], None),
        ], self)
        self.profile_view = table_view(self.profile)
        self.profile_view.horizontalHeader().hide()
        profile_box = list_box(self.tr("Estate profile (小区概况)"), self.profile_view,
                               [button(self.tr("Print…"), self.print_profile)],
                               summary=QLabel(self.tr("Kept in Settings")))
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(right)
        side.addWidget(profile_box)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(side)
        split.setSizes([700, 500])
        box = QVBoxLayout(self)
        box.addWidget(split)
        self.load()

    def load(self) -> None:
        text = self.find.text().strip()
        named = tuple(code for code, label in handbook.CATEGORIES.items() if text and text in i18n.office(label))
        self.contacts.set_rows(handbook.contacts(self.user, text, categories_named=named))
        self.prices.set_rows(handbook.price_list(self.user))
        self.profile.set_rows(estate.profile_lines())
        for view in (self.contacts_view, self.prices_view, self.profile_view):
            view.resizeColumnsToContents()

    def _chosen(self, view, model):
        index = view.currentIndex()
        row = model.row_object(index.row()) if index.isValid() else None
        if row is None:
            QMessageBox.information(self, self.tr("Handbook"), self.tr("Choose a line in the list first"))
        return row

    def add_contact(self) -> None:
        if ContactDialog(self.user, None, self).exec():
            self.load()

    def edit_contact(self) -> None:
        contact = self._chosen(self.contacts_view, self.contacts)
        if contact is not None and ContactDialog(self.user, contact, self).exec():
            self.load()

    def add_price(self) -> None:
        if PriceDialog(self.user, None, self).exec():
            self.load()

    def edit_price(self) -> None:
        item = self._chosen(self.prices_view, self.prices)
        if item is not None and PriceDialog(self.user, item, self).exec():
            self.load()

    def print_contacts(self):
        from ui.preview import preview_list

        dialog = preview_list(self, self.tr("Contacts directory"), self.contacts,
                              self.tr("%n contact(s)", "", self.contacts.rowCount()))
        dialog.exec()
        return dialog

    def print_prices(self):
        from ui.preview import preview_list

        prof = estate.profile()
        dialog = preview_list(self, self.tr("Paid services price list"), self.prices,
                              self.tr("Ask at the counter or call {phone}").format(phone=prof.office_phone)
                              if prof.office_phone else "")
        dialog.exec()
        return dialog

    def print_profile(self):
        from ui.preview import preview_list

        self.profile.set_rows(estate.profile_lines())
        dialog = preview_list(self, self.tr("Estate profile"), self.profile, estate.profile().name)
        dialog.exec()
        return dialog
