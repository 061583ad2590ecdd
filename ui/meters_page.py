"""Meter readings (抄表): the month's grid of a building's meters for an item, last
reading beside each, usage worked out as the clerk types, problems shown before saving
(a reading lower than last month is refused until corrected or marked rolled over or
replaced; usage over three times the average is flagged). Enter moves to the next house.
Readings can also come from an Excel sheet, checked first and imported all or nothing."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (QAbstractItemDelegate, QAbstractItemView, QComboBox, QDateEdit, QDialog,
                               QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
                               QPlainTextEdit, QPushButton, QStyledItemDelegate, QTableView, QVBoxLayout, QWidget)

from models import billing, estate, meters
from models.errors import OfficeError, QT_TRANSLATE_NOOP, ValidationError
from models.meters import Entry
from ui.kit import refusal, act
from ui import i18n, prefs
from ui.form import FormDialog

READING_COLUMN = 3
WHOLE = QT_TRANSLATE_NOOP("Office", "Enter a whole number")


def _number(text: str) -> int | None:
    import unicodedata

    text = unicodedata.normalize("NFKC", text).strip().replace(",", "")
    return int(text) if text.isdigit() else None


class MeterGridModel(QAbstractTableModel):
    """The grid's rows (meters.GridRow) with what the clerk typed over them, checked as typed."""
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[meters.GridRow] = []
        self.entries: dict[int, Entry] = {}  # subscription → what was typed, not saved yet
        self.saved_errors: dict[int, str] = {}
        self.typing: tuple[int, int | None] | None = None  # (row, number) while the editor is open
        self.headers = [self.tr("House"), self.tr("Owners"), self.tr("Last reading"), self.tr("This reading"),
                        self.tr("Usage"), self.tr("Average"), self.tr("Meter"), self.tr("Check")]

    def load(self, rows: list[meters.GridRow]) -> None:
        self.beginResetModel()
        self.rows, self.entries, self.saved_errors = rows, {}, {}
        self.endResetModel()
        self.changed.emit()

    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def preview(self, row_number: int, text: str) -> None:
        """What is being typed in a row's editor, before Enter: usage and checks follow it."""
        before = self.typing
        self.typing = None if row_number < 0 else (row_number, _number(text) if text.strip() else None)
        touched = row_number if row_number >= 0 else (before[0] if before else -1)
        if touched >= 0:  # all but the reading itself: its open editor keeps what is typed
            self.dataChanged.emit(self.index(touched, 0), self.index(touched, READING_COLUMN - 1))
            self.dataChanged.emit(self.index(touched, READING_COLUMN + 1), self.index(touched, self.columnCount() - 1))

    def entry(self, row: meters.GridRow) -> Entry | None:
        if self.typing is not None and self.rows[self.typing[0]] is row:
            number = self.typing[1]
            if number is None:
                return None
            old = self.entries.get(row.subscription_id)
            status = old.status if old and old.status == "rollover" and number < row.previous else "normal"
            return Entry(row.subscription_id, number, status)
        if row.subscription_id in self.entries:
            return self.entries[row.subscription_id]
        if row.reading is not None:
            return Entry(row.subscription_id, row.reading, row.status, row.old_final, row.new_start, row.note)
        return None

    def checked(self, row: meters.GridRow):
        e = self.entry(row)
        if e is None:
            return None, []
        return meters.check(row, e)

    def problem_text(self, row: meters.GridRow) -> str:
        if row.subscription_id in self.saved_errors:
            return self.saved_errors[row.subscription_id]
        if row.billed:
            return self.tr("Billed: kept as it is")
        if row.later:
            return self.tr("{month} is read: kept as it is").format(month=row.later)
        _usage, problems = self.checked(row)
        return "; ".join(i18n.render(p.template, p.params) for p in problems)

    def flags(self, index):
        base = super().flags(index)
        if not index.isValid() or index.row() >= len(self.rows):  # Qt asks of the root too
            return base
        row = self.rows[index.row()]
        if index.column() == READING_COLUMN and not row.locked:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            e = self.entry(row)
            if col == 0:
                return row.label
            if col == 1:
                return row.owners
            if col == 2:
                return f"{row.previous}" + (f"  ({row.previous_period})" if row.previous_period else
                                            "  " + self.tr("(fitted)"))
            if col == READING_COLUMN:
                return "" if e is None else str(e.reading)
            if col == 4:
                usage, _p = self.checked(row)
                return "" if usage is None else str(usage)
            if col == 5:
                return "" if row.average is None else f"{float(row.average):.1f}"
            if col == 6:
                status = e.status if e else "normal"
                text = i18n.office(meters.STATUSES[status]) if status != "normal" else ""
                return " ".join(t for t in (row.serial, text) if t)
            if col == 7:
                return self.problem_text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (2, 3, 4, 5):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.locked:
                return QColor("#eeeeee")
            _usage, problems = self.checked(row)
            if row.subscription_id in self.saved_errors or any(p.blocking for p in problems):
                return QColor("#f8d7d3")
            if problems:
                return QColor("#fff3c4")
            if row.subscription_id in self.entries:
                return QColor("#e3f1fb")  # typed, not saved
        if role == Qt.ItemDataRole.ToolTipRole and col == 7:
            return self.problem_text(row) or None
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or index.column() != READING_COLUMN:
            return False
        self.typing = None
        row = self.rows[index.row()]
        text = str(value).strip()
        if text == "":
            self.entries.pop(row.subscription_id, None)
        else:
            number = _number(text)
            if number is None:
                return False
            old = self.entry(row)
            status = old.status if old and old.status != "normal" else "normal"
            if status == "rollover" and number >= row.previous:
                status = "normal"
            self.entries[row.subscription_id] = Entry(
                row.subscription_id, number, status, old.old_final if old and status == "replaced" else None,
                old.new_start if old and status == "replaced" else None)
        self.saved_errors.pop(row.subscription_id, None)
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), self.columnCount() - 1))
        self.changed.emit()
        return True

    def set_entry(self, row_number: int, entry: Entry) -> None:
        row = self.rows[row_number]
        self.entries[row.subscription_id] = entry
        self.saved_errors.pop(row.subscription_id, None)
        self.dataChanged.emit(self.index(row_number, 0), self.index(row_number, self.columnCount() - 1))
        self.changed.emit()

    def pending(self) -> list[Entry]:
        """What was typed and differs from what is saved."""
        out = []
        for row in self.rows:
            e = self.entries.get(row.subscription_id)
            if e is None:
                continue
            if row.reading is not None and (e.reading, e.status, e.old_final, e.new_start) == (
                    row.reading, row.status, row.old_final, row.new_start):
                continue
            out.append(e)
        return out

    def counts(self) -> tuple[int, int, int, int]:
        """(meters, read, problems that block, warnings)"""
        read = blocking = warnings = 0
        for row in self.rows:
            if self.entry(row) is not None:
                read += 1
            _usage, problems = self.checked(row)
            if row.subscription_id in self.saved_errors or any(p.blocking for p in problems):
                blocking += 1
            elif problems:
                warnings += 1
        return len(self.rows), read, blocking, warnings


