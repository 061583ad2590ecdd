"""Where things land on a printed page, read back from the PDF: each text run (one
drawString of the document) with its box, colour and opacity, and the ruled lines and
rectangles, so a test can say what a person sees: nothing overprints, text stays inside
its cell and on the paper, the QR code keeps its margin clear.

A run's box is its advance width (reportlab's metrics of the one font every document
uses) by the font's ascent and descent, through the text and graphics matrices."""
from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader

from printing import fonts

MM = 72 / 25.4
IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mul(m, n):
    """m then n, as PDF composes matrices (row vectors)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m, x, y):
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _key(*matrices):
    return tuple(round(v, 2) for m in matrices for v in m)


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: "Box", slack: float = 0.05) -> bool:
        return (self.x0 < other.x1 - slack and other.x0 < self.x1 - slack and
                self.y0 < other.y1 - slack and other.y0 < self.y1 - slack)

    def inside(self, other: "Box", slack: float = 0.05) -> bool:
        return (self.x0 >= other.x0 - slack and self.x1 <= other.x1 + slack and
                self.y0 >= other.y0 - slack and self.y1 <= other.y1 + slack)

    def grown(self, by: float) -> "Box":
        return Box(self.x0 - by, self.y0 - by, self.x1 + by, self.y1 + by)


@dataclass(frozen=True)
class Run:
    text: str
    box: Box
    size: float
    fill: tuple = (0.0, 0.0, 0.0)
    alpha: float = 1.0

    def __repr__(self) -> str:
        b = self.box
        return f"Run({self.text!r} {b.x0 / MM:.1f}–{b.x1 / MM:.1f} × {b.y0 / MM:.1f}–{b.y1 / MM:.1f} mm)"


@dataclass(frozen=True)
class Shape:
    """A painted path piece: a line segment ("line") or a rectangle ("rect")."""
    kind: str
    box: Box
    paint: str  # S (stroked), f / f* (filled), B (both)
    fill: tuple = (0.0, 0.0, 0.0)
    alpha: float = 1.0


@dataclass
class Page:
    width: float
    height: float
    runs: list[Run]
    shapes: list[Shape]

    def find(self, part: str) -> list[Run]:
        return [r for r in self.runs if part in r.text]

    def one(self, part: str) -> Run:
        found = self.find(part)
        assert len(found) == 1, (part, found)
        return found[0]

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.runs)

    def overlapping(self, runs: list[Run] | None = None) -> list[tuple[Run, Run]]:
        runs = self.runs if runs is None else runs
        return [(a, b) for i, a in enumerate(runs) for b in runs[i + 1:] if a.box.overlaps(b.box)]


def _states(page, reader) -> tuple[dict, list[Shape]]:
    """The fill colour and opacity in force at each text showing, by its matrices; and the
    painted shapes."""
    resources = page.get("/Resources") or {}
    ext = resources.get("/ExtGState") or {}
    ext = ext.get_object() if hasattr(ext, "get_object") else ext
    ctm, tm = IDENTITY, IDENTITY
    fill, alpha = (0.0, 0.0, 0.0), 1.0
    stack = []
    states: dict = {}
    shapes: list[Shape] = []
    path: list[tuple[str, Box]] = []
    start = (0.0, 0.0)
    for operands, op in page.get_contents().operations:
        if op == b"q":
            stack.append((ctm, fill, alpha))
        elif op == b"Q":
            ctm, fill, alpha = stack.pop()
        elif op == b"cm":
            ctm = _mul(tuple(float(v) for v in operands), ctm)
        elif op == b"rg":
            fill = tuple(float(v) for v in operands)
        elif op == b"g":
            fill = (float(operands[0]),) * 3
        elif op == b"k":
            c, m, y, k = (float(v) for v in operands)
            fill = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
        elif op == b"gs":
            state = ext[operands[0]].get_object()
            alpha = float(state.get("/ca", alpha))
        elif op == b"BT":
            tm = IDENTITY
        elif op == b"Tm":
            tm = tuple(float(v) for v in operands)
        elif op in (b"Tj", b"TJ", b"'", b'"'):
            states.setdefault(_key(ctm, tm), (fill, alpha))
        elif op == b"m":
            start = _apply(ctm, float(operands[0]), float(operands[1]))
        elif op == b"l":
            end = _apply(ctm, float(operands[0]), float(operands[1]))
            path.append(("line", Box(min(start[0], end[0]), min(start[1], end[1]),
                                     max(start[0], end[0]), max(start[1], end[1]))))
            start = end
        elif op == b"re":
            x, y, w, h = (float(v) for v in operands)
            corners = [_apply(ctm, x + dx, y + dy) for dx in (0, w) for dy in (0, h)]
            xs, ys = [p[0] for p in corners], [p[1] for p in corners]
            path.append(("rect", Box(min(xs), min(ys), max(xs), max(ys))))
        elif op in (b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"n"):
            if op != b"n":
                paint = op.decode()
                shapes += [Shape(kind, box, paint, fill, alpha) for kind, box in path]
            path = []
    return states, shapes


def read(pdf: bytes, page: int = 0) -> Page:
    from reportlab.pdfbase import pdfmetrics

    reader = PdfReader(io.BytesIO(pdf))
    p = reader.pages[page]
    font = fonts.register()
    face = pdfmetrics.getFont(font).face
    ascent, descent = face.ascent / 1000, face.descent / 1000
    states, shapes = _states(p, reader)
    pieces: list[list] = []  # [text, cm, tm, size]

    def visit(text, cm, tm, _font_dict, size):
        text = text.replace("\n", "")
        if not text.strip():
            return  # nothing shown, or the space pypdf puts between two runs it reads as one line
        cm, tm = tuple(float(v) for v in cm), tuple(float(v) for v in tm)
        # one drawString whose characters come from two font subsets is shown in two parts
        # from the same text matrix: they are one run
        if pieces and pieces[-1][1:] == [cm, tm, size]:
            pieces[-1][0] += text
        else:
            pieces.append([text, cm, tm, size])

    p.extract_text(visitor_text=visit)
    runs = []
    for text, cm, tm, size in pieces:
        shown = text.strip()
        lead = pdfmetrics.stringWidth(text[:len(text) - len(text.lstrip())], font, size)
        width = pdfmetrics.stringWidth(shown, font, size)
        m = _mul(tm, cm)
        corners = [_apply(m, x, y) for x in (lead, lead + width) for y in (descent * size, ascent * size)]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        fill, alpha = states.get(_key(cm, tm), ((0.0, 0.0, 0.0), 1.0))
        runs.append(Run(shown, Box(min(xs), min(ys), max(xs), max(ys)), size * abs(m[3] or m[1]),
                        fill, alpha))
    box = p.mediabox
    return Page(float(box.width), float(box.height), [r for r in runs if r.text], shapes)


def pages(pdf: bytes) -> list[Page]:
    return [read(pdf, n) for n in range(len(PdfReader(io.BytesIO(pdf)).pages))]
