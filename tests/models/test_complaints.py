"""Complaints: recorded with the owner's request, owned by the clerk who received it (首问
责任制) through escalation until closed; every deadline of its class at its boundary; a
declined one says why; the day's review and the week's summary from known complaints."""
import datetime

import pytest

from models import audit, clock, complaints
from models.errors import OfficeError, PermissionDenied, ValidationError

MONDAY = datetime.datetime(2026, 11, 23, 10, 0)
M = datetime.timedelta(minutes=1)
H = datetime.timedelta(hours=1)
S = datetime.timedelta(seconds=1)


def recorded(clerk, house, at=MONDAY, **kw):
    with clock.frozen(at):
        return complaints.record(clerk, name="张三", phone="13812345678", house_id=house.id,
                                 what=kw.pop("what", "楼上装修夜间施工噪音"), about=kw.pop("about", "装修户 4-2-1301"),
                                 asks=kw.pop("asks", "晚上不许施工"), **kw)


def due(c, what):
    return next(d.due for d in complaints.deadlines_of(complaints.Complaint.get_by_id(c.id)) if d.what == what)


def test_a_complaint_is_recorded_with_its_steps_and_bad_input_writes_nothing(clerk, house, admin):
    with clock.frozen(MONDAY):
        with pytest.raises(ValidationError) as e:
            complaints.record(clerk, name="", what="", kind="rumour", asked_by=MONDAY - H)
        assert {"name", "what", "kind", "asked_by"} <= set(e.value.fields)
        with pytest.raises(PermissionDenied):
            complaints.record(admin, name="张三", what="噪音")
    assert complaints.Complaint.select().count() == 0
    c = recorded(clerk, house, channel="visit")
    assert (c.number_text, c.owner_id, c.kind) == ("TS2026-0001", clerk.id, "complaint")
    assert [s.kind for s in c.steps.order_by(complaints.ComplaintStep.id)] == ["received", "recorded"]
    assert audit.AuditEntry.select().where(audit.AuditEntry.action == "complaint.record").count() == 1


def test_the_first_answer_is_due_in_24_hours_or_2_when_simple(clerk, house):
    c = recorded(clerk, house)
    assert due(c, "first_answer") == MONDAY + 24 * H
    simple = recorded(clerk, house, simple=True)
    assert due(simple, "first_answer") == MONDAY + 2 * H
    praise = recorded(clerk, house, kind="praise", what="保安帮忙搬运物品")
    assert complaints.deadlines_of(praise) == []  # praise has no deadline
    with clock.frozen(MONDAY + 2 * H):
        complaints.answer(clerk, simple.id, "已联系装修户，今晚起 20 点后停止施工")
    [first] = [d for d in complaints.deadlines_of(complaints.Complaint.get_by_id(simple.id))
               if d.what == "first_answer"]
    assert first.met_at == MONDAY + 2 * H and first.met_at <= first.due  # on the second: in time


def test_the_deadlines_of_each_class_at_their_boundaries(clerk, house):
    major = recorded(clerk, house, what="电梯困人")
    with clock.frozen(MONDAY + M):
        complaints.classify(clerk, major.id, "major")
    assert due(major, "escalate") == datetime.datetime(2026, 11, 23, 23, 59, 59)  # the director, the same day
    assert due(major, "first_answer") == MONDAY + 24 * H  # 24 h comes before "2 days"
    assert due(major, "resolve") == datetime.datetime(2026, 12, 3, 23, 59, 59)  # 10 days
    important = recorded(clerk, house, what="保洁漏扫楼道")
    with clock.frozen(MONDAY + M):
        complaints.classify(clerk, important.id, "important")
    assert due(important, "escalate") == MONDAY + H
    assert due(important, "resolve") == datetime.datetime(2026, 11, 26, 23, 59, 59)
    minor = recorded(clerk, house, what="信报箱锁坏")
    asked = recorded(clerk, house, what="草坪积水", asked_by=datetime.datetime(2026, 11, 24, 18, 0))
    with clock.frozen(MONDAY + M):
        complaints.classify(clerk, minor.id, "minor")
        complaints.classify(clerk, asked.id, "minor")
    assert due(minor, "resolve") == datetime.datetime(2026, 11, 25, 23, 59, 59)
    assert due(asked, "resolve") == datetime.datetime(2026, 11, 24, 18, 0)  # what the owner asked for


