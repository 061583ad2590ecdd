"""The preview shows reportlab's pages on white, pages through them, and prints them."""
import io

import pytest

from PySide6.QtGui import QColor
from pypdf import PdfReader

from printing import lists
from printing.furniture import Letterhead
from ui.preview import PreviewDialog, list_data, page_image
from ui.table_models import RowsModel

HEAD = Letterhead("翠湖花园物业服务中心")


def pdf_printer(target):
    """A printer that writes what it is sent into the PDF file `target`."""
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    return printer


def long_list_pdf():
    rows = [[f"3-2-{1000 + i}", "业主公约"] for i in range(150)]
    return lists.render(lists.ListData("缺失资料清单", ["房屋", "缺失"], rows), HEAD)


def test_pages_are_painted_on_white_and_paged_through(qtbot):
    d = PreviewDialog(long_list_pdf(), "缺失资料清单")
    qtbot.addWidget(d)
    assert d.pages >= 3
    image = page_image(d.document, 0, 1.0)
    assert image.pixelColor(2, 2) == QColor("white")  # not transparent, not black
    dark = sum(1 for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)
               if image.pixelColor(x, y).lightness() < 128)
    assert dark > 50  # the text is there
    d.go(1)
    assert "2" in d.where.text()
    d.go(100)
    assert d.page == d.pages - 1
    width = d.image.pixmap().width()
    d.scale(1.25)
    assert d.image.pixmap().width() > width


def test_the_list_on_screen_becomes_the_printed_list(qtbot):
    model = RowsModel([("House", lambda r: r[0], None), ("Area (m²)", lambda r: r[1], 0x82)])
    model.set_rows([("3-2-1201", "89.50"), ("3-2-1202", "70.00")])
    data = list_data("Houses", model)
    assert data.headers == ["House", "Area (m²)"] and data.rows[1] == ["3-2-1202", "70.00"]
    assert data.right_aligned == (1,)
    text = PdfReader(io.BytesIO(lists.render(data, HEAD))).pages[0].extract_text()
    assert "3-2-1202" in text and "70.00" in text


def test_printing_sends_every_page_to_the_printer(qtbot, tmp_path):
    from ui.preview import print_to

    d = PreviewDialog(long_list_pdf(), "缺失资料清单")
    qtbot.addWidget(d)
    target = tmp_path / "printed.pdf"
    print_to(pdf_printer(target), d.document)
    assert len(PdfReader(str(target)).pages) == d.pages


def test_the_archive_card_prints_what_the_detail_shows_with_personal_data_masked(clerk, house, qtbot):
    from models import owners
    from printing import card
    from ui.archive_page import ArchivePage

    owners.add_owner(clerk, house.id, name="张三", id_number="11010519491231002X", phone="13812345678")
    owners.add_resident(clerk, house.id, kind="tenant", name="赵六", phone="13900001111")
    page = ArchivePage(clerk)
    qtbot.addWidget(page)
    page.open_house(house.id)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(card.render(page.detail.card_data(), HEAD))).pages)
    for words in ("3-2-1201", "89.50", "张三", "110***********002X", "138****5678", "赵六", "139****1111",
                  "Owners", "Residents", "Papers", "Printed by wang"):
        assert words in text, words
    assert "11010519491231002X" not in text and "13812345678" not in text


def test_printer_offsets_are_kept_per_printer_and_move_the_printed_page(qtbot, tmp_path):
    from printing import calibration
    from printing.paper import Offsets
    from ui import prefs
    from ui.preview import print_to

    prefs.set_printer_offsets("EPSON LQ-630K", 2.5, -1.0)
    prefs.set_printer_offsets("HP LaserJet", 0.0, 0.5)
    assert prefs.printer_offsets("EPSON LQ-630K") == Offsets(2.5, -1.0)
    assert prefs.printer_offsets("nobody") == Offsets()

    def printed(offsets):
        d = PreviewDialog(calibration.render("A4", shift=False), "cal")
        qtbot.addWidget(d)
        target = tmp_path / f"cal{offsets.x_mm}.pdf"
        print_to(pdf_printer(target), d.document, offsets)
        return PdfReader(str(target)).pages[0]

    plain, moved = printed(Offsets()), printed(Offsets(10.0, 0.0))
    assert plain.mediabox.width == pytest.approx(595.3, abs=1)  # A4 asked of the printer

    def image_x(page):
        found = []
        page.extract_text(visitor_operand_before=lambda op, args, cm, tm: found.append(cm[4]) if op == b"Do" else None)
        return found[0]
    assert image_x(moved) - image_x(plain) == pytest.approx(10 * 72 / 25.4, abs=0.5)


def test_a_cancelled_print_withdraws_the_job(qtbot, tmp_path):
    from ui.preview import print_to

    d = PreviewDialog(long_list_pdf(), "缺失资料清单")
    qtbot.addWidget(d)
    printer = pdf_printer(tmp_path / "cancelled.pdf")
    sent = []
    assert print_to(printer, d.document, step=lambda page: sent.append(page) or page < 1) is False
    assert sent == [0, 1]  # stopped at the second page; a real queue withdraws the job


