"""Lists on paper: any table on screen ("print this list"), the missing-papers list by
building, with the letterhead on every page and 第 n 页 / 共 m 页 at the foot; optionally a
totals row closing the table (a statement's sums) and lines to sign under it (the day
close: the cashier, who checked it, the date)."""
from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from printing import fonts
from printing.furniture import Letterhead, draw_letterhead, draw_page_number, flowing_document, wrap
from printing.paper import PAPERS, Offsets


CELL_PADDING = 12 + 1  # a table cell's padding left and right (reportlab's 6 points each), and a hair


@dataclass(frozen=True)
class ListData:
    title: str
    headers: list[str]
    rows: list[list[str]]
    subtitle: str = ""
    right_aligned: tuple[int, ...] = ()  # columns of numbers and amounts
    widths: tuple[float, ...] = ()  # relative column widths; equal when empty
    totals: tuple[str, ...] = ()  # a last row under a double rule: the sums of the columns
    signatures: tuple[str, ...] = ()  # lines to sign under the table, one for each label


def _numbered_canvas(head: Letterhead, offsets: Offsets):
    """A canvas that knows the page count when it saves, for 第 n 页 / 共 m 页. In a batch
    (many cards in one file) pages count within their section (one card): a Section
    flowable at the start of each marks where the next one begins."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []
            self.section = 0

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            totals: dict = {}
            for state in self._pages:
                totals[state["section"]] = totals.get(state["section"], 0) + 1
            seen: dict = {}
            for state in self._pages:
                self.__dict__.update(state)
                n = seen[self.section] = seen.get(self.section, 0) + 1
                width, height = self._pagesize
                self.saveState()
                offsets.apply(self)
                draw_letterhead(self, head, width, height - 10 * mm, size=11)
                draw_page_number(self, n, totals[self.section], width)
                self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas


def render(data: ListData, letterhead: Letterhead, *, paper: str = "A4", landscape: bool = False,
           offsets: Offsets = Offsets()) -> bytes:
    font = fonts.register()
    size = PAPERS[paper].size(landscape)
    out = io.BytesIO()
    doc = flowing_document(out, size, side_mm=15, top_mm=22, bottom_mm=16, title=data.title,
                           offsets=offsets)
    title = ParagraphStyle("title", fontName=font, fontSize=15, leading=20, alignment=1)
    sub = ParagraphStyle("sub", fontName=font, fontSize=9, leading=12, alignment=1, textColor=colors.grey)
    # Chinese breaks between any two characters (wordWrap CJK), but reportlab's own rule
    # lets a full-width "，" or "；" start a line: each cell is broken into lines first by
    # the documents' rule (furniture.wrap, 禁则), which the paragraph then keeps
    cell = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=11, wordWrap="CJK")
    cell_right = ParagraphStyle("cell_right", parent=cell, alignment=2)
    head_style = ParagraphStyle("head", parent=cell, fontSize=9)
    usable = size[0] - doc.leftMargin - doc.rightMargin
    weights = data.widths or tuple(1 for _ in data.headers)
    widths = [usable * w / sum(weights) for w in weights]

    def para(text, column, style=cell):
        chosen = cell_right if column in data.right_aligned and style is cell else style
        room = widths[column] - CELL_PADDING if column < len(widths) else usable
        lines = wrap(text, font, chosen.fontSize, room) if room > chosen.fontSize else [text]
        return Paragraph("<br/>".join(_escape(line) for line in lines), chosen)

    table_rows = [[para(h, i, head_style) for i, h in enumerate(data.headers)]]
    table_rows += [[para(str(v), i) for i, v in enumerate(row)] for row in data.rows]
    if data.totals:
        table_rows.append([para(str(v), i) for i, v in enumerate(data.totals)])
    table = Table(table_rows, colWidths=widths, repeatRows=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if data.totals:
        style.append(("LINEABOVE", (0, -1), (-1, -1), 1.2, colors.black))  # the sums under a heavy rule
    table.setStyle(TableStyle(style))
    story = [Paragraph(_escape(data.title), title)]
    if data.subtitle:
        story.append(Paragraph(_escape(data.subtitle), sub))
    story += [Spacer(1, 4 * mm), table]
    if data.signatures:
        story += [Spacer(1, 10 * mm), _signature_lines(data.signatures, font, usable)]
    doc.build(story, canvasmaker=_numbered_canvas(letterhead, Offsets()))
    return out.getvalue()


def _signature_lines(labels: tuple[str, ...], font: str, usable: float) -> Table:
    """「收款员：＿＿＿＿」 side by side: each label with a line to sign on, all the labels in
    one type size (smaller only when together they would leave too little to sign on), a
    Chinese label with a full-width colon, an English one with ": "."""
    words = [text + ("：" if text and ord(text[-1]) > 0x2E7F else ": ") for text in labels]
    size = 10.0
    natural = sum(stringWidth(w, font, size) + 4 for w in words)
    if natural > usable * 0.6:  # the lines to sign on keep at least two fifths of the width
        size = max(7.0, size * usable * 0.6 / natural)
    label = ParagraphStyle("sign", fontName=font, fontSize=size, leading=size * 1.3)
    rooms = [stringWidth(w, font, size) + 4 for w in words]
    line = max(8 * mm, (usable - sum(rooms)) / len(labels) - 4 * mm)  # the same length of line for each
    cells, widths = [], []
    for w, room in zip(words, rooms):
        cells += [Paragraph(_escape(w), label), "", ""]  # the label, the line, a gap
        widths += [room, line, 4 * mm]
    table = Table([cells], colWidths=widths, rowHeights=[9 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 1),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 1)]
                              + [("LINEBELOW", (i, 0), (i, 0), 0.6, colors.black) for i in range(1, len(cells), 3)]))
    return table


class Section(Flowable):
    """Takes no room; tells the canvas a new section (a card of a batch) begins here, and
    calls `done` when drawn (the previous section is then on paper)."""

    def __init__(self, number: int, done=None):
        super().__init__()
        self.number, self.done = number, done

    def wrap(self, *_):
        return 0, 0

    def draw(self):
        self.canv.section = self.number
        if self.done is not None:
            self.done()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


def letter(title: str, letterhead: Letterhead, build) -> bytes:
    """A letter or an agreement on A4 under the letterhead, its pages numbered: `build(styles,
    font, usable width)` gives the story, with the styles title, body and clause (numbered,
    hanging)."""
    font = fonts.register()
    out = io.BytesIO()
    size = PAPERS["A4"].size()
    doc = flowing_document(out, size, side_mm=20, top_mm=24, bottom_mm=18, title=title)
    usable = size[0] - doc.leftMargin - doc.rightMargin
    styles = dict(
        title=ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1, spaceAfter=4 * mm),
        body=ParagraphStyle("body", fontName=font, fontSize=10.5, leading=17, wordWrap="CJK"),
        clause=ParagraphStyle("clause", fontName=font, fontSize=10.5, leading=17, wordWrap="CJK", leftIndent=7 * mm,
                              firstLineIndent=-7 * mm, spaceAfter=1.5 * mm),
    )
    doc.build(build(styles, font, usable), canvasmaker=_numbered_canvas(letterhead, Offsets()))
    return out.getvalue()


def wrapped(text: str, style, font: str, usable: float) -> Paragraph:
    """A paragraph broken into lines by the documents' rule (禁则) in a frame `usable` wide."""
    room = usable - 13 - style.leftIndent  # the frame's padding, 6 points each side, and a hair
    lines = wrap(text, font, style.fontSize, room, first_indent=style.firstLineIndent)
    return Paragraph("<br/>".join(_escape(line) for line in lines), style)
