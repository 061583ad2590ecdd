"""Settings: this PC's language, the estate profile, the office's numbers, and users."""
from __future__ import annotations

import re

from fractions import Fraction

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDoubleSpinBox, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QPlainTextEdit, QPushButton,
                               QScrollArea, QToolButton, QVBoxLayout, QWidget)

from models import db, estate, fees, location, money, settings, users
from models.errors import OfficeError, QT_TRANSLATE_NOOP, ValidationError
from ui.kit import act
from ui import i18n, prefs
from ui.form import Form, FormDialog
from ui.reflow import FlowLayout

# the time zones an office may be in, by the names clerks use (the zone's id beside)
TIME_ZONES = {
    "Asia/Shanghai": QT_TRANSLATE_NOOP("SettingsPage", "Beijing time"),
    "Asia/Urumqi": QT_TRANSLATE_NOOP("SettingsPage", "Xinjiang time"),
    "Asia/Hong_Kong": QT_TRANSLATE_NOOP("SettingsPage", "Hong Kong time"),
    "Asia/Macau": QT_TRANSLATE_NOOP("SettingsPage", "Macao time"),
    "Asia/Taipei": QT_TRANSLATE_NOOP("SettingsPage", "Taipei time"),
    "Asia/Singapore": QT_TRANSLATE_NOOP("SettingsPage", "Singapore time"),
    "Asia/Kuala_Lumpur": QT_TRANSLATE_NOOP("SettingsPage", "Kuala Lumpur time"),
    "Asia/Bangkok": QT_TRANSLATE_NOOP("SettingsPage", "Bangkok time"),
    "Asia/Tokyo": QT_TRANSLATE_NOOP("SettingsPage", "Tokyo time"),
    "Asia/Seoul": QT_TRANSLATE_NOOP("SettingsPage", "Seoul time"),
    "Europe/London": QT_TRANSLATE_NOOP("SettingsPage", "London time"),
    "UTC": QT_TRANSLATE_NOOP("SettingsPage", "Coordinated Universal Time"),
}

# what a printed wording may contain: {name} → what printing puts there
PLACEHOLDERS = {
    "reason": QT_TRANSLATE_NOOP("SettingsPage", "Reason"),
    "buildings": QT_TRANSLATE_NOOP("SettingsPage", "Buildings"),
    "start": QT_TRANSLATE_NOOP("SettingsPage", "Start"),
    "end": QT_TRANSLATE_NOOP("SettingsPage", "End"),
    "what_to_do": QT_TRANSLATE_NOOP("SettingsPage", "What residents should do"),
    "house": QT_TRANSLATE_NOOP("SettingsPage", "House"),
    "owner": QT_TRANSLATE_NOOP("SettingsPage", "Owner"),
    "date": QT_TRANSLATE_NOOP("SettingsPage", "Date"),
    "total": QT_TRANSLATE_NOOP("SettingsPage", "Total owed"),
    "late_fee": QT_TRANSLATE_NOOP("SettingsPage", "Late fee"),
    "months": QT_TRANSLATE_NOOP("SettingsPage", "Months owed"),
    "due_day": QT_TRANSLATE_NOOP("SettingsPage", "Due day"),
    "rate": QT_TRANSLATE_NOOP("SettingsPage", "Late fee rate"),
    "deadline": QT_TRANSLATE_NOOP("SettingsPage", "Pay by"),
    "phone": QT_TRANSLATE_NOOP("SettingsPage", "Office phone"),
    "cashier": QT_TRANSLATE_NOOP("SettingsPage", "Cashier"),
}
# the placeholders each kind of wording may use (models/settings.py refuses any other)
def placeholders_of(key: str, setting) -> tuple[str, ...]:
    """The {names} the wording `key` may contain, offered to insert (models/settings declares
    them); none for numbers and for the receipt's title."""
    return setting.placeholders if setting.chips else ()


