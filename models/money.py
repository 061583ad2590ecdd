"""Money: an int of fen (分) everywhere. Parse the clerk's text once, format once, and
write the capital amount (大写) the way the central bank's rules for bills want it."""
from __future__ import annotations

import re

from models.errors import OfficeError, QT_TRANSLATE_NOOP

_AMOUNT = re.compile(r"^(-)?([0-9]{1,13})(?:\.([0-9]{0,2}))?$", re.ASCII)
MAX_FEN = 10 ** 14 - 1  # below one trillion (万亿) yuan; far beyond any estate's books


class BadAmount(OfficeError):
    pass


def parse(text: str) -> int:
    """'12.5' → 1250. Accepts ¥/元, thousands separators and full-width digits;
    refuses more than two decimals rather than rounding what the clerk typed."""
    raw = str(text)
    cleaned = raw.strip().translate(_FULLWIDTH)
    cleaned = cleaned.replace(",", "").replace("，", "").replace(" ", "")
    cleaned = cleaned.removeprefix("¥").removeprefix("￥").removesuffix("元")
    m = _AMOUNT.match(cleaned)
    if not m:
        raise BadAmount(
            QT_TRANSLATE_NOOP("Office", "\"{text}\" is not an amount of money; write it like 128.50"),
            text=raw.strip())
    sign, yuan, frac = m.groups()
    fen = int(yuan) * 100 + int((frac or "").ljust(2, "0"))
    if fen > MAX_FEN:
        raise BadAmount(QT_TRANSLATE_NOOP("Office", "The amount {text} is too large"), text=raw.strip())
    return -fen if sign else fen


_FULLWIDTH = str.maketrans("０１２３４５６７８９．－", "0123456789.-")


def amount_problem(value, *, lowest: int | None = 1):
    """Why `value` cannot be an amount the core takes (a field error: template, params), or
    None: money reaches the core as an int of fen, checked as the forms check what was typed:
    not a bool (True is no fen), at least `lowest` (1: more than zero; 0: not negative;
    None: the caller checks the low end), at most MAX_FEN (the columns and the capital
    amount hold it)."""
    if not isinstance(value, int) or isinstance(value, bool):
        return (QT_TRANSLATE_NOOP("Office", "\"{text}\" is not an amount of money; write it like 128.50"),
                {"text": str(value)[:40]})
    if lowest == 1 and value < 1:
        return QT_TRANSLATE_NOOP("Office", "The amount must be more than zero"), {}
    if lowest == 0 and value < 0:
        return QT_TRANSLATE_NOOP("Office", "The amount cannot be negative"), {}
    if abs(value) > MAX_FEN:
        # past 30 digits, its size only (Python will not even write out a number of 4,300 digits)
        text = fmt(value) if abs(value) < 10 ** 30 else f"{'-' if value < 0 else ''}10^{_digits(abs(value)) - 1}…"
        return QT_TRANSLATE_NOOP("Office", "The amount {text} is too large"), {"text": text}
    return None


def _digits(n: int) -> int:
    """How many decimal digits the positive int `n` has, without writing it out."""
    guess = (n.bit_length() - 1) * 30103 // 100000 + 1  # log10(2) = 0.30103…: at most one short
    return guess + 1 if n >= 10 ** guess else guess


def fmt(fen: int, *, grouping: bool = False) -> str:
    """1250 → '12.50' (grouping: 123456 → '1,234.56')."""
    if not isinstance(fen, int):
        raise TypeError("money is an int of fen")
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    whole = f"{yuan:,}" if grouping else str(yuan)
    return f"{sign}{whole}.{cents:02d}"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_IN_GROUP = ["", "拾", "佰", "仟"]
_GROUPS = ["", "万", "亿"]


