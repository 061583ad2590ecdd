"""The office's clock: one injectable `now()`, so tests can move time.

Times are naive datetimes in the office's time zone (setting `timezone`, default
Asia/Shanghai): every PC of one office shares them, and SQLite and PostgreSQL store
them alike.
"""
from __future__ import annotations

import contextlib
import datetime as _dt

_zone_name = "Asia/Shanghai"
_zone = None  # the zone's rules, read at the first look at the clock (not at every start)
_frozen: _dt.datetime | None = None


def set_timezone(name: str) -> None:
    global _zone_name, _zone
    _zone_name, _zone = name, None


def use_office_zone() -> None:
    """Once the office's database is open: its time zone setting is the clock's, for the
    window and the command line alike (never the PC's own zone)."""
    from models import settings  # settings needs the database; the clock is imported before it

    set_timezone(settings.office.timezone)


def now() -> _dt.datetime:
    global _zone
    if _frozen is not None:
        return _frozen
    if _zone is None:
        from zoneinfo import ZoneInfo

        _zone = ZoneInfo(_zone_name)
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
