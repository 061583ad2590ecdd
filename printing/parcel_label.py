"""A parcel's label: the pickup code large, the house and shelf, the recipient, the
courier and tracking number, the day it came, and a QR code holding the pickup code (a
scanner at pickup reads it like typing). On a small label roll (60 × 40 mm) one to a page,
or on A4 label sheets of 3 × 8 labels (70 × 37 mm), starting at any free place of a sheet
already partly used."""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Sequence

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from models.errors import QT_TRANSLATE_NOOP
from printing import fonts
from printing.paper import Offsets

ROLL = (60 * mm, 40 * mm)
SHEET_COLUMNS, SHEET_ROWS = 3, 8
SHEET_LABEL = (70 * mm, 37.125 * mm)  # 3 × 8 on A4, no margins (the common 24-up sheet)
LAYOUTS = {
    "roll": QT_TRANSLATE_NOOP("Office", "Label roll 60 × 40 mm"),
    "sheet": QT_TRANSLATE_NOOP("Office", "A4 label sheet, 3 × 8"),
}


@dataclass(frozen=True)
class LabelData:
    code: str
    house: str
    shelf: str
    recipient: str
    courier: str
    tracking: str
    received: str  # 11-23 09:30


def _fit(c: Canvas, text: str, font: str, size: float, width: float) -> float:
    while size > 5 and c.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _draw(c: Canvas, label: LabelData, x: float, y: float, w: float, h: float, font: str) -> None:
    """One label with its lower left corner at (x, y)."""
    pad = 2.5 * mm
    qr_size = min(h - 2 * pad, 24 * mm)
    qr = QrCodeWidget(label.code, barBorder=0)
    bx, by, bw, bh = qr.getBounds()
    drawing = Drawing(qr_size, qr_size, transform=[qr_size / (bw - bx), 0, 0, qr_size / (bh - by), 0, 0])
    drawing.add(qr)
    renderPDF.draw(drawing, c, x + w - pad - qr_size, y + h - pad - qr_size)
    text_w = w - 3 * pad - qr_size
    top = y + h - pad
    size = _fit(c, label.code, font, 22, text_w)
    c.setFont(font, size)
    c.drawString(x + pad, top - size, label.code)
    top -= size + 2.2 * mm
    line = f"{label.house}  {label.shelf}"
    size = _fit(c, line, font, 11, text_w)
    c.setFont(font, size)
    c.drawString(x + pad, top - size, line)
    top -= size + 1.6 * mm
    for text in (label.recipient, f"{label.courier} {label.tracking}".strip(), label.received):
        size = _fit(c, text, font, 7.5, w - 2 * pad if top - 8 < y + h - pad - qr_size else text_w)
        c.setFont(font, size)
        c.drawString(x + pad, top - size, text)
        top -= size + 1.2 * mm


def render_many(labels: Sequence[LabelData], *, layout: str = "roll", start_at: int = 0,
                offsets: Offsets = Offsets()) -> bytes:
    """The labels as a PDF: one per page on the roll, or 24 to an A4 sheet from place
    `start_at` (0 = top left, row by row) of the first sheet."""
    font = fonts.register()
    out = io.BytesIO()
    if layout == "roll":
        c = Canvas(out, pagesize=ROLL)
        c.setTitle("包裹标签")
        for label in labels:
            c.saveState()
            offsets.apply(c)
            _draw(c, label, 0, 0, ROLL[0], ROLL[1], font)
            c.restoreState()
            c.showPage()
    elif layout == "sheet":
        per_sheet = SHEET_COLUMNS * SHEET_ROWS
        if not 0 <= start_at < per_sheet:
            raise ValueError(start_at)
        c = Canvas(out, pagesize=A4)
        c.setTitle("包裹标签")
        place = start_at
        c.saveState()
        offsets.apply(c)
        for label in labels:
            if place == per_sheet:
                c.restoreState()
                c.showPage()
                c.saveState()
                offsets.apply(c)
                place = 0
            row, col = divmod(place, SHEET_COLUMNS)
            x = col * SHEET_LABEL[0]
            y = A4[1] - (row + 1) * SHEET_LABEL[1]
            _draw(c, label, x, y, SHEET_LABEL[0], SHEET_LABEL[1], font)
            place += 1
        c.restoreState()
        c.showPage()
    else:
        raise ValueError(layout)
    c.save()
    return out.getvalue()