def capital(fen: int, *, prefix: str = "") -> str:
    """The amount in Chinese capitals: 32504 → '叁佰贰拾伍元零肆分'.

    One 零 for each run of zeros between non-zero digits (across 元 too), 壹拾 for a
    tens digit of 1, 整 after 元 or 角 but never after 分, and 零元整 for nothing.
    """
    if not isinstance(fen, int):
        raise TypeError("money is an int of fen")
    if abs(fen) > MAX_FEN:
        raise ValueError("amount too large for a capital amount")
    sign = "负" if fen < 0 else ""
    fen = abs(fen)
    if fen == 0:
        return prefix + "零元整"
    yuan, rest = divmod(fen, 100)
    jiao, fen_digit = divmod(rest, 10)
    out: list[str] = []
    pending_zero = False

    def digit(d: int, unit: str) -> None:
        nonlocal pending_zero
        if d == 0:
            pending_zero = bool(out)
            return
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(_DIGITS[d] + unit)

    if yuan:
        text = str(yuan)
        n = len(text)
        for i, ch in enumerate(text):
            p = n - 1 - i
            digit(int(ch), _IN_GROUP[p % 4])
            if p % 4 == 0 and p > 0:
                group = text[max(0, i - 3): i + 1]
                if int(group):
                    # the group's suffix (万/亿) follows its last non-zero digit;
                    # zeros before it still owe their 零 to what comes next
                    zero_owed = pending_zero
                    out.append(_GROUPS[p // 4])
                    pending_zero = zero_owed
        out.append("元")
    digit(jiao, "角")
    digit(fen_digit, "分")
    if fen_digit == 0:
        out.append("整")
    return prefix + sign + "".join(out)


# --- rounding an exact amount (a Fraction of fen) to the fen, by a fee item's rule ----

ROUNDING = {
    "half_up": QT_TRANSLATE_NOOP("Office", "Half up to the fen"),  # 四舍五入到分
    "down": QT_TRANSLATE_NOOP("Office", "Down to the fen"),  # 舍去分以下
    "up": QT_TRANSLATE_NOOP("Office", "Up to the fen"),  # 分以下进位
    "half_up_jiao": QT_TRANSLATE_NOOP("Office", "Half up to the jiao"),  # 四舍五入到角
}


def round_half_up(value) -> int:
    """An exact amount of fen (Fraction, int) to whole fen, halves away from zero."""
    from fractions import Fraction

    value = Fraction(value)
    sign = -1 if value < 0 else 1
    whole, rest = divmod(abs(value), 1)
    return sign * (int(whole) + (1 if rest >= Fraction(1, 2) else 0))


def round_by(value, rule: str = "half_up") -> int:
    """An exact amount of fen to whole fen by the rule of a fee item (ROUNDING)."""
    import math
    from fractions import Fraction

    value = Fraction(value)
    if rule == "half_up":
        return round_half_up(value)
    if rule == "down":
        return math.floor(value) if value >= 0 else -math.floor(-value)
    if rule == "up":
        return math.ceil(value) if value >= 0 else -math.ceil(-value)
    if rule == "half_up_jiao":
        return round_half_up(value / 10) * 10
    raise ValueError(rule)


def round_ratio(numerator: int, denominator: int, rule: str = "half_up") -> int:
    """round_by for an exact amount given as two integers (numerator ÷ denominator fen,
    both ≥ 0, denominator > 0): the same result without Fraction, for runs of thousands."""
    if rule == "half_up":
        return (2 * numerator + denominator) // (2 * denominator)
    if rule == "down":
        return numerator // denominator
    if rule == "up":
        return -(-numerator // denominator)
    if rule == "half_up_jiao":
        return (2 * numerator + 10 * denominator) // (20 * denominator) * 10
    raise ValueError(rule)


def price_text(ten_thousandths: int, unit: str = "") -> str:
    """A unit price kept in 1/10,000 yuan, as printed: 23500 → '2.3500 元/m²/月'."""
    yuan, rest = divmod(abs(ten_thousandths), 10_000)
    sign = "-" if ten_thousandths < 0 else ""
    return f"{sign}{yuan}.{rest:04d}" + (f" {unit}" if unit else "")


_PRICE = re.compile(r"^([0-9]{1,9})(?:\.([0-9]{0,4}))?$", re.ASCII)


def parse_price(text: str) -> int:
    """'1.85' or '2.3500' (元, up to 4 decimals) → 1/10,000 yuan: 18500, 23500."""
    raw = str(text)
    cleaned = raw.strip().translate(_FULLWIDTH).removeprefix("¥").removeprefix("￥").removesuffix("元")
    m = _PRICE.match(cleaned)
    if not m:
        raise BadAmount(QT_TRANSLATE_NOOP(
            "Office", "\"{text}\" is not a price; write it like 1.85 or 2.3500 (at most 4 decimals)"),
            text=raw.strip())
    return int(m.group(1)) * 10_000 + int((m.group(2) or "").ljust(4, "0"))
