"""走访: the month's visit plans by clerk and building, the visits and the problems found."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QSplitter, QVBoxLayout,
                               QWidget)

from models import clock, search, users, visits
from models.errors import QT_TRANSLATE_NOOP, ValidationError
from ui import i18n
from ui.form import FormDialog, fill_combo
from ui.kit import refusal, button, list_box, table_view
from ui.table_models import RIGHT, RowsModel
class VisitsTab(QWidget):
    """走访: the month's plans by clerk and building with their progress, the visits with the
    owners' opinions and follow-ups, and the month's problems (recurring ones named)."""

    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.month = QLineEdit(clock.today().strftime("%Y-%m"))
        self.month.setMaximumWidth(90)
        self.month.returnPressed.connect(self.load)
        self.plans_model = RowsModel([
            (self.tr("Clerk"), lambda p: p.plan.clerk.full_name, None),
            (self.tr("Building"), lambda p: p.plan.building.name, None),
            (self.tr("Houses"), lambda p: p.houses, RIGHT),
            (self.tr("Visited"), lambda p: p.visited, RIGHT),
            (self.tr("Done"), lambda p: f"{p.visited * 100 // p.houses} %" if p.houses else "", RIGHT),
        ], self)
        self.plans_view = table_view(self.plans_model)
        plan_buttons = [button(self.tr("Plan…"), self.add_plan)] if users.has(user, "service.manage") else []
        top = QWidget()
        th = QHBoxLayout(top)
        th.setContentsMargins(0, 0, 0, 0)
        th.addWidget(QLabel(self.tr("Month")))
        th.addWidget(self.month)
        th.addStretch(1)
        plans = list_box(self.tr("Visit plans"), self.plans_view, plan_buttons, top=top)
        self.visits_model = RowsModel([
            (self.tr("When"), lambda v: v.visited_at.strftime("%m-%d %H:%M"), None),
            (self.tr("House"), lambda v: v.house.label, None),
            (self.tr("By"), lambda v: v.visited_by.full_name if v.visited_by_id else "", None),
            (self.tr("Problem"), lambda v: i18n.office(visits.PROBLEMS[v.problem]), None),
            (self.tr("Opinion"), lambda v: v.opinion, None),
            (self.tr("Follow-up"), lambda v: v.follow_up + (self.tr(" (done)") if v.followed_up_at else ""), None),
        ], self, alert=lambda v: v.problem != "none" and v.followed_up_at is None)
        self.visits_view = table_view(self.visits_model)
        self.stats = QLabel()
        self.stats.setWordWrap(True)
        visit_box = list_box(self.tr("Visits this month"), self.visits_view, [
            button(self.tr("Record a visit…"), self.record), button(self.tr("Followed up"), self.followed_up),
            button(self.tr("Print…"), self.print_month)], self.stats)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(plans)
        split.addWidget(visit_box)
        split.setSizes([220, 480])
        QVBoxLayout(self).addWidget(split)
        self.load()

    def open_visit(self, visit_id: int) -> bool:
        """A visit from a house's history: its month shown, the visit chosen."""
        from ui.kit import select_record

        self.month.setText(visits.get(self.user, visit_id).visited_at.strftime("%Y-%m"))
        self.load()
        return select_record(self.visits_view, self.visits_model, visit_id)

    def load(self) -> None:
        month = self.month.text().strip()
        try:
            self.plans_model.set_rows(visits.plans(self.user, month))
            stats = visits.month_stats(self.user, month)
            self.visits_model.set_rows(visits.of_month(self.user, month))
        except ValidationError as e:
            refusal(self, self.tr("Visits"), e)
            return
        for view in (self.plans_view, self.visits_view):
            view.resizeColumnsToContents()
        problems = "、".join(f"{i18n.office(visits.PROBLEMS[k])} {n}" for k, n in stats.by_problem.items()
                            if n and k != "none")
        recurring = "、".join(i18n.office(visits.PROBLEMS[k]) for k, _n in stats.recurring)
        text = self.tr("{visits} visits to {houses} houses; problems: {problems}; follow-ups open: {open}").format(
            visits=stats.visits, houses=stats.houses, problems=problems or "—", open=stats.open_follow_ups)
        if recurring:
            text += self.tr("; recurring: {recurring}").format(recurring=recurring)
        self.stats.setText(text)
        self.stats_text = text

    def add_plan(self) -> None:
        if PlanDialog(self.user, self.month.text().strip(), self).exec():
            self.load()

    def record(self) -> None:
        if OwnerVisitDialog(self.user, self.month.text().strip(), self).exec():
            self.load()

    def followed_up(self) -> None:
        index = self.visits_view.currentIndex()
        v = self.visits_model.row_object(index.row()) if index.isValid() else None
        if v is None:
            QMessageBox.information(self, self.tr("Visits"), self.tr("Choose a visit in the list first"))
            return
        visits.followed_up(self.user, v.id)
        self.load()

    def print_month(self):
        from ui.preview import preview_list

        dialog = preview_list(self, self.tr("Visits, {month}").format(month=self.month.text().strip()),
                              self.visits_model, self.stats_text)
        dialog.exec()
        return dialog


class PlanDialog(FormDialog):
    def __init__(self, user, month: str, parent=None):
        super().__init__(self.tr("Plan visits"), parent)
        self.user = user
        self.month = self.form.add("month", self.tr("Month"), QLineEdit(month))
        self.clerk = self.form.add("clerk", self.tr("Clerk"), QComboBox())
        for u in visits.clerks(user):
            self.clerk.addItem(u.full_name, u.id)
        self.building = self.form.add("building", self.tr("Building"), QComboBox())
        for b in visits.buildings(user):
            self.building.addItem(b.name, b.id)

    def save(self):
        return visits.plan(self.user, self.clerk.currentData(), self.building.currentData(), self.month.text().strip())


class OwnerVisitDialog(FormDialog):
    """A visit to an owner: whom the clerk met, the opinion, the problem raised and what
    will be done about it."""

    def __init__(self, user, month: str, parent=None):
        super().__init__(self.tr("Record a visit"), parent)
        self.user = user
        self.house_edit = self.form.add("house", self.tr("House"), QLineEdit())
        self.house_edit.setPlaceholderText("3-2-1201")
        self.how = self.form.add("how", self.tr("How"), fill_combo(QComboBox(), visits.HOW, "visit"))
        self.met = self.form.add("met", self.tr("Spoke with"), QLineEdit())
        self.opinion = self.form.add("opinion", self.tr("The owner's opinion"), QLineEdit())
        self.problem = self.form.add("problem", self.tr("Problem raised"),
                                     fill_combo(QComboBox(), visits.PROBLEMS, "none"))
        self.follow_up = self.form.add("follow_up", self.tr("Follow-up"), QLineEdit())
        self.plans = {p.plan.building_id: p.plan.id for p in visits.plans(user, month, user.id)} \
            if month else {}

    def save(self):
        house = search.the_house(self.user, self.house_edit.text().strip()) if self.house_edit.text().strip() else None
        if house is None:
            raise ValidationError({"house": (QT_TRANSLATE_NOOP("Office", "No such house"), {})})
        return visits.record(self.user, house.id, opinion=self.opinion.text(), problem=self.problem.currentData(),
                             how=self.how.currentData(), met=self.met.text(), follow_up=self.follow_up.text(),
                             plan_id=self.plans.get(house.unit.building_id))