def test_escalation_keeps_the_owner_and_only_the_owner_or_a_supervisor_closes(clerk, cashier, supervisor, house):
    c = recorded(clerk, house)
    with clock.frozen(MONDAY + 30 * M):
        complaints.classify(clerk, c.id, "important")
        complaints.escalate(cashier, c.id, "工程部 王经理", "请核实施工许可")
    got = complaints.Complaint.get_by_id(c.id)
    assert (got.owner_id, got.escalated_to, got.escalated_at) == (clerk.id, "工程部 王经理", MONDAY + 30 * M)
    with clock.frozen(MONDAY + 2 * H):
        complaints.follow_up(cashier, c.id, "告知业主：明日上午答复")
        with pytest.raises(OfficeError):
            complaints.close(cashier, c.id, "已处理")  # not hers to close
        with pytest.raises(ValidationError):
            complaints.close(clerk, c.id, "")
        complaints.close(clerk, c.id, "装修户承诺20点后停工，已告知业主")
    closed = complaints.Complaint.get_by_id(c.id)
    assert closed.closed_at == MONDAY + 2 * H and closed.first_answer_at == MONDAY + 2 * H
    with pytest.raises(OfficeError):
        complaints.follow_up(clerk, c.id, "再次回访")  # closed
    other = recorded(clerk, house)
    with clock.frozen(MONDAY + 3 * H):
        complaints.close(supervisor, other.id, "已解决")  # a supervisor may
    with clock.frozen(MONDAY + 4 * H):
        complaints.summarise(clerk, c.id, "装修管理：夜间施工巡查")
    kinds = [s.kind for s in closed.steps.order_by(complaints.ComplaintStep.id)]
    assert kinds == ["received", "recorded", "classified", "escalated", "followed_up", "closed", "summarised"]


def test_a_complaint_outside_the_contract_is_declined_with_the_reason(clerk, house):
    c = recorded(clerk, house, what="要求物业赔偿家中被盗财物")
    with pytest.raises(ValidationError) as e:
        complaints.classify(clerk, c.id, "minor", valid=False)
    assert "reason" in e.value.fields
    got = complaints.classify(clerk, c.id, "minor", valid=False, reason="财物保管不在物业服务合同范围内，已协助报警")
    assert got.valid is False and got.declined_reason.startswith("财物保管")


def test_the_days_review_and_the_weeks_summary(clerk, house):
    a = recorded(clerk, house)  # Monday, answered late and closed
    b = recorded(clerk, house, at=MONDAY + 26 * H, what="垃圾未及时清运")  # Tuesday, open
    recorded(clerk, house, at=MONDAY + 27 * H, kind="suggestion", what="增设快递柜")
    with clock.frozen(MONDAY + 25 * H):
        complaints.classify(clerk, a.id, "minor")
        complaints.answer(clerk, a.id, "已联系装修户")  # an hour past the 24 h
        complaints.close(clerk, a.id, "已解决")
    tuesday = [c.id for c in complaints.day_review(clerk, datetime.date(2026, 11, 24))]
    assert tuesday == [b.id, b.id + 1]  # Tuesday's, and none left open from before
    assert [c.id for c in complaints.day_review(clerk, datetime.date(2026, 11, 23))] == [a.id]
    with clock.frozen(MONDAY + 6 * 24 * H):
        week = complaints.week_summary(clerk, datetime.date(2026, 11, 23))
    assert week.by_kind == {"complaint": 2, "enquiry": 0, "suggestion": 1, "praise": 0}
    assert week.by_class == {"major": 0, "important": 0, "minor": 1}
    assert (week.closed, week.open, week.declined) == (1, 2, 0)
    assert week.late == 2  # a answered an hour late; b never answered within its 24 h


def test_a_major_complaint_owes_a_clear_answer_in_its_days_beside_the_24_hour_first_answer(clerk, house, admin):
    from models import due_now, settings

    major = recorded(clerk, house, what="电梯困人")  # Monday 10:00
    with clock.frozen(MONDAY + M):
        complaints.classify(clerk, major.id, "major")
    assert due(major, "first_answer") == MONDAY + 24 * H
    assert due(major, "answer") == datetime.datetime(2026, 11, 25, 23, 59, 59)  # the end of the 2nd day
    with clock.frozen(MONDAY + 2 * H):
        complaints.answer(clerk, major.id, "已上报经理，48小时内明确答复")  # the first answer only
    got = complaints.Complaint.get_by_id(major.id)
    assert [d.what for d in complaints.pending(got)] == ["escalate", "answer", "resolve"]
    assert complaints.next_answer(got) == "answer"
    end = datetime.datetime(2026, 11, 25, 23, 59, 59)
    with clock.frozen(end):
        [line] = [d for d in due_now.due_now(clerk) if d.what == "answer"]
        assert (line.number, line.left.seconds) == (got.number_text, 0)  # due now, not late
    with clock.frozen(end + S):
        week = complaints.week_summary(clerk, datetime.date(2026, 11, 23))
        assert [d.left.overdue for d in due_now.due_now(clerk) if d.what == "answer"] == [True]
    with clock.frozen(end + 2 * S):
        complaints.answer(clerk, major.id, "更换曳引机，12月1日前完成", clear=True)
    got = complaints.Complaint.get_by_id(major.id)
    assert [d.what for d in complaints.pending(got)] == ["escalate", "resolve"]
    assert complaints.next_answer(got) == "" and got.first_answer_at == MONDAY + 2 * H
    assert week.late == 1  # its clear answer was late within the week (escalation too)
    settings.update({"complaint_major_answer_days": 3, "working_days_only": True}, user=admin)
    friday = recorded(clerk, house, at=datetime.datetime(2026, 11, 27, 16, 0), what="消防门损坏")
    with clock.frozen(datetime.datetime(2026, 11, 27, 16, 5)):
        complaints.classify(clerk, friday.id, "major")
    assert due(friday, "answer") == datetime.datetime(2026, 12, 2, 23, 59, 59)  # Mon, Tue, Wed


