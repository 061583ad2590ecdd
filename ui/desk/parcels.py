"""The front desk (前台): parcels taken in and handed over. Intake is keyboard first: the
house, the scanned tracking number (a scanner types it and presses Enter), the shelf, the
check that it is neither fragile nor valuable, Enter: the parcel is in and its label
prints. The waiting list shows each parcel's age and fee now (over 24 h yellow, over 5
days red); the pickup box takes a code (typed or scanned from the label), a tracking
number, a house or a name; the pickup dialog takes the fee with a receipt, or a
supervisor waives it."""
from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QCheckBox, QComboBox, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
                               QPushButton, QSizePolicy, QVBoxLayout, QWidget)

from models import cashier, clock, money, parcels, search, users
from models.errors import ValidationError
from ui import i18n, prefs
from ui.form import Form, FormDialog, fill_combo
from ui.kit import act, ContactFill, EnterCheckBox, LONG, OVER, table_view
from ui.receipts import data_only, form, form_stock, printable
from ui.reflow import FlowLayout
from ui.table_models import KeyedModel, RIGHT, RowsModel
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
        self.fee_label = fee
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
            try:  # nothing typed: the exact fee (the core's rule)
                tendered = money.parse(self.tendered.text()) if self.tendered.text().strip() else None
            except money.BadAmount as e:
                raise ValidationError({"tendered": (e.template, e.params)}) from None
        try:
            parcel, self.receipt = parcels.pick_up(
                self.user, self.parcel.id, proxy_name=self.proxy_name.text(), proxy_id_number=self.proxy_id.text(),
                method=self.method.currentData(), tendered=tendered, waive_by=approver,
                waive_reason=self.waive_reason.text(), stock=form_stock(), expected=self.fee,
                printable=printable)  # this PC's receipt form holds it, or nothing is taken
        except ValidationError as e:
            if "amount" in e.fields:  # the fee grew while the dialog was open: show what it is now
                self.fee = parcels.fee_now(self.parcel)
                self.fee_label.setText(self.tr("Storage fee: ¥{fee}").format(fee=money.fmt(self.fee)))
            raise
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
        self.house = search.the_house(self.user, text) if text else None
        self.contact.fill(self.house.id if self.house else None)  # the owner's name and phone
        if self.house is None:
            self.house_label.setText(self.tr("No such house") if text else "")
            return
        self.house_label.setText(f"{self.house.label}  {self.house.owner_names}")
        self.house_edit.setText(self.house.label)

    def load(self) -> None:
        rows = parcels.waiting_by_age(self.user)
        self.model.set_rows(rows)
        own = form("parcel-label")  # on the office's own label, the roll or sheet is not asked
        self.label_layout.setEnabled(own is None)
        self.label_layout.setToolTip(self.tr("Labels print on the office's label “{name}” (Settings → Forms)").format(
            name=own.name) if own else "")
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
        done = act(self, self.tr("Parcels"), parcels.receive, self.user, house_id=self.house.id if self.house else None,
                   tracking=self.tracking.text(), courier=self.courier.currentText(), recipient=self.recipient.text(),
                   phone=self.phone.text(), shelf=self.shelf.text(), safe=self.safe.isChecked(), form=self.form,
                   printable=self.label_fits)
        if not done:
            return
        parcel = done.value
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

    @staticmethod
    def label_data(items: list) -> list:
        from printing import parcel_label

        return [parcel_label.LabelData(p.code, p.house.label if p.house_id else "", p.shelf, p.recipient, p.courier,
                                       p.tracking, p.received_at.strftime("%m-%d %H:%M")) for p in items]

    @classmethod
    def label_fits(cls, parcel) -> None:
        """Refuses (Unfit, naming the field) a parcel whose label this PC's label form cannot
        hold: asked before it is taken in."""
        from printing import parcel_label

        own = form("parcel-label")
        if own is not None:
            parcel_label.check(cls.label_data([parcel]), own)

    def labels_pdf(self, items: list) -> bytes:
        """The labels on this PC's label form (本机设置 → 单据格式), else the roll or sheet chosen."""
        from printing import parcel_label

        own = form("parcel-label")
        return parcel_label.render_many(self.label_data(items), layout=self.label_layout.currentData(), template=own,
                                        plain=not (own and data_only("parcel-label")))

    def print_labels(self, items: list):
        from ui.preview import PreviewDialog

        done = act(self, self.tr("Parcel label"), self.labels_pdf, items)
        if not done:  # a label its form cannot hold (a form chosen since): said, nothing printed
            return None
        dialog = PreviewDialog(done.value, self.tr("Parcel label"), self, file_name="label.pdf")
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
        dialog = PickupDialog(self.user, parcels.get(self.user, parcel.id), self)
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
        house = search.the_house(self.user, text) if text else None
        if house is None and not text:
            index = self.view.currentIndex()
            aged = self.model.row_object(index.row()) if index.isValid() else None
            house = aged.parcel.house if aged is not None and aged.parcel.house_id else None
        if house is None:
            QMessageBox.information(self, self.tr("Parcels"), self.tr(
                "Type the house in the search box (3-2-1201) or choose one of its parcels first")
                if not text else self.tr("No such house: {text}").format(text=text))
            return None
        model = KeyedModel([
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
        ], lambda last, n: parcels.of_house(self.user, house.id, after=last, limit=n), self)
        model.reload()
        rows = model.fetch_all()  # on paper whole, however many years it holds
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


def parcels_label_layouts() -> dict:
    from printing import parcel_label

    return parcel_label.LAYOUTS
