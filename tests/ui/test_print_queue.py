"""Printing to a real print queue: CUPS with its PDF printer, which packaging/bootstrap.py
installs and starts for the test run (Debian as root, as in CI). Each job lands as a PDF
in the folder named by ESTATEDESK_TEST_PRINTER_OUT."""
import os
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

QUEUE = os.environ.get("ESTATEDESK_TEST_PRINTER", "")
OUT = Path(os.environ.get("ESTATEDESK_TEST_PRINTER_OUT", "~/PDF")).expanduser()

pytestmark = pytest.mark.skipif(not QUEUE, reason="no test print queue: bootstrap sets one up on Debian as root")


def arrived_pages(job: str) -> int:
    """The page count of the job's PDF, once cups-pdf has finished writing it."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        arrived = [p for p in OUT.glob("*.pdf") if job in p.name]
        if arrived:
            try:
                return len(PdfReader(str(arrived[0])).pages)
            except Exception:  # noqa: BLE001 - still being written
                pass
        time.sleep(0.5)
    raise AssertionError(f"the job {job} did not arrive in {OUT}")


def test_a_batch_from_disk_arrives_as_one_job_with_every_page(qtbot, tmp_path, monkeypatch):
    import datetime

    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

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
    printer = QPrinter(QPrinterInfo.printerInfo(QUEUE), QPrinter.PrinterMode.HighResolution)
    printer.setDocName(job)
    assert d.print_with(printer) is True and out == ["print"]
    assert arrived_pages(job) == 12


def test_a_printed_list_arrives_at_the_print_queue_with_every_page(qtbot):
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    from printing import lists
    from printing.furniture import Letterhead
    from ui.preview import PreviewDialog, print_to

    assert QUEUE in [p.printerName() for p in QPrinterInfo.availablePrinters()]
    rows = [[f"3-2-{1000 + i}", "业主公约"] for i in range(90)]
    d = PreviewDialog(lists.render(lists.ListData("缺失资料清单", ["房屋", "缺失"], rows),
                                   Letterhead("翠湖花园物业服务中心")), "缺失资料清单")
    qtbot.addWidget(d)
    job = f"estatedesk-test-{os.getpid()}-{time.time_ns()}"
    printer = QPrinter(QPrinterInfo.printerInfo(QUEUE), QPrinter.PrinterMode.HighResolution)
    printer.setDocName(job)
    print_to(printer, d.document)
    assert arrived_pages(job) == d.pages >= 2

