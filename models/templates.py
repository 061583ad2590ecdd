"""套打 templates: how one document is laid out on one stock. A template names its paper
(any size in mm, continuous or cut sheet) and places each value of the document in a box
of its own (mm from the paper's top left corner) with its type size, alignment and how it
fits (smaller on one line, or on more lines, never below the size the template allows);
the static text, rules, boxes, pictures and letterhead that print only on plain paper; and
the table of charge lines with its rows per form.

The built-in layouts are templates too (printing/ makes them from their measures), so an
office's own template starts as a copy of the built-in one. Templates are the office's:
kept in the database (every PC of a server office uses the same), exported to a file and
imported on another estate's PCs, each checked here before it is kept, with the reason in
the clerk's words when it cannot be. Which template a PC uses for each document is the
PC's own choice (ui/prefs), beside its printer's offsets.

Qt-free and reportlab-free: a template is data; printing/template.py prints it."""
from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import MISSING, asdict, dataclass, replace

import peewee as pw

from models import audit, clock, users
from models.db import BaseModel
from models.errors import Label, NotFound, OfficeError, QT_TRANSLATE_NOOP, ValidationError

FORMAT = 1  # the file format's version: a later program reads files of this version
KINDS = ("field", "text", "line", "rect", "image", "letterhead", "code")
SMALLEST_CODE_MM = 10.0  # a QR code smaller than this a desk scanner does not read
ALIGN = ("left", "centre", "right")
VALIGN = ("middle", "baseline")
SMALLEST = 4.0  # no type smaller than this, whatever a template says
LARGEST_PAPER_MM = 600
LOWEST_BOX_MM = 1.5  # a box lower than this holds no line of any type allowed
LONGEST_WORDS = 200  # a text item's words, a label's at most 40
MOST_PIXELS = 25_000_000  # a picture in a template: a scan of A3 at 300 dpi is 17 million
PLACEHOLDER = re.compile(r"\{(\w+)\}")  # {payer} in a text item's words: the value


@dataclass(frozen=True)
class Document:
    key: str
    label: str  # English, translated by the UI (context "Office")
    fields: dict  # name → label: the values the document has to print
    columns: dict  # the table's columns: name → label


