"""Day close (日结): a cashier's day — totals by payment method and by item, the receipt
numbers used, the voids and refunds — checked against the cash counted in the drawer,
printed, and closed. A supervisor can look at any cashier's day and reopen a closed one."""
from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton,
                               QVBoxLayout, QWidget)

from models import cashier, clock, money, users
from models.errors import OfficeError, ValidationError
from ui import i18n
from ui.archive_page import table_view
from ui.form import Form
from ui.table_models import RIGHT, RowsModel


class DayClosePage(QWidget):
    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.summary: cashier.DaySummary | None = None
        today = clock.today()
        self.day = QDateEdit(QDate(today.year, today.month, today.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.who = QComboBox()
        self.who.addItem(user.display_name, user.id)
        if users.has(user, "cash.approve"):
            for u in users.all_users():
                if u.id != user.id and users.has(u, "cash.take"):
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
        self.note = self.form.add("note", self.tr("Note (over or short)"), QLineEdit())
        self.close_button = QPushButton(self.tr("Close the day"))
        self.close_button.clicked.connect(self.close_day)
        print_button = QPushButton(self.tr("Print…"))
        print_button.clicked.connect(self.print_summary)
        self.reopen_button = QPushButton(self.tr("Reopen…"))
        self.reopen_button.clicked.connect(self.reopen)
        self.reopen_button.setVisible(users.has(user, "cash.approve"))
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Day")))
        bar.addWidget(self.day)
        bar.addWidget(QLabel(self.tr("Cashier")))
        bar.addWidget(self.who)
        bar.addStretch(1)
        bar.addWidget(print_button)
        bar.addWidget(self.reopen_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.form, 1)
        bottom.addWidget(self.close_button)
        box = QVBoxLayout(self)
        box.addLayout(bar)
        box.addWidget(self.view, 1)
        box.addWidget(self.state)
        box.addLayout(bottom)
        self.load()

    @property
    def business_date(self):
        import datetime

        d = self.day.date()
        return datetime.date(d.year(), d.month(), d.day())

    def rows(self, s: cashier.DaySummary) -> list[tuple[str, str]]:
        fmt = lambda fen: money.fmt(fen, grouping=True)  # noqa: E731
        rows = [(self.tr("Receipts issued: {n}").format(n=len(s.receipts)), s.numbers)]
        rows += [(self.tr("By {method}").format(method=i18n.office(cashier.METHODS.get(m, m))), fmt(v))
                 for m, v in sorted(s.by_method.items())]
        rows += [(self.tr("Item: {item}").format(item=item), fmt(v)) for item, v in sorted(s.by_item.items())]
        rows += [(self.tr("Voided: {number} ({reason})").format(number=r.number_text, reason=r.void_reason),
                  fmt(-r.total)) for r in s.voids]
        rows += [(self.tr("Refund: {number}").format(number=r.number_text), fmt(r.total))
                 for r in s.receipts if r.kind == "refund"]
        rows.append((self.tr("Total taken"), fmt(s.total)))
        rows.append((self.tr("Cash the drawer should hold"), fmt(s.expected_cash)))
        if s.closed is not None:
            rows.append((self.tr("Cash counted"), fmt(s.closed.counted_cash)))
            rows.append((self.tr("Over (+) or short (−)"), fmt(s.closed.counted_cash - s.closed.expected_cash)))
        return rows

    def load(self) -> None:
        try:
            self.summary = cashier.day_summary(self.user, self.who.currentData(), self.business_date)
        except OfficeError as e:
            QMessageBox.warning(self, self.tr("Day close"), i18n.error_text(e))
            return
        s = self.summary
        self.model.set_rows(self.rows(s))
        self.view.resizeColumnsToContents()
        mine = self.who.currentData() == self.user.id
        closed = s.closed is not None and not s.closed.reopened
        if closed:
            self.state.setText(self.tr("Closed at {time}. {note}").format(
                time=s.closed.closed_at.strftime("%Y-%m-%d %H:%M"), note=s.closed.note))
        elif s.closed is not None:
            self.state.setText(self.tr("Reopened by a supervisor; close it again when done."))
        else:
            self.state.setText(self.tr("Open."))
        self.close_button.setEnabled(mine and not closed)
        self.counted.setEnabled(mine and not closed)
        self.note.setEnabled(mine and not closed)

    def close_day(self) -> None:
        self.form.clear_errors()
        try:
            counted = money.parse(self.counted.text() or "0")
            cashier.close_day(self.user, counted, self.note.text(), self.business_date)
        except ValidationError as e:
            rest = self.form.show_errors(e)
            if rest:
                QMessageBox.warning(self, self.tr("Day close"), rest)
            return
        except OfficeError as e:
            QMessageBox.warning(self, self.tr("Day close"), i18n.error_text(e))
            return
        self.load()

    def reopen(self) -> None:
        from ui.approval import ApprovalDialog

        cashier_id, day = self.who.currentData(), self.business_date
        dialog = ApprovalDialog(self.tr("Reopen the day"), self.tr("{name}'s day {date} will be open for changes again.")
                                .format(name=self.who.currentText(), date=day.isoformat()), "cash.approve",
                                lambda approver, reason: cashier.reopen_day(approver, cashier_id, day, reason),
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
        data = lists.ListData(title, [self.tr("What"), self.tr("Amount")], [list(r) for r in self.rows(self.summary)],
                              subtitle=self.state.text(), right_aligned=(1,), widths=(3, 1))
        dialog = PreviewDialog(lists.render(data, Letterhead.from_profile(estate.profile())), title, self,
                               file_name=f"{title}.pdf")
        dialog.exec()
        return dialog
