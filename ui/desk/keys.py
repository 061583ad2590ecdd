"""The key cabinet (钥匙管理): the register, lending with the owner's consent and the
checks the office asks for, returns, the monthly count (盘点) and the loan slip."""
from __future__ import annotations

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateTimeEdit, QInputDialog, QLabel, QLineEdit, QMessageBox,
                               QPushButton, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from models import clock, keys, search, validation
from models.errors import OfficeError
from printing.papers import key_slip
from ui import i18n
from ui.form import Form, FormDialog, fill_combo
from ui.kit import refusal, act, ContactFill, button, late_shade, list_box, preview_slip, table_view
from ui.table_models import RIGHT, RowsModel
class KeyCheckDialog(FormDialog):
    """盘点: the clerk counts the cabinet against the register with the person responsible;
    each key's copies found, what should be there (copies less those out), the difference."""

    def __init__(self, user, parent=None):
        super().__init__(self.tr("Count the keys"), parent)
        self.user = user
        self.sheet = keys.count_sheet(user)
        last = keys.last_check()
        self.responsible = self.form.add("responsible", self.tr("Responsible person"),
                                         QLineEdit(last.responsible if last else ""))
        self.table = QTableWidget(len(self.sheet), 6)
        self.table.setHorizontalHeaderLabels([self.tr("Tag"), self.tr("Opens"), self.tr("Hook or cabinet"),
                                              self.tr("Should be here"), self.tr("Counted"), self.tr("Difference")])
        self.table.verticalHeader().hide()
        self.spins = []
        for row, line in enumerate(self.sheet):
            for col, text in enumerate((line.key.tag, line.key.name, line.key.position, str(line.expected))):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(row, col, item)
            spin = QSpinBox()
            spin.setRange(0, 99)
            spin.setValue(line.expected)  # change only what differs
            spin.valueChanged.connect(lambda _v, r=row: self.show_difference(r))
            self.table.setCellWidget(row, 4, spin)
            self.spins.append(spin)
            self.table.setItem(row, 5, QTableWidgetItem(""))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.box.insertWidget(1, self.table, 1)
        self.form.add("counted", self.tr("Count"), QLabel(self.tr("%n key(s) in the register", "", len(self.sheet))))
        self.note = self.form.add("note", self.tr("Note"), QLineEdit())
        self.setMinimumSize(640, 480)
        self.check = None

    def show_difference(self, row: int) -> None:
        diff = self.spins[row].value() - self.sheet[row].expected
        item = self.table.item(row, 5)
        item.setText(f"{diff:+d}" if diff else "")
        item.setForeground(QColor("#b71c1c") if diff else QColor("black"))

    def save(self):
        self.check = keys.record_check(self.user, self.responsible.text(),
                                       {line.key.id: spin.value() for line, spin in zip(self.sheet, self.spins)},
                                       self.note.text())
        return self.check

    def print_sheet(self):
        """The count as recorded, for the file, signed by the clerk and the responsible person."""
        from ui.preview import preview_list

        lines = list(self.check.lines.order_by(keys.KeyCheckLine.id))
        model = RowsModel([
            (self.tr("Tag"), lambda l: l.key.tag, None),
            (self.tr("Opens"), lambda l: l.key.name, None),
            (self.tr("Hook or cabinet"), lambda l: l.key.position, None),
            (self.tr("Should be here"), lambda l: l.expected, RIGHT),
            (self.tr("Counted"), lambda l: l.counted, RIGHT),
            (self.tr("Difference"), lambda l: f"{l.counted - l.expected:+d}" if l.counted != l.expected else "",
             RIGHT),
        ], self)
        model.set_rows(lines)
        subtitle = self.tr("{at}, counted by {clerk} with {responsible}: {short} short, {extra} extra").format(
            at=self.check.checked_at.strftime("%Y-%m-%d %H:%M"), clerk=self.user.full_name,
            responsible=self.check.responsible, short=self.check.short, extra=self.check.extra)
        dialog = preview_list(self, self.tr("Key count"), model, subtitle)
        dialog.exec()
        return dialog


