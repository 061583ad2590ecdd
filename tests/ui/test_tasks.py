"""Long work runs off the UI thread, reports progress, and can be cancelled."""
import threading
import time

import pytest

from ui.tasks import run_with_progress


def test_the_work_runs_in_the_background_and_returns_its_result(qtbot):
    seen = []

    def work(report, cancelled):
        seen.append(threading.current_thread() is threading.main_thread())
        for i in range(1, 51):
            report(i)
        return "done"

    assert run_with_progress(None, "batch", 50, work) == "done"
    assert seen == [False]  # not on the UI thread


def test_cancelling_stops_the_work_and_gives_no_result(qtbot, monkeypatch):
    from PySide6.QtWidgets import QProgressDialog

    steps = []

    def work(report, cancelled):
        for i in range(1, 10_000):
            steps.append(i)
            report(i)
            time.sleep(0.002)
        return "everything printed"

    original = QProgressDialog.setValue

    def cancel_at_twenty(self, value):
        original(self, value)
        if value >= 20:
            self.cancel()

    monkeypatch.setattr(QProgressDialog, "setValue", cancel_at_twenty)
    assert run_with_progress(None, "batch", 10_000, work) is None
    assert len(steps) < 10_000


def test_an_error_in_the_work_reaches_the_ui_thread(qtbot):
    def work(report, cancelled):
        raise ValueError("the printer caught fire")

    with pytest.raises(ValueError):
        run_with_progress(None, "batch", 1, work)
