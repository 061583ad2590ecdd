"""What every register's tab has: a search line (Enter), the list, its buttons, a summary,
and the list on paper (打印清单)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QMessageBox, QPushButton, QVBoxLayout, QWidget

from models import search
from models.errors import QT_TRANSLATE_NOOP, ValidationError
from ui.kit import fit_columns, selected_object, table_view
from ui.reflow import FlowLayout
from ui.table_models import RowsModel


class RegisterTab(QWidget):
    """A register: `fetch(text, only_open)` gives its rows; subclasses add their buttons."""

    title = ""
    find_hint = ""
    open_label = ""  # the filter's words ("open only"); empty: no filter

    def __init__(self, user, columns, parent=None, *, shade=None, alert=None, muted=None):
        super().__init__(parent)
        self.user = user
        self.find = QLineEdit()
        self.find.setPlaceholderText(self.find_hint)
        self.find.setClearButtonEnabled(True)
        self.find.returnPressed.connect(self.load)
        self.only_open = QCheckBox(self.open_label) if self.open_label else None
        self.model = RowsModel(columns, self, shade=shade, alert=alert, muted=muted)
        self.view = table_view(self.model)
        self.view.activated.connect(lambda _ix: self.activated())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        top = FlowLayout()
        top.addWidget(self.find, 1)
        if self.only_open is not None:
            self.only_open.setChecked(True)
            self.only_open.toggled.connect(lambda _on: self.load())
            top.addWidget(self.only_open)
        self.buttons = FlowLayout()
        self.buttons.addWidget(self.summary, 1)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.view, 1)
        box.addLayout(self.buttons)

    def add_button(self, text: str, slot, shortcut: str = "") -> QPushButton:
        b = QPushButton(text)
        b.clicked.connect(slot)
        if shortcut:
            b.setShortcut(QKeySequence(shortcut))
            b.setToolTip(QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText))
        self.buttons.addWidget(b)
        return b

    def add_print_button(self) -> QPushButton:
        return self.add_button(QCoreApplication.translate("RegisterTab", "Print the list…"), self.print_list)

    def fetch(self, text: str, only_open: bool) -> list:
        raise NotImplementedError

    def load(self) -> None:
        chosen = selected_object(self.view)
        rows = self.fetch(self.find.text().strip(), self.only_open.isChecked() if self.only_open else False)
        self.model.set_rows(rows)
        fit_columns(self.view)
        if chosen is not None:
            for n, row in enumerate(rows):
                if getattr(row, "id", None) == getattr(chosen, "id", object()):
                    self.view.selectRow(n)
                    break
        self.summary.setText(self.summary_text(rows))

    def summary_text(self, rows) -> str:
        return QCoreApplication.translate("RegisterTab", "%n entries", "", len(rows))

    def activated(self) -> None:
        pass

    def chosen(self, what: str = ""):
        row = selected_object(self.view)
        if row is None:
            QMessageBox.information(self, self.title, what or QCoreApplication.translate("RegisterTab", "Choose an entry in the list first"))
        return row

    def choose_record(self, record_id: int) -> bool:
        for n, row in enumerate(self.model.rows):
            if getattr(row, "id", None) == record_id:
                self.view.selectRow(n)
                self.view.setFocus()
                return True
        return False

    def print_list(self):
        from ui.preview import preview_list

        dialog = preview_list(self, self.title, self.model, self.summary.text())
        dialog.exec()
        return dialog

    def focus_first(self) -> None:
        self.find.setFocus()
        self.find.selectAll()


def house_of(user, edit: QLineEdit, field: str = "house", required: bool = False):
    """The house typed in `edit` (3-2-1201), shown by its label; None when it is left empty
    (refused with a message by the field when `required`); a house not found is refused."""
    text = edit.text().strip()
    if not text:
        if required:
            raise ValidationError({field: (QT_TRANSLATE_NOOP("Office", "Type the house: 3-2-1201"), {})})
        return None
    house = search.the_house(user, text)
    if house is None:
        raise ValidationError({field: (QT_TRANSLATE_NOOP("Office", "No house {text}"), {"text": text})})
    edit.setText(house.label)
    return house


def when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


def short(moment) -> str:
    return moment.strftime("%m-%d %H:%M") if moment else ""


ALIGN_CENTER = int(Qt.AlignmentFlag.AlignCenter)
