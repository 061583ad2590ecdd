"""Excel in: the developer's handover list (houses and their owners), the residents, and the
opening balances (arrears and prepayments) an office brings from its old fee program.

A workbook is read once (`read`): .xlsx, .xls and .ods through calamine, or a .csv/.txt in
UTF-8 or GBK/GB18030 (also what web systems save as ".xls": a CSV or an HTML table). The
sheet and its header row are found by the names offices give their columns (房号/房屋编号,
业主/业主姓名/姓名, 身份证号/证件号码 …), under a merged title, on one row or two. `guess`
matches the columns to what an import needs; the clerk can change any match. `check` then
reads every cell through the parsers below (full-width digits, spaces, IDs and phones stored
as numbers, dates in the forms people type, areas and money with their units), leaves out
what is no house (a 合计 row, notes under the table, empty rows) with a note, and lists every
problem by row and column, writing nothing. `run` checks again and, only when nothing is
wrong, writes everything in one transaction: all or nothing."""
from __future__ import annotations

import codecs
import csv
import datetime
import html
import io
import re
import unicodedata
import zipfile
import zlib
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
MAX_ROWS = 100_000  # one import's rows and columns of data: a large estate has some 10,000 houses
MAX_COLUMNS = 200
_MAX_TAGS = 4_000_000  # a sheet's rows and cells read past which it is refused (a zip of empty rows)


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


# a number as Excel shows it in a narrow column, saved so as text (a CSV): 4.40305E+17
_SCIENTIFIC = re.compile(r"[0-9](\.[0-9]+)?E\+?[0-9]+", re.IGNORECASE)
_LOST_DIGITS = QT_TRANSLATE_NOOP(
    "Office", "This ID number was stored as a number and Excel kept only its first 15 digits: format the "
              "column as text and type it again")
# what people put between two values in one cell: co-owners, their ID numbers, two phones
_SEVERAL = re.compile(r"[、，,;；/／\n\r]+")


def _parts(value) -> list:
    """A cell holding several values (张三、李四; two phones one per line) → its parts; a
    number cell is one value."""
    if not isinstance(value, str):
        return [] if value is None else [value]
    return [p for p in _SEVERAL.split(value) if p.strip()]


def id_number(value) -> str:
    """An ID number; one Excel stored as a number has lost its last digits past the 15th
    (they read as 0): that is said, with what to do."""
    digits = _digits_of_number(value)
    if digits is None:
        t = text(value).replace(" ", "")
        if _SCIENTIFIC.fullmatch(t):
            raise CellError(_LOST_DIGITS)
        return validation.normalize_id(t)
    # a number cell holds 15 significant digits: past them the digits read back are not the
    # ones typed, even when they happen to pass the check character (a whole number written
    # by another program keeps every digit)
    if len(digits) > 15 and (isinstance(value, float) or validation.id_number_error("resident_id", digits)):
        raise CellError(_LOST_DIGITS)
    return digits


def id_numbers(value) -> list[str]:
    """The ID numbers in a cell: one, or one for each co-owner (…、…)."""
    return [n for n in (id_number(p) for p in _parts(value)) if n]


def phone(value) -> str:
    """A phone: a mobile as its 11 digits however it was written (138-0001-2345, +86 …,
    a number cell), a landline with its area code (validation.normalize_phone)."""
    digits = _digits_of_number(value)
    t = digits if digits is not None else re.sub(r"^(\d+)\.0+$", r"\1", text(value))  # 13800012345.0 as text
    if _SCIENTIFIC.fullmatch(t.replace(" ", "")):
        raise CellError(QT_TRANSLATE_NOOP(
            "Office", "This phone was stored as a number and saved as Excel showed it ({value}): format the column "
                      "as text and type it again"), value=t)
    message = validation.phone_error(t)
    if message:
        raise CellError(message)
    return validation.normalize_phone(t)


def phones(value) -> list[str]:
    """The phones in a cell: 13800012345/0571-88001234, or one per line."""
    return [n for n in (phone(p) for p in _parts(value)) if n]


def names(value) -> list[str]:
    """The owners named in a cell: one, or co-owners (张三、李四)."""
    return [n for n in (text(p) for p in _parts(value)) if n]


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
    whole = scaled.to_integral_value()
    if scaled != whole:
        # 89.5000001: the float another program computed, off by far less than anyone types
        if abs(scaled - whole) < Decimal("0.0001"):
            return int(whole)
        raise CellError(QT_TRANSLATE_NOOP("Office", "\"{value}\" has more than two decimals"), value=text(value))
    return int(scaled)