DOCUMENTS = {d.key: d for d in [
    Document("receipt", QT_TRANSLATE_NOOP("Office", "Receipt"), {
        "number": QT_TRANSLATE_NOOP("Office", "Receipt number"),
        "date": QT_TRANSLATE_NOOP("Office", "Date"),
        "house": QT_TRANSLATE_NOOP("Office", "House"),
        "payer": QT_TRANSLATE_NOOP("Office", "Paid by"),
        "method": QT_TRANSLATE_NOOP("Office", "Payment method"),
        "cashier": QT_TRANSLATE_NOOP("Office", "Cashier"),
        "total": QT_TRANSLATE_NOOP("Office", "Total in figures"),
        "total_words": QT_TRANSLATE_NOOP("Office", "Total in capitals"),
        "note": QT_TRANSLATE_NOOP("Office", "Note (cash and change)"),
        "copy": QT_TRANSLATE_NOOP("Office", "Copy (存根/收据/记账)"),
        "sheet": QT_TRANSLATE_NOOP("Office", "Form n of m"),
        "reprint": QT_TRANSLATE_NOOP("Office", "Reprint mark"),
        "title": QT_TRANSLATE_NOOP("Office", "Title"),
        "signatures": QT_TRANSLATE_NOOP("Office", "Signature line"),
        "footer": QT_TRANSLATE_NOOP("Office", "Footer"),
    }, {
        "item": QT_TRANSLATE_NOOP("Office", "Item"),
        "period": QT_TRANSLATE_NOOP("Office", "Period"),
        "quantity": QT_TRANSLATE_NOOP("Office", "Quantity"),
        "unit_price": QT_TRANSLATE_NOOP("Office", "Unit price"),
        "amount": QT_TRANSLATE_NOOP("Office", "Amount"),
    }),
    Document("work-order", QT_TRANSLATE_NOOP("Office", "Work order"), {
        "number": QT_TRANSLATE_NOOP("Office", "Work order number"),
        "place": QT_TRANSLATE_NOOP("Office", "House or place"),
        "reporter": QT_TRANSLATE_NOOP("Office", "Reported by"),
        "phone": QT_TRANSLATE_NOOP("Office", "Phone"),
        "reported_at": QT_TRANSLATE_NOOP("Office", "Reported at"),
        "what": QT_TRANSLATE_NOOP("Office", "What is wrong"),
        "category": QT_TRANSLATE_NOOP("Office", "Category"),
        "urgency": QT_TRANSLATE_NOOP("Office", "Urgency"),
        "technician": QT_TRANSLATE_NOOP("Office", "Technician"),
        "appointment": QT_TRANSLATE_NOOP("Office", "Appointment"),
        "reworks": QT_TRANSLATE_NOOP("Office", "Rework"),
        "title": QT_TRANSLATE_NOOP("Office", "Title"),
        "terms": QT_TRANSLATE_NOOP("Office", "Terms"),
    }, {}),
    Document("parcel-label", QT_TRANSLATE_NOOP("Office", "Parcel label"), {
        "code": QT_TRANSLATE_NOOP("Office", "Pickup code"),
        "house": QT_TRANSLATE_NOOP("Office", "House"),
        "shelf": QT_TRANSLATE_NOOP("Office", "Shelf"),
        "recipient": QT_TRANSLATE_NOOP("Office", "Recipient"),
        "courier": QT_TRANSLATE_NOOP("Office", "Courier and tracking number"),
        "received": QT_TRANSLATE_NOOP("Office", "Received at"),
    }, {}),
    Document("key-slip", QT_TRANSLATE_NOOP("Office", "Key loan slip"), {
        "number": QT_TRANSLATE_NOOP("Office", "Slip number"),
        "key": QT_TRANSLATE_NOOP("Office", "Key"),
        "borrower": QT_TRANSLATE_NOOP("Office", "Borrower"),
        "phone": QT_TRANSLATE_NOOP("Office", "Phone"),
        "lent_at": QT_TRANSLATE_NOOP("Office", "Lent at"),
        "due_at": QT_TRANSLATE_NOOP("Office", "Due back"),
        "id_number": QT_TRANSLATE_NOOP("Office", "ID number"),
        "consent": QT_TRANSLATE_NOOP("Office", "Owner's consent"),
        "approved_by": QT_TRANSLATE_NOOP("Office", "Approved by"),
        "purpose": QT_TRANSLATE_NOOP("Office", "Purpose"),
        "clerk": QT_TRANSLATE_NOOP("Office", "Clerk"),
        "title": QT_TRANSLATE_NOOP("Office", "Title"),
        "terms": QT_TRANSLATE_NOOP("Office", "Terms"),
    }, {}),
    Document("item-slip", QT_TRANSLATE_NOOP("Office", "Item loan slip"), {
        "number": QT_TRANSLATE_NOOP("Office", "Slip number"),
        "item": QT_TRANSLATE_NOOP("Office", "Item"),
        "borrower": QT_TRANSLATE_NOOP("Office", "Borrower"),
        "phone": QT_TRANSLATE_NOOP("Office", "Phone"),
        "lent_at": QT_TRANSLATE_NOOP("Office", "Lent at"),
        "due_at": QT_TRANSLATE_NOOP("Office", "Due back"),
        "condition_out": QT_TRANSLATE_NOOP("Office", "Condition when lent"),
        "returned_at": QT_TRANSLATE_NOOP("Office", "Returned at"),
        "condition_back": QT_TRANSLATE_NOOP("Office", "Condition when returned"),
        "clerk": QT_TRANSLATE_NOOP("Office", "Clerk"),
        "title": QT_TRANSLATE_NOOP("Office", "Title"),
        "terms": QT_TRANSLATE_NOOP("Office", "Terms"),
    }, {}),
    *(Document(key, label, {
        "house": QT_TRANSLATE_NOOP("Office", "House"),
        "owner": QT_TRANSLATE_NOOP("Office", "Owner"),
        "greeting": QT_TRANSLATE_NOOP("Office", "Greeting"),
        "body": QT_TRANSLATE_NOOP("Office", "The office's wording"),
        "principal": QT_TRANSLATE_NOOP("Office", "Charges owed"),
        "late_fee": QT_TRANSLATE_NOOP("Office", "Late fees"),
        "total": QT_TRANSLATE_NOOP("Office", "Total in figures"),
        "total_words": QT_TRANSLATE_NOOP("Office", "Total in capitals"),
        "as_of": QT_TRANSLATE_NOOP("Office", "Late fees counted to"),
        "signature": QT_TRANSLATE_NOOP("Office", "Office's name"),
        "date": QT_TRANSLATE_NOOP("Office", "Date"),
        "sheet": QT_TRANSLATE_NOOP("Office", "Form n of m"),
        "title": QT_TRANSLATE_NOOP("Office", "Title"),
    }, {
        "period": QT_TRANSLATE_NOOP("Office", "Month"),
        "item": QT_TRANSLATE_NOOP("Office", "Item"),
        "principal": QT_TRANSLATE_NOOP("Office", "Owed"),
        "late_fee": QT_TRANSLATE_NOOP("Office", "Late fee"),
        "subtotal": QT_TRANSLATE_NOOP("Office", "Subtotal"),
    }) for key, label in (("notice", QT_TRANSLATE_NOOP("Office", "Payment notice")),
                          ("dunning", QT_TRANSLATE_NOOP("Office", "Dunning notice")))),
]}