class ReadingDelegate(QStyledItemDelegate):
    """The reading's editor takes digits only, and the row's usage and checks follow each key."""

    def createEditor(self, parent, option, index):  # noqa: N802
        editor = QLineEdit(parent)
        editor.setValidator(QRegularExpressionValidator(QRegularExpression("[0-9０-９]{0,12}"), editor))
        editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        model, row = index.model(), index.row()
        editor.textEdited.connect(lambda text: model.preview(row, text))
        return editor


class GridView(QTableView):
    """Enter in a reading moves down to the next house's reading, ready to type."""

    def closeEditor(self, editor, hint):  # noqa: N802
        self.model().preview(-1, "")  # committed or given up: the row shows what is kept
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            # once this editor is gone: opening the next one now would take the focus from
            # an editor still being closed
            following = self.currentIndex().row() + 1
            QTimer.singleShot(0, self, lambda: self.edit_next(following))

    def finish_typing(self) -> None:
        """A reading still in its editor (Ctrl+S, a click elsewhere) is taken as entered."""
        editor = self.focusWidget() if self.state() == QAbstractItemView.State.EditingState else None
        if isinstance(editor, QLineEdit) and self.viewport().isAncestorOf(editor):
            self.commitData(editor)
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def edit_next(self, start: int) -> None:
        model = self.model()
        for r in range(start, model.rowCount()):
            index = model.index(r, READING_COLUMN)
            if model.flags(index) & Qt.ItemFlag.ItemIsEditable:
                self.setCurrentIndex(index)
                self.edit(index)
                return


