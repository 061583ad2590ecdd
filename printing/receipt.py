"""收据 — the receipt: number, date, house, payer, the lines paid (item, period, quantity,
unit price, amount), the total in figures and in capitals (人民币…), the payment method and
the cashier; a 作废 stamp with the void's date and reason on the body of a voided receipt,
a boxed 补打 on a reprint. 一式三联: three copies on plain paper (存根 stub, 收据 for the
payer, 记账 for the books), or one pass on carbonless stock.

The same layout on every paper (A4, A5, the 241 mm continuous forms): a fixed header and
foot, and between them rows of one charge line each, as many as the paper's height holds
(`lines_per_form`); a receipt with more lines goes on further forms. Every field is set
into its own room, smaller or on two lines when long, never into its neighbour's.

It renders from plain data; the money issue feeds it real payments."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from models import money, templates
from printing import fonts
from printing.furniture import Letterhead, draw_fitted, extent, fit
from printing.paper import PAPERS, Offsets
from printing.template import Form, Layout

COPIES = ("第一联 存根", "第二联 收据", "第三联 记账")


@dataclass(frozen=True)
class ReceiptLine:
    item: str  # 物业服务费
    amount_fen: int
    period: str = ""  # 2026-10
    quantity: str = ""  # 89.50 m² × 1 月
    unit_price: str = ""  # 2.5000 元/m²/月 — already written as the fee item words it


@dataclass(frozen=True)
class ReceiptData:
    number: str
    date: datetime.date
    house: str
    payer: str
    lines: list[ReceiptLine]
    method: str = "现金"
    cashier: str = ""
    void: bool = False
    reprints: int = 0  # 补打: how many times this receipt has been printed again
    note: str = ""
    # pre-numbered stock: the printed number of each form the receipt goes on, in the order
    # it prints (form k of a copy, or every page when there is a number for each); empty
    # when the forms carry no numbers of their own
    form_numbers: tuple[str, ...] = ()
    void_date: datetime.date | None = None
    void_reason: str = ""

    @property
    def total_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)


@dataclass(frozen=True)
class ReceiptTexts:
    """The words an office chooses (office settings receipt_*); the layout stays here."""
    title: str = "收  据"
    signatures: str = "收款人：{cashier}　　　　交款人签字：　　　　　　复核："
    footer: str = ""

    @classmethod
    def from_settings(cls, values: dict) -> "ReceiptTexts":
        """From models.settings.all_values()."""
        return cls(values["receipt_title"], values["receipt_signatures"], values["receipt_footer"])


# The layout, in mm from the top of the form: the letterhead, then from its foot the title
# line, the date/copy line and the house/payer band; the table's head row, one row per
# line, the total row; below it the signatures, a note and the office's footer.
MARGIN = 12  # left and right
TOP = 6
HEAD_SIZE = 11
TITLE, META, BAND, TABLE = 5, 10, (11.5, 17.5), 18  # from the letterhead's foot
ROW = 6
FOOT = 14  # signatures, note, footer
BOTTOM = 6  # clear at the foot of the form
_LETTERHEAD = TOP + HEAD_SIZE / mm + 3  # where draw_letterhead leaves off
COLUMNS = (0, 0.34, 0.48, 0.66, 0.84)  # where the columns start, as shares of the width
HEADS = ("收费项目", "所属期间", "数量", "单价", "金额(元)")
VOID_ROWS = 3  # a voided receipt's body is at least this many rows tall, for its stamp


def lines_per_form(paper_key: str) -> int:
    """How many charge lines one form of this paper holds: render() puts that many on each
    form. A line always takes one row (a long item name is set smaller, or on two lines
    within its row), so this is exact."""
    height = PAPERS[paper_key].height_mm
    fixed = _LETTERHEAD + TABLE + ROW + ROW + FOOT + BOTTOM  # head row and total row
    return max(1, int((height - fixed + 1e-6) // ROW))


def default_template(paper: str = "CONT_THIRD", texts: ReceiptTexts = ReceiptTexts(),
                     letterhead: Letterhead | None = None) -> templates.Template:
    """The built-in receipt on `paper` as a template: what the program prints until the
    office gives it one of its own, and where an office's own starts from. On plain paper
    the foot follows the last line (the table flows)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    font = fonts.register()
    ascent, descent = extent(font)
    form = PAPERS[paper]
    width = form.width_mm
    left, right = MARGIN, width - MARGIN
    span = right - left
    gap = 3
    pt = 1 / mm  # a point, in mm
    top = _LETTERHEAD

    def on_baseline(kind, x, w, baseline, size, **more):
        """An item whose one line of `size` type sits on `baseline` (mm from the top)."""
        more.setdefault("min_size", min(size, 6))
        return templates.Item(kind, x, baseline - ascent * size * pt, w, (ascent - descent) * size * pt, size=size,
                              floor=4.0, valign="baseline", **more)

    # the title between the receipt's number on the right and the reprint mark on its left
    number_w = stringWidth("No. 2026-000000", font, 10) * pt
    title_room = span - 2 * (number_w + gap)
    title = fit(texts.title, font, 16, title_room * mm, min_size=9)
    title_w = stringWidth(title.lines[0], font, title.size) * pt
    mark_left = left + (12 if letterhead is not None and letterhead.logo_path else 0)
    baseline, meta = top + TITLE, top + META
    # the date on the left, the copy on the right, which form of how many centred between
    date_w = min(span * 0.35, stringWidth("日期 2026-12-31", font, 9) * pt + 1)
    copy_w = min(span * 0.35, max(stringWidth(copy, font, 9) for copy in COPIES) * pt + 1)
    sheet_w = 2 * (min(width / 2 - left - date_w, right - copy_w - width / 2) - gap)
    band, band_h = top + BAND[0], BAND[1] - BAND[0]
    items = [
        templates.Item("letterhead", left, TOP, span, HEAD_SIZE * pt + 3, size=HEAD_SIZE),
        on_baseline("text", width / 2 - title_room / 2, title_room, baseline, 16, text="{title}", align="centre",
                    min_size=9),
        on_baseline("field", right - span * 0.35, span * 0.35, baseline, 10, name="number", label="No. ",
                    align="right"),
        on_baseline("field", mark_left, max(1.0, width / 2 - title_w / 2 - gap - mark_left), baseline, 12,
                    name="reprint", align="right", frame=True),
        on_baseline("field", left, date_w, meta, 9, name="date", label="日期 "),
        on_baseline("field", width / 2 - sheet_w / 2, sheet_w, meta, 9, name="sheet", align="centre"),
        on_baseline("field", right - copy_w, copy_w, meta, 9, name="copy", align="right"),
        templates.Item("field", left, band, span * 0.3, band_h, name="house", label="房号 ", floor=4.0),
        templates.Item("field", left + span * 0.3, band, span * 0.45 - gap, band_h, name="payer", label="交款人 ",
                       lines=2, floor=4.0),
        templates.Item("field", right - span * 0.25, band, span * 0.25, band_h, name="method", label="付款方式 ",
                       align="right", floor=4.0),
    ]
    small = 9 if span > 170 else 7.5  # A5 and narrower: a smaller table font
    xs = [left + span * f for f in COLUMNS] + [right]
    columns = tuple(templates.Column(name, xs[i], xs[i + 1] - xs[i], HEADS[i], size=small, min_size=5.5, lines=2,
                                     floor=4.0, align="right" if name == "amount" else "left")
                    for i, name in enumerate(templates.DOCUMENTS["receipt"].columns))
    table = templates.Table(left, top + TABLE, span, ROW, lines_per_form(paper), columns, head=ROW, flow=True)
    foot = table.bottom  # the total row, then the signatures with the note beside, the footer
    figures_w = span * 0.25
    note_x = min(right - 20, left + stringWidth(texts.signatures.format(cashier="某某某某"), font, 9) * pt + gap)
    items += [
        templates.Item("field", right - 1 - figures_w, foot, figures_w, ROW, name="total", size=10, floor=4.0,
                       align="right"),
        templates.Item("field", left + 1, foot, span - 2 - figures_w - gap, ROW, name="total_words", size=10,
                       lines=2, floor=4.0),
        templates.Item("line", left, foot + ROW, span, 0, weight=0.6),
        templates.Item("text", left, foot + ROW + 1.5, span, 5, text="{signatures}", lines=2, floor=4.0),
        templates.Item("field", note_x, foot + ROW + 1.5, right - note_x, 5, name="note", align="right", lines=2,
                       floor=4.0),
        templates.Item("text", left, foot + ROW + 6.5, span, 3.2, text="{footer}", size=7, min_size=5, floor=4.0,
                       align="centre"),
    ]
    return templates.Template("receipt", "", form.width_mm, form.height_mm, continuous=paper.startswith("CONT"),
                              items=tuple(items), table=table)


