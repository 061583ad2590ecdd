"""The front desk (前台): parcels taken in and handed over. Intake is keyboard first: the
house, the scanned tracking number (a scanner types it and presses Enter), the shelf, the
check that it is neither fragile nor valuable, Enter: the parcel is in and its label
prints. The waiting list shows each parcel's age and fee now (over 24 h yellow, over 5
days red); the pickup box takes a code (typed or scanned from the label), a tracking
number, a house or a name; the pickup dialog takes the fee with a receipt, or a
supervisor waives it."""
from __future__ import annotations

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateTimeEdit, QGroupBox, QHBoxLayout, QInputDialog, QLabel,
                               QLineEdit, QMessageBox, QPushButton, QSizePolicy, QSpinBox, QSplitter, QTableWidget,
                               QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from models import (cashier, clock, estate, handbook, house_phone, keys, lending, money, parcels, search, users,
                    validation)
from models.errors import OfficeError, QT_TRANSLATE_NOOP, ValidationError
from ui import i18n, prefs
from ui.archive_page import table_view
from ui.form import Form, FormDialog, fill_combo
from ui.receipts import form_stock
from ui.reflow import ElidedButton, FlowLayout
from ui.table_models import RIGHT, RowsModel

LONG = QColor("#f4a9a0")  # over 5 days
OVER = QColor("#fff3c4")  # past the free day


def find_house(user, text: str):
    """The one house `text` names (3-2-1201, 3栋2单元1201, a name …), or None."""
    label = search.label_of(text)
    if label:
        house = estate.House.get_or_none(estate.House.label == label)
        if house is not None:
            return house
    houses = {h.house_id for h in search.search(user, text) if h.house_id is not None}
    return estate.get_house(houses.pop()) if len(houses) == 1 else None


class EnterCheckBox(QCheckBox):
    """A check box that answers Enter (a plain one ignores it), so a form can go on from it."""

    entered = Signal()

    def keyPressEvent(self, event):  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self.entered.emit()
            return
        super().keyPressEvent(event)


class ContactFill:
    """Fills a name and a phone field from a house's owner (the phone masked, as a clerk sees
    it; the core keeps the owner's full number), as a clerk would type them: what the clerk
    typed stays; what was filled for another house is replaced."""

    def __init__(self, name_edit: QLineEdit, phone_edit: QLineEdit):
        self.edits = (name_edit, phone_edit)
        self.filled = ["", ""]
        self.house_id = None

    def fill(self, house_id) -> None:
        if house_id == self.house_id:
            return  # the same house again: what the clerk changed since stays
        self.house_id = house_id
        contact = house_phone.of_house(house_id)
        values = (contact.name, contact.phone_shown) if contact else ("", "")
        for i, (edit, value) in enumerate(zip(self.edits, values)):
            if not edit.text().strip() or edit.text() == self.filled[i]:
                edit.setText(value)
                self.filled[i] = value

    def forget(self) -> None:
        self.filled, self.house_id = ["", ""], None


class RefuseDialog(FormDialog):
    def __init__(self, user, tracking: str, courier: str, house_id, parent=None):
        super().__init__(self.tr("Refuse a parcel"), parent)
        self.user, self.house_id = user, house_id
        self.tracking = self.form.add("tracking", self.tr("Tracking number"), QLineEdit(tracking))
        self.courier = self.form.add("courier", self.tr("Courier"), QLineEdit(courier))
        self.reason = self.form.add("refusal", self.tr("Why it is refused"), QLineEdit())
        self.reason.setPlaceholderText(self.tr("fragile, valuable, too large …"))
        self.reason.setFocus()

    def save(self):
        return parcels.refuse(self.user, tracking=self.tracking.text(), reason=self.reason.text(),
                              courier=self.courier.text(), house_id=self.house_id)


