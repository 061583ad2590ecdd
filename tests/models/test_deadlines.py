"""Time limits at their boundaries (DOMAIN.md, Decisions): hours are elapsed time; N days
end at 23:59:59 of the Nth day after the event's day; working days skip weekends and the
office's holidays; the same day ends at midnight."""
import datetime

import pytest

from models import deadlines, settings
from models.deadlines import Calendar
from models.errors import ValidationError

MONDAY_1500 = datetime.datetime(2026, 11, 23, 15, 0)  # a Monday


def test_a_limit_in_days_ends_at_the_end_of_the_nth_day_after():
    due = deadlines.after_days(MONDAY_1500, 2)
    assert due == datetime.datetime(2026, 11, 25, 23, 59, 59)  # Wednesday, the last second
    assert not deadlines.left(due, due).overdue
    assert deadlines.left(due, due + datetime.timedelta(seconds=1)).overdue
    # an event a second before midnight has the same deadline as one just after the day began
    assert deadlines.after_days(datetime.datetime(2026, 11, 23, 23, 59, 59), 2) == due
    assert deadlines.after_days(datetime.datetime(2026, 11, 23, 0, 0, 0), 2) == due
    assert deadlines.after_days(datetime.datetime(2026, 11, 24, 0, 0, 0), 2) == datetime.datetime(2026, 11, 26, 23, 59, 59)


def test_limits_in_hours_and_minutes_are_elapsed_time_and_the_same_day_ends_at_midnight():
    assert deadlines.after_minutes(MONDAY_1500, 10) == datetime.datetime(2026, 11, 23, 15, 10)
    assert deadlines.after_hours(MONDAY_1500, 24) == datetime.datetime(2026, 11, 24, 15, 0)
    assert deadlines.after_hours(datetime.datetime(2026, 11, 23, 23, 30), 2) == datetime.datetime(2026, 11, 24, 1, 30)
    assert deadlines.same_day(MONDAY_1500) == datetime.datetime(2026, 11, 23, 23, 59, 59)


def test_working_days_skip_the_weekend_and_the_holidays():
    friday = datetime.datetime(2026, 11, 27, 16, 0)
    work = Calendar(working_days_only=True)
    assert deadlines.after_days(friday, 2) == datetime.datetime(2026, 11, 29, 23, 59, 59)  # Sunday
    assert deadlines.after_days(friday, 2, work) == datetime.datetime(2026, 12, 1, 23, 59, 59)  # Tuesday
    off = Calendar(working_days_only=True, holidays=frozenset({datetime.date(2026, 11, 30)}))
    assert deadlines.after_days(friday, 2, off) == datetime.datetime(2026, 12, 2, 23, 59, 59)
    # a Saturday event: Monday is the first working day after it
    assert deadlines.after_days(datetime.datetime(2026, 11, 28, 10), 1, work) == \
        datetime.datetime(2026, 11, 30, 23, 59, 59)


def test_the_offices_calendar_comes_from_its_settings(admin):
    assert Calendar.from_settings() == Calendar()
    settings.update({"working_days_only": True, "holidays": [" 2026-12-31", "2026-10-01", "2026-10-01"]}, user=admin)
    assert settings.get("holidays") == ["2026-10-01", "2026-12-31"]
    cal = Calendar.from_settings()
    assert cal.working_days_only and cal.holidays == {datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)}
    with pytest.raises(ValidationError):
        settings.update({"holidays": ["十月一日"]}, user=admin)
    assert settings.get("holidays") == ["2026-10-01", "2026-12-31"]


def test_time_left_and_overdue_in_days_hours_and_minutes():
    due = datetime.datetime(2026, 11, 25, 23, 59, 59)
    t = deadlines.left(due, datetime.datetime(2026, 11, 24, 21, 29, 59))
    assert not t.overdue and t.parts() == (1, 2, 30)
    late = deadlines.left(due, datetime.datetime(2026, 11, 26, 1, 0, 59))
    assert late.overdue and late.parts() == (0, 1, 1)
