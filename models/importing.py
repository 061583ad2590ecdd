"""Excel in: the developer's handover list (houses and their owners), the residents, and the
opening balances (arrears and prepayments) an office brings from its old fee program.

A workbook is read once (`read`): the header row is found among the first rows by the names
offices give their columns (房号/房屋编号/门牌号, 业主/业主姓名/姓名, 身份证号/证件号码 …), even
under a merged title line. `guess` matches the columns to what an import needs; the clerk
can change any match. `check` then reads every cell through the parsers below (full-width
digits, spaces, IDs and phones stored as numbers, dates as text or Excel serials, areas and
money with their units) and lists every problem by row and column, writing nothing. `run`
checks again and, only when nothing is wrong, writes everything in one transaction: all or
nothing."""
from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import peewee as pw

from models import audit, clock, db, estate, owners, pinyin_index, search, settings, users, validation
from models.db import atomic
from models.errors import OfficeError, QT_TRANSLATE_NOOP, ValidationError
from models.estate import Building, House, Unit

HEADER_ROWS = 10  # the header is looked for in the first rows (title lines above it)
OPENING_PREPAY = "期初预存"  # the note of a prepayment brought over from the old program
STEP = 250  # rows between two reports of progress


class CellError(OfficeError, ValueError):
    """A cell that cannot be read as what its column holds; the message is for the clerk."""


# --- cells ---------------------------------------------------------------------------------

_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SPACES = re.compile(r"\s+")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])")


def text(value) -> str:
    """A cell as text: full-width characters made plain, spaces trimmed and runs of spaces
    made one (none left between Chinese characters), a whole number typed as 1201.0 → 1201."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != datetime.time() else value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    t = unicodedata.normalize("NFKC", str(value))
    t = _INVISIBLE.sub("", t)
    t = _SPACES.sub(" ", t).strip()
    return _CJK_GAP.sub("", t) if " " in t else t


def _digits_of_number(value) -> str | None:
    """An ID or phone Excel stored as a number: its digits (None when it was not a number)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(QT_TRANSLATE_NOOP("Office", "\"{value}\" is not a number of this kind"), value=text(value))
        return str(int(value))
    return None


def id_number(value) -> str:
    """An ID number; one Excel stored as a number has lost its last digits past the 15th
    (they read as 0): that is said, with what to do."""
    digits = _digits_of_number(value)
    if digits is None:
        return validation.normalize_id(text(value).replace(" ", ""))
    # a number cell holds 15 significant digits: past them the digits read back are not the
    # ones typed, even when they happen to pass the check character (a whole number written
    # by another program keeps every digit)
    if len(digits) > 15 and (isinstance(value, float) or validation.id_number_error("resident_id", digits)):
        raise CellError(QT_TRANSLATE_NOOP(
            "Office", "This ID number was stored as a number and Excel kept only its first 15 digits: format the "
                      "column as text and type it again"))
    return digits


def phone(value) -> str:
    digits = _digits_of_number(value)
    t = digits if digits is not None else text(value)
    t = t.replace("－", "-").replace("—", "-")
    message = validation.phone_error(t)
    if message:
        raise CellError(message)
    return validation.normalize_phone(t)


