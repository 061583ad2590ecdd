"""前台: the front desk's tabs on one page; what is overdue shows on top when it opens."""
from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from models import keys, lending, users
from ui.desk.handbook import HandbookTab
from ui.desk.keys import KeysTab
from ui.desk.lending import ItemsTab
from ui.desk.parcels import ParcelsTab
from ui.reflow import ElidedButton


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
        from ui.kit import select_record

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
