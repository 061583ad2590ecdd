"""The window on the screens offices have: every page of every role fits a 1024 × 768
monitor in Chinese and in English (rows of buttons wrap, tall forms scroll, nothing is cut
off), a 1366 × 768 laptop shows the status bar, a 1920 × 1080 monitor opens maximised, and
the window opens where this PC left it, never larger than the screen."""
import datetime

import pytest
from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QAbstractScrollArea, QPushButton, QScrollArea, QTabWidget, QToolButton

from models import clock, db, demo, users
from ui import prefs

SMALL = QSize(1024, 740)  # a 1024 × 768 monitor less the window's title bar
WINDOWS_FRAME = QMargins(8, 31, 8, 8)  # a title bar and borders as Windows draws them
MORNING = datetime.datetime(2026, 11, 23, 9, 30)


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    """The demo estate (lists long enough to fill a page), made once for this module."""
    path = tmp_path_factory.mktemp("fit") / "demo.sqlite"
    clock.set_now(MORNING)
    try:
        db.connect(db.sqlite_url(path))
        demo.create("small")
    finally:
        db.close()
        clock.set_now(None)
    return db.sqlite_url(path)


@pytest.fixture
def office(demo_url):
    clock.set_now(MORNING)
    db.connect(demo_url)
    yield
    db.close()
    clock.set_now(None)


def on_screen(available: QRect):
    """A screen of this size (its free area, less the taskbar) for the window to open on."""
    return lambda _screen: QRect(available)


def window_rect(widget, window) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def shown_part(widget, window) -> QRect:
    """What of `widget` can be seen: its rectangle cut by each parent's."""
    rect = window_rect(widget, window)
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        rect = rect.intersected(window_rect(parent, window))
        parent = parent.parentWidget()
    return rect.intersected(window.rect())