def _decimal(value, units: tuple[str, ...]) -> Decimal:
    if isinstance(value, bool):
        raise CellError(QT_TRANSLATE_NOOP("Office", "\"{value}\" is not a number"), value=text(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError(QT_TRANSLATE_NOOP("Office", "\"{value}\" is not a number"), value=text(value))
        return Decimal(format(value, ".15g"))  # 89.5 as typed, 0.1 + 0.2 as 0.3: a cell's 15 digits
    t = text(value).replace(" ", "")
    if "," in t:  # thousands, grouped by three (89,5 is no number: a decimal comma is not ours)
        if not re.fullmatch(r"[-+(]?[^\d]*\d{1,3}(,\d{3})+(\.\d*)?[^\d]*\)?", t):
            raise CellError(QT_TRANSLATE_NOOP("Office", "\"{value}\" is not a number"), value=text(value))
        t = t.replace(",", "")
    for unit in units:
        t = t.removeprefix(unit).removesuffix(unit)
    negative = t.startswith("(") and t.endswith(")")  # accountants' (12.50)
    if negative:
        t = t[1:-1]
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", t):
        raise CellError(QT_TRANSLATE_NOOP("Office", "\"{value}\" is not a number"), value=text(value))
    d = Decimal(t)
    return -d if negative else d


def _hundredths(d: Decimal, value) -> int:
    scaled = d * 100
    if scaled != scaled.to_integral_value():
        raise CellError(QT_TRANSLATE_NOOP("Office", "\"{value}\" has more than two decimals"), value=text(value))
    return int(scaled)


def area(value) -> int:
    """A floor area → hundredths of m² ('89.5㎡', 89.5, '８９．５０平方米' → 8950)."""
    if value is None or text(value) == "":
        raise CellError(QT_TRANSLATE_NOOP("Office", "The area is empty"))
    hundredths = _hundredths(_decimal(value, ("平方米", "㎡", "m²", "m2", "M2", "平米")), value)
    if hundredths <= 0:
        raise CellError(QT_TRANSLATE_NOOP("Office", "The area must be greater than 0"))
    if hundredths > estate.MAX_HOUSE_AREA:
        raise CellError(QT_TRANSLATE_NOOP("Office", "This area is too large; please check it"))
    return hundredths


def money(value) -> int:
    """An amount → fen ('¥1,234.50', 1234.5, '1234.5元', '(12.50)' → 123450 … −1250); empty is 0."""
    if value is None or text(value) in ("", "-"):
        return 0
    fen = _hundredths(_decimal(value, ("¥", "￥", "RMB", "元")), value)
    if abs(fen) >= 10 ** 12:
        raise CellError(QT_TRANSLATE_NOOP("Office", "This amount is too large; please check it"))
    return fen


EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Excel's day numbers of 1950-01-01 and 2100-01-01: a number outside them (2020, 202005) is
# no date an office means, and is refused rather than read as 1905 or 2453
SERIALS = ((datetime.date(1950, 1, 1) - EXCEL_EPOCH).days, (datetime.date(2100, 1, 1) - EXCEL_EPOCH).days)
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")


def date(value) -> datetime.date | None:
    """A date from a date cell, an Excel serial number (45000 → 2023-03-15) or text
    (2020-05-01, 2020/5/1, 2020.5.1, 2020年5月1日, 20200501); empty is None."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 19000101 <= value <= 99991231 and float(value).is_integer():
            return date(str(int(value)))  # 20200501 typed into a number cell
        if SERIALS[0] <= value < SERIALS[1]:  # an Excel serial of a date an office would hold
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
        raise CellError(QT_TRANSLATE_NOOP("Office", "\"{value}\" is not a date"), value=text(value))
    t = text(value)
    if not t:
        return None
    m = _DATE_TEXT.fullmatch(t) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", t)
    if m:
        try:
            return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise CellError(QT_TRANSLATE_NOOP("Office", "\"{value}\" is not a date (write it like 2020-05-01)"), value=t)


def period(value) -> str:
    """A month of account → 'YYYY-MM' (2026-11, 2026年11月, 202611, 2026/11, a date); empty is ''."""
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, float) and not value.is_integer():  # 2026.10 typed into a number cell reads 2026.1
        raise CellError(QT_TRANSLATE_NOOP("Office", "\"{value}\" is not a month (write it like 2026-11)"),
                        value=text(value))
    t = text(value)
    if not t:
        return ""
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?", t) or re.fullmatch(r"(\d{4})(\d{2})", t)
    if m and 1 <= int(m.group(2)) <= 12 and int(m.group(1)) >= 1900:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    try:
        d = date(value)
    except CellError:
        d = None
    if d:
        return f"{d.year:04d}-{d.month:02d}"
    raise CellError(QT_TRANSLATE_NOOP("Office", "\"{value}\" is not a month (write it like 2026-11)"), value=t)


def _part(value, suffixes: tuple[str, ...]) -> str:
    t = text(value).replace(" ", "").upper()
    for s in suffixes:
        t = t.removesuffix(s)
    return t


def house_label(value, building=None, unit=None) -> str:
    """The house a row means, as its label: '3栋2单元1201室', '３-２-１２０１', or the three
    columns 楼栋 / 单元 / 房号 ('3号楼', '2单元', 1201)."""
    if building is not None or unit is not None:
        b = _part(building, ("号楼", "栋", "幢", "座", "#", "楼"))
        u = _part(unit, ("单元",))
        n = _part(value, ("室", "号"))
        if not b or not n:
            raise CellError(QT_TRANSLATE_NOOP("Office", "The building or the house number is empty"))
        t = f"{b}-{u}-{n}" if u else f"{b}-{n}"
    else:
        t = text(value).replace("#", "栋").replace("＃", "栋")
        if not t:
            raise CellError(QT_TRANSLATE_NOOP("Office", "The house is empty"))
    parsed = search.parse_house(t)
    if not parsed:
        raise CellError(QT_TRANSLATE_NOOP("Office", "\"{value}\" is not a house like 3-2-1201"), value=text(value))
    for part in parsed:
        if part is not None and not re.fullmatch(r"[0-9A-Z]{1,8}", part):
            raise CellError(QT_TRANSLATE_NOOP("Office", "\"{value}\" is not a house like 3-2-1201"),
                            value=text(value))
    return "-".join(p for p in parsed if p)


# --- what each import takes ----------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    key: str
    label: str  # what the mapping step shows
    names: tuple[str, ...]  # the header names offices use, matched after clean_header
    required: bool = False


def clean_header(value) -> str:
    """'建筑面积（㎡）' and ' 建筑 面积 ' are the same header: units in brackets, spaces and
    full-width forms dropped."""
    t = text(value).replace(" ", "")
    return re.sub(r"[(\[].*?[)\]]", "", t).strip("*:：")


_HOUSE = Column("house", QT_TRANSLATE_NOOP("Office", "House (房号)"),
                ("房号", "房屋编号", "门牌号", "房屋", "房间号", "房屋号", "户号", "房间", "房产", "house"), True)
_BUILDING = Column("building", QT_TRANSLATE_NOOP("Office", "Building (楼栋), when in a column of its own"),
                   ("楼栋", "楼号", "栋号", "幢号", "楼栋号", "栋", "楼宇", "building"))
_UNIT = Column("unit", QT_TRANSLATE_NOOP("Office", "Unit (单元), when in a column of its own"),
               ("单元", "单元号", "unit"))
_PHONE = Column("phone", QT_TRANSLATE_NOOP("Office", "Phone"),
                ("电话", "手机", "联系电话", "手机号", "手机号码", "联系方式", "电话号码", "phone"))

KINDS: dict[str, tuple[str, list[Column]]] = {
    "houses": (QT_TRANSLATE_NOOP("Office", "Houses and owners"), [
        _HOUSE, _BUILDING, _UNIT,
        Column("area", QT_TRANSLATE_NOOP("Office", "Floor area (m²)"),
               ("建筑面积", "面积", "房屋面积", "产权面积", "area"), True),
        Column("owner", QT_TRANSLATE_NOOP("Office", "Owner's name"),
               ("业主", "业主姓名", "姓名", "业主名称", "产权人", "户主", "owner")),
        Column("id_number", QT_TRANSLATE_NOOP("Office", "ID number"),
               ("身份证号", "证件号码", "身份证号码", "证件号", "身份证", "idnumber")),
        _PHONE,
        Column("handover", QT_TRANSLATE_NOOP("Office", "Handover date"),
               ("交房日期", "入住日期", "交付日期", "收房日期", "handover")),
        Column("state", QT_TRANSLATE_NOOP("Office", "State (未交付/空置/装修中/自住/出租)"),
               ("房屋状态", "状态", "使用状态", "居住状态", "state")),
        Column("note", QT_TRANSLATE_NOOP("Office", "Note"), ("备注", "说明", "note")),
    ]),
    "residents": (QT_TRANSLATE_NOOP("Office", "Residents"), [
        _HOUSE, _BUILDING, _UNIT,
        Column("name", QT_TRANSLATE_NOOP("Office", "Resident's name"),
               ("姓名", "住户姓名", "成员姓名", "住户", "name"), True),
        Column("kind", QT_TRANSLATE_NOOP("Office", "Household member or tenant"),
               ("身份", "住户类型", "类型", "住户类别", "kind")),
        Column("relation", QT_TRANSLATE_NOOP("Office", "Relation to the owner"),
               ("与业主关系", "关系", "与户主关系", "relation")),
        _PHONE,
        Column("moved_in", QT_TRANSLATE_NOOP("Office", "Moved in"), ("入住日期", "迁入日期", "入住时间", "movedin")),
    ]),
    "balances": (QT_TRANSLATE_NOOP("Office", "Opening balances"), [
        _HOUSE, _BUILDING, _UNIT,
        Column("item", QT_TRANSLATE_NOOP("Office", "Fee item"), ("收费项目", "费用项目", "项目", "费项", "item")),
        Column("arrears", QT_TRANSLATE_NOOP("Office", "Arrears (yuan)"),
               ("欠费", "欠费金额", "期初欠费", "欠款", "欠缴金额", "应收未收", "arrears")),
        Column("prepay", QT_TRANSLATE_NOOP("Office", "Prepayment (yuan)"),
               ("预存", "预存款", "预交", "预收", "期初预存", "预存金额", "预交金额", "prepay")),
        Column("period", QT_TRANSLATE_NOOP("Office", "Month of account"),
               ("所属期间", "月份", "账期", "所属月份", "期间", "费用期间", "period")),
        Column("due", QT_TRANSLATE_NOOP("Office", "Due date"), ("应缴日期", "到期日", "缴费期限", "due")),
    ]),
}


def columns_of(kind: str) -> list[Column]:
    if kind not in KINDS:
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "There is no import of this kind"))
    return KINDS[kind][1]


# --- the workbook ----------------------------------------------------------------------------

@dataclass
class Sheet:
    """The first worksheet: its header row (1-based) and names, and the rows below it as
    (Excel row number, cells)."""
    name: str
    header_row: int
    headers: list[str]
    rows: list[tuple[int, tuple]]


def _all_names() -> set[str]:
    return {n for _label, cols in KINDS.values() for c in cols for n in c.names}


def open_book(path: str | Path):
    """A workbook opened for reading its cells' values (streamed: a large one is never
    all in memory); any file that is not one is the same clear refusal."""
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable file is the same refusal to the clerk
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "This file could not be read as an Excel workbook (.xlsx)"))


def read(path: str | Path, *, header_row: int | None = None) -> Sheet:
    """Read the first worksheet of an .xlsx. The header row is the one of the first rows
    with the most column names offices use (a title line merged over the columns above it
    is passed by); empty rows are left out."""
    book = open_book(path)
    try:
        ws = book.worksheets[0]
        rows = [(n, values) for n, values in enumerate(ws.iter_rows(values_only=True), start=1)
                if not all(v is None or (isinstance(v, str) and not v.strip()) for v in values)]
    finally:
        book.close()
    if header_row is None:
        known = _all_names()
        scored = [(sum(clean_header(v) in known for v in values), -n) for n, values in rows if n <= HEADER_ROWS]
        best = max(scored, default=(0, 0))
        if best[0] == 0:
            raise OfficeError(QT_TRANSLATE_NOOP(
                "Office", "No header row (房号, 姓名, 面积 …) in the first 10 rows of the first sheet"))
        header_row = -best[1]
    cells = next((values for n, values in rows if n == header_row), ())
    headers = ["" if v is None else re.sub(r"\s+", " ", str(v)).strip() for v in cells]  # as the clerk sees them
    return Sheet(ws.title, header_row, headers, [r for r in rows if r[0] > header_row])


def guess(kind: str, headers: list[str]) -> dict[str, int]:
    """Each column of the import → the sheet's column of that name (by index), where found."""
    cleaned = [clean_header(h) for h in headers]
    out: dict[str, int] = {}
    taken: set[int] = set()
    for col in columns_of(kind):
        for name in col.names:  # the first name is the most telling: 房号 before 房屋
            hits = [i for i, h in enumerate(cleaned) if h.lower() == name.lower() and i not in taken]
            if hits:
                out[col.key] = hits[0]
                taken.add(hits[0])
                break
    return out


def column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


# --- checking and writing --------------------------------------------------------------------

@dataclass
class Problem:
    row: int  # the Excel row
    column: str  # 'C 身份证号', or '' for the whole row
    template: str
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:  # the English words, for the command line
        return self.template.format(**self.params)


@dataclass
class Report:
    kind: str
    rows: int = 0  # rows read (empty rows left out)
    problems: list[Problem] = field(default_factory=list)
    new: dict[str, int] = field(default_factory=dict)  # what the import adds: houses, owners …
    skipped: int = 0  # rows already in the archive as they are
    written: bool = False
    plan: list = field(default_factory=list, repr=False)
    progress: Callable[[int], None] | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not self.problems


class _Row:
    """One row's cells by the import's column keys, and its problems."""

    def __init__(self, n: int, values: tuple, mapping: dict[str, int], headers: list[str], report: Report):
        self.n, self.values, self.mapping, self.headers, self.report = n, values, mapping, headers, report
        self.failed = False
        report.rows += 1
        if report.progress and report.rows % STEP == 0:
            report.progress(report.rows)

    def raw(self, key: str):
        i = self.mapping.get(key)
        return self.values[i] if i is not None and i < len(self.values) else None

    def where(self, key: str) -> str:
        i = self.mapping.get(key)
        if i is None:
            return ""
        name = self.headers[i] if i < len(self.headers) else ""
        return f"{column_letter(i)} {name}".strip()

    def get(self, key: str, parse: Callable[[Any], Any], default=None):
        try:
            return parse(self.raw(key))
        except CellError as e:
            self.problem(key, e.template, **e.params)
            return default

    def problem(self, key: str, template: str, **params) -> None:
        self.failed = True
        self.report.problems.append(Problem(self.n, self.where(key) if key else "", template, params))


def _house_of(row: _Row) -> str | None:
    if "building" in row.mapping:
        return row.get("house", lambda v: house_label(v, row.raw("building"), row.raw("unit")))
    return row.get("house", house_label)


def _known_houses() -> dict[str, tuple[int, int]]:
    """label → (house id, area)."""
    return {label: (hid, a) for hid, label, a in House.select(House.id, House.label, House.area).tuples()}


def _current_owners() -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for house_id, name in (owners.Owner.select(owners.Ownership.house, owners.Owner.name).join(owners.Ownership)
                           .where(owners.Ownership.until.is_null()).tuples()):
        out.setdefault(house_id, set()).add(name)
    return out


def _check_houses(sheet: Sheet, mapping: dict[str, int], report: Report) -> None:
    known = _known_houses()
    current = _current_owners()
    seen: dict[str, tuple[int, int]] = {}  # label → (first row, area)
    names_seen: dict[tuple[str, str], int] = {}
    for n, values in sheet.rows:
        row = _Row(n, values, mapping, sheet.headers, report)
        label = _house_of(row)
        a = row.get("area", area)
        owner_fields: dict[str, Any] = {}
        if "owner" in mapping:
            owner_fields["name"] = row.get("owner", text, "")
        if "id_number" in mapping:
            owner_fields["id_number"] = row.get("id_number", id_number, "")
        if "phone" in mapping:
            owner_fields["phone"] = row.get("phone", phone, "")
        handover = row.get("handover", date) if "handover" in mapping else None
        note = row.get("note", text, "") if "note" in mapping else ""
        state = row.get("state", house_state, "") if "state" in mapping else ""
        if label is None or row.failed:
            continue
        if label.count("-") != 2:
            row.problem("house", QT_TRANSLATE_NOOP("Office", "\"{value}\" has no unit: write it like 3-2-1201"),
                        value=label)
            continue
        if handover and handover > clock.today():
            row.problem("handover", QT_TRANSLATE_NOOP("Office", "The handover date {date} is in the future"),
                        date=handover.isoformat())
        name = owner_fields.get("name", "")
        given = [k for k in ("id_number", "phone") if owner_fields.get(k)]
        if given and not name:
            row.problem("owner" if "owner" in mapping else given[0], QT_TRANSLATE_NOOP("Office", "An ID number or phone is given but no owner's name"))
        if name:
            try:
                owner_fields = owners._clean_owner(owner_fields, partial=False)
            except ValidationError as e:
                for key, (template, params) in e.errors.items():
                    row.problem(key if key in mapping else "owner", template, **params)
        if label in known:
            house_id, known_area = known[label]
            if known_area != a:
                row.problem("area", QT_TRANSLATE_NOOP("Office", "{house} is in the archive with {area} m²"),
                            house=label, area=estate.fmt_area(known_area))
        if label in seen:
            first, first_area = seen[label]
            if first_area != a:
                row.problem("area", QT_TRANSLATE_NOOP("Office", "{house} has another area on row {row}"),
                            house=label, row=first)
            if not name:
                row.problem("house", QT_TRANSLATE_NOOP("Office", "{house} is listed twice (also on row {row})"),
                            house=label, row=first)
        if name and (label, name) in names_seen:
            row.problem("owner", QT_TRANSLATE_NOOP("Office", "{name} is listed twice for {house} (also on row {row})"),
                        name=name, house=label, row=names_seen[(label, name)])
        if row.failed:
            continue
        seen.setdefault(label, (n, a))
        if name:
            names_seen[(label, name)] = n
        have = current.get(known[label][0], set()) if label in known else set()
        if label in known and (not name or name in have):
            report.skipped += 1  # already in the archive as it is
            continue
        if have:
            row.problem("owner", QT_TRANSLATE_NOOP(
                "Office", "{house} already has its owner {owners} in the archive; a change of owner is made there"),
                house=label, owners="、".join(sorted(have)))
            continue
        b, u, number = label.split("-")
        report.plan.append(dict(row=n, label=label, building=b, unit=u, number=number, area=a,
                                owner=owner_fields if name else None, handover=handover, note=note,
                                state=state or ("owner_occupied" if handover else "undelivered"),
                                house_id=known[label][0] if label in known else None))
    report.new = {
        "houses": len({p["label"] for p in report.plan if p["house_id"] is None}),
        "owners": sum(1 for p in report.plan if p["owner"]),
    }


_STATE_WORDS = {"undelivered": ("未交付", "未交房", "未收房"), "vacant": ("空置", "空房", "闲置"),
                "renovating": ("装修中", "装修"), "owner_occupied": ("自住", "已入住", "入住", "业主自住"),
                "rented": ("出租", "租住", "已出租")}


def house_state(value) -> str:
    t = text(value).replace(" ", "")
    if not t:
        return ""
    for state, words in _STATE_WORDS.items():
        if t in words or t == state:
            return state
    raise CellError(QT_TRANSLATE_NOOP("Office", "\"{value}\" is not a state of a house (未交付/空置/装修中/自住/出租)"),
                    value=t)


_KIND_WORDS = {"member": ("家属", "成员", "家庭成员", "本人", "业主", "member", ""),
               "tenant": ("租户", "租客", "承租人", "租住", "tenant")}


def resident_kind(value) -> str:
    t = text(value).replace(" ", "").lower()
    for kind, words in _KIND_WORDS.items():
        if t in words:
            return kind
    raise CellError(QT_TRANSLATE_NOOP("Office", "\"{value}\" is neither 家属 nor 租户"), value=text(value))


def _check_residents(sheet: Sheet, mapping: dict[str, int], report: Report) -> None:
    known = _known_houses()
    living: dict[int, set[str]] = {}
    for house_id, name in (owners.Resident.select(owners.Resident.house, owners.Resident.name)
                           .where(owners.Resident.moved_out.is_null()).tuples()):
        living.setdefault(house_id, set()).add(name)
    seen: dict[tuple[str, str], int] = {}
    for n, values in sheet.rows:
        row = _Row(n, values, mapping, sheet.headers, report)
        label = _house_of(row)
        fields = dict(name=row.get("name", text, ""), kind=row.get("kind", resident_kind, "member"),
                      relation=row.get("relation", text, "") if "relation" in mapping else "",
                      phone=row.get("phone", phone, "") if "phone" in mapping else "",
                      moved_in=row.get("moved_in", date) if "moved_in" in mapping else None)
        if label is None or row.failed:
            continue
        if label not in known:
            row.problem("house", QT_TRANSLATE_NOOP("Office", "No house {house} in the archive"), house=label)
            continue
        try:
            clean = owners._clean_resident({k: v for k, v in fields.items() if v is not None}, partial=False)
        except ValidationError as e:
            for key, (template, params) in e.errors.items():
                row.problem(key if key in mapping else "name", template, **params)
            continue
        if (label, clean["name"]) in seen:
            row.problem("name", QT_TRANSLATE_NOOP("Office", "{name} is listed twice for {house} (also on row {row})"),
                        name=clean["name"], house=label, row=seen[(label, clean["name"])])
            continue
        seen[(label, clean["name"])] = n
        house_id = known[label][0]
        if clean["name"] in living.get(house_id, set()):
            report.skipped += 1
            continue
        report.plan.append(dict(row=n, label=label, house_id=house_id, fields=clean))
    report.new = {"residents": len(report.plan)}


def _fee_items() -> dict[str, Any]:
    from models import fees

    out = {}
    for it in fees.items(active_only=False):
        out[it.code.lower()] = it
        out[text(it.name).replace(" ", "")] = it
    return out


def _check_balances(sheet: Sheet, mapping: dict[str, int], report: Report) -> None:
    from models.billing import Charge

    if "arrears" not in mapping and "prepay" not in mapping:
        report.problems.append(Problem(sheet.header_row, "", QT_TRANSLATE_NOOP(
            "Office", "Match a column of arrears (欠费) or of prepayments (预存)")))
        return
    known = _known_houses()
    items = _fee_items()
    default_item = items.get("service")
    from models.cashier import BalanceEntry

    imported = {k for (k,) in Charge.select(Charge.key).where(Charge.key.startswith("opening:")).tuples()}
    prepaid = set(BalanceEntry.select(BalanceEntry.house, BalanceEntry.item)
                  .where(BalanceEntry.note == OPENING_PREPAY, BalanceEntry.receipt.is_null(),
                         BalanceEntry.void == False).tuples())  # noqa: E712
    seen: dict[str, int] = {}
    seen_prepay: dict[tuple, int] = {}
    earliest, latest = datetime.date(2000, 1, 1), clock.today() + datetime.timedelta(days=366)
    for n, values in sheet.rows:
        row = _Row(n, values, mapping, sheet.headers, report)
        label = _house_of(row)
        item_name = row.get("item", text, "") if "item" in mapping else ""
        arrears = row.get("arrears", money, 0) if "arrears" in mapping else 0
        prepay = row.get("prepay", money, 0) if "prepay" in mapping else 0
        month = row.get("period", period, "") if "period" in mapping else ""
        due = row.get("due", date) if "due" in mapping else None
        if label is None or row.failed:
            continue
        if label not in known:
            row.problem("house", QT_TRANSLATE_NOOP("Office", "No house {house} in the archive"), house=label)
        item = items.get(item_name.replace(" ", "")) or items.get(item_name.lower()) if item_name else default_item
        if item is None:
            row.problem("item", QT_TRANSLATE_NOOP("Office", "No fee item \"{value}\" (see 收费项目)"), value=item_name)
        if arrears < 0:
            row.problem("arrears", QT_TRANSLATE_NOOP("Office", "Arrears cannot be negative; put money held in the "
                                                               "prepayment column"))
        if prepay < 0:
            row.problem("prepay", QT_TRANSLATE_NOOP("Office", "A prepayment cannot be negative"))
        if due is not None and not earliest <= due <= latest:  # a due date starts a late fee: a likely one only
            row.problem("due", QT_TRANSLATE_NOOP("Office", "The due date {date} is unlikely; please check it"),
                        date=due.isoformat())
        if arrears == 0 and prepay == 0 and not row.failed:
            report.skipped += 1
            continue
        if row.failed:
            continue
        earmark = item.id if item_name else None
        if prepay:
            if (known[label][0], earmark) in prepaid:
                row.problem("prepay", QT_TRANSLATE_NOOP(
                    "Office", "The opening prepayment of {house} was imported before"), house=label)
                continue
            if (label, earmark) in seen_prepay:
                row.problem("prepay", QT_TRANSLATE_NOOP(
                    "Office", "{house} has an opening prepayment twice (also on row {row})"),
                    house=label, row=seen_prepay[(label, earmark)])
                continue
            seen_prepay[(label, earmark)] = n
        key = f"opening:{known[label][0]}:{item.id}:{month}"
        if key in seen:
            row.problem("house", QT_TRANSLATE_NOOP(
                "Office", "{house} has {item} {period} twice (also on row {row})"),
                house=label, item=item.name, period=month, row=seen[key])
            continue
        seen[key] = n
        if arrears and key in imported:
            row.problem("arrears", QT_TRANSLATE_NOOP(
                "Office", "The opening arrears of {house} for {item} {period} were imported before"),
                house=label, item=item.name, period=month)
            continue
        report.plan.append(dict(row=n, label=label, house_id=known[label][0], item=item, earmark=earmark,
                                arrears=arrears, prepay=prepay, period=month, due=due, key=key))
    report.new = {"arrears": sum(1 for p in report.plan if p["arrears"]),
                  "arrears_total": sum(p["arrears"] for p in report.plan),
                  "prepayments": sum(1 for p in report.plan if p["prepay"]),
                  "prepay_total": sum(p["prepay"] for p in report.plan)}


_PERMISSION = {"houses": "estate.edit", "residents": "archive.edit", "balances": "fees.setup"}
_CHECKS = {"houses": _check_houses, "residents": _check_residents, "balances": _check_balances}


def check(user, kind: str, sheet: Sheet, mapping: dict[str, int],
          progress: Callable[[int], None] | None = None) -> Report:
    """The dry run: every row read and checked against the archive; nothing written.
    `progress(rows)` is called as the rows are read (it may raise to stop)."""
    users.require(user, _PERMISSION.get(kind, "estate.edit"))
    report = Report(kind, progress=progress)
    missing = [c for c in columns_of(kind) if c.required and c.key not in mapping]
    if "building" in mapping and "house" not in mapping:
        missing.append(_HOUSE)
    if missing:
        for c in missing:
            report.problems.append(Problem(sheet.header_row, "", QT_TRANSLATE_NOOP(
                "Office", "Match a column to \"{column}\""), {"column": c.label}))
        return report
    if len(set(mapping.values())) != len(mapping):
        report.problems.append(Problem(sheet.header_row, "", QT_TRANSLATE_NOOP(
            "Office", "One column of the sheet is matched twice")))
        return report
    _CHECKS[kind](sheet, mapping, report)
    if not report.rows:
        report.problems.append(Problem(sheet.header_row, "", QT_TRANSLATE_NOOP(
            "Office", "There are no rows under the header")))
    return report


def _fingerprint(kind: str) -> tuple:
    """What the check of `kind` read from the archive, in brief: each table's row count
    and highest id. Unchanged, the check still holds."""
    from models.billing import Charge
    from models.cashier import BalanceEntry
    from models.fees import FeeItem

    tables = {"houses": [Building, Unit, House, owners.Owner, owners.Ownership],
              "residents": [House, owners.Resident],
              "balances": [House, FeeItem, Charge, BalanceEntry]}[kind]
    return tuple(m.select(pw.fn.COUNT(m.id), pw.fn.MAX(m.id)).tuples()[0] for m in tables)


def run(user, kind: str, sheet: Sheet, mapping: dict[str, int], *, source: str = "",
        progress: Callable[[int], None] | None = None) -> Report:
    """Check, and when nothing is wrong write every row, all in one transaction: all or
    nothing. The check runs before the write lock is taken (other clerks' saves go on);
    under the lock, if another PC added to what it read meanwhile, it runs again.
    `progress` counts the rows checked, then again as written (up to twice the rows); an
    exception it raises (a cancel) writes nothing, up to its last call before the commit."""
    report = check(user, kind, sheet, mapping, progress)
    if report.problems or not report.plan:
        return report
    seen = _fingerprint(kind)
    with atomic():
        if _fingerprint(kind) != seen:
            report = check(user, kind, sheet, mapping)
            if report.problems or not report.plan:
                return report

        def written(done: int) -> None:
            if progress and done % STEP == 0:
                progress(len(sheet.rows) + done)
        {"houses": _write_houses, "residents": _write_residents, "balances": _write_balances}[kind](
            user, report, written)
        audit.record(user, f"import.{kind}", "import", None, f"{Path(source).name or kind}: {report.rows}",
                     {"rows": report.rows, **report.new, "skipped": report.skipped})
        if progress:
            progress(2 * len(sheet.rows))  # the last moment a cancel undoes it all
        report.written = True
    return report


def _reserve_ids(model, n: int) -> list[int]:
    """`n` ids for new rows: past the highest on SQLite (the write lock is held), from the
    table's sequence on a server (other PCs' rows take other numbers meanwhile)."""
    if n == 0:
        return []
    if db.is_sqlite():
        start = (model.select(pw.fn.MAX(model.id)).scalar() or 0) + 1
        return list(range(start, start + n))
    table = model._meta.table_name
    return [r[0] for r in db.database.execute_sql(
        f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)", (n,)).fetchall()]


def _bulk_insert(model, rows: list[dict]) -> None:
    """Rows straight to the driver (thousands at a time), each field through peewee's own
    conversion, its default where a row leaves it out."""
    if not rows:
        return
    given = set(rows[0])
    fields = [f for f in model._meta.sorted_fields if f.name in given or not isinstance(f, pw.AutoField)]
    sql = (f'INSERT INTO "{model._meta.table_name}" ({", ".join(chr(34) + f.column_name + chr(34) for f in fields)}) '
           f'VALUES ({", ".join("?" for _ in fields)})')
    sqlite = db.is_sqlite()
    # the rows are made here, of the fields' own types: only dates need a word for SQLite, which
    # keeps them as ISO text as peewee does; a field left out takes its default
    plan = []
    for f in fields:
        default = f.default() if callable(f.default) else f.default
        plan.append((f.name, default, sqlite and isinstance(f, (pw.DateField, pw.DateTimeField))))
    values = []
    for r in rows:
        row = []
        for name, default, as_text in plan:
            v = r.get(name, default)
            row.append(str(v) if as_text and v is not None else v)
        values.append(tuple(row))
    for start in range(0, len(values), 2000):
        db.executemany(sql, values[start:start + 2000])


def _name_keys(kind: str, ref_id: int, name: str, phone: str) -> list[dict]:
    return [{"kind": kind, "ref_id": ref_id, "key": k} for k in sorted(pinyin_index.keys_for(name, [phone]))]


def _write_houses(user, report: Report, written: Callable[[int], None]) -> None:
    buildings = {b.code: b for b in Building.select()}
    units = {(u.building_id, u.code): u for u in Unit.select()}
    now, today = clock.now(), clock.today()
    new_labels = list(dict.fromkeys(p["label"] for p in report.plan if p["house_id"] is None))
    house_ids = dict(zip(new_labels, _reserve_ids(House, len(new_labels))))
    with_owner = [p for p in report.plan if p["owner"]]
    owner_ids = _reserve_ids(owners.Owner, len(with_owner))
    names: dict[int, list[str]] = {}
    houses, people, links, keys = [], [], [], []
    for p in report.plan:
        b = buildings.get(p["building"])
        if b is None:
            b = buildings[p["building"]] = Building.create(
                code=p["building"], name=f"{p['building']}栋", sort_key=estate._sort_key(p["building"]))
        if (b.id, p["unit"]) not in units:
            units[(b.id, p["unit"])] = Unit.create(building=b, code=p["unit"], name=f"{p['unit']}单元")
    for done, p in enumerate(report.plan, start=1):
        if done % STEP == 0:
            written(done)
        house_id = p["house_id"] or house_ids[p["label"]]
        if p["house_id"] is None and house_id not in names:
            u = units[(buildings[p["building"]].id, p["unit"])]
            houses.append(dict(id=house_id, unit=u.id, number=p["number"], label=p["label"],
                               sort_code=estate.house_sort_code(p["building"], p["unit"], p["number"]),
                               floor=estate._floor_of(p["number"]), area=p["area"], use="residential",
                               right_type="commodity", state=p["state"], note=p["note"],
                               handover_date=p["handover"]))
        listed = names.setdefault(house_id, [])
        if p["owner"]:
            fields = p["owner"]
            owner_id = owner_ids[len(people)]
            people.append(dict(id=owner_id, created_at=now, **fields))
            # the first owner listed is the primary one (the house had none: the check saw to it)
            links.append(dict(house=house_id, owner=owner_id, is_primary=not listed, since=p["handover"] or today))
            keys += _name_keys("owner", owner_id, fields["name"], fields.get("phone", ""))
            listed.append(fields["name"])
    for h in houses:
        h["owner_names"] = "、".join(names.get(h["id"], []))[:128]
    _bulk_insert(House, houses)
    _bulk_insert(owners.Owner, people)
    _bulk_insert(owners.Ownership, links)
    _bulk_insert(owners.NameKey, keys)
    for p in report.plan:
        if p["house_id"] is not None and names.get(p["house_id"]):
            owners._refresh_owner_names(p["house_id"])


def _write_residents(user, report: Report, written: Callable[[int], None]) -> None:
    today = clock.today()
    ids = _reserve_ids(owners.Resident, len(report.plan))
    rows, keys = [], []
    for done, (p, rid) in enumerate(zip(report.plan, ids), start=1):
        if done % STEP == 0:
            written(done)
        fields = dict(p["fields"])
        if fields.get("moved_in") is None:
            fields["moved_in"] = today
        rows.append(dict(id=rid, house=p["house_id"], **fields))
        keys += _name_keys("resident", rid, fields["name"], fields.get("phone") or "")
    _bulk_insert(owners.Resident, rows)
    _bulk_insert(owners.NameKey, keys)


def _write_balances(user, report: Report, written: Callable[[int], None]) -> None:
    from models.billing import Charge
    from models.cashier import BalanceEntry

    now, today = clock.now(), clock.today()
    late_items = set(settings.get("late_fee_items"))
    for done, p in enumerate(report.plan, start=1):
        written(done)
        item = p["item"]
        if p["arrears"]:
            Charge.create(house=p["house_id"], item=item.id, period=p["period"], description="期初欠费",
                          amount=p["arrears"], due_date=p["due"] or today, late_fee=item.code in late_items,
                          posted_at=now, posted_by=user.id, source="opening", key=p["key"])
        if p["prepay"]:
            BalanceEntry.create(house=p["house_id"], kind="prepay", item=p["earmark"], amount=p["prepay"],
                                receipt=None, at=now, business_date=today, note=OPENING_PREPAY)