class AddKeyDialog(FormDialog):
    def __init__(self, user, parent=None):
        super().__init__(self.tr("Add a key"), parent)
        self.user = user
        self.tag = self.form.add("tag", self.tr("Tag number"), QLineEdit())
        self.name = self.form.add("name", self.tr("What it opens"), QLineEdit())
        self.kind = self.form.add("kind", self.tr("Kind"), fill_combo(QComboBox(), keys.KINDS, "public"))
        self.house = self.form.add("house", self.tr("House (in custody)"), QLineEdit())
        self.house.setPlaceholderText("3-2-1201")
        self.position = self.form.add("position", self.tr("Hook or cabinet"), QLineEdit())
        self.copies = self.form.add("copies", self.tr("Copies"), QSpinBox())
        self.copies.setRange(1, 99)
        self.responsible = self.form.add("responsible", self.tr("Keeper (approves loans)"), QLineEdit())

    def save(self):
        house = search.the_house(self.user, self.house.text()) if self.house.text().strip() else None
        return keys.add_key(self.user, tag=self.tag.text(), name=self.name.text(), kind=self.kind.currentData(),
                            house_id=house.id if house else None, position=self.position.text(),
                            copies=self.copies.value(), responsible=self.responsible.text())


def confirmation_fields(form: Form, how_label: str, at_label: str) -> tuple[QComboBox, QDateTimeEdit]:
    """How and when the owner confirmed: the combo starts empty, the time at now."""
    how = form.add("confirmed_how", how_label, fill_combo(QComboBox(), {"": "", **keys.CONFIRMED_HOW}, ""))
    now = clock.now()
    at = form.add("confirmed_at", at_label, QDateTimeEdit(
        QDateTime.fromString(now.strftime("%Y-%m-%d %H:%M"), "yyyy-MM-dd HH:mm")))
    at.setDisplayFormat("yyyy-MM-dd HH:mm")
    return how, at


def confirmed_at(how: QComboBox, at: QDateTimeEdit):
    import datetime

    if not how.currentData():
        return None
    return datetime.datetime.strptime(at.dateTime().toString("yyyy-MM-dd HH:mm"), "%Y-%m-%d %H:%M")


