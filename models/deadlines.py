"""Time limits, computed one way for repairs, complaints, visits, keys and lent items
(DOMAIN.md, Decisions).

A limit in minutes or hours is elapsed time from the event. A limit in days ends at the end
of the Nth calendar day after the event's day: a repair completed Monday 15:00 with "return
visit within 2 days" is due by Wednesday 23:59:59. An office may count day limits in working
days instead (Monday to Friday, less its holiday list). "The same day" ends at 23:59:59 of
the event's day. Times are naive local times of the office, to the second."""
from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from models import settings

END_OF_DAY = datetime.time(23, 59, 59)


@dataclass(frozen=True)
class Calendar:
    working_days_only: bool = False
    holidays: frozenset[datetime.date] = frozenset()

    @classmethod
    def from_settings(cls) -> "Calendar":
        return cls(bool(settings.office.working_days_only), frozenset(holiday_dates(settings.office.holidays)))

    def counts(self, day: datetime.date) -> bool:
        """Whether the day counts toward a limit in days."""
        return not self.working_days_only or (day.weekday() < 5 and day not in self.holidays)


def holiday_dates(values) -> list[datetime.date]:
    """The holiday list as dates (the setting keeps ISO strings)."""
    out = []
    for value in values or []:
        if isinstance(value, datetime.date):
            out.append(value)
        elif str(value).strip():
            out.append(datetime.date.fromisoformat(str(value).strip()))
    return out


def after_minutes(start: datetime.datetime, minutes: int) -> datetime.datetime:
    return start + datetime.timedelta(minutes=minutes)


def after_hours(start: datetime.datetime, hours: int) -> datetime.datetime:
    return start + datetime.timedelta(hours=hours)


def same_day(start: datetime.datetime) -> datetime.datetime:
    return datetime.datetime.combine(start.date(), END_OF_DAY)


def after_days(start: datetime.datetime, days: int, calendar: Calendar | None = None) -> datetime.datetime:
    """The end (23:59:59) of the Nth day after the event's day, counting only the days the
    calendar counts (all days, or working days)."""
    calendar = calendar or Calendar()
    day = start.date()
    counted = 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if calendar.counts(day):
            counted += 1
    return datetime.datetime.combine(day, END_OF_DAY)


@dataclass(frozen=True)
class Left:
    """Time left to a deadline (negative: overdue by that much)."""
    seconds: int

    @property
    def overdue(self) -> bool:
        return self.seconds < 0

    def parts(self) -> tuple[int, int, int]:
        """(days, hours, minutes) of the time left or overdue, whole."""
        s = abs(self.seconds)
        return s // 86400, s % 86400 // 3600, s % 3600 // 60


def left(due: datetime.datetime, now: datetime.datetime) -> Left:
    return Left(math.floor((due - now).total_seconds()))
