"""What every paper the office prints carries: the office's name, address and phone from
the estate profile at the top, an optional logo, and page numbers on lists."""
from __future__ import annotations

import re
from dataclasses import dataclass

from reportlab.lib.units import mm

from printing import fonts
from printing.paper import Offsets


@dataclass(frozen=True)
class Letterhead:
    office_name: str
    address: str = ""
    phone: str = ""
    logo_path: str = ""

    @classmethod
    def from_profile(cls, profile, logo_path: str = "") -> "Letterhead":
        """From the estate profile (models.estate.EstateProfile or anything with its fields)."""
        name = profile.office_name or profile.name
        return cls(name, profile.office_address or profile.address, profile.office_phone, logo_path)


def draw_letterhead(c, head: Letterhead, width: float, top: float, left: float = 15 * mm,
                    size: float = 13) -> float:
    """Draw the header line at `top` (points from the bottom); returns the y below it."""
    font = fonts.register()
    x = left
    if head.logo_path:
        try:
            c.drawImage(head.logo_path, left, top - 10 * mm, width=10 * mm, height=10 * mm,
                        preserveAspectRatio=True, mask="auto")
            x += 12 * mm
        except OSError:
            pass  # a logo file gone missing must not stop a receipt
    c.setFont(font, size)
    c.drawString(x, top - size, head.office_name)
    c.setFont(font, 8)
    contact = "  ".join(part for part in (head.address, head.phone and f"电话 {head.phone}") if part)
    if contact:
        c.drawRightString(width - left, top - size, contact)
    return top - size - 3 * mm


def draw_page_number(c, page: int, pages: int, width: float, bottom: float = 8 * mm) -> None:
    c.setFont(fonts.register(), 8)
    c.drawCentredString(width / 2, bottom, f"第 {page} 页 / 共 {pages} 页")


def flowing_document(out, size, *, side_mm: float, top_mm: float, bottom_mm: float, title: str,
                     offsets: Offsets = Offsets()):
    """A reportlab platypus document whose frame is moved by the printer's offsets."""
    from reportlab.platypus import SimpleDocTemplate

    return SimpleDocTemplate(out, pagesize=size, leftMargin=(side_mm + offsets.x_mm) * mm,
                             rightMargin=(side_mm - offsets.x_mm) * mm, topMargin=(top_mm + offsets.y_mm) * mm,
                             bottomMargin=(bottom_mm - offsets.y_mm) * mm, title=title)


# a line never starts with these (closing punctuation) nor ends with the opening ones
_NO_START = set("，。、；：！？）》」』】〕”’…—,.;:!?)]}%")
_NO_END = set("（《「『【〔“‘([{")


def wrap(text: str, font: str, size: float, width: float, first_indent: float = 0) -> list[str]:
    """Break text into lines no wider than `width` points, anywhere between Chinese
    characters, between words of Latin text, and never before a closing mark (禁则)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used, limit = "", 0.0, width - first_indent
        widths = {}
        tokens = re.findall(r"[A-Za-z0-9@#&'./:_\-]+|\s|.", paragraph)
        for token in tokens:
            w = widths.get(token)
            if w is None:
                w = widths[token] = stringWidth(token, font, size)
            if used + w > limit and line.strip():
                if token in _NO_START or (line and line[-1] in _NO_END):
                    # pull the last character down with the closing mark (or the opening mark
                    # down to what it opens) so neither stands alone
                    carry, line = line[-1], line[:-1]
                    lines.append(line)
                    line, used = carry, stringWidth(carry, font, size)
                else:
                    lines.append(line.rstrip())
                    line, used = "", 0.0
                    if token.isspace():
                        continue
                limit = width
            line += token
            used += w
        lines.append(line.rstrip())
    return lines
