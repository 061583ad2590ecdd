"""从 Excel 导入: houses and owners, residents, or opening balances from a workbook (.xlsx,
.xls, .ods) or a .csv. The clerk picks the file; the columns are matched by their headers and
can be changed; 检查 lists every problem by row and column without writing anything, and says
which rows it left out as no data (a title, 合计, notes under the table); 导入 writes all rows
or none (models/importing)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QComboBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel, \
    QLineEdit, QMessageBox, QPushButton, QTableView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from models import db, exporting, importing, money, users
from ui.kit import act
from ui import i18n, prefs, tasks
from ui.table_models import RIGHT, RowsModel

_PERMISSION = {"houses": "estate.edit", "residents": "archive.edit", "balances": "fees.setup"}


def can_import(user) -> bool:
    return any(users.has(user, p) for p in _PERMISSION.values())


class ImportDialog(QDialog):
    def __init__(self, user, parent=None, kind: str | None = None):
        super().__init__(parent)
        self.user = user
        self.setWindowTitle(self.tr("Import from Excel"))
        self.resize(900, 680)
        self.sheet: importing.Sheet | None = None
        self.report: importing.Report | None = None
        self.stamp = None  # the workbook's time and size when it was read

        top = QFormLayout()
        self.kind = QComboBox()
        for key, (label, _cols) in importing.KINDS.items():
            if users.has(user, _PERMISSION[key]):
                self.kind.addItem(i18n.office(label), key)
        if kind and self.kind.findData(kind) >= 0:
            self.kind.setCurrentIndex(self.kind.findData(kind))
        self.kind.currentIndexChanged.connect(self.fill_mapping)
        top.addRow(self.tr("What"), self.kind)
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        self.file = QLineEdit()
        self.file.setReadOnly(True)
        self.file.setPlaceholderText(self.tr("a workbook (.xlsx, .xls, .ods) or a .csv: the sheet with the header "
                                             "is read"))
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self.choose)
        h.addWidget(self.file, 1)
        h.addWidget(choose)
        top.addRow(self.tr("File"), row)
        self.about = QLabel()
        self.about.setWordWrap(True)
        top.addRow("", self.about)

        self.mapping = QTableWidget(0, 3)
        self.mapping.setHorizontalHeaderLabels([self.tr("Needed"), self.tr("Column of the sheet"),
                                                self.tr("First row")])
        self.mapping.verticalHeader().hide()
        self.mapping.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.mapping.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.mapping.horizontalHeader().setStretchLastSection(True)
        self.mapping.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

        self.summary = QLabel(self.tr("Choose a file, check the matched columns, then press Check."))
        self.summary.setWordWrap(True)
        self.left_out = QLabel()  # the rows the check passed by as no data, in grey
        self.left_out.setWordWrap(True)
        self.left_out.setStyleSheet("color: #555;")
        self.left_out.hide()
        self.problems = RowsModel([
            (self.tr("Row"), lambda p: p.row, RIGHT),
            (self.tr("Column"), lambda p: p.column, None),
            (self.tr("Problem"), lambda p: i18n.render(p.template, p.params), None),
        ], self, alert=lambda p: True)
        self.problem_view = QTableView()
        self.problem_view.setModel(self.problems)
        self.problem_view.verticalHeader().hide()
        self.problem_view.horizontalHeader().setStretchLastSection(True)
        self.problem_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)

        self.check_button = QPushButton(self.tr("&Check"))
        self.check_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.check_button.clicked.connect(self.check)
        self.import_button = QPushButton(self.tr("&Import"))
        self.import_button.clicked.connect(self.run)
        self.save_problems = QPushButton(self.tr("Save the problems to Excel…"))
        self.save_problems.clicked.connect(self.export_problems)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_problems)
        buttons.addStretch(1)
        for b in (self.check_button, self.import_button, close):
            buttons.addWidget(b)

        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(QLabel(self.tr("Columns (matched by their headers; change any that is wrong)")))
        box.addWidget(self.mapping, 2)
        box.addWidget(self.summary)
        box.addWidget(self.left_out)
        box.addWidget(self.problem_view, 3)
        box.addLayout(buttons)
        self.fill_mapping()

    # --- the file and the mapping --------------------------------------------------------

    def choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import from Excel"), prefs.folder("import/folder"),
                                              self.tr("Workbooks and CSV files (*.xlsx *.xls *.ods *.csv *.txt)"))
        if path:
            self.open_file(path)

    def open_file(self, path: str) -> bool:
        # off the UI thread, with Cancel: a workbook may claim far more than it holds
        done = act(self, self.windowTitle(), tasks.run_with_progress, self, self.tr("Reading the workbook…"), 0,
                   lambda progress, _cancelled: importing.read(path, progress=progress))
        if not done:
            return False
        sheet = done.value
        if sheet is None:  # cancelled: the workbook read before (if any) stays
            return False
        self.sheet = sheet
        prefs.set("import/folder", str(Path(path).parent))
        self.stamp = self._stamp(path)
        self.file.setText(path)
        self.about.setText(self.tr("Sheet “{sheet}”: header on row {row}, {rows} rows under it").format(
            sheet=self.sheet.name, row=self.sheet.header_row, rows=len(self.sheet.rows)))
        self.fill_mapping()
        return True

    @staticmethod
    def _stamp(path: str):
        try:
            st = Path(path).stat()
            return st.st_mtime_ns, st.st_size
        except OSError:
            return None

    def fresh(self) -> bool:
        """The workbook as it is now: read again when it was saved since it was opened (the
        clerk corrects it in Excel and checks again). False when its columns changed: they
        are matched anew, for the clerk to look at before checking."""
        path = self.file.text()
        if not path or self._stamp(path) == self.stamp:
            return True
        headers = self.sheet.headers if self.sheet else None
        mapping = self.current_mapping()
        if not self.open_file(path):
            return False
        if self.sheet.headers != headers:
            self.summary.setText(self.tr("The workbook has changed since it was opened: its columns are matched "
                                         "again. Look at them, then press Check."))
            return False
        for key, combo in self.combos.items():  # the clerk's own matching stays
            combo.setCurrentIndex(combo.findData(mapping.get(key)))
        return True

    def fill_mapping(self) -> None:
        self.forget()
        kind = self.kind.currentData()
        if kind is None:
            return
        cols = importing.columns_of(kind)
        guessed = importing.guess(kind, self.sheet.headers) if self.sheet else {}
        first = self.sheet.rows[0][1] if self.sheet and self.sheet.rows else ()
        self.mapping.setRowCount(len(cols))
        self.combos: dict[str, QComboBox] = {}
        for r, col in enumerate(cols):
            name = i18n.office(col.label) + (" *" if col.required else "")
            self.mapping.setItem(r, 0, QTableWidgetItem(name))
            combo = QComboBox()
            combo.addItem(self.tr("— not imported —"), None)
            for i, header in enumerate(self.sheet.headers if self.sheet else []):
                combo.addItem(f"{importing.column_letter(i)}  {header}", i)
            if col.key in guessed:
                combo.setCurrentIndex(combo.findData(guessed[col.key]))
            combo.currentIndexChanged.connect(lambda _i, r=r: self.mapping_changed(r))
            self.mapping.setCellWidget(r, 1, combo)
            self.combos[col.key] = combo
            self.mapping.setItem(r, 2, QTableWidgetItem(self._sample(first, combo.currentData())))
        self.mapping.resizeColumnsToContents()
        self.mapping.horizontalHeader().setStretchLastSection(True)

    def _sample(self, first, index) -> str:
        if index is None or index >= len(first):
            return ""
        return importing.text(first[index])

    def mapping_changed(self, r: int) -> None:
        self.forget()
        first = self.sheet.rows[0][1] if self.sheet and self.sheet.rows else ()
        combo = self.mapping.cellWidget(r, 1)
        self.mapping.setItem(r, 2, QTableWidgetItem(self._sample(first, combo.currentData())))

    def current_mapping(self) -> dict[str, int]:
        return {key: combo.currentData() for key, combo in self.combos.items() if combo.currentData() is not None}

    def forget(self) -> None:
        """Anything changed: the last check no longer holds; import waits for a new one."""
        self.report = None
        self.problems.set_rows([])
        self.left_out.clear()
        self.left_out.hide()
        self.summary.setText(self.tr("Choose a file, check the matched columns, then press Check."))
        self.summary.setStyleSheet("")
        self.import_button.setEnabled(False)
        self.save_problems.setEnabled(False)
        self.check_button.setEnabled(self.sheet is not None)

    # --- check and import ----------------------------------------------------------------

    def _work(self, title: str, total: int, fn):
        # an import that committed is reported as done, whenever Cancel was pressed
        return act(self, self.windowTitle(), tasks.run_with_progress, self, title, total, fn, keep_finished=True).value

    def check(self) -> importing.Report | None:
        if self.sheet is None or not self.fresh():
            return None
        kind, mapping, sheet = self.kind.currentData(), self.current_mapping(), self.sheet
        report = self._work(self.tr("Checking the rows…"), len(sheet.rows),
                            lambda progress, _cancelled: importing.check(self.user, kind, sheet, mapping, progress))
        if report is None:
            return None
        self.show_report(report)
        return report

    def show_report(self, report: importing.Report) -> None:
        self.report = report
        self.problems.set_rows(report.problems)
        self.problem_view.resizeColumnsToContents()
        self.problem_view.horizontalHeader().setStretchLastSection(True)
        self.save_problems.setEnabled(bool(report.problems))
        if report.written:
            text = self.tr("Imported {rows} rows: {new}.").format(rows=report.rows, new=self._new_text(report))
        elif report.problems:
            text = self.tr("{rows} rows read, %n problem(s): nothing has been written. Correct the workbook (or "
                           "the matched columns) and check again.", "", len(report.problems)).format(rows=report.rows)
        else:
            text = self.tr("{rows} rows read, no problems. Import will add {new}.").format(
                rows=report.rows, new=self._new_text(report))
            if report.skipped:
                text += " " + self.tr("{skipped} rows are already in the archive as they are.").format(
                    skipped=report.skipped)
        self.summary.setText(text)
        self.summary.setStyleSheet("color: #c0392b;" if report.problems else "")
        self.show_notes(report.notes)
        self.import_button.setEnabled(report.ok and bool(report.plan) and not report.written)

    def show_notes(self, notes: list[importing.Problem], shown: int = 6) -> None:
        if not notes:
            self.left_out.hide()
            return
        lines = [self.tr("Row {row}: {note}").format(row=p.row, note=i18n.render(p.template, p.params))
                 for p in notes[:shown]]
        if len(notes) > shown:
            lines.append(self.tr("and {n} more").format(n=len(notes) - shown))
        self.left_out.setText("\n".join(lines))
        self.left_out.show()

    def _new_text(self, report: importing.Report) -> str:
        n = report.new
        if report.kind == "houses":
            return self.tr("{houses} houses, {owners} owners").format(**n)
        if report.kind == "residents":
            return self.tr("{residents} residents").format(**n)
        return self.tr("{arrears} arrears totalling {arrears_total}, {prepayments} prepayments totalling "
                       "{prepay_total}").format(arrears=n["arrears"], arrears_total=money.fmt(n["arrears_total"]),
                                                prepayments=n["prepayments"], prepay_total=money.fmt(n["prepay_total"]))

    def run(self) -> importing.Report | None:
        if self.report is None or not self.report.ok or self.sheet is None:
            return None
        if self._stamp(self.file.text()) != self.stamp:  # saved again since the check: checked again first
            same_columns = self.fresh()
            self.forget()
            self.summary.setText(self.tr("The workbook has changed since it was checked: press Check again.")
                                 if same_columns else
                                 self.tr("The workbook has changed since it was opened: its columns are matched "
                                         "again. Look at them, then press Check."))
            return None
        kind, mapping, sheet = self.kind.currentData(), self.current_mapping(), self.sheet
        if QMessageBox.question(self, self.windowTitle(), self.tr("Import {new} from {file}?").format(
                new=self._new_text(self.report), file=Path(self.file.text()).name)) != QMessageBox.StandardButton.Yes:
            return None
        source = self.file.text()
        report = self._work(self.tr("Importing…"), 2 * len(sheet.rows), lambda progress, _cancelled: db.patiently(
            lambda: importing.run(self.user, kind, sheet, mapping, source=source, progress=progress),
            waiting=lambda: progress(0, i18n.office(db.WAITING))))  # another PC's long write: said while waited
        if report is None:  # cancelled: the transaction was rolled back
            self.summary.setText(self.tr("Cancelled: nothing has been written."))
            return None
        self.show_report(report)
        return report

    def export_problems(self) -> None:
        if not self.report or not self.report.problems:
            return
        default = str(Path(self.file.text()).with_name(Path(self.file.text()).stem + "-问题.xlsx"))
        path, _ = QFileDialog.getSaveFileName(self, self.save_problems.text(), default,
                                              self.tr("Excel workbooks (*.xlsx)"))
        if not path:
            return
        rows = [[str(p.row), p.column, i18n.render(p.template, p.params)] for p in self.report.problems]
        act(self, self.windowTitle(), exporting.write_shown, path, self.tr("Problems"),
            [self.tr("Row"), self.tr("Column"), self.tr("Problem")], rows, subtitle=self.file.text(), user=self.user)

