"""The desk's "due now": repairs waiting for the dispatch answer, appointments, return
visits and complaints' deadlines, each with its time left or overdue; met ones drop off."""
import datetime

import pytest

from models import clock, complaints, due_now, repairs

MONDAY = datetime.datetime(2026, 11, 23, 9, 0)
M = datetime.timedelta(minutes=1)
H = datetime.timedelta(hours=1)


def test_what_is_due_by_the_end_of_the_day_soonest_first(clerk, supervisor, house):
    tech = repairs.save_technician(supervisor, name="刘师傅")
    with clock.frozen(MONDAY):
        leak = repairs.report(clerk, house_id=house.id, reporter="张三", what="漏水", category="water")
        tap = repairs.report(clerk, house_id=house.id, reporter="张三", what="龙头坏", category="water")
        noise = complaints.record(clerk, name="张三", what="装修噪音", simple=True)
        complaints.record(clerk, name="张三", what="表扬保安", kind="praise")
    with clock.frozen(MONDAY + 5 * M):
        repairs.dispatch(clerk, tap.id, tech.id, MONDAY + 3 * H)
    with clock.frozen(MONDAY + 12 * M):
        items = due_now.due_now(clerk)
    assert [(d.what, d.number) for d in items] == [
        ("dispatch", "WX2026-0001"),  # 09:10, two minutes overdue
        ("first_answer", "TS2026-0001"),  # 11:00 (simple: 2 h)
        ("appointment", "WX2026-0002"),  # 12:00
    ]
    assert items[0].left.overdue and items[0].left.parts() == (0, 0, 2)
    assert not items[1].left.overdue and items[1].left.parts() == (0, 1, 48)
    with clock.frozen(MONDAY + 20 * M):
        repairs.answer(clerk, leak.id, "已告知业主下午上门")
        complaints.answer(clerk, noise.id, "已联系装修户")
        repairs.complete(clerk, tap.id)
        items = due_now.due_now(clerk)
    assert items == []  # the visit is due Wednesday: not today
    with clock.frozen(datetime.datetime(2026, 11, 25, 18, 0)):
        [visit] = due_now.due_now(clerk)
    assert (visit.what, visit.due, visit.table) == ("visit", datetime.datetime(2026, 11, 25, 23, 59, 59), "repair")
    with clock.frozen(MONDAY + 20 * M):
        week = due_now.due_now(clerk, horizon=MONDAY + 7 * 24 * H)
    assert [(d.what, d.number) for d in week] == [("visit", "WX2026-0002")]  # the leak answered, waits for no clock


@pytest.mark.parametrize("simple,hours", [(False, 24), (True, 2)])
def test_a_complaints_first_answer_is_overdue_from_the_second_after_its_limit(clerk, simple, hours):
    with clock.frozen(MONDAY):
        c = complaints.record(clerk, name="张三", what="噪音", simple=simple)
    due = MONDAY + hours * H
    with clock.frozen(due):
        [d] = [d for d in due_now.due_now(clerk, horizon=due) if d.record_id == c.id]
        assert d.what == "first_answer" and d.due == due and not d.left.overdue and d.left.seconds == 0
    with clock.frozen(due + datetime.timedelta(seconds=1)):
        [d] = due_now.due_now(clerk, horizon=due)
        assert d.left.overdue


def test_a_repairs_dispatch_answer_is_overdue_from_the_second_after_ten_minutes(clerk, house):
    with clock.frozen(MONDAY):
        repairs.report(clerk, house_id=house.id, reporter="张三", what="漏水", category="water")
    with clock.frozen(MONDAY + 10 * M):
        assert not due_now.due_now(clerk)[0].left.overdue
    with clock.frozen(MONDAY + 10 * M + datetime.timedelta(seconds=1)):
        assert due_now.due_now(clerk)[0].left.overdue
