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
    deadline = time.monotonic() + 90
    arrived = []
    while time.monotonic() < deadline and not arrived:
        arrived = [p for p in OUT.glob("*.pdf") if job in p.name]
        time.sleep(0.5)
    assert arrived, f"the job {job} did not arrive in {OUT}"
    time.sleep(1)  # cups-pdf may still be writing the file
    assert len(PdfReader(str(arrived[0])).pages) == d.pages >= 2

