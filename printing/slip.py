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
    return layout.pdf([form], title=slip.title, offsets=offsets, grid=grid)


# the work order's facts in the order the built-in layout lists them: field, label
WORK_ORDER_ROWS = (("place", "房号/地点"), ("reporter", "报修人"), ("phone", "联系电话"), ("reported_at", "报修时间"),
                   ("what", "报修内容"), ("category", "类别"), ("urgency", "紧急程度"), ("technician", "维修人员"),
                   ("appointment", "约定时间"), ("reworks", "返修"))
WORK_ORDER_SIGNATURES = ("维修人员", "业主签字", "完工时间", "派工人")
KEY_ROWS = (("key", "钥匙"), ("borrower", "借用人"), ("phone", "联系电话"), ("lent_at", "借用时间"),
            ("due_at", "应还时间"), ("id_number", "身份证号"), ("consent", "业主委托"), ("approved_by", "批准人"),
            ("purpose", "用途"))
ITEM_ROWS = (("item", "物品"), ("borrower", "借用人"), ("phone", "联系电话"), ("lent_at", "借用时间"),
             ("due_at", "应还时间"), ("condition_out", "借出时状况"), ("returned_at", "归还时间"),
             ("condition_back", "归还时状况"))
LOAN_SIGNATURES = ("借用人签字", "经办人", "归还人签字", "归还签收")


@dataclass(frozen=True)
class SlipForm:
    """A slip document's parts: its facts (field, label) in order, those shown only when they
    have a value, those given three lines on its starting form, its signature lines and the
    one the clerk's name goes on."""
    rows: tuple[tuple[str, str], ...]
    optional: frozenset = frozenset()
    tall: frozenset = frozenset()
    signatures: tuple[str, ...] = ()
    clerk_line: str = ""


SLIP_FORMS = {"work-order": SlipForm(WORK_ORDER_ROWS, frozenset({"reworks"}), frozenset({"what"}),
                                     WORK_ORDER_SIGNATURES),
              "key-slip": SlipForm(KEY_ROWS, frozenset({"id_number", "consent", "approved_by", "purpose"}),
                                   frozenset(), LOAN_SIGNATURES, "经办人"),
              "item-slip": SlipForm(ITEM_ROWS, frozenset({"returned_at", "condition_back"}),
                                    frozenset({"condition_out", "condition_back"}), LOAN_SIGNATURES, "经办人")}


def rows_of(document: str, values: dict[str, str]) -> list[tuple[str, str]]:
    """A slip's rows in the built-in layout: each fact, those that may be left out only when
    they have a value."""
    parts = SLIP_FORMS[document]
    return [(label, values.get(key, "")) for key, label in parts.rows
            if values.get(key) or key not in parts.optional]


def default_template(document: str = "work-order", paper: str = "A5"):
    """Where an office's own form for a slip starts: the built-in layout's parts at fixed
    places on `paper` (the facts a row each, the long ones three lines), to move onto the
    office's stock in the designer."""
    from models import templates

    parts = SLIP_FORMS[document]
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
    pairs = 2 if span >= 180 and height < 150 else 1  # short wide forms: two facts a row, as built in
    cell = span / pairs
    slots = []  # (key, label, rows tall) in reading order
    for key, label in parts.rows:
        slots.append((key, label, 3 if key in parts.tall else 1))
    units = -(-sum(t for *_k, t in slots) // pairs)
    signers = 4 if pairs == 2 else 2
    sign_rows = -(-len(parts.signatures) // signers)
    rows_room = height - y - 12 - 9 * sign_rows - 6
    per = max(4.5, min(row, rows_room / max(1, units)))
    column_y = [y] * pairs
    for n, (key, label, tall) in enumerate(slots):
        k = column_y.index(min(column_y)) if pairs > 1 else 0
        x, top, h = side + k * cell, column_y[k], per * tall
        items += [templates.Item("text", x, top, label_w - 2, per, text=label, size=10, min_size=6),
                  templates.Item("field", x + label_w, top, cell - label_w - 1, h, name=key, size=10, min_size=6,
                                 lines=3 if tall > 1 else 1)]
        items.append(templates.Item("line", x, top + h, cell, 0, weight=0.3))
        column_y[k] += h
    y = max(column_y)
    items.append(templates.Item("text", side, y + 2, span, 8, text="{terms}", size=8.5, min_size=6, lines=2))
    y += 11
    col = span / signers
    for n, label in enumerate(parts.signatures):
        x, top = side + (n % signers) * col, y + (n // signers) * 9
        items.append(templates.Item("text", x, top, 20, 6, text=label + "：", size=10, min_size=6))
        items.append(templates.Item("line", x + 20, top + 5.5, col - 26, 0, weight=0.3))
        if label == parts.clerk_line:
            items.append(templates.Item("field", x + 22, top, col - 30, 6, name="clerk", size=10, min_size=6))
    return templates.Template(document, "", width, height, continuous=paper.startswith("CONT"), items=tuple(items))


def sample_work_order(on) -> SlipData:
    """A work order as the service desk makes them, for the designer's preview."""
    import datetime

    at = datetime.datetime.combine(on, datetime.time(9, 30))
    values = {"place": "3-2-1201 厨房", "reporter": "张三", "phone": "138****5678", "reported_at": f"{at:%Y-%m-%d %H:%M}",
              "what": "厨房水龙头漏水，关不紧", "category": "给排水", "urgency": "一般", "technician": "刘师傅",
              "appointment": f"{at + datetime.timedelta(hours=2):%Y-%m-%d %H:%M}", "reworks": ""}
    return SlipData("维修派工单", f"R{on.year}-000045", rows_of("work-order", values),
                    "完工后请业主核对维修结果并评价：□满意  □基本满意  □不满意。", list(WORK_ORDER_SIGNATURES),
                    document="work-order", values=values)


LOAN_TERMS = {"key-slip": "借用人须妥善保管钥匙，不得转借或私自配制，按时归还；遗失须立即告知物业服务中心。",
              "item-slip": "借出和归还时，物品状况均已与借用人当面查验。借用人须妥善使用、按时归还，损坏或遗失照价赔偿。"}


def sample(document: str, on) -> SlipData:
    """A slip of `document` as the desk makes them, for the designer's preview."""
    import datetime

    if document == "work-order":
        return sample_work_order(on)
    at = datetime.datetime.combine(on, datetime.time(9, 30))
    due = f"{at + datetime.timedelta(hours=4):%Y-%m-%d %H:%M}"
    if document == "key-slip":
        values = {"key": "K-0315  3-2-1201 入户门", "borrower": "李师傅（施工方）", "phone": "139****2468",
                  "lent_at": f"{at:%Y-%m-%d %H:%M}", "due_at": due, "id_number": "3301**********1234",
                  "consent": "委托书已收；电话确认 " + f"{at:%Y-%m-%d %H:%M}", "approved_by": "王主管",
                  "purpose": "厨房水管维修", "clerk": "赵敏"}
        title, number = "钥匙借用登记单", "K000012"
    else:
        values = {"item": "W-007  人字梯（2 m）", "borrower": "张三（3-2-1201）", "phone": "138****5678",
                  "lent_at": f"{at:%Y-%m-%d %H:%M}", "due_at": due, "condition_out": "完好", "clerk": "赵敏"}
        title, number = "物品借用单", "W000003"
    return SlipData(title, number, rows_of(document, values), LOAN_TERMS[document], list(LOAN_SIGNATURES),
                    signed={"经办人": values["clerk"]}, document=document, values=values)
