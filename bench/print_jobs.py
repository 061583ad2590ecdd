"""What a print job weighs per page, by the way it reaches the printer: the document's own
PDF (the bare baseline: what reportlab made), the PDF handed to CUPS (with the printer's
offsets applied), black-and-white page images at a dot-matrix printer's 180 dpi and at
360 dpi (the most they are sent at) (how Windows prints, through Qt), and the grey 300 dpi page images every job was
before. Qt writes the page-image jobs as PDF spool files here, as its CUPS engine does.

    .venv/bin/python bench/run.py --only print
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import datetime, os, sys, tempfile, time
sys.path.insert(0, {root!r})
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication
from PySide6.QtPrintSupport import QPrinter
app = QApplication([])
from models.announcements import NoticeText
from printing import announcement, receipt, spool
from printing.furniture import Letterhead
from printing.paper import Offsets
from ui.preview import open_document, page_image, print_to, use_document_paper

head = Letterhead("翠湖花园物业服务中心", "深圳市南山区翠湖路88号", "0755-86001234")
lines = [receipt.ReceiptLine("物业服务费", 22375, "2026-10", "89.50 m² × 1 月", "2.5000 元/m²/月"),
         receipt.ReceiptLine("水费", 4650, "2026-09", "15 吨", "3.1000 元/吨")]
today = datetime.date.today()  # any day: the papers weigh the same
data = receipt.ReceiptData("000123", today, "3-2-1201", "张三", lines, cashier="李娜")
notice = NoticeText("停水通知", "尊敬的各位业主、住户：", "因市政供水管网检修，定于2026年11月28日9:00至15:00对1-6栋暂停供水。"
                    "请各位业主、住户提前做好储水准备。", "给您带来的不便，敬请谅解！", "翠湖花园物业服务中心",
                    today)
documents = {{
    "receipt, third form (3 copies)": receipt.render(data, head, paper="CONT_THIRD"),
    "receipt, A5 carbonless": receipt.render(data, head, paper="A5", carbonless=True),
    "notices, A4 (12 pages)": announcement.render_many([notice] * 12, head),
}}


def spooled(pdf, how, dpi):
    out = tempfile.NamedTemporaryFile(suffix=".pdf", delete=False).name
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(out)
    printer.setResolution(dpi)
    document = open_document(pdf)
    t = time.perf_counter()
    if how == "bw":
        print_to(printer, document)
    else:  # the way every job went before: grey anti-aliased images at up to 300 dpi, in colour
        printer.setFullPage(True)
        use_document_paper(printer, document)
        painter = QPainter(printer)
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            target = painter.viewport()
            points = document.pagePointSize(page)
            scale = min(target.width() / points.width(), target.height() / points.height())
            image = page_image(document, page, min(scale, 300 / 72))
            painter.drawImage(QRectF(0, 0, points.width() * scale, points.height() * scale), image)
        painter.end()
    seconds = time.perf_counter() - t
    size = os.path.getsize(out)
    os.unlink(out)
    return size, seconds


for name, pdf in documents.items():
    pages = open_document(pdf).pageCount()
    bare = len(pdf) / pages
    cups = len(spool.shifted(pdf, Offsets(2.5, -1.0))) / pages
    print(f"{{name}}: {{pages}} pages; bytes per page and against the document's own PDF")
    print(f"  the document's PDF (bare)           {{bare / 1024:8.1f}} KiB   1.0×")
    print(f"  PDF to CUPS, offsets applied        {{cups / 1024:8.1f}} KiB {{cups / bare:5.1f}}×")
    for label, how, dpi in (("before: grey page images, 300 dpi ", "grey", 1200),
                            ("black and white images, 180 dpi   ", "bw", 180),
                            ("black and white images, 360 dpi   ", "bw", 1200)):
        size, seconds = spooled(pdf, how, dpi)
        print(f"  {{label}}  {{size / pages / 1024:8.1f}} KiB {{size / pages / bare:5.1f}}×"
              f"   {{seconds / pages * 1000:6.0f}} ms a page")
"""


def bench_print_jobs() -> None:
    r = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT))], capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError(r.stderr[-2000:])
    print(r.stdout, end="")


if __name__ == "__main__":
    bench_print_jobs()
