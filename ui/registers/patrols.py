"""巡查: the daily patrol by route. Each checkpoint in order with Enter, or a finding (what,
a photo, the facility) raised as a repair order in the same key; the round finished; its
record printed."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QInputDialog, QLabel, QLineEdit,
                               QMessageBox, QPlainTextEdit, QPushButton, QSpinBox, QVBoxLayout)

from models import facilities, patrols, repairs, users
from printing.registers import patrol_record
from ui.form import Form, FormDialog, fill_combo
from ui.kit import EnterMovesOn, LATE, PhotoField, act, preview_slip, table_view
from ui.register_tab import RegisterTab, short, when
from ui.reflow import FlowLayout
from ui.table_models import RowsModel


class RouteDialog(FormDialog):
    def __init__(self, user, route=None, parent=None):
        super().__init__(self.tr("Patrol route"), parent)
        self.user, self.route = user, route
        self.name = self.form.add("name", self.tr("Route"), QLineEdit(route.name if route else ""))
        self.points = self.form.add("checkpoints", self.tr("Checkpoints, in walking order, one a line"),
                                    QPlainTextEdit("\n".join(p.name for p in patrols.checkpoints(user, route.id))
                                                   if route else ""))

    def save(self):
        return patrols.save_route(self.user, self.name.text(), self.points.toPlainText().splitlines(),
                                  self.route.id if self.route else None)


class PatrolDialog(QDialog):
    """One round: the route's checkpoints; Enter on one marks it in order; a finding typed
    under it and Enter records it, raised as a repair order unless unticked."""

    def __init__(self, user, round_, parent=None):
        super().__init__(parent)
        self.user, self.round = user, round_
        self.setWindowTitle(self.tr("Patrol: {route}, {walker}").format(route=round_.route.name, walker=round_.walker))
        self.model = RowsModel([
            (self.tr("Checkpoint"), lambda p: p.name, None),
            (self.tr("Found"), self._found, None),
        ], self, shade=lambda p: LATE if self._state(p) == "finding" else None)
        self.view = table_view(self.model)
        self.view.activated.connect(lambda _ix: self.in_order())
        self.form = Form()
        self.what = self.form.add("what", self.tr("Finding"), QLineEdit())
        self.what.setPlaceholderText(self.tr("what is wrong, then Enter: a repair order"))
        self.facility = self.form.add("facility", self.tr("Facility"), QComboBox())
        self.facility.addItem(self.tr("none"), None)
        for f in facilities.register(user):
            self.facility.addItem(f"{f.name}（{f.place}）", f.id)
        self.faulty = self.form.add("facility_faulty", self.tr("Units out of order"), QSpinBox())
        self.faulty.setRange(0, facilities.MOST_UNITS)
        self.repair = self.form.add("raise_repair", self.tr("Repair"), QCheckBox(self.tr("raise a repair order")))
        self.repair.setChecked(True)
        self.category = self.form.add("category", self.tr("Kind of repair"), fill_combo(QComboBox(),
                                                                                     repairs.CATEGORIES, "other"))
        self.photo = self.form.add("photo", self.tr("Photo"), PhotoField())
        self.facility.currentIndexChanged.connect(lambda _i: self._facility_chosen())
        self.enter = EnterMovesOn([self.what, self.facility, self.faulty, self.repair, self.category], self.what,
                                  self.finding, self)
        ok = QPushButton(self.tr("In order"))
        ok.clicked.connect(self.in_order)
        found = QPushButton(self.tr("Record the finding"))
        found.clicked.connect(self.finding)
        finish = QPushButton(self.tr("Finish the patrol…"))
        finish.clicked.connect(self.finish)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        self.state = QLabel()
        self.state.setWordWrap(True)
        box = QVBoxLayout(self)
        box.addWidget(self.view, 1)
        box.addWidget(self.form)
        row = FlowLayout()
        row.addWidget(self.state, 1)
        for b in (ok, found, finish):
            row.addWidget(b)
        row.addWidget(close)
        box.addLayout(row)
        self.resize(760, 640)
        self.load()

    def keyPressEvent(self, event):  # noqa: N802
        # Enter is the list's (in order) or the finding's (recorded): never a button's
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def _state(self, p) -> str:
        c = self.checks.get(p.id)
        return "" if c is None else "ok" if c.ok else "finding"

    def _found(self, p) -> str:
        c = self.checks.get(p.id)
        if c is None:
            return ""
        text = f"{short(c.at)} " + (self.tr("in order") if c.ok else c.what)
        return text + (f"  → {c.repair.number_text}" if c.repair_id else "")

    def _facility_chosen(self) -> None:
        f = facilities.get(self.user, self.facility.currentData()) if self.facility.currentData() else None
        self.faulty.setValue(1 if f is not None else 0)
        if f is not None:
            self.category.setCurrentIndex(max(0, self.category.findData(facilities.REPAIR_CATEGORY.get(f.kind))))

    def load(self) -> None:
        done = patrols.checks(self.user, self.round.id)
        self.checks = {c.checkpoint_id: c for c in done if c.checkpoint_id}
        points = patrols.checkpoints(self.user, self.round.route_id)
        current = self.view.currentIndex().row()
        self.model.set_rows(points)
        self.view.resizeColumnsToContents()
        left = [p for p in points if p.id not in self.checks]
        findings = sum(1 for c in done if not c.ok)
        self.state.setText(self.tr("{left} of {n} checkpoints to go, {findings} findings.").format(
            left=len(left), n=len(points), findings=findings))
        nxt = next((i for i, p in enumerate(points) if p.id not in self.checks), max(current, 0))
        if points:
            self.view.selectRow(nxt)

    def point(self):
        row = self.view.currentIndex().row()
        return self.model.row_object(row)

    def in_order(self):
        p = self.point()
        if p is None:
            return None
        done = act(self, self.windowTitle(), patrols.check, self.user, self.round.id, checkpoint_id=p.id, ok=True)
        if done:
            self.load()
            self.view.setFocus()
        return done

    def finding(self):
        p = self.point()
        done = act(self, self.windowTitle(), patrols.check, self.user, self.round.id,
                   checkpoint_id=p.id if p else None, ok=False, what=self.what.text(),
                   photo=self.photo.path, facility_id=self.facility.currentData(),
                   raise_repair=self.repair.isChecked(), category=self.category.currentData(),
                   facility_faulty=self.faulty.value() if self.facility.currentData() else 0, form=self.form)
        if done:
            self.what.clear()
            self.photo.clear()
            self.facility.setCurrentIndex(0)
            self.load()
            self.view.setFocus()
        return done

    def finish(self):
        missed = patrols.unchecked(self.user, self.round.id)
        note = ""
        if missed:
            note, ok = QInputDialog.getText(self, self.tr("Finish the patrol"), self.tr(
                "Not reached: {names}. Why?").format(names="、".join(p.name for p in missed)))
            if not ok:
                return None
        done = act(self, self.windowTitle(), patrols.finish, self.user, self.round.id, note)
        if done:
            self.accept()
        return done


class PatrolsTab(RegisterTab):
    def __init__(self, user, parent=None):
        self.title = self.tr("Patrols")
        self.find_hint = self.tr("The patrols, newest first")
        super().__init__(user, [
            (self.tr("Started"), lambda r: when(r.started_at), None),
            (self.tr("Route"), lambda r: r.route.name, None),
            (self.tr("Walked by"), lambda r: r.walker, None),
            (self.tr("Finished"), lambda r: short(r.finished_at) or self.tr("under way"), None),
            (self.tr("Note"), lambda r: r.note, None),
        ], parent, alert=lambda r: r.finished_at is None)
        self.find.hide()
        self.add_button(self.tr("Start a patrol…"), self.start, "Ctrl+N")
        self.add_button(self.tr("Go on…"), self.go_on)
        self.add_button(self.tr("Print the record…"), self.print_record)
        if users.has(user, "service.manage"):
            self.add_button(self.tr("Routes…"), self.edit_routes)
        self.load()

    def fetch(self, text, only_open):
        return patrols.rounds(self.user)

    def summary_text(self, rows) -> str:
        from models import clock

        due = patrols.missing_today(self.user)
        if due is None:
            return self.tr("Today's patrol is done.") if patrols.routes(self.user) else self.tr(
                "No patrol route yet: a supervisor sets the routes.")
        return self.tr("Today's patrol is due by {at}.").format(at=due.strftime("%H:%M")) + (
            "" if clock.now() < due else " " + self.tr("It is late."))

    def activated(self) -> None:
        self.go_on()

    def start(self):
        route_list = patrols.routes(self.user)
        if not route_list:
            QMessageBox.information(self, self.title, self.tr("No patrol route yet: a supervisor sets the routes."))
            return None
        names = [r.name for r in route_list]
        name, ok = QInputDialog.getItem(self, self.tr("Start a patrol"), self.tr("Route"), names, 0, False)
        if not ok:
            return None
        done = act(self, self.title, patrols.start, self.user, route_list[names.index(name)].id)
        if not done:
            return None
        self.load()
        return self.walk(done.value)

    def go_on(self):
        r = self.chosen(self.tr("Choose a patrol first"))
        if r is None:
            return None
        if r.finished_at is not None:
            return self.print_record(r)
        return self.walk(r)

    def walk(self, r):
        dialog = PatrolDialog(self.user, patrols.get(self.user, r.id), self)
        finished = dialog.exec()
        self.load()
        self.choose_record(r.id)
        if finished:
            return self.print_record(r)
        return dialog

    def print_record(self, r=None):
        r = r or self.chosen(self.tr("Choose a patrol first"))
        if r is None:
            return None
        r = patrols.get(self.user, r.id)
        missed = patrols.unchecked(self.user, r.id)
        return preview_slip(self, patrol_record(r, patrols.checks(self.user, r.id), missed),
                            self.tr("Patrol record"), f"XC{r.id:06d}.pdf")

    def edit_routes(self):
        route_list = patrols.routes(self.user)
        names = [self.tr("New route…")] + [r.name for r in route_list]
        name, ok = QInputDialog.getItem(self, self.tr("Routes"), self.tr("Route"), names, 0, False)
        if not ok:
            return None
        route = None if name == names[0] else route_list[names.index(name) - 1]
        dialog = RouteDialog(self.user, route, self)
        dialog.exec()
        self.load()
        return dialog


def tour_dialog(user, tab, which: str):
    rounds = patrols.rounds(user)
    return PatrolDialog(user, rounds[0], tab) if rounds else RouteDialog(user, None, tab)