@dataclass(frozen=True)
class Item:
    """One thing on the form, its box in mm from the paper's top left corner. A `field`
    prints the document's value `name` (after `label` on plain paper: "日期 "); `text`
    prints its words (`{name}` in them is the value) on plain paper only, as do the `line`
    (from the box's top left to its bottom right), the `rect`, the `image` (PNG or JPEG,
    in `data`) and the office's `letterhead`. Text is set at `size` pt, or smaller down to
    `min_size` on one line and then on up to `lines` lines, never below `floor` (the
    template's smallest: `min_size` unless said); `valign` "baseline" sets one line's
    baseline where `size` type would sit in the box whatever size it is set at; `frame`
    boxes it in bold (the reprint mark). A `code` prints the value `name` as a QR code, the
    largest square its box holds (its quiet zone inside), in both modes: it is data."""
    kind: str
    x: float
    y: float
    w: float
    h: float
    name: str = ""
    text: str = ""
    label: str = ""
    size: float = 9.0
    min_size: float = 6.0
    lines: int = 1
    floor: float | None = None
    align: str = "left"
    valign: str = "middle"
    frame: bool = False
    weight: float = 0.3  # a line's or box's stroke, in points
    data: str = ""  # an image, base64

    @property
    def smallest(self) -> float:
        return max(SMALLEST, self.min_size if self.floor is None else self.floor)


@dataclass(frozen=True)
class Column:
    name: str
    x: float  # mm from the paper's left edge
    w: float
    head: str = ""  # its heading, printed on plain paper
    size: float = 9.0
    min_size: float = 5.5
    lines: int = 2
    floor: float | None = None
    align: str = "left"
    pad: float = 1.0  # mm kept clear at each side

    @property
    def smallest(self) -> float:
        return max(SMALLEST, self.min_size if self.floor is None else self.floor)