def area(value) -> int:
    """A floor area → hundredths of m² ('89.5㎡', 89.5, '８９．５０平方米' → 8950)."""
    if value is None or text(value) == "":
        raise CellError(QT_TRANSLATE_NOOP("Office", "The area is empty"))
    hundredths = _hundredths(_decimal(value, ("平方米", "㎡", "m²", "m2", "M2", "平米", "平方", "平")), value)
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
_TIME = r"(?:(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?" + _TIME)
# 26-1-5: a year of two digits, read as Excel reads it when typed (00–29 → 20xx, 30–99 → 19xx)
_SHORT_DATE = re.compile(r"(\d{2})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME)


def date(value) -> datetime.date | None:
    """A date from a date cell, an Excel serial number (45000 → 2023-03-15, also as text) or
    text (2020-05-01, 2020/5/1, 2020.5.1, 2020年5月1日, 20200501, 20-5-1); empty is None."""
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
    if re.fullmatch(r"\d{5}(\.\d+)?", t):  # a serial saved as text (a date column exported to CSV)
        return date(float(t))
    m = _DATE_TEXT.fullmatch(t) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", t)
    year = int(m.group(1)) if m else None
    if m is None:
        m = _SHORT_DATE.fullmatch(t)
        if m:
            year = int(m.group(1)) + (2000 if int(m.group(1)) < 30 else 1900)
    if m:
        try:
            return datetime.date(year, int(m.group(2)), int(m.group(3)))
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
    return re.sub(r"^(\d+)\.0+$", r"\1", t)  # 1201.0: a number another program wrote as text


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
    t = re.sub(r"[(\[【].*?[)\]】]", "", t).strip("*:：")
    return re.sub(r"/(㎡|m2|平方米|平米|元)$", "", t)  # 面积/㎡


_HOUSE = Column("house", QT_TRANSLATE_NOOP("Office", "House (房号)"),
                ("房号", "房屋编号", "门牌号", "房屋", "房间号", "房屋号", "户号", "房间", "房产", "房间编号",
                 "房屋名称", "房产名称", "房产编号", "house"), True)
_BUILDING = Column("building", QT_TRANSLATE_NOOP("Office", "Building (楼栋), when in a column of its own"),
                   ("楼栋", "楼号", "栋号", "幢号", "楼栋号", "栋", "楼宇", "building"))
_UNIT = Column("unit", QT_TRANSLATE_NOOP("Office", "Unit (单元), when in a column of its own"),
               ("单元", "单元号", "unit"))
_PHONE = Column("phone", QT_TRANSLATE_NOOP("Office", "Phone"),
                ("电话", "手机", "联系电话", "手机号", "手机号码", "联系方式", "电话号码", "移动电话", "联系手机",
                 "phone"))

KINDS: dict[str, tuple[str, list[Column]]] = {
    "houses": (QT_TRANSLATE_NOOP("Office", "Houses and owners"), [
        _HOUSE, _BUILDING, _UNIT,
        Column("area", QT_TRANSLATE_NOOP("Office", "Floor area (m²)"),
               ("建筑面积", "面积", "房屋面积", "产权面积", "计费面积", "area"), True),
        Column("owner", QT_TRANSLATE_NOOP("Office", "Owner's name"),
               ("业主", "业主姓名", "姓名", "业主名称", "产权人", "户主", "客户名称", "客户姓名", "业主名", "owner")),
        Column("id_number", QT_TRANSLATE_NOOP("Office", "ID number"),
               ("身份证号", "证件号码", "身份证号码", "证件号", "身份证", "身份证件号码", "证件编号", "idnumber")),
        _PHONE,
        Column("handover", QT_TRANSLATE_NOOP("Office", "Handover date"),
               ("交房日期", "入住日期", "交付日期", "收房日期", "交付时间", "交房时间", "收房时间", "入伙日期",
                "入伙时间", "handover")),
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
    """The worksheet with the header: its header row (1-based; of a header on two rows, the
    lower) and names, and the rows below it as (row number, cells). Beside them what was
    left out while reading (the title above the header, empty rows) and what the check
    needs to know of the cells: formulas whose value was never saved, and cells merged
    down (a house cell over the rows of its co-owners: row, column → the merge's top row)."""
    name: str
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list]]
    title: list[tuple[int, str]] = field(default_factory=list)  # the rows above the header: (row, text)
    empty_rows: list[int] = field(default_factory=list)
    uncomputed: set[tuple[int, int]] = field(default_factory=set)  # (row, column index)
    merged: dict[tuple[int, int], int] = field(default_factory=dict)


def _all_names() -> set[str]:
    return {n for _label, cols in KINDS.values() for c in cols for n in c.names}


def open_book(path: str | Path):
    """An .xlsx opened with openpyxl for reading its cells' values (streamed: a large one is
    never all in memory); any file that is not one is the same clear refusal. (The meter
    readings' import reads with it; `read` below reads every format.)"""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable file is the same refusal to the clerk
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "This file could not be read as an Excel workbook (.xlsx)"))
    try:
        for ws in book.worksheets:
            extent = _check_size(Path(path), ws.title, extent=True)
            if extent is not None:  # its rows as far as its data go, not as its <dimension> claims
                ws._max_row, ws._max_column = extent  # noqa: SLF001 - what reset_dimensions() empties
            else:
                ws.reset_dimensions()
    except OfficeError:
        book.close()
        raise
    return book


_UNREADABLE = QT_TRANSLATE_NOOP("Office", "This file could not be read as a spreadsheet (.xlsx, .xls, .ods or .csv)")


def _unreadable() -> OfficeError:
    return OfficeError(_UNREADABLE)


@dataclass
class _Grid:
    """One sheet of a file as rows of cells, row 1 and column A first ('' for an empty
    cell); `load(n)` reads its first n rows, or all."""
    name: str
    visible: bool
    load: Callable[[int | None], list[list]]
    merges: Callable[[], list] = lambda: []
    uncomputed: Callable[[], set] = lambda: set()