class LendDialog(FormDialog):
    """Lend a key: who takes it. A house's key goes to its owner on file, showing the ID on file;
    anyone else shows an ID card, brings the owner's letter and the owner confirms, unless they
    are on the house's standing authorisation, when the ID is enough. A public part's key needs
    its keeper's approval. What is missing is said next to its field, and nothing is lent."""

    PAPERS = ("id_number", "letter_received", "standing", "confirmed_how", "confirmed_at")

    def __init__(self, user, key, parent=None):
        super().__init__(self.tr("Lend key {tag} — {name}").format(tag=key.tag, name=key.name), parent)
        self.user, self.key = user, key
        self.kind = self.form.add("kind", self.tr("Borrower is"), fill_combo(QComboBox(), keys.BORROWERS, "owner"))
        self.borrower = self.form.add("borrower", self.tr("Name"), QLineEdit())
        self.phone = self.form.add("phone", self.tr("Phone"), QLineEdit())
        self.contact = ContactFill(self.borrower, self.phone)  # the owner's, for an owner
        self.id_number = self.form.add("id_number", self.tr("ID number (checked on the card)"), QLineEdit())
        self.standing_note = QLabel()
        self.standing_note.setWordWrap(True)
        who = QPushButton(self.tr("Who is on it…"))
        who.setAutoDefault(False)
        who.clicked.connect(self.edit_standing)
        row = QWidget()
        rl = QVBoxLayout(row)  # the note wraps above its button: nothing is squeezed
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.standing_note)
        rl.addWidget(who, 0, Qt.AlignmentFlag.AlignLeft)
        self.form.add("standing_note", self.tr("Standing authorisation"), row)
        self.letter = self.form.add("letter_received", self.tr("Owner's letter"),
                                    QCheckBox(self.tr("key authorisation letter (钥匙委托书) received")))
        self.standing = self.form.add("standing", "", QCheckBox(self.tr("for good: next time the ID is enough")))
        self.setMinimumWidth(560)
        self.confirmed_how, self.confirmed_at = confirmation_fields(self.form, self.tr("Owner confirmed"),
                                                                    self.tr("Confirmed at"))
        self.approved_by = self.form.add("approved_by", self.tr("Approved by"), QLineEdit())
        self.approved_by.setPlaceholderText(key.responsible)
        self.purpose = self.form.add("purpose", self.tr("What for"), QLineEdit())
        self.kind.currentIndexChanged.connect(self.show_fields)
        self.id_number.editingFinished.connect(self.show_fields)
        self.show_fields()
        self.buttons.button(self.buttons.StandardButton.Save).setText(self.tr("Lend and print the slip"))

    def needs_papers(self) -> bool:
        """Anyone but the owner, for a house's key."""
        return self.key.kind == "house" and self.kind.currentData() != "owner"

    def show_fields(self) -> None:
        papers = self.needs_papers()
        if self.key.kind == "house":
            self.contact.fill(self.key.house_id if not papers else None)
        standing = keys.standing_for(self.key.house_id, self.id_number.text()) if papers else None
        for name in self.PAPERS:  # the owner shows an ID too, checked against the one on file
            self.form.show_row(name, (self.key.kind == "house" and name == "id_number")
                               or (papers and standing is None))
        self.form.show_row("standing_note", papers)
        self.form.show_row("approved_by", self.key.kind == "public")
        if standing is not None:
            self.standing_note.setText(self.tr("{name}, named by the owner on {day}: the ID is enough").format(
                name=standing.name, day=standing.added_at.strftime("%Y-%m-%d")))
        elif papers:
            names = "、".join(a.name for a in keys.authorisations(self.user, self.key.house_id))
            self.standing_note.setText(self.tr("Named: {names}").format(names=names) if names
                                       else self.tr("No one named yet"))

    def edit_standing(self) -> None:
        AuthorisationDialog(self.user, self.key.house, self).exec()
        self.show_fields()

    def save(self):
        papers = self.needs_papers()
        return keys.lend(self.user, self.key.id, keys.Borrower(
            self.kind.currentData(), self.borrower.text(), phone=self.phone.text(),
            id_number=self.id_number.text() if self.key.kind == "house" else "",
            letter_received=papers and self.letter.isChecked(),
            confirmed_how=self.confirmed_how.currentData() if papers else "",
            confirmed_at=confirmed_at(self.confirmed_how, self.confirmed_at) if papers else None,
            approved_by=self.approved_by.text(), purpose=self.purpose.text(),
            standing=papers and self.standing.isChecked()))


