"""Monthly billing (计费): choose the month, preview every charge the run will post (house,
item, quantity, price, amount) with the total, then post it all in one transaction off
the UI thread. Running a month again posts only what is missing."""
from __future__ import annotations

import re
from fractions import Fraction

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import (QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton,
                               QVBoxLayout, QWidget)

from models import billing, estate, fees, meters, money
from ui.kit import act, table_view
from ui.form import FormDialog, fill_combo
from ui.table_models import RIGHT, RowsModel


_MONTHS = re.compile(r"× (\d+)(?:/(\d+))? 月$")


def quantity_text(quantity: str) -> str:
    """A charge's quantity as stored and printed in Chinese ("45.20 m² × 1 月"), its months
    in English on an English screen ("45.20 m² × 1 month")."""
    found = _MONTHS.search(quantity)
    if found is None or QLocale().language() == QLocale.Language.Chinese:
        return quantity
    months = Fraction(int(found.group(1)), int(found.group(2) or 1))
    return quantity[:found.start()] + "× " + fees.months_text(months, english=True)


class SharedTotalDialog(FormDialog):
    """A month's shared utility total (公摊) to split among the houses on the item: the
    whole estate or one building, by floor area or per household."""

    def __init__(self, user, period: str, parent=None):
        super().__init__(self.tr("Shared total for {period}").format(period=period), parent)
        self.user, self.period = user, period
        self.item = self.form.add("item", self.tr("Item"), QComboBox())
        for it in fees.items():
            if it.kind == "shared":
                self.item.addItem(it.name, it.code)
        self.where = self.form.add("building", self.tr("Shared among"), QComboBox())
        self.where.addItem(self.tr("The whole estate"), None)
        for b in estate.tree():
            self.where.addItem(b.name or b.code, b.id)
        self.total = self.form.add("total", self.tr("Amount to share (元)"), QLineEdit())
        self.total.setPlaceholderText(self.tr("the bill less the office's own use and landscaping"))
        self.basis = self.form.add("basis", self.tr("Shared"), fill_combo(QComboBox(), meters.BASES, "area"))
        self.note = self.form.add("note", self.tr("Note"), QLineEdit())

    def save(self):
        from models.errors import ValidationError

        try:
            total = money.parse(self.total.text())
        except money.BadAmount as e:
            raise ValidationError({"total": (e.template, e.params)}) from None
        return meters.set_share(self.user, self.item.currentData() or "", self.period, total,
                                basis=self.basis.currentData(), building_id=self.where.currentData(),
                                note=self.note.text())


