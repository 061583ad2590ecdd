"""缴款通知 and 催缴通知书 — a house's payment notice and dunning notice on A4: letterhead,
title, the house and owner, the office's wording filled in, the open charges by month and
item with the late fee to the day, the total in figures and in capitals, the office's
name and date. Drawn straight on the canvas so a batch for the whole estate is quick."""
from __future__ import annotations

import io
from typing import Callable, Sequence

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from models import money
from printing import fonts
from printing.furniture import Letterhead, draw_letterhead, wrap
from printing.paper import PAPERS, Offsets

SIDE, TOP, BOTTOM = 22 * mm, 32 * mm, 22 * mm
TITLE_SIZE, TEXT_SIZE, LEADING = 24, 12.5, 21
ROW = 7 * mm
COLUMNS = (("月份", 0.18), ("项目", 0.34), ("欠费（元）", 0.16), ("违约金（元）", 0.16), ("小计（元）", 0.16))


def _draw(c: Canvas, n, letterhead: Letterhead, size, offsets: Offsets, font: str) -> None:
    width, height = size
    usable = width - 2 * SIDE
    page = [0]

    def start_page() -> float:
        page[0] += 1
        c.saveState()
        offsets.apply(c)
        draw_letterhead(c, letterhead, width, height - 12 * mm, left=SIDE, size=11)
        y = height - TOP
        if page[0] > 1:
            c.setFont(font, 10)
            c.drawRightString(width - SIDE, y + 8 * mm, f"{n.house} 续第{page[0]}页")
        return y

    def need(y: float, step: float) -> float:
        if y - step >= BOTTOM:
            return y
        c.restoreState()
        c.showPage()
        return start_page()

    y = start_page()
    c.setFont(font, TITLE_SIZE)
    c.drawCentredString(width / 2, y - TITLE_SIZE, n.title)
    y -= TITLE_SIZE + 12 * mm
    c.setFont(font, TEXT_SIZE)
    c.drawString(SIDE, y, n.greeting)
    y -= LEADING
    for i, line in enumerate(wrap(n.body, font, TEXT_SIZE, usable, first_indent=2 * TEXT_SIZE)):
        y = need(y, LEADING)
        indent = 2 * TEXT_SIZE if i == 0 else 0
        c.setFont(font, TEXT_SIZE)
        c.drawString(SIDE + indent, y, line)
        y -= LEADING
    y -= 3 * mm

    xs = [SIDE]
    for _title, share in COLUMNS:
        xs.append(xs[-1] + usable * share)

    def row(cells, y, bold=False):
        c.setFont(font, 10.5)
        c.line(SIDE, y - 2 * mm, width - SIDE, y - 2 * mm)
        for i, text in enumerate(cells):
            if i >= 2:
                c.drawRightString(xs[i + 1] - 2 * mm, y, text)
            else:
                c.drawString(xs[i] + 2 * mm, y, text)

    def header(y):
        c.setLineWidth(0.6)
        c.line(SIDE, y + ROW - 2 * mm, width - SIDE, y + ROW - 2 * mm)
        row([t for t, _s in COLUMNS], y)
        return y - ROW

    y = header(need(y, 2 * ROW))
    for line in n.lines:
        if y - ROW < BOTTOM:
            y = header(need(y, 3 * ROW))
        row([line.period, line.item, money.fmt(line.principal, grouping=True), money.fmt(line.late_fee, grouping=True),
             money.fmt(line.principal + line.late_fee, grouping=True)], y)
        y -= ROW
    y = need(y, 3 * ROW)
    row(["合计", "", money.fmt(n.principal, grouping=True), money.fmt(n.late_fee, grouping=True),
         money.fmt(n.total, grouping=True)], y)
    y -= ROW + 2 * mm
    c.setFont(font, TEXT_SIZE)
    c.drawString(SIDE, y, "合计金额（大写）：" + money.capital(n.total, prefix="人民币"))
    y -= LEADING
    c.setFont(font, 9.5)
    c.drawString(SIDE, y, f"违约金计至{n.date.year}年{n.date.month}月{n.date.day}日，实际以缴费当日计算为准。")
    y = need(y, 40 * mm) - 22 * mm
    c.setFont(font, TEXT_SIZE)
    c.drawRightString(width - SIDE, y, n.signature + "（盖章）")
    y -= LEADING
    c.drawRightString(width - SIDE, y, f"{n.date.year}年{n.date.month}月{n.date.day}日")
    c.restoreState()
    c.showPage()


def render_many(items: Sequence, letterhead: Letterhead, *, paper: str = "A4", offsets: Offsets = Offsets(),
                tick: Callable[[], None] | None = None) -> bytes:
    """Each house's notice (models.dunning.NoticeData) on its own page(s)."""
    font = fonts.register()
    size = PAPERS[paper].size()
    out = io.BytesIO()
    c = Canvas(out, pagesize=size, pageCompression=1)
    c.setTitle(items[0].title.replace(" ", "") if items else "")
    for n in items:
        _draw(c, n, letterhead, size, offsets, font)
        if tick is not None:
            tick()
    c.save()
    return out.getvalue()


def render(notice, letterhead: Letterhead, *, paper: str = "A4", offsets: Offsets = Offsets()) -> bytes:
    return render_many([notice], letterhead, paper=paper, offsets=offsets)
