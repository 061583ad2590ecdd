"""Fee items (收费项目): the office's price list for what it bills — price (up to 4
decimals), unit, rounding rule, meter tiers — and putting houses on a monthly item, a
building or the whole estate at once, each house from its handover date; below, the price
list of paid services (有偿服务价目表) the counter charges from (F6 at the counter)."""
from __future__ import annotations

import datetime

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QLineEdit, QMessageBox, QPushButton,
                               QVBoxLayout, QWidget)

from models import clock, estate, fees, money, pricelist
from ui import i18n
from ui.kit import list_box, price_words, selected_object, table_view
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


class PriceEntryDialog(FormDialog):
    """A paid service on the price list: its fee item, a price per unit or a share of an
    amount the clerk types when charging (the month's rent)."""

    def __init__(self, user, entry: pricelist.PriceEntry | None = None, parent=None):
        super().__init__(self.tr("Paid service {name}").format(name=entry.name) if entry else
                         self.tr("New paid service"), parent)
        self.user, self.entry = user, entry
        f = self.form
        self.name = f.add("name", self.tr("Name"), QLineEdit(entry.name if entry else ""))
        self.item = f.add("item", self.tr("Fee item"), QComboBox())
        for it in pricelist.chargeable_items():
            self.item.addItem(it.name, it.code)
        self.item.setCurrentIndex(max(0, self.item.findData(entry.item.code if entry else "service_paid")))
        self.pricing = f.add("pricing", self.tr("Priced"), fill_combo(QComboBox(), pricelist.PRICING,
                                                                      entry.pricing if entry else "unit"))
        self.price = f.add("price", self.tr("Price (yuan)"), QLineEdit(money.fmt(entry.price) if entry and entry.price
                                                                       else ""))
        self.unit = f.add("unit", self.tr("Per"), QLineEdit(entry.unit if entry else ""))
        self.unit.setPlaceholderText(self.tr("个, 次, 小时 …"))
        self.share = f.add("share", self.tr("Share (%)"), QLineEdit(entry.share if entry else ""))
        self.base = f.add("base", self.tr("Of"), QLineEdit(entry.base if entry else ""))
        self.base.setPlaceholderText(self.tr("月租金 …"))
        self.note = f.add("note", self.tr("Note"), QLineEdit(entry.note if entry else ""))
        self.active = f.add("active", self.tr("In use"), QCheckBox())
        self.active.setChecked(entry.active if entry else True)
        self.pricing.currentIndexChanged.connect(lambda _i: self.shown())
        self.shown()

    def shown(self) -> None:
        unit = self.pricing.currentData() == "unit"
        for name in ("price", "unit"):
            self.form.show_row(name, unit)
        for name in ("share", "base"):
            self.form.show_row(name, not unit)

    def save(self):
        return pricelist.save(self.user, name=self.name.text(), item_code=self.item.currentData() or "",
                              pricing=self.pricing.currentData(), price=self.price.text(), unit=self.unit.text(),
                              share=self.share.text(), base=self.base.text(), note=self.note.text(),
                              active=self.active.isChecked(), entry_id=self.entry.id if self.entry else None)


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
        self.services = RowsModel([
            (self.tr("Paid service"), lambda e: e.name, None),
            (self.tr("Fee item"), lambda e: e.item.name, None),
            (self.tr("Price"), price_words, None),
            (self.tr("Note"), lambda e: e.note, None),
            (self.tr("In use"), lambda e: self.tr("Yes") if e.active else self.tr("No"), None),
        ], self, muted=lambda e: not e.active)
        self.services_view = table_view(self.services)
        self.services_view.doubleClicked.connect(lambda _: self.edit_service())
        add_service = QPushButton(self.tr("Add a service…"))
        add_service.clicked.connect(lambda: self.edit_service(new=True))
        edit_service = QPushButton(self.tr("Change…"))
        edit_service.clicked.connect(lambda: self.edit_service())
        box = QVBoxLayout(self)
        box.addWidget(list_box(self.tr("Fee items"), self.view, [edit, bill]), 3)
        box.addWidget(list_box(self.tr("Price list of paid services (charged at the counter with F6)"),
                               self.services_view, [add_service, edit_service]), 2)
        self.load()

    def load(self) -> None:
        self.model.set_rows(fees.items(active_only=False))
        self.view.resizeColumnsToContents()
        self.services.set_rows(pricelist.entries(active_only=False))
        self.services_view.resizeColumnsToContents()

    def edit_service(self, new: bool = False, exec_dialog: bool = True):
        entry = None
        if not new:
            entry = selected_object(self.services_view)
            if entry is None:
                QMessageBox.information(self, self.tr("Fee items"), self.tr("Choose a service in the list first"))
                return None
        dialog = PriceEntryDialog(self.user, entry, self)
        if exec_dialog and dialog.exec():
            self.load()
        return dialog

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
