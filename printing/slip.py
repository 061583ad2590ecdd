"""借用单 — a slip the borrower signs: a key lent (钥匙借用登记单) or an item lent (物品借用单),
and the repair work order (派工单) the technician takes along. The letterhead, the title and
number, the facts as label/value rows in a ruled table, the terms, and lines to sign (the
borrower, the clerk, and at return who brought it back and who took it in).

On any paper this PC prints slips on: A4 or A5, or the counter's continuous forms (241 mm
wide, a full, half or third of 279.4 mm high). Where the paper is short, the facts go two
to a row and the signatures four across; what still does not fit continues on a second
form, so nothing is ever cut off."""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from printing import fonts
from printing.furniture import Letterhead, draw_letterhead, extent, fit, wrap
from printing.paper import PAPERS, Offsets

SIDE = 12 * mm
TOP = 8 * mm
BOTTOM = 8 * mm
LABEL_W = 26 * mm


@dataclass(frozen=True)
class SlipData:
    title: str
    number: str
    rows: list[tuple[str, str]]
    terms: str = ""
    signatures: list[str] = field(default_factory=list)
    signature_image: bytes | None = None  # a signature drawn on screen (PNG), beside the first line
    signed: dict[str, str] = field(default_factory=dict)  # a name printed on its line (经办人: the clerk)
    # the document it is (models.templates.DOCUMENTS) and its values by field name, for an
    # office's form of its own (套打); empty: the built-in layout only
    document: str = ""
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Style:
    """How tightly a slip is set: the facts per table row, type size, the least row height,
    the signatures per line and the room each line of signatures takes."""
    pairs: int
    size: float
    row: float
    signers: int
    sign_row: float
    gap: float = 5 * mm  # above the terms, and above the signatures a little more

    @property
    def leading(self) -> float:
        return self.size * 1.3


@dataclass
class _Cell:
    label: str
    lines: list[str]
    x: float
    width: float


def _rows(slip: SlipData, st: _Style, font: str, usable: float) -> list[tuple[list[_Cell], float]]:
    """The table's rows: their cells and heights. With two facts to a row, a fact whose value
    needs more than one line has the whole row to itself."""
    rows = []
    pending: list[tuple[str, str]] = []

    def cell(label, value, x, width) -> _Cell:
        return _Cell(label, wrap(value, font, st.size, width - LABEL_W - 4 * mm) or [""], x, width)

    def flush():
        if pending:
            half = usable / st.pairs
            cells = [cell(label, value, i * half, half) for i, (label, value) in enumerate(pending)]
            rows.append(cells)
            pending.clear()

    for label, value in slip.rows:
        if st.pairs > 1:
            half = usable / st.pairs
            if len(cell(label, value, 0, half).lines) > 1:
                flush()
                rows.append([cell(label, value, 0, usable)])
                continue
            pending.append((label, value))
            if len(pending) == st.pairs:
                flush()
        else:
            rows.append([cell(label, value, 0, usable)])
    flush()
    return [(cells, st.row + (max(len(c.lines) for c in cells) - 1) * st.leading) for cells in rows]


def _head_height(letterhead_size: float) -> float:
    return TOP + letterhead_size + 3 * mm + 14 * mm


