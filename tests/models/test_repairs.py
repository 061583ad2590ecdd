"""Repairs: intake with the 10-minute dispatch clock, gapless work-order numbers, dispatch
with the time promised, completion (a paid repair charged by the price list), the return
visit due by category at its boundary, rework to the same technician, the month's figures."""
import datetime

import pytest

from models import audit, billing, clock, handbook, repairs
from models.errors import OfficeError, PermissionDenied, ValidationError
from models.repairs import Part

MONDAY = datetime.datetime(2026, 11, 23, 9, 0)  # a Monday
M = datetime.timedelta(minutes=1)
H = datetime.timedelta(hours=1)
S = datetime.timedelta(seconds=1)


@pytest.fixture
def tech(supervisor):
    return repairs.save_technician(supervisor, name="刘师傅", phone="13912345678", trade="水电")


def reported(clerk, house, category="water", at=MONDAY, **kw):
    with clock.frozen(at):
        return repairs.report(clerk, house_id=house.id, reporter="张三", phone="13812345678", place="卫生间",
                              what=kw.pop("what", "水龙头漏水"), category=category, **kw)


def done(clerk, repair, tech, at, **kw):
    with clock.frozen(repair.reported_at + M):
        repairs.dispatch(clerk, repair.id, tech.id, repair.reported_at + 2 * H)
    with clock.frozen(at):
        return repairs.complete(clerk, repair.id, **kw)


def test_intake_starts_the_dispatch_clock_and_numbers_are_gapless(clerk, house, admin):
    with clock.frozen(MONDAY):
        with pytest.raises(ValidationError) as e:
            repairs.report(clerk, house_id=None, reporter="", what="", category="roof")
        assert {"reporter", "what", "place", "category"} <= set(e.value.fields)
        with pytest.raises(PermissionDenied):
            repairs.report(admin, house_id=house.id, reporter="张三", what="漏水", category="water")
    assert repairs.Repair.select().count() == 0
    first = reported(clerk, house)
    second = reported(clerk, house, at=MONDAY + H, what="灯不亮", category="electric")
    assert (first.number_text, second.number_text) == ("WX2026-0001", "WX2026-0002")
    assert first.dispatch_due == MONDAY + 10 * M and first.state == "waiting"
    with clock.frozen(MONDAY + 3 * H):
        lift = repairs.report(clerk, reporter="3栋住户", place="3栋电梯厅", what="电梯异响", category="safety")
    assert lift.house_id is None and lift.number == 3
    with clock.frozen(datetime.datetime(2027, 1, 2, 8, 0)):
        assert repairs.report(clerk, house_id=house.id, reporter="张三", what="门锁坏", category="door_window"
                              ).number_text == "WX2027-0001"  # a new year counts from 1


def test_a_reply_or_a_dispatch_stops_the_dispatch_clock(clerk, house, tech):
    r = reported(clerk, house)
    with clock.frozen(MONDAY + 8 * M):
        repairs.answer(clerk, r.id, "已告知业主：师傅11点前上门")
    with clock.frozen(MONDAY + 20 * M):
        with pytest.raises(ValidationError) as e:
            repairs.dispatch(clerk, r.id, tech.id, MONDAY + 10 * M)  # promised in the past
        assert "appointment_at" in e.value.fields
        got = repairs.dispatch(clerk, r.id, tech.id, MONDAY + 2 * H)
    assert got.answered_at == MONDAY + 8 * M  # answered in time, dispatched later
    assert (got.state, got.technician_id, got.dispatched_at) == ("dispatched", tech.id, MONDAY + 20 * M)
    with clock.frozen(MONDAY + 21 * M), pytest.raises(OfficeError):
        repairs.dispatch(clerk, r.id, tech.id, MONDAY + 3 * H)  # once
    other = reported(clerk, house, at=MONDAY + H)
    with clock.frozen(MONDAY + H + 12 * M):
        assert repairs.dispatch(clerk, other.id, tech.id, MONDAY + 3 * H).answered_at == MONDAY + H + 12 * M


