"""The preview: a document's pages on screen (painted on white: QtPdf leaves reportlab's
pages transparent), zoom and paging, then print to any installed printer or save as PDF.
Every document of printing/ comes here as PDF bytes."""
from __future__ import annotations

import shutil
from typing import Callable

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtWidgets import (QDialog, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton,
                               QScrollArea, QVBoxLayout)

from ui.tasks import run_with_progress


def page_image(document: QPdfDocument, page: int, scale: float) -> QImage:
    """One page rendered at `scale` pixels per point, on white."""
    points = document.pagePointSize(page)
    size = QSize(max(1, int(points.width() * scale)), max(1, int(points.height() * scale)))
    rendered = document.render(page, size, QPdfDocumentRenderOptions())
    white = QImage(size, QImage.Format.Format_RGB32)
    white.fill(QColor("white"))
    painter = QPainter(white)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return white


def open_document(pdf: bytes | None = None, path: str | None = None, parent=None) -> QPdfDocument:
    """A QtPdf document of PDF bytes (kept by the document) or of a file (a batch: read
    from disk page by page, never whole into memory)."""
    document = QPdfDocument(parent)
    if path is not None:
        document.load(path)
    else:
        buffer = QBuffer(document)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document.load(buffer)
    return document


class PreviewDialog(QDialog):
    """`pdf` bytes, or `path` of a PDF file (a batch). `handed_out(how)` hears of every
    completed print ("print") or save ("pdf"): a cancelled print is not one."""

    def __init__(self, pdf: bytes | None, title: str, parent=None, *, file_name: str = "document.pdf",
                 path: str | None = None, handed_out: Callable[[str], None] | None = None,
                 numbered_forms: bool = False):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preview — {title}").format(title=title))
        self.pdf, self.path = pdf, path
        self.file_name = file_name
        self.handed_out = handed_out
        # on pre-numbered stock every form printed uses up a number the books account for:
        # the document prints once, whole (no extra copies, no page range)
        self.numbered_forms = numbered_forms
        self.document = open_document(pdf, path, self)
        self.page = 0
        self.zoom = 1.3

        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setStyleSheet("background: #7a7a7a; padding: 12px;")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.image)
        self.where = QLabel()
        bar = QHBoxLayout()
        for text, slot, keys in ((self.tr("◀ Previous"), lambda: self.go(-1), QKeySequence.StandardKey.MoveToPreviousPage),
                                 (self.tr("Next ▶"), lambda: self.go(1), QKeySequence.StandardKey.MoveToNextPage),
                                 (self.tr("Zoom in"), lambda: self.scale(1.25), QKeySequence.StandardKey.ZoomIn),
                                 (self.tr("Zoom out"), lambda: self.scale(0.8), QKeySequence.StandardKey.ZoomOut)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            bar.addWidget(b)
            QShortcut(QKeySequence(keys), self, activated=slot)
        bar.addWidget(self.where, 1)
        save = QPushButton(self.tr("Save as PDF…"))
        save.clicked.connect(self.save_pdf)
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.clicked.connect(self.print_document)
        self.print_button.setDefault(True)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        for b in (save, self.print_button, close):
            bar.addWidget(b)
        box = QVBoxLayout(self)
        box.addLayout(bar)
        box.addWidget(scroll, 1)
        self.resize(960, 760)
        self.show_page()

    @property
    def pages(self) -> int:
        return self.document.pageCount()

    def go(self, step: int) -> None:
        self.page = max(0, min(self.pages - 1, self.page + step))
        self.show_page()

    def scale(self, factor: float) -> None:
        self.zoom = max(0.4, min(4.0, self.zoom * factor))
        self.show_page()

    def show_page(self) -> None:
        if self.pages == 0:
            self.where.setText(self.tr("This document has no pages"))
            return
        self.image.setPixmap(QPixmap.fromImage(page_image(self.document, self.page, self.zoom)))
        self.where.setText(self.tr("Page {n} of {total}").format(n=self.page + 1, total=self.pages))

    def save_pdf(self) -> None:
        from pathlib import Path

        from ui import prefs

        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save as PDF"),
                                              str(Path(prefs.folder("export/folder")) / self.file_name),
                                              self.tr("PDF documents (*.pdf)"))
        if not path:
            return
        try:
            if self.path is not None:
                shutil.copyfile(self.path, path)
            else:
                with open(path, "wb") as f:
                    f.write(self.pdf)
        except OSError as e:
            QMessageBox.warning(self, self.tr("Save as PDF"), self.tr(
                "The file could not be written ({reason}). Choose another folder, or check the USB stick.")
                .format(reason=e.strerror or e))
            return
        prefs.set("export/folder", str(Path(path).parent))  # the next save opens there
        if self.handed_out is not None:
            self.handed_out("pdf")

    def print_document(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo

        if not QPrinterInfo.availablePrinters():
            QMessageBox.information(self, self.tr("Print"), self.tr(
                "No printer is installed on this computer. Install the printer in the system's "
                "settings, or save the document as PDF."))
            return
        from ui import prefs

        chosen = prefs.get("printer/name")
        info = QPrinterInfo.printerInfo(chosen) if chosen else QPrinterInfo.defaultPrinter()
        printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if self.numbered_forms:
            dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, False)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if self.numbered_forms:
            printer.setCopyCount(1)
            printer.setPrintRange(QPrinter.PrintRange.AllPages)
        problem = use_document_paper(printer, self.document)
        if problem and QMessageBox.question(self, self.tr("Print"), problem + "\n\n" + self.tr("Print anyway?")) \
                != QMessageBox.StandardButton.Yes:
            return
        self.print_with(printer)

    def print_with(self, printer) -> bool:
        """Print on `printer` off the UI thread, with progress and cancel; True when every
        page went to the printer (and only then is the document handed out)."""
        from printing.spool import SpoolError
        from ui import prefs

        offsets = prefs.printer_offsets(printer.printerName())
        pdf, path = self.pdf, self.path

        def work(report, cancelled):
            # its own document, in the worker's thread: the screen keeps the dialog's
            return send(printer, pdf, path, offsets, step=report, cancelled=cancelled)

        try:
            # a job the queue took and did not withdraw is printed, even if the clerk
            # pressed Cancel a moment too late: it is handed out
            done = run_with_progress(self, self.tr("Printing…"), self.pages, work, keep_finished=True)
        except SpoolError as e:
            QMessageBox.warning(self, self.tr("Print"), self.tr(
                "The printer did not take the document: {reason}. Check that it is switched on "
                "and has paper, then print again; nothing was recorded as printed.").format(reason=e))
            return False
        if not done:
            QMessageBox.information(self, self.tr("Print"), self.tr(
                "Printing was stopped. Pages already sent to the printer may still come out; "
                "nothing was recorded as printed."))
            return False
        if self.handed_out is not None:
            self.handed_out("print")
        return True