class AuthorisationDialog(FormDialog):
    """常年委托: who the owner named to take the house's key on their ID alone; someone is
    added with the owner's letter and confirmation, or withdrawn when the owner says so."""

    def __init__(self, user, house, parent=None):
        super().__init__(self.tr("Standing authorisation — {house}").format(house=house.label), parent)
        self.user, self.house = user, house
        self.model = RowsModel([
            (self.tr("Name"), lambda a: a.name, None),
            (self.tr("Relation"), lambda a: a.relation, None),
            (self.tr("ID number"), lambda a: validation.mask_id(a.id_number), None),
            (self.tr("Since"), lambda a: a.added_at.strftime("%Y-%m-%d"), None),
        ], self)
        self.view = table_view(self.model)
        withdraw = QPushButton(self.tr("Withdraw…"))
        withdraw.setAutoDefault(False)
        withdraw.clicked.connect(self.withdraw)
        self.box.insertWidget(0, list_box(self.tr("Named by the owner"), self.view, [withdraw]), 1)
        self.name = self.form.add("name", self.tr("Name"), QLineEdit())
        self.relation = self.form.add("relation", self.tr("Relation"), QLineEdit())
        self.relation.setPlaceholderText(self.tr("tenant, decorator, relative …"))
        self.id_number = self.form.add("id_number", self.tr("ID number (checked on the card)"), QLineEdit())
        self.letter = self.form.add("letter_received", self.tr("Owner's letter"),
                                    QCheckBox(self.tr("key authorisation letter (钥匙委托书) received")))
        self.confirmed_how, self.confirmed_at = confirmation_fields(self.form, self.tr("Owner confirmed"),
                                                                    self.tr("Confirmed at"))
        self.buttons.button(self.buttons.StandardButton.Save).setText(self.tr("Add to the authorisation"))
        self.load()

    def load(self) -> None:
        self.model.set_rows(keys.authorisations(self.user, self.house.id))
        self.view.resizeColumnsToContents()

    def withdraw(self) -> None:
        index = self.view.currentIndex()
        auth = self.model.row_object(index.row()) if index.isValid() else None
        if auth is None:
            QMessageBox.information(self, self.windowTitle(), self.tr("Choose a person in the list first"))
            return
        note, ok = QInputDialog.getText(self, self.windowTitle(), self.tr(
            "Take {name} off the standing authorisation; why (the owner said so …):").format(name=auth.name))
        if not ok:
            return
        act(self, self.windowTitle(), keys.withdraw, self.user, auth.id, note)
        self.load()

    def save(self):
        return keys.authorise(self.user, self.house.id, name=self.name.text(), id_number=self.id_number.text(),
                              relation=self.relation.text(), letter_received=self.letter.isChecked(),
                              confirmed_how=self.confirmed_how.currentData(),
                              confirmed_at=confirmed_at(self.confirmed_how, self.confirmed_at))