class ReplacedDialog(FormDialog):
    """A meter replaced this month: the old meter's last reading, the new one's first, and
    its reading now."""

    def __init__(self, row: meters.GridRow, current: Entry | None, parent=None):
        super().__init__(self.tr("Meter replaced — {house}").format(house=row.label), parent)
        self.row = row
        self.form.layout_.addRow(QLabel(self.tr("Last month's reading: {n}").format(n=row.previous)))
        self.old_final = self.form.add("old_final", self.tr("Old meter's last reading"), QLineEdit())
        self.new_start = self.form.add("new_start", self.tr("New meter's first reading"), QLineEdit("0"))
        self.reading = self.form.add("reading", self.tr("New meter's reading now"), QLineEdit())
        if current is not None and current.status == "replaced":
            self.old_final.setText(str(current.old_final))
            self.new_start.setText(str(current.new_start))
            self.reading.setText(str(current.reading))

    def save(self):
        values, errors = {}, {}
        for name in ("old_final", "new_start", "reading"):
            values[name] = _number(self.form.editor(name).text())
            if values[name] is None:
                errors[name] = (WHOLE, {})
        if errors:
            raise ValidationError(errors)
        entry = Entry(self.row.subscription_id, values["reading"], "replaced", values["old_final"],
                      values["new_start"])
        _usage, problems = meters.check(self.row, entry)
        blocking = [p for p in problems if p.blocking]
        if blocking:
            raise OfficeError(blocking[0].template, **blocking[0].params)
        return entry


class MeterDialog(FormDialog):
    """A meter's serial, digits and starting reading."""

    def __init__(self, user, row: meters.GridRow, parent=None):
        super().__init__(self.tr("Meter — {house}").format(house=row.label), parent)
        self.user, self.row = user, row
        self.serial = self.form.add("serial", self.tr("Serial number"), QLineEdit(row.serial))
        self.digits = self.form.add("digits", self.tr("Digits (it rolls over after)"), QLineEdit(str(row.digits)))
        self.initial = self.form.add("initial", self.tr("Reading when fitted"), QLineEdit(str(row.initial)))
        if row.previous_period or row.reading is not None:
            self.initial.setEnabled(False)  # readings count from it already

    def save(self):
        digits = _number(self.digits.text())
        initial = _number(self.initial.text()) if self.initial.isEnabled() else self.row.initial
        if digits is None or initial is None:
            raise ValidationError({"digits" if digits is None else "initial": (WHOLE, {})})
        return meters.set_meter(self.user, self.row.subscription_id, serial=self.serial.text(), digits=digits,
                                initial=initial)