def test_a_major_complaint_given_its_clear_answer_first_has_its_first_answer_too(clerk, house):
    major = recorded(clerk, house, what="楼体外墙脱落")
    with clock.frozen(MONDAY + M):
        complaints.classify(clerk, major.id, "major")
    with clock.frozen(MONDAY + H):
        complaints.answer(clerk, major.id, "今日封闭现场，周三前修复", clear=True)
    got = complaints.Complaint.get_by_id(major.id)
    assert got.first_answer_at == MONDAY + H
    assert [d.what for d in complaints.pending(got)] == ["escalate", "resolve"]
    assert audit.AuditEntry.select().where(audit.AuditEntry.action == "complaint.answered").count() == 1


def test_the_weeks_summary_counts_what_is_open_and_overdue_at_its_end_whenever_received(clerk, house):
    old = recorded(clerk, house, at=MONDAY - 14 * 24 * H, what="车库积水")  # two weeks before, never answered
    done_before = recorded(clerk, house, at=MONDAY - 10 * 24 * H, what="门禁坏")
    with clock.frozen(MONDAY - 9 * 24 * H):
        complaints.close(clerk, done_before.id, "已修复")  # closed before the week: not in it
    last_week = recorded(clerk, house, at=MONDAY - 3 * 24 * H, what="绿化带垃圾")
    with clock.frozen(MONDAY + 2 * H):
        complaints.close(clerk, last_week.id, "已清理")  # closed in the week, answered late
    new = recorded(clerk, house, at=MONDAY + H, what="楼道灯不亮")
    with clock.frozen(MONDAY + 3 * H):
        complaints.answer(clerk, new.id, "今日维修")
    with clock.frozen(MONDAY + 8 * 24 * H):
        week = complaints.week_summary(clerk, datetime.date(2026, 11, 23))
    assert week.by_kind["complaint"] == 1  # what came in
    assert (week.closed, week.open, week.carried) == (1, 2, 2)  # the old one and the new one open
    assert week.late == 2  # the old one still unanswered, the last week's answered only at closing
    assert [c.id for c in week.rows] == [new.id, old.id, last_week.id]


def test_the_owners_masked_phone_from_the_form_is_kept_in_full(clerk, house, admin):
    from models import house_phone, owners

    owners.add_owner(admin, house.id, name="张三", phone="13812345678")
    contact = house_phone.of_house(house.id)
    assert (contact.name, contact.phone_shown) == ("张三", "138****5678")
    with clock.frozen(MONDAY):
        c = complaints.record(clerk, name="张三", what="噪音", house_id=house.id, phone=contact.phone_shown)
        other = complaints.record(clerk, name="张三", what="噪音", house_id=house.id, phone="13900001111")
        with pytest.raises(ValidationError) as e:
            complaints.record(clerk, name="张三", what="噪音", house_id=house.id, phone="139****5678")
    assert (c.phone, other.phone) == ("13812345678", "13900001111")
    assert "phone" in e.value.fields


def test_the_history_holds_every_complaint_the_newest_first_read_by_key(clerk, house, admin):
    from models import estate

    other = estate.create_house(admin, house.unit_id, number="1202", area="60")
    made = [recorded(clerk, house if n % 2 == 0 else other, at=MONDAY + n * H, what=f"第{n}件") for n in range(5)]
    with clock.frozen(MONDAY + 6 * H):
        complaints.close(clerk, made[0].id, "已处理")  # closed ones are history too
        pages, last = [], None
        while page := complaints.history(clerk, after=last, limit=2):
            pages.append([c.what for c in page])
            last = page[-1]
        of_house = [c.what for c in complaints.history(clerk, house_id=house.id)]
    assert pages == [["第4件", "第3件"], ["第2件", "第1件"], ["第0件"]]
    assert of_house == ["第4件", "第2件", "第0件"]