def sample(on: datetime.date, cashier: str = "李娜") -> ReceiptData:
    """A receipt as the counter makes them, for the form designer's preview and test print:
    3-2-1201's three lines of a month, paid in cash."""
    period = f"{on.year}-{on.month:02d}"
    lines = [ReceiptLine("物业服务费", 22308, period, "89.50 m² × 1 月", "2.5000 元/m²/月"),
             ReceiptLine("生活垃圾费", 1000, period, "1 户 × 1 月", "10.0000 元/户/月"),
             ReceiptLine("水费", 5580, period, "18 吨", "3.1000 元/吨")]
    return ReceiptData("2026-000644", on, "3-2-1201", "张三", lines, cashier=cashier,
                       note="实收 300.00 找零 11.12")


def render(data: ReceiptData, letterhead: Letterhead, *, paper: str = "CONT_THIRD",
           carbonless: bool = False, offsets: Offsets = Offsets(), texts: ReceiptTexts = ReceiptTexts(),
           template: templates.Template | None = None, plain: bool = True, grid: bool = False) -> bytes:
    """The receipt as PDF bytes: each copy (存根/收据/记账 on plain paper; one on carbonless
    stock) on as many forms as its lines need, numbered 第n页/共m页, "续下页" at the foot of
    all but the last, which carries the total. On pre-numbered stock each form shows its
    own number, and the forms after a receipt's first say which receipt they continue.
    `template`: the office's for its stock (else the built-in layout on `paper`); `plain`
    False prints the values alone (套打); `grid`: the test print, over a millimetre grid with
    every box outlined. Unfit, before anything is made, for a value the template's box
    cannot hold."""
    t = template or default_template(paper, texts, letterhead)
    forms = receipt_forms(data, t, carbonless=carbonless, texts=texts, plain=plain)
    layout = Layout(t, plain=plain, letterhead=letterhead)
    stamp = (lambda c, f: _void_stamp(c, data, layout.font, *_stamp_room(layout, f))) if data.void else None
    return layout.pdf(forms, title=f"收据 {data.number}", offsets=offsets, grid=grid, after=stamp)


