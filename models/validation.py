"""Checks of what clerks type into the archives: ID numbers with their check characters,
phone numbers, and how personal data is masked in lists and forms (业主档案严格保密)."""
from __future__ import annotations

import datetime
import re

from models.errors import QT_TRANSLATE_NOOP

# ID document types (证件类型); English labels translated by the UI.
ID_TYPES = {
    "resident_id": QT_TRANSLATE_NOOP("Office", "Resident ID card"),  # 居民身份证
    "passport": QT_TRANSLATE_NOOP("Office", "Passport"),
    "hk_macao": QT_TRANSLATE_NOOP("Office", "Mainland travel permit (HK/Macao)"),
    "taiwan": QT_TRANSLATE_NOOP("Office", "Mainland travel permit (Taiwan)"),
    "foreign_pr": QT_TRANSLATE_NOOP("Office", "Foreigner's permanent residence ID"),
    "uscc": QT_TRANSLATE_NOOP("Office", "Unified social credit code"),  # 统一社会信用代码
}

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"


def resident_id_error(value: str) -> str | None:
    """None when `value` is a valid 18-digit resident ID number (GB 11643), else a message."""
    v = value.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", v):
        return QT_TRANSLATE_NOOP("Office", "An ID number has 18 characters: 17 digits and a digit or X")
    try:
        datetime.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return QT_TRANSLATE_NOOP("Office", "The date of birth in this ID number does not exist")
    total = sum(int(d) * w for d, w in zip(v[:17], _ID_WEIGHTS))
    if _ID_CHECK[total % 11] != v[17]:
        return QT_TRANSLATE_NOOP("Office", "The last character of this ID number does not match; please check it")
    return None


def resident_id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS)) % 11]


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31]


def uscc_error(value: str) -> str | None:
    v = value.strip().upper()
    if len(v) != 18 or any(c not in _USCC_CHARS for c in v):
        return QT_TRANSLATE_NOOP("Office", "A unified social credit code has 18 digits and capital letters")
    if uscc_check_char(v[:17]) != v[17]:
        return QT_TRANSLATE_NOOP("Office", "The last character of this credit code does not match; please check it")
    return None


def id_number_error(id_type: str, value: str) -> str | None:
    if not value.strip():
        return None
    if id_type == "resident_id":
        return resident_id_error(value)
    if id_type == "uscc":
        return uscc_error(value)
    if not re.fullmatch(r"[A-Za-z0-9]{5,20}", value.strip()):
        return QT_TRANSLATE_NOOP("Office", "A document number has 5 to 20 letters and digits")
    return None


def normalize_id(value: str) -> str:
    return value.strip().upper()


_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"(0[0-9]{2,3})?[2-9][0-9]{6,7}(-[0-9]{1,6})?")
# the dashes people type between groups of digits (a keyboard's, Word's, a full-width one)
_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_COUNTRY = re.compile(r"(\+86|0086|86(?=-?1[3-9]))-?")
_GAPS = re.compile(r"[\s()]")
_AREA_DASH = re.compile(r"(0[0-9]{2,3})-([0-9]{7,8})(-[0-9]{1,6})?")


def normalize_phone(value: str) -> str:
    """A phone as it is stored: a mobile as its 11 digits whatever was typed around them
    (138-0001-2345, +86 138 0001 2345, 0086…, (+86)…, full-width digits); a landline with
    its area code and no dash after it (0755-8888 6666 → 075588886666), an extension after
    its dash. Anything else comes back cleaned but as typed, for phone_error to refuse."""
    import unicodedata

    value = value or ""
    if len(value) == 11 and _MOBILE.fullmatch(value):
        return value  # as it is stored: the check of every saved form meets it so
    v = _GAPS.sub("", _DASHES.sub("-", unicodedata.normalize("NFKC", value)))
    m = _COUNTRY.match(v)
    rest = v[m.end():] if m else ""
    if m and (m.group(1) != "86" or _MOBILE.fullmatch(rest.replace("-", ""))):  # a bare 86 only before a mobile
        if rest.startswith("0") and _MOBILE.fullmatch(rest[1:].replace("-", "")):
            rest = rest[1:]  # +86 (0) 138…: a mobile has no 0 before it
        elif not rest.startswith("0") and not re.match(r"1[3-9]", rest):
            rest = "0" + rest  # +86 571 8800 1234: from abroad the area code is dialled without its 0
        v = rest
    if _MOBILE.fullmatch(v.replace("-", "")):
        return v.replace("-", "")
    m = _AREA_DASH.fullmatch(v)
    if m:
        v = m.group(1) + m.group(2) + (m.group(3) or "")
    return v


