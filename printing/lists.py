"""Lists on paper: any table on screen ("print this list"), the missing-papers list by
building, with the letterhead on every page and 第 n 页 / 共 m 页 at the foot."""
from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from printing import fonts
from printing.furniture import Letterhead, draw_letterhead, draw_page_number, flowing_document
from printing.paper import PAPERS, Offsets


@dataclass(frozen=True)
class ListData:
    title: str
    headers: list[str]
    rows: list[list[str]]
    subtitle: str = ""
    right_aligned: tuple[int, ...] = ()  # columns of numbers and amounts
    widths: tuple[float, ...] = ()  # relative column widths; equal when empty


def _numbered_canvas(head: Letterhead, offsets: Offsets):
    """A canvas that knows the page count when it saves, for 第 n 页 / 共 m 页."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for n, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                width, height = self._pagesize
                self.saveState()
                offsets.apply(self)
                draw_letterhead(self, head, width, height - 10 * mm, size=11)
                draw_page_number(self, n, total, width)
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
    cell = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=11)
    cell_right = ParagraphStyle("cell_right", parent=cell, alignment=2)
    head_style = ParagraphStyle("head", parent=cell, fontSize=9)

    def para(text, column, style=cell):
        return Paragraph(_escape(text), cell_right if column in data.right_aligned and style is cell else style)

    table_rows = [[para(h, i, head_style) for i, h in enumerate(data.headers)]]
    table_rows += [[para(str(v), i) for i, v in enumerate(row)] for row in data.rows]
    usable = size[0] - doc.leftMargin - doc.rightMargin
    weights = data.widths or tuple(1 for _ in data.headers)
    widths = [usable * w / sum(weights) for w in weights]
    table = Table(table_rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story = [Paragraph(_escape(data.title), title)]
    if data.subtitle:
        story.append(Paragraph(_escape(data.subtitle), sub))
    story += [Spacer(1, 4 * mm), table]
    doc.build(story, canvasmaker=_numbered_canvas(letterhead, Offsets()))
    return out.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")
