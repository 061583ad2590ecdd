"""设施设备: the facility register: how many of each, where, how many out of order, the
contractor and the maintenance dates; faults (raised as repair orders), fixes and
maintenance recorded; the intact rate against the office's target."""
from __future__ import annotations

import datetime

from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLineEdit, QSpinBox

from models import clock, facilities, repairs, users
from ui import i18n
from ui.form import FormDialog, fill_combo
from ui.kit import EnterMovesOn
from ui.register_tab import RegisterTab


def _date_edit(value: datetime.date | None):
    from PySide6.QtCore import QDate

    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setSpecialValueText(" ")
    edit.setMinimumDate(QDate(2000, 1, 1))
    edit.setDate(QDate(value.year, value.month, value.day) if value else edit.minimumDate())
    return edit


def _date_of(edit) -> datetime.date | None:
    if edit.date() == edit.minimumDate():
        return None
    d = edit.date()
    return datetime.date(d.year(), d.month(), d.day())


class FacilityDialog(FormDialog):
    def __init__(self, user, facility=None, parent=None):
        super().__init__(self.tr("Facility"), parent)
        self.user, self.facility = user, facility
        f = facility
        self.kind = self.form.add("kind", self.tr("Kind"), fill_combo(QComboBox(), facilities.KINDS,
                                                                    f.kind if f else "other"))
        self.name = self.form.add("name", self.tr("Name"), QLineEdit(f.name if f else ""))
        self.place = self.form.add("place", self.tr("Where"), QLineEdit(f.place if f else ""))
        self.count = self.form.add("count", self.tr("How many"), QSpinBox())
        self.count.setRange(1, facilities.MOST_UNITS)
        self.count.setValue(f.count if f else 1)
        self.contractor = self.form.add("contractor", self.tr("Contractor"), QLineEdit(f.contractor if f else ""))
        self.contractor_phone = self.form.add("contractor_phone", self.tr("Contractor's phone"),
                                              QLineEdit(f.contractor_phone if f else ""))
        self.every_days = self.form.add("every_days", self.tr("Maintained every (days; 0: not on a schedule)"),
                                        QSpinBox())
        self.every_days.setRange(0, 3660)
        self.every_days.setValue(f.every_days if f else 0)
        self.maintained_on = self.form.add("maintained_on", self.tr("Last maintained"),
                                           _date_edit(f.maintained_on if f else None))
        self.expires_on = self.form.add("expires_on", self.tr("Good until"), _date_edit(f.expires_on if f else None))
        self.note = self.form.add("note", self.tr("Note"), QLineEdit(f.note if f else ""))

    def save(self):
        fields = dict(kind=self.kind.currentData(), name=self.name.text(), place=self.place.text(),
                      count=self.count.value(), contractor=self.contractor.text(),
                      contractor_phone=self.contractor_phone.text(), every_days=self.every_days.value(),
                      maintained_on=_date_of(self.maintained_on), expires_on=_date_of(self.expires_on),
                      note=self.note.text())
        if self.facility is None:
            return facilities.add(self.user, **fields)
        return facilities.update(self.user, self.facility.id, **fields)


class FaultDialog(FormDialog):
    def __init__(self, user, facility, parent=None):
        super().__init__(self.tr("{name}: out of order").format(name=facility.name), parent)
        self.user, self.facility = user, facility
        self.what = self.form.add("what", self.tr("What is wrong"), QLineEdit())
        self.count = self.form.add("count", self.tr("Units out of order"), QSpinBox())
        self.count.setRange(1, max(1, facility.count - facility.faulty))
        self.repair = self.form.add("repair", self.tr("Repair"), QCheckBox(self.tr("raise a repair order")))
        self.repair.setChecked(True)
        self.category = self.form.add("category", self.tr("Kind of repair"), fill_combo(
            QComboBox(), repairs.CATEGORIES, facilities.REPAIR_CATEGORY.get(facility.kind, "other")))
        self.enter = EnterMovesOn([self.what, self.count, self.repair, self.category], self.what, self._save, self)

    def save(self):
        return facilities.fault(self.user, self.facility.id, what=self.what.text(), count=self.count.value(),
                                repair_category=self.category.currentData() if self.repair.isChecked() else None)


