"""What every paper the office prints carries: the office's name, address and phone from
the estate profile at the top, an optional logo, and page numbers on lists; and how text
is set into the room it has: broken into lines by the Chinese rules (禁则), or made smaller
until it fits its cell, so nothing on a page ever runs into its neighbour."""
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
    """Draw the header line at `top` (points from the bottom); returns the y below it. The
    name keeps at most three fifths of the line; the address and phone take the rest, made
    smaller when long."""
    font = fonts.register()
    x = left
    if head.logo_path:
        try:
            c.drawImage(head.logo_path, left, top - 10 * mm, width=10 * mm, height=10 * mm,
                        preserveAspectRatio=True, mask="auto")
            x += 12 * mm
        except OSError:
            pass  # a logo file gone missing must not stop a receipt
    right = width - left
    contact = "  ".join(part for part in (head.address, head.phone and f"电话 {head.phone}") if part)
    name = fit(head.office_name, font, size, (right - x) * (0.6 if contact else 1), min_size=size * 0.7)
    c.setFont(font, name.size)
    c.drawString(x, top - size, name.lines[0])
    if contact:
        room = right - x - c.stringWidth(name.lines[0], font, name.size) - 4 * mm
        small = fit(contact, font, 8, room, min_size=5.5)
        c.setFont(font, small.size)
        c.drawRightString(right, top - size, small.lines[0])
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
_TOKEN = re.compile(r"[A-Za-z0-9@#&'./:_\-]+|\s|.")


def _clusters(paragraph: str) -> list[str]:
    """The paragraph in pieces a line may break between: a Latin word or one character,
    with the closing marks after it (a run of them, "）。" or "……") and the opening marks
    before it held on; a space stands alone, as the place a line breaks best."""
    pieces: list[str] = []
    glue = False  # the last piece ends with an opening mark: what comes next holds on to it
    for token in _TOKEN.findall(paragraph):
        if pieces and token in _NO_START and pieces[-1].isspace() and not all(p.isspace() for p in pieces):
            spaces = ""  # "word ）", "word  ，": the spaces stay inside, however many
            while pieces[-1].isspace():
                spaces = pieces.pop() + spaces
            pieces[-1] += spaces + token
        elif pieces and (glue or token in _NO_START):
            pieces[-1] += token
        else:
            pieces.append(token)
        glue = token in _NO_END or (glue and token.isspace())
    return pieces


def wrap(text: str, font: str, size: float, width: float, first_indent: float = 0) -> list[str]:
    """Break text into lines no wider than `width` points, anywhere between Chinese
    characters, between words of Latin text, and never before a closing mark nor after an
    opening one (禁则): a closing mark takes the character before it down to the next line.
    Only a piece wider than the whole line is cut where it must. Each line of `text` gives
    at least one line; a space where a line breaks is dropped."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    widths: dict[str, float] = {}

    def measure(piece: str) -> float:
        w = widths.get(piece)
        if w is None:
            w = widths[piece] = stringWidth(piece, font, size)
        return w

    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used, limit = "", 0.0, width - first_indent
        fresh = False  # a line has just been broken off: what follows starts without a space
        for piece in _clusters(paragraph):
            if fresh:
                piece = piece.lstrip()
                if not piece:
                    continue
            w = measure(piece)
            if used + w > limit and line.strip():
                lines.append(line.rstrip())
                line, used, limit = "", 0.0, width
                piece = piece.lstrip()
                if not piece:
                    fresh = True
                    continue
                w = measure(piece)
            if w > limit and not line.strip():
                # wider than a whole line (a long number): cut between its characters, its
                # marks still held on; only a mark wider than the line is cut on its own
                for unit in _clusters(" ".join(piece)):
                    if unit.isspace():
                        continue
                    unit = unit.replace(" ", "")
                    for part in [unit] if measure(unit) <= width else list(unit):
                        uw = measure(part)
                        if used + uw > limit and line:
                            lines.append(line)
                            line, used, limit = "", 0.0, width
                        line += part
                        used += uw
            else:
                line += piece
                used += w
            fresh = False
        lines.append(line.rstrip())
    return lines


_FLOOR = 4.0  # the smallest type anything is set in, for text no cell could otherwise hold


def extent(font: str) -> tuple[float, float]:
    """The font's ascent and descent (descent negative), as fractions of its size."""
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(font).face
    return face.ascent / 1000, face.descent / 1000


