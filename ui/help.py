"""操作手册 in the window: F1 on any page opens the clerk's guide on that page's chapter
(printing/guide reads the chapters installed with the program). The chapters are listed on
the left, the one chosen shows on the right with its pictures no wider than the view, and
打印版(PDF)… opens the whole guide as a printable PDF. The window stays open beside the
page the clerk works on."""
from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QLocale, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QImage, QTextCursor, QTextDocument, QTextImageFormat
from PySide6.QtWidgets import (QDialog, QHBoxLayout, QListWidget, QListWidgetItem, QMessageBox, QPushButton,
                               QSplitter, QTextBrowser, QVBoxLayout)

from printing import guide

NAME = "clerks_guide"  # the window's object name, by which F1 finds it open already


def language_in_use() -> str:
    """The language the window speaks in this start (as ui/i18n.install set it)."""
    return "zh_CN" if QLocale().language() == QLocale.Language.Chinese else "en"


class GuideWindow(QDialog):
    """The guide beside the main window: not modal, resizable, within the screen."""

    def __init__(self, parent=None, lang: str | None = None):
        super().__init__(parent)
        self.setObjectName(NAME)
        self.lang = guide.language(lang or language_in_use())
        self.setModal(False)
        self.setSizeGripEnabled(True)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.chapters = guide.chapters(self.lang)
        self.current: guide.Chapter | None = None
        self.pictures: dict[str, QImage | None] = {}

        self.contents = QListWidget()
        self.contents.setObjectName("guide_contents")
        self.contents.setStyleSheet("QListWidget { font-size: 11pt; } QListWidget::item { padding: 3px; }")
        for chapter in self.chapters:
            item = QListWidgetItem(chapter.title)
            item.setData(Qt.ItemDataRole.UserRole, chapter.path.name)
            self.contents.addItem(item)
        self.contents.currentRowChanged.connect(self.show_row)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)  # a link to another chapter opens it here
        self.browser.anchorClicked.connect(self.follow)
        # the chapters name their pictures as ../images/x.png, from their own folder
        self.browser.setSearchPaths([str(guide.GUIDE / self.lang), str(guide.GUIDE / guide.DEFAULT_LANGUAGE)])
        split = QSplitter()
        split.addWidget(self.contents)
        split.addWidget(self.browser)
        split.setStretchFactor(1, 1)
        split.setSizes([210, 750])
        split.setChildrenCollapsible(False)

        self.pdf_button = QPushButton(self.tr("Printable version (PDF)…"))
        self.pdf_button.setAutoDefault(False)
        self.pdf_button.clicked.connect(self.printable)
        close = QPushButton(self.tr("Close"))
        close.setAutoDefault(False)
        close.clicked.connect(self.close)
        row = QHBoxLayout()
        row.addWidget(self.pdf_button)
        row.addStretch(1)
        row.addWidget(close)
        box = QVBoxLayout(self)
        box.addWidget(split, 1)
        box.addLayout(row)

        # pictures are refitted once the resizing stops, not at every pixel of it
        self.refit = QTimer(self)
        self.refit.setSingleShot(True)
        self.refit.setInterval(80)
        self.refit.timeout.connect(self.fit_images)
        screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
        room = screen.availableGeometry().size() - QSize(16, 48)  # a frame and a title bar
        self.resize(QSize(980, 720).boundedTo(room))

    @classmethod
    def show_for(cls, parent, page_key: str | None) -> "GuideWindow":
        """The guide on the chapter of `page_key`: the window already open, or a new one."""
        window = parent.findChild(cls, NAME) if parent is not None else None
        if window is None:
            window = cls(parent)
        window.show_chapter(guide.chapter_for(page_key, window.lang))
        window.show()
        window.fit_images()  # to the view's width now that the window has its size
        window.raise_()
        window.activateWindow()
        return window

    def show_chapter(self, chapter: guide.Chapter) -> None:
        for row in range(self.contents.count()):
            if self.contents.item(row).data(Qt.ItemDataRole.UserRole) == chapter.path.name:
                self.contents.setCurrentRow(row)
                self.show_row(row)  # the same row again (F1 twice) still shows its start
                return

    def show_row(self, row: int) -> None:
        if not 0 <= row < len(self.chapters):
            return
        self.current = self.chapters[row]
        self.setWindowTitle(self.tr("Clerk's guide — {chapter}").format(chapter=self.current.title))
        self.browser.setMarkdown(self.current.markdown)
        self.fit_images()
        self.browser.verticalScrollBar().setValue(0)

    def follow(self, url: QUrl) -> None:
        """A link: another chapter (NN-name.md) opens here, a web address in the browser."""
        name = Path(url.path()).name
        for row, chapter in enumerate(self.chapters):
            if chapter.path.name == name:
                self.contents.setCurrentRow(row)
                return
        if url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)

    def picture(self, name: str) -> QImage | None:
        """A chapter's picture as its file has it, read once."""
        if name not in self.pictures:
            found = next((Path(folder) / name for folder in self.browser.searchPaths()
                          if (Path(folder) / name).is_file()), None)
            image = QImage(str(found)) if found is not None else QImage()
            self.pictures[name] = None if image.isNull() else image
        return self.pictures[name]

    def fit_images(self) -> None:
        """Every picture at its own size, or as wide as the view when it is wider."""
        doc = self.browser.document()
        room = max(120, self.browser.viewport().width() - 2 * int(doc.documentMargin()) - 6)
        cursor = QTextCursor(doc)
        ratio = self.devicePixelRatioF()
        for position, length, image in pictures_in(doc):
            picture = self.picture(image.name())
            if picture is None:
                continue
            width = min(picture.width(), room)
            height = round(picture.height() * width / picture.width())
            # scaled smoothly here: the document would draw a large one shrunk pixel by pixel
            scaled = picture.scaled(round(width * ratio), round(height * ratio), Qt.AspectRatioMode.IgnoreAspectRatio,
                                    Qt.TransformationMode.SmoothTransformation)
            scaled.setDevicePixelRatio(ratio)
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(image.name()), scaled)
            image.setWidth(width)
            image.setHeight(height)
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(image)

    def resizeEvent(self, event):  # noqa: N802
        super().resizeEvent(event)
        self.refit.start()

    def printable(self) -> Path | None:
        """The whole guide as a PDF, opened in the PC's PDF reader to read or print: the one
        the installed program carries, else made now into the temp folder."""
        from printing import fonts
        from ui.tasks import run_with_progress

        made = guide.bundled_pdf(self.lang)
        if made is None:
            lang = self.lang
            try:
                target = writable(Path(tempfile.gettempdir()) / "EstateDesk" / guide.PDF_NAMES[lang])
                made = run_with_progress(self, self.tr("Making the printable guide…"), 0,
                                         lambda report, _cancelled: guide.build_pdf(
                                             target, lang, progress=lambda _n: report(0)))
            except (OSError, fonts.FontMissing) as e:
                QMessageBox.warning(self, self.tr("Printable version (PDF)"), self.tr(
                    "The printable guide could not be made: {reason}").format(reason=e))
                return None
            if made is None:
                return None  # cancelled
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(made))):
            QMessageBox.information(self, self.tr("Printable version (PDF)"), self.tr(
                "The guide is saved as {file}, but no program on this computer opens PDF files.").format(file=made))
        return made


def pictures_in(doc: QTextDocument) -> list[tuple[int, int, QTextImageFormat]]:
    """Where each picture of a document sits: (position, length, its image format)."""
    found = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid() and fragment.charFormat().isImageFormat():
                found.append((fragment.position(), fragment.length(), fragment.charFormat().toImageFormat()))
            it += 1
        block = block.next()
    return found


def writable(path: Path) -> Path:
    """`path`, or beside it a name of its own when the file is open in a PDF reader that
    holds it (Windows does not let it be replaced then)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for n in range(1, 20):
        candidate = path if n == 1 else path.with_name(f"{path.stem}-{n}{path.suffix}")
        try:
            with open(candidate, "ab"):
                return candidate
        except PermissionError:
            continue
    raise PermissionError(f"{path.parent} cannot be written to")