class PickupDialog(FormDialog):
    """Hand a parcel over: who takes it, and its storage fee paid or waived."""

    def __init__(self, user, parcel, parent=None):
        super().__init__(self.tr("Pick up {code}").format(code=parcel.code), parent)
        self.user, self.parcel = user, parcel
        self.fee = parcels.fee_now(parcel)
        hours = int((clock.now() - parcel.received_at).total_seconds() // 3600)
        about = QLabel(self.tr("{house} {recipient}, shelf {shelf}, {courier} {tracking}; here {hours} h.").format(
            house=parcel.house.label if parcel.house_id else "", recipient=parcel.recipient, shelf=parcel.shelf,
            courier=parcel.courier, tracking=parcel.tracking, hours=hours))
        about.setWordWrap(True)
        self.box.insertWidget(0, about)
        fee = QLabel(self.tr("Storage fee: ¥{fee}").format(fee=money.fmt(self.fee)) if self.fee
                     else self.tr("No storage fee: within the free time."))
        fee.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.box.insertWidget(1, fee)
        self.proxy_name = self.form.add("proxy_name", self.tr("Picked up by (if not the recipient)"), QLineEdit())
        self.proxy_id = self.form.add("proxy_id_number", self.tr("Their ID number"), QLineEdit())
        can_take = users.has(user, "cash.desk")  # the desk clerk takes the fee herself
        self.method = self.form.add("method", self.tr("Paid by"), fill_combo(QComboBox(), cashier.METHODS, "cash"))
        self.tendered = self.form.add("tendered", self.tr("Cash handed over"), QLineEdit())
        self.waive = self.form.add("waive", self.tr("Waive the fee"), QCheckBox(self.tr("a supervisor approves")))
        self.waive_reason = self.form.add("waive_reason", self.tr("Why it is waived"), QLineEdit())
        self.username = self.form.add("username", self.tr("Supervisor"), QLineEdit())
        self.password = self.form.add("password", self.tr("Supervisor's password"), QLineEdit())
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        for name in ("method", "tendered", "waive", "waive_reason", "username", "password"):
            self.form.show_row(name, bool(self.fee))
        if self.fee and not can_take:
            self.waive.setChecked(True)
            self.waive.setEnabled(False)
        self.waive.toggled.connect(self.show_waiver)
        self.buttons.button(self.buttons.StandardButton.Save).setText(self.tr("Hand over"))
        self.show_waiver(self.waive.isChecked())
        self.receipt = None

    def show_waiver(self, on: bool) -> None:
        """The fee's fields, or the waiver's; the button says which will happen."""
        if not self.fee:
            return
        for name in ("waive_reason", "username", "password"):
            self.form.show_row(name, on)
        for name in ("method", "tendered"):
            self.form.show_row(name, not on)
        self.buttons.button(self.buttons.StandardButton.Save).setText(
            self.tr("Waive the fee and hand over") if on else self.tr("Take the fee and hand over"))

    def save(self):
        approver = None
        if self.fee and self.waive.isChecked():
            approver = users.approve(self.username.text(), self.password.text(), "cash.approve")
        tendered = 0
        if self.fee and not self.waive.isChecked() and self.method.currentData() == "cash":
            try:
                tendered = money.parse(self.tendered.text() or money.fmt(self.fee))
            except money.BadAmount as e:
                raise ValidationError({"tendered": (e.template, e.params)}) from None
        parcel, self.receipt = parcels.pick_up(
            self.user, self.parcel.id, proxy_name=self.proxy_name.text(), proxy_id_number=self.proxy_id.text(),
            method=self.method.currentData(), tendered=tendered, waive_by=approver,
            waive_reason=self.waive_reason.text(), stock=form_stock())
        return parcel


class ParcelsTab(QWidget):
    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        # intake
        intake = QGroupBox(self.tr("Take in a parcel"))
        self.form = Form()
        # each label above its field: the box stays narrow (1024 wide, in English too) and the
        # waiting list keeps the room to show the courier and tracking number
        self.form.layout_.setRowWrapPolicy(self.form.layout_.RowWrapPolicy.WrapAllRows)
        # in the order the clerk works: scan, the courier guessed from the number, the house …
        self.tracking = self.form.add("tracking", self.tr("Tracking number"), QLineEdit())
        self.tracking.setPlaceholderText(self.tr("scan it"))
        self.courier = self.form.add("courier", self.tr("Courier"), QComboBox())
        self.courier.setEditable(True)
        self.courier.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)  # Enter picks, it adds no courier
        self.courier.addItems(parcels.COURIERS)
        self.courier.setCurrentIndex(-1)
        self.courier.lineEdit().setPlaceholderText(self.tr("choose it"))
        self.guessed_for = ""  # the tracking number the courier was last read from
        self.house_edit = self.form.add("house", self.tr("House"), QLineEdit())
        self.house_edit.setPlaceholderText(self.tr("3-2-1201, then Enter"))
        self.house_label = QLabel()
        # the house found, under what was typed, or the parcel just taken in: a long message
        # wraps inside the box rather than widening it and squeezing the waiting list
        self.house_label.setWordWrap(True)
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.house_label.setSizePolicy(policy)
        self.form.layout_.addRow("", self.house_label)
        self.recipient = self.form.add("recipient", self.tr("Recipient"), QLineEdit())
        self.phone = self.form.add("phone", self.tr("Phone"), QLineEdit())
        self.contact = ContactFill(self.recipient, self.phone)  # the owner's, when the house is typed
        self.shelf = self.form.add("shelf", self.tr("Shelf"), QLineEdit())
        self.safe = self.form.add("safe", self.tr("Checked"), EnterCheckBox(self.tr("neither fragile nor valuable")))
        self.house_edit.editingFinished.connect(self.resolve_house)
        self.tracking.editingFinished.connect(self.guess_courier)
        # Enter moves on (a scanner ends with Enter): past the courier when the number names it,
        # else to the courier, for the clerk to choose
        self.tracking.returnPressed.connect(self.tracking_entered)
        for edit, after in ((self.courier.lineEdit(), self.house_edit), (self.house_edit, self.recipient),
                            (self.recipient, self.phone), (self.phone, self.shelf), (self.shelf, self.safe)):
            edit.returnPressed.connect(after.setFocus)
        take = QPushButton(self.tr("Take in and print the label"))
        take.setAutoDefault(True)  # Enter on it takes the parcel in, as Space does
        take.clicked.connect(self.take_in)
        def checked(on: bool) -> None:
            if on:
                take.setFocus()  # Space ticks the check, Enter takes it in

        self.safe.toggled.connect(checked)
        self.safe.entered.connect(self.take_in)  # Enter unticked: says what is missing
        shortcut = QKeySequence("Ctrl+R")
        key = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
        refuse = QPushButton(self.tr("Refuse…"))  # the key in its tooltip: the row stays narrow
        refuse.setShortcut(shortcut)
        refuse.setToolTip(self.tr("Refuse the parcel and record why ({key})").format(key=key))
        refuse.clicked.connect(self.refuse)
        self.refuse_button = refuse
        self.label_layout = fill_combo(QComboBox(), {"roll": parcels_label_layouts()["roll"],
                                                     "sheet": parcels_label_layouts()["sheet"]},
                                       prefs.get("label/layout"))
        self.label_layout.currentIndexChanged.connect(lambda _i: prefs.set("label/layout",
                                                                           self.label_layout.currentData()))
        iv = QVBoxLayout(intake)
        iv.addWidget(self.form)
        iv.addStretch(1)
        row = FlowLayout()
        row.addWidget(QLabel(self.tr("Labels on")))
        row.addWidget(self.label_layout)
        row.addStretch(1)
        row.addWidget(refuse)
        row.addWidget(take)
        iv.addLayout(row)
        # waiting
        waiting = QGroupBox(self.tr("Waiting"))
        self.find = QLineEdit()
        self.find.setPlaceholderText(self.tr("Pickup code, tracking number, house or name — Enter"))
        self.find.returnPressed.connect(self.run_find)
        self.model = RowsModel([
            (self.tr("Code"), lambda a: a.parcel.code, None),
            (self.tr("House"), lambda a: a.parcel.house.label if a.parcel.house_id else "", None),
            (self.tr("Recipient"), lambda a: a.parcel.recipient, None),
            (self.tr("Shelf"), lambda a: a.parcel.shelf, None),
            (self.tr("In"), lambda a: a.parcel.received_at.strftime("%m-%d %H:%M"), None),
            (self.tr("Hours"), lambda a: a.hours, RIGHT),
            (self.tr("Fee"), lambda a: money.fmt(a.fee), RIGHT),
            # fitted to its text, before the column that takes the rest: never cut to "京东 …"
            (self.tr("Courier, tracking no."), lambda a: f"{a.parcel.courier} {a.parcel.tracking}", None),
            (self.tr("Called"), lambda a: a.parcel.called_at.strftime("%m-%d %H:%M") if a.parcel.called_at
             else "", None),  # stretched
        ], self, shade=lambda a: LONG if a.long else OVER if a.overdue else None)
        self.view = table_view(self.model)
        self.view.activated.connect(lambda _ix: self.pick_up())
        pick = QPushButton(self.tr("Pick up…"))
        pick.clicked.connect(self.pick_up)
        label_again = QPushButton(self.tr("Label again"))
        label_again.clicked.connect(self.label_again)
        call_list = QPushButton(self.tr("Call list…"))
        call_list.setToolTip(self.tr("The parcels waiting past the free time, to remind their owners"))
        call_list.clicked.connect(self.call_list)
        day = QPushButton(self.tr("Today's parcels…"))
        day.clicked.connect(self.day_list)
        history = QPushButton(self.tr("House's parcels…"))
        history.setToolTip(self.tr("Every parcel of the house in the search box or of the chosen parcel"))
        history.clicked.connect(self.house_history)
        self.count = QLabel()
        wv = QVBoxLayout(waiting)
        wv.addWidget(self.find)
        wv.addWidget(self.view, 1)
        buttons = FlowLayout()
        buttons.addWidget(self.count, 1)
        for b in (history, day, call_list, label_again, pick):
            buttons.addWidget(b)
        wv.addLayout(buttons)
        box = QHBoxLayout(self)
        box.addWidget(intake, 1)
        box.addWidget(waiting, 3)
        self.house = None
        self.sized = False
        self.load()

    def focus_first(self) -> None:
        self.tracking.setFocus()
        self.tracking.selectAll()

    def guess_courier(self) -> None:
        """The courier the tracking number's letters name; when they name none, none, for the
        clerk to choose (never the last parcel's). Read once per number: a courier chosen
        since stays."""
        tracking = self.tracking.text().strip()
        if tracking == self.guessed_for:
            return
        self.guessed_for = tracking
        courier = parcels.courier_of(tracking)
        self.courier.setCurrentIndex(self.courier.findText(courier) if courier else -1)
        if not courier:
            self.courier.setEditText("")

    def tracking_entered(self) -> None:
        self.guess_courier()
        (self.house_edit if self.courier.currentText().strip() else self.courier).setFocus()

    def resolve_house(self) -> None:
        text = self.house_edit.text().strip()
        self.house = find_house(self.user, text) if text else None
        self.contact.fill(self.house.id if self.house else None)  # the owner's name and phone
        if self.house is None:
            self.house_label.setText(self.tr("No such house") if text else "")
            return
        self.house_label.setText(f"{self.house.label}  {self.house.owner_names}")
        self.house_edit.setText(self.house.label)

    def load(self) -> None:
        rows = parcels.waiting_by_age(self.user)
        self.model.set_rows(rows)
        if rows and not self.sized:  # fitted once: the columns do not jump after every parcel
            self.view.resizeColumnsToContents()
            # the last column takes the room left but, stretched, never shrinks below the width it
            # had (a default 100): it is given its text's, for the courier column to grow into
            header, last = self.view.horizontalHeader(), self.model.columnCount() - 1
            header.setStretchLastSection(False)
            header.resizeSection(last, max(header.sectionSizeHint(last), self.view.sizeHintForColumn(last)))
            header.setStretchLastSection(True)
            self.sized = True
        elif rows:  # but a longer tracking number than any so far widens its column: never "京东 …"
            tracking = self.model.columnCount() - 2
            self.view.setColumnWidth(tracking, max(self.view.columnWidth(tracking),
                                                   self.view.sizeHintForColumn(tracking)))
        over = sum(1 for a in rows if a.overdue)
        self.count.setText(self.tr("{n} waiting, {over} past the free time.").format(n=len(rows), over=over))

    def take_in(self) -> None:
        self.form.clear_errors()
        self.resolve_house()
        try:
            parcel = parcels.receive(
                self.user, house_id=self.house.id if self.house else None, tracking=self.tracking.text(),
                courier=self.courier.currentText(), recipient=self.recipient.text(), phone=self.phone.text(),
                shelf=self.shelf.text(), safe=self.safe.isChecked())
        except ValidationError as e:
            rest = self.form.show_errors(e)
            if rest:
                QMessageBox.warning(self, self.tr("Parcels"), rest)
            return
        except OfficeError as e:
            QMessageBox.warning(self, self.tr("Parcels"), i18n.error_text(e))
            return
        self.print_labels([parcel])
        self.clear_intake()
        self.shelf.setText(parcel.shelf)  # as stored: B-3
        self.house_label.setText(self.tr("Taken in: code {code}, shelf {shelf}.").format(code=parcel.code,
                                                                                        shelf=parcel.shelf))
        self.load()
        self.focus_first()

    def clear_intake(self) -> None:
        """Ready for the next parcel: usually the same courier, on the same shelf."""
        for edit in (self.house_edit, self.tracking, self.recipient, self.phone):
            edit.clear()
        self.house = None
        self.contact.forget()
        self.safe.setChecked(False)

    def refuse(self) -> None:
        self.guess_courier()  # a number typed without Enter: never the last parcel's courier
        self.resolve_house()
        if RefuseDialog(self.user, self.tracking.text(), self.courier.currentText(),
                        self.house.id if self.house else None, self).exec():
            self.clear_intake()
            self.house_label.setText(self.tr("The refusal is recorded."))
            self.focus_first()

    def labels_pdf(self, items: list) -> bytes:
        from printing import parcel_label

        data = [parcel_label.LabelData(p.code, p.house.label if p.house_id else "", p.shelf, p.recipient, p.courier,
                                       p.tracking, p.received_at.strftime("%m-%d %H:%M")) for p in items]
        return parcel_label.render_many(data, layout=self.label_layout.currentData())

    def print_labels(self, items: list):
        from ui.preview import PreviewDialog

        dialog = PreviewDialog(self.labels_pdf(items), self.tr("Parcel label"), self, file_name="label.pdf")
        dialog.exec()
        return dialog

    def selected(self):
        index = self.view.currentIndex()
        a = self.model.row_object(index.row()) if index.isValid() else None
        if a is None:
            QMessageBox.information(self, self.tr("Parcels"), self.tr("Choose a parcel in the list first"))
        return a.parcel if a else None

    def run_find(self) -> None:
        text = self.find.text()
        found = parcels.waiting(self.user, text=text) if text.strip() else []
        if not found:
            QMessageBox.information(self, self.tr("Parcels"), self.tr("No parcel waiting for “{text}”").format(
                text=text.strip()))
            return
        ids = {p.id for p in found}
        first = next(r for r, a in enumerate(self.model.rows) if a.parcel.id in ids) if any(
            a.parcel.id in ids for a in self.model.rows) else None
        if first is None:
            self.load()
            first = next((r for r, a in enumerate(self.model.rows) if a.parcel.id in ids), 0)
        self.view.selectRow(first)
        self.view.setFocus()
        if len(found) == 1 and found[0].code == text.strip():
            self.pick_up()  # a code typed or scanned: straight to the pickup

    def pick_up(self):
        parcel = self.selected()
        if parcel is None:
            return None
        dialog = PickupDialog(self.user, parcels.Parcel.get_by_id(parcel.id), self)
        if dialog.exec():
            self.find.clear()
            self.load()
            if dialog.receipt is not None:
                from ui.preview import PreviewDialog
                from ui.receipts import receipt_pdf

                PreviewDialog(receipt_pdf(dialog.receipt), self.tr("Receipt {number}").format(
                    number=dialog.receipt.number_text), self, file_name=f"{dialog.receipt.number_text}.pdf",
                    numbered_forms=form_stock() is not None).exec()
        return dialog

    def label_again(self) -> None:
        parcel = self.selected()
        if parcel is not None:
            self.print_labels([parcel])

    def call_list(self):
        from ui.preview import preview_list

        over = [a for a in self.model.rows if a.overdue]
        if not over:
            QMessageBox.information(self, self.tr("Parcels"), self.tr("No parcel is waiting past the free time."))
            return None
        model = RowsModel([
            (self.tr("House"), lambda a: a.parcel.house.label if a.parcel.house_id else "", None),
            (self.tr("Recipient"), lambda a: a.parcel.recipient, None),
            (self.tr("Phone"), lambda a: a.parcel.phone, None),
            (self.tr("Code"), lambda a: a.parcel.code, None),
            (self.tr("Shelf"), lambda a: a.parcel.shelf, None),
            (self.tr("Hours"), lambda a: a.hours, RIGHT),
            (self.tr("Fee now"), lambda a: money.fmt(a.fee), RIGHT),
        ], self)
        model.set_rows(over)

        def handed_out(_how: str) -> None:
            parcels.mark_called(self.user, [a.parcel.id for a in over])

        dialog = preview_list(self, self.tr("Parcels to remind"), model, self.tr("%n parcel(s)", "", len(over)))
        dialog.handed_out = handed_out
        dialog.exec()
        self.load()
        return dialog

    def house_history(self):
        from ui.preview import preview_list

        text = self.find.text().strip()
        house = find_house(self.user, text) if text else None
        if house is None and not text:
            index = self.view.currentIndex()
            aged = self.model.row_object(index.row()) if index.isValid() else None
            house = aged.parcel.house if aged is not None and aged.parcel.house_id else None
        if house is None:
            QMessageBox.information(self, self.tr("Parcels"), self.tr(
                "Type the house in the search box (3-2-1201) or choose one of its parcels first")
                if not text else self.tr("No such house: {text}").format(text=text))
            return None
        rows = parcels.of_house(self.user, house.id)
        model = RowsModel([
            (self.tr("In"), lambda p: p.received_at.strftime("%Y-%m-%d %H:%M"), None),
            (self.tr("Courier"), lambda p: f"{p.courier} {p.tracking}", None),
            (self.tr("Recipient"), lambda p: p.recipient, None),
            (self.tr("State"), lambda p: i18n.office(parcels.STATES[p.state]), None),
            (self.tr("Out"), lambda p: p.picked_up_at.strftime("%Y-%m-%d %H:%M") if p.picked_up_at else
             (self.tr("code {code}, shelf {shelf}").format(code=p.code, shelf=p.shelf) if p.state == "waiting"
              else ""), None),
            (self.tr("Note"), lambda p: p.refusal or (p.proxy_name and self.tr("by {name}").format(
                name=p.proxy_name)) or (p.waive_reason and self.tr("fee waived: {why}").format(
                    why=p.waive_reason)) or "", None),
            (self.tr("Fee"), lambda p: money.fmt(p.fee) if p.fee else "", RIGHT),
        ], self)
        model.set_rows(rows)
        dialog = preview_list(self, self.tr("Parcels of {house}").format(house=house.label), model,
                              self.tr("%n parcel(s)", "", len(rows)))
        dialog.exec()
        return dialog

    def day_list(self):
        from ui.preview import preview_list

        taken, picked = parcels.day_list(self.user, clock.today())
        rows = [(self.tr("In"), p) for p in taken] + [(self.tr("Out"), p) for p in picked]
        model = RowsModel([
            (self.tr("What"), lambda r: r[0] if r[1].state != "refused" else self.tr("Refused"), None),
            (self.tr("Time"), lambda r: (r[1].picked_up_at if r[0] == self.tr("Out") else r[1].received_at)
             .strftime("%H:%M"), None),
            (self.tr("House"), lambda r: r[1].house.label if r[1].house_id else "", None),
            (self.tr("Recipient"), lambda r: r[1].recipient, None),
            (self.tr("Courier"), lambda r: f"{r[1].courier} {r[1].tracking}", None),
            (self.tr("Note"), lambda r: r[1].refusal or (r[1].proxy_name and self.tr("by {name}").format(
                name=r[1].proxy_name)) or "", None),
            (self.tr("Fee"), lambda r: money.fmt(r[1].fee) if r[1].fee else "", RIGHT),
        ], self)
        model.set_rows(rows)
        dialog = preview_list(self, self.tr("Parcels on {day}").format(day=clock.today().isoformat()), model,
                              self.tr("{a} in, {b} out").format(a=len(taken), b=len(picked)))
        dialog.exec()
        return dialog