@dataclass(frozen=True)
class Fitted:
    """Text set to fit a box: its size, its lines, and the distance between their baselines."""
    size: float
    lines: list[str]
    leading: float

    def height(self, font: str) -> float:
        ascent, descent = extent(font)
        return self.size * (ascent - descent) + self.leading * (len(self.lines) - 1)


class DoesNotFit(ValueError):
    """Text that no size down to the smallest allowed holds in its box (fit(strict=True))."""


def fit(text: str, font: str, size: float, width: float, height: float | None = None, *,
        min_size: float = 6.0, max_lines: int = 1, leading: float = 1.12, floor: float = _FLOOR,
        strict: bool = False) -> Fitted:
    """`text` set in `width` × `height` points: on one line at `size` or a little smaller
    (down to four fifths of it), else on up to `max_lines` lines from `size` down to
    `min_size`. Text too long even so gets smaller type still, down to `floor`, and then
    loses its end to "…": it never leaves its box. `strict`: rather than lose its end,
    DoesNotFit."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    ascent, descent = extent(font)

    def attempt(s: float, most: int) -> Fitted | None:
        lines = [text] if stringWidth(text, font, s) <= width else wrap(text, font, s, width)
        if len(lines) > most or any(stringWidth(line, font, s) > width + 0.01 for line in lines):
            return None
        f = Fitted(s, lines, s * leading)
        if height is not None and f.height(font) > height + 0.01:
            return None
        return f

    def sizes(low: float):
        s = size
        while s >= low - 1e-9:
            yield s
            s -= 0.5

    for s in sizes(max(min_size, size * 0.8)):
        if (f := attempt(s, 1)) is not None:
            return f
    for s in sizes(min(min_size, size)):
        for most in range(1, max_lines + 1):
            if (f := attempt(s, most)) is not None:
                return f
    s = min(min_size, size) - 0.5
    while s >= floor - 1e-9:
        if (f := attempt(s, max_lines)) is not None:
            return f
        s -= 0.5
    if strict:
        raise DoesNotFit(text)
    # no size holds it all: as many lines as the box has room for, the last one cut short
    s = min(floor, size)
    room = max_lines if height is None else int((height - s * (ascent - descent)) // (s * leading)) + 1
    lines = wrap(text, font, s, width)[:max(1, min(max_lines, room))]
    last = lines[-1]
    while last and stringWidth(last + "…", font, s) > width:
        last = last[:-1]
    lines[-1] = last + "…"
    return Fitted(s, lines, s * leading)


def draw_fitted(c, f: Fitted, font: str, x0: float, x1: float, top: float, bottom: float,
                align: str = "left") -> None:
    """Draw fitted text centred between `top` and `bottom`, aligned in [x0, x1]."""
    ascent, _descent = extent(font)
    y = (top + bottom) / 2 + f.height(font) / 2 - ascent * f.size
    c.setFont(font, f.size)
    for line in f.lines:
        if align == "right":
            c.drawRightString(x1, y, line)
        elif align == "centre":
            c.drawCentredString((x0 + x1) / 2, y, line)
        else:
            c.drawString(x0, y, line)
        y -= f.leading


QR_QUIET = 4  # modules of white around a QR code, as the standard asks


def draw_qr(c, value: str, x: float, y: float, size: float) -> None:
    """`value` as a QR code in the `size` square at (x, y) (points), its quiet zone inside."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    qr = QrCodeWidget(value, barBorder=QR_QUIET, barWidth=size, barHeight=size)
    drawing = Drawing(size, size)
    drawing.add(qr)
    renderPDF.draw(drawing, c, x, y)