def _foot(slip: SlipData, st: _Style, font: str, usable: float) -> tuple[list[str], float]:
    """The terms as lines, and the height of the terms and signatures together."""
    terms = wrap(slip.terms, font, st.size - 1.5, usable) if slip.terms else []
    signers = -(-len(slip.signatures) // st.signers) if slip.signatures else 0
    return terms, st.gap + len(terms) * (st.size - 1.5) * 1.4 + st.gap * 1.2 + signers * st.sign_row


def render(slip: SlipData, letterhead: Letterhead, *, paper: str = "A5", offsets: Offsets = Offsets(),
           template=None, plain: bool = True, grid: bool = False) -> bytes:
    """The slip on `paper` in the built-in layout, or on the office's own form (`template`,
    models.templates; `plain` False: the values alone, 套打; `grid`: the test print)."""
    if template is not None:
        return _on_form(slip, letterhead, template, offsets, plain, grid)
    font = fonts.register()
    width, height = PAPERS[paper].size()
    usable = width - 2 * SIDE
    wide = usable >= 180 * mm
    styles = [_Style(1, 10, 7 * mm, 4 if wide else 2, 14 * mm)]
    if wide:
        styles += [_Style(2, 10, 7 * mm, 4, 12 * mm), _Style(2, 9, 6 * mm, 4, 10 * mm),
                   _Style(2, 8.5, 5.2 * mm, 4, 8 * mm, 3 * mm)]
    else:
        styles += [_Style(1, 9, 6 * mm, 2, 11 * mm)]
    room = height - _head_height(10) - BOTTOM
    for st in styles:
        rows = _rows(slip, st, font, usable)
        terms, foot = _foot(slip, st, font, usable)
        if sum(h for _c, h in rows) + foot <= room:
            break  # the loosest setting that fits one form; else the tightest, on more forms

    out = io.BytesIO()
    c = Canvas(out, pagesize=(width, height))
    c.setTitle(slip.title)
    page = [0]

    def start() -> float:
        page[0] += 1
        c.saveState()
        offsets.apply(c)
        y = draw_letterhead(c, letterhead, width, height - TOP, left=SIDE, size=10)
        number = fit(f"No. {slip.number}", font, 9, usable * 0.3, min_size=6)
        number_w = c.stringWidth(number.lines[0], font, number.size)
        title = slip.title + ("（续）" if page[0] > 1 else "")
        t = fit(title, font, 16, usable - 2 * (number_w + 3 * mm), min_size=10)
        c.setFont(font, t.size)
        c.drawCentredString(width / 2, y - 9 * mm, t.lines[0])
        c.setFont(font, number.size)
        c.drawRightString(width - SIDE, y - 9 * mm, number.lines[0])
        return y - 14 * mm

    def turn() -> float:
        c.restoreState()
        c.showPage()
        return start()

    ascent, _descent = extent(font)
    y = start()
    c.setLineWidth(0.6)
    top = y
    for cells, h in rows:
        if y - h < BOTTOM and y < top:
            c.rect(SIDE, y, usable, top - y)
            y = top = turn()
            c.setLineWidth(0.6)
        for cl in cells:
            x = SIDE + cl.x
            label = fit(cl.label, font, st.size, LABEL_W - 3 * mm, min_size=6)
            c.setFont(font, label.size)
            first = y - 1.3 * mm - ascent * st.size
            c.drawString(x + 2 * mm, first, label.lines[0])
            c.setFont(font, st.size)
            for n, text in enumerate(cl.lines):
                c.drawString(x + LABEL_W + 2 * mm, first - n * st.leading, text)
            c.line(x + LABEL_W, y, x + LABEL_W, y - h)
            if cl.x > 0:
                c.line(x, y, x, y - h)
        y -= h
        c.line(SIDE, y, width - SIDE, y)
    c.rect(SIDE, y, usable, top - y)
    if y - foot < BOTTOM:
        y = turn()
    y -= st.gap
    if terms:
        small = st.size - 1.5
        c.setFont(font, small)
        for text in terms:
            c.drawString(SIDE, y - ascent * small, text)
            y -= small * 1.4
    y -= st.gap * 1.2
    c.setFont(font, st.size)
    col_w = usable / st.signers
    for n, label in enumerate(slip.signatures):
        col, row = n % st.signers, n // st.signers
        x = SIDE + col * col_w
        line_y = y - row * st.sign_row - ascent * st.size
        words = fit(label + "：", font, st.size, col_w * 0.6, min_size=6)
        c.setFont(font, words.size)
        c.drawString(x, line_y, words.lines[0])
        start_x = x + c.stringWidth(words.lines[0], font, words.size)
        c.line(start_x, line_y - 1, x + col_w - 6 * mm, line_y - 1)
        if slip.signed.get(label):
            name = fit(slip.signed[label], font, st.size, x + col_w - 8 * mm - start_x, min_size=6)
            c.setFont(font, name.size)
            c.drawString(start_x + 2 * mm, line_y, name.lines[0])
        if n == 0 and slip.signature_image:
            from reportlab.lib.utils import ImageReader

            image = ImageReader(io.BytesIO(slip.signature_image))
            c.drawImage(image, start_x + 2 * mm, line_y - 2 * mm, width=min(36 * mm, x + col_w - 8 * mm - start_x),
                        height=min(11 * mm, st.sign_row - 2 * mm), preserveAspectRatio=True, mask="auto")
    c.restoreState()
    c.showPage()
    c.save()
    return out.getvalue()


def _on_form(slip: SlipData, letterhead: Letterhead, template, offsets: Offsets, plain: bool, grid: bool) -> bytes:
    """The slip's values on the office's form: one form, each value in its box (Unfit or
    Overprint, before anything is made, for a value the form cannot hold)."""
    from printing.template import Form, Layout

    layout = Layout(template, plain=plain, letterhead=letterhead)
    form = Form({"title": slip.title, "number": slip.number, "terms": slip.terms, **slip.values})
    placed = layout.place(form)
    out = io.BytesIO()
    c = Canvas(out, pagesize=(layout.width, layout.height))
    c.setTitle(slip.title)
    c.saveState()
    offsets.apply(c)
    if grid:
        layout.draw_grid(c, form)
    layout.draw(c, form, placed)
    c.restoreState()
    c.showPage()
    c.save()
    return out.getvalue()


# the work order's facts in the order the built-in layout lists them: field, label
WORK_ORDER_ROWS = (("place", "房号/地点"), ("reporter", "报修人"), ("phone", "联系电话"), ("reported_at", "报修时间"),
                   ("what", "报修内容"), ("category", "类别"), ("urgency", "紧急程度"), ("technician", "维修人员"),
                   ("appointment", "约定时间"), ("reworks", "返修"))
WORK_ORDER_SIGNATURES = ("维修人员", "业主签字", "完工时间", "派工人")


def default_template(document: str = "work-order", paper: str = "A5"):
    """Where an office's own form for the work order starts: the built-in layout's parts
    at fixed places on `paper` (the facts a row each, the report three lines), to move onto
    the office's stock in the designer."""
    from models import templates

    form = PAPERS[paper]
    width, height = form.width_mm, form.height_mm
    side = SIDE / mm
    span = width - 2 * side
    label_w = LABEL_W / mm
    row = 7.0
    y = TOP / mm + 14 + 9
    items = [templates.Item("letterhead", side, TOP / mm, span, 10 / mm + 3, size=10),
             templates.Item("text", side + span * 0.3, TOP / mm + 7.5, span * 0.4, 7, text="{title}", size=16,
                            min_size=10, align="centre"),
             templates.Item("field", width - side - span * 0.3, TOP / mm + 8.5, span * 0.3, 5, name="number",
                            label="No. ", align="right")]
    rows_room = height - y - 40
    per = max(5.0, min(row, rows_room / (len(WORK_ORDER_ROWS) + 2)))
    for key, label in WORK_ORDER_ROWS:
        h = per * 3 if key == "what" else per
        items += [templates.Item("text", side, y, label_w - 2, min(per, h), text=label, size=10, min_size=7),
                  templates.Item("field", side + label_w, y, span - label_w, h, name=key, size=10, min_size=7,
                                 lines=3 if key == "what" else 1)]
        items.append(templates.Item("line", side, y + h, span, 0, weight=0.3))
        y += h
    items.append(templates.Item("text", side, y + 3, span, 9, text="{terms}", size=8.5, min_size=6, lines=2))
    y += 15
    col = span / 2
    for n, label in enumerate(WORK_ORDER_SIGNATURES):
        x, top = side + (n % 2) * col, y + (n // 2) * 9
        items.append(templates.Item("text", x, top, col - 4, 6, text=label + "：", size=10, min_size=7))
        items.append(templates.Item("line", x + 20, top + 5.5, col - 26, 0, weight=0.3))
    return templates.Template(document, "", width, height, continuous=paper.startswith("CONT"), items=tuple(items))


def sample_work_order(on) -> SlipData:
    """A work order as the service desk makes them, for the designer's preview."""
    import datetime

    at = datetime.datetime.combine(on, datetime.time(9, 30))
    values = {"place": "3-2-1201 厨房", "reporter": "张三", "phone": "138****5678", "reported_at": f"{at:%Y-%m-%d %H:%M}",
              "what": "厨房水龙头漏水，关不紧", "category": "给排水", "urgency": "一般", "technician": "刘师傅",
              "appointment": f"{at + datetime.timedelta(hours=2):%Y-%m-%d %H:%M}", "reworks": ""}
    rows = [(label, values[key]) for key, label in WORK_ORDER_ROWS if values[key]]
    return SlipData("维修派工单", f"R{on.year}-000045", rows,
                    "完工后请业主核对维修结果并评价：□满意  □基本满意  □不满意。", list(WORK_ORDER_SIGNATURES),
                    document="work-order", values=values)