def list_box(title: str, view, buttons: list, summary=None, top=None) -> QGroupBox:
    """A titled list with its buttons at the bottom right (a summary line on their left)."""
    group = QGroupBox(title)
    v = QVBoxLayout(group)
    if top is not None:
        v.addWidget(top)
    v.addWidget(view, 1)
    row = FlowLayout()
    if summary is not None:
        row.addWidget(summary, 1)
    else:
        row.addStretch(1)
    for b in buttons:
        row.addWidget(b)
    v.addLayout(row)
    return group


def preview_slip(parent, data, title: str, file_name: str):
    """A slip (key or item loan, work order) under the office's letterhead, in the preview, on
    the paper this PC prints slips on (本机设置: A5 by default, or the continuous forms)."""
    from printing import slip
    from printing.furniture import Letterhead
    from ui.preview import PreviewDialog

    pdf = slip.render(data, Letterhead.from_profile(estate.profile()), paper=prefs.get("slip/paper"))
    dialog = PreviewDialog(pdf, title, parent, file_name=file_name)
    dialog.exec()
    return dialog


def intake_box(title: str, form, button_: QPushButton, below=None) -> QGroupBox:
    """An intake form with its button at the bottom right (and a note under the form)."""
    group = QGroupBox(title)
    v = QVBoxLayout(group)
    v.addWidget(form)
    if below is not None:
        v.addWidget(below)
    v.addStretch(1)
    row = FlowLayout()
    row.addStretch(1)
    row.addWidget(button_)
    v.addLayout(row)
    return group


