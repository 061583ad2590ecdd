"""The archive's forms: building, unit, house, owner, resident, document. Each gathers
the fields, calls one core function, and shows its refusals next to the fields; nothing
is written while a field is invalid."""
from __future__ import annotations

import datetime

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox,
                               QFileDialog, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QMessageBox, QPlainTextEdit, QPushButton,
                               QSpinBox, QVBoxLayout, QWidget)

from models import documents, estate, owners, validation
from ui.kit import act
from ui import i18n, prefs
from ui.form import FormDialog, fill_combo


def to_date(edit: QDateEdit) -> datetime.date:
    d = edit.date()
    return datetime.date(d.year(), d.month(), d.day())


def date_edit(value: datetime.date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    from models import clock
    value = value or clock.today()
    edit.setDate(QDate(value.year, value.month, value.day))
    return edit


class BuildingDialog(FormDialog):
    def __init__(self, user, parent=None):
        super().__init__(self.tr("Add a building"), parent)
        self.user = user
        self.code = self.form.add("code", self.tr("Building number"), QLineEdit())
        self.code.setPlaceholderText(self.tr("e.g. {example}").format(example="3"))
        self.name = self.form.add("name", self.tr("Name"), QLineEdit())
        self.name.setPlaceholderText(self.tr("e.g. 3栋 (left empty: made from the number)"))
        self.floors = self.form.add("floors", self.tr("Floors"), QSpinBox())
        self.floors.setRange(0, 200)

    def save(self):
        return estate.create_building(self.user, self.code.text(), self.name.text(), self.floors.value())


class UnitDialog(FormDialog):
    def __init__(self, user, building_id: int, building_name: str, parent=None):
        super().__init__(self.tr("Add a unit to {building}").format(building=building_name), parent)
        self.user, self.building_id = user, building_id
        self.code = self.form.add("code", self.tr("Unit number"), QLineEdit())
        self.code.setPlaceholderText(self.tr("e.g. {example}").format(example="2"))
        self.name = self.form.add("name", self.tr("Name"), QLineEdit())

    def save(self):
        return estate.create_unit(self.user, self.building_id, self.code.text(), self.name.text())


class HouseDialog(FormDialog):
    """Add a house to a unit, or change one."""

    def __init__(self, user, unit_id: int | None = None, house=None, parent=None):
        title = self.tr("Change house {label}").format(label=house.label) if house else self.tr("Add a house")
        super().__init__(title, parent)
        self.user, self.unit_id, self.house = user, unit_id, house
        f = self.form
        self.number = f.add("number", self.tr("House number"), QLineEdit(house.number if house else ""))
        self.number.setPlaceholderText(self.tr("e.g. {example}").format(example="1201"))
        self.area = f.add("area", self.tr("Floor area (m²)"),
                          QLineEdit(estate.fmt_area(house.area) if house else ""))
        self.area.setPlaceholderText(self.tr("e.g. {example}").format(example="89.50"))
        self.use = f.add("use", self.tr("Use"), fill_combo(QComboBox(), estate.USES, house and house.use))
        self.right_type = f.add("right_type", self.tr("Property right"),
                                fill_combo(QComboBox(), estate.RIGHT_TYPES, house and house.right_type))
        self.state = f.add("state", self.tr("State"),
                           fill_combo(QComboBox(), estate.STATES, house and house.state))
        self.special = f.add("special_needs", self.tr("Special needs"), QLineEdit(house.special_needs if house else ""))
        self.special.setPlaceholderText(self.tr("elderly living alone, disability, infant …"))
        self.note = f.add("note", self.tr("Note"), QLineEdit(house.note if house else ""))

    def save(self):
        fields = dict(number=self.number.text(), area=self.area.text(), use=self.use.currentData(),
                      right_type=self.right_type.currentData(), state=self.state.currentData(),
                      special_needs=self.special.text(), note=self.note.text())
        if self.house is None:
            return estate.create_house(self.user, self.unit_id, **fields)
        same = {k: v for k, v in fields.items()
                if k in ("number", "area", "use", "right_type") and
                (estate.fmt_area(self.house.area) if k == "area" else getattr(self.house, k)) == v}
        for k in same:  # unchanged structural fields need no structural permission
            fields.pop(k)
        return estate.update_house(self.user, self.house.id, **fields)


class OwnerDialog(FormDialog):
    """A new owner of a house, or changes to an owner (personal data shown masked)."""

    def __init__(self, user, house_id: int | None = None, owner=None, parent=None):
        super().__init__(self.tr("Change owner {name}").format(name=owner.name) if owner
                         else self.tr("Add an owner"), parent)
        self.user, self.house_id, self.owner = user, house_id, owner
        f = self.form
        o = owner
        self.name = f.add("name", self.tr("Name"), QLineEdit(o.name if o else ""))
        self.gender = f.add("gender", self.tr("Gender"), fill_combo(QComboBox(), owners.GENDERS, o and o.gender))
        self.id_type = f.add("id_type", self.tr("ID document"),
                             fill_combo(QComboBox(), validation.ID_TYPES, o.id_type if o else "resident_id"))
        self.id_number = f.add("id_number", self.tr("ID number"), QLineEdit())
        self.phone = f.add("phone", self.tr("Phone"), QLineEdit())
        self.phone2 = f.add("phone2", self.tr("Second phone"), QLineEdit())
        if o:
            # personal data is never put into a form in clear: type a new value to change it
            self.id_number.setPlaceholderText(o.id_masked or self.tr("(none)"))
            self.phone.setPlaceholderText(o.phone_masked or self.tr("(none)"))
            self.phone2.setPlaceholderText(validation.mask_phone(o.phone2) or self.tr("(none)"))
        self.occupation = f.add("occupation", self.tr("Occupation"), QLineEdit(o.occupation if o else ""))
        self.employer = f.add("employer", self.tr("Employer"), QLineEdit(o.employer if o else ""))
        self.work_address = f.add("work_address", self.tr("Work address"), QLineEdit(o.work_address if o else ""))
        self.education = f.add("education", self.tr("Education"),
                               fill_combo(QComboBox(), {e: e for e in owners.EDUCATION}, o and o.education))
        self.hometown = f.add("hometown", self.tr("Hometown"), QLineEdit(o.hometown if o else ""))
        self.note = f.add("note", self.tr("Note"), QLineEdit(o.note if o else ""))
        if o is None:
            # the new owner's link to this house: since when, and primary owner or co-owner
            has_owner = owners.has_owner(house_id)
            self.role = f.add("role", self.tr("Role"), QComboBox())
            self.role.addItem(self.tr("Primary owner"), True)
            self.role.addItem(self.tr("Co-owner"), False)
            self.role.setCurrentIndex(1 if has_owner else 0)
            handover = estate.get_house(house_id).handover_date if house_id else None
            self.since = f.add("since", self.tr("Owner since"), date_edit(handover))

    def fields(self) -> dict:
        fields = dict(name=self.name.text(), gender=self.gender.currentData(),
                      id_type=self.id_type.currentData(), occupation=self.occupation.text(),
                      employer=self.employer.text(), work_address=self.work_address.text(),
                      education=self.education.currentData(), hometown=self.hometown.text(),
                      note=self.note.text())
        for key, edit in (("id_number", self.id_number), ("phone", self.phone), ("phone2", self.phone2)):
            if edit.text().strip() or self.owner is None:
                fields[key] = edit.text()
        return fields

    def save(self):
        if self.owner is None:
            return owners.add_owner(self.user, self.house_id, since=to_date(self.since),
                                    primary=self.role.currentData(), **self.fields())
        return owners.update_owner(self.user, self.owner.id, **self.fields())


class ResidentDialog(FormDialog):
    def __init__(self, user, house_id: int | None = None, resident=None, parent=None):
        super().__init__(self.tr("Change resident {name}").format(name=resident.name) if resident
                         else self.tr("Add a household member or tenant"), parent)
        self.user, self.house_id, self.resident = user, house_id, resident
        r = resident
        f = self.form
        self.kind = f.add("kind", self.tr("Kind"), fill_combo(QComboBox(), owners.RESIDENT_KINDS, r and r.kind))
        self.name = f.add("name", self.tr("Name"), QLineEdit(r.name if r else ""))
        self.relation = f.add("relation", self.tr("Relation to the owner"), QComboBox())
        self.relation.setEditable(True)
        for rel in owners.RELATIONS:
            self.relation.addItem(i18n.office(rel))
        self.relation.setCurrentText(r.relation if r else "")
        self.age = f.add("age", self.tr("Age"), QLineEdit("" if not r or r.age is None else str(r.age)))
        self.phone = f.add("phone", self.tr("Phone"), QLineEdit())
        if r:
            self.phone.setPlaceholderText(r.phone_masked or self.tr("(none)"))
        self.category = f.add("category", self.tr("Resident category"),
                              fill_combo(QComboBox(), owners.RESIDENT_CATEGORIES, r.category if r else "local"))
        self.moved_in = f.add("moved_in", self.tr("Moved in"), date_edit(r.moved_in if r else None))
        self.note = f.add("note", self.tr("Note"), QLineEdit(r.note if r else ""))

    def save(self):
        fields = dict(kind=self.kind.currentData(), name=self.name.text(),
                      relation=self.relation.currentText(), age=self.age.text(),
                      category=self.category.currentData(), note=self.note.text(),
                      moved_in=to_date(self.moved_in))
        if self.phone.text().strip() or self.resident is None:
            fields["phone"] = self.phone.text()
        if self.resident is None:
            return owners.add_resident(self.user, self.house_id, **fields)
        return owners.update_resident(self.user, self.resident.id, **fields)


class MoveOutDialog(FormDialog):
    """The day a resident left; the record stays in the archive."""

    def __init__(self, user, resident, parent=None):
        super().__init__(self.tr("Move out {name}").format(name=resident.name), parent)
        self.user, self.resident = user, resident
        self.on = self.form.add("moved_out", self.tr("Moved out on"), date_edit())

    def save(self):
        return owners.move_out(self.user, self.resident.id, to_date(self.on))


class LinkOwnerDialog(QDialog):
    """An owner already in the archive takes this house too (one owner, several houses)."""

    def __init__(self, user, house_id: int, parent=None):
        super().__init__(parent)
        self.user, self.house_id = user, house_id
        self.setWindowTitle(self.tr("Add an existing owner"))
        self.query = QLineEdit()
        self.query.setPlaceholderText(self.tr("Name, pinyin, initials or last 4 phone digits"))
        self.list = QListWidget()
        self.primary = QCheckBox(self.tr("Primary owner"))
        self.query.textChanged.connect(self.refresh)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.link)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        for w in (self.query, self.list, self.primary, buttons):
            box.addWidget(w)

    def refresh(self) -> None:
        self.list.clear()
        for o in owners.find_owners(self.user, self.query.text()):
            item = QListWidgetItem(f"{o.name}  {o.phone_masked}")
            item.setData(256, o.id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def link(self) -> None:
        item = self.list.currentItem()
        if item is None:
            QMessageBox.information(self, self.windowTitle(), self.tr("Find and choose an owner first"))
            return
        done = act(self, self.windowTitle(), owners.link_owner, self.user, self.house_id, item.data(256),
                   primary=self.primary.isChecked() or None)
        if not done:
            return
        self.accept()


class DocumentDialog(FormDialog):
    """Mark one paper of the checklist received (with date and scan) or missing."""

    def __init__(self, user, house_id: int, line: documents.ChecklistLine, parent=None):
        super().__init__(i18n.office(line.label), parent)
        self.user, self.house_id, self.line = user, house_id, line
        self.received = self.form.add("received", self.tr("Received"), QCheckBox())
        self.received.setChecked(True)
        self.received_on = self.form.add("received_on", self.tr("Date received"), date_edit(line.received_on))
        scan_row = QHBoxLayout()
        self.scan_label = QLabel(line.scan_name or self.tr("(no scan)"))
        pick = QPushButton(self.tr("Choose scan…"))
        pick.clicked.connect(self.choose)
        scan_row.addWidget(self.scan_label, 1)
        scan_row.addWidget(pick)
        holder = QWidget()
        holder.setLayout(scan_row)
        scan_row.setContentsMargins(0, 0, 0, 0)
        self.form.add("scan", self.tr("Scan"), holder)
        self.note = self.form.add("note", self.tr("Note"), QPlainTextEdit(line.note))
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(60)
        self.scan_file: str | None = None

    def choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose the scan"), prefs.folder(),
                                              self.tr("Scans (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)"))
        if path:
            self.scan_file = path
            self.scan_label.setText(path)

    def save(self):
        return documents.set_document(self.user, self.house_id, self.line.item,
                                      received=self.received.isChecked(),
                                      received_on=to_date(self.received_on),
                                      scan_file=self.scan_file, note=self.note.toPlainText())