@pytest.mark.parametrize("category,visit_due", [
    ("water", datetime.datetime(2026, 11, 25, 23, 59, 59)),  # others: 2 days after completion
    ("safety", datetime.datetime(2026, 11, 25, 23, 59, 59)),
    ("leak", datetime.datetime(2026, 11, 27, 23, 59, 59)),  # 3 days after the leak test (Tuesday)
])
def test_the_return_visit_falls_due_by_category(clerk, house, tech, category, visit_due):
    r = reported(clerk, house, category)
    leak_test = datetime.datetime(2026, 11, 24, 10, 0) if category == "leak" else None
    if category == "leak":
        with pytest.raises(ValidationError) as e:
            done(clerk, r, tech, MONDAY + 4 * H)
        assert "leak_test_at" in e.value.fields
        with clock.frozen(leak_test + 2 * H):  # recorded once the leak test is over
            got = repairs.complete(clerk, r.id, leak_test_at=leak_test, done_at=MONDAY + 4 * H)
    else:
        got = done(clerk, r, tech, MONDAY + 4 * H)  # Monday 13:00
    assert got.visit_due == visit_due and got.state == "done"
    [v] = got.visits
    assert v.due_at == visit_due and v.done_at is None


def test_a_paid_repair_is_charged_to_the_house_by_the_price_list(clerk, house, tech, supervisor):
    tap = handbook.save_price(supervisor, name="更换水龙头", price="20", unit="个", category="水电维修")
    rule = handbook.save_price(supervisor, name="代办出租", price_text="月租金的40%")
    r = reported(clerk, house)
    with pytest.raises(ValidationError):
        done(clerk, r, tech, MONDAY + 3 * H, parts=[Part(rule.id)])  # no fixed price: not chargeable
    assert billing.Charge.select().count() == 0 and repairs.Repair.get_by_id(r.id).state == "dispatched"
    with clock.frozen(MONDAY + 3 * H):
        got = repairs.complete(clerk, r.id, materials="水龙头 1个", labour_minutes=40, parts=[Part(tap.id, 2)])
    charge = billing.Charge.get()
    assert (charge.amount, charge.house_id, charge.description, got.amount) == (4000, house.id, "WX2026-0001", 4000)
    assert got.charge_id == charge.id and got.first_completed_at == MONDAY + 3 * H


def test_completion_cannot_come_before_dispatch_or_in_the_future(clerk, house, tech):
    r = reported(clerk, house)
    with clock.frozen(MONDAY + 30 * M):
        repairs.dispatch(clerk, r.id, tech.id, MONDAY + 2 * H)
        with pytest.raises(ValidationError):
            repairs.complete(clerk, r.id, done_at=MONDAY + 10 * M)
        with pytest.raises(ValidationError):
            repairs.complete(clerk, r.id, done_at=MONDAY + H)
        with pytest.raises(ValidationError):
            repairs.complete(clerk, r.id, leak_test_at=MONDAY + H)
    assert repairs.Repair.get_by_id(r.id).state == "dispatched"
    with clock.frozen(MONDAY + 30 * M + 40 * S):  # the dialog's minute: the one it was dispatched in
        repairs.dispatch(clerk, (other := reported(clerk, house, at=MONDAY + 30 * M)).id, tech.id, MONDAY + 2 * H)
    with clock.frozen(MONDAY + 31 * M):
        assert repairs.complete(clerk, other.id, done_at=MONDAY + 30 * M).completed_at == MONDAY + 30 * M