def button(text: str, slot) -> QPushButton:
    b = QPushButton(text)
    b.clicked.connect(slot)
    return b


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
        house = find_house(self.user, self.house.text()) if self.house.text().strip() else None
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
        try:
            keys.withdraw(self.user, auth.id, note)
        except OfficeError as e:
            QMessageBox.warning(self, self.windowTitle(), i18n.error_text(e))
        self.load()

    def save(self):
        return keys.authorise(self.user, self.house.id, name=self.name.text(), id_number=self.id_number.text(),
                              relation=self.relation.text(), letter_received=self.letter.isChecked(),
                              confirmed_how=self.confirmed_how.currentData(),
                              confirmed_at=confirmed_at(self.confirmed_how, self.confirmed_at))



def key_slip(loan):
    """The key loan slip (钥匙借用登记单) the borrower signs."""
    from printing.slip import SlipData

    key = loan.key
    rows = [("钥匙", f"{key.tag}  {key.name}"), ("借用人", f"{loan.borrower}（{BORROWER_ZH.get(loan.borrower_kind, '')}）"),
            ("联系电话", validation.mask_phone(loan.phone) if loan.phone else ""),
            ("借用时间", loan.lent_at.strftime("%Y-%m-%d %H:%M")), ("应还时间", loan.due_at.strftime("%Y-%m-%d %H:%M"))]
    if key.kind == "house" and loan.borrower_kind != "owner" or loan.borrower_kind == "delegate":
        rows.append(("身份证号", validation.mask_id(loan.id_number)))
        if loan.authorisation_id and not loan.confirmed_how:
            rows.append(("业主委托", f"常年委托（{loan.authorisation.added_at:%Y-%m-%d} 登记）"))
        else:
            rows += [("业主委托书", "已收" if loan.letter_received else "未收"),
                     ("业主确认", f"{CONFIRMED_ZH.get(loan.confirmed_how, '')} "
                                  f"{loan.confirmed_at.strftime('%Y-%m-%d %H:%M') if loan.confirmed_at else ''}")]
    if loan.approved_by:
        rows.append(("批准人", loan.approved_by))
    if loan.purpose:
        rows.append(("用途", loan.purpose))
    return SlipData("钥匙借用登记单", f"K{loan.id:06d}", rows,
                    "借用人须妥善保管钥匙，不得转借或私自配制，按时归还；遗失须立即告知物业服务中心。",
                    ["借用人签字", "经办人", "归还人签字", "归还签收"], signed={"经办人": clerk_name(loan.lent_by_id)})


