"""A house's archive (房屋档案): its owners, residents, papers and household notes, opening
it an audited view; the owner's card across their houses."""
from __future__ import annotations

import datetime

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QFormLayout, QHBoxLayout, QLabel, QMessageBox, QPlainTextEdit, QPushButton,
                               QTabWidget, QVBoxLayout, QWidget, QDialog, QDialogButtonBox)

from models import documents, estate, history, owners, users, validation
from ui import i18n
from ui.archive_dialogs import DocumentDialog, HouseDialog, LinkOwnerDialog, MoveOutDialog, OwnerDialog, ResidentDialog
from ui.kit import act, selected_object, stretch_column, table_view
from ui.reflow import FlowLayout
from ui.table_models import RIGHT, RowsModel


class HouseDetail(QWidget):
    """One house's archive; opening it is an audited view."""

    changed = Signal()
    open_record = Signal(str, int)  # an event of the house's history: its record, on its page
    take_money = Signal(int, int, int)  # a move-in's first charges: case id, house id, fen prepaid

    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.archive: owners.HouseArchive | None = None
        self._shown_house: int | None = None
        self.title = QLabel(self.tr("Choose a house from the list, or search for it above."))
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.title.setWordWrap(True)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.edit_house = QPushButton(self.tr("Change house…"))
        self.edit_house.clicked.connect(self.change_house)
        self.print_card = QPushButton(self.tr("Print archive card…"))
        self.print_card.clicked.connect(self.preview_card)
        self.move_in_button = QPushButton(self.tr("Move-in…"))
        self.move_in_button.clicked.connect(lambda: self.move_in())

        can_edit = users.has(user, "archive.edit")
        can_reveal = users.has(user, "pii.reveal")
        yes, no = self.tr("Yes"), self.tr("No")

        def when(d):
            return d.isoformat() if d else ""

        self.owner_columns = [
            (self.tr("Name"), lambda line: line.owner.name, None),
            (self.tr("Role"), lambda line: self.tr("Primary owner") if line.is_primary else
             (self.tr("Co-owner") if line.until is None else self.tr("Former owner")), None),
            (self.tr("ID number"), lambda line: line.owner.id_masked, None),
            (self.tr("Phone"), lambda line: line.owner.phone_masked, None),
            (self.tr("Since"), lambda line: when(line.since), None),
            (self.tr("Until"), lambda line: when(line.until), None),
        ]
        self.owner_model = RowsModel(self.owner_columns, self, muted=lambda line: line.until is not None)
        self.owner_view = table_view(self.owner_model)
        self.owner_view.doubleClicked.connect(lambda _: self.owner_card())
        self.resident_columns = [
            (self.tr("Name"), lambda r: r.name, None),
            (self.tr("Kind"), lambda r: i18n.office(owners.RESIDENT_KINDS.get(r.kind, r.kind)), None),
            (self.tr("Relation"), lambda r: r.relation, None),
            (self.tr("Age"), lambda r: r.age, RIGHT),
            (self.tr("Phone"), lambda r: r.phone_masked, None),
            (self.tr("Category"), lambda r: i18n.office(owners.RESIDENT_CATEGORIES.get(r.category, r.category)), None),
            (self.tr("Moved in"), lambda r: when(r.moved_in), None),
            (self.tr("Moved out"), lambda r: when(r.moved_out), None),
        ]
        self.resident_model = RowsModel(self.resident_columns, self, muted=lambda r: r.moved_out is not None)
        self.resident_view = table_view(self.resident_model)
        self.resident_view.doubleClicked.connect(lambda _: self.change_resident())
        self.doc_columns = [
            (self.tr("Group"), lambda d: i18n.office(documents.GROUPS[d.group]), None),
            (self.tr("Paper"), lambda d: i18n.office(d.label), None),
            (self.tr("Received"), lambda d: yes if d.received else (self.tr("Missing") if d.required else no), None),
            (self.tr("Date"), lambda d: when(d.received_on), None),
            (self.tr("Scan"), lambda d: d.scan_name, None),
        ]
        self.doc_model = RowsModel(self.doc_columns, self, alert=lambda d: d.required and not d.received,
                                   muted=lambda d: not d.required)
        self.doc_view = table_view(self.doc_model)
        self.doc_view.doubleClicked.connect(lambda _: self.mark_document())

        def bar(*buttons):
            row = FlowLayout()
            for text, slot, allowed in buttons:
                b = QPushButton(text)
                b.clicked.connect(slot)
                if not allowed:  # setVisible(True) on a button with no parent yet shows it as a window
                    b.hide()
                row.addWidget(b)
            row.addStretch(1)
            return row

        def tab(view, *button_rows):
            w = QWidget()
            v = QVBoxLayout(w)
            v.addWidget(view)
            for row in button_rows:
                v.addLayout(row)
            return w

        self.notes = QPlainTextEdit()
        self.notes.setReadOnly(not can_edit)
        self.notes.setPlaceholderText(self.tr(
            "Owner and spouse, family size, opinions of the service, repairs in the home, "
            "renovation changes, personal service requests …"))
        self.save_notes = QPushButton(self.tr("Save notes"))
        self.save_notes.clicked.connect(self.store_notes)
        if not can_edit:
            self.save_notes.hide()
        self.notes_state = QLabel()
        self.notes_state.setStyleSheet("color: #2e7d32;")
        self.notes.textChanged.connect(lambda: self.notes_state.setText(""))
        notes_tab = QWidget()
        nv = QVBoxLayout(notes_tab)
        nv.addWidget(self.notes)
        nrow = QHBoxLayout()
        nrow.addWidget(self.notes_state, 1)
        nrow.addWidget(self.save_notes)
        nv.addLayout(nrow)

        self.tabs = QTabWidget()
        self.tabs.addTab(tab(self.owner_view, bar(
            (self.tr("Owner card…"), self.owner_card, True),
            (self.tr("Add owner…"), self.add_owner, can_edit),
            (self.tr("Add existing owner…"), self.link_owner, can_edit),
            (self.tr("Change…"), self.change_owner, can_edit),
            (self.tr("End ownership"), self.end_ownership, can_edit),
            (self.tr("House sold…"), self.sold, can_edit),
        ), bar(
            (self.tr("Show ID number"), lambda: self.reveal_owner("id_number"), can_reveal),
            (self.tr("Show phone"), lambda: self.reveal_owner("phone"), can_reveal),
        )), self.tr("Owners"))
        self.tabs.addTab(tab(self.resident_view, bar(
            (self.tr("Add resident…"), self.add_resident, can_edit),
            (self.tr("Change…"), self.change_resident, can_edit),
            (self.tr("Move out"), self.move_out, can_edit),
            (self.tr("Show phone"), self.reveal_resident, can_reveal),
        )), self.tr("Residents"))
        self.tabs.addTab(tab(self.doc_view, bar(
            (self.tr("Mark received…"), self.mark_document, can_edit),
            (self.tr("Mark missing"), self.mark_missing, can_edit),
            (self.tr("Open scan"), self.open_scan, True),
        )), self.tr("Papers"))
        self.tabs.addTab(notes_tab, self.tr("Household notes"))
        if users.has(user, "fees.view"):
            from models import money

            can_fees = users.has(user, "fees.setup")
            self.fee_model = RowsModel([
                (self.tr("Item"), lambda s: s.item.name, None),
                (self.tr("Quantity"), lambda s: s.quantity, RIGHT),
                (self.tr("Unit price"), lambda s: money.price_text(s.price(), s.item.unit), None),
                (self.tr("From"), lambda s: when(s.starts), None),
                (self.tr("Until"), lambda s: when(s.ends), None),
            ], self, muted=lambda s: s.ends is not None)
            self.fee_view = table_view(self.fee_model)
            self.tabs.addTab(tab(self.fee_view, bar(
                (self.tr("Add fee…"), self.add_fee, can_fees),
                (self.tr("End fee…"), self.end_fee, can_fees),
            )), self.tr("Fees"))

        self.history_model = RowsModel([
            (self.tr("When"), lambda e: e.at.strftime("%Y-%m-%d" if e.at.time() == datetime.time() else
                                                      "%Y-%m-%d %H:%M"), None),
            (self.tr("What"), lambda e: f"{i18n.office(history.KINDS[e.kind])} {i18n.office(history.ACTIONS[e.action])}",
             None),
            (self.tr("Number"), lambda e: e.number, None),
            (self.tr("About"), lambda e: e.text, None),
        ], self)
        self.history_view = table_view(self.history_model)
        stretch_column(self.history_view, 3)  # what it was about: the room the others leave
        self.history_view.activated.connect(lambda _ix: self.open_event())
        self.history_view.doubleClicked.connect(lambda _ix: self.open_event())
        self.history_note = QLabel()
        self.history_note.setWordWrap(True)
        history_row = QHBoxLayout()
        history_row.addWidget(self.history_note, 1)
        history_row.addWidget(QPushButton(self.tr("Open"), clicked=lambda: self.open_event()))
        self.history_tab = tab(self.history_view, history_row)
        self.tabs.addTab(self.history_tab, self.tr("History"))
        self.tabs.currentChanged.connect(lambda _i: self.show_history())

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.move_in_button)
        top.addWidget(self.print_card)
        top.addWidget(self.edit_house)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.facts)
        box.addWidget(self.tabs, 1)
        self.edit_house.setVisible(False)
        self.print_card.setVisible(False)
        self.move_in_button.setVisible(False)
        self.tabs.setEnabled(False)

    # --- showing ----------------------------------------------------------------------

    def open_house(self, house_id: int, *, reread: bool = False) -> None:
        if not reread and self.archive is not None and self.archive.house.id == house_id:
            return  # already open: a second click is not a second look
        if not reread and not self.keep_unsaved_notes():
            return
        done = act(self, self.tr("Archive"), owners.house_archive, self.user, house_id, reread=reread)
        if not done:
            return
        self.archive = done.value
        self.show_archive()

    def has_unsaved_notes(self) -> bool:
        return (self.archive is not None and self.notes.document().isModified()
                and self.notes.toPlainText() != self.archive.house.household_notes)

    def keep_unsaved_notes(self) -> bool:
        """Leaving a house (or the window) with notes typed but not saved: ask, so nothing
        is lost silently. False when saving failed: stay where the notes are."""
        if not self.has_unsaved_notes():
            return True
        answer = QMessageBox.question(
            self, self.tr("Household notes"),
            self.tr("Save the notes you typed for {label}?").format(label=self.archive.house.label),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            if not self._call(estate.update_house, self.user, self.archive.house.id,
                              household_notes=self.notes.toPlainText(), refresh=False):
                return False
        self.notes.document().setModified(False)
        return True

    def refresh(self) -> None:
        if self.archive is not None:
            self.open_house(self.archive.house.id, reread=True)
        self.changed.emit()

    def show_archive(self) -> None:
        a = self.archive
        h = a.house
        self.title.setText(self.tr("{label}  ({building} {unit} {number})").format(
            label=h.label, building=a.building.name, unit=a.unit.name, number=h.number))
        facts = [self.tr("Area {area} m²").format(area=estate.fmt_area(h.area)),
                 i18n.office(estate.USES.get(h.use, h.use)),
                 i18n.office(estate.RIGHT_TYPES.get(h.right_type, h.right_type)),
                 i18n.office(estate.STATES.get(h.state, h.state))]
        if h.special_needs:
            facts.append(self.tr("Special needs: {what}").format(what=h.special_needs))
        missing = sum(1 for d in a.documents if d.required and not d.received)
        if missing:
            facts.append(self.tr("%n paper(s) missing", "", missing))
        case = None
        if users.has(self.user, "service.desk"):
            from models import movein

            case = movein.open_case(self.user, h.id)
            if case is not None:
                facts.append(self.tr("Move-in under way: {step}").format(
                    step=i18n.office(movein.STEPS[movein.next_step(case)])))
        self.facts.setText(" · ".join(facts))
        keep = {view: self._selected_key(view) for view in (self.owner_view, self.resident_view, self.doc_view)}
        self.owner_model.set_rows(a.owners)
        self.resident_model.set_rows(a.residents)
        self.doc_model.set_rows(a.documents)
        if hasattr(self, "fee_model"):
            from models import fees

            self.fee_model.set_rows(fees.subscriptions(h.id))
        # re-read after another change to this house: the clerk's typing stays
        if not (self.has_unsaved_notes() and self._shown_house == h.id):
            self.notes.setPlainText(h.household_notes)
            self.notes.document().setModified(False)
            self.notes_state.setText("")
        self._shown_house = h.id
        self._history_of = None  # read when its tab is shown
        self.show_history()
        self.edit_house.setVisible(users.has(self.user, "archive.edit"))
        self.print_card.setVisible(True)
        # a house still to be handed over, or a move-in under way (a house sold, its new owner moving in: also)
        self.move_in_button.setVisible(users.has(self.user, "service.desk") and users.has(self.user, "archive.edit")
                                       and (case is not None or h.state == "undelivered" or h.handover_date is None))
        self.tabs.setEnabled(True)
        for view in (self.owner_view, self.resident_view, self.doc_view):
            view.resizeColumnsToContents()
            model = view.model()
            rows = [r for r in range(model.rowCount()) if self._key(model.row_object(r)) == keep[view]]
            if rows:
                view.selectRow(rows[0])  # after a change the clerk's place stays
            elif model.rowCount() == 1:
                view.selectRow(0)  # the only owner: the buttons act on it without a click

    def show_history(self) -> None:
        """The house's story, newest first: read when its tab is shown, once per opening."""
        if self.archive is None or self.tabs.currentWidget() is not self.history_tab:
            return
        house_id = self.archive.house.id
        if getattr(self, "_history_of", None) == house_id:
            return
        done = act(self, self.tr("History"), history.of_house, self.user, house_id)
        if not done:
            return
        self._history_of = house_id
        self.history_model.set_rows(done.value)
        self.history_view.resizeColumnsToContents()
        self.history_note.setText(self.tr("%n event(s), the newest first; Enter or a double click opens one.", "",
                                          len(done.value)))

    def open_event(self):
        event = selected_object(self.history_view)
        if event is None:
            return None
        if event.table == "house":  # an owner or a resident: this house's own tabs
            self.tabs.setCurrentIndex(0 if event.kind == "owner" else 1)
        else:
            self.open_record.emit(event.table, event.record_id)
        return event

    def card_data(self, archive=None):
        """A house's archive card as this panel shows it (ID numbers and phones masked):
        the open house's, or `archive`'s (a batch of cards; safe off the UI thread)."""
        from models import clock
        from printing.card import CardData, CardTable

        a = archive or self.archive
        h = a.house

        def table(title, columns, rows):
            return CardTable(title, [header for header, _, _ in columns],
                             [[str(get(row) or "") for _, get, _ in columns] for row in rows])

        facts = [(self.tr("House"), h.label), (self.tr("Building / unit"), f"{a.building.name} {a.unit.name}"),
                 (self.tr("Floor area (m²)"), estate.fmt_area(h.area)),
                 (self.tr("Use"), i18n.office(estate.USES.get(h.use, h.use))),
                 (self.tr("Property right"), i18n.office(estate.RIGHT_TYPES.get(h.right_type, h.right_type))),
                 (self.tr("State"), i18n.office(estate.STATES.get(h.state, h.state))),
                 (self.tr("Handover date"), h.handover_date.isoformat() if h.handover_date else ""),
                 (self.tr("Special needs"), h.special_needs)]
        return CardData(self.tr("Owner archive card — {label}").format(label=h.label), facts,
                        [table(self.tr("Owners"), self.owner_columns, a.owners),
                         table(self.tr("Residents"), self.resident_columns, a.residents),
                         table(self.tr("Papers"), self.doc_columns, a.documents)],
                        self.tr("Household notes"), h.household_notes,
                        self.tr("Printed by {name} at {time}").format(
                            name=self.user.display_name, time=clock.now().strftime("%Y-%m-%d %H:%M")))

    def preview_card(self) -> None:
        from printing import card
        from printing.furniture import Letterhead
        from ui.preview import PreviewDialog

        pdf = card.render(self.card_data(), Letterhead.from_profile(estate.profile()))
        label = self.archive.house.label

        def handed_out(how: str) -> None:
            self._call(owners.cards_handed_out, self.user, label, 1, how, refresh=False)

        PreviewDialog(pdf, label, self, file_name=f"{label}.pdf", handed_out=handed_out).exec()

    @staticmethod
    def _key(row):
        """What identifies a table's row across a re-read (rows are new objects each time)."""
        if isinstance(row, owners.OwnerLine):
            return ("ownership", row.ownership_id)
        if isinstance(row, documents.ChecklistLine):
            return ("paper", row.item)
        return ("resident", row.id) if row is not None else None

    def _selected_key(self, view):
        if self.archive is None or self._shown_house != self.archive.house.id:
            return None
        return self._key(selected_object(view))

    # --- actions ----------------------------------------------------------------------

    def _run(self, dialog) -> None:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def _need(self, view, what: str):
        obj = selected_object(view)
        if obj is None:
            QMessageBox.information(self, self.tr("Archive"), what)
        return obj

    def change_house(self):
        self._run(HouseDialog(self.user, house=self.archive.house, parent=self))

    def owner_card(self):
        line = self._need(self.owner_view, self.tr("Choose an owner first"))
        if not line:
            return
        done = act(self, self.tr("Archive"), owners.owner_archive, self.user, line.owner.id)
        if not done:
            return
        archive = done.value
        card = OwnerCardDialog(archive, self)
        card.open_house.connect(self.open_house)
        card.exec()

    def add_owner(self):
        self._run(OwnerDialog(self.user, house_id=self.archive.house.id, parent=self))

    def link_owner(self):
        self._run(LinkOwnerDialog(self.user, self.archive.house.id, parent=self))

    def change_owner(self):
        line = self._need(self.owner_view, self.tr("Choose an owner first"))
        if line and users.has(self.user, "archive.edit"):
            self._run(OwnerDialog(self.user, owner=line.owner, parent=self))

    def move_in(self, exec_dialog: bool = True):
        """办理入住: the house's move-in, step by step; what is done stays done."""
        from ui.movein import MoveInDialog

        if self.archive is None:
            return None
        dialog = MoveInDialog(self.user, self.archive.house.id, self)
        dialog.take_money.connect(self.take_money)
        if exec_dialog:
            dialog.exec()
            self.refresh()
        return dialog

    def sold(self, exec_dialog: bool = True):
        """过户: the new owner takes over; the old archive stays as history."""
        from ui.archive_dialogs import ResaleDialog

        if self.archive is None:
            return None
        done = act(self, self.tr("House sold"), ResaleDialog, self.user, self.archive.house.id, self)
        if not done:
            return None
        if exec_dialog:
            self._run(done.value)
        return done.value

    def end_ownership(self):
        line = self._need(self.owner_view, self.tr("Choose an owner first"))
        if not line or line.until is not None:
            return
        if QMessageBox.question(self, self.tr("End ownership"), self.tr(
                "{name} no longer owns {label}? The record stays in the archive with today's date.").format(
                name=line.owner.name, label=self.archive.house.label)) != QMessageBox.StandardButton.Yes:
            return
        self._call(owners.end_ownership, self.user, line.ownership_id)

    def reveal_owner(self, field: str):
        line = self._need(self.owner_view, self.tr("Choose an owner first"))
        if line:
            self._reveal("owner", line.owner.id, field, line.owner.name)

    def reveal_resident(self):
        r = self._need(self.resident_view, self.tr("Choose a resident first"))
        if r:
            self._reveal("resident", r.id, "phone", r.name)

    def _reveal(self, kind, ref_id, field, name):
        done = act(self, self.tr("Archive"), owners.reveal, self.user, kind, ref_id, field)
        if not done:
            return
        value = done.value
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("Confidential"))
        box.setText(self.tr("{name}: {value}").format(name=name, value=value or self.tr("(none)")))
        box.setInformativeText(self.tr("This look has been recorded in the log."))
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.exec()

    def add_resident(self):
        self._run(ResidentDialog(self.user, house_id=self.archive.house.id, parent=self))

    def change_resident(self):
        r = self._need(self.resident_view, self.tr("Choose a resident first"))
        if r and users.has(self.user, "archive.edit"):
            self._run(ResidentDialog(self.user, resident=r, parent=self))

    def move_out(self):
        r = self._need(self.resident_view, self.tr("Choose a resident first"))
        if not r:
            return
        if r.moved_out:
            QMessageBox.information(self, self.tr("Move out"), self.tr(
                "{name} moved out on {date}.").format(name=r.name, date=r.moved_out.isoformat()))
            return
        self._run(MoveOutDialog(self.user, r, self))

    def mark_document(self):
        d = self._need(self.doc_view, self.tr("Choose a paper first"))
        if d and users.has(self.user, "archive.edit"):
            self._run(DocumentDialog(self.user, self.archive.house.id, d, parent=self))

    def mark_missing(self):
        d = self._need(self.doc_view, self.tr("Choose a paper first"))
        if not d or not d.received:
            return
        if QMessageBox.question(self, self.tr("Mark missing"), self.tr(
                "Mark “{paper}” as missing from the archive of {label}?").format(
                paper=i18n.office(d.label), label=self.archive.house.label)) == QMessageBox.StandardButton.Yes:
            self._call(documents.set_document, self.user, self.archive.house.id, d.item, received=False)

    def open_scan(self):
        d = self._need(self.doc_view, self.tr("Choose a paper first"))
        if not d:
            return
        if not d.scan_hash:
            QMessageBox.information(self, self.tr("Archive"), self.tr("This paper has no scan"))
            return
        path = documents.scan_path(d.scan_hash, d.scan_name)
        if not path.exists():
            QMessageBox.warning(self, self.tr("Archive"), self.tr(
                "The scan file is not in the data folder: {path}").format(path=path))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def add_fee(self):
        from ui.house_fees import HouseFeeDialog

        self._run(HouseFeeDialog(self.user, self.archive.house.id, self))

    def end_fee(self):
        from ui.house_fees import EndFeeDialog

        sub = selected_object(self.fee_view)
        if sub is None:
            QMessageBox.information(self, self.tr("Fees"), self.tr("Choose a fee in the list first"))
            return
        self._run(EndFeeDialog(self.user, sub, self))

    def store_notes(self):
        if self._call(estate.update_house, self.user, self.archive.house.id,
                      household_notes=self.notes.toPlainText()):
            from models import clock

            self.notes_state.setText(self.tr("Saved at {time}").format(time=clock.now().strftime("%H:%M")))

    def _call(self, fn, *args, refresh: bool = True, **kwargs) -> bool:
        done = act(self, self.tr("Archive"), fn, *args, **kwargs)
        if not done:
            return False
        if refresh:
            self.refresh()
        return True


