"""文件 → 导出: the list on screen, or a standard report, into an .xlsx (models/exporting)."""
from __future__ import annotations

import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox, QTableView, QWidget

from models import clock, exporting, importing, users
from ui.kit import act
from ui import i18n, prefs, tasks

REPORT_PERMISSIONS = {"houses": "archive.view", "arrears": "fees.view", "collection": "fees.view",
                      "day-close": "cash.desk"}  # her own day, the desk clerk too


def table_on(page: QWidget | None) -> QTableView | None:
    """The list the clerk means: the one with the keyboard, else the largest one showing."""
    if page is None:
        return None
    focus = QApplication.focusWidget()
    if isinstance(focus, QTableView) and page.isAncestorOf(focus) and focus.model() is not None:
        return focus
    views = [v for v in page.findChildren(QTableView) if v.isVisibleTo(page) and v.model() is not None
             and v.model().columnCount() > 0]
    with_rows = [v for v in views if v.model().rowCount() > 0] or views
    return max(with_rows, key=lambda v: v.width() * v.height(), default=None)


def shown(view: QTableView) -> tuple[list[str], list[list[str]]]:
    """The headers and cells' texts of a list, all its rows (a paged list fetched to its end),
    without the columns hidden on screen, in the order shown."""
    model = view.model()
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    header = view.horizontalHeader()
    columns = [header.logicalIndex(v) for v in range(header.count())]
    columns = [c for c in columns if not view.isColumnHidden(c)]
    heads = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in columns]
    rows = []
    for r in range(model.rowCount()):
        if view.isRowHidden(r):
            continue
        rows.append([str(model.data(model.index(r, c)) or "") for c in columns])
    return heads, rows


def _ask_path(parent, title: str, name: str) -> str | None:
    folder = prefs.folder("export/folder")
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path(folder) / f"{name}.xlsx"),
                                          QCoreApplication.translate("Exchange", "Excel workbooks (*.xlsx)"))
    if path:
        prefs.set("export/folder", str(Path(path).parent))
    return path or None


def _done(parent, title: str, made: Path) -> None:
    QMessageBox.information(parent, title,
                            QCoreApplication.translate("Exchange", "Saved: {file}").format(file=str(made)))


def export_list(parent, page: QWidget | None, title: str, path: str | None = None) -> Path | None:
    """The list on `page` as shown, typed cell by cell."""
    view = table_on(page)
    if view is None or view.model().rowCount() == 0:
        QMessageBox.information(parent, QCoreApplication.translate("Exchange", "Export the list"), QCoreApplication.translate("Exchange", "There is no list with rows on this page."))
        return None
    name = f"{title}-{clock.today():%Y%m%d}"
    path = path or _ask_path(parent, QCoreApplication.translate("Exchange", "Export the list"), name)
    if not path:
        return None
    heads, rows = shown(view)
    subtitle = QCoreApplication.translate("Exchange", "Exported {at}, {n} rows").format(
        at=f"{clock.now():%Y-%m-%d %H:%M}", n=len(rows))
    done = act(parent, QCoreApplication.translate("Exchange", "Export the list"), exporting.write_shown, path, title,
               heads, rows, subtitle=subtitle, user=getattr(parent, "user", None))  # the window's user; audited
    if not done:
        return None
    made = done.value
    _done(parent, QCoreApplication.translate("Exchange", "Export the list"), made)
    return made


def export_report(parent, user, kind: str, path: str | None = None, *, month: str | None = None,
                  day: datetime.date | None = None) -> Path | None:
    title = i18n.office(exporting.REPORTS[kind])
    if kind == "collection" and month is None:
        text, ok = QInputDialog.getText(parent, title, QCoreApplication.translate("Exchange", "Month (YYYY-MM)"), text=f"{clock.today():%Y-%m}")
        if not ok:
            return None
        done = act(parent, title, importing.period, text)
        if not done:
            return None
        month = done.value
        if not month:
            return None
    stamp = month or f"{(day or clock.today()):%Y%m%d}"
    path = path or _ask_path(parent, title, f"{title}-{stamp}")
    if not path:
        return None
    def work():
        if kind == "houses":
            return exporting.houses(user, path, label=i18n.office)
        if kind == "arrears":
            return exporting.arrears_report(user, path)
        if kind == "collection":
            return exporting.collection_report(user, path, month)
        return exporting.day_close_report(user, path, user.id, day or clock.today(), label=i18n.office)

    # off the UI thread: a 20,000-house estate's report takes a while, another PC's write is waited for
    done = act(parent, title, tasks.run_with_progress, parent, title, 0, tasks.patiently(work), keep_finished=True,
               cancellable=False)
    if not done:
        return None
    made = done.value
    _done(parent, title, made)
    return made


def reports_for(user) -> list[str]:
    return [k for k in exporting.REPORTS if users.has(user, REPORT_PERMISSIONS[k])]

