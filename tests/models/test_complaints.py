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
