"""Excel out: any list on screen and the standard reports (arrears, the month's collection,
a cashier's day close) as .xlsx with proper types: numbers as numbers, money with two
decimals (written from fen exactly, never through a float), dates as dates; house numbers,
ID numbers and phones stay text so Excel keeps every digit.

A file is written under a temporary name and renamed when complete: an export cut off
never leaves a half-written workbook under the name the clerk chose. Every export is
audited with what it held (its kind, rows, period or filter, and file); an export whose
entry cannot be written is removed."""
from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable

from models import arrears, audit, cashier, clock, estate, users
from models.db import atomic
from models.errors import OfficeError, QT_TRANSLATE_NOOP

KINDS = ("text", "int", "money", "area", "date", "datetime", "percent")
FORMATS = {"money": "#,##0.00", "area": "0.00", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm",
           "percent": "0.0%", "int": "0"}


@dataclass(frozen=True)
class Col:
    header: str
    kind: str = "text"  # one of KINDS
    width: int = 0  # in characters; 0: from the header and the values


def value_of(kind: str, value) -> Any:
    """A cell's value for its kind: money and areas come as whole fen / hundredths."""
    if value is None or value == "":
        return None
    if kind in ("money", "area"):
        return Decimal(int(value)) / 100
    if kind == "int":
        return int(value)
    if kind == "percent":
        return float(value)
    if kind == "date" and isinstance(value, datetime.datetime):
        return value.date()
    return value