def test_a_problem_on_the_return_visit_reopens_the_order_as_rework(clerk, house, tech, supervisor):
    r = done(clerk, reported(clerk, house), tech, MONDAY + H)
    with clock.frozen(MONDAY + 26 * H):
        with pytest.raises(ValidationError):
            repairs.visit(clerk, r.id, ok=False)  # say what is wrong
        again = repairs.visit(clerk, r.id, ok=False, how="phone", note="仍在滴水")
    assert (again.state, again.technician_id, again.reworks, again.completed_at) == ("waiting", tech.id, 1, None)
    assert again.dispatch_due == MONDAY + 26 * H + 10 * M and again.answered_at is None  # its clock runs again
    assert [e.kind for e in again.events.order_by(repairs.RepairEvent.id)] == [
        "received", "dispatched", "completed", "visited", "rework"]
    with clock.frozen(MONDAY + 27 * H):
        other = repairs.save_technician(supervisor, name="陈师傅")
        with pytest.raises(ValidationError) as e:
            repairs.dispatch(clerk, r.id, other.id, MONDAY + 29 * H)  # not to someone else
        assert "technician" in e.value.fields
        repairs.dispatch(clerk, r.id, tech.id, MONDAY + 29 * H)
    with clock.frozen(MONDAY + 30 * H):
        fixed = repairs.complete(clerk, r.id)
    assert fixed.first_completed_at == MONDAY + H and fixed.visit_due == datetime.datetime(2026, 11, 26, 23, 59, 59)
    with clock.frozen(MONDAY + 50 * H):
        closed = repairs.visit(clerk, r.id, ok=True, how="visit")
    assert closed.state == "closed" and closed.visit_due is None
    assert [(v.ok, v.done_at is not None) for v in closed.visits.order_by(repairs.RepairVisit.id)] == [
        (False, True), (True, True)]
    assert audit.AuditEntry.select().where(audit.AuditEntry.action == "repair.visit").count() == 2


def test_the_months_figures_from_known_repairs(clerk, house, tech, supervisor):
    other = repairs.save_technician(supervisor, name="陈师傅", trade="木工")
    on_time = done(clerk, reported(clerk, house), tech, MONDAY + H)  # promised MONDAY + 2 h
    late = done(clerk, reported(clerk, house, "door_window", at=MONDAY + H), other, MONDAY + 4 * H)
    rework = done(clerk, reported(clerk, house, at=MONDAY + 2 * H), tech, MONDAY + 3 * H)
    with clock.frozen(MONDAY + 24 * H):
        repairs.visit(clerk, on_time.id, ok=True)
        repairs.visit(clerk, rework.id, ok=False, note="仍漏")
    # the late one's visit (due Wednesday) is never made
    figures = repairs.month_figures(supervisor, "2026-11")
    everyone = figures[("", "")]
    assert (everyone.repairs, everyone.on_time, everyone.repeats, everyone.visits_due, everyone.visits_done) == \
        (3, 2, 1, 3, 2)
    assert everyone.on_time_rate == pytest.approx(2 / 3)
    liu, chen = figures[("刘师傅", "")], figures[("陈师傅", "")]
    assert (liu.repairs, liu.on_time, liu.repeats) == (2, 2, 1) and (chen.repairs, chen.on_time) == (1, 0)
    assert figures[("", "door_window")].visits_done == 0 and figures[("", "water")].visits_done == 2
    assert repairs.month_figures(supervisor, "2026-12") == {}
    assert late.visit_due == datetime.datetime(2026, 11, 25, 23, 59, 59)


def test_the_category_is_read_from_what_the_owner_says():
    assert repairs.category_of("卫生间顶棚滴水") == "leak"
    assert repairs.category_of("电梯按钮失灵") == "safety"  # not electric
    assert repairs.category_of("厨房水龙头坏了") == "water"
    assert repairs.category_of("客厅灯不亮") == "electric"
    assert repairs.category_of("入户门锁芯卡滞") == "door_window"
    assert repairs.category_of("楼道声控灯不亮") == "public"
    assert repairs.category_of("其他问题") == ""


@pytest.mark.parametrize("what", ["厨房水管漏水", "卫生间渗水到楼下", "阳台漏雨", "热水器接口漏了", "马桶底座漏水"])
def test_water_coming_through_is_a_leak_with_its_visit_after_the_leak_test(what):
    assert repairs.category_of(what) == "leak"


@pytest.mark.parametrize("what,category", [("地漏堵了", "water"), ("插座漏电", "electric"),
                                           ("厨房燃气漏气", "safety"), ("楼道保洁漏扫", "public"),
                                           ("窗户漏风", "door_window"), ("卧室门缝漏光", "door_window")])
def test_a_leak_is_not_every_word_with_lou(what, category):
    assert repairs.category_of(what) == category


