"""A template (models/templates) printed: each form's values set into their boxes, in plain
paper mode with everything else the template has (its words, rules, boxes, pictures, the
letterhead and the table's rules and headings), in data-only mode (套打) the values alone,
for stock that has the rest printed on it already.

A value is set as its box says: smaller on one line, then on more lines, never below the
template's smallest size; a value that does not fit even so is refused (`Unfit`, naming
the field) before anything is drawn, and two values that would meet are refused
(`Overprint`, naming both): a print that would overprint a neighbour or lose its end never
starts. A document checks its forms by placing them (`Layout.place`) before a payment is
taken (printing/receipt.check)."""
from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field, replace

from reportlab.lib.units import mm

from models import templates
from models.errors import OfficeError, QT_TRANSLATE_NOOP
from models.templates import PLACEHOLDER, Item, Template
from printing import fonts
from printing.furniture import DoesNotFit, Fitted, Letterhead, draw_fitted, draw_letterhead, draw_qr, extent, fit

FRAME_PAD = 1.2  # mm between a framed value and its frame


class Unfit(OfficeError):
    """A value its box cannot hold at the smallest size the template allows."""

    def __init__(self, document: str, name: str, value: str, form_name: str):
        super().__init__(QT_TRANSLATE_NOOP(
            "Office", "{field} does not fit its box on the form “{form}”: “{value}”. Shorten it, or give the "
                      "field more room in the template"),
            field=templates.label(document, name), value=value if len(value) <= 40 else value[:39] + "…",
            form=form_name)
        self.field = name


class Overprint(OfficeError):
    """Two values whose boxes overlap would print one over the other."""

    def __init__(self, document: str, first: Item, second: Item, form_name: str):
        super().__init__(QT_TRANSLATE_NOOP(
            "Office", "{field} would print over {other} on the form “{form}”: move one of them in the template"),
            field=templates.what(first, document), other=templates.what(second, document), form=form_name)
        self.fields = (first.name or first.text or first.kind, second.name or second.text or second.kind)


@dataclass
class Form:
    """One form's values: the document's fields by name, and the table's rows (column name
    → text), `blank_rows` more rows left empty below them (room for a stamp)."""
    values: dict[str, str]
    rows: list[dict[str, str]] = field(default_factory=list)
    blank_rows: int = 0


@dataclass(frozen=True)
class Placed:
    """A value set: its fitted type, where it goes (points), how."""
    item: Item
    fitted: Fitted
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float | None = None  # set on this baseline instead of in the box's middle


def _text(item: Item, values: dict[str, str], plain: bool) -> str:
    """What the item prints: a field's value (after its label on plain paper), or words with
    each {name} of the document's values filled in; on one line each (a value's own line
    breaks are spaces here: a box sets its lines itself)."""
    if item.kind == "field":
        value = values.get(item.name, "")
        if not value and not (plain and item.label):
            return ""
        text = (item.label if plain else "") + value
    else:
        text = PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), item.text)
    return " ".join(text.split("\n"))


