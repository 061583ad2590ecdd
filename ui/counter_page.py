"""The counter (收费): find the house, see what it owes by month and item with the late fee
to today, tick what is paid (all by default, or part of a line), take cash or record a
WeChat/Alipay/card/transfer payment, show the change big, and issue the receipt with its
preview in one keystroke (F9). The house's receipts are listed below for a reprint (补打)
or, with a supervisor's approval, a void (作废)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QGroupBox, QHeaderView, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QMessageBox, QPushButton, QSplitter, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from models import cashier, estate, fees, money, search, users
from models.errors import OfficeError, ValidationError
from ui.kit import act, refusal
from ui import i18n
from ui.form import Form, FormDialog, fill_combo
from ui.receipts import form_stock, printable
from ui.reflow import FlowLayout

CHARGE_ROLE = Qt.ItemDataRole.UserRole + 1


def _cell(text: str, right: bool = False, editable: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
    if editable:
        flags |= Qt.ItemFlag.ItemIsEditable
    item.setFlags(flags)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class InvoiceDialog(FormDialog):
    """The tax invoice (发票) number issued for a receipt; empty clears it."""

    def __init__(self, user, receipt, parent=None):
        super().__init__(self.tr("Invoice for receipt {number}").format(number=receipt.number_text), parent)
        self.user, self.receipt = user, receipt
        self.number = self.form.add("invoice_number", self.tr("Invoice number"), QLineEdit(receipt.invoice_number))

    def save(self):
        return cashier.set_invoice(self.user, self.receipt.id, self.number.text())


class ChargeDialog(FormDialog):
    """A charge no bill posted, added to this payment (本次收取): a service from the price list
    (so many units, or its share of the amount typed), a one-off fee typed (装修垃圾清运费,
    广告费 …), or a deposit held for the house (装修保证金). Nothing is written here: the
    counter posts it with the payment, in its transaction."""

    def __init__(self, parent=None):
        super().__init__(self.tr("Charge a service or fee"), parent)
        from models import pricelist, settings

        self.what = QComboBox()
        from ui.kit import price_words

        for entry in pricelist.entries():
            self.what.addItem(f"{entry.name}  {price_words(entry)}", ("service", entry.id))
        for item in pricelist.chargeable_items():
            self.what.addItem(item.name, ("fee", item.code))
        for item in fees_of_kind("deposit"):
            self.what.addItem(self.tr("{name} (deposit, held for the house)").format(name=item.name),
                              ("deposit", item.code))
        self.defaults = {"debris": settings.office.debris_fee_fen,
                         "renovation_deposit": settings.office.renovation_deposit_fen}
        self.form.add("service", self.tr("What"), self.what)
        self.quantity = self.form.add("quantity", self.tr("How many"), QLineEdit("1"))
        self.amount_of = self.form.add("amount_of", self.tr("Of the amount"), QLineEdit())
        self.amount = self.form.add("amount", self.tr("Amount"), QLineEdit())
        self.description = self.form.add("description", self.tr("For (on the receipt)"), QLineEdit())
        for edit in (self.amount_of, self.amount):
            edit.setPlaceholderText("0.00")
        self.description.setMaxLength(40)
        self.what.currentIndexChanged.connect(lambda _i: self.chosen())
        self.chosen()

    def chosen(self) -> None:
        from models import pricelist

        kind, key = self.what.currentData() or ("fee", "")
        entry = pricelist.get(key) if kind == "service" else None
        self.form.show_row("quantity", entry is not None and entry.pricing == "unit")
        self.form.show_row("amount_of", entry is not None and entry.pricing == "share")
        self.form.show_row("amount", entry is None)
        self.form.show_row("description", kind == "fee")
        if entry is not None and entry.pricing == "share":
            self.form.rows["amount_of"].setToolTip(entry.base)
            self.amount_of.setPlaceholderText(entry.base)
        if entry is None:
            default = self.defaults.get(key, 0)
            self.amount.setText(money.fmt(default) if default else "")

    def save(self):
        """("extra", Extra) or ("deposit", (fee item code, amount, name)); ValidationError by the field."""
        from models import pricelist

        kind, key = self.what.currentData()
        if kind == "service":
            return "extra", pricelist.charge(pricelist.get(key), quantity=self.quantity.text(),
                                             amount_of=self.amount_of.text())
        try:
            amount = money.parse(self.amount.text())
        except money.BadAmount as e:
            raise ValidationError({"amount": (e.template, e.params)}) from None
        problem = money.amount_problem(amount)
        if problem:
            raise ValidationError({"amount": problem})
        name = fees.item(key).name
        if kind == "deposit":
            return "deposit", (key, amount, name)
        return "extra", pricelist.Extra(key, amount, self.description.text().strip())


def fees_of_kind(kind: str) -> list:
    return [i for i in fees.items() if i.kind == kind]


class CounterPage(QWidget):
    COLUMNS = 7  # ✓ period item charged unpaid late-fee paying-now

    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.house = None
        self.lines: list[cashier.Owed] = []
        # charges added to this payment (本次收取), posted with it: ("extra", Extra) or
        # ("deposit", (fee item code, amount, name)), each a row below the open charges
        self.pending: list[tuple[str, object]] = []
        self.case = None  # (renovation id, called once paid): the payment is that case's money
        self.last_change = ""  # the last payment's 收您…找回…, marked as the last, until the house changes

        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(self.tr("House: 3-2-1201, an owner's name or zs (张三) — Enter"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.returnPressed.connect(self.run_search)
        self.hits = QListWidget()
        self.hits.setMaximumHeight(140)
        self.hits.hide()
        self.hits.itemActivated.connect(lambda it: self.open_house(it.data(Qt.ItemDataRole.UserRole)))
        self.title = QLabel(self.tr("Find the house that pays."))
        big = QFont(self.title.font())
        big.setPointSizeF(big.pointSizeF() * 1.4)
        big.setBold(True)
        self.title.setFont(big)
        self.held = QLabel()

        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setHorizontalHeaderLabels([
            "", self.tr("Period"), self.tr("Item"), self.tr("Charged"), self.tr("Unpaid"), self.tr("Late fee"),
            self.tr("Paying now")])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self.update_total)
        self.owed_total = QLabel()

        self.receipts = QTableWidget(0, 5)
        self.receipts.setHorizontalHeaderLabels([self.tr("Receipt"), self.tr("Date"), self.tr("Amount"),
                                                 self.tr("Method"), self.tr("State")])
        self.receipts.verticalHeader().hide()
        self.receipts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.receipts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.receipts.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.receipts.doubleClicked.connect(lambda _: self.reprint())
        reprint = QPushButton(self.tr("Reprint…"))
        reprint.clicked.connect(self.reprint)
        void = QPushButton(self.tr("Void…"))
        void.clicked.connect(self.void)
        waive = QPushButton(self.tr("Waive late fee…"))
        waive.clicked.connect(self.waive)
        refund = QPushButton(self.tr("Refund…"))
        refund.clicked.connect(self.refund)
        self.invoice_button = QPushButton(self.tr("Invoice number…"))
        self.invoice_button.setToolTip(self.tr("Record the tax invoice (发票) issued for the chosen receipt"))
        self.invoice_button.clicked.connect(self.record_invoice)
        self.statement_button = QPushButton(self.tr("Statement…"))
        self.statement_button.clicked.connect(self.print_statement)

        # the payment
        self.form = Form()
        self.method = self.form.add("method", self.tr("Paid by"), fill_combo(QComboBox(), cashier.METHODS, "cash"))
        self.tendered = self.form.add("tendered", self.tr("Cash handed over"), QLineEdit())
        self.prepay = self.form.add("prepay", self.tr("Also prepay (预存)"), QLineEdit())
        self.payer = self.form.add("payer", self.tr("Paid by (name)"), QLineEdit())
        for edit in (self.tendered, self.prepay):
            edit.setPlaceholderText("0.00")
            edit.textChanged.connect(self.update_total)
        self.method.currentIndexChanged.connect(self.update_total)
        self.tendered.returnPressed.connect(self.pay)
        self.due_label = QLabel()
        self.change_label = QLabel()
        huge = QFont(self.change_label.font())
        huge.setPointSizeF(huge.pointSizeF() * 2.2)
        huge.setBold(True)
        self.due_label.setFont(huge)
        self.change_label.setFont(huge)
        self.change_label.setWordWrap(True)
        self.forms_note = QLabel()  # numbered stock: the forms the last receipt used up
        self.case_note = QLabel()  # the renovation this payment is for
        self.case_note.setWordWrap(True)
        self.case_note.setStyleSheet("color: #0d47a1;")
        self.forms_note.setWordWrap(True)
        self.charge_button = QPushButton(self.tr("Charge a service or fee… (F6)"))
        self.charge_button.setToolTip(self.tr("A paid service from the price list, the debris fee, advertising or "
                                              "another one-off fee, or a deposit: taken with this payment"))
        self.charge_button.clicked.connect(lambda: self.add_charge())
        self.charge_button.setEnabled(False)
        QShortcut(QKeySequence(Qt.Key.Key_F6), self, activated=lambda: self.add_charge())
        self.pay_button = QPushButton(self.tr("Take payment and issue receipt (F9)"))
        self.pay_button.setDefault(True)
        self.pay_button.clicked.connect(self.pay)
        self.pay_button.setEnabled(False)
        QShortcut(QKeySequence(Qt.Key.Key_F9), self, activated=self.pay)
        # Ctrl+F from anywhere on the page (the cash field after a payment): the next house
        find = QShortcut(QKeySequence.StandardKey.Find, self, activated=self.focus_search)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.search_box)
        lv.addWidget(self.hits)
        lv.addWidget(self.title)
        lv.addWidget(self.held)
        lv.addWidget(self.table, 3)
        lv.addWidget(self.owed_total)
        rbox = QGroupBox(self.tr("Receipts of this house"))
        rv = QVBoxLayout(rbox)
        rv.addWidget(self.receipts)
        row = FlowLayout()
        for b in (reprint, void, waive, refund, self.invoice_button, self.statement_button):
            row.addWidget(b)
        row.addStretch(1)
        rv.addLayout(row)
        lv.addWidget(rbox, 2)
        pay_box = QGroupBox(self.tr("Payment"))
        pv = QVBoxLayout(pay_box)
        pv.addWidget(self.form)
        pv.addWidget(self.due_label)
        pv.addWidget(self.change_label)
        pv.addWidget(self.forms_note)
        pv.addWidget(self.case_note)
        pv.addStretch(1)
        pv.addWidget(self.charge_button)
        pv.addWidget(self.pay_button)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(pay_box)
        split.setSizes([820, 420])
        split.setChildrenCollapsible(False)  # the payment and its F9 button never drag out of sight
        # a clerk answering the phone sees what is owed, and takes no money (hidden once in
        # their layouts: shown while parentless, a widget would open as a window of its own)
        if not users.has(user, "cash.take"):
            for w in (pay_box, reprint, void, waive, refund):
                w.hide()
        box = QVBoxLayout(self)
        box.addWidget(split)
        self.update_total()

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    # --- finding the house ------------------------------------------------------------

    def run_search(self) -> None:
        self.last_change = ""  # the last payment's change went with its payer
        self.change_label.clear()
        self.forms_note.clear()
        hits = [h for h in search.search(self.user, self.search_box.text()) if h.house_id is not None]
        houses = {}
        for h in hits:
            houses.setdefault(h.house_id, h)
        self.hits.clear()
        if len(houses) == 1:
            self.hits.hide()
            self.open_house(next(iter(houses)))
            return
        if not houses:
            self.hits.hide()
            QMessageBox.information(self, self.tr("Counter"), self.tr("No house found for “{text}”").format(
                text=self.search_box.text().strip()))
            return
        for house_id, h in houses.items():
            item = QListWidgetItem(f"{h.label}  {h.name}")
            item.setData(Qt.ItemDataRole.UserRole, house_id)
            self.hits.addItem(item)
        self.hits.show()
        self.hits.setCurrentRow(0)
        self.hits.setFocus()

    def open_house(self, house_id: int) -> None:
        self.hits.hide()
        self.house = estate.get_house(house_id)
        owners = self.house.owner_names
        self.title.setText(f"{self.house.label}  {owners}".strip())
        self.payer.setText(owners.split("、")[0] if owners else "")
        self.tendered.clear()
        self.prepay.clear()
        self.pending = []  # what was added for the last house went with it
        self.case = None  # and the case it was for
        self.case_note.clear()
        self.change_label.clear()
        self.forms_note.clear()
        self.refresh()
        self.tendered.setFocus()

    def open_record(self, table: str, record_id: int) -> None:
        """A receipt (or a charge) from a house's history: the counter on its house, the
        receipt chosen in the house's receipts."""
        if table == "receipt":
            receipt = cashier.get_receipt(record_id)
            house_id = receipt.house_id
        else:
            house_id = cashier.house_of_charge(record_id)
        if self.house is None or self.house.id != house_id:
            self.open_house(house_id)
        if table == "receipt":
            for row in range(self.receipts.rowCount()):
                if self.receipts.item(row, 0).data(Qt.ItemDataRole.UserRole) == record_id:
                    self.receipts.selectRow(row)
                    self.receipts.setFocus()
                    break

    def open_for_case(self, house_id: int, case: tuple[str, int], deposit: int = 0, debris: int = 0,
                      prepay: int = 0, done=None) -> None:
        """The counter on a case's house with its money as this payment's lines (本次): a
        renovation's deposit and debris fee, a move-in's first months prepaid. The receipt is
        recorded on the case in the payment's transaction, `done()` once it is taken."""
        from models import pricelist, renovation

        self.open_house(house_id)
        kind, case_id = case
        added = []
        if kind == "renovation":
            number = renovation.get(self.user, case_id).number_text
            self.pending = []
            if deposit:
                self.pending.append(("deposit", ("renovation_deposit", deposit, fees.item("renovation_deposit").name)))
            if debris:
                self.pending.append(("extra", pricelist.Extra("debris", debris, number)))
            added = [Qt.CheckState.Checked] * len(self.pending)
            note = self.tr("For renovation {number}: its deposit and debris fee, on one receipt.").format(number=number)
        else:
            self.prepay.setText(money.fmt(prepay) if prepay else "")
            note = self.tr("For the move-in of {house}: its first months' fees, prepaid.").format(
                house=self.house.label)
        self.case = (kind, case_id, done)
        self.case_note.setText(note)
        self.refresh(keep_choices=True, added=added)

    def _case_hook(self):
        """What the payment's transaction also does: the case records its money."""
        if self.case is None:
            return None
        from models import movein, renovation

        kind, case_id, _done = self.case
        record = renovation.money_taken if kind == "renovation" else movein.money_taken
        return lambda receipt: record(self.user, case_id, receipt)

    def refresh(self, keep_choices: bool = False, added: list | None = None) -> None:
        """The house's charges as they are now; `keep_choices`: what the clerk unticked or
        typed on the open lines and the added ones stays (a line added with F6)."""
        if self.house is None:
            return
        chosen = {}  # charge id → (ticked, paying now), and the added lines' ticks, as they were
        if keep_choices:
            for row, line in enumerate(self.lines):
                tick, paying = self.table.item(row, 0), self.table.item(row, 6)
                if tick is not None and paying is not None:
                    chosen[line.charge.id] = (tick.checkState(), paying.text())
            if added is None:
                added = self._added_ticks()
        added = added or []
        self.last_change = ""  # the charges as they are now (a void, a waiver): no old amount stays
        held = cashier.balances(self.house.id)
        parts = []
        prepaid = sum(v for (kind, _), v in held.items() if kind == "prepay")
        deposits = sum(v for (kind, _), v in held.items() if kind == "deposit")
        if prepaid:
            parts.append(self.tr("Prepaid {amount}").format(amount=money.fmt(prepaid, grouping=True)))
        if deposits:
            parts.append(self.tr("Deposits held {amount}").format(amount=money.fmt(deposits, grouping=True)))
        self.held.setText(" · ".join(parts))
        self.lines = cashier.owed(self.user, self.house.id)
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.lines))
        for row, line in enumerate(self.lines):
            c = line.charge
            tick = QTableWidgetItem()
            tick.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            tick.setCheckState(Qt.CheckState.Checked)
            tick.setData(CHARGE_ROLE, c.id)
            self.table.setItem(row, 0, tick)
            self.table.setItem(row, 1, _cell(c.period or c.posted_at.strftime("%Y-%m-%d")))
            name = c.item.name + (f"({c.description})" if c.description else "")
            self.table.setItem(row, 2, _cell(name))
            self.table.setItem(row, 3, _cell(money.fmt(c.amount, grouping=True), True))
            self.table.setItem(row, 4, _cell(money.fmt(line.principal, grouping=True), True))
            self.table.setItem(row, 5, _cell(money.fmt(line.late_fee, grouping=True), True))
            self.table.setItem(row, 6, _cell(money.fmt(line.total), True, editable=True))
            if c.id in chosen:
                tick.setCheckState(chosen[c.id][0])
                self.table.item(row, 6).setText(chosen[c.id][1])
        self.table.setRowCount(len(self.lines) + len(self.pending))
        for n, (kind, what) in enumerate(self.pending):
            row = len(self.lines) + n
            if kind == "deposit":
                name, amount = self.tr("{name} (deposit)").format(name=what[2]), what[1]
            else:
                item = fees.item(what.item_code).name
                name, amount = item + (f"({what.description})" if what.description else ""), what.amount
            tick = QTableWidgetItem()
            tick.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            tick.setCheckState(added[n] if n < len(added) else Qt.CheckState.Checked)
            self.table.setItem(row, 0, tick)
            self.table.setItem(row, 1, _cell(self.tr("Now")))
            self.table.setItem(row, 2, _cell(name))
            for col, text in ((3, money.fmt(amount, grouping=True)), (4, money.fmt(amount, grouping=True)),
                              (5, money.fmt(0)), (6, money.fmt(amount))):
                self.table.setItem(row, col, _cell(text, True))
        self.table.blockSignals(False)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        owed = sum(line.total for line in self.lines)
        late = sum(line.late_fee for line in self.lines)
        self.owed_total.setText(self.tr("Owed today: {total} (late fees {late} included)").format(
            total=money.fmt(owed, grouping=True), late=money.fmt(late, grouping=True)))
        self.load_receipts()
        self.update_total()

    def load_receipts(self) -> None:
        rows = cashier.receipts_of(self.user, self.house.id)
        self.receipts.setRowCount(len(rows))
        for i, r in enumerate(rows):
            state = self.tr("Void") if r.void else (self.tr("Reprinted {n}×").format(n=r.reprints) if r.reprints else "")
            if r.invoice_number:
                state = " ".join(t for t in (state, self.tr("Invoice {number}").format(number=r.invoice_number)) if t)
            for col, (text, right) in enumerate(((r.number_text, False), (r.business_date.isoformat(), False),
                                                 (money.fmt(r.total, grouping=True), True),
                                                 (i18n.office(cashier.METHODS.get(r.method, r.method)), False),
                                                 (state, False))):
                item = _cell(text, right)
                item.setData(Qt.ItemDataRole.UserRole, r.id)
                self.receipts.setItem(i, col, item)
        self.receipts.resizeColumnsToContents()
        self.receipts.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    # --- the payment --------------------------------------------------------------------

    def picks(self) -> list[cashier.Pick]:
        """The ticked lines with what is paid on each now (BadAmount for a wrong entry)."""
        out = []
        for row, line in enumerate(self.lines):
            if self.table.item(row, 0).checkState() != Qt.CheckState.Checked:
                continue
            amount = money.parse(self.table.item(row, 6).text())
            out.append(cashier.Pick(line.charge.id, None if amount == line.total else amount))
        return out

    def _ticked_pending(self) -> list[tuple[str, object]]:
        base = len(self.lines)
        return [p for n, p in enumerate(self.pending)
                if self.table.item(base + n, 0) is not None
                and self.table.item(base + n, 0).checkState() == Qt.CheckState.Checked]

    def extras(self) -> list:
        """The charges added to this payment and still ticked (models.pricelist.Extra)."""
        return [what for kind, what in self._ticked_pending() if kind == "extra"]

    def deposit(self) -> tuple[str, int]:
        """The deposit added to this payment and still ticked: (fee item code, amount), or ("", 0)."""
        held = [what for kind, what in self._ticked_pending() if kind == "deposit"]
        return (held[-1][0], held[-1][1]) if held else ("", 0)

    def add_charge(self, exec_dialog: bool = True):
        """A service, a one-off fee or a deposit added to this payment (F6): a row below the
        open charges, ticked; nothing is kept until the payment is taken. One deposit a
        payment: a second replaces the first."""
        if self.house is None or not self.charge_button.isEnabled():
            return None
        dialog = ChargeDialog(self)
        if exec_dialog and not dialog.exec():
            return dialog
        if dialog.result_object is None:
            return dialog
        kind, what = dialog.result_object
        ticks = self._added_ticks()
        if kind == "deposit":  # the first one's line goes, its tick with it
            ticks = [t for t, p in zip(ticks, self.pending) if p[0] != "deposit"]
            self.pending = [p for p in self.pending if p[0] != "deposit"]
        self.pending.append((kind, what))
        self.refresh(keep_choices=True, added=ticks + [Qt.CheckState.Checked])
        return dialog

    def _added_ticks(self) -> list:
        """The ticks of the lines added with F6, in their order (Checked for one not shown yet)."""
        base = len(self.lines)
        return [self.table.item(base + n, 0).checkState() if self.table.item(base + n, 0) is not None
                else Qt.CheckState.Checked for n in range(len(self.pending))]

    def _amount(self, edit: QLineEdit) -> int:
        return money.parse(edit.text()) if edit.text().strip() else 0

    def due_now(self) -> int:
        return (cashier.total_of(self.picks(), {line.charge.id: line.total for line in self.lines},
                                 self._amount(self.prepay), self.deposit()[1])
                + sum(e.amount for e in self.extras()))

    def update_total(self, *_args) -> None:
        cash = self.method.currentData() == "cash"
        self.tendered.setEnabled(cash)
        try:
            due = self.due_now()
        except OfficeError:
            self.due_label.setText(self.tr("Check the amounts"))
            self.change_label.clear()
            self.pay_button.setEnabled(False)
            return
        self.due_label.setText(self.tr("To pay: ¥{amount}").format(amount=money.fmt(due, grouping=True)))
        self.pay_button.setEnabled(self.house is not None and due > 0)
        self.charge_button.setEnabled(self.house is not None)
        self.change_label.clear()
        if self.last_change and not self.tendered.text().strip():
            # the clerk still hands the change back, but it is not of anything to pay now
            self.change_label.setText(self.last_change)
            self.change_label.setStyleSheet("color: #616161;")
        if cash:
            try:
                given = self._amount(self.tendered)
            except OfficeError:
                return
            if given >= due > 0:
                # 收您…元，找回…元: what the clerk says, big enough to read across the counter
                self.change_label.setText(self.change_words(given, given - due))
                self.change_label.setStyleSheet("color: #1b5e20;")
            elif given:
                self.change_label.setText(self.tr("{short} short").format(short=money.fmt(due - given, grouping=True)))
                self.change_label.setStyleSheet("color: #b71c1c;")

    def change_words(self, given: int, change: int) -> str:
        """收您…元，/找回…元 on two lines: what the cashier says, read across the counter."""
        return (self.tr("Received {given},").format(given=money.fmt(given, grouping=True)) + "\n"
                + self.tr("change {change}").format(change=money.fmt(change, grouping=True)))

    def pay(self) -> None:
        if self.house is None or not self.pay_button.isEnabled():
            return
        self.form.clear_errors()

        def take():
            method = self.method.currentData()
            # nothing typed: the exact amount handed over (the core's rule)
            tendered = 0
            if method == "cash":
                tendered = self._amount(self.tendered) if self.tendered.text().strip() else None
            deposit_item, deposit = self.deposit()
            also = self._case_hook()
            return cashier.take_payment(self.user, self.house.id, self.picks(), method, tendered=tendered,
                                        payer=self.payer.text(), prepay=self._amount(self.prepay), stock=form_stock(),
                                        extras=self.extras(), deposit=deposit,
                                        deposit_item=deposit_item or "renovation_deposit",
                                        expected=self.due_now(),  # what the payer was shown
                                        printable=printable,  # this PC's receipt form holds it
                                        also=also)

        done = act(self, self.tr("Counter"), take, form=self.form)
        if not done:
            if self.case is not None and not isinstance(done.error, ValidationError):
                # the case moved on meanwhile (its money taken at another PC, a step undone): the
                # payment is no longer its; what the clerk does next is an ordinary payment
                self.case = None
                self.case_note.setText(self.tr("No longer for a case: it moved on meanwhile. Look at the lines "
                                               "before taking the payment."))
            if isinstance(done.error, ValidationError) and "amount" in done.error.fields:
                self.refresh()  # the amounts changed since they were shown: the lines as they are now
            return
        receipt = done.value
        change = receipt.change
        case, self.case = self.case, None
        self.case_note.clear()
        if case is not None and case[2] is not None:
            case[2]()
        # the cash is spent on this receipt: a second F9 must not take it again (the prepayment
        # neither, nor what was added to it)
        for edit in (self.tendered, self.prepay):
            edit.blockSignals(True)
            edit.clear()
            edit.blockSignals(False)
        self.pending = []
        self.refresh()
        if receipt.method == "cash":
            self.last_change = self.tr("Last payment:") + "\n" + self.change_words(receipt.tendered, change)
            self.update_total()
        more = cashier.continuation_forms(receipt.id)
        self.forms_note.setText(self.tr(
            "Receipt {first} goes on {n} numbered forms, {first} – {last}: have them in the printer.").format(
            first=receipt.number_text, n=len(more) + 1, last=more[-1]) if more else "")
        self.show_receipt(receipt)

    def show_receipt(self, receipt, *, reprint: bool = False):
        from ui.preview import PreviewDialog
        from ui.receipts import receipt_pdf

        if reprint:
            try:
                pdf = receipt_pdf(receipt, reprint=True)
            except OfficeError as e:  # this PC's form cannot hold it (chosen since it was issued)
                refusal(self, self.tr("Counter"), e)
                return None
            stock = form_stock()

            def handed_out(_how: str) -> None:
                act(self, self.tr("Counter"), cashier.reprint, self.user, receipt.id, new_form=stock is not None,
                    stock=stock)
                self.load_receipts()
        else:
            pdf, handed_out = receipt_pdf(receipt), None
        dialog = PreviewDialog(pdf, self.tr("Receipt {number}").format(number=receipt.number_text), self,
                               file_name=f"{receipt.number_text}.pdf", handed_out=handed_out,
                               numbered_forms=form_stock() is not None)
        dialog.exec()
        return dialog

    # --- after the payment ------------------------------------------------------------------

    def selected_receipt(self):
        rows = self.receipts.selectionModel().selectedRows() if self.receipts.selectionModel() else []
        if not rows:
            QMessageBox.information(self, self.tr("Counter"), self.tr("Choose a receipt in the list first"))
            return None
        return cashier.get_receipt(self.receipts.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole))

    def reprint(self) -> None:
        r = self.selected_receipt()
        if r is not None:
            self.show_receipt(r, reprint=True)

    def record_invoice(self) -> None:
        r = self.selected_receipt()
        if r is not None and InvoiceDialog(self.user, r, self).exec():
            self.load_receipts()

    def void(self) -> None:
        from ui.approval import ApprovalDialog

        r = self.selected_receipt()
        if r is None:
            return
        if r.void:
            QMessageBox.information(self, self.tr("Void"), self.tr("Receipt {number} is already void").format(
                number=r.number_text))
            return
        dialog = ApprovalDialog(
            self.tr("Void receipt {number}").format(number=r.number_text),
            self.tr("Receipt {number} of {date}, {amount}, will be marked void (作废) and what it paid "
                    "becomes owed again.").format(number=r.number_text, date=r.business_date.isoformat(),
                                                  amount=money.fmt(r.total, grouping=True)),
            "cash.approve", lambda approver, reason: cashier.void(self.user, r.id, reason, approver), parent=self)
        if dialog.exec():
            self.refresh()

    def waive(self) -> None:
        from ui.approval import ApprovalDialog

        rows = self.table.selectionModel().selectedRows()
        # a line added with F6 below the open charges carries no late fee
        line = self.lines[rows[0].row()] if rows and rows[0].row() < len(self.lines) else None
        if line is None or line.late_fee <= 0:
            QMessageBox.information(self, self.tr("Waive late fee"),
                                    self.tr("Choose a line with a late fee in the list first"))
            return
        c = line.charge
        amount = QLineEdit(money.fmt(line.late_fee))

        def action(approver, reason):
            return cashier.waive(self.user, c.id, money.parse(amount.text()), reason, approver=approver)

        dialog = ApprovalDialog(
            self.tr("Waive late fee"),
            self.tr("The late fee of {item} {period} is {late} today.").format(
                item=c.item.name, period=c.period, late=money.fmt(line.late_fee)),
            "cash.approve", action, parent=self)
        dialog.form.add("amount", self.tr("Waive"), amount)
        if dialog.exec():
            self.refresh()

    def print_statement(self, start=None, end=None):
        """对账单: the house's ledger for a period (this year by default), through the preview."""
        import datetime

        from models import clock
        from printing import lists
        from printing.furniture import Letterhead
        from ui.preview import PreviewDialog

        if self.house is None:
            QMessageBox.information(self, self.tr("Counter"), self.tr("Find the house first"))
            return None
        today = clock.today()
        start, end = start or datetime.date(today.year, 1, 1), end or today
        done = act(self, self.tr("Statement"), cashier.statement, self.user, self.house.id, start, end)
        if not done:
            return None
        st = done.value
        fmt = lambda fen: money.fmt(fen, grouping=True) if fen else ""  # noqa: E731
        rows = [["", self.tr("Brought forward"), "", "", "", money.fmt(st.opening_owed, grouping=True),
                 money.fmt(st.opening_prepaid, grouping=True)]]
        rows += [[l.on.isoformat(), l.what, fmt(l.charged), fmt(l.paid), fmt(l.late_fee),
                  money.fmt(l.owed, grouping=True), money.fmt(l.prepaid, grouping=True)] for l in st.lines]
        title = self.tr("Statement of {house}").format(house=self.house.label)
        data = lists.ListData(title, [self.tr("Date"), self.tr("What"), self.tr("Charged"), self.tr("Paid"),
                                      self.tr("Late fee"), self.tr("Owed"), self.tr("Prepaid")], rows,
                              subtitle=self.tr("{start} to {end}; owed at the end {owed}").format(
                                  start=start.isoformat(), end=end.isoformat(),
                                  owed=money.fmt(st.closing_owed, grouping=True)),
                              right_aligned=(2, 3, 4, 5, 6), widths=(1.2, 3.6, 1, 1, 0.9, 1, 1),
                              # what the period charged and paid in all, and what the house
                              # owes and holds at its end
                              totals=("", self.tr("Total; balance at the end"),
                                      money.fmt(sum(l.charged for l in st.lines), grouping=True),
                                      money.fmt(sum(l.paid for l in st.lines), grouping=True),
                                      money.fmt(sum(l.late_fee for l in st.lines), grouping=True),
                                      money.fmt(st.closing_owed, grouping=True),
                                      money.fmt(st.closing_prepaid, grouping=True)))
        dialog = PreviewDialog(lists.render(data, Letterhead.from_profile(estate.profile())), title, self,
                               file_name=f"{title}.pdf")
        dialog.exec()
        return dialog

    def refund(self):
        """Pay back a deposit or prepaid money, with a supervisor's approval: a refund
        document in the receipt series, previewed like a receipt."""
        from ui.approval import ApprovalDialog

        if self.house is None:
            QMessageBox.information(self, self.tr("Counter"), self.tr("Find the house first"))
            return None
        held = cashier.money_held(self.user, self.house.id)
        if not held:
            QMessageBox.information(self, self.tr("Refund"), self.tr("This house holds no deposit or prepaid money."))
            return None
        what = QComboBox()
        for h in held:
            name = h.item_name or (self.tr("Prepaid") if h.kind == "prepay" else self.tr("Deposit"))
            what.addItem(f"{name}  {money.fmt(h.amount, grouping=True)}", (h.kind, h.item_code, h.amount))
        amount = QLineEdit()
        method = fill_combo(QComboBox(), cashier.METHODS, "cash")

        def fill(_i=None):
            amount.setText(money.fmt(what.currentData()[2]))

        what.currentIndexChanged.connect(fill)
        fill()

        def action(approver, reason):
            kind, code, _held = what.currentData()
            return cashier.refund(self.user, self.house.id, kind, money.parse(amount.text()), approver,
                                  method=method.currentData(), item_code=code, reason=reason)

        dialog = ApprovalDialog(self.tr("Refund"), self.tr("Money the office holds for {house} is paid back.").format(
            house=self.house.label), "cash.approve", action, parent=self)
        dialog.form.add("what", self.tr("What"), what)
        dialog.form.add("amount", self.tr("Amount"), amount)
        dialog.form.add("method", self.tr("Paid back by"), method)
        if dialog.exec() and dialog.result_object is not None:
            self.refresh()
            self.show_receipt(dialog.result_object)
        return dialog