class ResaleDialog(FormDialog):
    """过户: the house sold; what it owes, holds and lends on as it stands, then the new
    owner and how the office settles what is owed."""

    def __init__(self, user, house_id: int, parent=None):
        from models import money, resale

        super().__init__(self.tr("House sold"), parent)
        self.user, self.house_id = user, house_id
        s = resale.standing(user, house_id)
        held = "、".join(f"{h.item_name or self.tr('Prepaid')} {money.fmt(h.amount, grouping=True)}" for h in s.held)
        lines = [self.tr("{house}: sold by {owners}.").format(house=s.label, owners="、".join(s.owners) or "—"),
                 self.tr("Owed today: {owed}.").format(owed=money.fmt(s.owed, grouping=True)),
                 self.tr("Held for the house, moved across to the new owner: {held}.").format(
                     held=held or self.tr("nothing"))]
        if s.authorisations:
            lines.append(self.tr("Standing key authorisation ends for: {names}.").format(
                names="、".join(s.authorisations)))
        if s.keys_in_custody:
            lines.append(self.tr("The desk keeps {n} of the house's keys: they stay with the house.").format(
                n=s.keys_in_custody))
        intro = QLabel("\n".join(lines))
        intro.setWordWrap(True)
        self.box.insertWidget(0, intro)
        self.standing = s
        f = self.form
        self.on = f.add("on", self.tr("Sold on"), date_edit())
        # settled first unless the clerk chooses to carry it: a debt never passes to the buyer by default
        self.arrears = f.add("arrears", self.tr("What is owed"), fill_combo(QComboBox(), resale.ARREARS, "settled"))
        self.name = f.add("name", self.tr("New owner"), QLineEdit())
        self.id_type = f.add("id_type", self.tr("ID document"), fill_combo(QComboBox(), validation.ID_TYPES,
                                                                           "resident_id"))
        self.id_number = f.add("id_number", self.tr("ID number"), QLineEdit())
        self.phone = f.add("phone", self.tr("Phone"), QLineEdit())
        self.moves_out = f.add("moves_out", "", QCheckBox(self.tr(
            "The old household moves out ({names})").format(names="、".join(s.residents) or self.tr("nobody"))))
        self.moves_out.setChecked(True)
        self.note = f.add("note", self.tr("Note"), QLineEdit())
        self.note.setPlaceholderText(self.tr("The contract or the property certificate's number"))

    def save(self):
        from models import resale

        return resale.transfer(self.user, self.house_id, on=to_date(self.on), arrears=self.arrears.currentData(),
                               new_owner=dict(name=self.name.text(), id_type=self.id_type.currentData(),
                                              id_number=self.id_number.text(), phone=self.phone.text()),
                               old_household_moves_out=self.moves_out.isChecked(), note=self.note.text())
