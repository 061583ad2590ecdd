"""Fee items (收费项目): the office's price list for what it bills — price (up to 4
decimals), unit, rounding rule, meter tiers — and putting houses on a monthly item, a
building or the whole estate at once, each house from its handover date."""
from __future__ import annotations

import datetime

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QLineEdit, QMessageBox, QPushButton,
                               QVBoxLayout, QWidget)

from models import clock, estate, fees, money
from ui import i18n
from ui.kit import selected_object, table_view
from ui.form import FormDialog, fill_combo
from ui.table_models import RowsModel


def tiers_text(item: fees.FeeItem) -> str:
    """[(240, 5600), (None, 8600)] → '240:0.56, 0.86' (upper limit in units : price)."""
    parts = []
    for upto, price in item.tier_list:
        p = money.price_text(price).rstrip("0").rstrip(".")
        parts.append(f"{upto}:{p}" if upto is not None else p)
    return ", ".join(parts)


def parse_tiers(text: str) -> list:
    """'240:0.56, 400:0.61, 0.86' → [[240, 5600], [400, 6100], [None, 8600]]."""
    out = []
    for part in [p.strip() for p in text.replace("，", ",").split(",") if p.strip()]:
        if ":" in part or "：" in part:
            upto, price = part.replace("：", ":").split(":", 1)
            out.append([int(upto.strip()) if upto.strip().isdigit() else "bad", money.parse_price(price)])
        else:
            out.append([None, money.parse_price(part)])
    return out


class FeeItemDialog(FormDialog):
    def __init__(self, user, item: fees.FeeItem, parent=None):
        super().__init__(self.tr("Fee item {name}").format(name=item.name), parent)
        self.user, self.item = user, item
        f = self.form
        self.name = f.add("name", self.tr("Name"), QLineEdit(item.name))
        self.price = f.add("unit_price", self.tr("Unit price (yuan, up to 4 decimals)"),
                           QLineEdit(money.price_text(item.unit_price)))
        self.unit = f.add("unit", self.tr("Unit"), QLineEdit(item.unit))
        self.rounding = f.add("rounding", self.tr("Rounding"), fill_combo(QComboBox(), money.ROUNDING, item.rounding))
        self.tiers = f.add("tiers", self.tr("Tiers (metered)"), QLineEdit(tiers_text(item)))
        self.tiers.setPlaceholderText(self.tr("e.g. {example}").format(example="240:0.56, 400:0.61, 0.86"))
        self.tier_period = f.add("tier_period", self.tr("Tiers count"),
                                 fill_combo(QComboBox(), fees.TIER_PERIODS, item.tier_period))
        self.active = f.add("active", self.tr("In use"), QCheckBox())
        self.active.setChecked(item.active)
        metered = item.kind == "metered"
        self.tiers.setEnabled(metered)
        self.tier_period.setEnabled(metered)

    def save(self):
        from models.errors import ValidationError

        changes = dict(name=self.name.text(), unit_price=self.price.text(), unit=self.unit.text(),
                       rounding=self.rounding.currentData(), active=self.active.isChecked())
        if self.item.kind == "metered":
            try:
                changes["tiers"] = parse_tiers(self.tiers.text())
            except money.BadAmount as e:
                raise ValidationError({"tiers": (e.template, e.params)}) from None
            changes["tier_period"] = self.tier_period.currentData()
        return fees.update_item(self.user, self.item.code, **changes)


class SubscribeDialog(FormDialog):
    """Put every house of a building (or the estate) on a monthly item."""

    def __init__(self, user, item: fees.FeeItem, parent=None):
        super().__init__(self.tr("Bill {name} to houses").format(name=item.name), parent)
        self.user, self.item = user, item
        self.where = self.form.add("where", self.tr("Houses"), QComboBox())
        self.where.addItem(self.tr("The whole estate"), None)
        for b in estate.tree():
            self.where.addItem(b.name, b.id)
        today = clock.today()
        self.starts = self.form.add("starts", self.tr("From (or the handover, when later)"),
                                    QDateEdit(QDate(today.year, today.month, 1)))
        self.starts.setCalendarPopup(True)
        self.starts.setDisplayFormat("yyyy-MM-dd")

    def save(self):
        d = self.starts.date()
        ids = estate.house_ids(self.user, building_id=self.where.currentData())
        return fees.subscribe_many(self.user, self.item.code, ids, starts=datetime.date(d.year(), d.month(), d.day()))


class FeesPage(QWidget):
    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.model = RowsModel([
            (self.tr("Item"), lambda i: i.name, None),
            (self.tr("Kind"), lambda i: i18n.office(fees.KINDS.get(i.kind, i.kind)), None),
            (self.tr("Unit price"), lambda i: money.price_text(i.unit_price, i.unit) if i.unit_price else "", None),
            (self.tr("Tiers"), tiers_text, None),
            (self.tr("Rounding"), lambda i: i18n.office(money.ROUNDING.get(i.rounding, i.rounding)), None),
            (self.tr("In use"), lambda i: self.tr("Yes") if i.active else self.tr("No"), None),
        ], self, muted=lambda i: not i.active)
        self.view = table_view(self.model)
        self.view.doubleClicked.connect(lambda _: self.edit())
        edit = QPushButton(self.tr("Change…"))
        edit.clicked.connect(self.edit)
        bill = QPushButton(self.tr("Bill to houses…"))
        bill.clicked.connect(self.subscribe)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(edit)
        bar.addWidget(bill)
        box = QVBoxLayout(self)
        box.addWidget(self.view, 1)
        box.addLayout(bar)
        self.load()

    def load(self) -> None:
        self.model.set_rows(fees.items(active_only=False))
        self.view.resizeColumnsToContents()

    def chosen(self):
        item = selected_object(self.view)
        if item is None:
            QMessageBox.information(self, self.tr("Fee items"), self.tr("Choose an item in the list first"))
        return item

    def edit(self) -> None:
        item = self.chosen()
        if item is not None and FeeItemDialog(self.user, item, self).exec():
            self.load()

    def subscribe(self) -> None:
        item = self.chosen()
        if item is None:
            return
        if item.kind not in fees.SUBSCRIBED:
            QMessageBox.information(self, self.tr("Fee items"), self.tr(
                "{name} is not billed monthly: it is charged when it happens.").format(name=item.name))
            return
        dialog = SubscribeDialog(self.user, item, self)
        if dialog.exec():
            QMessageBox.information(self, self.tr("Fee items"), self.tr(
                "%n house(s) now pay {name}.", "", dialog.result_object).format(name=item.name))
