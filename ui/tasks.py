"""Long work (a batch of notices, a big list, a backup) off the UI thread, with a progress
dialog and a cancel button. The work function gets `report(done)` and `cancelled()`;
when the clerk cancels, it stops at the next step and its result is thrown away, so
nothing half-done is recorded as done. `report(done, text)` also changes the dialog's
words (what the work waits for, e.g. another PC's write)."""
from __future__ import annotations

import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog


class Cancelled(Exception):
    """Raised inside the work when the clerk cancelled."""


class _Signals(QObject):
    progress = Signal(int)
    message = Signal(str)
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work, stop: threading.Event):
        super().__init__()
        self.work, self.stop = work, stop
        self.signals = _Signals()

    def run(self):
        def report(done: int, text: str | None = None) -> None:
            if self.stop.is_set():
                raise Cancelled()
            if text is not None:
                self.signals.message.emit(text)
            self.signals.progress.emit(done)

        try:
            result = self.work(report, self.stop.is_set)
        except Cancelled:
            self.signals.finished.emit(Cancelled())
        except Exception as exc:  # noqa: BLE001 - handed to the UI thread, which reports it
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)
        finally:
            _close_thread_connection()


def patiently(work: Callable[[], Any]) -> Callable:
    """`work()` as `run_with_progress` runs it, through models.db.patiently: another PC's long
    write is waited for once more, and the dialog says so meanwhile."""
    def run(report, _cancelled):
        from models import db
        from ui import i18n

        return db.patiently(work, waiting=lambda: report(0, i18n.office(db.WAITING)))
    return run


def _close_thread_connection() -> None:
    """The work may have read the database: peewee opened a connection for this pool
    thread, which is closed here rather than left open until the program ends."""
    from models import db

    if db.database.obj is not None and not db.database.is_closed():
        db.database.close()


def run_with_progress(parent, title: str, total: int, work: Callable[[Callable[[int], None], Callable[[], bool]], Any],
                      *, keep_finished: bool = False, cancellable: bool = True):
    """Run `work` in the background while a progress dialog shows; returns its result, or
    None when cancelled. An exception in the work is raised here, on the UI thread.
    `keep_finished`: work that got past its last chance to stop (it committed) is not
    called cancelled because the button was pressed after it: its result is returned.
    A `total` of 0 (not known beforehand) shows a busy bar. `cancellable` False: work that
    cannot stop half-way (a backup being written and checked) shows no Cancel button."""
    stop = threading.Event()
    dialog = QProgressDialog(title, QApplication.translate("Tasks", "Cancel"), 0, max(1, total), parent)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    if total <= 0:
        dialog.setRange(0, 0)
    job = _Job(work, stop)
    outcome: dict = {}

    dialog.setAutoReset(False)
    dialog.setAutoClose(False)

    def finished(result) -> None:
        outcome["result"] = result

    def failed(exc) -> None:
        outcome["error"] = exc

    job.signals.progress.connect(dialog.setValue)
    job.signals.message.connect(dialog.setLabelText)
    job.signals.finished.connect(finished)
    job.signals.failed.connect(failed)
    QThreadPool.globalInstance().start(job)
    while "result" not in outcome and "error" not in outcome:
        # the window stays alive (paints, takes the cancel click) while the work runs
        QApplication.processEvents()
        if cancellable and dialog.wasCanceled():  # Esc on work without Cancel: it runs to its end
            stop.set()
        QThreadPool.globalInstance().waitForDone(20)
    dialog.close()
    dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    result = outcome["result"]
    if isinstance(result, Cancelled):
        return None
    return result if keep_finished or not stop.is_set() else None
