"""Forms whose errors appear next to the field they concern, in the clerk's words."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from ui import i18n


class FieldRow(QWidget):
    """A field with a red message line under it, hidden while the field is fine."""

    def __init__(self, editor: QWidget, parent=None):
        super().__init__(parent)
        self.editor = editor
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        self.error.hide()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(editor)
        box.addWidget(self.error)

    def set_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))


class Form(QWidget):
    """A QFormLayout of named fields; `show_errors` puts each message by its field."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.layout_ = QFormLayout(self)
        self.rows: dict[str, FieldRow] = {}

    def add(self, name: str, label: str, editor: QWidget) -> QWidget:
        row = FieldRow(editor)
        self.rows[name] = row
        self.layout_.addRow(label, row)
        return editor

    def editor(self, name: str) -> QWidget:
        return self.rows[name].editor

    def clear_errors(self) -> None:
        for row in self.rows.values():
            row.set_error("")

    def show_errors(self, error) -> str:
        """Show a ValidationError's messages; returns those with no field here, joined."""
        self.clear_errors()
        leftover = []
        first = None
        for field, (template, params) in error.fields.items():
            text = i18n.render(template, params)
            if field in self.rows:
                self.rows[field].set_error(text)
                first = first or self.rows[field].editor
            else:
                leftover.append(text)
        if first is not None:
            first.setFocus()
        return "\n".join(leftover)


def fill_combo(combo: QComboBox, choices: dict[str, str], current: str | None = None) -> QComboBox:
    """Codes as item data, labels translated (context "Office")."""
    combo.clear()
    for code, label in choices.items():
        combo.addItem(i18n.office(label) if label else "", code)
    if current is not None:
        combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo
