"""The late fee (违约金), exactly as DOMAIN.md defines it; pure functions, no database.

- A charge is due on its due date; paid on or before it, no late fee.
- Each late day, up to and including the day of payment, accrues rate × the principal
  still unpaid at the start of that day; late fees never accrue late fees.
- A partial payment settles the accrued late fee first, then principal; the smaller
  principal accrues from the next day on.
- Sums are exact (fen × days × rate as a Fraction) and rounded half-up to the fen once,
  when shown or paid. An optional cap limits a charge's late fee (0: none).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction

from models.money import round_half_up


@dataclass(frozen=True)
class Paid:
    """Something that settled part of a charge on a business day."""
    on: datetime.date
    principal: int = 0  # fen
    late_fee: int = 0  # fen
    waived: int = 0  # fen of late fee waived


def accrued(principal: int, due: datetime.date, history: list[Paid], until: datetime.date,
            rate: Fraction, cap: int = 0) -> Fraction:
    """The late fee accrued from the day after `due` up to and including `until`, in exact fen."""
    if until <= due or principal <= 0 or rate <= 0:
        return Fraction(0)
    total = Fraction(0)
    unpaid = principal
    day = due + datetime.timedelta(days=1)  # the first late day
    for p in sorted(history, key=lambda p: p.on):
        if p.on >= day:
            # days from `day` to the payment's day inclusive accrue on the principal before it
            last = min(p.on, until)
            if last >= day:
                total += rate * unpaid * ((last - day).days + 1)
            day = max(day, p.on + datetime.timedelta(days=1))
        unpaid -= p.principal
        if day > until:
            break
    if day <= until and unpaid > 0:
        total += rate * unpaid * ((until - day).days + 1)
    if cap > 0:
        total = min(total, Fraction(cap))
    return total


def outstanding(principal: int, due: datetime.date, history: list[Paid], until: datetime.date,
                rate: Fraction, cap: int = 0) -> Fraction:
    """The late fee still owed on `until`, exact: accrued less what was paid or waived."""
    paid = sum(p.late_fee + p.waived for p in history if p.on <= until)
    return max(Fraction(0), accrued(principal, due, history, until, rate, cap) - paid)


def owed(principal: int, due: datetime.date, history: list[Paid], until: datetime.date,
         rate: Fraction, cap: int = 0) -> int:
    """The late fee to show or to take on `until`, in fen (rounded half-up, once)."""
    return round_half_up(outstanding(principal, due, history, until, rate, cap))


def split_payment(amount: int, late_owed: int, principal_unpaid: int) -> tuple[int, int]:
    """A payment toward one charge settles its late fee first, then principal:
    (late_fee, principal) parts, neither more than is owed."""
    late = min(amount, late_owed)
    return late, min(amount - late, principal_unpaid)