@pytest.mark.parametrize("paper", ["A4", "A5", "CONT_FULL", "CONT_HALF", "CONT_THIRD"])
def test_the_printer_is_asked_for_the_paper_as_its_stock_feeds(qtbot, paper):
    """A continuous form is asked for 241 mm across, portrait, never short side first plus
    Landscape (how a third form once reached the queue as a 93.1 × 241 mm page)."""
    from PySide6.QtGui import QPageLayout, QPageSize

    from printing import receipt
    from printing.paper import PAPERS
    from ui.preview import open_document, page_layout, use_document_paper

    width, height = PAPERS[paper].size()
    size, orientation = page_layout(width, height)
    asked = size.size(QPageSize.Unit.Millimeter)
    assert orientation == QPageLayout.Orientation.Portrait
    assert (asked.width(), asked.height()) == (pytest.approx(PAPERS[paper].width_mm, abs=0.5),
                                               pytest.approx(PAPERS[paper].height_mm, abs=0.5))
    # and what the printer then holds for a receipt on that paper
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    data = receipt.ReceiptData("2026-000001", __import__("datetime").date(2026, 11, 23), "3-2-1201", "张三",
                               [receipt.ReceiptLine("物业服务费", 22375, "2026-10")])
    assert use_document_paper(printer, open_document(receipt.render(data, HEAD, paper=paper))) is None
    layout = printer.pageLayout()
    held = layout.fullRect(QPageLayout.Unit.Millimeter)
    assert layout.orientation() == QPageLayout.Orientation.Portrait
    assert (held.width(), held.height()) == (pytest.approx(PAPERS[paper].width_mm, abs=0.5),
                                             pytest.approx(PAPERS[paper].height_mm, abs=0.5))
    if paper in ("A4", "A5"):
        assert size.id() == getattr(QPageSize.PageSizeId, paper)  # the driver's own A4/A5 form


def test_a_landscape_list_goes_on_a_portrait_fed_sheet_turned():
    from PySide6.QtGui import QPageLayout, QPageSize
    from reportlab.lib.pagesizes import A4, landscape

    from ui.preview import page_layout

    size, orientation = page_layout(*landscape(A4))
    assert size.id() == QPageSize.PageSizeId.A4 and orientation == QPageLayout.Orientation.Landscape


def test_pages_go_to_a_raster_printer_in_black_and_white_at_its_resolution(qtbot, tmp_path):
    """No grey anti-aliased page images for a dot-matrix driver to dither: every pixel sent
    is black or white, at the printer's resolution (up to 360 dpi), in grey-scale mode."""
    from PySide6.QtGui import QImage
    from PySide6.QtPrintSupport import QPrinter

    from printing.paper import PAPERS
    from ui.preview import MAX_DPI, black_and_white, open_document, page_picture, print_to

    pdf = lists.render(lists.ListData("缺失资料清单", ["房屋", "缺失"], [["3-2-1201", "业主公约"]]), HEAD)
    document = open_document(pdf)
    picture = page_picture(document, 0, 180)  # an LQ-630K's 180 dpi
    assert picture.width() == pytest.approx(PAPERS["A4"].width_mm / 25.4 * 180, abs=1)
    assert picture.format() == QImage.Format.Format_Mono
    grey = picture.convertToFormat(QImage.Format.Format_Grayscale8)
    assert set(bytes(grey.constBits())) == {0, 255}
    assert page_picture(document, 0, 1200).width() == pytest.approx(PAPERS["A4"].width_mm / 25.4 * MAX_DPI, abs=1)
    # a mid-grey pixel is ink, a faint one is paper
    sample = QImage(2, 1, QImage.Format.Format_RGB32)
    sample.setPixelColor(0, 0, QColor(150, 150, 150))
    sample.setPixelColor(1, 0, QColor(240, 240, 240))
    cut = black_and_white(sample)
    assert cut.pixelColor(0, 0).lightness() == 0 and cut.pixelColor(1, 0).lightness() == 255

    printer = pdf_printer(tmp_path / "bw.pdf")
    print_to(printer, document)
    assert printer.colorMode() == QPrinter.ColorMode.GrayScale
    page = PdfReader(str(tmp_path / "bw.pdf")).pages[0]
    images = [x.get_object() for x in page["/Resources"]["/XObject"].values()]
    assert images and all(i["/ColorSpace"] == "/DeviceGray" for i in images)
    [image] = images  # the page in one picture
    assert image["/Height"] == pytest.approx(297 / 25.4 * min(MAX_DPI, printer.resolution()), abs=1)


def test_save_as_pdf_opens_in_the_documents_folder_then_where_the_last_one_went(qtbot, tmp_path, monkeypatch):
    from pathlib import Path

    from PySide6.QtCore import QStandardPaths
    from PySide6.QtWidgets import QFileDialog

    offered = []
    target = tmp_path / "stick"
    target.mkdir()

    def choose(parent, title, proposed, filters):
        offered.append(proposed)
        return str(target / Path(proposed).name), filters
    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    for _ in range(2):
        dialog = PreviewDialog(long_list_pdf(), "缺失资料清单", None, file_name="缺失资料清单.pdf")
        qtbot.addWidget(dialog)
        dialog.save_pdf()
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    home = Path(documents) if Path(documents).is_dir() else Path.home()  # a PC without a Documents folder
    assert Path(offered[0]) == home / "缺失资料清单.pdf"  # never the program's own folder
    assert Path(offered[1]) == target / "缺失资料清单.pdf"
    assert (target / "缺失资料清单.pdf").read_bytes()[:5] == b"%PDF-"
