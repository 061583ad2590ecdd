"""The calibration page: a millimetre grid and a cross at a known place, so the clerk sees
how far this printer shifts the page and sets its offsets (本机设置 → 打印机偏移). Drawn on
the paper the printer holds (the settings page passes this PC's receipt paper), from A4 to
the third-height continuous form."""
from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from printing import fonts
from printing.furniture import wrap
from printing.paper import PAPERS, Offsets

MARK_MM = 20  # the cross stands this far from the paper's left and top edges


def render(paper: str = "A4", offsets: Offsets = Offsets(), printer: str = "", *, shift: bool = True) -> bytes:
    """The page for `paper`, stating `offsets`; drawn shifted by them unless the printing
    itself applies them (`shift=False`, as the window's printing does)."""
    font = fonts.register()
    form = PAPERS[paper]
    width, height = form.size()
    out = io.BytesIO()
    c = Canvas(out, pagesize=(width, height))
    c.setTitle("打印校准页")
    c.saveState()
    if shift:
        offsets.apply(c)
    c.setLineWidth(0.2)
    for x in range(0, int(form.width_mm) + 1, 5):
        c.setStrokeGray(0.3 if x % 10 == 0 else 0.75)
        c.line(x * mm, 0, x * mm, height)
    for y in range(0, int(form.height_mm) + 1, 5):
        c.setStrokeGray(0.3 if y % 10 == 0 else 0.75)
        c.line(0, height - y * mm, width, height - y * mm)
    c.setFont(font, 6)
    c.setFillGray(0.2)
    for x in range(10, int(form.width_mm), 10):
        c.drawString(x * mm + 0.6 * mm, height - 4 * mm, str(x))
    for y in range(10, int(form.height_mm), 10):
        c.drawString(1 * mm, height - y * mm - 2.4 * mm, str(y))
    cx, cy = MARK_MM * mm, height - MARK_MM * mm
    c.setStrokeGray(0)
    c.setLineWidth(0.8)
    c.line(cx - 6 * mm, cy, cx + 6 * mm, cy)
    c.line(cx, cy - 6 * mm, cx, cy + 6 * mm)
    c.circle(cx, cy, 2 * mm)
    lines = [
        f"打印校准页  {form.width_mm:g} × {form.height_mm:g} mm  {printer}".rstrip(),
        f"十字中心应距纸张左边 {MARK_MM} mm、上边 {MARK_MM} mm。",
        "用尺量出实际位置：偏右或偏下多少毫米，就把偏移减去多少；偏左或偏上则加上。",
        f"当前偏移：水平 {offsets.x_mm:+.1f} mm，垂直 {offsets.y_mm:+.1f} mm",
    ]
    # the words right of the cross, on white, as wide as the paper allows (A5 is narrow,
    # the third-height form is short): wrapped, and smaller when there is no room
    x0, x1 = 33 * mm, min(width - 6 * mm, 193 * mm)
    top, bottom = height - 28 * mm, 6 * mm
    for size in (10, 9, 8, 7, 6):
        rows = [row for text in lines for row in wrap(text, font, size, x1 - x0 - 4 * mm)]
        if len(rows) * size * 1.5 <= top - bottom:
            break
    step = size * 1.5
    box_h = len(rows) * step + 2 * mm
    c.setFillGray(1)
    c.rect(x0, top - box_h, x1 - x0, box_h, stroke=0, fill=1)
    c.setFont(font, size)
    c.setFillGray(0)
    for i, text in enumerate(rows):
        c.drawString(x0 + 2 * mm, top - 1 * mm - size - i * step, text)
    c.restoreState()
    c.showPage()
    c.save()
    return out.getvalue()