def page_layout(width_pt: float, height_pt: float):
    """The paper to ask of the printer for a page of `width_pt` × `height_pt`: a standard
    cut sheet by its id, turned to landscape when the page is wider than high; any other
    size (a 241 mm continuous form, a label roll) exactly as laid out, width across the
    printer, portrait. Asking for a form short side first plus Landscape is what turned
    continuous forms 90° in the queue."""
    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize

    from printing import spool

    sheet = spool.cut_sheet(width_pt, height_pt)
    if sheet:
        name, landscape = sheet
        size = QPageSize(getattr(QPageSize.PageSizeId, name))
        return size, QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    size = QPageSize(QSizeF(width_pt, height_pt), QPageSize.Unit.Point, "EstateDesk",
                     QPageSize.SizeMatchPolicy.ExactMatch)
    return size, QPageLayout.Orientation.Portrait


def use_document_paper(printer, document: QPdfDocument) -> str | None:
    """Ask the printer for the document's paper; a message when it has another one.

    On Windows a dot-matrix printer prints a 241 mm continuous form only when that size
    exists as a form in the print server's properties: the message names the size."""
    from PySide6.QtGui import QPageLayout

    first = document.pagePointSize(0)
    size, orientation = page_layout(first.width(), first.height())
    printer.setPageSize(size)
    printer.setPageOrientation(orientation)
    got = printer.pageLayout().fullRect(QPageLayout.Unit.Point)
    if abs(got.width() - first.width()) > 3 or abs(got.height() - first.height()) > 3:
        mm = 25.4 / 72
        return QCoreApplication.translate(
            "Preview",
            "The printer's paper ({got_w:.0f} × {got_h:.0f} mm) is not the document's ({w:.1f} × {h:.1f} mm). "
            "Put the right paper in, or add a paper form of {w:.1f} × {h:.1f} mm to the printer "
            "(on Windows: Printers → Print server properties → Forms).").format(got_w=got.width() * mm, got_h=got.height() * mm, w=first.width() * mm, h=first.height() * mm)
    return None


def sends_pdf(printer) -> bool:
    """Whether this printer takes the document as the PDF it is (a CUPS queue), rather than
    as page images drawn through Qt (Windows; printing to a file)."""
    from PySide6.QtPrintSupport import QPrinter

    from printing import spool

    return (spool.available() and printer.outputFormat() == QPrinter.OutputFormat.NativeFormat
            and not printer.outputFileName() and bool(printer.printerName()))


def send(printer, pdf: bytes | None, path: str | None, offsets=None, step=None, cancelled=None) -> bool:
    """Print the document (bytes, or a batch file's path) the best way this printer allows:
    to a CUPS queue as PDF; elsewhere as black-and-white page images at the printer's
    resolution (print_to). False when the clerk stopped it: a CUPS job cancelled while it
    was being queued is withdrawn again."""
    from PySide6.QtPrintSupport import QPrinter

    from printing import spool
    from printing.paper import Offsets

    if sends_pdf(printer):
        if step is not None and step(0) is False:
            return False
        pages = None
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage():
            pages = (printer.fromPage(), printer.toPage() or printer.fromPage())
        job = spool.submit(printer.printerName(), pdf if path is None else path, printer.docName(),
                           copies=printer.copyCount(), collate=printer.collateCopies(), pages=pages,
                           offsets=offsets or Offsets())
        if cancelled is not None and cancelled():
            spool.cancel(job)
            return False
        return True
    return print_to(printer, open_document(pdf, path), offsets, step=step)