@dataclass(frozen=True)
class Table:
    """The charge lines: a heading row `head` mm high at `y` (plain paper; 0 for none), then
    `rows` rows of `row` mm, one line each. `flow`: on plain paper the foot (every item
    below the table) follows the last line printed instead of standing below the last row;
    `rules`: the table's rules print (plain paper)."""
    x: float
    y: float
    w: float
    row: float
    rows: int
    columns: tuple[Column, ...]
    head: float = 0.0
    flow: bool = False
    rules: bool = True
    head_size: float = 9.0

    @property
    def bottom(self) -> float:
        return self.y + self.head + self.row * self.rows


@dataclass(frozen=True)
class Template:
    document: str
    name: str
    width: float  # the paper, mm
    height: float
    continuous: bool = False
    items: tuple[Item, ...] = ()
    table: Table | None = None
    background: str = ""  # the designer's picture of the stock (base64), never printed

    def fields(self) -> set[str]:
        return {i.name for i in self.items if i.kind == "field"}

    def to_dict(self) -> dict:
        out = {"format": FORMAT, **asdict(self)}
        out["items"] = [_lean(asdict(i), Item) for i in self.items]
        if self.table is not None:
            out["table"]["columns"] = [_lean(asdict(c), Column) for c in self.table.columns]
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)


def _lean(values: dict, cls) -> dict:
    """Only what differs from the defaults: a file an office can read."""
    defaults = {f.name: f.default for f in cls.__dataclass_fields__.values() if f.default is not MISSING}
    return {k: v for k, v in values.items() if k not in defaults or defaults[k] != v}


# --- reading a template, checking it ---------------------------------------------------------

def problem(template: str, **params) -> tuple[str, dict]:
    return template, params


def label(document: str, name: str) -> Label | str:
    """A value of `document` as the clerk knows it: its field's or column's name; a name
    the document does not have, as it is written."""
    doc = DOCUMENTS.get(document)
    known = {**doc.fields, **doc.columns} if doc else {}
    return Label(known[name]) if name in known else name


def what(item: Item, document: str) -> Label | str:
    """The item as the clerk knows it: the field's name, the words of a text."""
    if item.kind == "field":
        return label(document, item.name)
    if item.kind == "code":
        return Label(QT_TRANSLATE_NOOP("Office", "the QR code"))
    if item.kind == "text":
        return f"“{item.text[:20]}”"
    return Label({"line": QT_TRANSLATE_NOOP("Office", "a line"), "rect": QT_TRANSLATE_NOOP("Office", "a box"),
                  "image": QT_TRANSLATE_NOOP("Office", "a picture"),
                  "letterhead": QT_TRANSLATE_NOOP("Office", "the letterhead")}.get(item.kind, item.kind))


