"""Forms whose errors appear next to the field they concern, in the clerk's words."""
from __future__ import annotations

from PySide6.QtWidgets import (QAbstractButton, QComboBox, QDateTimeEdit, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QSpinBox, QTextEdit, QVBoxLayout,
                               QWidget)

from models.errors import OfficeError, ValidationError
from ui import i18n


def _changes(widget: QWidget) -> tuple:
    """The signals by which an editor (or a widget inside a composite one) says its value changed."""
    if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
        return (widget.textChanged,)
    if isinstance(widget, QComboBox):
        return (widget.currentIndexChanged,)  # an editable one's text: its QLineEdit
    if isinstance(widget, QAbstractButton):
        return (widget.toggled,)  # a check box, a radio button; a plain button changes nothing
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        return (widget.valueChanged,)
    if isinstance(widget, QDateTimeEdit):  # QDateEdit and QTimeEdit too
        return (widget.dateTimeChanged,)
    return ()


class FieldRow(QWidget):
    """A field with a red message line under it, hidden while the field is fine (and, below
    the field, what helps fill it in: the placeholders a wording may use)."""

    def __init__(self, editor: QWidget, parent=None, below: QWidget | None = None):
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
        if below is not None:
            box.addWidget(below)
        box.addWidget(self.error)
        # the message is about what was there: it goes as soon as the field is changed
        for widget in (editor, *editor.findChildren(QWidget)):
            for changed in _changes(widget):
                changed.connect(self._changed)

    def _changed(self, *_value) -> None:
        if not self.error.isHidden():
            self.set_error("")

    def set_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))


class Form(QWidget):
    """A QFormLayout of named fields; `show_errors` puts each message by its field."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.layout_ = QFormLayout(self)
        # on a narrow screen a long label goes above its field rather than widening the page
        self.layout_.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.rows: dict[str, FieldRow] = {}

    def add(self, name: str, label: str, editor: QWidget, below: QWidget | None = None) -> QWidget:
        row = FieldRow(editor, below=below)
        self.rows[name] = row
        self.layout_.addRow(label, row)
        return editor

    def editor(self, name: str) -> QWidget:
        return self.rows[name].editor

    def show_row(self, name: str, on: bool) -> None:
        """Show or hide a field with its label (hiding only the field leaves the label)."""
        self.layout_.setRowVisible(self.rows[name], on)

    def focusable_editors(self) -> list[QWidget]:
        from PySide6.QtCore import Qt

        return [r.editor for r in self.rows.values()
                if r.editor.isEnabled() and r.editor.focusPolicy() != Qt.FocusPolicy.NoFocus]

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


class FormDialog(QDialog):
    """A dialog around a Form; subclasses implement `save()` that calls the core."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = Form()
        self.result_object = None
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        self.setMinimumWidth(460)
        self.box = QVBoxLayout(self)
        self.box.addWidget(self.form)
        self.box.addWidget(self.buttons)

    def _save(self) -> None:
        self.form.clear_errors()
        try:
            self.result_object = self.save()
        except OfficeError as e:
            from ui.kit import refusal

            refusal(self, self.windowTitle(), e, self.form)
            if isinstance(e, ValidationError):
                # a message under a field needs its line: the dialog grows rather than squash the fields
                self.layout().activate()
                self.resize(self.size().expandedTo(self.sizeHint()))
            return
        self.accept()

    def showEvent(self, event):  # noqa: N802
        # the fields were made after the buttons: put them first in the Tab order, and
        # start in the first field, so typing never lands on Save or Cancel
        editors = self.form.focusable_editors()
        chain = editors + [b for b in self.buttons.buttons()]
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)
        chosen = self.focusWidget()  # a dialog may have chosen its field (the password)
        if editors and not any(chosen is e or (chosen is not None and e.isAncestorOf(chosen)) for e in editors):
            editors[0].setFocus()
        super().showEvent(event)

    def save(self):
        raise NotImplementedError
