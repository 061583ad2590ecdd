"""Lent items (物品借用): the items the desk lends, who has them, their condition out and
back, signed on the pad, and the item slip."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QMessageBox, QSplitter, QVBoxLayout, QWidget

from models import clock, lending, search
from models.errors import QT_TRANSLATE_NOOP, ValidationError
from printing.papers import item_slip
from ui.form import FormDialog
from ui.kit import ContactFill, button, late_shade, list_box, preview_slip, table_view
from ui.table_models import RowsModel
class AddItemDialog(FormDialog):
    def __init__(self, user, parent=None):
        super().__init__(self.tr("Add an item to lend"), parent)
        self.user = user
        self.tag = self.form.add("tag", self.tr("Tag number"), QLineEdit())
        self.name = self.form.add("name", self.tr("Item"), QLineEdit())
        self.note = self.form.add("note", self.tr("Comes with"), QLineEdit())

    def save(self):
        return lending.add_item(self.user, tag=self.tag.text(), name=self.name.text(), note=self.note.text())


class LendItemDialog(FormDialog):
    """Lend an item: who takes it, its condition checked together, and their signature."""

    def __init__(self, user, item, parent=None):
        from ui.signature import SignatureBox

        super().__init__(self.tr("Lend {name} ({tag})").format(name=item.name, tag=item.tag), parent)
        self.user, self.item = user, item
        self.house = self.form.add("house", self.tr("House"), QLineEdit())
        self.house.setPlaceholderText("3-2-1201")
        self.borrower = self.form.add("borrower", self.tr("Borrower"), QLineEdit())
        self.phone = self.form.add("phone", self.tr("Phone"), QLineEdit())
        self.condition = self.form.add("condition_out", self.tr("Condition, checked together"),
                                       QLineEdit(self.tr("In good order") + (f"; {item.note}" if item.note else "")))
        self.signature = self.form.add("signature_out", self.tr("Signature"),
                                       SignatureBox(self.tr("The borrower signs here (or on the slip)")))
        self.contact = ContactFill(self.borrower, self.phone)
        self.house.editingFinished.connect(self.fill_borrower)
        self.buttons.button(self.buttons.StandardButton.Save).setText(self.tr("Lend and print the slip"))

    def fill_borrower(self) -> None:
        """The owner's name and phone, when the house is typed (the clerk may change them)."""
        house = search.the_house(self.user, self.house.text()) if self.house.text().strip() else None
        if house is not None:
            self.house.setText(house.label)
        self.contact.fill(house.id if house else None)

    def save(self):
        house = search.the_house(self.user, self.house.text()) if self.house.text().strip() else None
        if self.house.text().strip() and house is None:
            raise ValidationError({"house": (QT_TRANSLATE_NOOP("Office", "No house {text}"),
                                             {"text": self.house.text().strip()})})
        return lending.lend(self.user, self.item.id, borrower=self.borrower.text(), condition=self.condition.text(),
                            house_id=house.id if house else None, phone=self.phone.text(),
                            signature=self.signature.pad.png())


class ReturnItemDialog(FormDialog):
    def __init__(self, user, loan, parent=None):
        from ui.signature import SignatureBox

        super().__init__(self.tr("{name} ({tag}) back from {borrower}").format(
            name=loan.item.name, tag=loan.item.tag, borrower=loan.borrower), parent)
        self.user, self.loan = user, loan
        about = QLabel(self.tr("Lent {at} in this condition: {condition}").format(
            at=loan.lent_at.strftime("%Y-%m-%d %H:%M"), condition=loan.condition_out))
        about.setWordWrap(True)
        self.box.insertWidget(0, about)
        self.condition = self.form.add("condition_back", self.tr("Condition now, checked together"),
                                       QLineEdit(loan.condition_out))
        self.lost = self.form.add("lost", self.tr("Lost"), QCheckBox(self.tr("the item did not come back")))
        self.signature = self.form.add("signature_back", self.tr("Signature"),
                                       SignatureBox(self.tr("The borrower signs here")))

    def save(self):
        return lending.take_back(self.user, self.loan.id, condition=self.condition.text(),
                                 signature=self.signature.pad.png(), lost=self.lost.isChecked())


class ItemsTab(QWidget):
    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.out_ids: set[int] = set()
        self.items_model = RowsModel([
            (self.tr("Tag"), lambda i: i.tag, None),
            (self.tr("Item"), lambda i: i.name, None),
            (self.tr("Comes with"), lambda i: i.note, None),
            (self.tr("State"), lambda i: self.tr("Lent out") if i.id in self.out_ids else self.tr("Here"), None),
        ], self)
        self.items_view = table_view(self.items_model)
        self.items_view.activated.connect(lambda _ix: self.lend())
        left = list_box(self.tr("Items to lend"), self.items_view,
                        [button(self.tr("Add an item…"), self.add_item), button(self.tr("Lend…"), self.lend)])
        self.loans_model = RowsModel([
            (self.tr("Tag"), lambda l: l.item.tag, None),
            (self.tr("Item"), lambda l: l.item.name, None),
            (self.tr("Borrower"), lambda l: l.borrower, None),
            (self.tr("Lent"), lambda l: l.lent_at.strftime("%m-%d %H:%M"), None),
            (self.tr("Due"), lambda l: l.due_at.strftime("%m-%d %H:%M"), None),
            (self.tr("Condition"), lambda l: l.condition_out, None),
        ], self, shade=late_shade)
        self.loans_view = table_view(self.loans_model)
        self.loans_view.activated.connect(lambda _ix: self.take_back())
        self.summary = QLabel()
        right = list_box(self.tr("Items out"), self.loans_view, [button(self.tr("Back…"), self.take_back)],
                         self.summary)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([480, 720])
        box = QVBoxLayout(self)
        box.addWidget(split)
        self.load()

    def load(self) -> None:
        loans = lending.loans_out(self.user)
        self.out_ids = {loan.item_id for loan in loans}
        self.items_model.set_rows(lending.items(self.user))
        self.loans_model.set_rows(loans)
        self.items_view.resizeColumnsToContents()
        self.loans_view.resizeColumnsToContents()
        late = sum(1 for loan in loans if loan.due_at < clock.now())
        self.summary.setText(self.tr("{n} out, {late} overdue.").format(n=len(loans), late=late))

    def add_item(self) -> None:
        if AddItemDialog(self.user, self).exec():
            self.load()

    def lend(self):
        index = self.items_view.currentIndex()
        item = self.items_model.row_object(index.row()) if index.isValid() else None
        if item is None:
            QMessageBox.information(self, self.tr("Lent items"), self.tr("Choose an item first"))
            return None
        dialog = LendItemDialog(self.user, item, self)
        if dialog.exec():
            self.load()
            return self.print_slip(dialog.result_object)
        return None

    def take_back(self):
        index = self.loans_view.currentIndex()
        loan = self.loans_model.row_object(index.row()) if index.isValid() else None
        if loan is None:
            QMessageBox.information(self, self.tr("Lent items"), self.tr("Choose an item that is out first"))
            return None
        dialog = ReturnItemDialog(self.user, loan, self)
        if dialog.exec():
            self.load()
            return self.print_slip(dialog.result_object)
        return None

    def print_slip(self, loan):
        loan = lending.get_loan(self.user, loan.id)
        return preview_slip(self, item_slip(loan), self.tr("Item slip"), f"W{loan.id:06d}.pdf")
