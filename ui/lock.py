"""Locking the window when the counter is left (离开锁屏). After the office's idle minutes
(setting `idle_lock_minutes`, 0: never) without a key, a click or a move of the mouse
anywhere in EstateDesk, a lock screen covers its windows; the same user's password opens
it again, with every page and half-typed form as it was left, or the next clerk switches
user. The lock is a modal cover over the window, not a new window: nothing under it is
closed, reloaded or cleared. The password goes through users.login, so a lock screen is
throttled and audited like the sign-in window."""
from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtWidgets import (QApplication, QDialog, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QVBoxLayout)
from shiboken6 import isValid

from ui import i18n

# what a person at the counter does; timers, paints and the database's answers are not use
INPUT = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                   QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress})
CHECK_EVERY_S = 15


def _seconds() -> float:
    """The clock idle time is measured by (never the office's clock: set back, it would not lock)."""
    return time.monotonic()


class IdleWatch(QObject):
    """Watches the whole application's input for `window`; locks it after `minutes` without any."""

    def __init__(self, window, minutes: int):
        super().__init__(window)
        self.window = window
        self.limit_s = max(0, int(minutes or 0)) * 60
        self.last_input = _seconds()
        self.screen: LockScreen | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(min(CHECK_EVERY_S, self.limit_s or CHECK_EVERY_S) * 1000)
        self.timer.timeout.connect(self.check)
        if self.limit_s:
            QApplication.instance().installEventFilter(self)
            self.timer.start()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() in INPUT:
            self.last_input = _seconds()
        return False

    @property
    def locked(self) -> bool:
        return self.screen is not None

    def check(self) -> bool:
        """Lock when the minutes have passed (a hidden window, switched away from, is not locked)."""
        if (self.limit_s and self.screen is None and self.window.isVisible()
                and _seconds() - self.last_input >= self.limit_s):
            self.lock()
        return self.locked

    def lock(self) -> LockScreen:
        if self.screen is None:
            self.screen = LockScreen(self.window, can_switch=QApplication.activeModalWidget() is None)
            self.screen.finished.connect(self._opened)
            self.screen.show_over_windows()
        return self.screen

    def _opened(self, _result: int) -> None:
        screen, self.screen = self.screen, None
        self.last_input = _seconds()
        if screen is not None:
            screen.deleteLater()
            if screen.switching:
                QTimer.singleShot(0, self.window.switch_user.emit)


class LockScreen(QDialog):
    """The cover over the window: who is signed in, their password, and Switch user."""

    def __init__(self, window, can_switch: bool = True):
        super().__init__(window, Qt.WindowType.Dialog | Qt.WindowType.FramelessWindowHint)
        self.window_ = window
        self.user = window.user
        self.switching = False
        self._open = False
        self.focused = QApplication.focusWidget()  # where the clerk was typing, given back
        self.setObjectName("lockScreen")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowTitle(self.tr("EstateDesk is locked"))
        self.setAutoFillBackground(True)  # opaque: nothing of the pages shows through
        self.setStyleSheet("QDialog#lockScreen { background: #2c3e50; }"
                           " QFrame#lockBox { background: palette(window); border-radius: 6px; }")
        box = QFrame()
        box.setObjectName("lockBox")
        box.setMaximumWidth(460)
        title = QLabel(self.tr("EstateDesk is locked"))
        font = title.font()
        font.setPointSize(16)
        font.setBold(True)
        title.setFont(font)
        name = self.user.display_name
        text = QLabel(self.tr("Locked while {name} was away. Every page and half-typed form is kept as it was: "
                              "{name}'s password opens them again.").format(name=name))
        text.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Password of {name}").format(name=self.user.username))
        self.message = QLabel()
        self.message.setStyleSheet("color: #c0392b;")
        self.message.setWordWrap(True)
        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.unlock_button.setDefault(True)  # Enter in the password opens
        self.unlock_button.clicked.connect(self.try_unlock)
        self.switch_button = QPushButton(self.tr("Switch user…"))
        self.switch_button.setAutoDefault(False)
        self.switch_button.clicked.connect(self.switch)
        if not can_switch:  # a dialog under the lock is waiting for its answer: it is finished first
            self.switch_button.setEnabled(False)
            self.switch_button.setToolTip(self.tr("A form is open under the lock: unlock, finish or cancel it, "
                                                  "then switch user"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.switch_button)
        buttons.addWidget(self.unlock_button)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.addWidget(title)
        inner.addWidget(text)
        inner.addWidget(self.password)
        inner.addWidget(self.message)
        inner.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def covered(self) -> QRect:
        """EstateDesk's windows on the screen, the main window and any dialog open over it."""
        area = self.window_.frameGeometry()
        for widget in QApplication.topLevelWidgets():
            if widget is not self and widget.isVisible() and not widget.isMinimized():
                area = area.united(widget.frameGeometry())
        return area

    def show_over_windows(self) -> None:
        self._open = True
        self.setGeometry(self.covered())
        self.show()
        self.raise_()
        self.activateWindow()
        self.password.setFocus()

    def try_unlock(self) -> bool:
        from models import users
        from models.errors import OfficeError

        if not self.password.text():
            self.password.setFocus()
            return False
        try:
            # a sign-in like any other: throttled, locked after wrong passwords, audited
            users.login(self.user.username, self.password.text())
        except OfficeError as e:
            self.message.setText(i18n.error_text(e))
            self.password.clear()
            self.password.setFocus()
            return False
        self._finish(switching=False)
        return True

    def switch(self) -> None:
        self._finish(switching=True)

    def _finish(self, switching: bool) -> None:
        self.switching = switching
        self._open = False
        self.password.clear()
        self.accept()
        if not switching and self.focused is not None and isValid(self.focused) and self.focused.isVisible():
            self.focused.setFocus()

    def reject(self) -> None:
        """Esc does not open the lock."""
        if not self._open:
            super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._open:  # Alt+F4 neither
            event.ignore()
            return
        super().closeEvent(event)
