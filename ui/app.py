"""Starting the window: language, database, first administrator, sign-in, main window.

The sign-in window waits for nothing it does not show: this module imports the translations
and this PC's settings only. On a database this PC has signed in to before, the window is
up before the database layer loads; the pages, printing, Excel and the rest load after the
password, with the main window."""
from __future__ import annotations

import os
import threading
import sys

from PySide6.QtCore import QTimer  # not Qt: its namespace costs the sign-in window 15 ms
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QDialog

from ui import crash, i18n, prefs


def make_app(language: str | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("EstateDesk")
    app.setOrganizationName("EstateDesk")
    font = QFont(app.font())
    font.setFamilies(["Microsoft YaHei UI", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC",
                      font.family()])
    font.setPointSize(max(font.pointSize(), 10))
    app.setFont(font)
    icon = i18n.TRANSLATIONS.parent / "icons" / "estatedesk.png"
    if icon.exists():
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(icon)))
    chosen = language or prefs.get("language")
    if not i18n.install(app, chosen):  # an install without its translations: said, never silently English
        import logging

        logging.getLogger("estatedesk").warning("the %s translation is missing from %s", chosen, i18n.TRANSLATIONS)
        print(f"EstateDesk: the {chosen} translation is missing from {i18n.TRANSLATIONS}; "
              "the window shows English", file=sys.stderr)
    return app


RUNNING_MARK = "EstateDeskRunning"  # the installer's AppMutex (packaging/windows/estatedesk.iss)
_running_mark = []


def hold_running_mark(platform: str = sys.platform, kernel32=None):
    """Windows: a named mutex held while the window runs, by which the installer knows to
    close EstateDesk before an upgrade replaces its files. Nothing elsewhere."""
    if platform != "win32":
        return None
    if kernel32 is None:  # pragma: no cover - Windows only
        import ctypes

        kernel32 = ctypes.windll.kernel32
    # this session's name and the global one: a copy open in another user's session counts too
    handles = [kernel32.CreateMutexW(None, False, name) for name in (RUNNING_MARK, "Global\\" + RUNNING_MARK)]
    _running_mark.extend(handles)  # held until the process ends
    return handles[0]


def db_label(url: str) -> str:
    from models.location import sqlite_path

    path = sqlite_path(url)
    if path is not None:
        return str(path)
    return url.split("@")[-1]  # never show a server password


START_TIMEOUT_S = 10  # a server that does not answer: the start says so after this, not minutes later


def open_office(url: str, own_file: str | None = None) -> str | None:
    """Connect, and tell the time in the office's zone: the address opened, or None when the
    start ends (said in a message box). Given `own_file` (this PC's saved database is
    elsewhere), a failure offers a choice instead: try again, this PC's own database file for
    this start, or quit, so a server that is down never locks the PC out."""
    from PySide6.QtCore import Qt

    from models import clock, db, location
    from models.errors import OfficeError

    while True:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            db.connect(location.with_connect_timeout(url, START_TIMEOUT_S))
        except OfficeError as e:
            QApplication.restoreOverrideCursor()
            if own_file is None or own_file == url:
                from PySide6.QtWidgets import QMessageBox

                QMessageBox.critical(None, QApplication.translate("App", "EstateDesk"), i18n.error_text(e))
                return None
            choice = open_failed_choice(e, own_file)
            if choice == "quit":
                return None
            if choice == "own":
                url, own_file = own_file, None
            continue
        QApplication.restoreOverrideCursor()
        clock.use_office_zone()
        return url


