"""The last line of defence: an unexpected exception is written with its traceback to a
rotating log in the user's log folder, and the clerk sees a calm dialog instead of a
vanished window. Installed first thing in main.py, before Qt is even imported."""
from __future__ import annotations

import sys
import traceback
from pathlib import Path

_log_dir: Path | None = None
_log_file: Path | None = None


def log_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir("EstateDesk", appauthor=False))


def install(directory: Path | None = None) -> None:
    """Catch every unexpected exception from now on. The log is opened at the first one,
    so a normal start pays nothing for it."""
    global _log_dir
    _log_dir = directory
    sys.excepthook = handle


def _logger():
    global _log_file
    import logging
    import logging.handlers

    log = logging.getLogger("estatedesk")
    if _log_file is None:
        directory = _log_dir or log_dir()
        directory.mkdir(parents=True, exist_ok=True)
        _log_file = directory / "estatedesk.log"
        handler = logging.handlers.RotatingFileHandler(_log_file, maxBytes=2_000_000, backupCount=5,
                                                       encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    return log


def handle(exc_type, exc, tb) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if _office_refusal(exc):
        return
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    try:
        _logger().error("unexpected error\n%s", text)
    except OSError:  # a full or read-only disk must not hide the dialog
        pass
    try:
        _show_dialog(text)
    except Exception:  # no screen, or Qt itself is broken: the log has it
        sys.__excepthook__(exc_type, exc, tb)


_refusals_shown: set[str] = set()


def _office_refusal(exc) -> bool:
    """An office's refusal that reached no dialog of its own (a page refreshing itself on a
    timer after an administrator deactivated this user, or took a role, at another PC): it
    is said once, in the office's words, never as a crash."""
    from models.errors import OfficeError

    if not isinstance(exc, OfficeError):
        return False
    try:
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtWidgets import QApplication, QMessageBox

        from ui import i18n

        text = i18n.error_text(exc)
        _logger().info("refused outside a dialog: %s", text)
        if text not in _refusals_shown and QApplication.instance() is not None:
            _refusals_shown.add(text)
            QMessageBox.warning(QApplication.activeWindow(), QCoreApplication.translate("App", "EstateDesk"), text)
    except Exception:  # noqa: BLE001 - no screen: the log has it
        pass
    return True


def _show_dialog(text: str) -> None:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication, QMessageBox

    if QApplication.instance() is None:
        raise RuntimeError("no application")
    box = QMessageBox(QApplication.activeWindow())
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("Crash", "Something went wrong"))
    box.setText(QCoreApplication.translate("Crash", "EstateDesk met an unexpected problem. What you saved is safe; "
                            "the last action may not have been completed, so please check it."))
    box.setInformativeText(QCoreApplication.translate("Crash", "The details were written to {log}. Please tell your "
                                       "administrator.").format(log=_log_file))
    box.setDetailedText(text)
    box.exec()
