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


_faults = None  # the file a hard crash (a segfault in a driver or in Qt) is written to


def install(directory: Path | None = None) -> None:
    """Catch every unexpected exception from now on, in the window's thread (a calm dialog)
    and in every other (written to the log; the work's result, or its absence, reaches the
    window on its own). A hard crash, which no exception handler sees, has the Python
    stacks of every thread written to faults.log beside the log (`watch_hard_crashes`).
    The log itself is opened at the first exception, so a normal start pays nothing."""
    global _log_dir
    import threading

    _log_dir = directory
    sys.excepthook = handle
    threading.excepthook = handle_in_thread
    if directory is not None:  # the tests' folder: at once (the window's start calls watch_hard_crashes)
        watch_hard_crashes()


def watch_hard_crashes() -> None:
    """From now on a hard crash writes every thread's Python stack to faults.log. Called
    once the window is up (finding the log folder loads platformdirs, which the start of
    the sign-in window does without)."""
    global _faults
    import faulthandler

    try:
        folder = _log_dir or log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        if _faults is not None:
            _faults.close()
        _faults = open(folder / "faults.log", "a", encoding="utf-8")  # noqa: SIM115 - open for the process's life
        faulthandler.enable(file=_faults, all_threads=True)
    except OSError:  # a read-only profile: the crash goes to stderr as Python's default
        faulthandler.enable()


def handle_in_thread(args) -> None:
    """threading.excepthook: a thread's unexpected exception, logged with its traceback."""
    if args.exc_type is SystemExit:
        return
    text = "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback))
    name = getattr(args.thread, "name", "?")
    try:
        _logger().error("unexpected error in thread %s\n%s", name, text)
    except OSError:
        sys.__stderr__ and sys.__stderr__.write(text)


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