def check(t: Template) -> list[tuple[str, dict]]:
    """Every reason the template cannot print, in the clerk's words (empty: it can)."""
    found: list[tuple[str, dict]] = []
    doc = DOCUMENTS.get(t.document)
    if doc is None:
        return [problem(QT_TRANSLATE_NOOP("Office", "This template is for a document the program does not know: "
                                                    "{name}"), name=t.document)]
    if not t.name.strip():
        found.append(problem(QT_TRANSLATE_NOOP("Office", "The template needs a name")))
    elif len(t.name.strip()) > 64:
        found.append(problem(QT_TRANSLATE_NOOP("Office", "The template's name is too long (at most {n} characters)"),
                             n=64))
    if not (20 <= t.width <= LARGEST_PAPER_MM and 20 <= t.height <= LARGEST_PAPER_MM):
        found.append(problem(QT_TRANSLATE_NOOP(
            "Office", "The paper must be between 20 and {most} mm each way, not {w} × {h} mm"),
            most=LARGEST_PAPER_MM, w=_mm(t.width), h=_mm(t.height)))
        return found
    paper = (t.width, t.height)

    def outside(x, y, w, h) -> bool:
        return x < -0.01 or y < -0.01 or x + w > paper[0] + 0.01 or y + h > paper[1] + 0.01

    for item in t.items:
        name = what(item, t.document)
        if item.kind not in KINDS:
            found.append(problem(QT_TRANSLATE_NOOP("Office", "Unknown kind of item: {kind}"), kind=item.kind))
            continue
        if item.kind in ("field", "code") and item.name not in doc.fields:
            found.append(problem(QT_TRANSLATE_NOOP(
                "Office", "Unknown field “{name}”: a {document} has {names}"), name=item.name,
                document=Label(doc.label), names=", ".join(doc.fields)))
            continue
        if item.kind == "line":
            ends = (min(item.x, item.x + item.w), min(item.y, item.y + item.h), abs(item.w), abs(item.h))
            if outside(*ends):
                found.append(_off_paper(name, t))
            if not 0 <= item.weight <= 5:
                found.append(problem(QT_TRANSLATE_NOOP("Office", "{what}: its stroke must be 0 to 5 pt"), what=name))
            continue
        if item.w <= 0 or item.h <= 0:
            found.append(problem(QT_TRANSLATE_NOOP("Office", "{what} has no room: give its box a width and a height"),
                                 what=name))
            continue
        if outside(item.x, item.y, item.w, item.h):
            found.append(_off_paper(name, t))
        if item.kind in ("field", "text"):
            found += _type_problems(name, item.size, item.min_size, item.lines, item.align, item.floor)
            if item.valign not in VALIGN:
                found.append(problem(QT_TRANSLATE_NOOP("Office", "{what}: set it in the middle or on its baseline"),
                                     what=name))
            if item.h < LOWEST_BOX_MM:
                found.append(problem(QT_TRANSLATE_NOOP(
                    "Office", "{what}: its box is too low for any type; give it at least {mm} mm"), what=name,
                    mm=_mm(LOWEST_BOX_MM)))
            if len(item.text) > LONGEST_WORDS or len(item.label) > 40:
                found.append(problem(QT_TRANSLATE_NOOP(
                    "Office", "{what}: its words are too long (at most {n} characters)"), what=name, n=LONGEST_WORDS))
            unknown = sorted({n for n in PLACEHOLDER.findall(item.text) if n not in doc.fields})
            if unknown:
                found.append(problem(QT_TRANSLATE_NOOP(
                    "Office", "Unknown field “{name}”: a {document} has {names}"), name=unknown[0],
                    document=Label(doc.label), names=", ".join(doc.fields)))
        if item.kind == "code" and min(item.w, item.h) < SMALLEST_CODE_MM:
            found.append(problem(QT_TRANSLATE_NOOP(
                "Office", "{what} needs a box of at least {mm} × {mm} mm to be read by a scanner"), what=name,
                mm=_mm(SMALLEST_CODE_MM)))
        if item.kind == "letterhead" and not SMALLEST <= item.size <= 72:
            found += _type_problems(name, item.size, item.size, 1, "left", None)
        if item.kind in ("line", "rect") and not 0 <= item.weight <= 5:
            found.append(problem(QT_TRANSLATE_NOOP("Office", "{what}: its stroke must be 0 to 5 pt"), what=name))
        if item.kind == "image" and not _picture(item.data):
            found.append(problem(QT_TRANSLATE_NOOP("Office", "{what} is not a PNG or JPEG picture"), what=name))
    if t.background and not _picture(t.background):
        found.append(problem(QT_TRANSLATE_NOOP("Office", "The picture of the stock is not a PNG or JPEG picture")))
    table = t.table
    if table is not None and not doc.columns:
        found.append(problem(QT_TRANSLATE_NOOP("Office", "A {document} has no table of lines"),
                             document=Label(doc.label)))
        table = None
    if table is not None:
        if table.rows < 1 or table.row < LOWEST_BOX_MM or table.head < 0 or table.w <= 0:
            found.append(problem(QT_TRANSLATE_NOOP(
                "Office", "The table needs a width, and at least one row, each at least {mm} mm high"),
                mm=_mm(LOWEST_BOX_MM)))
        elif outside(table.x, table.y, table.w, table.bottom - table.y):
            found.append(problem(QT_TRANSLATE_NOOP(
                "Office", "The table of charge lines lies outside the paper ({w} × {h} mm)"),
                w=_mm(t.width), h=_mm(t.height)))
        if not table.columns:
            found.append(problem(QT_TRANSLATE_NOOP("Office", "The table needs at least one column")))
        names = [c.name for c in table.columns]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            found.append(problem(QT_TRANSLATE_NOOP("Office", "The column “{name}” is in the table twice"),
                                 name=twice[0]))
        for column in table.columns:
            heading = label(t.document, column.name)
            if column.name not in doc.columns:
                found.append(problem(QT_TRANSLATE_NOOP(
                    "Office", "Unknown column “{name}”: the table has {names}"), name=column.name,
                    names=", ".join(doc.columns)))
                continue
            if column.pad < 0 or column.w <= 2 * column.pad or column.x < table.x - 0.01 \
                    or column.x + column.w > table.x + table.w + 0.01:
                found.append(problem(QT_TRANSLATE_NOOP(
                    "Office", "The column {what} lies outside the table or has no room"), what=heading))
            found += _type_problems(heading, column.size, column.min_size, column.lines, column.align, column.floor)
    return found


