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
import io
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from models import money
from printing import fonts
from printing.furniture import Fitted, Letterhead, draw_fitted, draw_letterhead, extent, fit
from printing.paper import PAPERS, Offsets

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


def render(data: ReceiptData, letterhead: Letterhead, *, paper: str = "CONT_THIRD",
           carbonless: bool = False, offsets: Offsets = Offsets(), texts: ReceiptTexts = ReceiptTexts()) -> bytes:
    """The receipt as PDF bytes: each copy (存根/收据/记账 on plain paper; one on carbonless
    stock) on as many forms as its lines need, numbered 第n页/共m页, "续下页" at the foot of
    all but the last, which carries the total. On pre-numbered stock each form shows its
    own number, and the forms after a receipt's first say which receipt they continue."""
    form = PAPERS[paper]
    per_form = lines_per_form(paper)
    chunks = [data.lines[i:i + per_form] for i in range(0, len(data.lines), per_form)] or [[]]
    font = fonts.register()
    width, height = form.size()
    out = io.BytesIO()
    c = Canvas(out, pagesize=(width, height), pageCompression=1)
    c.setTitle(f"收据 {data.number}")
    copies = [None] if carbonless else list(COPIES)
    numbers = data.form_numbers
    every_page = len(copies) > 1 and len(numbers) >= len(chunks) * len(copies)
    page = 0
    for copy in copies:
        for n, lines in enumerate(chunks, start=1):
            if every_page:  # a numbered form for each copy's each form, in printing order
                number = numbers[page]
            elif numbers:  # form n of every copy carries the n-th number
                number = numbers[min(n, len(numbers)) - 1]
            else:
                number = data.number
            c.saveState()
            offsets.apply(c)
            _page(c, data, letterhead, copy, width, height, font, texts, lines,
                  (n, len(chunks)) if len(chunks) > 1 else None, number, per_form)
            c.restoreState()
            c.showPage()
            page += 1
    c.save()
    return out.getvalue()


def _one_line(c: Canvas, text: str, font: str, size: float, width: float) -> Fitted:
    return fit(text, font, size, width, min_size=min(size, 6))