class BillingPage(QWidget):
    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.plan: billing.Plan | None = None
        start = billing.open_month()  # month by month: the first one not billed yet
        self.month = QDateEdit(QDate(int(start[:4]), int(start[5:]), 1))
        self.month.setDisplayFormat("yyyy-MM")
        self.month.setCalendarPopup(True)
        self.month.dateChanged.connect(lambda _d: self.clear())
        preview = QPushButton(self.tr("Preview"))
        preview.clicked.connect(self.preview)
        self.post_button = QPushButton(self.tr("Post these charges…"))
        self.post_button.clicked.connect(self.post)
        self.post_button.setEnabled(False)
        shared = QPushButton(self.tr("Shared total…"))
        shared.setToolTip(self.tr("Enter a month's shared utility bill (公摊) to split among the houses"))
        shared.clicked.connect(self.enter_share)
        self.summary = QLabel(self.tr("Choose the month and preview what it will post."))
        self.summary.setWordWrap(True)
        self.meters_note = QLabel()  # meters not read for the month: said before anything is posted
        self.meters_note.setWordWrap(True)
        self.meters_note.setStyleSheet("color: #b00020; font-weight: bold;")
        self.meters_note.hide()
        self.model = RowsModel([
            (self.tr("House"), lambda c: c.house_label, None),
            (self.tr("Item"), lambda c: c.item_name, None),
            (self.tr("Quantity"), lambda c: quantity_text(c.quantity), None),
            (self.tr("Unit price"), lambda c: c.unit_price, None),
            (self.tr("Amount"), lambda c: money.fmt(c.amount, grouping=True), RIGHT),
        ], self)
        self.view = table_view(self.model)
        self.runs = QLabel()
        self.runs.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Month")))
        bar.addWidget(self.month)
        bar.addWidget(preview)
        bar.addWidget(shared)
        bar.addStretch(1)
        bar.addWidget(self.post_button)
        box = QVBoxLayout(self)
        box.addLayout(bar)
        box.addWidget(self.summary)
        box.addWidget(self.meters_note)
        box.addWidget(self.view, 1)
        box.addWidget(self.runs)
        self.show_runs()

    @property
    def period(self) -> str:
        d = self.month.date()
        return f"{d.year()}-{d.month():02d}"

    def clear(self) -> None:
        self.plan = None
        self.model.set_rows([])
        self.meters_note.clear()
        self.meters_note.hide()
        self.post_button.setEnabled(False)
        self.summary.setText(self.tr("Choose the month and preview what it will post."))

    def preview(self) -> None:
        from ui.tasks import run_with_progress

        user, period = self.user, self.period
        # off the UI thread: a large estate has tens of thousands of fees to work out
        done = act(self, self.tr("Billing"), lambda: run_with_progress(
            self, self.tr("Working out the charges…"), billing.run_size(self.user),
            lambda report, _cancelled: billing.plan(user, period, report)))
        if not done:
            return
        plan = done.value
        if plan is None:
            return  # cancelled
        self.plan = plan
        self.model.set_rows(self.plan.charges)
        self.view.resizeColumnsToContents()
        houses = len({c.house_id for c in self.plan.charges})
        text = self.tr("{period}: {n} charges for {houses} houses, {total} in all, due {due}.").format(
            period=self.period, n=len(self.plan.charges), houses=houses,
            total=money.fmt(self.plan.total, grouping=True), due=self.plan.due.isoformat())
        from_meters = sum(1 for c in self.plan.charges if c.source == "meter")
        from_shares = sum(1 for c in self.plan.charges if c.source == "shared")
        if from_meters or from_shares:
            text += " " + self.tr("Of these, {m} from meter readings and {s} from shared totals.").format(
                m=from_meters, s=from_shares)
        if self.plan.already_posted:
            text += " " + self.tr("{n} charges of this month were posted before and are left as they are.").format(
                n=self.plan.already_posted)
        self.summary.setText(text)
        self.meters_note.setText(self.meters_text())
        self.meters_note.setVisible(bool(self.meters_note.text()))
        self.post_button.setEnabled(bool(self.plan.charges))

    def meters_text(self) -> str:
        """Each metered item's houses read and not read for the month; empty when all are
        read. Unread meters are not charged now: a later run charges them once entered."""
        if self.plan is None:
            return ""
        parts = [self.tr("{item}: {read} read, %n house(s) not read", "", m.unread).format(item=m.item_name,
                                                                                          read=m.read)
                 for m in self.plan.meters_read]
        if not any(m.unread for m in self.plan.meters_read):
            return ""
        return self.tr("Meter readings of {period}: {items}. Houses not read are not charged for it now; a run "
                       "after their readings are entered charges them.").format(period=self.period,
                                                                               items="; ".join(parts))

    def enter_share(self) -> None:
        dialog = SharedTotalDialog(self.user, self.period, self)
        if dialog.exec():
            share = dialog.result_object
            QMessageBox.information(self, self.tr("Billing"), self.tr(
                "{total} will be shared among {n} houses when the month is posted.").format(
                total=money.fmt(share.total, grouping=True),
                n=len(meters.share_houses(share.item_id, share.period, share.building_id))))
            self.clear()

    def post(self) -> None:
        from ui.tasks import run_with_progress

        if self.plan is None or not self.plan.charges:
            return
        question = self.tr(
            "Post {n} charges for {period}, {total} in all? Prepaid balances then pay what they can.").format(
            n=len(self.plan.charges), period=self.period, total=money.fmt(self.plan.total, grouping=True))
        unread = self.meters_text()
        if unread:
            question += "\n\n" + unread
        if QMessageBox.question(self, self.tr("Billing"), question) != QMessageBox.StandardButton.Yes:
            return
        user, period = self.user, self.period
        done = act(self, self.tr("Billing"), run_with_progress, self, self.tr("Posting the charges…"),
                   len(self.plan.charges), lambda report, _cancelled: billing.post(user, period, report))
        if not done:
            return
        run = done.value
        if run is None:
            QMessageBox.information(self, self.tr("Billing"), self.tr("Cancelled: nothing was posted."))
        else:
            text = self.tr("Posted {n} charges for {period}, {total} in all.").format(
                n=run.charges, period=period, total=money.fmt(run.total, grouping=True))
            if run.prepaid:
                text += " " + self.tr("Prepaid balances paid for %n house(s), {total} in all.", "",
                                      run.prepaid_houses).format(total=money.fmt(run.prepaid, grouping=True))
            QMessageBox.information(self, self.tr("Billing"), text)
        self.clear()
        self.show_runs()

    def show_runs(self) -> None:
        last = billing.recent_runs(self.user)
        lines = [self.tr("{period} posted {at}: {n} charges, {total}").format(
            period=r.period, at=r.posted_at.strftime("%Y-%m-%d %H:%M"), n=r.charges,
            total=money.fmt(r.total, grouping=True)) for r in last]
        self.runs.setText(self.tr("Runs so far:") + "\n" + "\n".join(lines) if lines else "")