def phone_error(value: str) -> str | None:
    v = normalize_phone(value)
    if not v:
        return None
    if _MOBILE.fullmatch(v) or _LANDLINE.fullmatch(v):
        return None
    if v.startswith("1"):
        return QT_TRANSLATE_NOOP("Office", "A mobile number has 11 digits and starts with 13 to 19")
    return QT_TRANSLATE_NOOP("Office", "Write a mobile number (13812345678) or a landline (0755-88886666)")


def phone_digits(value: str) -> str:
    """The number a phone is dialled by, without an extension: 075588886666-123 → 075588886666."""
    v = normalize_phone(value)
    return re.sub(r"\D", "", v.split("-")[0])


def mask_id(value: str) -> str:
    """110101199003071234 → 110***********1234: the region's first digits and the last four
    of an 18-character number; of a shorter document (a passport) only the last four."""
    v = value.strip()
    if len(v) <= 4:
        return "*" * len(v)
    if len(v) < 15:
        return "*" * (len(v) - 4) + v[-4:]
    return v[:3] + "*" * (len(v) - 7) + v[-4:]


def shown_ids(rows, *fields: str):
    """Rows as the core hands them out (one model instance, or a list): the ID numbers in
    `fields` masked, as every list, form and slip shows them; the full number never leaves
    the core but through an audited reveal. A row so shown refuses to be saved
    (models.db.BaseModel), so a masked number can never overwrite the real one."""
    for row in rows if isinstance(rows, list) else [rows]:
        if row is not None and not getattr(row, "_masked", False):
            for f in fields:
                setattr(row, f, mask_id(getattr(row, f) or ""))
            row._masked = True
    return rows


def mask_phone(value: str) -> str:
    """13812345678 → 138****5678; a landline keeps its last four digits only (an extension,
    which says who answers, is hidden with the rest)."""
    v = phone_digits(value)
    if not v:
        return ""
    if _MOBILE.fullmatch(v):
        return v[:3] + "****" + v[-4:]
    if len(v) <= 4:
        return "*" * len(v)
    return "*" * (len(v) - 4) + v[-4:]


def check_lengths(model, clean: dict, errors: dict) -> None:
    """Text longer than its column is refused with a message, on every database alike
    (SQLite would store it whole; PostgreSQL would refuse it with an error)."""
    for key, value in clean.items():
        field = model._meta.fields.get(key)
        limit = getattr(field, "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit and key not in errors:
            errors[key] = (QT_TRANSLATE_NOOP("Office", "At most {n} characters"), {"n": limit})


def check_int(errors: dict, key: str, value, low: int, high: int):
    """An int within [low, high] from what was typed, or a message in `errors`."""
    try:
        number = int(str(value).strip()) if not isinstance(value, int) or isinstance(value, bool) else value
        if isinstance(value, bool) or not low <= number <= high:
            raise ValueError
        return number
    except (TypeError, ValueError):
        errors[key] = (QT_TRANSLATE_NOOP("Office", "Enter a whole number from {low} to {high}"),
                       {"low": low, "high": high})
        return None


def check_text(errors: dict, key: str, value, most: int, required: str = "") -> str:
    """Words typed, trimmed: `required` is the message when there are none (empty: they may
    be left out), and at most `most` characters."""
    value = str(value or "").strip()
    if not value and required:
        errors[key] = (required, {})
    elif len(value) > most:
        errors[key] = (QT_TRANSLATE_NOOP("Office", "At most {n} characters"), {"n": most})
    return value


def check_date(errors: dict, key: str, value):
    import datetime as _dt

    if value is None or (isinstance(value, _dt.date) and not isinstance(value, _dt.datetime)):
        return value
    errors[key] = (QT_TRANSLATE_NOOP("Office", "Enter a date"), {})
    return None


def scanned(value) -> str:
    """A code typed or scanned (a tracking number, a pickup code): full-width characters
    made plain, spaces and the Enter or Tab a scanner sends dropped."""
    import unicodedata

    text = unicodedata.normalize("NFKC", str(value or ""))
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch)[0] != "C")