def open_failed_choice(error, own_file: str) -> str:
    """This PC's database would not open: "retry", "own" (this PC's own file, this start) or "quit"."""
    from PySide6.QtWidgets import QMessageBox

    said = QApplication.translate("App", "This PC's database cannot be opened.")
    box = QMessageBox(QMessageBox.Icon.Warning, QApplication.translate("App", "EstateDesk"),
                      said + "\n\n" + i18n.error_text(error))
    box.setInformativeText(QApplication.translate(
        "App", "Try again once it is fixed, or work for this start in this PC's own database file ({path}; "
               "a new, empty one if there is none): what is entered there is not in the office's shared "
               "database. An administrator changes the database in Settings.").format(path=db_label(own_file)))
    detail = error.params.get("error")
    if detail:
        box.setDetailedText(str(detail))  # the driver's own words, without the password
    again = box.addButton(QApplication.translate("App", "Try again"), QMessageBox.ButtonRole.AcceptRole)
    own = box.addButton(QApplication.translate("App", "Use this PC's own database"),
                        QMessageBox.ButtonRole.ActionRole)
    leave = box.addButton(QApplication.translate("App", "Quit"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(again)
    box.setEscapeButton(leave)
    box.exec()
    clicked = box.clickedButton()
    return "retry" if clicked is again else "own" if clicked is own else "quit"


def own_file_for(url: str) -> str | None:
    """This PC's own database file, offered when `url` is the database this PC's settings
    name (not one given with --db) and is not that file itself."""
    saved = prefs.get("database_url")
    if not saved or url != saved:  # this PC's own file, or a --db: nothing else to offer
        return None
    from models import location

    own = location.default_url()
    return own if url != own else None


OPEN_FAILED, FIRST_START, OWN_FILE = 2, 3, 4  # the sign-in window's ends beside accepted and rejected


def run(url: str, language: str | None = None) -> int:
    """The window's start. Where this PC has signed in to this database before, the sign-in
    window shows at once with the estate's name as it was then, and the database opens
    behind it while the clerk types; otherwise (a new database, a first start, the
    benchmark's signed-in start) the database opens first."""
    app = make_app(language)
    hold_running_mark()
    auto = os.environ.get("ESTATEDESK_LOGIN", "")
    known = None if auto else prefs.office_name(db_label(url))
    user = None
    own = own_file_for(url)
    if known is not None:
        result, user = sign_in_while_opening(url, known, own)
        if result == OPEN_FAILED:
            return 2
        if result == OWN_FILE:
            url = own  # open now; signed in to below
        elif result != FIRST_START and user is None:
            return 0
    else:
        url = open_office(url, own)
        if url is None:
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
    QTimer.singleShot(1000, crash.watch_hard_crashes)
    if os.environ.get("ESTATEDESK_EXIT_WHEN_SHOWN"):
        QTimer.singleShot(0, lambda: shown_then(app.quit))  # the benchmark's cold start ends at the first paint
    return app.exec()


def shown_then(close) -> None:
    """The benchmark's cold start: the window is up and the event loop runs; the moment
    (wall clock, ns) goes to stdout for bench/run.py, then the window closes."""
    import time

    if sys.stdout is not None:
        print(f"shown {time.time_ns()}", flush=True)
        from PySide6.QtWidgets import QApplication, QMainWindow

        for w in QApplication.topLevelWidgets():  # what the clerk sees: for the installed bundle's check
            if isinstance(w, QMainWindow) and w.isVisible():
                nav = getattr(w, "nav", None)
                pages = [nav.item(i).text() for i in range(nav.count())] if nav is not None else []
                print(f"window {w.windowTitle()}\npages {'|'.join(pages)}", flush=True)
                if nav is not None:  # F1 as the installed program answers it: its guide found
                    from printing import guide

                    g = w.open_guide()
                    pdf = guide.bundled_pdf(g.lang)
                    print(f"guide {g.windowTitle()}\nguide_chapters {g.contents.count()}\n"
                          f"guide_pdf {pdf.name if pdf else '-'}", flush=True)
                    g.close()
    close()


def self_check() -> threading.Thread | None:
    """Once a day, SQLite's quick check of this PC's database file and the audit log's
    whole chain (any database); at every other start, the chain's entries since this PC's
    anchor. In the background (the desk goes on); a failure shows on 今日
    (models/backup.check_database, models/audit.check, check_since_anchor)."""
    from models import audit, backup, db

    file_due, chain_due = backup.check_due(), audit.check_due()

    def work():
        try:
            if file_due:
                try:
                    backup.check_database()
                except Exception:  # noqa: BLE001 - a check that cannot run is tried again tomorrow
                    pass
            try:
                audit.check() if chain_due else audit.check_since_anchor()
            except Exception:  # noqa: BLE001 - as above
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


def sign_in_while_opening(url: str, estate_name: str, own_file: str | None = None):
    """The sign-in window first, the database opened once it is painted: (how it ended, the
    user). It ends OPEN_FAILED when the database would not open (said already), FIRST_START
    when the database has no administrator yet (another file put in its place), OWN_FILE
    when the clerk chose this PC's own database file `own_file` instead (open now)."""
    from ui.login import LoginDialog

    login = LoginDialog(estate_name, prefs.get("last_user"))
    exit_when = os.environ.get("ESTATEDESK_EXIT_WHEN_SHOWN")

    def opening():
        opened = open_office(url, own_file)
        if opened is None:
            login.done(OPEN_FAILED)
            return
        if opened != url:
            login.done(OWN_FILE)
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
        QTimer.singleShot(0, self.window, self.window.offer_take_over)  # a handover waiting for her

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
