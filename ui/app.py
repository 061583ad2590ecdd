"""Starting the window: language, database, first administrator, sign-in, main window.

The sign-in window waits for nothing it does not show: this module imports the translations
and this PC's settings only. On a database this PC has signed in to before, the window is
up before the database layer loads; the pages, printing, Excel and the rest load after the
password, with the main window."""
from __future__ import annotations

import os
import threading
import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QDialog

from ui import i18n, prefs


def make_app(language: str | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("EstateDesk")
    app.setOrganizationName("EstateDesk")
    font = QFont(app.font())
    font.setFamilies(["Microsoft YaHei UI", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC",
                      font.family()])
    font.setPointSize(max(font.pointSize(), 10))
    app.setFont(font)
    i18n.install(app, language or prefs.get("language"))
    return app


def db_label(url: str) -> str:
    from models.location import sqlite_path

    path = sqlite_path(url)
    if path is not None:
        return str(path)
    return url.split("@")[-1]  # never show a server password


def open_office(url: str) -> bool:
    """Connect, and tell the time in the office's zone; False, said in a message box, when
    the database cannot be opened."""
    from models import clock, db
    from models.errors import OfficeError

    try:
        db.connect(url)
    except OfficeError as e:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, QApplication.translate("App", "EstateDesk"), i18n.error_text(e))
        return False
    clock.use_office_zone()
    return True


OPEN_FAILED, FIRST_START = 2, 3  # the sign-in window's ends beside accepted and rejected


def run(url: str, language: str | None = None) -> int:
    """The window's start. Where this PC has signed in to this database before, the sign-in
    window shows at once with the estate's name as it was then, and the database opens
    behind it while the clerk types; otherwise (a new database, a first start, the
    benchmark's signed-in start) the database opens first."""
    app = make_app(language)
    auto = os.environ.get("ESTATEDESK_LOGIN", "")
    known = None if auto else prefs.office_name(db_label(url))
    user = None
    if known is not None:
        result, user = sign_in_while_opening(url, known)
        if result == OPEN_FAILED:
            return 2
        if result != FIRST_START and user is None:
            return 0
    elif not open_office(url):
        return 2
    from models import users

    if user is None and users.needs_first_admin():
        from ui.account import FirstAdminDialog

        first = FirstAdminDialog()
        if first.exec() != QDialog.DialogCode.Accepted:
            return 0
        user = first.user
    if user is None and auto:
        # used by the benchmark and the screenshot tour: the password is still checked
        name, _, password = auto.partition(":")
        user = users.login(name, password)
    if user is None:
        user = sign_in()
        if user is None:
            return 0
    session = Session(url)
    session.start(user)
    settle()
    QTimer.singleShot(5000, self_check)
    if os.environ.get("ESTATEDESK_EXIT_WHEN_SHOWN"):
        QTimer.singleShot(0, lambda: shown_then(app.quit))  # the benchmark's cold start ends at the first paint
    return app.exec()


def shown_then(close) -> None:
    """The benchmark's cold start: the window is up and the event loop runs; the moment
    (wall clock, ns) goes to stdout for bench/run.py, then the window closes."""
    import time

    if sys.stdout is not None:
        print(f"shown {time.time_ns()}", flush=True)
    close()


def self_check() -> threading.Thread | None:
    """Once a day, SQLite's quick check of this PC's database file, in the background (the
    desk goes on); a failure shows on 今日 (models/backup.check_database)."""
    from models import backup, db

    if not backup.check_due():
        return None

    def work():
        try:
            backup.check_database()
        except Exception:  # noqa: BLE001 - a check that cannot run is tried again tomorrow
            pass
        finally:
            db.close()  # this thread's own connection

    thread = threading.Thread(target=work, name="self-check", daemon=True)
    thread.start()
    return thread


def sign_in():
    """The sign-in dialog, the database open; the user, or None when the clerk cancels."""
    from models import estate
    from ui.login import LoginDialog

    login = LoginDialog(estate.profile().name, prefs.get("last_user"))
    if os.environ.get("ESTATEDESK_EXIT_WHEN_SHOWN"):
        QTimer.singleShot(0, lambda: shown_then(login.reject))  # the benchmark's cold start to the sign-in window
    if login.exec() != QDialog.DialogCode.Accepted:
        return None
    return login.user


def sign_in_while_opening(url: str, estate_name: str):
    """The sign-in window first, the database opened once it is painted: (how it ended, the
    user). It ends OPEN_FAILED when the database would not open (said already), FIRST_START
    when the database has no administrator yet (another file put in its place)."""
    from ui.login import LoginDialog

    login = LoginDialog(estate_name, prefs.get("last_user"))
    exit_when = os.environ.get("ESTATEDESK_EXIT_WHEN_SHOWN")

    def opening():
        if not open_office(url):
            login.done(OPEN_FAILED)
            return
        from models import estate, users

        if users.needs_first_admin():
            login.done(FIRST_START)
            return
        login.show_estate(estate.profile().name)
        if exit_when == "ready":  # the benchmark's start to a sign-in that can check a password
            QTimer.singleShot(0, lambda: shown_then(login.reject))

    login.opening = opening
    if exit_when and exit_when != "ready":
        QTimer.singleShot(0, lambda: shown_then(login.reject))  # the benchmark's cold start to the sign-in window
    result = login.exec()
    if result == QDialog.DialogCode.Accepted:
        return result, login.user
    return result, None


class Session:
    """One signed-in clerk's main window; switching user at a shared counter closes it
    and signs the next clerk in, without restarting the program."""

    def __init__(self, url: str):
        self.url = url
        self.window = None

    def start(self, user) -> None:
        from models import estate
        from ui.main_window import MainWindow

        prefs.set("last_user", user.username)
        prefs.remember_office(db_label(self.url), estate.profile().name)
        self.window = MainWindow(user, db_label(self.url))
        self.window.switch_user.connect(self.switch)
        self.window.show_on_screen()  # maximised on a large screen; never larger than the screen
        self.window.raise_()
        self.window.activateWindow()  # keyboard shortcuts work without a first click

    def switch(self) -> None:
        old = self.window
        if not old.can_leave():
            return
        old.hide()
        user = sign_in()
        if user is None:
            old.close()  # cancelled: the program ends, as closing the window would
            return
        old.close()
        old.deleteLater()
        import gc

        settled = gc.get_freeze_count() > 0
        gc.unfreeze()  # the old window's objects may be collected now
        self.start(user)
        if settled:
            settle()


def settle() -> None:
    """Once the window is up: what exists now (modules, Qt wrappers, the pages) lives as
    long as the window does, so the garbage collector stops walking it on every full
    collection, which would otherwise pause the desk for tens of milliseconds now and then."""
    import gc

    gc.collect()
    gc.freeze()
