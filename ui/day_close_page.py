"""Day close (日结): a cashier's day — totals by payment method and by item (net of the
day's voids and refunds, which are listed for information), the receipt numbers used —
checked against the cash counted in the drawer, over or short shown as it is typed, printed,
and closed (Enter: on to the note a difference needs, then close, once asked). A supervisor
can look at any cashier's day and reopen a closed one: it is then counted afresh."""
from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton,
                               QVBoxLayout, QWidget)

from models import cashier, clock, money, users
from ui import i18n
from ui.kit import act, table_view
from ui.form import Form, FormDialog
from ui.receipt_numbers import NextNumberDialog
from ui.table_models import RIGHT, RowsModel


class SpoilDialog(FormDialog):
    """A blank pre-printed form jammed or torn: the next number is recorded as spoiled."""

    def __init__(self, user, next_text: str, parent=None):
        super().__init__(self.tr("Spoiled form {number}").format(number=next_text), parent)
        self.user = user
        self.reason = self.form.add("reason", self.tr("What happened to it"), QLineEdit())
        self.reason.setPlaceholderText(self.tr("jammed in the printer, torn …"))

    def save(self):
        return cashier.spoil_next(self.user, self.reason.text())


class DayClosePage(QWidget):
    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.summary: cashier.DaySummary | None = None
        self._shown = None  # the day (and its state) the count fields were typed for
        today = clock.today()
        self.day = QDateEdit(QDate(today.year, today.month, today.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.who = QComboBox()
        self.who.addItem(user.display_name, user.id)
        if users.has(user, "cash.approve"):
            for u in users.all_users():
                if u.id != user.id and users.has(u, "cash.desk"):
                    self.who.addItem(u.display_name, u.id)
        self.day.dateChanged.connect(lambda _d: self.load())
        self.who.currentIndexChanged.connect(lambda _i: self.load())
        self.model = RowsModel([(self.tr("What"), lambda r: r[0], None), (self.tr("Amount"), lambda r: r[1], RIGHT)],
                               self)
        self.view = table_view(self.model)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.form = Form()
        self.counted = self.form.add("counted_cash", self.tr("Cash counted in the drawer"), QLineEdit())
        self.counted.setPlaceholderText("0.00")
        # over or short, as the cash is counted (not only once the day is closed)
        self.difference = self.form.add("difference", self.tr("Over (+) or short (−)"), QLabel())
        self.counted.textChanged.connect(self.show_difference)
        self.counted.returnPressed.connect(self.count_entered)
        self.note = self.form.add("note", self.tr("Note (over or short)"), QLineEdit())
        self.note.returnPressed.connect(self.confirm_close)
        # a refusal ("differs by …, say why") was of the count and note as they were then
        for edit in (self.counted, self.note):
            edit.textChanged.connect(self.form.clear_errors)
        self.close_button = QPushButton(self.tr("Close the day"))
        self.close_button.clicked.connect(self.close_day)
        print_button = QPushButton(self.tr("Print…"))
        print_button.clicked.connect(self.print_summary)
        self.reopen_button = QPushButton(self.tr("Reopen…"))
        self.reopen_button.clicked.connect(self.reopen)
        if not users.has(user, "cash.approve"):
            self.reopen_button.hide()
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Day")))
        bar.addWidget(self.day)
        bar.addWidget(QLabel(self.tr("Cashier")))
        bar.addWidget(self.who)
        bar.addStretch(1)
        bar.addWidget(print_button)
        bar.addWidget(self.reopen_button)
        self.numbers = QLabel()
        self.numbers.setWordWrap(True)
        spoil = QPushButton(self.tr("Spoiled form…"))
        spoil.setToolTip(self.tr("Record the next blank form as spoiled (jammed, torn), so its number is accounted for"))
        spoil.clicked.connect(self.spoil)
        if not users.has(user, "cash.take"):
            spoil.hide()
        renumber = QPushButton(self.tr("Next number…"))
        renumber.setToolTip(self.tr("Match the numbering to a new pre-printed receipt book (a supervisor)"))
        renumber.clicked.connect(self.renumber)
        if not users.has(user, "cash.take"):
            renumber.hide()
        numbers_row = QHBoxLayout()
        numbers_row.addWidget(self.numbers, 1)
        numbers_row.addWidget(spoil)
        numbers_row.addWidget(renumber)
        bottom = QHBoxLayout()
        bottom.addWidget(self.form, 1)
        bottom.addWidget(self.close_button)
        box = QVBoxLayout(self)
        box.addLayout(bar)
        box.addWidget(self.view, 1)
        box.addWidget(self.state)
        box.addLayout(numbers_row)
        box.addLayout(bottom)
        self.load()

    def showEvent(self, event):  # noqa: N802
        """Shown again: the day as the books have it now (payments taken since, a day
        reopened by a supervisor at another PC)."""
        super().showEvent(event)
        if self.summary is not None:
            self.load()

    @property
    def business_date(self):
        import datetime

        d = self.day.date()
        return datetime.date(d.year(), d.month(), d.day())

    def rows(self, s: cashier.DaySummary) -> list[tuple[str, str]]:
        fmt = lambda fen: money.fmt(fen, grouping=True)  # noqa: E731
        # her own numbers in runs (2026-001376 – 001379、2026-001381), to tick off in her book
        runs = self.tr(", ", "between runs of receipt numbers").join(s.number_runs)
        rows = [(self.tr("Receipts issued: {n}").format(n=len(s.receipts)), runs)]
        rows += [(self.tr("By {method}").format(method=i18n.office(cashier.METHODS.get(m, m))), fmt(v))
                 for m, v in sorted(s.by_method.items())]
        # the office's fee items as it named them; the product's own (违约金 …) in the clerk's language
        rows += [(self.tr("Item: {item}").format(item=i18n.office(cashier.GROUPS[item]) if item in cashier.GROUPS
                                                 else item), fmt(v)) for item, v in sorted(s.by_item.items())]
        # voids and refunds for information: the lines above and the totals are net of them
        # already (a void counts on the day it is made), so they carry no amount of their own
        rows += [(self.tr("Voided {number} ({reason}), {amount}: already left out of the totals").format(
            number=r.number_text, reason=r.void_reason, amount=fmt(r.total)), "") for r in s.voids]
        rows += [(self.tr("Refund {number}, {amount} paid back: already left out of the totals").format(
            number=r.number_text, amount=fmt(-r.total)), "") for r in s.receipts if r.kind == "refund"]
        # every pre-printed form beyond the receipts' own, so the book's numbers add up
        words = {"continuation": self.tr("Continuation form {number} of receipt {receipt}"),
                 "reprint": self.tr("Reprint form {number} of receipt {receipt}"),
                 "spoiled": self.tr("Spoiled form {number} ({reason})")}
        rows += [(words.get(f.kind, words["spoiled"]).format(number=f.number, receipt=f.receipt, reason=f.reason), "")
                 for f in s.forms]
        # numbers issued in data a restore took away since her last close: missing, with the reason
        rows += [(self.tr("Missing {numbers}: {reason}").format(numbers=lost.numbers, reason=self.lost_reason(lost)),
                  "") for lost in s.lost]
        rows.append((self.tr("Total taken"), fmt(s.total)))
        if s.held:  # deposits and prepayments are the houses' money the office holds, not its income
            rows.append((self.tr("Of it, held for the houses (deposits, prepayments)"), fmt(s.held)))
            rows.append((self.tr("Income"), fmt(s.income)))
        rows.append((self.tr("Cash the drawer should hold"), fmt(s.expected_cash)))
        if s.standing is not None:  # a reopened day's old count is of a drawer since changed
            rows.append((self.tr("Cash counted"), fmt(s.standing.counted_cash)))
            rows.append((self.tr("Over (+) or short (−)"), fmt(s.standing.counted_cash - s.standing.expected_cash)))
        return rows

    def load(self) -> None:
        done = act(self, self.tr("Day close"), cashier.day_summary, self.user, self.who.currentData(),
                   self.business_date)
        if not done:
            return
        self.summary = done.value
        s = self.summary
        self.model.set_rows(self.rows(s))
        self.view.resizeColumnsToContents()
        mine = self.who.currentData() == self.user.id
        closed = s.standing is not None
        shown = (s.cashier.id, s.business_date, s.closed.id if s.closed else None, closed)
        if shown != self._shown:  # another day, or closed or reopened since: a count typed was
            self._shown = shown   # of the drawer as it was; a new one is made against it now
            for edit in (self.counted, self.note):
                edit.clear()
            self.form.clear_errors()
        if closed:
            self.state.setText(self.tr("Closed at {time}. {note}").format(
                time=s.closed.closed_at.strftime("%Y-%m-%d %H:%M"), note=s.closed.note))
        elif s.closed is not None:
            self.state.setText(self.tr("Reopened by a supervisor; close it again when done."))
        else:
            self.state.setText(self.tr("Open."))
        self.show_numbers()
        self.close_button.setEnabled(mine and not closed)
        self.counted.setEnabled(mine and not closed)
        self.note.setEnabled(mine and not closed)
        self.show_difference()

    def difference_words(self, diff: int) -> str:
        if diff > 0:
            return self.tr("{amount} over").format(amount="+" + money.fmt(diff, grouping=True))
        if diff < 0:
            return self.tr("{amount} short").format(amount=money.fmt(diff, grouping=True))
        return self.tr("None: the drawer matches the books")

    def difference_sentence(self, diff: int) -> str:
        """The difference as a sentence of the question before closing."""
        if diff > 0:
            return self.tr("That is {amount} more than the books.").format(amount=money.fmt(diff, grouping=True))
        if diff < 0:
            return self.tr("That is {amount} less than the books.").format(amount=money.fmt(-diff, grouping=True))
        return self.tr("That matches the books.")

    def show_difference(self) -> None:
        """Over or short against the cash the drawer should hold, as each key is typed."""
        s, text, style = self.summary, "", ""
        if s is not None and s.standing is None and self.counted.text().strip():
            try:
                diff = s.over_short(money.parse(self.counted.text()))
                text = self.difference_words(diff)
                style = "font-weight: bold; color: %s;" % ("#1b5e20" if diff == 0 else "#b71c1c")
            except money.BadAmount:
                text = self.tr("Check the amount")
        self.difference.setText(text)
        self.difference.setStyleSheet(style)

    def count_entered(self) -> None:
        """Enter after the count: a difference needs its note first; else close, once asked."""
        try:
            diff = self.summary.over_short(money.parse(self.counted.text() or "0")) if self.summary else 0
        except money.BadAmount:
            diff = 0  # closing says what is wrong with it
        if diff and not self.note.text().strip():
            self.note.setFocus()
            return
        self.confirm_close()

    def confirm_close(self) -> None:
        """Close the day from the keyboard, after a question: only a supervisor reopens it."""
        if not self.close_button.isEnabled() or self.summary is None:
            return
        try:
            counted = money.parse(self.counted.text() or "0")
        except money.BadAmount:
            self.close_day()  # refused, and told why
            return
        if QMessageBox.question(self, self.tr("Day close"), self.tr(
                "Cash counted in the drawer: {counted}. {difference}\nClose the day {date}? Only a supervisor can "
                "reopen it.").format(date=self.business_date.isoformat(), counted=money.fmt(counted, grouping=True),
                                     difference=self.difference_sentence(self.summary.over_short(counted))),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes) == QMessageBox.StandardButton.Yes:
            self.close_day()

    def show_numbers(self) -> None:
        series = cashier.active_series()
        missing = cashier.unaccounted_numbers(series)
        spoiled = cashier.recent_spoiled(self.user, series)
        text = self.tr("Receipt series {code}: the next number is {next}.").format(
            code=series.code, next=series.text(series.next_number))
        if spoiled:
            text += " " + self.tr("Last spoiled forms: {list}.").format(list=", ".join(
                f"{series.text(s.number)} ({s.reason})" for s in spoiled))
        text += " " + (self.tr("Every number is accounted for.") if not missing else
                       self.tr("Numbers not accounted for: {list}").format(
                           list=", ".join(series.text(n) for n in missing[:10])))
        lost = cashier.lost_numbers(series)
        if lost:  # never issued again: the owners hold the receipts the restored data does not have
            text += " " + self.tr("Missing, lost with a restore: {list}.").format(list="; ".join(
                f"{r.numbers} ({self.lost_reason(r)})" for r in lost[-5:]))
        self.numbers.setText(text)

    def lost_reason(self, lost: cashier.LostNumbers) -> str:
        return self.tr("lost with the restore of the backup of {made} ({backup}) on {at} by {who}").format(
            made=f"{lost.made:%Y-%m-%d %H:%M}", backup=lost.backup, at=f"{lost.restored:%Y-%m-%d %H:%M}",
            who=lost.by)

    def spoil(self) -> None:
        series = cashier.active_series()
        if SpoilDialog(self.user, series.text(series.next_number), self).exec():
            self.show_numbers()

    def renumber(self) -> None:
        if NextNumberDialog(cashier.active_series(), self).exec():
            self.show_numbers()

    def close_day(self) -> None:
        def close():
            counted = money.parse(self.counted.text() or "0")
            return cashier.close_day(self.user, counted, self.note.text(), self.business_date)

        if act(self, self.tr("Day close"), close, form=self.form):
            self.load()

    def reopen(self) -> None:
        from ui.approval import ApprovalDialog

        cashier_id, day = self.who.currentData(), self.business_date
        dialog = ApprovalDialog(self.tr("Reopen the day"), self.tr("{name}'s day {date} will be open for changes again.")
                                .format(name=self.who.currentText(), date=day.isoformat()), "cash.approve",
                                lambda approver, reason: cashier.reopen_day(users.redeem(approver, "cash.approve"),
                                                                            cashier_id, day, reason),
                                parent=self)
        if dialog.exec():
            self.load()

    def print_summary(self):
        from models import estate
        from printing import lists
        from printing.furniture import Letterhead
        from ui.preview import PreviewDialog

        if self.summary is None:
            return None
        title = self.tr("Day close {date} — {name}").format(date=self.business_date.isoformat(),
                                                             name=self.who.currentText())
        # signed on paper by the cashier and by whoever checks the drawer against it
        data = lists.ListData(title, [self.tr("What"), self.tr("Amount")], [list(r) for r in self.rows(self.summary)],
                              subtitle=self.state.text(), right_aligned=(1,), widths=(3, 1),
                              signatures=(self.tr("Cashier's signature"), self.tr("Checked by / supervisor"),
                                          self.tr("Date")))
        dialog = PreviewDialog(lists.render(data, Letterhead.from_profile(estate.profile())), title, self,
                               file_name=f"{title}.pdf")
        dialog.exec()
        return dialog