def clerk_name(user_id) -> str:
    """The clerk who lent (or took back), as the slip names her: her full name, else her user name."""
    user = users.User.get_or_none(users.User.id == user_id) if user_id else None
    return user.display_name if user else ""


# printed papers are Chinese in any UI language
BORROWER_ZH = {"owner": "业主", "resident": "住户", "delegate": "受托人", "staff": "员工", "contractor": "施工方"}
CONFIRMED_ZH = {"phone": "电话", "in_person": "当面", "message": "短信/微信"}


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
        try:
            keys.give_back(self.user, loan.id, returned_by=who)
        except OfficeError as e:
            QMessageBox.warning(self, self.tr("Keys"), i18n.error_text(e))
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
            QMessageBox.warning(self, self.tr("Keys"), i18n.error_text(e))
        self.load()


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
        house = find_house(self.user, self.house.text()) if self.house.text().strip() else None
        if house is not None:
            self.house.setText(house.label)
        self.contact.fill(house.id if house else None)

    def save(self):
        house = find_house(self.user, self.house.text()) if self.house.text().strip() else None
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


def item_slip(loan):
    """物品借用单: the item, the borrower, the condition at lending and at return, signed."""
    from printing.slip import SlipData

    rows = [("物品", f"{loan.item.tag}  {loan.item.name}"),
            ("借用人", loan.borrower + (f"（{loan.house.label}）" if loan.house_id else "")),
            ("联系电话", validation.mask_phone(loan.phone) if loan.phone else ""),
            ("借用时间", loan.lent_at.strftime("%Y-%m-%d %H:%M")), ("应还时间", loan.due_at.strftime("%Y-%m-%d %H:%M")),
            ("借出时状况", loan.condition_out)]
    if loan.closed_at:
        rows += [("归还时间", loan.closed_at.strftime("%Y-%m-%d %H:%M")),
                 ("归还时状况", ("（遗失）" if loan.state == "lost" else "") + loan.condition_back)]
    signature = loan.signature_back if loan.closed_at else loan.signature_out
    return SlipData("物品借用单", f"W{loan.id:06d}", rows,
                    "借出和归还时，物品状况均已与借用人当面查验。借用人须妥善使用、按时归还，损坏或遗失照价赔偿。",
                    ["借用人签字", "经办人", "归还人签字", "归还签收"] if not loan.closed_at else ["归还人签字", "经办人"],
                    bytes(signature) if signature else None,
                    signed={"经办人": clerk_name(loan.closed_by_id if loan.closed_at else loan.lent_by_id)})


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
        loan = lending.ItemLoan.get_by_id(loan.id)
        return preview_slip(self, item_slip(loan), self.tr("Item slip"), f"W{loan.id:06d}.pdf")


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


