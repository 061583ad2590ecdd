"""报修: the service desk's tabs on one page."""
from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget
from ui.kit import select_record
from ui.service.complaints import ComplaintsTab
from ui.service.due import DueTab
from ui.service.renovation import RenovationTab
from ui.service.repairs import RepairsTab
from ui.service.survey import SurveyTab
from ui.service.vacant import VacantTab
from ui.service.visits import VisitsTab


class ServicePage(QWidget):
    """报修: what is due now, repairs and complaints."""

    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.tabs = QTabWidget()
        self.repairs = RepairsTab(user)
        self.complaints = ComplaintsTab(user)
        self.due = DueTab(user, self)
        self.tabs.addTab(self.due, self.tr("Due now"))
        self.tabs.addTab(self.repairs, self.tr("Repairs"))
        self.tabs.addTab(self.complaints, self.tr("Complaints"))
        self.visits = VisitsTab(user)
        self.tabs.addTab(self.visits, self.tr("Visits"))
        self.survey = SurveyTab(user)
        self.tabs.addTab(self.survey, self.tr("Survey"))
        self.vacant = VacantTab(user)
        self.tabs.addTab(self.vacant, self.tr("Vacant houses"))
        self.renovation = RenovationTab(user)
        self.tabs.addTab(self.renovation, self.tr("Renovations"))
        self.tabs.setCurrentWidget(self.repairs)
        QVBoxLayout(self).addWidget(self.tabs)

    def open_record(self, table: str, record_id: int) -> None:
        """Show a repair or a complaint, chosen in its list (a vacant house: in the vacant list)."""
        if table == "vacant":
            self.tabs.setCurrentWidget(self.vacant)
            self.vacant.open_house(record_id)
            return
        if table == "renovation":
            self.tabs.setCurrentWidget(self.renovation)
            self.renovation.open_case(record_id)
            return
        if table == "visit":
            self.tabs.setCurrentWidget(self.visits)
            self.visits.open_visit(record_id)
            return
        tab = self.repairs if table == "repair" else self.complaints
        self.tabs.setCurrentWidget(tab)
        tab.load()
        select_record(tab.view, tab.model, record_id)

    def focus_search(self) -> None:
        self.due.load()
        self.repairs.load()
        self.complaints.load()
        self.vacant.load()
        self.renovation.load()
        if self.tabs.currentWidget() is self.repairs:
            self.repairs.focus_first()
