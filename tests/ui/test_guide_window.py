"""F1 on any page opens the clerk's guide on that page's chapter, in the window's language;
every page of the window has its chapter; the printable guide opens as a PDF."""
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from models import users
from printing import guide
from tests.conftest import password_hash


@pytest.fixture
def everyone(database):
    """One user holding every role: the window shows every page it has."""
    return users.User.create(username="all", full_name="全员", roles=",".join(users.ROLES),
                             password_hash=password_hash("secret1"))


def nav_keys(window) -> list[str]:
    return [window.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.nav.count())]


def test_every_page_of_the_window_has_a_chapter_in_both_languages(everyone, qtbot):
    from ui.main_window import MainWindow

    w = MainWindow(everyone)
    qtbot.addWidget(w)
    keys = nav_keys(w)
    assert len(keys) == 14 and "counter" in keys and "audit" in keys
    pages = guide.index()["pages"]
    assert sorted(pages) == sorted(keys)  # a page without a chapter, or a chapter of no page, fails
    opening = guide.chapters("zh_CN")[0]
    for key in keys:
        for lang in guide.LANGUAGES:
            chapter = guide.chapter_for(key, lang)
            assert chapter.path.parent.name == lang and chapter.path.is_file(), (key, lang)
            assert chapter.key != opening.key, key


def guide_window(w):
    from ui.help import GuideWindow

    return w.findChild(GuideWindow, "clerks_guide")


def test_f1_on_the_counter_opens_the_guide_on_the_counters_chapter(language, cashier, qtbot):
    from ui.main_window import MainWindow

    w = MainWindow(cashier)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    counter = w.page("counter")
    qtbot.waitUntil(lambda: counter.search_box.hasFocus())  # where the clerk types
    assert guide_window(w) is None
    qtbot.keyClick(counter.search_box, Qt.Key.Key_F1)  # the clerk typing at the counter
    g = guide_window(w)
    assert g is not None and g.isVisible() and not g.isModal()
    chapter = guide.chapter_for("counter", language)
    text = g.browser.toPlainText()
    title, step = ("收费", "收款并出收据 (F9)") if language == "zh_CN" else ("Counter", "Take payment and issue receipt (F9)")
    assert chapter.title == title and text.startswith(title) and step in text
    assert g.contents.currentItem().text() == title and g.contents.count() == len(guide.chapters(language))
    assert title in g.windowTitle()
    # its pictures are there, none wider than the view
    doc = g.browser.document()
    shown = _images(doc)
    assert len(shown) == len(chapter.images) >= 1
    room = g.browser.viewport().width()
    for name, width in shown:
        assert not doc.resource(QTextDocument.ResourceType.ImageResource, name).isNull(), name
        assert 0 < width <= room
    screen = g.screen().availableGeometry()
    assert g.width() <= screen.width() and g.height() <= screen.height()

    # another page, F1 again: the same window, on that page's chapter
    w.activateWindow()  # back from the guide to the main window
    archive = w.page("archive")
    archive.search_box.setFocus()
    qtbot.waitUntil(lambda: archive.search_box.hasFocus())
    qtbot.keyClick(archive.search_box, Qt.Key.Key_F1)
    assert guide_window(w) is g
    archive_title = guide.chapter_for("archive", language).title
    assert g.browser.toPlainText().startswith(archive_title)
    assert g.contents.currentItem().text() == archive_title
    # the chapter list moves between chapters
    g.contents.setCurrentRow(g.contents.count() - 1)
    assert g.browser.toPlainText().startswith(guide.chapters(language)[-1].title)


def _images(doc) -> list[tuple[str, float]]:
    from ui.help import pictures_in

    return [(image.name(), image.width()) for _position, _length, image in pictures_in(doc)]


def test_the_printable_version_opens_the_whole_guide_as_a_pdf(everyone, qtbot, monkeypatch, tmp_path):
    from PySide6.QtGui import QDesktopServices

    from ui import help as help_window
    from ui.main_window import MainWindow

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    monkeypatch.setattr(help_window.tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setattr(guide, "bundled_pdf", lambda lang: None)  # made now, as in a checkout
    w = MainWindow(everyone)
    qtbot.addWidget(w)
    g = w.open_guide()
    assert g.pdf_button.text() in ("Printable version (PDF)…", "打印版(PDF)…")
    g.pdf_button.click()
    [url] = opened
    pdf = Path(url.toLocalFile())
    assert pdf.parent == tmp_path / "EstateDesk" and pdf.read_bytes()[:5] == b"%PDF-"
    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= len(guide.chapters(g.lang)) + 2
    assert guide.chapters(g.lang)[-1].title in reader.pages[1].extract_text()  # the contents list it