def check(data: ReceiptData, template: templates.Template, *, carbonless: bool = False,
          texts: ReceiptTexts = ReceiptTexts(), plain: bool = True) -> None:
    """Unfit when the receipt cannot print on `template`: asked before the payment is taken."""
    layout = Layout(template, plain=plain)
    for f in receipt_forms(data, template, carbonless=carbonless, texts=texts, plain=plain):
        layout.place(f)


def receipt_forms(d: ReceiptData, t: templates.Template, *, carbonless: bool = False,
                  texts: ReceiptTexts = ReceiptTexts(), plain: bool = True) -> list[Form]:
    """The forms the receipt prints on, in the order they print."""
    per_form = t.table.rows if t.table is not None else max(1, len(d.lines))
    chunks = [d.lines[i:i + per_form] for i in range(0, len(d.lines), per_form)] or [[]]
    copies = [None] if carbonless else list(COPIES)
    numbers = d.form_numbers
    every_page = len(copies) > 1 and len(numbers) >= len(chunks) * len(copies)
    out = []
    for copy in copies:
        for n, lines in enumerate(chunks, start=1):
            if every_page:  # a numbered form for each copy's each form, in printing order
                number = numbers[len(out)]
            elif numbers:  # form n of every copy carries the n-th number
                number = numbers[min(n, len(numbers)) - 1]
            else:
                number = d.number
            sheet = (n, len(chunks)) if len(chunks) > 1 else None
            sheet_words = [f"第{sheet[0]}页/共{sheet[1]}页"] if sheet else []
            if number != d.number:
                # a later form of the same copy continues the receipt; a later copy's first
                # form (three copies on numbered stock) is the receipt's copy on a form of its own
                sheet_words.append(f"续 No. {d.number}" if sheet and sheet[0] > 1 else f"收据 No. {d.number}")
            if sheet and sheet[0] < sheet[1]:  # the total only once, on the last form of the copy
                words = "本页小计，续下页"
                amount = money.fmt(sum(line.amount_fen for line in lines), grouping=True)
            else:
                words = ("合计(大写) " if plain else "") + money.capital(d.total_fen, prefix="人民币")
                # the stock has its own ¥ (and 合计) printed: data only, the figures alone
                amount = ("¥" if plain else "") + money.fmt(d.total_fen, grouping=True)
            values = {"number": number, "date": d.date.isoformat(), "house": d.house, "payer": d.payer,
                      "method": d.method, "cashier": d.cashier, "total": amount, "total_words": words,
                      "note": d.note, "copy": copy or "", "sheet": "  ".join(sheet_words),
                      "reprint": f"补打(第{d.reprints}次)" if d.reprints else "", "title": texts.title,
                      "signatures": texts.signatures.format(cashier=d.cashier), "footer": texts.footer}
            rows = [{"item": line.item, "period": line.period, "quantity": line.quantity,
                     "unit_price": line.unit_price, "amount": money.fmt(line.amount_fen, grouping=True)}
                    for line in lines]
            blank = max(0, min(VOID_ROWS, per_form) - len(rows)) if d.void else 0
            out.append(Form(values, rows, blank))
    return out


