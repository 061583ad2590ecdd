"""放行条: a numbered pass for goods leaving the estate. The house's owners and tenants to
choose from; a tenant's pass takes the owner's authorisation; a move-out shows what the
house owes before the pass is issued; the gate's use recorded."""
from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QInputDialog, QLabel, QLineEdit

from models import clock, money, passes
from printing.registers import release_pass
from ui import i18n
from ui.form import FormDialog, fill_combo
from ui.kit import EnterMovesOn, act, datetime_edit, preview_slip, py_datetime
from ui.register_tab import RegisterTab, house_of, short


class PassDialog(FormDialog):
    def __init__(self, user, parent=None):
        super().__init__(self.tr("Release pass"), parent)
        self.user = user
        self.house_id = None
        self.owed = 0
        self.house = self.form.add("house", self.tr("House"), QLineEdit())
        self.house.setPlaceholderText(self.tr("3-2-1201, then Enter"))
        self.applicant = self.form.add("applicant", self.tr("Asked for by"), QComboBox())
        self.authorised_by = self.form.add("authorised_by", self.tr("Owner who agreed"), QComboBox())
        self.authorised_how = self.form.add("authorised_how", self.tr("How the owner agreed"),
                                            fill_combo(QComboBox(), passes.HOW, "phone"))
        self.authorised_at = self.form.add("authorised_at", self.tr("When the owner agreed"),
                                           datetime_edit(clock.now()))
        self.items = self.form.add("items", self.tr("Goods"), QLineEdit())
        self.vehicle = self.form.add("vehicle", self.tr("Vehicle plate"), QLineEdit())
        self.vehicle.setPlaceholderText("粤B12345")
        self.moving_out = self.form.add("moving_out", self.tr("Moving out"), QCheckBox(self.tr("the household moves out")))
        self.arrears = QLabel()
        self.arrears.setWordWrap(True)
        self.arrears.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.arrears_seen = self.form.add("arrears_seen", self.tr("Arrears"), QCheckBox(self.tr("told the owner")),
                                          below=self.arrears)
        self.valid_on = self.form.add("valid_on", self.tr("Good for"), QDateEdit(QDate.currentDate()))
        today = clock.today()
        self.valid_on.setDate(QDate(today.year, today.month, today.day))
        self.valid_on.setCalendarPopup(True)
        self.valid_on.setDisplayFormat("yyyy-MM-dd")
        self.applicant.currentIndexChanged.connect(lambda _i: self.show_kind())
        self.moving_out.toggled.connect(lambda _on: self.show_arrears())
        fields = [self.house, self.applicant, self.authorised_by, self.authorised_how, self.authorised_at, self.items,
                  self.vehicle, self.moving_out, self.arrears_seen, self.valid_on]
        self.enter = EnterMovesOn(fields, self.vehicle, self._save, self)
        self.enter.leaving.connect(lambda w: self.find_house() if w is self.house else None)
        self.house.editingFinished.connect(self.find_house)
        self.buttons.button(self.buttons.StandardButton.Save).setText(self.tr("Issue and print"))
        self.show_kind()

    def find_house(self) -> None:
        try:
            house = house_of(self.user, self.house)
        except Exception:  # said by the field when it is saved
            house = None
        if (house.id if house else None) == self.house_id:
            return
        self.house_id = house.id if house else None
        people = passes.people_of(self.user, house.id) if house else []
        self.applicant.clear()
        self.authorised_by.clear()
        for p in people:
            self.applicant.addItem(f"{p.name}（{i18n.office(passes.KINDS[p.kind])}）", (p.kind, p.name))
            if p.kind == "owner":
                self.authorised_by.addItem(p.name)
        self.owed = passes.owed_now(self.user, house.id) if house else 0
        self.show_kind()
        self.show_arrears()

    def show_kind(self) -> None:
        chosen = self.applicant.currentData()
        tenant = bool(chosen) and chosen[0] == "tenant"
        for name in ("authorised_by", "authorised_how", "authorised_at"):
            self.form.show_row(name, tenant)
            self.form.editor(name).setEnabled(tenant)

    def show_arrears(self) -> None:
        shown = self.moving_out.isChecked() and self.owed > 0
        self.arrears.setText(self.tr("The house owes {amount} yuan. Tell the owner before the goods go.").format(
            amount=money.fmt(self.owed, grouping=True)) if shown else "")
        self.form.show_row("arrears_seen", shown)
        self.arrears_seen.setEnabled(shown)

    def save(self):
        house = house_of(self.user, self.house, required=True)
        if house.id != self.house_id:
            self.find_house()
        kind, name = self.applicant.currentData() or ("owner", "")
        d = self.valid_on.date()
        import datetime

        return passes.issue(self.user, house_id=house.id, applicant=name, applicant_kind=kind,
                            items=self.items.text(), authorised_by=self.authorised_by.currentText(),
                            authorised_how=self.authorised_how.currentData(),
                            authorised_at=py_datetime(self.authorised_at), vehicle=self.vehicle.text(),
                            moving_out=self.moving_out.isChecked(), arrears_seen=self.arrears_seen.isChecked(),
                            valid_on=datetime.date(d.year(), d.month(), d.day()))