class OwnerCardDialog(QDialog):
    """An owner's archive card: every field (ID and phones masked) and all the owner's
    houses, past ones included. Opening it is an audited archive view."""

    open_house = Signal(int)

    def __init__(self, archive: owners.OwnerArchive, parent=None):
        super().__init__(parent)
        o = archive.owner
        self.setWindowTitle(self.tr("Owner {name}").format(name=o.name))
        facts = [
            (self.tr("Name"), o.name),
            (self.tr("Gender"), i18n.office(owners.GENDERS.get(o.gender, o.gender))),
            (self.tr("ID document"), i18n.office(validation.ID_TYPES.get(o.id_type, o.id_type))),
            (self.tr("ID number"), o.id_masked),
            (self.tr("Phone"), o.phone_masked),
            (self.tr("Second phone"), validation.mask_phone(o.phone2)),
            (self.tr("Occupation"), o.occupation), (self.tr("Employer"), o.employer),
            (self.tr("Work address"), o.work_address),
            (self.tr("Education"), i18n.office(o.education) if o.education else ""),
            (self.tr("Hometown"), o.hometown), (self.tr("Note"), o.note),
        ]
        grid = QFormLayout()
        for label, value in facts:
            v = QLabel(value)
            v.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addRow(label, v)
        self.houses = RowsModel([
            (self.tr("House"), lambda hl: hl[0].label, None),
            (self.tr("Area (m²)"), lambda hl: estate.fmt_area(hl[0].area), RIGHT),
            (self.tr("Since"), lambda hl: hl[1].since.isoformat() if hl[1].since else "", None),
            (self.tr("Until"), lambda hl: hl[1].until.isoformat() if hl[1].until else "", None),
        ], self)
        self.houses.set_rows(archive.houses)
        view = table_view(self.houses)
        view.activated.connect(self._go)
        view.doubleClicked.connect(self._go)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addLayout(grid)
        box.addWidget(QLabel(self.tr("Houses of this owner (double-click to open)")))
        box.addWidget(view)
        box.addWidget(buttons)
        self.resize(520, 560)

    def _go(self, index) -> None:
        row = self.houses.row_object(index.row())
        if row is not None:
            self.open_house.emit(row[0].id)
            self.accept()
