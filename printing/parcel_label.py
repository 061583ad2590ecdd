"""A parcel's label: the pickup code large, the house and shelf, the recipient, the
courier and tracking number, the day it came, and a QR code holding the pickup code (a
scanner at pickup reads it like typing), with the four modules of white round it that a
scanner needs. Long names are set smaller or on two lines, never into the code. On a
small label roll (60 × 40 mm) one to a page, or on A4 label sheets of 3 × 8 labels
(70 × 37 mm), starting at any free place of a sheet already partly used."""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from models.errors import QT_TRANSLATE_NOOP
from printing import fonts
from printing.furniture import QR_QUIET, Fitted, draw_fitted, draw_qr, fit
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


PAD = 2 * mm  # clear at the label's edges
QUIET = QR_QUIET


def _qr(c: Canvas, code: str, x: float, y: float, size: float) -> None:
    """The QR code in a `size` square at (x, y), its quiet zone inside the square."""
    draw_qr(c, code, x, y, size)


def _plan(label: LabelData, font: str, x: float, y: float, w: float, h: float, qr_size: float,
          code_size: float) -> list[tuple[Fitted, float, float, float]]:
    """Where each line of text goes: (fitted text, x0, x1, top). Beside the QR code a line
    is as wide as the room left of the code's quiet zone; under it, the label's width."""
    qr_left, qr_bottom = x + w - PAD - qr_size, y + h - PAD - qr_size
    left, bottom = x + PAD, y + PAD
    # (text, size, the least size, lines at most, mm of space after)
    blocks = [(label.code, code_size, 12, 1, 2.0), (f"{label.house}  {label.shelf}".strip(), 11, 7, 1, 1.4),
              (label.recipient, 8, 5.5, 2, 1.0), (f"{label.courier} {label.tracking}".strip(), 7.5, 5.5, 2, 1.0),
              (label.received, 7.5, 5.5, 1, 0)]
    plan = []
    top = y + h - PAD
    for text, size, smallest, lines, after in blocks:
        if not text:
            continue
        right = qr_left - 1 * mm if top > qr_bottom else x + w - PAD  # beside the code, or under it
        f = fit(text, font, size, right - left, top - bottom, min_size=smallest, max_lines=lines)
        plan.append((f, left, right, top))
        top -= f.height(font) + after * mm
    return plan


def _draw(c: Canvas, label: LabelData, x: float, y: float, w: float, h: float, font: str) -> None:
    """One label with its lower left corner at (x, y): the code's box at the top right, the
    text down the left, the pickup code made smaller when the rest needs the room."""
    qr_size = min(h - 2 * PAD, 26 * mm)
    _qr(c, label.code, x + w - PAD - qr_size, y + h - PAD - qr_size, qr_size)
    for code_size in (22, 20, 18, 16, 14):
        plan = _plan(label, font, x, y, w, h, qr_size, code_size)
        if not plan or plan[-1][3] - plan[-1][0].height(font) >= y + PAD - 0.01:
            break
    for f, x0, x1, top in plan:
        draw_fitted(c, f, font, x0, x1, top, top - f.height(font))


def values(label: LabelData) -> dict[str, str]:
    """The label's values by field name (models.templates "parcel-label")."""
    return {"code": label.code, "house": label.house, "shelf": label.shelf, "recipient": label.recipient,
            "courier": f"{label.courier} {label.tracking}".strip(), "received": label.received}


def default_template():
    """Where an office's own label starts: the built-in 60 × 40 mm roll label's parts at
    their places (the pickup code large at the top left, its QR code at the top right), to
    fit to the office's own label size in the designer."""
    from models import templates

    w, h = ROLL[0] / mm, ROLL[1] / mm
    pad = PAD / mm
    side = min(h - 2 * pad, 26.0)
    qr_left = w - pad - side
    beside = qr_left - 1 - pad
    items = (templates.Item("code", qr_left, pad, side, side, name="code"),
             templates.Item("field", pad, pad, beside, 9, name="code", size=22, min_size=12),
             templates.Item("field", pad, 12, beside * 0.62, 5, name="house", size=11, min_size=7),
             templates.Item("field", pad + beside * 0.62, 12, beside * 0.38, 5, name="shelf", size=11, min_size=6),
             templates.Item("field", pad, 18.5, beside, 8, name="recipient", size=8, min_size=5.5, lines=2),
             templates.Item("field", pad, 28.5, w - 2 * pad, 5, name="courier", size=7.5, min_size=5.5, lines=2),
             templates.Item("field", pad, 33.5, w - 2 * pad, 3.5, name="received", size=7.5, min_size=5.5))
    return templates.Template("parcel-label", "", w, h, continuous=True, items=items)


def _on_forms(labels: Sequence[LabelData], t, offsets: Offsets, plain: bool, grid: bool) -> bytes:
    """Each label on the office's own label `t`, one to a page of its size; every label is
    placed before anything is drawn (Unfit naming the field a value does not fit)."""
    from printing.template import Form, Layout

    return Layout(t, plain=plain).pdf([Form(values(label)) for label in labels], title="包裹标签", offsets=offsets,
                                      grid=grid)


def check(labels: Sequence[LabelData], t) -> None:
    """Unfit (or Overprint) for a label the office's label form cannot hold."""
    from printing.template import Form, Layout

    layout = Layout(t)
    for label in labels:
        layout.place(Form(values(label)))


def sample(on) -> LabelData:
    """A parcel as the desk takes them in, for the designer's preview."""
    return LabelData("A-0315", "3-2-1201", "A-3", "张三 138****5678", "顺丰速运", "SF1234567890123",
                     f"{on:%m-%d} 09:30")


def render_many(labels: Sequence[LabelData], *, layout: str = "roll", start_at: int = 0,
                offsets: Offsets = Offsets(), template=None, plain: bool = True, grid: bool = False) -> bytes:
    """The labels as a PDF: one per page on the roll, or 24 to an A4 sheet from place
    `start_at` (0 = top left, row by row) of the first sheet; on the office's own label
    (`template`, models.templates) one per page of its size, whatever `layout` says."""
    if template is not None:
        return _on_forms(labels, template, offsets, plain, grid)
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
