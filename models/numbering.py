"""Gapless numbers: `next_in`, the one counter every series counts with (receipt series,
and the document counters here: one per name, repair-2026), taken inside the transaction
that writes the document, so a rollback gives the number back and two PCs never get the
same one (a row lock on PostgreSQL; SQLite writes one at a time)."""
from __future__ import annotations

import datetime
import json
from dataclasses import asdict, dataclass

import peewee as pw

from models.db import BaseModel, database


class Counter(BaseModel):
    name = pw.CharField(max_length=32, primary_key=True)
    next_number = pw.IntegerField(default=1)

    class Meta:
        table_name = "doc_counter"


def next_in(model, where) -> int:
    """The one gapless counter: the `next_number` of the row of `model` that `where` picks,
    taken and moved on inside the caller's transaction. Other PCs wait for that transaction
    to end (the row's lock on PostgreSQL; SQLite writes one at a time) and a rollback gives
    the number back, so no number is skipped or issued twice. Receipt series and document
    counters both count this way."""
    query = model.select(model.next_number).where(where)
    if not isinstance(database.obj, pw.SqliteDatabase):
        query = query.for_update()
    number = query.get().next_number
    model.update(next_number=number + 1).where(where).execute()
    return number


def take(name: str) -> int:
    """The next number of the counter `name` (from 1); call inside the document's transaction."""
    Counter.insert(name=name, next_number=1).on_conflict_ignore().execute()
    return next_in(Counter, Counter.name == name)


# --- numbers lost with a restore -----------------------------------------------------------
# A restore of an older backup takes away the documents issued since it was made, but not
# their numbers: the owners hold those receipts. Each series goes on after the highest
# number ever issued, and the numbers that only the replaced data had are kept here, with
# the restore that lost them, so the next day close lists them as missing with a reason
# (DOMAIN.md, "Numbers after a restore"). Kept in app_meta, which every backup carries.

LOST_KEY = "lost_numbers"
RECEIPTS = "receipt:"  # a receipt series' key: RECEIPTS + its code ("receipt:2026")
_TEXT = {"repair": "WX{year}-{n:04d}", "complaint": "TS{year}-{n:04d}", "message": "LY{year}-{n:04d}",
         "pass": "FX{year}-{n:04d}", "incident": "SJ{year}-{n:04d}"}  # as the documents show them


@dataclass(frozen=True)
class LostRun:
    """Consecutive numbers of one series that a restore lost (随恢复备份丢失)."""
    series: str  # RECEIPTS + a receipt series' code, or a counter's name (repair-2026)
    first: int
    last: int
    restored_at: str  # ISO time of the restore
    backup: str  # the backup file's name
    made: str  # ISO time the backup was made
    by: str  # the administrator who restored it

    @property
    def restored(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.restored_at)

    @property
    def backup_made(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.made)


def counter_text(name: str, number: int) -> str:
    """A counter's number as its documents print it (WX2026-0005); the name and number else."""
    kind, _, year = name.rpartition("-")
    if kind in _TEXT and year.isdigit():
        return _TEXT[kind].format(year=year, n=number)
    return f"{name} {number}"


def runs(numbers) -> list[tuple[int, int]]:
    """Sorted numbers as runs of consecutive ones: [(first, last), …]."""
    out: list[list[int]] = []
    for n in sorted(set(numbers)):
        if out and n == out[-1][1] + 1:
            out[-1][1] = n
        else:
            out.append([n, n])
    return [(a, b) for a, b in out]


def lost(series: str | None = None) -> list[LostRun]:
    """The numbers lost with restores, in the order they were lost (one series' only, with `series`)."""
    from models.migrations import AppMeta

    row = AppMeta.get_or_none(AppMeta.key == LOST_KEY)
    found = [LostRun(**r) for r in json.loads(row.value)] if row is not None else []
    return [r for r in found if series is None or r.series == series]


def lost_numbers(series: str) -> set[int]:
    return {n for r in lost(series) for n in range(r.first, r.last + 1)}


def record_lost(new: list[LostRun]) -> None:
    """Add runs to the lost numbers (inside the restore's transaction); a number already
    listed keeps its first reason."""
    from models.migrations import AppMeta

    if not new:
        return
    known = lost()
    taken = {(r.series, n) for r in known for n in range(r.first, r.last + 1)}
    for r in new:
        for first, last in runs(n for n in range(r.first, r.last + 1) if (r.series, n) not in taken):
            known.append(LostRun(r.series, first, last, r.restored_at, r.backup, r.made, r.by))
    value = json.dumps([asdict(r) for r in known], ensure_ascii=False)
    AppMeta.insert(key=LOST_KEY, value=value).on_conflict(
        conflict_target=[AppMeta.key], update={AppMeta.value: value}).execute()
