"""缴款通知 and 催缴通知书 — a house's payment notice and dunning notice on A4: letterhead,
title, the house and owner, the office's wording filled in, the open charges by month and
item with the late fee to the day, the total in figures and in capitals, the office's
name and date. Drawn straight on the canvas so a batch for the whole estate is quick."""
from __future__ import annotations

import io
from typing import Callable, Sequence

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from models import money
from printing import fonts
from printing.furniture import Letterhead, draw_letterhead, wrap
from printing.paper import PAPERS, Offsets

SIDE, TOP, BOTTOM = 22 * mm, 32 * mm, 22 * mm
TITLE_SIZE, TEXT_SIZE, LEADING = 24, 12.5, 21
ROW = 7 * mm
COLUMNS = (("月份", 0.18), ("项目", 0.34), ("欠费（元）", 0.16), ("违约金（元）", 0.16), ("小计（元）", 0.16))


def _draw(c: Canvas, n, letterhead: Letterhead, size, offsets: Offsets, font: str) -> None:
    width, height = size
    usable = width - 2 * SIDE
    page = [0]

    def start_page() -> float:
        page[0] += 1
        c.saveState()
        offsets.apply(c)
        draw_letterhead(c, letterhead, width, height - 12 * mm, left=SIDE, size=11)
        y = height - TOP
        if page[0] > 1:
            c.setFont(font, 10)
            c.drawRightString(width - SIDE, y + 8 * mm, f"{n.house} 续第{page[0]}页")
        return y

    def need(y: float, step: float) -> float:
        if y - step >= BOTTOM:
            return y
        c.restoreState()
        c.showPage()
        return start_page()

    y = start_page()
    c.setFont(font, TITLE_SIZE)
    c.drawCentredString(width / 2, y - TITLE_SIZE, n.title)
    y -= TITLE_SIZE + 12 * mm
    c.setFont(font, TEXT_SIZE)
    c.drawString(SIDE, y, n.greeting)
    y -= LEADING
    for i, line in enumerate(wrap(n.body, font, TEXT_SIZE, usable, first_indent=2 * TEXT_SIZE)):
        y = need(y, LEADING)
        indent = 2 * TEXT_SIZE if i == 0 else 0
        c.setFont(font, TEXT_SIZE)
        c.drawString(SIDE + indent, y, line)
        y -= LEADING
    y -= 3 * mm

    xs = [SIDE]
    for _title, share in COLUMNS:
        xs.append(xs[-1] + usable * share)

    def row(cells, y, bold=False):
        c.setFont(font, 10.5)
        c.line(SIDE, y - 2 * mm, width - SIDE, y - 2 * mm)
        for i, text in enumerate(cells):
            if i >= 2:
                c.drawRightString(xs[i + 1] - 2 * mm, y, text)
            else:
                c.drawString(xs[i] + 2 * mm, y, text)

    def header(y):
        c.setLineWidth(0.6)
        c.line(SIDE, y + ROW - 2 * mm, width - SIDE, y + ROW - 2 * mm)
        row([t for t, _s in COLUMNS], y)
        return y - ROW

    y = header(need(y, 2 * ROW))
    for line in n.lines:
        if y - ROW < BOTTOM:
            y = header(need(y, 3 * ROW))
        row([line.period, line.item, money.fmt(line.principal, grouping=True), money.fmt(line.late_fee, grouping=True),
             money.fmt(line.principal + line.late_fee, grouping=True)], y)
        y -= ROW
    y = need(y, 3 * ROW)
    row(["合计", "", money.fmt(n.principal, grouping=True), money.fmt(n.late_fee, grouping=True),
         money.fmt(n.total, grouping=True)], y)
    y -= ROW + 2 * mm
    c.setFont(font, TEXT_SIZE)
    c.drawString(SIDE, y, "合计金额（大写）：" + money.capital(n.total, prefix="人民币"))
    y -= LEADING
    c.setFont(font, 9.5)
    c.drawString(SIDE, y, f"违约金计至{n.date.year}年{n.date.month}月{n.date.day}日，实际以缴费当日计算为准。")
    y = need(y, 40 * mm) - 22 * mm
    c.setFont(font, TEXT_SIZE)
    c.drawRightString(width - SIDE, y, n.signature + "（盖章）")
    y -= LEADING
    c.drawRightString(width - SIDE, y, f"{n.date.year}年{n.date.month}月{n.date.day}日")
    c.restoreState()
    c.showPage()


