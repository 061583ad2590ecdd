"""通知 — a notice for the notice boards (停水/停电/施工通知, 公告) on A4: the letterhead, the
title, the office's wording filled with the announcement's facts, the closing line with
the office phone, and the office's name and date as signature; a notice longer than one
sheet carries 第 n 页 / 共 m 页 on each.

Drawn straight on the canvas (no flowing layout engine): a batch of thousands of notices,
one for every house, draws nearly as fast as reportlab can put text on a page."""
from __future__ import annotations

import io
from typing import Callable, Sequence

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from printing import fonts
from printing.furniture import Letterhead, draw_letterhead, draw_page_number, wrap
from printing.paper import PAPERS, Offsets

SIDE, TOP, BOTTOM = 25 * mm, 35 * mm, 25 * mm
TITLE_SIZE, TEXT_SIZE, LEADING = 30, 15, 27
INDENT = 2 * TEXT_SIZE  # two characters, as Chinese paragraphs begin


def _layout(notice, font: str, width: float) -> list[tuple[str, str, float]]:
    """The notice as lines: (how, text, space above) with how = title/left/right."""
    usable = width - 2 * SIDE
    lines = [("title", notice.title, 0), ("gap", "", 12 * mm)]
    lines += [("left", text, 0) for text in wrap(notice.greeting, font, TEXT_SIZE, usable)]
    paragraphs = [p for p in notice.body.split("\n") if p.strip()]
    if notice.closing:
        paragraphs.append(notice.closing)
    for p in paragraphs:
        for n, text in enumerate(wrap(p.strip(), font, TEXT_SIZE, usable, first_indent=INDENT)):
            lines.append(("first" if n == 0 else "left", text, 0))
    lines.append(("gap", "", 18 * mm))
    date = f"{notice.date.year}年{notice.date.month}月{notice.date.day}日"
    lines += [("right", notice.signature, 0), ("right", date, 0)]
    return lines


def _paginate(lines, height: float) -> list[list[tuple[str, str, float]]]:
    """The lines placed on pages: (how, text, baseline y) for each page."""
    pages: list[list[tuple[str, str, float]]] = [[]]
    y = height - TOP
    for how, text, space in lines:
        if how == "gap":
            y -= space
            continue
        step = TITLE_SIZE * 4 / 3 if how == "title" else LEADING
        if y - step < BOTTOM:
            pages.append([])
            y = height - TOP
        y -= step
        pages[-1].append((how, text, y))
    return pages


def _draw(c: Canvas, pages, letterhead: Letterhead, size, offsets: Offsets, font: str) -> None:
    width, height = size
    for n, placed in enumerate(pages, start=1):
        c.saveState()
        offsets.apply(c)
        draw_letterhead(c, letterhead, width, height - 12 * mm, left=SIDE, size=12)
        for how, text, y in placed:
            if how == "title":
                c.setFont(font, TITLE_SIZE)
                c.drawCentredString(width / 2, y + 6, text)
                continue
            c.setFont(font, TEXT_SIZE)
            if how == "right":
                c.drawRightString(width - SIDE, y + 7, text)
            else:
                c.drawString(SIDE + (INDENT if how == "first" else 0), y + 7, text)
        if len(pages) > 1:  # a notice on two sheets: each says which it is
            draw_page_number(c, n, len(pages), width, bottom=12 * mm)
        c.restoreState()
        c.showPage()


def render_many(notices: Sequence, letterhead: Letterhead, *, paper: str = "A4", offsets: Offsets = Offsets(),
                tick: Callable[[], None] | None = None) -> bytes:
    """Each notice on its own page(s), in order; `tick()` after each (for a batch's progress)."""
    font = fonts.register()
    size = PAPERS[paper].size()
    out = io.BytesIO()
    c = Canvas(out, pagesize=size, pageCompression=1)
    c.setTitle(notices[0].title if notices else "")
    layouts: dict = {}
    for notice in notices:
        pages = layouts.get(notice)
        if pages is None:
            pages = layouts[notice] = _paginate(_layout(notice, font, size[0]), size[1])
        _draw(c, pages, letterhead, size, offsets, font)
        if tick is not None:
            tick()
    c.save()
    return out.getvalue()


def render(notice, letterhead: Letterhead, *, paper: str = "A4", copies: int = 1,
           offsets: Offsets = Offsets()) -> bytes:
    """`notice` is a models.announcements.NoticeText (or anything with its fields)."""
    return render_many([notice] * max(1, copies), letterhead, paper=paper, offsets=offsets)