def _page(c: Canvas, d: ReceiptData, head: Letterhead, copy: str | None, width: float, height: float,
          font: str, texts: ReceiptTexts, lines: list[ReceiptLine], sheet: tuple[int, int] | None,
          number: str, per_form: int) -> None:
    left, right = MARGIN * mm, width - MARGIN * mm
    span = right - left
    gap = 3 * mm
    top = draw_letterhead(c, head, width, height - TOP * mm, left, size=HEAD_SIZE)
    ascent, descent = extent(font)

    # the title line: the title in the middle, the number on the right, a reprint's box left
    # of the title
    no = _one_line(c, f"No. {number}", font, 10, span * 0.35)
    no_w = c.stringWidth(no.lines[0], font, no.size)
    reprint = f"补打(第{d.reprints}次)" if d.reprints else ""
    box_pad = 1.2 * mm
    mark = _one_line(c, reprint, font, 12, span * 0.3) if reprint else None
    mark_w = c.stringWidth(mark.lines[0], font, mark.size) + 2 * box_pad if mark else 0
    side = max(no_w, mark_w) + gap
    title = fit(texts.title, font, 16, span - 2 * side, min_size=9)
    title_w = c.stringWidth(title.lines[0], font, title.size)
    baseline = top - TITLE * mm
    c.setFont(font, title.size)
    c.drawCentredString(width / 2, baseline, title.lines[0])
    c.setFont(font, no.size)
    c.drawRightString(right, baseline, no.lines[0])
    if mark:
        # bold by stroking the letters too, in a box: seen at a glance on any printer
        x1 = width / 2 - title_w / 2 - gap
        x0 = max(left + (12 * mm if head.logo_path else 0), x1 - mark_w)
        mark = _one_line(c, reprint, font, mark.size, x1 - x0 - 2 * box_pad)
        c.saveState()
        c.setLineWidth(1.2)
        c.rect(x0, baseline + descent * mark.size - box_pad, x1 - x0,
               mark.size * (ascent - descent) + 2 * box_pad, stroke=1, fill=0)
        text = c.beginText(x0 + box_pad, baseline)
        text.setFont(font, mark.size)
        text.setTextRenderMode(2)
        c.setLineWidth(0.35)
        text.textOut(mark.lines[0])
        c.drawText(text)
        c.restoreState()

    # the date, which form of how many (and which receipt it continues), the copy
    meta = top - META * mm
    sheet_words = []
    if sheet:
        sheet_words.append(f"第{sheet[0]}页/共{sheet[1]}页")
    if number != d.number:
        # a later form of the same copy continues the receipt; a later copy's first form
        # (three copies on numbered stock) is the receipt's copy on a form of its own
        sheet_words.append(f"续 No. {d.number}" if sheet and sheet[0] > 1 else f"收据 No. {d.number}")
    _three(c, font, 9, meta, left, right, f"日期 {d.date.isoformat()}", "  ".join(sheet_words), copy or "")

    # the house, the payer and how they paid
    band_top, band_bottom = top - BAND[0] * mm, top - BAND[1] * mm
    house = _one_line(c, f"房号 {d.house}", font, 9, span * 0.3)
    method = _one_line(c, f"付款方式 {d.method}", font, 9, span * 0.25)
    house_w = c.stringWidth(house.lines[0], font, house.size)
    method_w = c.stringWidth(method.lines[0], font, method.size)
    draw_fitted(c, house, font, left, left + house_w, band_top, band_bottom)
    draw_fitted(c, method, font, right - method_w, right, band_top, band_bottom, "right")
    x0 = max(left + span * 0.3, left + house_w + gap)
    x1 = right - method_w - gap
    payer = fit(f"交款人 {d.payer}", font, 9, x1 - x0, band_top - band_bottom, min_size=6, max_lines=2)
    draw_fitted(c, payer, font, x0, x1, band_top, band_bottom)

    # the table: a head row, one row for each line, the total row
    small = 9 if span > 170 * mm else 7.5  # A5 and narrower: a smaller table font
    cols = [left + span * f for f in COLUMNS] + [right]
    pad = 1 * mm
    row = ROW * mm
    y = top - TABLE * mm
    table_top = y
    c.setLineWidth(0.6)
    c.line(left, y, right, y)
    _row(c, font, small, cols, pad, y, row, HEADS)
    y -= row
    c.line(left, y, right, y)
    rows = len(lines)
    if d.void:
        rows = max(rows, min(VOID_ROWS, per_form))
    for i in range(rows):
        if i < len(lines):
            line = lines[i]
            _row(c, font, small, cols, pad, y, row, (line.item, line.period, line.quantity, line.unit_price,
                                                     money.fmt(line.amount_fen, grouping=True)))
        y -= row
        c.setLineWidth(0.3)
        c.line(left, y, right, y)
    body_bottom = y
    if sheet and sheet[0] < sheet[1]:
        # the total only once, on the last form of the copy
        words = "本页小计，续下页"
        amount = money.fmt(sum(line.amount_fen for line in lines), grouping=True)
    else:
        words = "合计(大写) " + money.capital(d.total_fen, prefix="人民币")
        amount = "¥" + money.fmt(d.total_fen, grouping=True)
    figures = _one_line(c, amount, font, 10, span * 0.4)
    figures_w = c.stringWidth(figures.lines[0], font, figures.size)
    draw_fitted(c, figures, font, right - pad - figures_w, right - pad, y, y - row, "right")
    capital = fit(words, font, 10, span - 2 * pad - figures_w - gap, row - 0.4 * mm, min_size=6, max_lines=2)
    draw_fitted(c, capital, font, left + pad, right - pad - figures_w - gap, y, y - row)
    y -= row
    c.setLineWidth(0.6)
    c.line(left, y, right, y)

    # the foot: who signs, a note (the cash handed over, the change) beside it or under it,
    # and the office's footer
    signatures = texts.signatures.format(cashier=d.cashier)
    sign = fit(signatures, font, 9, span, 5 * mm, min_size=6, max_lines=2)
    sign_w = max(c.stringWidth(text, font, sign.size) for text in sign.lines)
    note = _one_line(c, d.note, font, 9, span) if d.note else None
    beside = note is not None and len(sign.lines) == 1 and sign_w + gap + c.stringWidth(
        note.lines[0], font, note.size) <= span and note.size >= 7.5
    draw_fitted(c, sign, font, left, right, y - 1.5 * mm, y - 6.5 * mm)
    below = y - 6.5 * mm
    if note is not None:
        if beside:
            draw_fitted(c, note, font, left, right, y - 1.5 * mm, y - 6.5 * mm, "right")
        else:
            note = fit(d.note, font, 9, span, 3.5 * mm, min_size=6)
            draw_fitted(c, note, font, left, right, below, below - 3.5 * mm)
            below -= 4 * mm
    if texts.footer:
        footer = fit(texts.footer, font, 7, span, 3.2 * mm, min_size=5)
        draw_fitted(c, footer, font, left, right, below, below - 3.2 * mm, "centre")
    if d.void:
        _void_stamp(c, d, font, cols[1] + pad, cols[4] - pad, table_top - row, body_bottom)


def _row(c: Canvas, font: str, size: float, cols: list[float], pad: float, top: float, row: float,
         cells) -> None:
    """One table row: each cell set into its column, the amount on the right."""
    for i, text in enumerate(cells):
        if not text:
            continue
        x0, x1 = cols[i] + pad, cols[i + 1] - pad
        f = fit(text, font, size, x1 - x0, row - 0.4 * mm, min_size=5.5, max_lines=2)
        draw_fitted(c, f, font, x0, x1, top, top - row, "right" if i == len(cells) - 1 else "left")


def _three(c: Canvas, font: str, size: float, baseline: float, left: float, right: float,
           first: str, middle: str, last: str) -> None:
    """A line of three: one on the left, one centred (or between the two when it cannot
    be centred), one on the right; each smaller when there is no room."""
    span, gap = right - left, 3 * mm
    a = _one_line(c, first, font, size, span * 0.35) if first else None
    z = _one_line(c, last, font, size, span * 0.35) if last else None
    aw = c.stringWidth(a.lines[0], font, a.size) if a else 0
    zw = c.stringWidth(z.lines[0], font, z.size) if z else 0
    if a:
        c.setFont(font, a.size)
        c.drawString(left, baseline, a.lines[0])
    if z:
        c.setFont(font, z.size)
        c.drawRightString(right, baseline, z.lines[0])
    if middle:
        centre = (left + right) / 2
        room = 2 * (min(centre - left - aw, right - zw - centre) - gap)
        m = _one_line(c, middle, font, size, max(room, 0))
        if m.size >= size * 0.8 and c.stringWidth(m.lines[0], font, m.size) <= room:
            c.setFont(font, m.size)
            c.drawCentredString(centre, baseline, m.lines[0])
        else:
            x0, x1 = left + aw + gap, right - zw - gap
            m = _one_line(c, middle, font, size, x1 - x0)
            c.setFont(font, m.size)
            c.drawCentredString((x0 + x1) / 2, baseline, m.lines[0])


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