class UserDialog(FormDialog):
    def __init__(self, actor, user=None, parent=None):
        super().__init__(self.tr("Change user {name}").format(name=user.username) if user
                         else self.tr("Add a user"), parent)
        self.actor, self.user = actor, user
        self.username = self.form.add("username", self.tr("User name"), QLineEdit(user.username if user else ""))
        self.username.setEnabled(user is None)
        self.full_name = self.form.add("full_name", self.tr("Full name"), QLineEdit(user.full_name if user else ""))
        self.password = self.form.add("password", self.tr("Password"), QLineEdit())
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        if user:
            self.password.setPlaceholderText(self.tr("(unchanged)"))
        roles = QWidget()
        rl = QHBoxLayout(roles)
        rl.setContentsMargins(0, 0, 0, 0)
        self.role_boxes = {}
        for code, label in users.ROLES.items():
            cb = QCheckBox(i18n.office(label))
            cb.setChecked(bool(user) and code in user.role_set)
            self.role_boxes[code] = cb
            rl.addWidget(cb)
        self.form.add("roles", self.tr("Roles"), roles)
        self.active = self.form.add("active", self.tr("Active"), QCheckBox())
        self.active.setChecked(user.active if user else True)

    def save(self):
        roles = [c for c, cb in self.role_boxes.items() if cb.isChecked()]
        if self.user is None:
            return users.create_user(self.actor, self.username.text(), self.password.text(), roles,
                                     self.full_name.text())
        return users.update_user(self.actor, self.user.id, roles=roles, active=self.active.isChecked(),
                                 full_name=self.full_name.text(), password=self.password.text() or None)


class WordingBox(QPlainTextEdit):
    """A printed paragraph (a notice's or a dunning letter's wording), wrapped over a few
    lines so the whole of it can be read; it stays one paragraph (Enter adds no line)."""

    def __init__(self, text: str = "", parent=None):
        super().__init__(parent)
        self.setPlainText(text)
        self.setTabChangesFocus(True)
        margin = int(self.document().documentMargin())
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 2 * (self.frameWidth() + margin) + 4)

    def text(self) -> str:
        return self.toPlainText().replace("\n", "")

    def setText(self, text: str) -> None:  # noqa: N802 - as a QLineEdit's
        self.setPlainText(text)

    def insert(self, text: str) -> None:
        self.insertPlainText(text)

    def keyPressEvent(self, event):  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.ignore()
            return
        super().keyPressEvent(event)