class FacilitiesTab(RegisterTab):
    def __init__(self, user, parent=None):
        self.title = self.tr("Facilities")
        self.find_hint = self.tr("Name, place or contractor — Enter")
        self.open_label = self.tr("Out of order only")
        super().__init__(user, [
            (self.tr("Kind"), lambda f: i18n.office(facilities.KINDS[f.kind]), None),
            (self.tr("Name"), lambda f: f.name, None),
            (self.tr("Where"), lambda f: f.place, None),
            (self.tr("How many"), lambda f: str(f.count), None),
            (self.tr("Out of order"), lambda f: str(f.faulty) if f.faulty else "", None),
            (self.tr("Contractor"), lambda f: " ".join(x for x in (f.contractor, f.contractor_phone) if x), None),
            (self.tr("Maintained"), lambda f: f.maintained_on.isoformat() if f.maintained_on else "", None),
            (self.tr("Next due"), lambda f: f.maintenance_due.isoformat() if f.maintenance_due else "", None),
            (self.tr("Good until"), lambda f: f.expires_on.isoformat() if f.expires_on else "", None),
        ], parent, alert=lambda f: f.faulty > 0 or (f.expires_on is not None and f.expires_on <= clock.today()))
        self.only_open.setChecked(False)
        if users.has(user, "service.manage"):
            self.add_button(self.tr("Add…"), self.add)
            self.add_button(self.tr("Change…"), self.change)
        self.add_button(self.tr("Out of order…"), self.fault)
        self.add_button(self.tr("Fixed"), self.fixed)
        self.add_button(self.tr("Maintained today"), self.maintained)
        self.add_print_button()
        self.load()

    def fetch(self, text, only_open):
        return facilities.register(self.user, text=text, faulty_only=only_open)

    def summary_text(self, rows) -> str:
        rate = facilities.intact_rate(self.user)
        text = self.tr("Intact rate {rate}% ({intact} of {units} units), target {target}%.").format(
            rate=rate.percent_text, intact=rate.units - rate.faulty, units=rate.units, target=rate.target_percent)
        self.summary.setStyleSheet("color: #b71c1c; font-weight: bold;" if rate.below_target else "")
        return text

    def activated(self) -> None:
        self.fault()

    def add(self):
        dialog = FacilityDialog(self.user, None, self)
        if dialog.exec():
            self.load()
            self.choose_record(dialog.result_object.id)
        return dialog

    def change(self):
        f = self.chosen()
        if f is None:
            return None
        dialog = FacilityDialog(self.user, f, self)
        if dialog.exec():
            self.load()
        return dialog

    def fault(self):
        f = self.chosen(self.tr("Choose the facility out of order"))
        if f is None:
            return None
        dialog = FaultDialog(self.user, f, self)
        if dialog.exec():
            self.load()
            e = dialog.result_object
            if e.repair_id:
                self.summary.setText(self.summary.text() + " " + self.tr("Repair {number} raised.").format(
                    number=e.repair.number_text))
        return dialog

    def fixed(self):
        from ui.kit import act

        f = self.chosen(self.tr("Choose the facility fixed"))
        if f is None:
            return None
        done = act(self, self.title, facilities.fixed, self.user, f.id, count=max(1, f.faulty))
        if done:
            self.load()
        return done

    def maintained(self):
        from ui.kit import act

        f = self.chosen(self.tr("Choose the facility maintained"))
        if f is None:
            return None
        done = act(self, self.title, facilities.maintained, self.user, f.id)
        if done:
            self.load()
        return done


def tour_dialog(user, tab, which: str):
    rows = facilities.register(user)
    return FaultDialog(user, rows[0], tab) if rows else FacilityDialog(user, None, tab)
