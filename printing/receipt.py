"""收据 — the receipt: number, date, house, payer, the lines paid (item, period, quantity,
unit price, amount), the total in figures and in capitals (人民币…), the payment method and
the cashier; 作废 across a voided receipt, 补打 on a reprint. 一式三联: three copies on plain
paper (存根 stub, 收据 for the payer, 记账 for the books), or one pass on carbonless stock.

It renders from plain data; the money issue feeds it real payments."""
from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from reportlab.lib.colors import Color, black
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from models import money
from printing import fonts
from printing.furniture import Letterhead, draw_letterhead
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
    # pre-numbered stock: the printed number of each form, in the order the pages print
    # (the receipt's own first, then its continuation forms); empty when one form
    form_numbers: tuple[str, ...] = ()

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


def _lines_capacity(height_mm: float) -> int:
    # header 26 mm, table head 6 mm, total and signatures 22 mm, margins 8 mm; 6 mm a line
    return max(1, int((height_mm - 62) // 6))


def lines_per_form(paper: str) -> int:
    """How many charge lines one form of `paper` holds (render splits by this number)."""
    return _lines_capacity(PAPERS[paper].height_mm)


def render(data: ReceiptData, letterhead: Letterhead, *, paper: str = "CONT_THIRD",
           carbonless: bool = False, offsets: Offsets = Offsets(), texts: ReceiptTexts = ReceiptTexts()) -> bytes:
    """The receipt as PDF bytes: each copy (存根/收据/记账 on plain paper; one on carbonless
    stock) on as many forms as its lines need, numbered 第n页/共m页, "续下页" at the foot of
    all but the last, which carries the total."""
    form = PAPERS[paper]
    per_form = lines_per_form(paper)
    chunks = [data.lines[i:i + per_form] for i in range(0, len(data.lines), per_form)] or [[]]
    font = fonts.register()
    width, height = form.size()
    out = io.BytesIO()
    c = Canvas(out, pagesize=(width, height), pageCompression=1)
    c.setTitle(f"收据 {data.number}")
    printed = 0
    for copy in ([None] if carbonless else COPIES):
        for n, lines in enumerate(chunks, start=1):
            c.saveState()
            offsets.apply(c)
            form = data.form_numbers[printed] if printed < len(data.form_numbers) else data.number
            printed += 1
            _page(c, data, letterhead, copy, width, height, font, texts, lines,
                  (n, len(chunks)) if len(chunks) > 1 else None, form)
            c.restoreState()
            c.showPage()
    c.save()
    return out.getvalue()


def _page(c: Canvas, d: ReceiptData, head: Letterhead, copy: str | None, width: float, height: float,
          font: str, texts: ReceiptTexts, lines: list[ReceiptLine], sheet: tuple[int, int] | None,
          form: str = "") -> None:
    left, right = 12 * mm, width - 12 * mm
    y = draw_letterhead(c, head, width, height - 6 * mm, left, size=11)
    c.setFont(font, 16)
    c.drawCentredString(width / 2, y - 5 * mm, texts.title)
    c.setFont(font, 9)
    c.drawString(left, y - 5 * mm, f"日期 {d.date.isoformat()}")
    # on numbered stock each form shows its own number, and a continuation form the receipt's
    form = form or d.number
    c.drawRightString(right, y - 5 * mm, f"No. {form}" if form == d.number else f"No. {form}（续 No. {d.number}）")
    if copy:
        c.drawRightString(right, y - 9.5 * mm, copy)
    marks = [f"补打(第{d.reprints}次)"] if d.reprints else []
    if sheet:
        marks.append(f"第{sheet[0]}页/共{sheet[1]}页")
    if marks:
        c.drawCentredString(width / 2, y - 9.5 * mm, "  ".join(marks))
    y -= 14 * mm
    span = right - left
    c.drawString(left, y, f"房号 {d.house}")
    c.drawString(left + span * 0.3, y, f"交款人 {d.payer}")
    c.drawRightString(right, y, f"付款方式 {d.method}")
    y -= 3 * mm
    small = 9 if span > 170 * mm else 7.5  # A5 and narrower: a smaller table font
    c.setFont(font, small)

    # columns by proportion: the same layout on A5 and on a 241 mm form
    cols = [left + span * f for f in (0, 0.36, 0.52, 0.70)] + [right]
    heads = ["收费项目", "所属期间", "数量", "单价", "金额(元)"]
    row = 6 * mm
    c.setLineWidth(0.6)
    c.line(left, y, right, y)
    c.drawString(cols[0] + 1 * mm, y - 4.2 * mm, heads[0])
    for i in (1, 2, 3):
        c.drawString(cols[i] + 1 * mm, y - 4.2 * mm, heads[i])
    c.drawRightString(right - 1 * mm, y - 4.2 * mm, heads[4])
    y -= row
    c.line(left, y, right, y)
    for line in lines:
        c.drawString(cols[0] + 1 * mm, y - 4.2 * mm, line.item)
        c.drawString(cols[1] + 1 * mm, y - 4.2 * mm, line.period)
        c.drawString(cols[2] + 1 * mm, y - 4.2 * mm, line.quantity)
        c.drawString(cols[3] + 1 * mm, y - 4.2 * mm, line.unit_price)
        c.drawRightString(right - 1 * mm, y - 4.2 * mm, money.fmt(line.amount_fen, grouping=True))
        y -= row
        c.setLineWidth(0.3)
        c.line(left, y, right, y)
    c.setFont(font, 10)
    if sheet and sheet[0] < sheet[1]:
        # the total only once, on the last form of the copy
        subtotal = sum(line.amount_fen for line in lines)
        c.drawString(left + 1 * mm, y - 4.6 * mm, "本页小计，续下页")
        c.drawRightString(right - 1 * mm, y - 4.6 * mm, money.fmt(subtotal, grouping=True))
    else:
        c.drawString(left + 1 * mm, y - 4.6 * mm, "合计(大写) " + money.capital(d.total_fen, prefix="人民币"))
        c.drawRightString(right - 1 * mm, y - 4.6 * mm, "¥" + money.fmt(d.total_fen, grouping=True))
    y -= row
    c.setLineWidth(0.6)
    c.line(left, y, right, y)
    c.setFont(font, 9)
    c.drawString(left, y - 5 * mm, texts.signatures.format(cashier=d.cashier))
    if d.note:
        c.drawRightString(right, y - 5 * mm, d.note)
    if texts.footer:
        c.setFont(font, 7)
        c.drawCentredString(width / 2, y - 9 * mm, texts.footer)
    if d.void:
        c.saveState()
        c.setFillColor(Color(0.8, 0.1, 0.1, alpha=0.55))
        c.setFont(font, 44)
        c.translate(width / 2, height / 2)
        c.rotate(18)
        c.drawCentredString(0, -12, "作  废")
        c.restoreState()
        c.setFillColor(black)