class ImportReportDialog(QDialog):
    """What an Excel import found: every problem by row and column, or how many readings
    are ready to import."""

    def __init__(self, report: meters.ImportReport, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import readings"))
        self.resize(620, 420)
        box = QVBoxLayout(self)
        columns = {"house": self.tr("house"), "reading": self.tr("reading")}
        if report.problems:
            box.addWidget(QLabel(self.tr(
                "{n} problems in {rows} rows; nothing was imported. Correct them in Excel and import again.")
                .format(n=len(report.problems), rows=report.rows)))
            text = QPlainTextEdit("\n".join(
                self.tr("Row {row}, {column}: {message}").format(row=r, column=columns.get(c, c),
                                                                 message=i18n.render(t, p))
                for r, c, t, p in report.problems))
            text.setReadOnly(True)
            box.addWidget(text, 1)
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        else:
            box.addWidget(QLabel(self.tr("%n reading(s) ready to import, with no problems.", "",
                                   len(report.entries))))
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
            buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Import"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)


class MetersPage(QWidget):
    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.item = QComboBox()
        for it in meters.metered_items():
            self.item.addItem(it.name, it.code)
        self.building = QComboBox()
        for node in estate.tree():
            self.building.addItem(node.name or node.code, node.id)
        start = billing.open_month()  # month by month: the first one not billed yet
        self.month = QDateEdit(QDate(int(start[:4]), int(start[5:]), 1))
        self.month.setDisplayFormat("yyyy-MM")
        self.month.setCalendarPopup(True)
        self.order_note = QLabel()  # a month past an unbilled one takes no readings
        self.order_note.setWordWrap(True)
        self.order_note.setStyleSheet("color: #b71c1c;")
        self.order_note.hide()
        self.model = MeterGridModel(self)
        self.view = GridView()
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(READING_COLUMN, ReadingDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                                  | QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel()
        self.save_button = QPushButton(self.tr("Save readings (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        rollover = QPushButton(self.tr("Rolled over"))
        rollover.clicked.connect(self.mark_rollover)
        replaced = QPushButton(self.tr("Meter replaced…"))
        replaced.clicked.connect(self.mark_replaced)
        meter = QPushButton(self.tr("Meter…"))
        meter.clicked.connect(self.edit_meter)
        excel = QPushButton(self.tr("Import from Excel…"))
        excel.clicked.connect(self.import_excel)
        bar = QHBoxLayout()
        for label, widget in ((self.tr("Item"), self.item), (self.tr("Building"), self.building),
                              (self.tr("Month"), self.month)):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(excel)
        actions = QHBoxLayout()
        for b in (rollover, replaced, meter):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.save_button)
        box = QVBoxLayout(self)
        box.addLayout(bar)
        box.addWidget(self.order_note)
        box.addWidget(self.view, 1)
        box.addWidget(self.summary)
        box.addLayout(actions)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self.model.changed.connect(self.show_counts)
        self._shown = (None, None, None)
        for combo in (self.item, self.building):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        # a month typed digit by digit passes through other months: wait for the last one
        self.month_timer = QTimer(self)
        self.month_timer.setSingleShot(True)
        self.month_timer.setInterval(400)
        self.month_timer.timeout.connect(self.reload)
        self.month.dateChanged.connect(lambda _d: self.month_timer.start())
        self.reload()

    def focus_search(self) -> None:
        """Shown: the keyboard goes to the grid, so the first reading is typed straight away."""
        self.view.setFocus()

    @property
    def period(self) -> str:
        d = self.month.date()
        return f"{d.year()}-{d.month():02d}"

    def reload(self, *, force: bool = False) -> None:
        """Show the grid chosen above; unsaved readings are saved or dropped first, as the
        clerk says (`force`: they were just saved)."""
        self.view.finish_typing()
        wanted = (self.item.currentData(), self.building.currentData(), self.period)
        if wanted == self._shown and not force:
            return
        if not force and self.model.pending() and not self.confirm_discard():
            self._restore(self._shown)
            return
        self._shown = wanted
        code, building_id, period = wanted
        rows = meters.grid(self.user, code, period, building_id=building_id) if code and building_id else []
        self.model.load(rows)
        try:  # said before anything is typed, not only when saving
            billing.check_in_order(period, readings=True)
            self.order_note.hide()
        except OfficeError as e:
            self.order_note.setText(i18n.error_text(e))
            self.order_note.show()
        self.view.resizeColumnsToContents()
        for column, chars in ((READING_COLUMN, 9), (4, 7)):  # room for what will be typed and worked out
            self.view.setColumnWidth(column, max(self.view.columnWidth(column),
                                                 self.view.fontMetrics().horizontalAdvance("0" * chars)))
        first = next((r for r, row in enumerate(rows) if not row.locked and row.reading is None),
                     next((r for r, row in enumerate(rows) if not row.locked), None))
        if first is not None:  # typing a number starts entering it
            self.view.setCurrentIndex(self.model.index(first, READING_COLUMN))

    def _restore(self, shown) -> None:
        code, building_id, period = shown
        for combo, value in ((self.item, code), (self.building, building_id)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)
        if period:
            self.month.blockSignals(True)
            self.month.setDate(QDate(int(period[:4]), int(period[5:]), 1))
            self.month.blockSignals(False)

    def keep_unsaved_readings(self) -> bool:
        """Before the window closes or the user switches: readings typed are saved or
        dropped as the clerk says; False to stay."""
        self.view.finish_typing()
        return not self.model.pending() or self.confirm_discard()

    def confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self, self.tr("Meter readings"),
            self.tr("%n reading(s) not saved. Save them first?", "", len(self.model.pending())),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def show_counts(self) -> None:
        total, read, blocking, warnings = self.model.counts()
        text = self.tr("{read} of {total} meters read; {pending} not saved.").format(
            read=read, total=total, pending=len(self.model.pending()))
        if blocking:
            text += " " + self.tr("{n} to correct before saving (red).").format(n=blocking)
        if warnings:
            text += " " + self.tr("{n} to look at (yellow).").format(n=warnings)
        self.summary.setText(text)

    def current_row(self) -> int | None:
        index = self.view.currentIndex()
        if not index.isValid():
            QMessageBox.information(self, self.tr("Meter readings"), self.tr("Choose a house in the list first"))
            return None
        return index.row()

    def mark_rollover(self) -> None:
        self.view.finish_typing()
        r = self.current_row()
        if r is None:
            return
        row = self.model.rows[r]
        e = self.model.entry(row)
        if row.locked or e is None:
            QMessageBox.information(self, self.tr("Meter readings"), self.tr("Type this month's reading first"))
            return
        self.model.set_entry(r, Entry(row.subscription_id, e.reading, "normal" if e.status == "rollover"
                                      else "rollover"))

    def mark_replaced(self) -> None:
        self.view.finish_typing()
        r = self.current_row()
        if r is None or self.model.rows[r].locked:
            return
        row = self.model.rows[r]
        dialog = ReplacedDialog(row, self.model.entry(row), self)
        if dialog.exec():
            self.model.set_entry(r, dialog.result_object)

    def edit_meter(self) -> None:
        r = self.current_row()
        if r is None:
            return
        if self.model.pending() and not self.confirm_discard():
            return
        if MeterDialog(self.user, self.model.rows[r], self).exec():
            self.reload(force=True)

    def shown_period(self) -> str:
        """The month of the readings in the grid (the month box may already show another)."""
        return self._shown[2] or self.period

    def save(self) -> bool:
        self.view.finish_typing()
        pending = self.model.pending()
        if not pending:
            return True
        try:
            n = meters.save(self.user, self.shown_period(), pending)
        except ValidationError as e:
            self.model.saved_errors = {int(k): i18n.render(t, p) for k, (t, p) in e.fields.items() if k.isdigit()}
            self.model.layoutChanged.emit()
            self.show_counts()
            labels = {row.subscription_id: row.label for row in self.model.rows}
            QMessageBox.warning(self, self.tr("Meter readings"), self.tr(
                "Nothing was saved: %n reading(s) need correcting (red).", "", len(e.fields)) + "\n\n" +
                "\n".join(self.tr("{house}: {problem}").format(house=labels.get(k, ""), problem=text)
                          for k, text in list(self.model.saved_errors.items())[:8]))
            return False
        except OfficeError as e:
            refusal(self, self.tr("Meter readings"), e)
            return False
        self.reload(force=True)
        self.summary.setText(self.tr("Saved %n reading(s).", "", n) + " " + self.summary.text())
        return True

    def import_excel(self) -> None:
        if self.model.pending() and not self.confirm_discard():
            return
        path, _f = QFileDialog.getOpenFileName(self, self.tr("Import readings"), prefs.folder("import/folder"),
                                               self.tr("Excel workbooks (*.xlsx)"))
        if path:
            self.import_file(path)

    def import_file(self, path: str) -> None:
        code, period = self._shown[0] or self.item.currentData(), self.shown_period()
        done = act(self, self.tr("Import readings"), meters.import_workbook, self.user, code, period, path)
        if not done:
            return
        report = done.value
        if not ImportReportDialog(report, self).exec() or report.problems:
            return
        done = act(self, self.tr("Import readings"), meters.import_workbook, self.user, code, period, path, write=True)
        if not done:
            return
        report = done.value
        if report.problems:  # the readings changed meanwhile (another PC): nothing was written
            ImportReportDialog(report, self).exec()
            return
        self.reload(force=True)
        QMessageBox.information(self, self.tr("Import readings"), self.tr(
            "Imported {n} readings for {period}.").format(n=report.written, period=period))
