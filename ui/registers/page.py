"""登记簿: the desk's registers that were paper books beside the computer, one tab each."""
from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from models import users
from ui.registers.facilities import FacilitiesTab
from ui.registers.incidents import IncidentsTab
from ui.registers.left_items import LeftItemsTab
from ui.registers.messages import MessagesTab
from ui.registers.passes import PassesTab
from ui.registers.patrols import PatrolsTab
from ui.registers.shifts import HandoversTab
from ui.registers.visitors import VisitorsTab


class RegistersPage(QWidget):
    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.tabs = QTabWidget()
        self.tabs.setUsesScrollButtons(True)
        self.messages = MessagesTab(user)
        self.tabs.addTab(self.messages, self.tr("Messages"))
        self.handovers = HandoversTab(user)
        self.tabs.addTab(self.handovers, self.tr("Shift handovers"))
        self.visitors = VisitorsTab(user)
        self.tabs.addTab(self.visitors, self.tr("Visitors"))
        self.passes = PassesTab(user)
        self.tabs.addTab(self.passes, self.tr("Release passes"))
        self.left_items = LeftItemsTab(user)
        self.tabs.addTab(self.left_items, self.tr("Left at the desk"))
        # the table a record of 今日 or of the history is kept in → the tab that shows it
        self.by_table = {"desk_message": self.messages, "shift_handover": self.handovers, "visitor": self.visitors,
                         "release_pass": self.passes, "left_item": self.left_items}
        if users.has(user, "service.desk"):
            self.patrols = PatrolsTab(user)
            self.tabs.addTab(self.patrols, self.tr("Patrols"))
            self.facilities = FacilitiesTab(user)
            self.tabs.addTab(self.facilities, self.tr("Facilities"))
            self.incidents = IncidentsTab(user)
            self.tabs.addTab(self.incidents, self.tr("Incidents"))
            self.by_table.update(patrol=self.patrols, patrol_round=self.patrols, facility=self.facilities,
                                 incident=self.incidents)
        self.tabs.currentChanged.connect(lambda _i: self.tabs.currentWidget().load())
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.tabs)

    def open_record(self, table: str, record_id: int) -> None:
        tab = self.by_table.get(table)
        if tab is None:
            return
        self.tabs.setCurrentWidget(tab)
        if tab.only_open is not None and not tab.find.text():
            tab.load()
            if not tab.choose_record(record_id):  # done meanwhile: the whole register
                tab.only_open.setChecked(False)
                tab.choose_record(record_id)
        else:
            tab.load()
            tab.choose_record(record_id)

    def focus_search(self) -> None:
        tab = self.tabs.currentWidget()
        tab.load()
        tab.focus_first()