# pages reach a raster printer at no more than this: a 24-pin dot-matrix head's finest, and
# crisp black-and-white text on a laser too, while a batch of thousands of notices keeps
# moving (at 600 dpi a page takes three times as long; bench/print_jobs.py). A page is one
# picture of at most MAX_PIXELS (rendering it in bands shifts each band by a pixel or two
# against the next, which can lose a hairline rule at a seam)
MAX_DPI = 360
MAX_PIXELS = 40_000_000  # 160 MB while it is rendered, 5 MB once black and white
# grey lighter than this prints white, darker prints black: thin grey rules (the
# calibration grid) stay, the faint fill behind a table's head goes
INK_BELOW = 205
_THRESHOLD = bytes(0 if v < INK_BELOW else 255 for v in range(256))


def black_and_white(image: QImage) -> QImage:
    """A rendered page as 1-bit black and white, cut at INK_BELOW (no dithering: the
    printer's driver would dither grey anti-aliased text into speckles)."""
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = grey.width(), grey.height(), grey.bytesPerLine()
    cut = bytes(grey.constBits()).translate(_THRESHOLD)
    mono = QImage(cut, width, height, stride, QImage.Format.Format_Grayscale8)
    return mono.convertToFormat(QImage.Format.Format_Mono, Qt.ImageConversionFlag.ThresholdDither)


def raster_dpi(points, dpi: float) -> float:
    """`dpi`, lowered where the page would be more than MAX_PIXELS (a big sheet)."""
    dpi = min(dpi, MAX_DPI)
    pixels = points.width() * points.height() * (dpi / 72) ** 2
    return dpi if pixels <= MAX_PIXELS else dpi * (MAX_PIXELS / pixels) ** 0.5


def page_picture(document: QPdfDocument, page: int, dpi: float) -> QImage:
    """The page rendered at `dpi` (see raster_dpi) on white, as 1-bit black and white."""
    return black_and_white(page_image(document, page, raster_dpi(document.pagePointSize(page), dpi) / 72))


def print_to(printer, document: QPdfDocument, offsets=None, step=None) -> bool:
    """Send every page to `printer` as page images: black and white, rendered at the
    printer's own resolution (at most MAX_DPI, see raster_dpi), each page at its true size on a paper of
    its own size, moved by this printer's offsets (so text lands in the boxes of
    pre-printed stock).

    `step(page)` is told of each page and may answer False to stop: no further page is
    sent, the job is aborted where the print system allows it (Qt's CUPS engine does not:
    the pages already sent still print), and print_to returns False so that the caller
    records nothing as printed."""
    from PySide6.QtPrintSupport import QPrinter

    printer.setFullPage(True)
    use_document_paper(printer, document)
    # black and white only: the driver neither dithers colour nor spools it (a third of
    # the job's size when Qt writes the spool file itself)
    printer.setColorMode(QPrinter.ColorMode.GrayScale)
    dpi = printer.resolution()
    painter = QPainter(printer)
    try:
        if offsets is not None:
            painter.translate(offsets.x_mm * dpi / 25.4, offsets.y_mm * dpi / 25.4)
        for page in range(document.pageCount()):
            try:
                stop = step is not None and step(page) is False
            except BaseException:  # the clerk cancelled the batch (ui.tasks.Cancelled)
                printer.abort()
                raise
            if stop:
                printer.abort()
                return False
            if page:
                printer.newPage()
            target = painter.viewport()
            points = document.pagePointSize(page)
            scale = min(target.width() / points.width(), target.height() / points.height())
            picture = page_picture(document, page, scale * 72)
            painter.drawImage(QRectF(0, 0, points.width() * scale, points.height() * scale), picture)
    finally:
        if painter.isActive():
            painter.end()
    return True


def list_data(title: str, model, subtitle: str = ""):
    """What a table on screen shows, as a printable list (every row, fetched if paged)."""
    from printing.lists import ListData

    root = model.index(-1, -1).parent()
    while model.canFetchMore(root):
        model.fetchMore(root)
    columns = range(model.columnCount())
    headers = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in columns]
    rows = [[str(model.data(model.index(r, c)) or "") for c in columns] for r in range(model.rowCount())]
    right = tuple(c for c in columns if model.rowCount() and
                  (model.data(model.index(0, c), Qt.ItemDataRole.TextAlignmentRole) or 0)
                  & int(Qt.AlignmentFlag.AlignRight))
    return ListData(title, headers, rows, subtitle=subtitle, right_aligned=right)


def preview_list(parent, title: str, model, subtitle: str = "") -> PreviewDialog:
    """「打印清单」: the list on screen, on paper, through the preview."""
    from models import estate
    from printing import lists
    from printing.furniture import Letterhead

    pdf = lists.render(list_data(title, model, subtitle), Letterhead.from_profile(estate.profile()))
    return PreviewDialog(pdf, title, parent, file_name=f"{title}.pdf")