def _grids(path: Path, progress=None) -> tuple[list[_Grid], Callable[[], None]]:
    """The sheets of the file at `path`, and what closes it. A workbook by its first bytes
    (a zip: .xlsx or .ods; OLE: .xls), anything else as text: a CSV or a web page's table
    (what web systems save with the name .xls). Each sheet is refused before it is read
    when its data reach past MAX_ROWS or MAX_COLUMNS."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError:
        raise _unreadable() from None
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return _workbook_grids(path, progress)
    try:
        data = Path(path).read_bytes()
    except OSError:
        raise _unreadable() from None
    return _text_grids(data, Path(path).stem), lambda: None


def _workbook_grids(path: Path, progress=None) -> tuple[list[_Grid], Callable[[], None]]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    _check_size(path, None, progress)  # an .ods: calamine reads every sheet as it opens the file
    try:
        book = CalamineWorkbook.from_path(str(path))
        metas = [m for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    except Exception:  # noqa: BLE001 - a damaged, encrypted or foreign file: the same refusal
        raise _unreadable() from None
    opened: dict[str, Any] = {}

    def sheet(name):
        if name not in opened:
            if not ods:  # an .xlsx sheet, checked before calamine makes its grid
                _check_size(path, name, progress)
            try:
                opened[name] = book.get_sheet_by_name(name)
            except Exception:  # noqa: BLE001
                raise _unreadable() from None
            end = opened[name].end or (0, 0)
            if end[0] >= MAX_ROWS or end[1] >= MAX_COLUMNS:  # an .xls, read before it could be checked
                raise _too_big(name, end[0] + 1, end[1] + 1)
        return opened[name]

    def load(name, nrows):
        try:
            return sheet(name).to_python(skip_empty_area=False, nrows=nrows)
        except OfficeError:
            raise
        except Exception:  # noqa: BLE001
            raise _unreadable() from None

    members = _members(path)
    xlsx, ods = "xl/workbook.xml" in members, "content.xml" in members

    def merges(name):
        if ods:  # calamine gives the merged cells of .xlsx and .xls only
            return _ods_merges(path, name)
        return sheet(name).merged_cell_ranges or []
    grids = [_Grid(m.name, m.visible == SheetVisibleEnum.Visible, lambda n, name=m.name: load(name, n),
                   lambda name=m.name: merges(name),
                   (lambda name=m.name: _uncomputed_formulas(path, name)) if xlsx else (lambda: set()))
             for m in metas]
    return grids, book.close


def _members(path: Path) -> set[str]:
    try:
        with zipfile.ZipFile(path) as z:
            return set(z.namelist())
    except (OSError, zipfile.BadZipFile):
        return set()  # an .xls


_TOO_BIG = QT_TRANSLATE_NOOP("Office", "The sheet “{sheet}” reaches cell {cell}: too big for one import (at most "
                                       "{rows} rows and {columns} columns). Split it into smaller files, or delete "
                                       "what lies beyond the table.")


def _too_big(sheet: str, row: int, col: int) -> OfficeError:
    return OfficeError(_TOO_BIG, sheet=sheet, cell=f"{column_letter(max(col, 1) - 1)}{max(row, 1)}",
                       rows=MAX_ROWS, columns=MAX_COLUMNS)


def _pieces(stream, progress: Callable[[int], None] | None):
    """An XML stream a piece at a time (a sheet's XML may unpack to far more than its file),
    each piece's end held back to its last '<' so no tag is cut in two; `progress` (it may
    raise to stop) after each piece."""
    rest = b""
    while True:
        chunk = stream.read(1 << 20)
        data = rest + chunk
        rest = b""
        if chunk:
            cut = data.rfind(b"<")
            if cut >= 0:
                data, rest = data[:cut], data[cut:]
        yield data
        if not chunk:
            return
        if progress:
            progress(0)


def _tags(stream, pattern: re.Pattern, progress: Callable[[int], None] | None):
    """The tags of an XML stream that `pattern` matches, piece by piece."""
    for data in _pieces(stream, progress):
        yield from pattern.finditer(data)


_XLSX_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)\b([^>]*?)(/?)>")
_XLSX_REF = re.compile(rb'\sr="([A-Za-z]{0,3})([0-9]*)"')


def _xlsx_extent(stream, sheet: str, progress=None) -> tuple[int, int]:
    """Refuse an .xlsx sheet holding a cell past MAX_ROWS or MAX_COLUMNS, read from its cells
    themselves, not from its <dimension> (any program may write one, and openpyxl trusts it):
    calamine makes a grid of every cell from A1 to the farthest one holding anything, even an
    empty text (a cell in XFD1048576 is a grid of 17 billion cells). An empty cell (<c …/>,
    a format only) and an empty row are not data. Returns the last row and column of data."""
    row = col = tags = last_row = last_col = 0
    for m in _tags(stream, _XLSX_TAG, progress):
        tags += 1
        if tags > _MAX_TAGS:
            raise _too_big(sheet, row, col)
        name, attrs, empty = m.groups()
        ref = _XLSX_REF.search(attrs)
        if name == b"row":
            row, col = (int(ref.group(2)) if ref and ref.group(2) else row + 1), 0
            continue
        letters = ref.group(1).upper() if ref else b""
        if letters:
            col = 0
            for ch in letters:
                col = col * 26 + ch - 64
        else:
            col += 1
        if ref and ref.group(2):
            row = int(ref.group(2))
        if not empty:
            if row > MAX_ROWS or col > MAX_COLUMNS:
                raise _too_big(sheet, row, col)
            last_row, last_col = max(last_row, row), max(last_col, col)
    return last_row, last_col


# the quick look of a sheet whose every cell starts with its place, <c r="B7" (what Excel,
# WPS, LibreOffice and openpyxl write): only the cells past column GR (200) or on a row of six
# digits or more are looked at one by one; any other cell sends the sheet to the count above
_XLSX_FAR = re.compile(rb'<c r="((?:[A-Z]{3,}|G[S-Z]|[H-Z][A-Z])[0-9]+|[A-Z]{1,2}[0-9]{6,})"([^>]*)>')


def _all_placed(data: bytes) -> bool:
    return (data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/") == data.count(b'<c r="')
            and b":c " not in data and b":c>" not in data)


def _xlsx_quick(opener, sheet: str, progress=None) -> None:
    """As _xlsx_extent, without the last row and column, at the speed of a regular expression."""
    tags = 0
    with opener() as stream:
        for data in _pieces(stream, progress):
            if not _all_placed(data):
                with opener() as again:
                    _xlsx_extent(again, sheet, progress)
                return
            tags += data.count(b"<")
            if tags > 5 * _MAX_TAGS:
                raise _too_big(sheet, 0, 0)
            for m in _XLSX_FAR.finditer(data):
                if m.group(2).endswith(b"/"):
                    continue  # a format only
                ref = re.fullmatch(rb"([A-Z]+)([0-9]+)", m.group(1))
                col = 0
                for ch in ref.group(1):
                    col = col * 26 + ch - 64
                if int(ref.group(2)) > MAX_ROWS or col > MAX_COLUMNS:
                    raise _too_big(sheet, int(ref.group(2)), col)


_ODS_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(table-row|table-cell|covered-table-cell|table)(?=[\s/>])"
                      rb"([^>]*?)(/?)>")
_ODS_REPEAT = re.compile(rb'number-(?:rows|columns)-repeated="([0-9]+)"')
_ODS_NAME = re.compile(rb'\s(?:[\w.-]+:)?name="([^"]*)"')


def _ods_extents(stream, progress=None) -> dict[str | None, OfficeError]:
    """The sheets of an .ods holding a cell past MAX_ROWS or MAX_COLUMNS, counted with the
    repeats the file writes (number-rows-repeated: one tag for a million rows, which calamine
    makes into a grid row by row): sheet → the refusal, None → the whole file's. A cell
    without content is no data."""
    over: dict[str | None, OfficeError] = {}
    sheet, row, col, tags = "", 0, 0, 0
    for m in _tags(stream, _ODS_TAG, progress):
        tags += 1
        if tags > _MAX_TAGS:  # past the budget the file is refused, whichever sheet is asked for
            return {None: _too_big(sheet, row, col)}
        name, attrs, empty = m.groups()
        repeat = _ODS_REPEAT.search(attrs)
        n = int(repeat.group(1)) if repeat else 1
        if name == b"table":
            found = _ODS_NAME.search(attrs)
            sheet, row, col = html.unescape(found.group(1).decode("utf-8", "replace")) if found else "", 0, 0
        elif name == b"table-row":
            row, col = row + n, 0
        else:
            col += n
            if (not empty or b"value-type=" in attrs) and (row > MAX_ROWS or col > MAX_COLUMNS):
                over.setdefault(sheet, _too_big(sheet, row, col))
    return over


def _check_size(path: Path, sheet: str | None, progress=None, *,
                extent: bool = False) -> tuple[int, int] | None:
    """Refuse the sheet `sheet` of the workbook at `path` (of an .ods: any sheet, `sheet`
    None, as calamine reads them all when it opens one) when its data reach past MAX_ROWS
    or MAX_COLUMNS, before calamine reads it; of an .xlsx sheet (`extent`), the last row and
    column of its data. An .xls is checked once read (its format stops at 65,536 rows and 256 columns)."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "content.xml" in names:
                with z.open("content.xml") as f:
                    over = _ods_extents(f, progress)
                if over:
                    raise next(iter(over.values()))
                return None
            if sheet is None:
                return None
            member = _xlsx_member(z, sheet)
            if member is None or member not in names:
                return None
            if not extent:
                return _xlsx_quick(lambda: z.open(member), sheet, progress)
            with z.open(member) as f:
                return _xlsx_extent(f, sheet, progress)
    except (KeyError, OSError, EOFError, ValueError, zipfile.BadZipFile, zlib.error):
        return None  # not a zip (an .xls) or a damaged one: calamine says what it makes of it


