"""通知 — a notice for the notice boards (停水/停电/施工通知, 公告) on A4: the letterhead, the
title, the office's wording filled with the announcement's facts, the closing line with
the office phone, and the office's name and date as signature."""
from __future__ import annotations

import io

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from printing import fonts
from printing.furniture import Letterhead, draw_letterhead, flowing_document
from printing.lists import _escape
from printing.paper import PAPERS, Offsets


def render(notice, letterhead: Letterhead, *, paper: str = "A4", copies: int = 1,
           offsets: Offsets = Offsets()) -> bytes:
    """`notice` is a models.announcements.NoticeText (or anything with its fields)."""
    font = fonts.register()
    size = PAPERS[paper].size()
    out = io.BytesIO()
    doc = flowing_document(out, size, side_mm=25, top_mm=35, bottom_mm=25, title=notice.title,
                           offsets=offsets)
    title = ParagraphStyle("title", fontName=font, fontSize=30, leading=40, alignment=1, spaceAfter=12 * mm)
    text = ParagraphStyle("text", fontName=font, fontSize=15, leading=27, firstLineIndent=30,
                          wordWrap="CJK")
    plain = ParagraphStyle("plain", parent=text, firstLineIndent=0)
    sign = ParagraphStyle("sign", parent=plain, alignment=2)
    date = f"{notice.date.year}年{notice.date.month}月{notice.date.day}日"
    page = [Paragraph(_escape(notice.title), title), Paragraph(_escape(notice.greeting), plain)]
    page += [Paragraph(_escape(part), text) for part in notice.body.split("\n") if part.strip()]
    if notice.closing:
        page.append(Paragraph(_escape(notice.closing), text))
    page += [Spacer(1, 18 * mm), Paragraph(_escape(notice.signature), sign), Paragraph(date, sign)]

    def furniture(c, _doc):
        c.saveState()
        draw_letterhead(c, letterhead, size[0], size[1] - 12 * mm, left=25 * mm, size=12)
        c.restoreState()

    from reportlab.platypus import PageBreak

    story = []
    for n in range(max(1, copies)):
        if n:
            story.append(PageBreak())
        story += page
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return out.getvalue()