class KeysTab(QWidget):
    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.register_model = RowsModel([
            (self.tr("Tag"), lambda k: k.tag, None),
            (self.tr("Opens"), lambda k: k.name, None),
            (self.tr("Kind"), lambda k: i18n.office(keys.KINDS.get(k.kind, k.kind)), None),
            (self.tr("Hook or cabinet"), lambda k: k.position, None),
            (self.tr("Copies"), lambda k: k.copies, RIGHT),
            (self.tr("Out"), lambda k: self.out.get(k.id, 0), RIGHT),
            (self.tr("Keeper"), lambda k: k.responsible, None),
        ], self)
        self.out: dict[int, int] = {}
        self.register_view = table_view(self.register_model)
        self.register_view.activated.connect(lambda _ix: self.lend())
        self.check_note = QLabel()
        left = list_box(self.tr("Key register"), self.register_view,
                        [button(self.tr("Count the keys…"), self.count_keys), button(self.tr("Add a key…"), self.add_key),
                         button(self.tr("Lend…"), self.lend)], self.check_note)
        self.loans_model = RowsModel([
            (self.tr("Tag"), lambda l: l.key.tag, None),
            (self.tr("Opens"), lambda l: l.key.name, None),
            (self.tr("Borrower"), lambda l: self.tr("{name} ({kind})").format(
                name=l.borrower, kind=i18n.office(keys.BORROWERS.get(l.borrower_kind, ""))), None),
            (self.tr("Lent"), lambda l: l.lent_at.strftime("%m-%d %H:%M"), None),
            (self.tr("Due"), lambda l: l.due_at.strftime("%m-%d %H:%M"), None),
            (self.tr("Overdue"), self.overdue_text, None),
        ], self, shade=late_shade)
        self.loans_view = table_view(self.loans_model)
        self.summary = QLabel()
        right = list_box(self.tr("Keys out"), self.loans_view, [
            button(self.tr("Slip again"), self.slip_again),
            button(self.tr("Handed back for good…"), lambda: self.close_loan("handed_back")),
            button(self.tr("Lost…"), lambda: self.close_loan("lost")),
            button(self.tr("Returned"), self.give_back)], self.summary)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        # shared in this proportion on any screen (a stretch on one side alone left the keys out
        # a sliver at 1024 wide): the register's columns to the copies, the borrower's on the right
        split.setSizes([520, 380])
        box = QVBoxLayout(self)
        box.addWidget(split)
        self.load()

    def overdue_text(self, loan) -> str:
        now = clock.now()
        if loan.due_at >= now:
            return ""
        days, hours = keys.late_text(now - loan.due_at)
        return self.tr("{d} d {h} h").format(d=days, h=hours)

    def load(self) -> None:
        register = keys.register(self.user)
        loans = keys.loans_out(self.user)
        self.out = {}
        for loan in loans:
            self.out[loan.key_id] = self.out.get(loan.key_id, 0) + 1
        self.register_model.set_rows(register)
        self.loans_model.set_rows(loans)
        self.register_view.resizeColumnsToContents()
        self.loans_view.resizeColumnsToContents()
        late = sum(1 for loan in loans if loan.due_at < clock.now())
        self.summary.setText(self.tr("{n} out, {late} overdue.").format(n=len(loans), late=late))
        last = keys.last_check()
        self.check_note.setText(self.tr("Last counted {day} ({who})").format(
            day=last.checked_at.strftime("%Y-%m-%d"), who=last.responsible) if last else self.tr("Never counted"))
        self.check_note.setStyleSheet("color: #b71c1c;" if keys.check_due() else "")

    def count_keys(self):
        dialog = KeyCheckDialog(self.user, self)
        if dialog.exec():
            self.load()
            return dialog.print_sheet()
        return None

    def add_key(self) -> None:
        if AddKeyDialog(self.user, self).exec():
            self.load()

    def chosen_key(self):
        index = self.register_view.currentIndex()
        key = self.register_model.row_object(index.row()) if index.isValid() else None
        if key is None:
            QMessageBox.information(self, self.tr("Keys"), self.tr("Choose a key in the register first"))
        return key

    def chosen_loan(self):
        index = self.loans_view.currentIndex()
        loan = self.loans_model.row_object(index.row()) if index.isValid() else None
        if loan is None:
            QMessageBox.information(self, self.tr("Keys"), self.tr("Choose a key in the list of keys out first"))
        return loan

    def lend(self):
        key = self.chosen_key()
        if key is None:
            return None
        dialog = LendDialog(self.user, key, self)
        if dialog.exec():
            self.load()
            return self.print_slip(dialog.result_object)
        return None

    def print_slip(self, loan):
        loan = keys.get_loan(self.user, loan.id)
        return preview_slip(self, key_slip(loan), self.tr("Key slip"), f"K{loan.id:06d}.pdf")

    def slip_again(self) -> None:
        loan = self.chosen_loan()
        if loan is not None:
            self.print_slip(loan)

    def give_back(self) -> None:
        loan = self.chosen_loan()
        if loan is None:
            return
        who, ok = QInputDialog.getText(self, self.tr("Key returned"), self.tr(
            "Key {tag} returned by (empty: {name}):").format(tag=loan.key.tag, name=loan.borrower))
        if not ok:
            return
        act(self, self.tr("Keys"), keys.give_back, self.user, loan.id, returned_by=who)
        self.load()

    def close_loan(self, how: str) -> None:
        loan = self.chosen_loan()
        if loan is None:
            return
        title = self.tr("Key lost") if how == "lost" else self.tr("Key handed back for good")
        note, ok = QInputDialog.getText(self, title, self.tr("What happened (the register keeps one copy fewer):"))
        if not ok:
            return
        try:
            (keys.lost if how == "lost" else keys.hand_back_for_good)(self.user, loan.id, note)
        except OfficeError as e:
            refusal(self, self.tr("Keys"), e)
        self.load()