class SettingsPage(QWidget):
    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        inner = QWidget()
        box = QVBoxLayout(inner)

        # this PC
        pc = QGroupBox(self.tr("This computer"))
        pf = Form()
        # the saved choice, and beside it the language this start runs in when that differs
        # (a start with --lang, or a choice made since the start)
        self.language_now = QLabel()
        self.language_now.setStyleSheet("color: #555;")
        self.language = pf.add("language", self.tr("Language"), QComboBox(), below=self.language_now)
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(prefs.get("language"))))
        self.show_language_in_use()
        self.language.currentIndexChanged.connect(self.language_changed)
        if users.has(user, "users.manage"):
            # which database this PC opens: a file here, or the office's server
            row = QWidget()
            rl = QHBoxLayout(row)
            rl.setContentsMargins(0, 0, 0, 0)
            # a server password is never put on screen: the address is shown without it
            self._shown_database = db.redact(prefs.get("database_url"))
            self.database = QLineEdit(self._shown_database)
            current = QLabel(self.tr("In use now: {where}").format(where=self.current_database()))
            current.setStyleSheet("color: #555;")
            self.database.setPlaceholderText(str(db.default_data_dir() / "estatedesk.sqlite"))
            self.database.setToolTip(self.tr("A file path, or postgresql://user:password@server/database "
                                             "for an office with several PCs"))
            use = QPushButton(self.tr("Use from next start"))
            use.clicked.connect(self.database_changed)
            rl.addWidget(self.database, 1)
            rl.addWidget(use)
            pf.add("database", self.tr("Database"), row)
            pf.layout_.addRow("", current)
        # the printer this PC prints to, and how far it shifts the page
        printer_row = QWidget()
        prl = QHBoxLayout(printer_row)
        prl.setContentsMargins(0, 0, 0, 0)
        self.printer = QComboBox()
        from PySide6.QtPrintSupport import QPrinterInfo

        names = QPrinterInfo.availablePrinterNames()
        self.printer.addItem(self.tr("(the system's default printer)"), "")
        for name in names:
            self.printer.addItem(name, name)
        self.printer.setCurrentIndex(max(0, self.printer.findData(prefs.get("printer/name"))))
        self.printer.currentIndexChanged.connect(self.printer_changed)
        prl.addWidget(self.printer, 1)
        pf.add("printer", self.tr("Printer"), printer_row)
        offsets_row = QWidget()
        orl = FlowLayout(offsets_row)
        orl.setContentsMargins(0, 0, 0, 0)
        self.offset_x, self.offset_y = QDoubleSpinBox(), QDoubleSpinBox()
        for spin, label in ((self.offset_x, self.tr("right")), (self.offset_y, self.tr("down"))):
            spin.setRange(-30.0, 30.0)
            spin.setSingleStep(0.5)
            spin.setDecimals(1)
            spin.setSuffix(" mm")
            orl.addWidget(QLabel(label))
            orl.addWidget(spin)
        save_offsets = QPushButton(self.tr("Save offsets"))
        save_offsets.clicked.connect(self.store_offsets)
        calibrate = QPushButton(self.tr("Print calibration page…"))
        calibrate.clicked.connect(self.calibration_page)
        orl.addWidget(save_offsets)
        orl.addWidget(calibrate)
        orl.addStretch(1)
        pf.add("offsets", self.tr("Printer offsets"), offsets_row)
        # the receipt form in this PC's printer
        from printing.paper import PAPERS

        receipt_row = QWidget()
        rrl = FlowLayout(receipt_row)
        rrl.setContentsMargins(0, 0, 0, 0)
        self.receipt_paper = QComboBox()
        for key, paper in PAPERS.items():
            self.receipt_paper.addItem(i18n.office(paper.label), key)
        self.receipt_paper.setCurrentIndex(max(0, self.receipt_paper.findData(prefs.get("receipt/paper"))))
        self.carbonless = QCheckBox(self.tr("Carbonless stock: one pass for all three copies"))
        self.carbonless.setChecked(prefs.get("receipt/carbonless"))
        self.receipt_paper.currentIndexChanged.connect(
            lambda _i: prefs.set("receipt/paper", self.receipt_paper.currentData()))
        self.carbonless.toggled.connect(lambda on: prefs.set("receipt/carbonless", bool(on)))
        self.prenumbered = QCheckBox(self.tr("Forms with printed numbers"))
        self.prenumbered.setToolTip(self.tr(
            "Every form printed uses up its number: a receipt too long for one form takes the next numbers "
            "for its continuation forms (three copies on plain forms take three), and a reprint goes on the "
            "next blank forms, whose numbers are recorded"))
        self.prenumbered.setChecked(prefs.get("receipt/prenumbered"))
        self.prenumbered.toggled.connect(lambda on: prefs.set("receipt/prenumbered", bool(on)))
        rrl.addWidget(self.receipt_paper)
        rrl.addWidget(self.carbonless)
        rrl.addWidget(self.prenumbered)
        rrl.addStretch(1)
        pf.add("receipt_paper", self.tr("Receipt paper"), receipt_row)
        # the office's own form for each document it prints on pre-printed stock (套打)
        from models import templates

        form_row = QWidget()
        frl = FlowLayout(form_row)
        frl.setContentsMargins(0, 0, 0, 0)
        self.form_document = QComboBox()
        self.form_document.setObjectName("form_document")
        for key, document in templates.DOCUMENTS.items():
            self.form_document.addItem(i18n.office(document.label), key)
        self.form_document.currentIndexChanged.connect(lambda _i: self.load_templates())
        self.receipt_template = QComboBox()
        self.receipt_template.setObjectName("receipt_template")
        self.receipt_template.currentIndexChanged.connect(self.template_chosen)
        self.data_only = QCheckBox(self.tr("Values only (套打): the stock has the rest printed on it"))
        self.data_only.toggled.connect(lambda on: prefs.set(f"{self.document()}/data_only", bool(on)))
        import_template = QPushButton(self.tr("Import form…"))
        import_template.clicked.connect(lambda: self.import_template())
        export_template = QPushButton(self.tr("Export form…"))
        export_template.clicked.connect(lambda: self.export_template())
        design = QPushButton(self.tr("Design…"))
        design.clicked.connect(lambda: self.design_template())
        for w in (self.form_document, self.receipt_template, self.data_only, design, import_template,
                  export_template):
            frl.addWidget(w)
        frl.addStretch(1)
        pf.add("receipt_template", self.tr("Forms"), form_row)
        self.load_templates()
        # the paper slips (key and item loans, work orders) print on: A4/A5 sheets, or the
        # counter's continuous forms
        self.slip_paper = QComboBox()
        for key, paper in PAPERS.items():
            self.slip_paper.addItem(i18n.office(paper.label), key)
        self.slip_paper.setCurrentIndex(max(0, self.slip_paper.findData(prefs.get("slip/paper"))))
        self.slip_paper.currentIndexChanged.connect(lambda _i: prefs.set("slip/paper", self.slip_paper.currentData()))
        self.slip_paper.setToolTip(self.tr("Key and item loan slips and repair work orders"))
        slip_row = QWidget()
        srl = QHBoxLayout(slip_row)
        srl.setContentsMargins(0, 0, 0, 0)
        srl.addWidget(self.slip_paper)
        srl.addStretch(1)
        pf.add("slip_paper", self.tr("Slip paper"), slip_row)
        self.printer_changed()
        QVBoxLayout(pc).addWidget(pf)
        box.addWidget(pc)
        self.pc_form = pf

        # the estate profile
        can_estate = users.has(user, "estate.edit")
        prof = estate.profile()
        eg = QGroupBox(self.tr("Estate profile"))
        self.profile_form = Form()
        self.profile_edits = {}
        for key in estate.PROFILE_FIELDS:
            value = getattr(prof, key)
            text = estate.fmt_area(value) if key == "managed_area" else str(value)
            edit = self.profile_form.add(key, i18n.office(estate.PROFILE_LABELS[key]), QLineEdit(text))
            edit.setEnabled(can_estate)  # greyed out, not falsely editable
            self.profile_edits[key] = edit
        ev = QVBoxLayout(eg)
        counts = estate.counts()
        hint = QLabel(self.tr("In the archive now: {buildings} buildings, {houses} houses, {shops} shops, "
                              "{area} m²").format(buildings=counts["buildings"], houses=counts["houses"],
                                                  shops=counts["shops"], area=estate.fmt_area(counts["area"])))
        hint.setStyleSheet("color: #555;")
        ev.addWidget(hint)
        ev.addWidget(self.profile_form)
        save_profile = QPushButton(self.tr("Save estate profile"))
        save_profile.clicked.connect(self.store_profile)
        if not can_estate:
            save_profile.hide()
        ev.addWidget(save_profile, 0, Qt.AlignmentFlag.AlignRight)
        box.addWidget(eg)

        # office settings
        can_settings = users.has(user, "settings.edit")
        og = QGroupBox(self.tr("Office rules"))
        self.settings_form = Form()
        self.setting_edits = {}
        values = settings.all_values()
        for key, s in settings.SETTINGS.items():
            edit = self.setting_editor(key, s, values[key])
            edit.setEnabled(can_settings)
            chips = self.placeholder_chips(edit, placeholders_of(key, s)) if can_settings else None
            self.settings_form.add(key, i18n.office(s.label), edit, below=chips)
            self.setting_edits[key] = edit
        ov = QVBoxLayout(og)
        ov.addWidget(self.settings_form)
        save_settings = QPushButton(self.tr("Save office rules"))
        save_settings.clicked.connect(self.store_settings)
        if not can_settings:
            save_settings.hide()
        sample = QPushButton(self.tr("Sample receipt…"))
        sample.setToolTip(self.tr("A receipt with made-up payments, in the saved wording"))
        sample.clicked.connect(self.sample_receipt)
        srow = FlowLayout()
        srow.addStretch(1)
        srow.addWidget(sample)
        srow.addWidget(save_settings)
        ov.addLayout(srow)
        box.addWidget(og)

        # users
        if users.has(user, "users.manage"):
            ug = QGroupBox(self.tr("Users"))
            self.user_list = QListWidget()
            add = QPushButton(self.tr("Add user…"))
            add.clicked.connect(lambda: self.edit_user(None))
            change = QPushButton(self.tr("Change user…"))
            change.clicked.connect(self.change_user)
            unlock = QPushButton(self.tr("Unlock user"))
            unlock.setToolTip(self.tr("A user locked after too many wrong passwords may sign in again at once"))
            unlock.clicked.connect(self.unlock_user)
            uv = QVBoxLayout(ug)
            uv.addWidget(self.user_list)
            row = QHBoxLayout()
            row.addWidget(add)
            row.addWidget(change)
            row.addWidget(unlock)
            row.addStretch(1)
            uv.addLayout(row)
            box.addWidget(ug)
            self.load_users()
        box.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll)

    def setting_editor(self, key: str, s, value) -> QWidget:
        """The box an office rule is typed or chosen in, in the office's terms: money in
        yuan, fee items by name, the time zone by its name."""
        if s.kind is bool:
            edit = QCheckBox()
            edit.setChecked(bool(value))
            return edit
        if key == "timezone":
            edit = QComboBox()
            for zone, label in TIME_ZONES.items():
                edit.addItem(f"{QCoreApplication.translate('SettingsPage', label)} ({zone})", zone)
            if edit.findData(value) < 0:  # a zone set elsewhere stays as it is
                edit.addItem(str(value), value)
            edit.setCurrentIndex(edit.findData(value))
            return edit
        if key == "late_fee_items":
            edit = QListWidget()
            edit.setObjectName("feeItemChoice")
            chosen = set(value)
            known = [(item.code, item.name) for item in fees.items(active_only=False)]
            known += [(code, code) for code in value if code not in {c for c, _ in known}]
            for code, name in known:
                row = QListWidgetItem(name)
                row.setData(Qt.ItemDataRole.UserRole, code)
                row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                row.setCheckState(Qt.CheckState.Checked if code in chosen else Qt.CheckState.Unchecked)
                edit.addItem(row)
            rows = max(1, min(len(known), 6))
            edit.setFixedHeight(edit.sizeHintForRow(0) * rows + 2 * edit.frameWidth() + 4 if known else 40)
            return edit
        if isinstance(value, Fraction):
            text = f"{value.numerator}/{value.denominator}"
        elif isinstance(value, list):
            text = ", ".join(value)
        elif s.money:
            text = money.fmt(int(value))
        else:
            text = str(value)
        if placeholders_of(key, s) and len(str(s.default)) > 40:
            return WordingBox(text)
        edit = QLineEdit(text)
        edit.setCursorPosition(0)  # a long text shows from its start
        if s.money:
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.setMaximumWidth(160)
            edit.setPlaceholderText("0.00")
        return edit

    def placeholder_chips(self, edit: QWidget, names: tuple[str, ...]) -> QWidget | None:
        """What a wording may contain, one button each: a click puts {name} where the
        cursor is in the wording; printing fills it in (the cashier's name, the house …)."""
        if not names or not isinstance(edit, (QLineEdit, WordingBox)):
            return None
        holder = QWidget()
        flow = FlowLayout(holder)
        flow.setContentsMargins(0, 0, 0, 0)
        flow.setSpacing(4)
        flow.addWidget(QLabel(self.tr("Insert:")))
        for name in names:
            chip = QToolButton()
            chip.setText(QCoreApplication.translate("SettingsPage", PLACEHOLDERS[name]))
            chip.setToolTip("{" + name + "}")
            chip.setAutoRaise(False)
            chip.clicked.connect(lambda _=False, e=edit, n=name: (e.insert("{" + n + "}"), e.setFocus()))
            flow.addWidget(chip)
        return holder

    def sample_receipt(self):
        """The receipt as the office has worded it, with sample payments, in the preview, on
        this PC's receipt paper."""
        from models import clock
        from printing import receipt
        from printing.furniture import Letterhead
        from ui.preview import PreviewDialog

        lines = [receipt.ReceiptLine("物业服务费", 22375, "2026-10", "89.50 m² × 1 月", "2.5000 元/m²/月"),
                 receipt.ReceiptLine("水费", 4650, "2026-09", "15 吨", "3.10 元/吨")]
        data = receipt.ReceiptData("000000", clock.now().date(), "1-1-101", self.tr("(sample)"), lines,
                                   cashier=self.user.display_name)
        pdf = receipt.render(data, Letterhead.from_profile(estate.profile()), paper=prefs.get("receipt/paper"),
                             carbonless=prefs.get("receipt/carbonless"),
                             texts=receipt.ReceiptTexts.from_settings(settings.all_values()))
        dialog = PreviewDialog(pdf, self.tr("Sample receipt"), self, file_name="receipt.pdf")
        dialog.open()
        return dialog

    @staticmethod
    def language_in_use() -> str:
        from PySide6.QtCore import QLocale

        return "zh_CN" if QLocale().language() == QLocale.Language.Chinese else "en"  # as i18n.install set it

    def show_language_in_use(self) -> None:
        now = self.language_in_use()
        self.language_now.setText(self.tr("In use now: {language} (for this start only); the choice above is "
                                          "used from the next start.").format(language=i18n.LANGUAGES[now]))
        self.language_now.setVisible(self.language.currentData() != now)

    def language_changed(self) -> None:
        prefs.set("language", self.language.currentData())
        self.show_language_in_use()
        QMessageBox.information(self, self.tr("Language"),
                                self.tr("The new language is used from the next start of EstateDesk."))

    def document(self) -> str:
        """The document whose form the row shows (the receipt, the work order)."""
        return self.form_document.currentData() or "receipt"

    def load_templates(self) -> None:
        from models import templates

        document = self.document()
        chosen = prefs.get(f"{document}/template")
        self.receipt_template.blockSignals(True)
        self.receipt_template.clear()
        self.receipt_template.addItem(self.tr("The built-in layout"), "")
        for name in templates.names(document):
            self.receipt_template.addItem(name, name)
        self.receipt_template.setCurrentIndex(max(0, self.receipt_template.findData(chosen)))
        self.receipt_template.blockSignals(False)
        self.data_only.blockSignals(True)
        self.data_only.setChecked(prefs.get(f"{document}/data_only"))
        self.data_only.blockSignals(False)

    def template_chosen(self, _index: int = 0) -> None:
        prefs.set(f"{self.document()}/template", self.receipt_template.currentData() or "")

    def show_document(self, document: str) -> None:
        self.form_document.setCurrentIndex(max(0, self.form_document.findData(document)))
        self.load_templates()

    def import_template(self, path: str | None = None):
        """A form another PC or the head office exported, kept as the office's and chosen
        for this PC's document of its kind."""
        from PySide6.QtWidgets import QFileDialog

        from models import templates

        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Import form"), prefs.folder("import/folder"),
                                                  self.tr("EstateDesk forms (*.json)"))
            if not path:
                return None
        done = act(self, self.tr("Import form"), templates.import_file, self.user, path)
        if not done and isinstance(done.error, ValidationError) and "name" in done.error.fields \
                and templates.read_file(path).name in templates.names(templates.read_file(path).document):
            # one of that name is kept already: this one replaces it when the clerk says so
            t = templates.read_file(path)
            if QMessageBox.question(self, self.tr("Import form"), self.tr(
                    "The office has a form named {name} already. Replace it with this one?").format(
                    name=t.name)) != QMessageBox.StandardButton.Yes:
                return None
            done = act(self, self.tr("Import form"), templates.import_file, self.user, path, replacing=True)
        if not done:
            return None
        prefs.set(f"{done.value.document}/template", done.value.name)
        self.show_document(done.value.document)
        return done.value

    def design_template(self, exec_dialog: bool = True):
        """The form designer on this PC's form for the document shown (the built-in layout on
        its paper when it has none of the office's yet); a form saved there is chosen here."""
        from ui.form_designer import FormDesigner

        document = self.document()
        designer = FormDesigner(self.user, self.form_of(document), self)

        def kept(name: str) -> None:
            prefs.set(f"{document}/template", name)
            self.load_templates()

        designer.saved.connect(kept)
        if exec_dialog:
            designer.exec()
        return designer

    @staticmethod
    def form_of(document: str):
        """This PC's form for `document`, or the built-in layout on the paper it prints on."""
        from printing import forms
        from ui.receipts import form

        if document == "receipt":
            paper = prefs.get("receipt/paper")
        elif document in forms.NOTICES:
            paper = "A4"  # the notices print on A4
        else:
            paper = prefs.get("slip/paper")
        return form(document) or forms.start(document, paper)

    def export_template(self, path: str | None = None):
        """This PC's form for the document shown to a file, for another PC or estate (the
        built-in layout as a starting point when it has none of the office's)."""
        from dataclasses import replace

        from PySide6.QtWidgets import QFileDialog

        from models import templates

        t = self.form_of(self.document())
        if not t.name:
            t = replace(t, name=self.form_document.currentText())
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export form"),
                                                  f"{prefs.folder('export/folder')}/{t.name}.json",
                                                  self.tr("EstateDesk forms (*.json)"))
            if not path:
                return None
        try:
            templates.export_file(t, path)
        except OSError as e:
            QMessageBox.warning(self, self.tr("Export form"), self.tr("The file cannot be written: {reason}").format(
                reason=e.strerror or e))
            return None
        return path

    def printer_changed(self) -> None:
        name = self.printer.currentData()
        prefs.set("printer/name", name)
        offsets = prefs.printer_offsets(name)
        self.offset_x.setValue(offsets.x_mm)
        self.offset_y.setValue(offsets.y_mm)

    def store_offsets(self) -> None:
        prefs.set_printer_offsets(self.printer.currentData(), self.offset_x.value(), self.offset_y.value())

    def calibration_page(self, exec_dialog: bool = True):
        from printing import calibration
        from ui.preview import PreviewDialog

        self.store_offsets()
        name = self.printer.currentData()
        # the page on the paper this PC's printer holds: the receipt forms
        pdf = calibration.render(prefs.get("receipt/paper"), prefs.printer_offsets(name), name, shift=False)
        dialog = PreviewDialog(pdf, self.tr("Calibration page"), self, file_name="calibration.pdf")
        if exec_dialog:
            dialog.exec()
        return dialog

    @staticmethod
    def current_database() -> str:
        from ui.app import db_label

        obj = db.database.obj
        if obj is None:
            return ""
        if db.is_sqlite():
            return str(obj.database)
        return db_label(f"postgresql://{obj.connect_params.get('user', '')}@"
                        f"{obj.connect_params.get('host', '')}/{obj.database}")

    def database_changed(self) -> None:
        text = self.database.text().strip()
        self.pc_form.clear_errors()
        self.pc_form.rows["database"].error.setToolTip("")
        if text == self._shown_database:
            return  # unchanged (and its hidden password kept)
        try:
            url = location.typed_address(text)
        except OfficeError as e:
            self.pc_form.rows["database"].set_error(i18n.error_text(e))
            return
        url = self.with_saved_password(url)
        path = db.sqlite_path(url) if url else None
        note = self.tr("EstateDesk opens this database from its next start.")
        problem = ""
        if url.startswith(db.SERVER_SCHEMES):
            try:
                self.try_server(url)
            except OfficeError as e:  # nothing is saved: the next start would not open it either
                problem = i18n.error_text(e)
                self.pc_form.rows["database"].error.setToolTip(str(e.params.get("error", "")))
            else:
                note = self.tr("The server answered. EstateDesk opens this database from its next start.")
        elif path is not None and path.exists():
            try:
                db.check_sqlite_file(path)
            except OfficeError as e:
                problem = i18n.error_text(e)
        elif path is not None and not path.parent.is_dir():
            problem = self.tr("The folder {folder} does not exist").format(folder=path.parent)
        elif path is not None:
            note = self.tr("There is no database at {path} yet: a new, empty office database will be "
                           "made there at the next start.").format(path=path)
        if problem:
            self.pc_form.rows["database"].set_error(problem)
            return
        prefs.set("database_url", url)
        self._shown_database = db.redact(url)
        self.database.setText(self._shown_database)
        QMessageBox.information(self, self.tr("Database"), note)

    @staticmethod
    def with_saved_password(url: str) -> str:
        """The address as typed over its shown form (password ***): the saved password back in."""
        saved = prefs.get("database_url")
        if ":***@" in url and saved.startswith(db.SERVER_SCHEMES):
            from urllib.parse import urlsplit

            password = urlsplit(saved).password
            if password:
                return url.replace(":***@", f":{password}@", 1)
        return url

    @staticmethod
    def try_server(url: str, seconds: int = 5) -> None:
        """Open the server's database once, as the next start would, and close it again; the
        office goes on in the database it has open. Raises the reason in the clerk's words."""
        from PySide6.QtWidgets import QApplication

        in_use = db.database.obj
        trial = None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            trial = db.connect(location.with_connect_timeout(url, seconds), migrate=False)
        finally:
            db.database.initialize(in_use)  # connect() pointed the office's proxy at the trial
            if trial is not None:
                trial.close()
            QApplication.restoreOverrideCursor()

    def store_profile(self) -> None:
        fields = {k: e.text() for k, e in self.profile_edits.items()}
        self._save(lambda: estate.update_profile(self.user, **fields), self.profile_form)

    def store_settings(self) -> None:
        self._save(lambda: settings.update(self.typed_settings(), user=self.user), self.settings_form)

    def typed_settings(self) -> dict:
        """The office rules as typed: money in yuan back to fen, fee items as their codes."""
        changes, wrong = {}, {}
        for key, edit in self.setting_edits.items():
            s = settings.SETTINGS[key]
            if s.kind is bool:
                changes[key] = edit.isChecked()
            elif isinstance(edit, QComboBox):
                changes[key] = edit.currentData()
            elif isinstance(edit, QListWidget):
                changes[key] = [edit.item(i).data(Qt.ItemDataRole.UserRole) for i in range(edit.count())
                                if edit.item(i).checkState() == Qt.CheckState.Checked]
            elif s.money:
                try:
                    changes[key] = money.parse(edit.text() or "0")
                except OfficeError as e:
                    wrong[key] = (e.template, e.params)
            elif s.kind is list:
                changes[key] = [x for x in re.split(r"[,，、;；\s]+", edit.text()) if x]  # as typed: commas, 、 or spaces
            elif s.kind is int:
                text = edit.text().strip()
                changes[key] = int(text) if text.lstrip("-").isdigit() else text
            else:
                changes[key] = edit.text().strip()
        if wrong:
            raise ValidationError(wrong)
        return changes

    def _save(self, action, form: Form) -> None:
        form.clear_errors()
        done = act(self, self.tr("Settings"), action, form=form)
        if not done:
            return
        QMessageBox.information(self, self.tr("Settings"), self.tr("Saved."))

    def load_users(self) -> None:
        self.user_list.clear()
        self._users = users.all_users()
        for u in self._users:
            roles = "、".join(i18n.office(users.ROLES[r]) for r in sorted(u.role_set) if r in users.ROLES)
            state = "" if u.active else self.tr(" (inactive)")
            until = users.locked_until(u) if u.active else None
            if until is not None:
                state = self.tr(" (locked until {time})").format(time=until.strftime("%H:%M"))
            self.user_list.addItem(f"{u.username}  {u.full_name}  [{roles}]{state}")

    def change_user(self) -> None:
        row = self.user_list.currentRow()
        if row < 0:
            QMessageBox.information(self, self.tr("Users"), self.tr("Choose a user first"))
            return
        self.edit_user(self._users[row])

    def edit_user(self, target) -> None:
        if UserDialog(self.user, target, self).exec() == QDialog.DialogCode.Accepted:
            self.load_users()

    def unlock_user(self) -> None:
        row = self.user_list.currentRow()
        if row < 0:
            QMessageBox.information(self, self.tr("Users"), self.tr("Choose a user first"))
            return
        done = act(self, self.tr("Users"), users.unlock, self.user, self._users[row].id)
        if not done:
            return
        unlocked = done.value
        self.load_users()
        self.user_list.setCurrentRow(row)
        QMessageBox.information(self, self.tr("Users"),
                                self.tr("{name} may sign in again.").format(name=unlocked.username))
