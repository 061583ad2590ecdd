"""Arrears (欠费): the houses that owe, by building, with their months and what they owe,
and the month's collection rate against the 96 % target, per item; a double-click opens
the counter on that house. The list prints (打印清单) for the phone calls."""
from __future__ import annotations

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from models import arrears, clock, estate, money
from ui.archive_page import table_view
from ui.table_models import RIGHT, RowsModel


def percent(rate) -> str:
    return "—" if rate is None else f"{float(rate) * 100:.1f}%"


class ArrearsPage(QWidget):
    open_counter = Signal(int)  # a house id

    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.where = QComboBox()
        self.where.addItem(self.tr("The whole estate"), None)
        for b in estate.tree():
            self.where.addItem(b.name, b.id)
        today = clock.today()
        self.month = QDateEdit(QDate(today.year, today.month, 1))
        self.month.setDisplayFormat("yyyy-MM")
        self.month.setCalendarPopup(True)
        self.where.currentIndexChanged.connect(lambda _i: self.load())
        self.month.dateChanged.connect(lambda _d: self.load_rate())
        print_list = QPushButton(self.tr("Print this list…"))
        print_list.clicked.connect(self.print_list)
        self.rate = QLabel()
        self.rate.setWordWrap(True)
        self.model = RowsModel([
            (self.tr("House"), lambda a: a.label, None),
            (self.tr("Owners"), lambda a: a.owners, None),
            (self.tr("Months owed"), lambda a: a.months, RIGHT),
            (self.tr("Since"), lambda a: a.oldest, None),
            (self.tr("Owed"), lambda a: money.fmt(a.owed, grouping=True), RIGHT),
        ], self, alert=lambda a: a.months >= 3)
        self.view = table_view(self.model)
        self.view.activated.connect(lambda ix: self.open_counter.emit(self.model.row_object(ix.row()).house_id))
        self.total = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Where")))
        bar.addWidget(self.where)
        bar.addWidget(QLabel(self.tr("Collection rate of")))
        bar.addWidget(self.month)
        bar.addStretch(1)
        bar.addWidget(print_list)
        box = QVBoxLayout(self)
        box.addLayout(bar)
        box.addWidget(self.rate)
        box.addWidget(self.view, 1)
        box.addWidget(self.total)
        self.load()

    @property
    def period(self) -> str:
        d = self.month.date()
        return f"{d.year()}-{d.month():02d}"

    def load(self) -> None:
        rows = arrears.by_house(self.user, building_id=self.where.currentData())
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        self.total.setText(self.tr("{n} houses owe {total} in all; red: three months or more.").format(
            n=len(rows), total=money.fmt(sum(a.owed for a in rows), grouping=True)))
        self.load_rate()

    def load_rate(self) -> None:
        c = arrears.collection(self.user, self.period)
        total = c.total
        verdict = "" if total.rate is None else (
            self.tr("on target") if total.rate >= arrears.TARGET else self.tr("below the 96 % target"))
        parts = [f"{r.item} {percent(r.rate)}" for r in c.items]
        self.rate.setText(self.tr("{period}: {paid} paid of {billed} billed, {rate} ({verdict}). {items}. "
                                  "Recovered in the month for earlier months: {recovered}.").format(
            period=self.period, paid=money.fmt(total.paid, grouping=True), billed=money.fmt(total.billed, grouping=True),
            rate=percent(total.rate), verdict=verdict, items="; ".join(parts),
            recovered=money.fmt(c.recovered, grouping=True)))

    def print_list(self):
        from ui.preview import preview_list

        dialog = preview_list(self, self.tr("Arrears — {where}").format(where=self.where.currentText()), self.model,
                              self.total.text())
        dialog.exec()
        return dialog
