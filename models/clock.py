"""The office's clock: one injectable `now()`, so tests can move time.

Times are naive datetimes in the office's time zone (setting `timezone`, default
Asia/Shanghai): every PC of one office shares them, and SQLite and PostgreSQL store
them alike.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
from zoneinfo import ZoneInfo

_zone = ZoneInfo("Asia/Shanghai")
_frozen: _dt.datetime | None = None


def set_timezone(name: str) -> None:
    global _zone
    _zone = ZoneInfo(name)


def now() -> _dt.datetime:
    if _frozen is not None:
        return _frozen
    return _dt.datetime.now(_zone).replace(tzinfo=None, microsecond=0)


def today() -> _dt.date:
    return now().date()


def set_now(moment: _dt.datetime | None) -> None:
    """Freeze the clock at `moment` (None lets it run again)."""
    global _frozen
    _frozen = moment


@contextlib.contextmanager
def frozen(moment: _dt.datetime):
    previous = _frozen
    set_now(moment)
    try:
        yield
    finally:
        set_now(previous)
