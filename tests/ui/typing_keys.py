"""Typing at the desk in tests: key by key, Chinese too (qtbot.keyClicks aborts on Chinese
characters on the offscreen platform, so those go as key events carrying their text)."""
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication


def type_text(qtbot, widget, text: str) -> None:
    """Each character as a key press and release on `widget` (the focus widget when None)."""
    for ch in text:
        target = widget or QApplication.focusWidget()
        if ch.isascii() and ch.isprintable():
            qtbot.keyClick(target, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(target, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def enter(qtbot, widget=None) -> None:
    qtbot.keyClick(widget or QApplication.focusWidget(), Qt.Key.Key_Return)


def focused():
    return QApplication.focusWidget()
