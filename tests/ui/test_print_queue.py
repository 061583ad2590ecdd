"""Printing to a real print queue: CUPS with its PDF printer, which packaging/bootstrap.py
installs and starts for the test run (Debian as root, as in CI). Each job lands as a PDF
in the folder named by ESTATEDESK_TEST_PRINTER_OUT, and the tests read what the queue
received: its page size, which way round, and what is on it."""
import datetime
import io
import os
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

QUEUE = os.environ.get("ESTATEDESK_TEST_PRINTER", "")
OUT = Path(os.environ.get("ESTATEDESK_TEST_PRINTER_OUT", "~/PDF")).expanduser()
MM = 72 / 25.4

pytestmark = pytest.mark.skipif(not QUEUE, reason="no test print queue: bootstrap sets one up on Debian as root")


def arrived(job: str) -> Path:
    """The job's PDF, once cups-pdf has finished writing it."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = [p for p in OUT.glob("*.pdf") if job in p.name]
        if found:
            size = found[0].stat().st_size
            time.sleep(0.3)
            data = found[0].read_bytes()
            if len(data) == size and data.rstrip().endswith(b"%%EOF"):  # written to its end
                return found[0]
        time.sleep(0.3)
    raise AssertionError(f"the job {job} did not arrive in {OUT}")


def arrived_pages(job: str) -> int:
    return len(PdfReader(str(arrived(job))).pages)


def shown_size_mm(path: Path, page: int = 0) -> tuple[float, float]:
    """The queued page's (width, height) in mm as it comes out: its /Rotate applied."""
    p = PdfReader(str(path)).pages[page]
    w, h = float(p.mediabox.width) / MM, float(p.mediabox.height) / MM
    return (h, w) if (p.get("/Rotate") or 0) % 180 else (w, h)


def grey(document, page: int = 0, dpi: float = 24):
    """The page at `dpi` on white, as (width, height, bytes of grey)."""
    from PySide6.QtGui import QImage

    from ui.preview import page_image

    image = page_image(document, page, dpi / 72).convertToFormat(QImage.Format.Format_Grayscale8)
    rows = bytes(image.constBits())
    stride = image.bytesPerLine()
    return image.width(), image.height(), b"".join(rows[y * stride:y * stride + image.width()]
                                                   for y in range(image.height()))


def likeness(a, b, cell: int = 3) -> float:
    """How alike two pictures of one size are: the correlation of their ink over cells of
    `cell` × `cell` pixels, 1 (the same layout) … -1; the ink's darkness does not count,
    so a page printed as black and white page images matches its anti-aliased original."""
    (w, h, pa), (w2, h2, pb) = a, b
    assert abs(w - w2) <= 1 and abs(h - h2) <= 1, f"{w}×{h} against {w2}×{h2}"
    w, h = min(w, w2), min(h, h2)

    def cells(pixels, stride):
        return [sum(255 - pixels[y * stride + x] for y in range(cy, min(h, cy + cell))
                    for x in range(cx, min(w, cx + cell)))
                for cy in range(0, h, cell) for cx in range(0, w, cell)]

    ca, cb = cells(pa, a[0]), cells(pb, b[0])
    ma, mb = sum(ca) / len(ca), sum(cb) / len(cb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ca, cb))
    va = sum((x - ma) ** 2 for x in ca) ** 0.5
    vb = sum((y - mb) ** 2 for y in cb) ** 0.5
    return cov / (va * vb) if va and vb else 0.0


def turned_half(picture):
    w, h, pixels = picture
    return w, h, pixels[::-1]


def assert_upright(queued: Path, sent: bytes) -> None:
    """What the queue received looks like the document, not like it turned over."""
    from ui.preview import open_document

    want = grey(open_document(sent))
    got = grey(open_document(queued.read_bytes()))
    same, turned = likeness(got, want), likeness(got, turned_half(want))
    assert same > 0.6 and same > turned + 0.4, (same, turned)


