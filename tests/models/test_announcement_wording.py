"""The water-cut notice as an owner reads it on the board (scenario 9): buildings typed as
numbers read as buildings, the start's weekday is given, and what the office asks of the
residents replaces the wording's own advice, as whole sentences."""
import datetime

from models import announcements

SAT_9 = datetime.datetime(2026, 12, 5, 9, 0)
SAT_15 = datetime.datetime(2026, 12, 5, 15, 0)


def water(clerk, **more):
    facts = dict(kind="water", reason="市政供水管网检修", buildings="1-6", starts=SAT_9, ends=SAT_15)
    return announcements.wording(announcements.draft(clerk, **{**facts, **more}), "物业").body


def test_buildings_typed_as_numbers_read_as_buildings(clerk, frozen_now):
    assert "对1-6栋暂停供水" in water(clerk)
    assert "对3、4栋暂停供水" in water(clerk, buildings="3、4")
    assert "对3栋暂停供水" in water(clerk, buildings="3栋")  # as typed when it already says so
    assert "对A区暂停供水" in water(clerk, buildings="A区")


def test_the_start_gives_its_weekday_and_a_same_day_end_its_time(clerk, frozen_now):
    assert "定于2026年12月5日（星期六）9:00至15:00" in water(clerk)
    body = water(clerk, ends=datetime.datetime(2026, 12, 6, 8, 0))
    assert "定于2026年12月5日（星期六）9:00至2026年12月6日（星期日）8:00" in body


def test_the_offices_advice_replaces_the_wordings_own_and_ends_its_sentence(clerk, frozen_now):
    body = water(clerk, what_to_do="请提前储水，停水期间关闭水龙头，恢复供水后先放水片刻")
    assert body == ("因市政供水管网检修，定于2026年12月5日（星期六）9:00至15:00对1-6栋暂停供水。"
                    "请提前储水，停水期间关闭水龙头，恢复供水后先放水片刻。")
    assert "做好储水准备" in water(clerk)  # nothing typed: the wording's own advice stays