def render_many(items: Sequence, letterhead: Letterhead, *, paper: str = "A4", offsets: Offsets = Offsets(),
                tick: Callable[[], None] | None = None) -> bytes:
    """Each house's notice (models.dunning.NoticeData) on its own page(s)."""
    font = fonts.register()
    size = PAPERS[paper].size()
    out = io.BytesIO()
    c = Canvas(out, pagesize=size, pageCompression=1)
    c.setTitle(items[0].title.replace(" ", "") if items else "")
    for n in items:
        _draw(c, n, letterhead, size, offsets, font)
        if tick is not None:
            tick()
    c.save()
    return out.getvalue()


def render(notice, letterhead: Letterhead, *, paper: str = "A4", offsets: Offsets = Offsets()) -> bytes:
    return render_many([notice], letterhead, paper=paper, offsets=offsets)


# — on the office's own form (models.templates "notice" / "dunning") —

def notice_forms(n, t) -> list:
    """The forms one house's notice prints on: its charge lines `t.table.rows` a form, the
    totals on the last (earlier forms say they continue)."""
    from printing.template import Form

    per_form = t.table.rows if t.table is not None else max(1, len(n.lines))
    chunks = [n.lines[i:i + per_form] for i in range(0, len(n.lines), per_form)] or [()]
    day = f"{n.date.year}年{n.date.month}月{n.date.day}日"
    out = []
    for k, lines in enumerate(chunks, start=1):
        last = k == len(chunks)
        values = {"house": n.house, "owner": n.owner, "greeting": n.greeting, "body": n.body, "title": n.title,
                  "principal": money.fmt(n.principal, grouping=True) if last else "",
                  "late_fee": money.fmt(n.late_fee, grouping=True) if last else "",
                  "total": money.fmt(n.total, grouping=True) if last else "续下页",
                  "total_words": money.capital(n.total, prefix="人民币") if last else "",
                  "as_of": day, "signature": n.signature, "date": day,
                  "sheet": f"第{k}页/共{len(chunks)}页" if len(chunks) > 1 else ""}
        rows = [{"period": line.period, "item": line.item, "principal": money.fmt(line.principal, grouping=True),
                 "late_fee": money.fmt(line.late_fee, grouping=True),
                 "subtotal": money.fmt(line.principal + line.late_fee, grouping=True)} for line in lines]
        out.append(Form(values, rows))
    return out


def check(items: Sequence, t) -> None:
    """Unfit (or Overprint) for the first notice the form cannot hold, before any is made."""
    from printing.template import Layout

    layout = Layout(t)
    for n in items:
        for f in notice_forms(n, t):
            layout.place(f)


def render_forms(items: Sequence, letterhead: Letterhead, t, *, plain: bool = True, offsets: Offsets = Offsets(),
                 grid: bool = False, tick: Callable[[], None] | None = None) -> bytes:
    """Each house's notice on the office's form `t` (a form each, more when its lines need
    them); `plain` False: the values alone, for pre-printed stock (套打). Every form is
    placed before anything is drawn: Unfit or Overprint for a value that cannot print."""
    from printing.template import Layout

    layout = Layout(t, plain=plain, letterhead=letterhead)
    per_house = [notice_forms(n, t) for n in items]
    return layout.pdf([f for forms in per_house for f in forms], title=items[0].title.replace(" ", "") if items else "",
                      offsets=offsets, grid=grid, tick=tick, tick_every=[len(forms) for forms in per_house])