def receipt_on(paper: str) -> bytes:
    from printing import receipt
    from printing.furniture import Letterhead

    lines = [receipt.ReceiptLine("物业服务费", 22375, "2026-10", "89.50 m² × 1 月", "2.5000 元/m²/月"),
             receipt.ReceiptLine("水费", 4650, "2026-09", "15 吨", "3.1000 元/吨")]
    data = receipt.ReceiptData("2026-000123", datetime.date(2026, 11, 23), "3-2-1201", "张三", lines, cashier="李娜")
    return receipt.render(data, Letterhead("翠湖花园物业服务中心"), paper=paper, carbonless=True)


def label_roll() -> bytes:
    """One 60 × 40 mm label of a roll that feeds 60 mm across."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from printing import fonts

    out = io.BytesIO()
    c = Canvas(out, pagesize=(60 * mm, 40 * mm))
    c.setFont(fonts.register(), 16)
    c.drawString(3 * mm, 30 * mm, "3-2-1201")
    c.setFont(fonts.register(), 9)
    c.drawString(3 * mm, 5 * mm, "取件码 A-0042")
    c.rect(40 * mm, 4 * mm, 16 * mm, 16 * mm, fill=1)
    c.save()
    return out.getvalue()


def queue_printer(job: str):
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    printer = QPrinter(QPrinterInfo.printerInfo(QUEUE), QPrinter.PrinterMode.HighResolution)
    printer.setDocName(job)
    return printer


PAPERS = {"A4": (210, 297), "A5": (148, 210), "CONT_FULL": (241, 279.4), "CONT_HALF": (241, 139.7),
          "CONT_THIRD": (241, 93.1)}


@pytest.mark.parametrize("route", ["pdf", "page images"])
@pytest.mark.parametrize("paper", list(PAPERS))
def test_every_receipt_paper_reaches_the_queue_the_way_its_stock_feeds(qtbot, paper, route):
    """A 241 mm continuous form arrives 241 mm across (its height down the tractor feed), a
    cut sheet portrait, each with the receipt upright on it, whether the document goes to
    CUPS as PDF or as page images through Qt (the way Windows prints)."""
    from ui.preview import open_document, print_to, send, sends_pdf

    pdf = receipt_on(paper)
    job = f"estatedesk-{paper}-{route.replace(' ', '')}-{os.getpid()}-{time.time_ns()}"
    printer = queue_printer(job)
    if route == "pdf":
        assert sends_pdf(printer)
        assert send(printer, pdf, None) is True
    else:
        assert print_to(printer, open_document(pdf)) is True
    queued = arrived(job)
    width, height = shown_size_mm(queued)
    want_w, want_h = PAPERS[paper]
    assert width == pytest.approx(want_w, abs=1.5) and height == pytest.approx(want_h, abs=1.5)
    assert_upright(queued, pdf)


@pytest.mark.parametrize("route", ["pdf", "page images"])
def test_a_label_roll_reaches_the_queue_60_mm_across(qtbot, route):
    from ui.preview import open_document, print_to, send

    pdf = label_roll()
    job = f"estatedesk-label-{route.replace(' ', '')}-{os.getpid()}-{time.time_ns()}"
    printer = queue_printer(job)
    assert (send(printer, pdf, None) if route == "pdf" else print_to(printer, open_document(pdf))) is True
    queued = arrived(job)
    width, height = shown_size_mm(queued)
    assert width == pytest.approx(60, abs=1.5) and height == pytest.approx(40, abs=1.5)
    assert_upright(queued, pdf)


def test_the_pdf_sent_to_cups_keeps_its_text_as_text_and_moves_by_the_printers_offsets(qtbot):
    from printing.paper import Offsets
    from ui.preview import send

    pdf = receipt_on("CONT_THIRD")

    def queued_at(offsets):
        job = f"estatedesk-offsets-{offsets.x_mm}-{os.getpid()}-{time.time_ns()}"
        assert send(queue_printer(job), pdf, None, offsets) is True
        page = PdfReader(str(arrived(job))).pages[0]
        where = {}

        def seen(text, cm, tm, _font, _size):
            # the queue's PDF keeps the text as text (the Chinese in a font of its own making)
            if "3-2-1201" in text and "x" not in where:
                where["x"], where["y"] = cm[0] * tm[4] + cm[2] * tm[5] + cm[4], cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        assert "3-2-1201" in page.extract_text(visitor_text=seen)
        return where

    plain, moved = queued_at(Offsets()), queued_at(Offsets(5.0, 3.0))
    assert moved["x"] - plain["x"] == pytest.approx(5 * MM, abs=1)
    assert plain["y"] - moved["y"] == pytest.approx(3 * MM, abs=1)  # positive y moves down


def test_a_batch_from_disk_arrives_as_one_job_with_every_page(qtbot, tmp_path):
    from models.announcements import NoticeText
    from printing import announcement, batch
    from printing.furniture import Letterhead
    from ui.preview import PreviewDialog

    head = Letterhead("翠湖花园物业服务中心")
    notices = [NoticeText("缴费通知", f"尊敬的{n}号业主：", "请于月底前缴纳物业服务费。", "", "物业", datetime.date(2026, 11, 23))
               for n in range(1, 13)]
    path = tmp_path / "batch.pdf"
    batch.write(path, notices, lambda chunk, tick: announcement.render_many(chunk, head, tick=tick), per_volume=5)
    out = []
    d = PreviewDialog(None, "缴费通知", path=str(path), handed_out=out.append)
    qtbot.addWidget(d)
    job = f"estatedesk-batch-{os.getpid()}-{time.time_ns()}"
    assert d.print_with(queue_printer(job)) is True and out == ["print"]
    queued = arrived(job)
    assert len(PdfReader(str(queued)).pages) == 12
    assert shown_size_mm(queued) == (pytest.approx(210, abs=1.5), pytest.approx(297, abs=1.5))


def test_a_printed_list_arrives_at_the_print_queue_with_every_page(qtbot):
    from PySide6.QtPrintSupport import QPrinterInfo

    from printing import lists
    from printing.furniture import Letterhead
    from ui.preview import PreviewDialog, print_to

    assert QUEUE in [p.printerName() for p in QPrinterInfo.availablePrinters()]
    rows = [[f"3-2-{1000 + i}", "业主公约"] for i in range(90)]
    d = PreviewDialog(lists.render(lists.ListData("缺失资料清单", ["房屋", "缺失"], rows),
                                   Letterhead("翠湖花园物业服务中心")), "缺失资料清单")
    qtbot.addWidget(d)
    job = f"estatedesk-test-{os.getpid()}-{time.time_ns()}"
    print_to(queue_printer(job), d.document)
    assert arrived_pages(job) == d.pages >= 2


def test_a_queue_that_refuses_the_job_is_told_to_the_clerk_and_nothing_is_handed_out(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from printing import spool
    from ui.preview import PreviewDialog

    with pytest.raises(spool.SpoolError, match="EstateDeskNoSuchQueue|not exist"):
        spool.submit("EstateDeskNoSuchQueue", receipt_on("A4"), "收据")

    real = spool.submit
    monkeypatch.setattr(spool, "submit", lambda queue, *a, **k: real("EstateDeskNoSuchQueue", *a, **k))
    out, told = [], []
    d = PreviewDialog(receipt_on("A4"), "收据", handed_out=out.append)
    qtbot.addWidget(d)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: told.append(a[2]))
    assert d.print_with(queue_printer(f"estatedesk-refused-{time.time_ns()}")) is False
    assert out == [] and len(told) == 1 and "nothing was recorded as printed" in told[0]


def test_a_job_cancelled_while_it_was_queued_is_withdrawn_and_not_handed_out(qtbot, monkeypatch):
    from printing import spool
    from ui.preview import send

    withdrawn = []
    monkeypatch.setattr(spool, "cancel", lambda job: withdrawn.append(job))
    job = f"estatedesk-cancelled-{os.getpid()}-{time.time_ns()}"
    assert send(queue_printer(job), receipt_on("A4"), None, cancelled=lambda: True) is False
    assert withdrawn and withdrawn[0].startswith(QUEUE)


def test_copies_and_a_page_range_reach_the_queue(qtbot):
    from PySide6.QtPrintSupport import QPrinter

    from printing import lists
    from printing.furniture import Letterhead
    from ui.preview import send

    rows = [[f"3-2-{1000 + i}", "业主公约"] for i in range(150)]
    pdf = lists.render(lists.ListData("缺失资料清单", ["房屋", "缺失"], rows), Letterhead("翠湖花园物业服务中心"))
    job = f"estatedesk-range-{os.getpid()}-{time.time_ns()}"
    printer = queue_printer(job)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert send(printer, pdf, None) is True
    assert arrived_pages(job) == 2


def test_an_unreadable_batch_file_is_a_refusal_not_a_crash(tmp_path):
    from printing import spool

    broken = tmp_path / "batch.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(spool.SpoolError):
        spool.submit(QUEUE, broken, "broken")


@pytest.mark.parametrize("route", ["pdf", "page images"])
def test_a_renovation_permit_reaches_the_queue_a4_landscape_and_upright(qtbot, route):
    """The permit for the door (装修许可证) is A4 the long side across: the queue receives a
    page 297 mm wide and 210 mm high as it comes out, with the permit upright on it."""
    from printing import renovation
    from printing.furniture import Letterhead
    from ui.preview import open_document, print_to, send

    case = renovation.Case("ZX2026-0001", "9-1-1502", "张三", "139****9000", "顺达装饰工程有限公司",
                           "91110000MA01ABCD3X", "13800138000", "厨卫翻新", ("waterproofing",), "2026-12-05",
                           "2027-01-20", (8, 20), 200_000, 30_000,
                           (("ZX2026-0001-01", "李四", "110101********7571", "瓦工"),), issued="2026-12-04")
    pdf = renovation.permit(case, Letterhead("翠湖花园物业服务中心"), office_phone="0755-86001234")
    job = f"estatedesk-permit-{route.replace(' ', '')}-{os.getpid()}-{time.time_ns()}"
    printer = queue_printer(job)
    if route == "pdf":
        assert send(printer, pdf, None) is True
    else:
        assert print_to(printer, open_document(pdf)) is True
    queued = arrived(job)
    width, height = shown_size_mm(queued)
    if route == "pdf":  # the page as laid out, long side across
        assert width == pytest.approx(297, abs=1.5) and height == pytest.approx(210, abs=1.5)
        assert_upright(queued, pdf)
    else:  # drawn by Qt onto the A4 sheet as it lies in the tray: the permit turned a quarter on it
        assert width == pytest.approx(210, abs=1.5) and height == pytest.approx(297, abs=1.5)
        assert_turned_a_quarter(queued, pdf)


def assert_turned_a_quarter(queued: Path, sent: bytes) -> None:
    """What the queue received is the landscape document turned 90° onto a portrait sheet
    (either way round reads upright once the sheet is turned), not squeezed or cut."""
    from PySide6.QtGui import QImage, QTransform

    from ui.preview import open_document, page_image

    def picture(image):
        image = image.convertToFormat(QImage.Format.Format_Grayscale8)
        rows, stride = bytes(image.constBits()), image.bytesPerLine()
        return image.width(), image.height(), b"".join(rows[y * stride:y * stride + image.width()]
                                                       for y in range(image.height()))

    original = page_image(open_document(sent), 0, 24 / 72)
    got = grey(open_document(queued.read_bytes()))
    turned = [picture(original.transformed(QTransform().rotate(angle))) for angle in (90, 270)]
    assert max(likeness(got, t) for t in turned) > 0.6