class Layout:
    """A template on its paper, in points from the bottom left as reportlab draws."""

    def __init__(self, template: Template, *, plain: bool = True, letterhead: Letterhead | None = None):
        self.t = template
        self.plain = plain
        self.letterhead = letterhead
        self.font = fonts.register()
        self.width, self.height = template.width * mm, template.height * mm

    def y(self, mm_from_top: float) -> float:
        return self.height - mm_from_top * mm

    def rows_shown(self, form: Form) -> int:
        """The table's rows the form shows: those its lines (and blank rows) take when the
        table flows, else every row of the form."""
        table = self.t.table
        used = min(table.rows, len(form.rows) + form.blank_rows)
        return used if table.flow else table.rows

    def shift(self, form: Form) -> float:
        """How far (mm) the foot moves up on plain paper when the table flows: the rows the
        form leaves unused."""
        table = self.t.table
        if table is None or not table.flow or not self.plain:
            return 0.0
        return (table.rows - self.rows_shown(form)) * table.row

    def moved(self, item: Item, form: Form) -> Item:
        table = self.t.table
        up = self.shift(form)
        if up and item.y >= table.bottom - 0.01:
            return replace(item, y=item.y - up)
        return item

    def place(self, form: Form) -> list[Placed]:
        """Every value and word of the form set into its box; Unfit for one that cannot be."""
        out = []
        for item in self.t.items:
            if item.kind == "code":
                value = form.values.get(item.name, "")
                if value:
                    out.append(self._code(self.moved(item, form), value))
                continue
            if item.kind not in ("field", "text") or (item.kind == "text" and not self.plain):
                continue
            text = _text(item, form.values, self.plain)
            if not text.strip():
                continue
            out.append(self._set(self.moved(item, form), text))
        table = self.t.table
        if table is not None:
            heads = [{c.name: c.head for c in table.columns}] if self.plain and table.head else []
            for n, row in enumerate(heads + list(form.rows[:table.rows])):
                y0 = table.y + (0 if heads and n == 0 else (table.head + (n - len(heads)) * table.row))
                h = table.head if heads and n == 0 else table.row
                for c in table.columns:
                    text = row.get(c.name, "")
                    if not text:
                        continue
                    x0, x1 = (c.x + c.pad) * mm, (c.x + c.w - c.pad) * mm
                    try:
                        f = fit(text, self.font, c.size, x1 - x0, h * mm - 0.4 * mm, min_size=c.min_size,
                                max_lines=c.lines, floor=c.smallest, strict=True)
                    except DoesNotFit:
                        raise Unfit(self.t.document, c.name, text, self.t.name) from None
                    cell = Item("field", c.x, y0, c.w, h, name=c.name, size=c.size, align=c.align)
                    out.append(Placed(cell, f, x0, x1, self.y(y0), self.y(y0 + h)))
        self._apart(out)
        return out

    def first_baseline(self, p: Placed) -> float:
        """Where the value's first line sits: its own baseline, or as draw_fitted centres
        its lines in the box."""
        if p.baseline is not None:
            return p.baseline
        return (p.top + p.bottom) / 2 + p.fitted.height(self.font) / 2 - extent(self.font)[0] * p.fitted.size

    @staticmethod
    def left_of(p: Placed, width: float) -> float:
        """Where a line `width` points wide starts in the value's box, as it is aligned."""
        if p.item.align == "right":
            return p.x1 - width
        if p.item.align == "centre":
            return (p.x0 + p.x1 - width) / 2
        return p.x0

    def ink(self, p: Placed) -> tuple[float, float, float, float]:
        """Where a placed value's letters (and its frame) will be: x0, y0, x1, y1 in points."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        if p.item.kind == "code":
            return p.x0, p.bottom, p.x1, p.top
        f = p.fitted
        w = max((stringWidth(line, self.font, f.size) for line in f.lines), default=0)
        x0 = self.left_of(p, w)
        top = self.first_baseline(p) + extent(self.font)[0] * f.size
        bottom = top - f.height(self.font)
        pad = FRAME_PAD * mm if p.item.frame else 0
        return x0 - pad, bottom - pad, x0 + w + pad, top + pad

    def _apart(self, placed: list[Placed]) -> None:
        """Overprint when two values would print one over the other (boxes an office drew
        overlapping, with values long enough to meet)."""
        boxes = [(self.ink(p), p) for p in placed]
        if self.plain and self.letterhead is not None:  # the office's name and address at the top, too
            for item in self.t.items:
                if item.kind == "letterhead":
                    box = (item.x * mm, self.y(item.y + item.h), (item.x + item.w) * mm, self.y(item.y))
                    boxes.append((box, Placed(item, Fitted(item.size, [], 0), 0, 0, 0, 0)))
        slack = 0.05
        for i, (a, p) in enumerate(boxes):
            for b, q in boxes[i + 1:]:
                if a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack:
                    raise Overprint(self.t.document, p.item, q.item, self.t.name)

    def _code(self, item: Item, value: str) -> Placed:
        """A QR code: the largest square the box holds, at its top left (centred across
        when `align` says so)."""
        side = min(item.w, item.h) * mm
        x0 = item.x * mm
        if item.align == "right":
            x0 = (item.x + item.w) * mm - side
        elif item.align == "centre":
            x0 = (item.x + item.w / 2) * mm - side / 2
        top = self.y(item.y)
        return Placed(item, Fitted(0, [value], 0), x0, x0 + side, top, top - side)

    def _set(self, item: Item, text: str) -> Placed:
        x0, x1 = item.x * mm, (item.x + item.w) * mm
        top, bottom = self.y(item.y), self.y(item.y + item.h)
        pad = FRAME_PAD * mm if item.frame else 0
        room = x1 - x0 - 2 * pad
        baseline = None
        try:
            if item.valign == "baseline":
                f = fit(text, self.font, item.size, room, min_size=item.min_size, max_lines=1, floor=item.smallest,
                        strict=True)
                baseline = bottom - extent(self.font)[1] * item.size
            else:
                f = fit(text, self.font, item.size, room, top - bottom, min_size=item.min_size,
                        max_lines=item.lines, floor=item.smallest, strict=True)
        except DoesNotFit:
            raise Unfit(self.t.document, item.name or item.text, text, self.t.name) from None
        return Placed(item, f, x0 + pad, x1 - pad, top, bottom, baseline)

    # --- drawing ---------------------------------------------------------------------------

    def pdf(self, forms, *, title: str, offsets=None, grid: bool = False, after=None, tick_every=None,
            tick=None) -> bytes:
        """The forms (Form, or (Form, its placed values)) as a PDF, one page each, each
        placed before the first is drawn (Unfit or Overprint, nothing made); `after(c, form)`
        draws more on a page (the void stamp); `tick()` after each of `tick_every`'s groups
        (a list of group sizes) or after every page."""
        from reportlab.pdfgen.canvas import Canvas

        from printing.paper import Offsets

        planned = [f if isinstance(f, tuple) else (f, self.place(f)) for f in forms]
        offsets = offsets or Offsets()
        out = io.BytesIO()
        c = Canvas(out, pagesize=(self.width, self.height), pageCompression=1)
        c.setTitle(title)
        marks = set()
        if tick_every is not None:
            total = 0
            for size in tick_every:
                total += size
                marks.add(total)
        for n, (f, placed) in enumerate(planned, start=1):
            c.saveState()
            offsets.apply(c)
            if grid:
                self.draw_grid(c, f)
            self.draw(c, f, placed)
            if after is not None:
                after(c, f)
            c.restoreState()
            c.showPage()
            if tick is not None and (tick_every is None or n in marks):
                tick()
        c.save()
        return out.getvalue()

    def draw(self, c, form: Form, placed: list[Placed] | None = None) -> None:
        placed = self.place(form) if placed is None else placed
        if self.plain:
            for item in self.t.items:
                self._furniture(c, self.moved(item, form))
            self._rules(c, form)
        for p in placed:
            self._draw_text(c, p)

    def draw_grid(self, c, form: Form) -> None:
        """The alignment check: a millimetre grid (every 5 mm, the tens darker and numbered)
        and each box of the template outlined, to lay the test print on the stock."""
        font = self.font
        c.saveState()
        c.setLineWidth(0.15)
        for x in range(0, int(self.t.width) + 1, 5):
            c.setStrokeGray(0.55 if x % 10 == 0 else 0.82)
            c.line(x * mm, 0, x * mm, self.height)
        for y in range(0, int(self.t.height) + 1, 5):
            c.setStrokeGray(0.55 if y % 10 == 0 else 0.82)
            c.line(0, self.y(y), self.width, self.y(y))
        c.setFont(font, 5)
        c.setFillGray(0.45)
        for x in range(10, int(self.t.width), 10):
            c.drawString(x * mm + 0.4 * mm, self.height - 2.5 * mm, str(x))
        for y in range(10, int(self.t.height), 10):
            c.drawString(0.6 * mm, self.y(y) - 2.2 * mm, str(y))
        c.setStrokeColorRGB(0.1, 0.35, 0.75)
        c.setDash(1.5, 1.5)
        c.setLineWidth(0.4)
        for item in self.t.items:
            if item.kind in ("field", "text", "code"):
                item = self.moved(item, form)
                c.rect(item.x * mm, self.y(item.y + item.h), item.w * mm, item.h * mm, stroke=1, fill=0)
        table = self.t.table
        if table is not None:
            c.rect(table.x * mm, self.y(table.bottom), table.w * mm, (table.bottom - table.y) * mm, stroke=1, fill=0)
            for col in table.columns[1:]:
                c.line(col.x * mm, self.y(table.y), col.x * mm, self.y(table.bottom))
        c.restoreState()

    def _furniture(self, c, item: Item) -> None:
        x, top = item.x * mm, self.y(item.y)
        if item.kind == "letterhead" and self.letterhead is not None:
            right = (item.x + item.w) * mm
            draw_letterhead(c, self.letterhead, right + x, top, x, size=item.size)
        elif item.kind == "line":
            c.setLineWidth(item.weight)
            c.line(x, top, (item.x + item.w) * mm, self.y(item.y + item.h))
        elif item.kind == "rect":
            c.setLineWidth(item.weight)
            c.rect(x, self.y(item.y + item.h), item.w * mm, item.h * mm, stroke=1, fill=0)
        elif item.kind == "image" and item.data:
            from reportlab.lib.utils import ImageReader

            picture = ImageReader(io.BytesIO(base64.b64decode(item.data)))
            c.drawImage(picture, x, self.y(item.y + item.h), item.w * mm, item.h * mm, preserveAspectRatio=True,
                        mask="auto")

    def _rules(self, c, form: Form) -> None:
        table = self.t.table
        if table is None or not table.rules:
            return
        left, right = table.x * mm, (table.x + table.w) * mm
        c.setLineWidth(0.6)
        y = self.y(table.y)
        c.line(left, y, right, y)
        if table.head:
            y = self.y(table.y + table.head)
            c.line(left, y, right, y)
        c.setLineWidth(0.3)
        for n in range(1, self.rows_shown(form) + 1):
            y = self.y(table.y + table.head + n * table.row)
            c.line(left, y, right, y)

    def _draw_text(self, c, p: Placed) -> None:
        item, f = p.item, p.fitted
        font = self.font
        if item.kind == "code":
            draw_qr(c, f.lines[0], p.x0, p.bottom, p.x1 - p.x0)
            return
        if item.frame:
            self._frame(c, p, self.first_baseline(p))
            return
        if p.baseline is None:
            draw_fitted(c, f, font, p.x0, p.x1, p.top, p.bottom, item.align)
            return
        c.setFont(font, f.size)
        text = f.lines[0]
        if item.align == "right":
            c.drawRightString(p.x1, p.baseline, text)
        elif item.align == "centre":
            c.drawCentredString((p.x0 + p.x1) / 2, p.baseline, text)
        else:
            c.drawString(p.x0, p.baseline, text)

    def _frame(self, c, p: Placed, baseline: float) -> None:
        """A value in a ruled box, its letters stroked bold: seen at a glance on any printer."""
        f, font = p.fitted, self.font
        ascent, descent = extent(font)
        pad = FRAME_PAD * mm
        text = f.lines[0]
        w = c.stringWidth(text, font, f.size)
        x = self.left_of(p, w)
        c.saveState()
        c.setLineWidth(1.2)
        c.rect(x - pad, baseline + descent * f.size - pad, w + 2 * pad, f.size * (ascent - descent) + 2 * pad,
               stroke=1, fill=0)
        t = c.beginText(x, baseline)
        t.setFont(font, f.size)
        t.setTextRenderMode(2)
        c.setLineWidth(0.35)
        t.textOut(text)
        c.drawText(t)
        c.restoreState()