def _xlsx_member(z: zipfile.ZipFile, sheet_name: str) -> str | None:
    """The zip member of an .xlsx sheet, by its name: workbook.xml names it, its rels file
    says where it is."""
    book = z.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    rid = None
    for m in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", book):
        name = re.search(r'\bname="([^"]*)"', m.group(0))
        if name and html.unescape(name.group(1)) == sheet_name:
            rid = re.search(r'\br:id="([^"]*)"|\bid="([^"]*)"', m.group(0))
            break
    if rid is None:
        return None
    rid = rid.group(1) or rid.group(2)
    target = next((re.search(r'\bTarget="([^"]*)"', r.group(0)).group(1)
                   for r in re.finditer(r"<Relationship\b[^>]*>", rels) if f'Id="{rid}"' in r.group(0)), None)
    if target is None:
        return None
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _ods_merges(path: Path, sheet_name: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The cells of an .ods sheet merged over several rows, as calamine gives them for .xlsx:
    ((first row, first column), (last row, last column)), from 0."""
    import xml.etree.ElementTree as ET

    try:
        with zipfile.ZipFile(path) as z:
            data = z.read("content.xml")
    except (KeyError, OSError, zipfile.BadZipFile):
        return []
    if b"number-rows-spanned" not in data:
        return []
    t = _ODS_TABLE
    out, inside, row, col, depth = [], False, 0, 0, 0
    try:
        for event, el in ET.iterparse(io.BytesIO(data), events=("start", "end")):
            tag = el.tag
            if tag == t + "table":
                if event == "start":
                    depth += 1
                    if depth == 1:
                        inside, row = el.get(t + "name") == sheet_name, 0
                else:
                    depth -= 1
                    if inside and depth == 0:
                        break
            elif not inside or depth != 1:
                continue
            elif tag == t + "table-row":
                if event == "start":
                    col = 0
                else:
                    row += int(el.get(t + "number-rows-repeated", "1"))
                    el.clear()
            elif tag in (t + "table-cell", t + "covered-table-cell") and event == "start":
                rows = int(el.get(t + "number-rows-spanned", "1"))
                if rows > 1:
                    cols = int(el.get(t + "number-columns-spanned", "1"))
                    out.append(((row, col), (row + rows - 1, col + cols - 1)))
                col += int(el.get(t + "number-columns-repeated", "1"))
    except (ET.ParseError, ValueError):
        return out
    return out


def _uncomputed_formulas(path: Path, sheet_name: str) -> set[tuple[int, int]]:
    """The cells of an .xlsx sheet holding a formula with no saved value (row, column index):
    a file written by a program that never computed it. Excel and WPS compute and save them;
    calamine, like any reader, sees nothing there."""
    try:
        with zipfile.ZipFile(path) as z:
            member = _xlsx_member(z, sheet_name)
            if member is None:
                return set()
            xml = z.read(member)
    except (KeyError, OSError, zipfile.BadZipFile, AttributeError):
        return set()
    out: set[tuple[int, int]] = set()
    if b"<f" not in xml and b":f" not in xml:
        return out
    for m in re.finditer(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", xml, re.DOTALL):
        body = m.group(2) or b""
        if not re.search(rb"<(?:\w+:)?f[\s>/]", body):
            continue
        value = re.search(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>", body)
        if value and value.group(1):
            continue
        ref = re.search(rb'\br="([A-Z]+)(\d+)"', m.group(1))
        if ref:
            col = 0
            for ch in ref.group(1).decode():
                col = col * 26 + ord(ch) - 64
            out.add((int(ref.group(2)), col - 1))
    return out


def _decode(data: bytes) -> str:
    """Text in the encoding it was saved in: a BOM says it; else UTF-8 when it reads as UTF-8
    (Chinese in GBK hardly ever does), else GB18030 (GBK's superset, what Chinese Windows saves)."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise _unreadable() from None
    for encoding in ("utf-8", "gb18030"):
        try:
            t = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in t:
            return t
    raise _unreadable()


def _text_grids(data: bytes, name: str) -> list[_Grid]:
    if not data.strip():
        raise _unreadable()
    t = _decode(data)
    if re.match(r"\s*<", t) and re.search(r"<table\b", t, re.IGNORECASE):
        tables = _html_tables(t)
        for i, rows in enumerate(tables, start=1):
            _check_rows(name if len(tables) == 1 else f"{name} {i}", rows)
        if tables:
            return [_Grid(name if len(tables) == 1 else f"{name} {i}", True, lambda n, rows=rows: rows[:n])
                    for i, rows in enumerate(tables, start=1)]
        raise _unreadable()
    lines = [ln for ln in t.splitlines()[:20] if ln.strip()]
    # the separator of most fields on the first lines (Chinese text has its own comma, ，)
    delimiter = max("\t,;", key=lambda d: sum(ln.count(d) for ln in lines))
    rows = [[_csv_cell(c) for c in r] for r in csv.reader(io.StringIO(t, newline=""), delimiter=delimiter)]
    _check_rows(name, rows)
    return [_Grid(name, True, lambda n: rows[:n])]


def _check_rows(name: str, rows: list[list]) -> None:
    """Refuse a text file's table whose data reach past MAX_ROWS or MAX_COLUMNS (its rows
    are all there: the file's own size bounds them)."""
    for i in range(len(rows) - 1, MAX_ROWS - 1, -1):
        if any(not _blank(v) for v in rows[i]):
            raise _too_big(name, i + 1, 1)
    for i, values in enumerate(rows):
        if len(values) > MAX_COLUMNS:
            far = next((j for j in range(len(values) - 1, MAX_COLUMNS - 1, -1) if not _blank(values[j])), None)
            if far is not None:
                raise _too_big(name, i + 1, far + 1)


def _csv_cell(value: str) -> str:
    """="440305…" and '440305…: what other programs write so that Excel keeps the digits."""
    if value.startswith('="') and value.endswith('"') and len(value) >= 3:
        return value[2:-1]
    if value.startswith("'") and value[1:2].isdigit():
        return value[1:]
    return value


def _html_tables(t: str) -> list[list[list]]:
    """The tables of a web page, cells as text; a cell spanning columns or rows fills the
    places it covers, so every row's cells stay under their headers."""
    from html.parser import HTMLParser

    class Tables(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.tables: list[list[list]] = []
            self.spans: dict[int, tuple[int, str]] = {}  # column → (rows still covered, text)
            self.row: list | None = None
            self.cell: list[str] | None = None
            self.colspan = self.rowspan = 1

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.tables.append([])
                self.spans = {}
            elif tag == "tr" and self.tables:
                self.end_row()
                self.row = []
                self.fill_spans()
            elif tag in ("td", "th") and self.row is not None:
                self.end_cell()
                a = dict(attrs)
                self.colspan, self.rowspan = _span(a.get("colspan")), _span(a.get("rowspan"))
                self.cell = []
            elif tag == "br" and self.cell is not None:
                self.cell.append("\x00")  # a line break the page means, unlike the source's own

        def fill_spans(self):
            while len(self.row) in self.spans:
                left, value = self.spans[len(self.row)]
                self.row.append(value)
                if left <= 1:
                    del self.spans[len(self.row) - 1]
                else:
                    self.spans[len(self.row) - 1] = (left - 1, value)

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

        def end_cell(self):
            if self.cell is None:
                return
            value = re.sub(r"\s+", " ", "".join(self.cell)).replace(" \x00", "\x00").replace("\x00 ", "\x00")
            value = value.strip().strip("\x00").replace("\x00", "\n")
            for i in range(self.colspan):
                col = len(self.row)
                if col >= MAX_COLUMNS and (i or not value):  # empty places past the table: nothing kept
                    break
                self.row.append(value if i == 0 else "")
                if self.rowspan > 1 and i == 0:
                    self.spans[col] = (self.rowspan - 1, value)
                self.fill_spans()
            self.cell = None

        def end_row(self):
            self.end_cell()
            if self.row is not None and self.tables:
                self.tables[-1].append(self.row)
            self.row = None

        def handle_endtag(self, tag):
            if tag in ("td", "th"):
                self.end_cell()
            elif tag == "tr":
                self.end_row()
            elif tag == "table":
                self.end_row()

    parser = Tables()
    parser.feed(t)
    parser.end_row()
    return [rows for rows in parser.tables if rows]


def _span(value) -> int:
    try:
        return max(1, min(int(value), 1000))
    except (TypeError, ValueError):
        return 1


def _blank(v) -> bool:
    return v is None or v == "" or (v.__class__ is str and (v.isspace() or not text(v)))


def _score(cells, known: set[str]) -> int:
    return sum(1 for v in cells if not _blank(v) and clean_header(v) in known)


def _header(rows: list[list], known: set[str]) -> tuple[int, int, list, int]:
    """Where the header is among the first rows: (first row index, last row index, its
    cells, how many of them are column names offices use). A header on two rows (房屋信息 /
    业主信息 over 房号, 姓名 …, or 房号 merged down beside them) is read as one: each column's
    lower name, or its upper where the lower is empty, when that names more columns."""
    best = (0, 0, [], 0)
    top = min(HEADER_ROWS, len(rows))
    for i in range(top):
        one = _score(rows[i], known)
        if one > best[3]:
            best = (i, i, rows[i], one)
        if i + 1 < len(rows):
            upper, lower = rows[i], rows[i + 1]
            width = max(len(upper), len(lower))
            both = [lower[j] if j < len(lower) and not _blank(lower[j]) else (upper[j] if j < len(upper) else "")
                    for j in range(width)]
            two = _score(both, known)
            if two > max(one, _score(lower, known), best[3]):
                best = (i, i + 1, both, two)
    return best


def _shown(v) -> str:
    """A header as the clerk sees it in the sheet."""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return "" if v is None else re.sub(r"\s+", " ", str(v)).strip()


def read(path: str | Path, *, header_row: int | None = None,
         progress: Callable[[int], None] | None = None) -> Sheet:
    """Read the sheet with the header: of the visible sheets (hidden ones only when none
    has a header) the one whose header has the most column names offices use, the first of
    equals. Cells merged down in the data are filled down (a 楼栋 merged over its houses);
    empty rows are left out. A sheet whose data reach past MAX_ROWS rows or MAX_COLUMNS
    columns is refused, found from the cells really there before it is read; `progress`
    is called as the file is read (it may raise to stop)."""
    grids, close = _grids(Path(path), progress)
    try:
        known = _all_names()
        chosen = None
        for visible in (True, False):
            for g in grids:
                if g.visible != visible:
                    continue
                if header_row is not None:
                    rows = g.load(header_row)
                    found = (header_row - 1, header_row - 1, rows[header_row - 1] if len(rows) >= header_row else [],
                             1)
                else:
                    found = _header(g.load(HEADER_ROWS + 1), known)
                if found[3] and (chosen is None or found[3] > chosen[1][3]):
                    chosen = (g, found)
            if chosen:
                break
        if chosen is None:
            raise OfficeError(QT_TRANSLATE_NOOP(
                "Office", "No header row (房号, 姓名, 面积 …) in the first 10 rows of any sheet"))
        g, (first, last, cells, _score_) = chosen
        grid = g.load(None)
        merged: dict[tuple[int, int], int] = {}
        for (r1, c1), (r2, _c2) in g.merges():
            if r2 > r1 > last and r1 < len(grid) and c1 < len(grid[r1]):
                value = grid[r1][c1]
                for r in range(r1 + 1, min(r2, len(grid) - 1) + 1):
                    row = grid[r]
                    if c1 >= len(row):
                        row.extend([""] * (c1 + 1 - len(row)))
                    row[c1] = value
                    merged[(r + 1, c1)] = r1 + 1
                merged[(r1 + 1, c1)] = r1 + 1
        uncomputed = g.uncomputed()
        name = g.name
    finally:
        close()
    title = [(n, " ".join(_shown(v) for v in values if not _blank(v)))
             for n, values in enumerate(grid[:first], start=1) if not all(_blank(v) for v in values)]
    rows, empty, width = [], [], max((j + 1 for j, v in enumerate(cells) if not _blank(v)), default=0)
    for i in range(last + 1, len(grid)):
        values = grid[i]
        for j in range(len(values) - 1, -1, -1):
            v = values[j]
            if not (v == "" or v is None or (v.__class__ is str and (v.isspace() or not text(v)))):
                if j >= width:
                    width = j + 1
                rows.append((i + 1, values))
                break
        else:
            empty.append(i + 1)
    last_row = rows[-1][0] if rows else 0
    headers = [_shown(v) for v in cells[:width]] + [""] * max(0, width - len(cells))
    return Sheet(name, last + 1, headers, rows, title=title, empty_rows=[n for n in empty if n < last_row],
                 uncomputed={c for c in uncomputed if c[0] > last + 1}, merged=merged)


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
    """0 → A, 25 → Z, 26 → AA: the letters Excel gives a column."""
    letters, n = "", index + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


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
    notes: list[Problem] = field(default_factory=list)  # rows left out as no data (a title, 合计, 备注 …)
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

    def __init__(self, n: int, values, mapping: dict[str, int], sheet: Sheet, report: Report):
        self.n, self.values, self.mapping, self.report = n, values, mapping, report
        self.headers, self.uncomputed = sheet.headers, sheet.uncomputed
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
        if self.uncomputed and (self.n, self.mapping.get(key)) in self.uncomputed:
            self.problem(key, QT_TRANSLATE_NOOP(
                "Office", "This cell holds a formula whose result was never saved (the file was made by a program): "
                          "open it in Excel or WPS, save it, and import it again"))
            return default
        try:
            return parse(self.raw(key))
        except CellError as e:
            self.problem(key, e.template, **e.params)
            return default

    def problem(self, key: str, template: str, **params) -> None:
        self.failed = True
        self.report.problems.append(Problem(self.n, self.where(key) if key else "", template, params))


# what a row that is no house begins with: a total, or the notes and signatures under a table
_TOTAL = re.compile(r"(本页|本栋|本楼|本单元|全部|以上)?(总合计|合计|小计|总计|共计|累计)|(sub)?total\b", re.IGNORECASE)
_FOOTNOTE = re.compile(r"(备注|说明|注[:：0-9一二三]|注意|制表|审核|复核|填表|填报|打印|导出|负责人|经办人"
                       r"|盖章|签字|签名|数据来源|以上|\*|※|note)", re.IGNORECASE)
_LEADS = frozenset("本全以合小总共累备说注制审复填打导负经盖签数*※TtSsNn")  # the first characters of those


def _first_text(values) -> str:
    for v in values:
        if not _blank(v):
            return text(v).replace(" ", "") if isinstance(v, str) else ""
    return ""


def _first_shown(values) -> str:
    return next((_shown(v) for v in values if not _blank(v)), "")


def _is_a_house(values, mapping: dict[str, int]) -> bool:
    def cell(key):
        i = mapping.get(key)
        return values[i] if i is not None and i < len(values) else None
    try:
        if "building" in mapping:
            house_label(cell("house"), cell("building"), cell("unit"))
        else:
            house_label(cell("house"))
        return True
    except CellError:
        return False


def _rows(sheet: Sheet, mapping: dict[str, int], report: Report):
    """The rows of data, each as a _Row; the others are left out with a note: the title above
    the header, empty rows and rows with nothing in the matched columns (a 序号 alone), a
    合计/小计 row, and the notes under the table (备注：…, 制表人, 说明, and the lines after them)."""
    if sheet.title:
        report.notes.append(Problem(sheet.title[0][0], "", QT_TRANSLATE_NOOP(
            "Office", "Left out: the title above the header (\"{text}\")"),
            {"text": _brief(" ".join(t for _n, t in sheet.title), 60)}))
    columns = sorted(set(mapping.values()))
    empty = list(sheet.empty_rows)
    footnotes: list[tuple[int, str]] = []
    footer = False
    for n, values in sheet.rows:
        first = values[0] if values else None
        lead = _first_text(values) if not isinstance(first, (int, float)) or _blank(first) else ""
        if lead[:1] in _LEADS or footer:
            if not _is_a_house(values, mapping):
                if _TOTAL.match(lead) and not footer:
                    report.notes.append(Problem(n, "", QT_TRANSLATE_NOOP(
                        "Office", "Left out: a total row (\"{text}\")"), {"text": _brief(_first_shown(values))}))
                    continue
                if footer or _FOOTNOTE.match(lead):
                    footer = True
                    footnotes.append((n, _first_shown(values)))
                    continue
            footer = False
        if all(_blank(values[i]) if i < len(values) else True for i in columns):
            empty.append(n)
            continue
        yield _Row(n, values, mapping, sheet, report)
    if footnotes:
        report.notes.append(Problem(footnotes[0][0], "", QT_TRANSLATE_NOOP(
            "Office", "Left out: notes under the table on rows {rows} (\"{text}\")"),
            {"rows": _row_ranges([n for n, _t in footnotes]), "text": _brief(footnotes[0][1])}))
    if empty:
        empty.sort()
        report.notes.append(Problem(empty[0], "", QT_TRANSLATE_NOOP(
            "Office", "Left out: nothing to import on rows {rows}"), {"rows": _row_ranges(empty)}))
    report.notes.sort(key=lambda p: p.row)


def _brief(t: str, limit: int = 30) -> str:
    return t if len(t) <= limit else t[:limit - 1] + "…"


def _row_ranges(numbers: list[int]) -> str:
    """[5, 9, 10, 11, 14] → '5, 9–11, 14'."""
    out, start, prev = [], None, None
    for n in numbers + [None]:
        if start is not None and (n is None or n != prev + 1):
            out.append(str(start) if start == prev else f"{start}–{prev}")
            start = None
        if n is not None and start is None:
            start = n
        prev = n
    return ", ".join(out)


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


def _archive_ids() -> dict[str, tuple[int, str]]:
    """ID number → (owner id, name) of the owners in the archive."""
    return {num: (oid, name) for oid, num, name in owners.Owner.select(owners.Owner.id, owners.Owner.id_number,
                                                                         owners.Owner.name)
            .where(owners.Owner.id_number != "").tuples()}


def _check_houses(sheet: Sheet, mapping: dict[str, int], report: Report) -> None:
    """One row per house. Co-owners are named in one cell (张三、李四, their ID numbers and
    phones likewise, in the same order), or on rows whose house cell is merged over them; any
    other repeat of a house is a problem. One ID number is one person: under two names it is
    a problem; under one name on two houses it is one owner of both."""
    known = _known_houses()
    current = _current_owners()
    in_archive = _archive_ids() if "id_number" in mapping else {}
    house_col = mapping.get("house")
    seen: dict[str, tuple[int, int | None, int | None, list]] = {}  # label → (first row, area, merge top, names)
    names_seen: dict[tuple[str, str], int] = {}
    ids_seen: dict[str, tuple[int, str]] = {}  # ID number → (first row, name)
    for row in _rows(sheet, mapping, report):
        n = row.n
        label = _house_of(row)
        a = row.get("area", area)
        people = row.get("owner", names, []) if "owner" in mapping else []
        ids = row.get("id_number", id_numbers, []) if "id_number" in mapping else []
        numbers = row.get("phone", phones, []) if "phone" in mapping else []
        handover = row.get("handover", date) if "handover" in mapping else None
        note = row.get("note", text, "") if "note" in mapping else ""
        state = row.get("state", house_state, "") if "state" in mapping else ""
        if label is None:
            continue
        merge_top = sheet.merged.get((n, house_col))
        if label in known and a is not None and known[label][1] != a:
            row.problem("area", QT_TRANSLATE_NOOP("Office", "{house} is in the archive with {area} m²"),
                        house=label, area=estate.fmt_area(known[label][1]))
        if label in seen:
            first, first_area, first_merge, first_people = seen[label]
            if first_area is not None and a is not None and first_area != a:
                row.problem("area", QT_TRANSLATE_NOOP("Office", "{house} has another area on row {row}"),
                            house=label, row=first)
            elif people and people == first_people:
                row.problem("owner", QT_TRANSLATE_NOOP(
                    "Office", "{name} is listed twice for {house} (also on row {row})"),
                    name="、".join(people), house=label, row=first)
            elif merge_top is None or merge_top != first_merge or not people:
                # co-owners on rows of their own only under one merged house cell: else a typing slip
                row.problem("house", QT_TRANSLATE_NOOP("Office", "{house} is listed twice (also on row {row})"),
                            house=label, row=first)
        else:
            seen[label] = (n, a, merge_top, people)
        if row.failed:
            continue
        if label.count("-") != 2:
            row.problem("house", QT_TRANSLATE_NOOP("Office", "\"{value}\" has no unit: write it like 3-2-1201"),
                        value=label)
            continue
        if handover and handover > clock.today():
            row.problem("handover", QT_TRANSLATE_NOOP("Office", "The handover date {date} is in the future"),
                        date=handover.isoformat())
        if (ids or numbers) and not people:
            row.problem("owner" if "owner" in mapping else ("id_number" if ids else "phone"),
                        QT_TRANSLATE_NOOP("Office", "An ID number or phone is given but no owner's name"))
            continue
        if len(ids) not in (0, len(people)):
            row.problem("id_number", QT_TRANSLATE_NOOP(
                "Office", "The owners named ({owners}) and the ID numbers given ({ids}) do not match: give one "
                          "for each owner, in the same order (…、…)"), owners=len(people), ids=len(ids))
            continue
        if len(people) == 1 and len(numbers) > 2 or len(people) > 1 and len(numbers) not in (0, 1, len(people)):
            row.problem("phone", QT_TRANSLATE_NOOP(
                "Office", "Give at most two phones for one owner, or one for each co-owner in the same order"))
            continue
        found = []
        for k, name in enumerate(people):
            fields: dict[str, Any] = {"name": name}
            if ids:
                fields["id_number"] = ids[k]
            if len(people) == 1:
                fields.update(zip(("phone", "phone2"), numbers))
            elif len(numbers) == len(people) or (numbers and k == 0):
                fields["phone"] = numbers[k] if len(numbers) == len(people) else numbers[0]
            try:
                fields = owners._clean_owner(fields, partial=False)
            except ValidationError as e:
                for key, (template, params) in e.fields.items():
                    column = "phone" if key == "phone2" else key  # both phones come from the one column
                    row.problem(column if column in mapping else "owner", template, **params)
                continue
            number = fields.get("id_number", "")
            existing = None
            if number and number in ids_seen and ids_seen[number][1] != name:
                other_row, other_name = ids_seen[number]
                row.problem("id_number", QT_TRANSLATE_NOOP(
                    "Office", "This ID number is also on row {row}, under the name {name}"),
                    row=other_row, name=other_name)
            elif number and number in in_archive:
                existing, archive_name = in_archive[number]
                if archive_name != name:
                    row.problem("id_number", QT_TRANSLATE_NOOP(
                        "Office", "This ID number is in the archive under the name {name}"), name=archive_name)
            if number:
                ids_seen.setdefault(number, (n, name))
            if (label, name) in names_seen:
                row.problem("owner", QT_TRANSLATE_NOOP(
                    "Office", "{name} is listed twice for {house} (also on row {row})"),
                    name=name, house=label, row=names_seen[(label, name)])
                continue
            names_seen[(label, name)] = n
            found.append(dict(fields=fields, existing=existing))
        if row.failed:
            continue
        have = current.get(known[label][0], set()) if label in known else set()
        if label in known and all(p["fields"]["name"] in have for p in found):
            report.skipped += 1  # already in the archive as it is
            continue
        if have:
            row.problem("owner", QT_TRANSLATE_NOOP(
                "Office", "{house} already has its owner {owners} in the archive; a change of owner is made there"),
                house=label, owners="、".join(sorted(have)))
            continue
        b, u, number = label.split("-")
        report.plan.append(dict(row=n, label=label, building=b, unit=u, number=number, area=a, owners=found,
                                handover=handover, note=note,
                                state=state or ("owner_occupied" if handover else "undelivered"),
                                house_id=known[label][0] if label in known else None))
    report.new = {
        "houses": len({p["label"] for p in report.plan if p["house_id"] is None}),
        "owners": len({_person(o) for p in report.plan for o in p["owners"] if not o["existing"]}),
    }


def _person(owner: dict) -> tuple:
    """Who an owner of the plan is: the archive's owner, the one with this ID number, or a
    new person of each row."""
    if owner["existing"]:
        return "archive", owner["existing"]
    number = owner["fields"].get("id_number")
    return ("id", number) if number else ("new", id(owner))


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
    for row in _rows(sheet, mapping, report):
        n = row.n
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
            for key, (template, params) in e.fields.items():
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
    for row in _rows(sheet, mapping, report):
        n = row.n
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
    people = list(dict.fromkeys(_person(o) for p in report.plan for o in p["owners"] if not o["existing"]))
    owner_ids = dict(zip(people, _reserve_ids(owners.Owner, len(people))))
    names: dict[int, list[str]] = {}
    houses, made, links, keys = [], [], [], []
    for p in report.plan:
        b = buildings.get(p["building"])
        if b is None:
            b = buildings[p["building"]] = Building.create(
                code=p["building"], name=f"{p['building']}栋", sort_key=estate._sort_key(p["building"]))
        if (b.id, p["unit"]) not in units:
            units[(b.id, p["unit"])] = Unit.create(building=b, code=p["unit"], name=f"{p['unit']}单元")
    created: set[int] = set()
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
        for o in p["owners"]:
            fields = o["fields"]
            owner_id = o["existing"] or owner_ids[_person(o)]
            if not o["existing"] and owner_id not in created:
                created.add(owner_id)
                made.append(dict(id=owner_id, created_at=now, **fields))
                keys += _name_keys("owner", owner_id, fields["name"], fields.get("phone", ""))
            # the first owner listed is the primary one (the house had none: the check saw to it)
            links.append(dict(house=house_id, owner=owner_id, is_primary=not listed, since=p["handover"] or today))
            listed.append(fields["name"])
    for h in houses:
        h["owner_names"] = "、".join(names.get(h["id"], []))[:128]
    _bulk_insert(House, houses)
    _bulk_insert(owners.Owner, made)
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
    late_items = set(settings.office.late_fee_items)
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
