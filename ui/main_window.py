"""The main window: navigation by office process (only the processes that work and that
the user may use), one page each."""
from __future__ import annotations

from PySide6.QtCore import QMargins, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow,
                               QStackedWidget, QWidget)

from models import estate, exporting, users
from ui import i18n, prefs

# the tables whose records the registers' page shows (今日's lines, a house's history)
REGISTER_TABLES = {"desk_message", "shift_handover", "visitor", "release_pass", "left_item", "patrol", "patrol_round",
                   "facility", "incident"}


class MainWindow(QMainWindow):
    switch_user = Signal()

    def __init__(self, user, db_label: str = "", parent=None):
        super().__init__(parent)
        self.user = user
        prof = estate.profile()
        self.setWindowTitle(self.tr("EstateDesk — {estate}").format(estate=prof.name or self.tr("new estate")))
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(150)
        self.nav.setStyleSheet("QListWidget { font-size: 12pt; } QListWidget::item { padding: 10px; }")
        self.pages = QStackedWidget()
        self.page_by_key: dict[str, QWidget] = {}

        from ui.archive_page import ArchivePage
        from ui.arrears_page import ArrearsPage
        from ui.billing_page import BillingPage
        from ui.desk.page import DeskPage
        from ui.registers.page import RegistersPage
        from ui.service.page import ServicePage
        from ui.today_page import TodayPage
        from ui.meters_page import MetersPage
        from ui.counter_page import CounterPage
        from ui.day_close_page import DayClosePage
        from ui.fees_page import FeesPage
        from ui.audit_page import AuditPage
        from ui.notices_page import NoticesPage
        from ui.settings_page import SettingsPage

        self.add_page("today", self.tr("Today"), lambda: self._today(TodayPage(user)), None)  # everyone's, admin too
        self.add_page("archive", self.tr("Archives"), lambda: self._archive(ArchivePage(user)), "archive.view")
        self.add_page("desk", self.tr("Front desk"), lambda: DeskPage(user), "desk.parcels")
        self.add_page("registers", self.tr("Registers"), lambda: RegistersPage(user), "desk.parcels")
        self.add_page("service", self.tr("Service desk"), lambda: self._service(ServicePage(user)), "service.desk")
        self.add_page("counter", self.tr("Counter"), lambda: CounterPage(user), "fees.view")
        self.add_page("day_close", self.tr("Day close"), lambda: DayClosePage(user), "cash.desk")
        self.add_page("arrears", self.tr("Arrears"), lambda: self._arrears(ArrearsPage(user)), "fees.view")
        self.add_page("meters", self.tr("Meter readings"), lambda: MetersPage(user), "meters.enter")
        self.add_page("billing", self.tr("Billing"), lambda: BillingPage(user), "billing.run")
        self.add_page("fees", self.tr("Fee items"), lambda: FeesPage(user), "fees.setup")
        self.add_page("notices", self.tr("Announcements"), lambda: NoticesPage(user), "notice.edit")
        self.add_page("audit", self.tr("Audit log"), lambda: AuditPage(user), "audit.view")
        self.add_page("settings", self.tr("Settings"), lambda: SettingsPage(user), None)
        self.nav.currentRowChanged.connect(self.show_page)

        center = QWidget()
        box = QHBoxLayout(center)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(self.nav)
        box.addWidget(self.pages, 1)
        self.setCentralWidget(center)

        roles = "、".join(i18n.office(users.ROLES[r]) for r in sorted(user.role_set) if r in users.ROLES)
        self.statusBar().addWidget(QLabel(self.tr("Signed in: {name} ({roles})").format(
            name=user.display_name, roles=roles)))
        if db_label:
            self.statusBar().addPermanentWidget(QLabel(db_label))

        menu = self.menuBar().addMenu(self.tr("&File"))
        switch = QAction(self.tr("&Switch user…"), self)
        switch.setShortcut(QKeySequence("Ctrl+L"))
        switch.triggered.connect(self.switch_user)
        menu.addAction(switch)
        password = QAction(self.tr("Change my &password…"), self)
        password.triggered.connect(self.change_password)
        menu.addAction(password)
        if users.has(user, "desk.parcels"):
            hand_over = QAction(self.tr("&Hand over the shift…"), self)
            hand_over.setShortcut(QKeySequence("Ctrl+Shift+H"))
            hand_over.triggered.connect(self.hand_over)
            menu.addAction(hand_over)
        if users.has(user, "backup.run"):
            back_up = QAction(self.tr("&Back up…"), self)
            back_up.setShortcut(QKeySequence("Ctrl+B"))
            back_up.triggered.connect(self.back_up)
            menu.addAction(back_up)
        if users.has(user, "backup.restore"):
            restore = QAction(self.tr("&Restore from a backup…"), self)
            restore.triggered.connect(self.restore)
            menu.addAction(restore)
        menu.addSeparator()
        from ui import exchange, import_dialog

        if import_dialog.can_import(user):
            importing = QAction(self.tr("&Import from Excel…"), self)
            importing.setShortcut(QKeySequence("Ctrl+I"))
            importing.triggered.connect(self.import_excel)
            menu.addAction(importing)
        export = QAction(self.tr("&Export this list to Excel…"), self)
        export.setShortcut(QKeySequence("Ctrl+E"))
        export.triggered.connect(self.export_list)
        menu.addAction(export)
        reports = exchange.reports_for(user)
        if reports:
            sub = menu.addMenu(self.tr("Export a &report"))
            for kind in reports:
                action = QAction(i18n.office(exporting.REPORTS[kind]) + "…", self)
                action.triggered.connect(lambda _=False, k=kind: self.export_report(k))
                sub.addAction(action)
        menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)
        guide = QAction(self.tr("Clerk's &guide"), self)  # F1 on any page: that page's chapter
        guide.setShortcut(QKeySequence("F1"))
        guide.triggered.connect(self.open_guide)
        self.menuBar().addMenu(self.tr("&Help")).addAction(guide)
        for i in range(self.nav.count()):
            shortcut = QAction(self)
            shortcut.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            shortcut.triggered.connect(lambda _=False, row=i: self.nav.setCurrentRow(row))
            self.addAction(shortcut)

        if users.has(user, "backup.run"):
            # a USB stick plugged in: the office is offered a backup onto it (scenario 10)
            from models import backup

            self._sticks = {path for path, _label in backup.removable_drives()}
            self._stick_timer = QTimer(self)
            self._stick_timer.setInterval(3000)
            self._stick_timer.timeout.connect(self.look_for_sticks)
            self._stick_timer.start()

        # the counter left alone: the window locks after the office's idle minutes (ui/lock.py)
        from models import settings
        from ui.lock import IdleWatch

        self.idle = IdleWatch(self, settings.office.idle_lock_minutes)

        self.open_maximised = self.place_on_screen()
        self._placed = False
        self.nav.setCurrentRow(0)

    def place_on_screen(self, available: QRect | None = None) -> bool:
        """Where the window opens: where this PC left it, when that still fits the screen,
        else filling the screen's free area (a 1366 × 768 laptop, a 1024 × 768 monitor);
        never larger than the screen, title bar and status bar included. True when it opens
        maximised: as it was left, or on a large screen (1920 × 1080) the first time."""
        saved = _rect(prefs.get("window/normal"))
        if available is None:
            screen = QGuiApplication.screenAt(saved.center()) if saved is not None else None
            screen = screen or self.screen() or QGuiApplication.primaryScreen()
            available = screen.availableGeometry()
        room = available.marginsRemoved(FRAME)  # the inside of a window whose frame fills the screen
        if saved is None:
            maximised = available.width() >= LARGE_SCREEN.width() and available.height() >= LARGE_SCREEN.height()
            # un-maximised on a large screen it is a comfortable window in the middle
            rect = QRect(room.topLeft(), QSize(1366, 860).boundedTo(room.size()) if maximised else room.size())
            rect.moveCenter(room.center())
        else:
            maximised = prefs.get("window/maximized")
            rect = saved
        self.setGeometry(_inside(rect, room))
        return maximised

    def show_on_screen(self) -> None:
        """Shown maximised or not, as place_on_screen decided."""
        if self.open_maximised:
            self.showMaximized()
        else:
            self.show()

    def showEvent(self, event):  # noqa: N802
        super().showEvent(event)
        if not self._placed:
            self._placed = True
            QTimer.singleShot(0, self.keep_on_screen)

    def keep_on_screen(self) -> None:
        """Once shown, the real frame is known (a title bar differs with the PC's scaling):
        a window whose frame sticks out of the screen is moved or shrunk back inside."""
        screen = self.screen()
        if screen is None or self.isMaximized() or self.isFullScreen():
            return
        available, frame, inner = screen.availableGeometry(), self.frameGeometry(), self.geometry()
        if available.contains(frame):
            return
        margins = QMargins(inner.left() - frame.left(), inner.top() - frame.top(),
                           frame.right() - inner.right(), frame.bottom() - inner.bottom())
        self.setGeometry(_inside(inner, available.marginsRemoved(margins)))

    def open_guide(self):
        """The clerk's guide (操作手册), open on the chapter of the page shown."""
        from ui.help import GuideWindow

        item = self.nav.currentItem()
        return GuideWindow.show_for(self, item.data(Qt.ItemDataRole.UserRole) if item is not None else None)

    def change_password(self) -> None:
        from ui.login import PasswordDialog

        PasswordDialog(self.user, self).exec()

    def add_page(self, key: str, title: str, factory, permission: str | None) -> None:
        if permission and not users.has(self.user, permission):
            return
        item = QListWidgetItem(title)
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.nav.addItem(item)
        self._factories = getattr(self, "_factories", {})
        self._factories[key] = factory

    def show_page(self, row: int) -> None:
        key = self.nav.item(row).data(Qt.ItemDataRole.UserRole)
        if key not in self.page_by_key:  # pages are built when first shown
            page = self._factories[key]()
            self.page_by_key[key] = page
            self.pages.addWidget(page)
        page = self.page_by_key[key]
        self.pages.setCurrentWidget(page)
        if hasattr(page, "focus_search"):
            # keyboard first: the clerk types a house or a name straight away
            QTimer.singleShot(0, page.focus_search)

    def _arrears(self, page):
        """A double-click on a house that owes opens the counter on it."""
        page.open_counter.connect(lambda house_id: self.page("counter").open_house(house_id))
        return page

    def _archive(self, page):
        """An event of a house's history opens its record on its page; a move-in's first
        charges go to the counter."""
        page.open_record.connect(self.open_record)
        page.detail.take_money.connect(self._movein_money)
        return page

    def _service(self, page):
        """A renovation's deposit and debris fee are taken at the counter, on one receipt."""
        page.renovation.take_money.connect(self._renovation_money)
        return page

    def _renovation_money(self, case_id: int, house_id: int, deposit: int, debris: int) -> None:
        counter = self.page("counter") if users.has(self.user, "cash.take") else None
        if counter is None:  # this user takes no money: a cashier does, from the renovation's own step
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.information(self, self.tr("Renovations"), self.tr(
                "The deposit and the debris fee are taken at the counter: ask a cashier, who takes them from this "
                "renovation's step on the Service desk's Renovations tab."))
            return
        counter.open_for_case(house_id, ("renovation", case_id), deposit, debris,
                              done=lambda: self.page_by_key["service"].renovation.load())

    def _movein_money(self, case_id: int, house_id: int, prepay: int) -> None:
        """A move-in's first charges: the counter on the house, the first months prepaid."""
        counter = self.page("counter") if users.has(self.user, "cash.take") else None
        if counter is None:  # this user takes no money: a cashier does, from the move-in's line on Today
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.information(self, self.tr("Move-in"), self.tr(
                "The first charges are taken at the counter: ask a cashier, who opens this move-in from its line "
                "on Today."))
            return
        counter.open_for_case(house_id, ("movein", case_id), prepay=prepay)

    def _today(self, page):
        """A line of today's list opens its record on its page."""
        page.open_record.connect(self.open_record)
        return page

    def look_for_sticks(self) -> str | None:
        """A removable drive that was not there at the last look: offer to back up onto it
        (once per plugging in; never over a dialog the clerk has open)."""
        from PySide6.QtWidgets import QApplication, QMessageBox

        from models import backup

        found = dict(backup.removable_drives())
        new = [path for path in found if path not in self._sticks]
        self._sticks = set(found)
        if not new or QApplication.activeModalWidget() is not None:
            return None
        path = new[0]
        answer = QMessageBox.question(
            self, self.tr("USB stick"),
            self.tr("A USB stick is plugged in: {stick}. Back up the office onto it now?").format(
                stick=path if not found[path] or found[path] in path else f"{path} {found[path]}"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
        if answer == QMessageBox.StandardButton.Yes:
            self.back_up(path)
        return path

    def back_up(self, drive: str | None = None):
        from ui.backup_dialog import BackupDialog

        dialog = BackupDialog(self.user, self, drive=drive)
        if dialog.exec() and "today" in self.page_by_key:
            self.page_by_key["today"].load()
        return dialog

    def restore(self):
        from ui.restore_dialog import RestoreDialog

        dialog = RestoreDialog(self.user, self)
        if dialog.exec():
            # the data under every page changed: the window closes and the clerk signs in anew
            QTimer.singleShot(0, self.switch_user.emit)
        return dialog

    def import_excel(self, kind: str | None = None):
        from ui.import_dialog import ImportDialog

        dialog = ImportDialog(self.user, self, kind)
        dialog.exec()
        for page in self.page_by_key.values():  # the archive may have grown
            if hasattr(page, "reload_after_import"):
                page.reload_after_import()
        return dialog

    def export_list(self, path: str | None = None):
        from ui import exchange

        item = self.nav.currentItem()
        return exchange.export_list(self, self.pages.currentWidget(), item.text() if item else "", path)

    def export_report(self, kind: str, path: str | None = None, **more):
        from ui import exchange

        return exchange.export_report(self, self.user, kind, path, **more)

    def open_record(self, table: str, record_id: int) -> None:
        """A line of 今日 opens its record on its page, chosen in its list: at once, and again
        once the page, just shown, has refreshed its lists (which loses the choice)."""
        if table == "backup":
            self.back_up()
            return
        if table == "movein":  # a move-in waiting: its house, the move-in open where it stopped
            page = self.page("archive")
            if page is not None:
                QTimer.singleShot(0, page, lambda: page.open_movein(record_id))
            return
        if table in ("receipt", "charge"):  # money: the counter on its house, the receipt chosen
            page = self.page("counter")
            if page is not None:
                page.open_record(table, record_id)
            return
        if table in REGISTER_TABLES:
            page = self.page("registers")
            if page is not None:
                page.open_record(table, record_id)
                QTimer.singleShot(0, page, lambda: page.open_record(table, record_id))
            return
        page = self.page("service" if table in ("repair", "complaint", "vacant", "renovation", "visit") else "desk")
        if page is None:
            return
        page.open_record(table, record_id)
        QTimer.singleShot(0, page, lambda: page.open_record(table, record_id))

    def hand_over(self):
        """交接班 from any page: the handover dialog, then its sheet."""
        page = self.page("registers")
        if page is None:
            return None
        page.tabs.setCurrentWidget(page.handovers)
        return page.handovers.hand_over()

    def offer_take_over(self) -> int:
        """Once the window is up after sign-in: a handover waiting for this clerk."""
        from ui.registers.shifts import offer_take_over

        taken = offer_take_over(self.user, self)
        if taken:
            today = self.page_by_key.get("today")
            if today is not None:
                today.load()
        return taken

    def page(self, key: str):
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.nav.setCurrentRow(row)
                return self.page_by_key[key]
        return None

    def can_leave(self) -> bool:
        """Before the window closes or the user switches: nothing typed is lost."""
        archive = self.page_by_key.get("archive")
        if archive is not None and not archive.detail.keep_unsaved_notes():
            return False
        meters_page = self.page_by_key.get("meters")
        return meters_page is None or meters_page.keep_unsaved_readings()

    def closeEvent(self, event):  # noqa: N802
        if not self.can_leave():
            event.ignore()
            return
        normal = self.normalGeometry() if self.normalGeometry().isValid() else self.geometry()
        prefs.set("window/normal", f"{normal.x()},{normal.y()},{normal.width()},{normal.height()}")
        prefs.set("window/maximized", self.isMaximized())
        super().closeEvent(event)


# a frame's title bar and borders as Windows draws them at 100 %, until the shown window
# tells its own (MainWindow.keep_on_screen)
FRAME = QMargins(8, 31, 8, 8)
LARGE_SCREEN = QSize(1600, 1000)  # a 1920 × 1080 monitor less its taskbar: opened maximised


def _rect(text: str) -> QRect | None:
    """A rectangle kept as "x,y,width,height"; None when there is none (or it is garbled)."""
    try:
        x, y, width, height = (int(part) for part in text.split(","))
    except ValueError:
        return None
    return QRect(x, y, width, height) if width > 0 and height > 0 else None


def _inside(rect: QRect, room: QRect) -> QRect:
    """`rect` no larger than `room`, moved inside it."""
    rect = QRect(rect.topLeft(), rect.size().boundedTo(room.size()))
    if rect.right() > room.right():
        rect.moveRight(room.right())
    if rect.bottom() > room.bottom():
        rect.moveBottom(room.bottom())
    if rect.left() < room.left():
        rect.moveLeft(room.left())
    if rect.top() < room.top():
        rect.moveTop(room.top())
    return rect
