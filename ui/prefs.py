"""Per-PC settings (本机设置), declared once here with their type and default and kept in
QSettings (an INI file): the language, the last database, window geometry, the printer.
Office-wide settings live in the database instead (models/settings.py)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings


@dataclass(frozen=True)
class Option:
    key: str
    kind: type
    default: Any


OPTIONS = {o.key: o for o in [
    Option("language", str, "zh_CN"),  # zh_CN or en
    Option("database_url", str, ""),  # empty: the per-user data folder
    Option("window/normal", str, ""),  # x,y,width,height of the main window when not maximised
    Option("window/maximized", bool, False),
    Option("archive/splitter", bytes, b""),
    Option("printer/name", str, ""),
    Option("printer/offsets", str, "{}"),  # JSON: printer name → [x_mm, y_mm]
    Option("last_user", str, ""),
    Option("offices", str, "{}"),  # JSON: database (its label, never a password) → the estate's name there
    Option("receipt/paper", str, "CONT_THIRD"),  # printing.paper.PAPERS: the receipt form in this PC's printer
    Option("receipt/carbonless", bool, False),  # one pass on carbonless stock, else three copies
    Option("receipt/prenumbered", bool, False),  # forms carry printed numbers: each form printed uses one
    Option("receipt/template", str, ""),  # the office's template (models.templates) for this PC's stock; "" built-in
    Option("receipt/data_only", bool, False),  # 套打: the values alone, on stock with the rest printed on it
    Option("work-order/template", str, ""),  # the office's form for repair work orders on this PC; "" built-in
    Option("work-order/data_only", bool, False),
    Option("parcel-label/template", str, ""),  # and so for each document printing/forms knows
    Option("parcel-label/data_only", bool, False),
    Option("key-slip/template", str, ""),
    Option("key-slip/data_only", bool, False),
    Option("item-slip/template", str, ""),
    Option("item-slip/data_only", bool, False),
    Option("notice/template", str, ""),
    Option("notice/data_only", bool, False),
    Option("dunning/template", str, ""),
    Option("dunning/data_only", bool, False),
    Option("slip/paper", str, "A5"),  # printing.paper.PAPERS: key and item slips, work orders
    Option("backup/folder", str, ""),  # where this PC's backups went last (the USB stick)
    Option("import/folder", str, ""),  # where the last workbook was imported from
    Option("export/folder", str, ""),  # where the last list or report was exported to
    Option("label/layout", str, "roll"),  # parcel labels: a 60 × 40 mm roll, or A4 sheets of 24
]}


def _store() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "EstateDesk", "EstateDesk")


def get(key: str):
    opt = OPTIONS[key]
    value = _store().value(key, opt.default)
    if value is None:
        return opt.default
    if opt.kind is bytes:
        return bytes(value) if value else b""
    if opt.kind is bool:
        return value in (True, "true", "1", 1)
    try:
        return opt.kind(value)
    except (TypeError, ValueError):
        return opt.default


def printer_offsets(printer: str):
    """The offsets set for `printer` on this PC (printing.paper.Offsets)."""
    import json

    from printing.paper import Offsets

    try:
        x, y = json.loads(get("printer/offsets")).get(printer, (0.0, 0.0))
        return Offsets(float(x), float(y))
    except (ValueError, TypeError):
        return Offsets()


def folder(key: str | None = None) -> str:
    """Where a file dialog opens: the folder this PC last used for that kind of file
    (`key`, e.g. "import/folder"), else the user's documents — never the program's folder."""
    from PySide6.QtCore import QStandardPaths

    last = get(key) if key else ""
    if last and Path(last).is_dir():
        return last
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return documents if documents and Path(documents).is_dir() else str(Path.home())


def office_name(database: str) -> str | None:
    """The estate's name at this PC's last sign-in to `database` (app.db_label), or None
    when this PC has not signed in there: the sign-in window shows it before the database
    has opened."""
    import json

    try:
        name = json.loads(get("offices")).get(database)
    except (ValueError, AttributeError):
        return None
    return name if isinstance(name, str) else None


def remember_office(database: str, name: str) -> None:
    import json

    try:
        table = json.loads(get("offices"))
        if not isinstance(table, dict):
            table = {}
    except ValueError:
        table = {}
    if table.get(database) != name:
        table[database] = name
        set("offices", json.dumps(table, ensure_ascii=False))


def set_printer_offsets(printer: str, x_mm: float, y_mm: float) -> None:
    import json

    try:
        table = json.loads(get("printer/offsets"))
    except ValueError:
        table = {}
    table[printer] = [round(x_mm, 1), round(y_mm, 1)]
    set("printer/offsets", json.dumps(table, ensure_ascii=False))


def set(key: str, value) -> None:  # noqa: A001 - the registry's verb
    opt = OPTIONS[key]
    if not isinstance(value, opt.kind):
        raise TypeError(f"{key} takes {opt.kind.__name__}")
    _store().setValue(key, value)