def scroller_of(widget):
    """The scroll area `widget` scrolls in (a tall form, a table's own buttons), if any."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and parent.viewport().isAncestorOf(widget):
            return parent
        parent = parent.parentWidget()
    return None


def cut_off(window, visible: QRect) -> list[str]:
    """Every button that cannot be seen whole (one in a scroll area counts as reachable
    when its scroll area can be seen whole), and every form that scrolls sideways."""
    found = []
    buttons = window.findChildren(QPushButton) + window.findChildren(QToolButton)
    for button in buttons:
        if not button.isVisible():
            continue
        target = scroller_of(button) or button
        whole = window_rect(target, window)
        if not visible.contains(whole) or shown_part(target, window) != whole:
            found.append(f"{button.text() or button.toolTip() or button.objectName()!r} at {whole.getRect()}")
    for area in window.findChildren(QScrollArea):
        if area.isVisible() and area.widget() is not None and area.horizontalScrollBar().isVisible():
            found.append(f"a form {area.widget().minimumSizeHint().width()} px wide scrolls sideways in "
                         f"{area.viewport().width()} px")
    return sorted(set(found))


def views(container, window, label=""):
    """`container` as shown, then with each of its tabs (and the tabs inside those) chosen."""
    yield label
    for tabs in container.findChildren(QTabWidget):
        outer = tabs.parentWidget()
        while outer is not container and not isinstance(outer, QTabWidget):
            outer = outer.parentWidget()
        if outer is not container or not tabs.isVisible():
            continue  # a tab widget inside another is visited from that one's tab
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            yield from views(tabs.widget(i), window, f"{label}[{tabs.tabText(i)}]")


@pytest.mark.parametrize("username", ["admin", "wang", "li", "zhao"])
def test_every_page_fits_a_1024_by_768_screen_in_both_languages(office, language, username, qtbot, qapp,
                                                                monkeypatch):
    from ui.main_window import MainWindow

    # room around the window for any frame: the window itself is made 1024 × 740
    monkeypatch.setattr(QScreen, "availableGeometry", on_screen(QRect(0, 0, 1280, 960)))
    window = MainWindow(users.login(username, demo.DEMO_PASSWORD))
    qtbot.addWidget(window)
    hint = window.minimumSizeHint()
    assert hint.width() <= SMALL.width() and hint.height() <= SMALL.height(), hint
    window.resize(SMALL)
    window.show()
    qtbot.waitExposed(window)
    visible = QRect(QPoint(0, 0), SMALL)
    problems = []
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        page = window.pages.currentWidget()
        key = window.nav.item(row).data(Qt.ItemDataRole.UserRole)
        for where in views(page, window):
            qapp.processEvents()
            problems += [f"{key}{where}: {p}" for p in cut_off(window, visible)]
            assert window.size() == SMALL, f"the window grew on {key}{where}: {window.size()}"
    assert problems == []
    bar = window.statusBar()
    assert visible.contains(window_rect(bar, window))


def test_a_1366_by_768_laptop_shows_the_whole_window_and_its_status_bar(office, demo_url, monkeypatch, qtbot,
                                                                        qapp):
    from ui import app

    laptop = QRect(0, 0, 1366, 728)  # 768 less the taskbar
    monkeypatch.setattr(QScreen, "availableGeometry", on_screen(laptop))
    session = app.Session(demo_url)
    session.start(users.login("wang", demo.DEMO_PASSWORD))
    window = session.window
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    assert not window.isMaximized()
    assert laptop.contains(window.geometry().marginsAdded(WINDOWS_FRAME)), window.geometry()
    size = window.size()
    for row in range(window.nav.count()):  # the pages wanted 1348 px once
        window.nav.setCurrentRow(row)
        qapp.processEvents()
        assert window.size() == size, window.nav.item(row).text()
    bar = window.statusBar()
    assert bar.isVisible() and window.rect().contains(window_rect(bar, window))
    assert window.mapToGlobal(QPoint(0, window.height())).y() + WINDOWS_FRAME.bottom() <= laptop.bottom() + 1


def test_a_1920_by_1080_monitor_opens_maximised_and_the_choice_is_remembered(clerk, db_url, monkeypatch, qtbot):
    from ui import app

    monkeypatch.setattr(QScreen, "availableGeometry", on_screen(QRect(0, 0, 1920, 1040)))
    session = app.Session(db_url)
    session.start(clerk)
    qtbot.addWidget(session.window)
    assert session.window.isMaximized()
    session.window.showNormal()
    session.window.setGeometry(200, 150, 1200, 800)
    session.window.close()
    assert prefs.get("window/maximized") is False

    again = app.Session(db_url)
    again.start(clerk)
    qtbot.addWidget(again.window)
    assert not again.window.isMaximized()
    assert again.window.geometry() == QRect(200, 150, 1200, 800)  # where this PC left it
    again.window.showMaximized()
    again.window.close()
    third = app.Session(db_url)
    third.start(clerk)
    qtbot.addWidget(third.window)
    assert third.window.isMaximized()
    assert third.window.normalGeometry() == QRect(200, 150, 1200, 800)


def test_a_window_left_large_opens_no_larger_than_a_smaller_screen(clerk, db_url, monkeypatch, qtbot):
    from ui import app

    prefs.set("window/normal", "300,200,1800,1000")  # left so on a 1920 × 1080 monitor
    small = QRect(0, 0, 1024, 728)
    monkeypatch.setattr(QScreen, "availableGeometry", on_screen(small))
    session = app.Session(db_url)
    session.start(clerk)
    qtbot.addWidget(session.window)
    assert not session.window.isMaximized()
    assert small.contains(session.window.geometry().marginsAdded(WINDOWS_FRAME)), session.window.geometry()


def test_a_row_of_buttons_wraps_on_a_narrow_page_and_keeps_to_the_right(qtbot):
    from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

    from ui.reflow import ElidedButton, FlowLayout

    page = QWidget()
    qtbot.addWidget(page)
    box = QVBoxLayout(page)
    banner = ElidedButton("3 keys overdue: P-03 防水施工 周、P-01 李师傅、H-01 业主本人 — and two lent items")
    box.addWidget(banner)
    row = FlowLayout()
    row.addWidget(QLabel("13 waiting"), 1)
    buttons = [QPushButton(f"Button {n}") for n in range(5)]
    for button in buttons:
        row.addWidget(button)
    box.addLayout(row)
    page.resize(1200, 200)
    page.show()
    qtbot.waitExposed(page)
    assert len({b.y() for b in buttons}) == 1  # room enough: one line
    assert banner.text().endswith("two lent items") and banner.toolTip() == ""
    page.resize(260, 300)
    qtbot.waitUntil(lambda: len({b.y() for b in buttons}) > 1)
    assert page.minimumSizeHint().width() < 260
    for button in buttons:
        assert page.rect().contains(QRect(button.mapTo(page, QPoint(0, 0)), button.size()))
    for y in {b.y() for b in buttons}:  # each line ends at the right, as the one line did
        assert max(b.geometry().right() for b in buttons if b.y() == y) >= page.width() - 20
    assert banner.toolTip() == banner.text() and banner.width() <= page.width()