class PassesTab(RegisterTab):
    def __init__(self, user, parent=None):
        self.title = self.tr("Release passes")
        self.find_hint = self.tr("Pass number, house, name, goods or plate — Enter")
        self.open_label = self.tr("Not used yet")
        super().__init__(user, [
            (self.tr("No."), lambda p: p.number_text, None),
            (self.tr("Good for"), lambda p: p.valid_on.isoformat(), None),
            (self.tr("House"), lambda p: p.house.label, None),
            (self.tr("Asked for by"), lambda p: f"{p.applicant}（{i18n.office(passes.KINDS[p.applicant_kind])}）",
             None),
            (self.tr("Owner who agreed"), lambda p: p.authorised_by, None),
            (self.tr("Goods"), lambda p: p.items, None),
            (self.tr("Plate"), lambda p: p.vehicle, None),
            (self.tr("Owed"), lambda p: money.fmt(p.arrears, grouping=True) if p.moving_out and p.arrears else "",
             None),
            (self.tr("State"), lambda p: i18n.office(passes.STATES[p.state]) + (
                f" {short(p.used_at)}" if p.used_at else ""), None),
        ], parent, muted=lambda p: p.state != "issued")
        self.add_button(self.tr("New pass…"), self.new_pass, "Ctrl+N")
        self.add_button(self.tr("Used at the gate…"), self.use)
        self.add_button(self.tr("Void…"), self.void)
        self.add_button(self.tr("Print the pass…"), self.print_pass)
        self.add_print_button()
        self.load()

    def fetch(self, text, only_open):
        return passes.search(self.user, text, open_only=only_open and not text)

    def activated(self) -> None:
        self.print_pass()

    def new_pass(self):
        dialog = PassDialog(self.user, self)
        if dialog.exec():
            self.load()
            self.choose_record(dialog.result_object.id)
            return self.print_pass(dialog.result_object)
        return None

    def use(self):
        p = self.chosen(self.tr("Choose the pass the gate took"))
        if p is None:
            return None
        note, ok = QInputDialog.getText(self, self.tr("Used at the gate"), self.tr("Gate's note (may be empty)"))
        if not ok:
            return None
        done = act(self, self.title, passes.used, self.user, p.id, note)
        if done:
            self.load()
        return done

    def void(self):
        p = self.chosen(self.tr("Choose the pass to void"))
        if p is None:
            return None
        reason, ok = QInputDialog.getText(self, self.tr("Void the pass"), self.tr("Why"))
        if not ok:
            return None
        done = act(self, self.title, passes.void, self.user, p.id, reason)
        if done:
            self.load()
        return done

    def print_pass(self, p=None):
        p = p or self.chosen(self.tr("Choose a pass first"))
        if p is None:
            return None
        p = passes.get(self.user, p.id)
        return preview_slip(self, release_pass(p), self.tr("Release pass"), f"{p.number_text}.pdf")


def tour_dialog(user, tab, which: str):
    dialog = PassDialog(user, tab)
    dialog.house.setText("6-2-801")
    dialog.find_house()
    for i in range(dialog.applicant.count()):
        if dialog.applicant.itemData(i)[0] == "tenant":
            dialog.applicant.setCurrentIndex(i)
    dialog.items.setText("双人床、衣柜、冰箱、纸箱 12 个")
    dialog.vehicle.setText("粤B12345")
    dialog.moving_out.setChecked(True)
    return dialog
