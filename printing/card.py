"""A record on paper (档案卡): a title, the record's facts as label–value pairs, and its
tables (owners, residents, papers …), with the letterhead and page numbers. The window
fills it with what it shows, in the clerk's language, personal data masked."""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Callable

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from printing import fonts
from printing.furniture import Letterhead, flowing_document
from printing.lists import Section, _escape, _numbered_canvas
from printing.paper import PAPERS, Offsets


@dataclass(frozen=True)
class CardTable:
    title: str
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class CardData:
    title: str
    facts: list[tuple[str, str]]
    tables: list[CardTable] = field(default_factory=list)
    notes_title: str = ""
    notes: str = ""
    footer: str = ""  # e.g. "打印：王芳 2026-11-23 09:30"


def _text_width(text: str) -> float:
    """Rough width in character cells: a Chinese character is two, others one."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _widths(t: CardTable, usable: float) -> list[float]:
    """Columns as wide as what they hold (longest line, capped), sharing the page width."""
    need = []
    for c, header in enumerate(t.headers):
        longest = max([_text_width(header)] + [_text_width(str(r[c])) for r in t.rows])
        need.append(min(max(longest, 4), 40))
    return [usable * n / sum(need) for n in need]


def _styles(font: str) -> dict:
    cell = ParagraphStyle("cell", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=17, leading=24, alignment=1, spaceAfter=4 * mm),
        "heading": ParagraphStyle("heading", fontName=font, fontSize=11, leading=16, spaceBefore=4 * mm,
                                  spaceAfter=1.5 * mm),
        "cell": cell,
        "label": ParagraphStyle("label", parent=cell, textColor=colors.Color(0.3, 0.3, 0.3)),
    }


def _story(card: CardData, st: dict, usable: float) -> list:
    cell, label, heading = st["cell"], st["label"], st["heading"]
    story = [Paragraph(_escape(card.title), st["title"])]
    # the facts two pairs to a row: label, value, label, value
    pairs = [(Paragraph(_escape(k), label), Paragraph(_escape(v), cell)) for k, v in card.facts]
    grid = []
    for i in range(0, len(pairs), 2):
        row = list(pairs[i]) + (list(pairs[i + 1]) if i + 1 < len(pairs) else ["", ""])
        grid.append(row)
    if grid:
        facts = Table(grid, colWidths=[usable * w for w in (0.16, 0.34, 0.16, 0.34)])
        facts.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                                   ("BACKGROUND", (0, 0), (0, -1), colors.Color(0.95, 0.95, 0.95)),
                                   ("BACKGROUND", (2, 0), (2, -1), colors.Color(0.95, 0.95, 0.95)),
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        story.append(facts)
    for t in card.tables:
        rows = [[Paragraph(_escape(h), label) for h in t.headers]]
        rows += [[Paragraph(_escape(str(v)), cell) for v in r] for r in t.rows]
        table = Table(rows, colWidths=_widths(t, usable), repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        story.append(KeepTogether([Paragraph(_escape(t.title), heading)]))
        story.append(table)
    if card.notes:
        story += [Paragraph(_escape(card.notes_title), heading), Paragraph(_escape(card.notes), cell)]
    if card.footer:
        story += [Spacer(1, 6 * mm), Paragraph(_escape(card.footer), label)]
    return story


def render_many(cards, letterhead: Letterhead, *, paper: str = "A4", offsets: Offsets = Offsets(),
                tick: Callable[[], None] | None = None, title: str = "") -> bytes:
    """Cards one after the other, each starting on a new page and numbered on its own
    (第 1 页 / 共 2 页 of that card); `tick()` once each card is laid out (a batch's progress)."""
    font = fonts.register()
    size = PAPERS[paper].size()
    out = io.BytesIO()
    cards = list(cards)
    doc = flowing_document(out, size, side_mm=18, top_mm=24, bottom_mm=16,
                           title=title or (cards[0].title if cards else ""), offsets=offsets)
    st = _styles(font)
    usable = size[0] - doc.leftMargin - doc.rightMargin
    story: list = []
    for n, card in enumerate(cards):
        if n:
            story.append(PageBreak())
        story.append(Section(n))
        story += _story(card, st, usable)
        story.append(Section(n, tick))
    doc.build(story, canvasmaker=_numbered_canvas(letterhead, Offsets()))
    return out.getvalue()


def render(card: CardData, letterhead: Letterhead, *, paper: str = "A4",
           offsets: Offsets = Offsets()) -> bytes:
    return render_many([card], letterhead, paper=paper, offsets=offsets)