def _picture(data: str) -> bool:
    """Whether base64 `data` is a whole PNG or JPEG picture of a sensible size (read to its
    end: a picture cut short or a file that only starts like one is not)."""
    import io
    import warnings

    from PIL import Image

    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return False
    if not (raw.startswith(b"\x89PNG") or raw.startswith(b"\xff\xd8")):
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as image:
                if image.format not in ("PNG", "JPEG") or image.width * image.height > MOST_PIXELS:
                    return False
                image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        return False
    return True


def _off_paper(name, t: Template) -> tuple[str, dict]:
    return problem(QT_TRANSLATE_NOOP("Office", "{what} lies outside the paper ({w} × {h} mm)"), what=name,
                   w=_mm(t.width), h=_mm(t.height))


def _type_problems(name, size, min_size, lines, align, floor) -> list:
    out = []
    if not SMALLEST <= min_size <= size <= 72 or (floor is not None and not SMALLEST <= floor <= min_size):
        out.append(problem(QT_TRANSLATE_NOOP(
            "Office", "{what}: its type must be between {low} and 72 pt, and its smallest no larger than its size"),
            what=name, low=_mm(SMALLEST)))
    if not 1 <= lines <= 20:
        out.append(problem(QT_TRANSLATE_NOOP("Office", "{what}: it may take 1 to 20 lines"), what=name))
    if align not in ALIGN:
        out.append(problem(QT_TRANSLATE_NOOP("Office", "{what}: align it left, centre or right"), what=name))
    return out