def test_a_late_first_job_stays_late_after_its_rework(clerk, house, tech, supervisor):
    r = reported(clerk, house)
    late = done(clerk, r, tech, MONDAY + 5 * H)  # promised MONDAY + 2 h
    assert repairs.on_time(late) is False
    with clock.frozen(MONDAY + 24 * H):
        repairs.visit(clerk, r.id, ok=False, note="仍漏")
        again = repairs.dispatch(clerk, r.id, tech.id, MONDAY + 30 * H)  # a new promise for the rework
    assert (again.appointment_at, again.first_appointment_at) == (MONDAY + 30 * H, MONDAY + 2 * H)
    with clock.frozen(MONDAY + 26 * H):
        repairs.complete(clerk, r.id)
    assert repairs.on_time(repairs.Repair.get_by_id(r.id)) is False
    assert repairs.month_figures(supervisor, "2026-11")[("", "")].on_time == 0
    with pytest.raises(ValidationError):
        repairs.month_figures(supervisor, "十一月")


@pytest.mark.parametrize("now, urgency, proposed", [
    (datetime.datetime(2026, 12, 2, 23, 25), "normal", datetime.datetime(2026, 12, 3, 9, 0)),  # not 01:25 at night
    (datetime.datetime(2026, 12, 2, 23, 25), "urgent", datetime.datetime(2026, 12, 3, 0, 0)),  # soon, whatever the hour
    (datetime.datetime(2026, 12, 2, 10, 1), "normal", datetime.datetime(2026, 12, 2, 12, 30)),  # the next half hour
    (datetime.datetime(2026, 12, 2, 10, 0), "normal", datetime.datetime(2026, 12, 2, 12, 0)),
    (datetime.datetime(2026, 12, 2, 10, 0), "urgent", datetime.datetime(2026, 12, 2, 10, 30)),
    (datetime.datetime(2026, 12, 2, 16, 0), "normal", datetime.datetime(2026, 12, 2, 18, 0)),  # the day's last hour
    (datetime.datetime(2026, 12, 2, 16, 1), "normal", datetime.datetime(2026, 12, 3, 9, 0)),  # 18:30: tomorrow
    (datetime.datetime(2026, 12, 2, 5, 20), "normal", datetime.datetime(2026, 12, 2, 9, 0)),  # 07:30: this morning
    (datetime.datetime(2026, 12, 2, 6, 0), "normal", datetime.datetime(2026, 12, 2, 8, 0)),  # at the day's start
])
def test_the_appointment_proposed_at_dispatch_falls_in_the_working_day(now, urgency, proposed):
    assert repairs.default_appointment(now, urgency) == proposed


def test_a_late_friday_repair_is_proposed_for_monday_when_the_office_counts_working_days(admin):
    from models import deadlines, settings

    friday = datetime.datetime(2026, 11, 27, 17, 0)
    assert repairs.default_appointment(friday, "normal") == datetime.datetime(2026, 11, 28, 9, 0)  # every day counts
    settings.update({"working_days_only": True}, user=admin)
    assert deadlines.Calendar.from_settings().working_days_only
    assert repairs.default_appointment(friday, "normal") == datetime.datetime(2026, 11, 30, 9, 0)  # Monday


def test_the_history_holds_every_order_the_newest_first_read_by_key(clerk, house, admin, tech):
    from models import estate

    other = estate.create_house(admin, house.unit_id, number="1202", area="60")
    made = [reported(clerk, house if n % 2 == 0 else other, at=MONDAY + n * H, what=f"第{n}单") for n in range(5)]
    reported(clerk, house, at=MONDAY + 2 * H, what="同一时刻")  # the same minute as one before: by id
    done(clerk, made[0], tech, MONDAY + 3 * H)  # closed ones are history too
    with clock.frozen(MONDAY + 6 * H):
        repairs.cancel(clerk, made[1].id, "业主自行修好")
        pages, last = [], None
        while page := repairs.history(clerk, after=last, limit=2):
            pages.append([r.what for r in page])
            last = page[-1]
        of_house = [r.what for r in repairs.history(clerk, house_id=house.id)]
    assert [w for p in pages for w in p] == ["第4单", "第3单", "同一时刻", "第2单", "第1单", "第0单"]
    assert [len(p) for p in pages] == [2, 2, 2]  # the page boundary falls inside the same minute
    assert of_house == ["第4单", "同一时刻", "第2单", "第0单"]
