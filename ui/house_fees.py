"""A house's own monthly fees (a parking space, a storage room): put on from the house's
archive, and ended on the last day billed."""
from __future__ import annotations

import datetime

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QLineEdit

from models import clock, estate, fees, money
from ui.form import FormDialog


class HouseFeeDialog(FormDialog):
    """Put one house on a monthly item: a parking space, a storage room, its own price."""

    def __init__(self, user, house_id: int, parent=None):
        super().__init__(self.tr("Add a monthly fee"), parent)
        self.user, self.house_id = user, house_id
        self.item = self.form.add("item", self.tr("Item"), QComboBox())
        for it in fees.items():
            if it.kind in fees.SUBSCRIBED:
                self.item.addItem(f"{it.name}  {money.price_text(it.unit_price, it.unit)}", it.code)
        self.quantity = self.form.add("quantity", self.tr("Quantity (spaces, rooms …)"), QLineEdit("1"))
        self.price = self.form.add("unit_price", self.tr("This house's own price (empty: the item's)"), QLineEdit())
        house = estate.get_house(house_id)
        start = house.handover_date or clock.today()
        self.starts = self.form.add("starts", self.tr("From"), QDateEdit(QDate(start.year, start.month, start.day)))
        self.starts.setCalendarPopup(True)
        self.starts.setDisplayFormat("yyyy-MM-dd")

    def save(self):
        from models.errors import ValidationError

        errors = {}
        quantity = int(self.quantity.text()) if self.quantity.text().strip().isdigit() else 0
        price = None
        if self.price.text().strip():
            try:
                price = money.parse_price(self.price.text())
            except money.BadAmount as e:
                errors["unit_price"] = (e.template, e.params)
        if errors:
            raise ValidationError(errors)
        d = self.starts.date()
        return fees.subscribe(self.user, self.house_id, self.item.currentData(), quantity=quantity, unit_price=price,
                              starts=datetime.date(d.year(), d.month(), d.day()))


class EndFeeDialog(FormDialog):
    def __init__(self, user, subscription: fees.Subscription, parent=None):
        super().__init__(self.tr("End {name}").format(name=subscription.item.name), parent)
        self.user, self.subscription = user, subscription
        today = clock.today()
        self.ends = self.form.add("ends", self.tr("Last day billed"), QDateEdit(QDate(today.year, today.month,
                                                                                     today.day)))
        self.ends.setCalendarPopup(True)
        self.ends.setDisplayFormat("yyyy-MM-dd")

    def save(self):
        d = self.ends.date()
        return fees.end_subscription(self.user, self.subscription.id, datetime.date(d.year(), d.month(), d.day()))