def _mm(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


class TemplateInvalid(OfficeError):
    """A template that cannot print; `problems` holds every reason, the message the first."""

    def __init__(self, problems: list[tuple[str, dict]]):
        template, params = problems[0]
        super().__init__(template, **params)
        self.problems = problems


def _number(value, name: str) -> float:
    import math

    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or abs(value) > 10_000:
        raise TemplateInvalid([problem(QT_TRANSLATE_NOOP("Office", "“{name}” must be a number of mm or pt"),
                                       name=name)])
    return float(value)


def _build(cls, values: dict, where: str, numbers: tuple[str, ...], **parts):
    if not isinstance(values, dict):
        raise TemplateInvalid([problem(QT_TRANSLATE_NOOP("Office", "The file is not a template: {where} is wrong"),
                                       where=where)])
    known = set(cls.__dataclass_fields__) - set(parts)
    unknown = sorted(set(values) - known)
    if unknown:
        raise TemplateInvalid([problem(QT_TRANSLATE_NOOP("Office", "The file has “{name}” in {where}, which a "
                                                                   "template does not have"),
                                       name=unknown[0], where=where)])
    clean = {}
    for k, v in values.items():
        if k in numbers:
            clean[k] = _number(v, k)
        elif k == "floor":
            clean[k] = None if v is None else _number(v, k)
        elif k in ("lines", "rows"):
            if isinstance(v, bool) or not isinstance(v, int) or not -1000 <= v <= 1000:
                raise TemplateInvalid([problem(QT_TRANSLATE_NOOP("Office", "“{name}” must be a whole number"),
                                               name=k)])
            clean[k] = v
        elif k in ("frame", "flow", "rules", "continuous"):
            if not isinstance(v, bool):
                raise TemplateInvalid([problem(QT_TRANSLATE_NOOP("Office", "“{name}” must be true or false"),
                                               name=k)])
            clean[k] = v
        else:
            if not isinstance(v, str) or "\x00" in v or not _encodable(v):
                raise TemplateInvalid([problem(QT_TRANSLATE_NOOP("Office", "“{name}” must be words"), name=k)])
            clean[k] = v
    try:
        return cls(**clean, **parts)
    except TypeError:
        missing = [name for name, f in cls.__dataclass_fields__.items()
                   if name in known and name not in values and f.default is MISSING
                   and f.default_factory is MISSING]
        raise TemplateInvalid([problem(QT_TRANSLATE_NOOP("Office", "{where} lacks “{name}”"), where=where,
                                       name=(missing or ["?"])[0])]) from None


_ITEM_NUMBERS = ("x", "y", "w", "h", "size", "min_size", "weight")
_COLUMN_NUMBERS = ("x", "w", "size", "min_size", "pad")
_TABLE_NUMBERS = ("x", "y", "w", "row", "head", "head_size")


def from_dict(values: dict) -> Template:
    """A template read from its file's contents, checked: TemplateInvalid with the reasons."""
    if not isinstance(values, dict) or "document" not in values or "items" not in values:
        raise TemplateInvalid([problem(QT_TRANSLATE_NOOP("Office", "The file is not an EstateDesk template"))])
    if values.get("format", FORMAT) != FORMAT:
        raise TemplateInvalid([problem(QT_TRANSLATE_NOOP(
            "Office", "The template was made by a newer version of the program (format {n}): update this PC first"),
            n=values.get("format"))])
    values = {k: v for k, v in values.items() if k != "format"}
    items = values.pop("items")
    table = values.pop("table", None)
    if not isinstance(items, list):
        raise TemplateInvalid([problem(QT_TRANSLATE_NOOP("Office", "The file is not an EstateDesk template"))])
    built_items = tuple(_build(Item, v, f"item {n}", _ITEM_NUMBERS) for n, v in enumerate(items, 1))
    built_table = None
    if table is not None:
        if not isinstance(table, dict) or not isinstance(table.get("columns"), list):
            raise TemplateInvalid([problem(QT_TRANSLATE_NOOP("Office", "The file is not a template: {where} is "
                                                                       "wrong"), where="table")])
        columns = tuple(_build(Column, c, f"column {n}", _COLUMN_NUMBERS) for n, c in enumerate(table["columns"], 1))
        built_table = _build(Table, {k: v for k, v in table.items() if k != "columns"}, "table", _TABLE_NUMBERS,
                             columns=columns)
    t = _build(Template, values, "template", ("width", "height"), items=built_items, table=built_table)
    found = check(t)
    if found:
        raise TemplateInvalid(found)
    return t


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (\ud800 in the file): no database keeps it
        return False
    return True


def from_json(text: str) -> Template:
    try:
        values = json.loads(text)
    except (ValueError, TypeError, RecursionError):
        raise TemplateInvalid([problem(QT_TRANSLATE_NOOP("Office", "The file is not an EstateDesk template"))]) \
            from None
    return from_dict(values)


def read_file(path) -> Template:
    """A template file another PC or the head office exported (.json), checked."""
    from pathlib import Path

    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "The file cannot be read: {reason}"), reason=e.strerror or e) \
            from None
    if len(raw) > 20 * 2 ** 20:
        raise TemplateInvalid([problem(QT_TRANSLATE_NOOP("Office", "The file is not an EstateDesk template"))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TemplateInvalid([problem(QT_TRANSLATE_NOOP("Office", "The file is not an EstateDesk template"))]) \
            from None
    return from_json(text)


# --- the office's templates, kept ---------------------------------------------------------------

class PrintTemplate(BaseModel):
    document = pw.CharField(max_length=32)
    name = pw.CharField(max_length=64)
    body = pw.TextField()  # Template.to_json()
    updated_at = pw.DateTimeField()
    updated_by = pw.IntegerField(null=True)

    class Meta:
        table_name = "print_template"
        indexes = ((("document", "name"), True),)


def names(document: str) -> list[str]:
    """The office's own templates of a document, by name."""
    return [r.name for r in PrintTemplate.select(PrintTemplate.name).where(PrintTemplate.document == document)
            .order_by(PrintTemplate.name)]


def get(document: str, name: str) -> Template:
    row = PrintTemplate.get_or_none(PrintTemplate.document == document, PrintTemplate.name == name)
    if row is None:
        raise NotFound(QT_TRANSLATE_NOOP("Office", "There is no template named {name}"), name=name)
    return from_json(row.body)


def find(document: str, name: str) -> Template | None:
    """The template a PC chose, or None when it is gone (the built-in layout prints then)."""
    if not name:
        return None
    try:
        return get(document, name)
    except OfficeError:
        return None


def save(user, t: Template, *, replacing: bool = False) -> Template:
    """Keep the template under its name; another of the same name only when `replacing`."""
    users.require(user, "settings.edit")
    name = t.name.strip()
    if len(name) > 64:
        raise ValidationError({"name": (QT_TRANSLATE_NOOP("Office", "At most {n} characters"), {"n": 64})})
    t = replace(t, name=name)
    found = check(t)
    if found:
        raise TemplateInvalid(found)
    from models.db import atomic

    with atomic():
        row = PrintTemplate.get_or_none(PrintTemplate.document == t.document, PrintTemplate.name == name)
        if row is not None and not replacing:
            raise ValidationError({"name": (QT_TRANSLATE_NOOP(
                "Office", "A template named {name} is there already: give this one another name"), {"name": name})})
        now = clock.now()
        if row is None:
            row = PrintTemplate.create(document=t.document, name=name, body=t.to_json(), updated_at=now,
                                       updated_by=user.id)
        else:
            row.body, row.updated_at, row.updated_by = t.to_json(), now, user.id
            row.save()
        audit.record(user, "template.save", "print_template", row.id, f"{t.document} {name}",
                     {"paper": [t.width, t.height], "fields": sorted(t.fields())})
    return t


def delete(user, document: str, name: str) -> None:
    users.require(user, "settings.edit")
    from models.db import atomic

    with atomic():
        row = PrintTemplate.get_or_none(PrintTemplate.document == document, PrintTemplate.name == name)
        if row is None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "There is no template named {name}"), name=name)
        audit.record(user, "template.delete", "print_template", row.id, f"{document} {name}")
        row.delete_instance()


def import_file(user, path, *, name: str | None = None, replacing: bool = False) -> Template:
    """A template file kept as the office's (under `name` when given)."""
    users.require(user, "settings.edit")  # refused before the file is even read
    t = read_file(path)
    if name is not None:
        t = replace(t, name=name)
    return save(user, t, replacing=replacing)


def export_file(t: Template, path) -> None:
    from pathlib import Path

    Path(path).write_text(t.to_json(), encoding="utf-8")