def default_template(kind: str = "notice", paper: str = "A4"):
    """Where an office's own form for its notices starts: the built-in notice's parts at
    fixed places on `paper` (the wording in a box of its own, the charge lines in a table
    of fixed rows), to fit to the office's stock in the designer."""
    from models import templates

    form = PAPERS[paper]
    width, height = form.width_mm, form.height_mm
    side = SIDE / mm
    span = width - 2 * side
    size = min(TEXT_SIZE, 10.5 if height < 200 else TEXT_SIZE)
    y = 12.0
    items = [templates.Item("letterhead", side, y, span, 8, size=11)]
    y = TOP / mm if height >= 200 else 22.0
    items.append(templates.Item("text", side, y, span, 10, text="{title}", size=TITLE_SIZE if height >= 200 else 16,
                                min_size=12, align="centre"))
    items.append(templates.Item("field", width - side - 60, y + 11, 60, 5, name="sheet", size=9, align="right"))
    y += 16
    items.append(templates.Item("field", side, y, span, 7, name="greeting", size=size, min_size=8))
    y += 8
    body_lines = 5 if height >= 200 else 3
    body_h = body_lines * size * 1.6 * 25.4 / 72
    items.append(templates.Item("field", side, y, span, body_h, name="body", size=size, min_size=8,
                                lines=body_lines))
    y += body_h + 3
    row = ROW / mm
    rows = max(3, min(12, int((height - y - 75) // row))) if height >= 200 else max(3, int((height - y - 40) // row))
    xs = [side]
    for _title, share in COLUMNS:
        xs.append(xs[-1] + span * share)
    names = list(templates.DOCUMENTS[kind].columns)
    columns = tuple(templates.Column(name, xs[i], xs[i + 1] - xs[i], COLUMNS[i][0], size=10.5, min_size=7,
                                     align="right" if i >= 2 else "left") for i, name in enumerate(names))
    items_table = templates.Table(side, y, span, row, rows, columns, head=row)
    y += row * (rows + 1) + 1
    third = span / 5
    items += [templates.Item("text", side, y, third * 2, row, text="合计", size=10.5),
              templates.Item("field", side + third * 2, y, third - 2, row, name="principal", size=10.5, min_size=7,
                             align="right"),
              templates.Item("field", side + third * 3, y, third - 2, row, name="late_fee", size=10.5, min_size=7,
                             align="right"),
              templates.Item("field", side + third * 4, y, third - 2, row, name="total", size=10.5, min_size=7,
                             align="right"),
              templates.Item("line", side, y + row, span, 0, weight=0.6)]
    y += row + 2
    items += [templates.Item("field", side, y, span, 7, name="total_words", label="合计金额（大写）：", size=size,
                             min_size=8),
              templates.Item("text", side, y + 8, span, 5, text="违约金计至{as_of}，实际以缴费当日计算为准。", size=9.5,
                             min_size=7)]
    y = min(height - 22, y + 24)
    items += [templates.Item("field", width - side - 100, y, 100, 7, name="signature", size=size, min_size=8,
                             align="right"),
              templates.Item("field", width - side - 60, y + 8, 60, 7, name="date", size=size, min_size=8,
                             align="right")]
    return templates.Template(kind, "", width, height, continuous=paper.startswith("CONT"), items=tuple(items),
                              table=items_table)


def sample(kind: str, on):
    """A house's notice as the estate sends them, for the designer's preview."""
    from models.dunning import NoticeData, NoticeLine

    index = on.year * 12 + on.month - 1
    months = [f"{(index - k) // 12}-{(index - k) % 12 + 1:02d}" for k in (3, 2, 1)]
    lines = tuple(NoticeLine(m, item, fen, late) for m in months
                  for item, fen, late in (("物业服务费", 32_640, 1_958 if kind == "dunning" else 0),
                                          ("公摊水电费", 1_850, 0)))
    principal = sum(line.principal for line in lines)
    late = sum(line.late_fee for line in lines)
    title = "缴 费 通 知 单" if kind == "notice" else "催 缴 通 知 书"
    body = ("截至本通知日，贵户尚有以下费用未缴，请于收到本通知之日起七日内到物业服务中心缴纳。"
            if kind == "notice" else "贵户已拖欠物业服务费三个月，经多次提醒仍未缴纳。请于收到本通知之日起七日内缴清，"
                                      "逾期将按《物业服务合同》约定加收违约金。")
    return NoticeData(kind, 0, "3-2-1201", "张三", title, "尊敬的 3-2-1201 业主 张三：", body, lines, principal, late,
                      3, on, "翠湖花园物业服务中心")