def _stamp_room(layout: Layout, f: Form) -> tuple[float, float, float, float]:
    """Where the 作废 stamp goes (points): over the table's middle columns, from below its
    heading to the last row used."""
    table = layout.t.table
    if table is None:
        middle = layout.height / 2
        return MARGIN * mm, layout.width - MARGIN * mm, middle + 10 * mm, middle - 10 * mm
    columns = {c.name: c for c in table.columns}
    first, last = columns.get("period", table.columns[0]), columns.get("amount", table.columns[-1])
    top = table.y + table.head
    return ((first.x + first.pad) * mm, (last.x - last.pad) * mm, layout.y(top),
            layout.y(top + max(1, layout.rows_shown(f)) * table.row))


def _void_stamp(c: Canvas, d: ReceiptData, font: str, x0: float, x1: float, top: float, bottom: float) -> None:
    """作废 on the body of the receipt, over the middle columns (the items and amounts stay
    readable beside it): a ruled box in solid black on white, with the void's date and
    reason. Solid, because printers render translucency as a faint grey."""
    pad = 1.2 * mm
    ascent, descent = extent(font)
    details = "  ".join(part for part in (d.void_date and f"作废日期 {d.void_date.isoformat()}",
                                           d.void_reason and f"原因：{d.void_reason}") if part)
    inner_w = x1 - x0 - 2 * pad
    inner_h = top - bottom - 2 * pad
    small = fit(details, font, 8, inner_w, inner_h * 0.45, min_size=5, max_lines=2) if details else None
    small_h = small.height(font) + 0.8 * mm if small else 0
    big_size = max(6.0, min(34.0, (inner_h - small_h) / (ascent - descent)))
    big = fit("作  废", font, big_size, inner_w, inner_h - small_h, min_size=5)
    big_w = c.stringWidth(big.lines[0], font, big.size)
    small_w = max((c.stringWidth(t, font, small.size) for t in small.lines), default=0) if small else 0
    box_w = max(big_w, small_w) + 2 * pad + 4 * mm
    box_w = min(box_w, x1 - x0)
    box_h = big.height(font) + small_h + 2 * pad
    cx, cy = (x0 + x1) / 2, (top + bottom) / 2
    bx, by = cx - box_w / 2, cy - box_h / 2
    c.saveState()
    c.setFillGray(1)
    c.setStrokeGray(0)
    c.setLineWidth(1.6)
    c.rect(bx, by, box_w, box_h, stroke=1, fill=1)
    c.setLineWidth(0.5)
    c.rect(bx + 0.8 * mm, by + 0.8 * mm, box_w - 1.6 * mm, box_h - 1.6 * mm, stroke=1, fill=0)
    c.setFillGray(0)
    text_top = by + box_h - pad
    draw_fitted(c, big, font, bx, bx + box_w, text_top, text_top - big.height(font), "centre")
    if small:
        draw_fitted(c, small, font, bx + pad, bx + box_w - pad, by + pad + small.height(font), by + pad, "centre")
    c.restoreState()