def late_shade(loan):
    return LONG if loan.due_at < clock.now() else None


def parcels_label_layouts() -> dict:
    from printing import parcel_label

    return parcel_label.LAYOUTS


class DeskPage(QWidget):
    """前台: parcels and keys; what is overdue shows on top when it opens."""

    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.tabs = QTabWidget()
        self.parcels = ParcelsTab(user)
        self.tabs.addTab(self.parcels, self.tr("Parcels"))
        self.keys = KeysTab(user) if users.has(user, "desk.keys") else None
        if self.keys is not None:
            self.tabs.addTab(self.keys, self.tr("Keys"))
            self.items = ItemsTab(user)
            self.tabs.addTab(self.items, self.tr("Lent items"))
        self.handbook = HandbookTab(user)
        self.tabs.addTab(self.handbook, self.tr("Handbook"))
        # what is overdue shows when the front desk opens
        self.alert = ElidedButton()
        self.alert.setFlat(True)
        self.alert.setStyleSheet("color: #b71c1c; font-weight: bold; text-align: left;")
        self.alert.clicked.connect(self.show_keys)
        box = QVBoxLayout(self)
        box.addWidget(self.alert)
        box.addWidget(self.tabs)
        self.show_alerts()

    def show_keys(self) -> None:
        if self.keys is not None:
            late_keys = keys.overdue(self.user)
            self.tabs.setCurrentWidget(self.keys if late_keys or not lending.overdue(self.user) else self.items)

    def show_alerts(self) -> None:
        late = keys.overdue(self.user) if self.keys is not None else []
        items = lending.overdue(self.user) if self.keys is not None else []
        parts = []
        if late:
            names = "、".join(f"{o.loan.key.tag} {o.loan.borrower}" for o in late[:4])
            parts.append(self.tr("%n key(s) overdue: {names}", "", len(late)).format(names=names))
        if items:
            names = "、".join(f"{loan.item.name} {loan.borrower}" for loan in items[:4])
            parts.append(self.tr("%n lent item(s) overdue: {names}", "", len(items)).format(names=names))
        if self.keys is not None and keys.check_due():
            last = keys.last_check()
            parts.append(self.tr("Keys not counted since {day}").format(day=last.checked_at.strftime("%Y-%m-%d"))
                         if last else self.tr("Keys never counted"))
        self.alert.setText("    ".join(parts))
        self.alert.setVisible(bool(parts))

    def open_record(self, table: str, record_id: int) -> None:
        """Show a key or item loan, or a waiting parcel, chosen in its list."""
        from ui.service_page import select_record

        if table == "parcel":
            self.tabs.setCurrentWidget(self.parcels)
            self.parcels.load()
            select_record(self.parcels.view, self.parcels.model, record_id, lambda aged: aged.parcel)
        elif table in ("key_loan", "item_loan") and self.keys is not None:
            tab = self.keys if table == "key_loan" else self.items
            self.tabs.setCurrentWidget(tab)
            tab.load()
            select_record(tab.loans_view, tab.loans_model, record_id)

    def focus_search(self) -> None:
        self.show_alerts()
        self.parcels.load()  # ages and fees as of now
        if self.keys is not None:
            self.keys.load()
            self.items.load()
        self.parcels.focus_first()
