"""借用单 — a slip the borrower signs: a key lent (钥匙借用登记单) or an item lent (物品借用单).
The letterhead, the title and number, the facts as label/value rows in a ruled table, the
terms, and lines to sign (the borrower, the clerk, and at return who brought it back and
who took it in). On A5, or on the half-height continuous form."""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from printing import fonts
from printing.furniture import Letterhead, draw_letterhead, wrap
from printing.paper import PAPERS, Offsets


@dataclass(frozen=True)
class SlipData:
    title: str
    number: str
    rows: list[tuple[str, str]]
    terms: str = ""
    signatures: list[str] = field(default_factory=list)
    signature_image: bytes | None = None  # a signature drawn on screen (PNG), beside the first line


def render(slip: SlipData, letterhead: Letterhead, *, paper: str = "A5", offsets: Offsets = Offsets()) -> bytes:
    font = fonts.register()
    width, height = PAPERS[paper].size()
    out = io.BytesIO()
    c = Canvas(out, pagesize=(width, height))
    c.setTitle(slip.title)
    side = 12 * mm
    usable = width - 2 * side
    c.saveState()
    offsets.apply(c)
    y = draw_letterhead(c, letterhead, width, height - 8 * mm, left=side, size=10)
    c.setFont(font, 16)
    c.drawCentredString(width / 2, y - 9 * mm, slip.title)
    c.setFont(font, 9)
    c.drawRightString(width - side, y - 9 * mm, f"No. {slip.number}")
    y -= 14 * mm
    row_h = 7 * mm
    label_w = 30 * mm
    c.setLineWidth(0.6)
    top = y
    for label, value in slip.rows:
        lines = wrap(value, font, 10, usable - label_w - 4 * mm) or [""]
        h = max(row_h, len(lines) * 4.6 * mm + 2.4 * mm)
        c.setFont(font, 10)
        c.drawString(side + 2 * mm, y - 5 * mm, label)
        for n, text in enumerate(lines):
            c.drawString(side + label_w + 2 * mm, y - 5 * mm - n * 4.6 * mm, text)
        y -= h
        c.line(side, y, width - side, y)
    c.rect(side, y, usable, top - y)
    c.line(side + label_w, y, side + label_w, top)
    y -= 5 * mm
    if slip.terms:
        c.setFont(font, 8.5)
        for text in wrap(slip.terms, font, 8.5, usable):
            c.drawString(side, y, text)
            y -= 4.2 * mm
    y -= 6 * mm
    c.setFont(font, 10)
    columns = 2
    col_w = usable / columns
    for n, label in enumerate(slip.signatures):
        col, row = n % columns, n // columns
        x = side + col * col_w
        line_y = y - row * 14 * mm
        c.drawString(x, line_y, label + "：")
        c.line(x + c.stringWidth(label + "：", font, 10), line_y - 1, x + col_w - 6 * mm, line_y - 1)
        if n == 0 and slip.signature_image:
            from reportlab.lib.utils import ImageReader

            image = ImageReader(io.BytesIO(slip.signature_image))
            c.drawImage(image, x + c.stringWidth(label + "：", font, 10) + 2 * mm, line_y - 2 * mm, width=36 * mm,
                        height=11 * mm, preserveAspectRatio=True, mask="auto")
    c.restoreState()
    c.showPage()
    c.save()
    return out.getvalue()