_MONEY = re.compile(r"^-?\d{1,3}(,\d{3})*\.\d{2}$|^-?\d+\.\d{2}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
_INT = re.compile(r"^-?[1-9]\d{0,8}$|^0$")


def typed(text: str) -> tuple[Any, str]:
    """What a list's cell shows, as a typed value: '1,234.50' money, '2026-11-23' a date,
    '42' a whole number. Digit strings that are codes (a leading 0, or 10 digits and more:
    phones, ID numbers) stay text."""
    t = (text or "").strip()
    if not t:
        return None, "text"
    if _MONEY.match(t):
        return Decimal(t.replace(",", "")), "money"
    if _DATE.match(t):
        try:
            return datetime.date.fromisoformat(t), "date"
        except ValueError:
            return t, "text"
    if _DATETIME.match(t):
        try:
            return datetime.datetime.strptime(t, "%Y-%m-%d %H:%M"), "datetime"
        except ValueError:
            return t, "text"
    if _INT.match(t):
        return int(t), "int"
    return t, "text"


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def write(path: str | os.PathLike, title: str, columns: list[Col], rows: Iterable[Iterable[Any]], *,
          subtitle: str = "", raw: bool = False) -> Path:
    """One sheet: a title line, an optional line under it, the header (frozen, filterable)
    and the rows. `raw`: the rows hold the values already (see `typed`); otherwise each is
    passed through `value_of` for its column's kind."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        target = target.with_suffix(".xlsx")
    wb = Workbook()
    ws = wb.active
    ws.title = re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "Sheet1"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    top = 2
    if subtitle:
        ws.append([subtitle])
        top = 3
    ws.append([c.header for c in columns])
    for cell in ws[top]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    widths = [max(_width(c.header), 6) for c in columns]
    n = top
    for row in rows:
        n += 1
        values = []
        for i, (col, value) in enumerate(zip(columns, row)):
            if raw:
                v, kind = value
            else:
                v, kind = value_of(col.kind, value), col.kind
            if isinstance(v, str):
                v = ILLEGAL_CHARACTERS_RE.sub("", v)  # control characters Excel cannot hold
            values.append(v)
            shown = f"{v:,.2f}" if kind in ("money", "area") and v is not None else str(v if v is not None else "")
            widths[i] = max(widths[i], min(_width(shown), 60))
        ws.append(values)
        for i, v in enumerate(values):
            if isinstance(v, str) and v.startswith("="):  # a note like "=== 重要 ===" is text, never a formula
                ws.cell(n, i + 1).data_type = "s"
        if raw:
            for i, (_v, kind) in enumerate(row):
                if kind in FORMATS:
                    ws.cell(n, i + 1).number_format = FORMATS[kind]
        else:
            for i, col in enumerate(columns):
                if col.kind in FORMATS:
                    ws.cell(n, i + 1).number_format = FORMATS[col.kind]
    for i, col in enumerate(columns):
        ws.column_dimensions[get_column_letter(i + 1)].width = (col.width or widths[i]) + 2
    ws.freeze_panes = ws.cell(top + 1, 1)
    if n > top:
        ws.auto_filter.ref = f"A{top}:{get_column_letter(len(columns))}{n}"
    partial = target.with_name(target.name + ".partial")
    try:
        wb.save(partial)
        os.replace(partial, target)
    except OSError as e:
        partial.unlink(missing_ok=True)
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "The workbook could not be written ({reason})"),
                          reason=e.strerror or str(e)) from None
    return target


class _Counted:
    """The rows, counted as the workbook takes them."""

    def __init__(self, rows: Iterable):
        self.rows, self.n = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.n += 1
            yield row


def _audited(user, kind: str, made: Path, rows: int, what: str, **filters) -> Path:
    """The export's audit entry (kind, rows, its period or filter, the file); without it,
    no export."""
    try:
        with atomic():
            audit.record(user, "export", "export", None, f"{what} → {made.name}",
                         {"kind": kind, "rows": rows, **filters, "file": str(made)})
    except BaseException:
        made.unlink(missing_ok=True)
        raise
    return made


def write_shown(path, title: str, headers: list[str], texts: Iterable[list[str]], subtitle: str = "", *,
                user) -> Path:
    """A list as it is on screen (its cells' texts), typed cell by cell; audited as `user`'s."""
    rows = _Counted(texts)
    made = write(path, title, [Col(h) for h in headers], ([typed(t) for t in row] for row in rows),
                 subtitle=subtitle, raw=True)
    return _audited(user, "list", made, rows.n, title, filter=subtitle)


# --- the standard reports --------------------------------------------------------------------

REPORTS = {
    "houses": QT_TRANSLATE_NOOP("Office", "Houses and owners"),
    "arrears": QT_TRANSLATE_NOOP("Office", "Arrears by house"),
    "collection": QT_TRANSLATE_NOOP("Office", "The month's collection"),
    "day-close": QT_TRANSLATE_NOOP("Office", "A cashier's day close"),
}


def houses(user, path, label: Callable[[str], str] = str) -> Path:
    """`label` gives the office's words for the core's labels (a use, a state)."""
    users.require(user, "archive.view")
    from models.estate import House

    rows = (House.select(House.label, House.area, House.use, House.state, House.owner_names, House.handover_date)
            .order_by(House.sort_code).tuples())
    cols = [Col("房号"), Col("建筑面积(㎡)", "area"), Col("用途"), Col("状态"), Col("业主"), Col("交房日期", "date")]
    uses = {k: label(v) for k, v in estate.USES.items()}
    states = {k: label(v) for k, v in estate.STATES.items()}
    counted = _Counted(rows)
    made = write(path, "房屋及业主", cols,
                 ((label, a, uses.get(use, use), states.get(state, state), names, handed)
                  for label, a, use, state, names, handed in counted),
                 subtitle=f"导出于 {clock.now():%Y-%m-%d %H:%M}")
    return _audited(user, "houses", made, counted.n, "房屋及业主")


def arrears_report(user, path, building_id: int | None = None) -> Path:
    lines = arrears.by_house(user, building_id=building_id)
    cols = [Col("房号"), Col("业主"), Col("欠费月数", "int"), Col("最早欠费月份"), Col("欠费金额(元)", "money")]
    total = sum(a.owed for a in lines)
    made = write(path, "欠费明细", cols,
                 [(a.label, a.owners, a.months, a.oldest, a.owed) for a in lines] + [("合计", "", None, "", total)],
                 subtitle=f"截至 {clock.today():%Y-%m-%d}，{len(lines)} 户")
    where = estate.Building.get_or_none(estate.Building.id == building_id) if building_id else None
    return _audited(user, "arrears", made, len(lines), "欠费明细", on=clock.today().isoformat(),
                    **({"buildings": where.name} if where else {}))


def collection_report(user, path, period: str) -> Path:
    c = arrears.collection(user, period)
    cols = [Col("收费项目"), Col("应收(元)", "money"), Col("实收(元)", "money"), Col("收缴率", "percent")]
    rows = [(r.item, r.billed, r.paid, r.rate) for r in c.items]
    t = c.total
    rows.append(("合计", t.billed, t.paid, t.rate))
    rows.append(("收回往月欠费", None, c.recovered, None))
    rows.append(("收缴率目标", None, None, c.target))  # the office's, as the arrears page shows it
    reached = {True: "，已达标", False: "，未达标", None: ""}[c.on_target]
    made = write(path, f"{period} 收缴情况", cols, rows,
                 subtitle=f"截至 {clock.today():%Y-%m-%d}  目标 {round(c.target * 100)}%{reached}")
    return _audited(user, "collection", made, len(c.items), f"{period} 收缴情况", period=period)


def day_close_report(user, path, cashier_id: int, day: datetime.date, label: Callable[[str], str] = str) -> Path:
    s = cashier.day_summary(user, cashier_id, day)
    methods = {k: label(v) for k, v in cashier.METHODS.items()}
    cols = [Col("收据号"), Col("时间", "datetime"), Col("房号"), Col("交款人"), Col("方式"), Col("金额(元)", "money"),
            Col("作废")]
    rows = [(r.number_text, r.created_at, r.house.label if r.house_id else "", r.payer, methods.get(r.method, r.method),
             r.total, "作废" if r.void else "") for r in s.receipts]
    rows.append(("", None, "", "", "", None, ""))
    for method, amount in sorted(s.by_method.items()):
        rows.append(("", None, "", "按方式", methods.get(method, method), amount, ""))
    for item, amount in sorted(s.by_item.items()):
        rows.append(("", None, "", "按项目", item, amount, ""))
    rows.append(("合计", None, "", "", "", s.total, ""))
    if s.held:  # the houses' money the office holds: not income
        rows.append(("其中代管款项(押金、预存)", None, "", "", "", s.held, ""))
        rows.append(("收入合计", None, "", "", "", s.income, ""))
    made = write(path, f"{day:%Y-%m-%d} 日结", cols, rows,
                 subtitle=f"收款员 {s.cashier.full_name or s.cashier.username}  收据 {s.numbers}")
    return _audited(user, "day-close", made, len(s.receipts), f"{day:%Y-%m-%d} 日结",
                    cashier=s.cashier.username, on=day.isoformat())
