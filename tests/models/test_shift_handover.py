"""The shift handover and the message pad (SCENARIOS 15): 小王 hands over to 小李 at 16:00
with two keys out, parcels past a day, a message to call back before 18:00 and 1,250 yuan in
the box; 小李 confirms by her password; the message stays on 今日 until it is done; a
message becomes a repair or a complaint in one step, keeping its words."""
import datetime

import pytest

from models import audit, clock, complaints, keys, messages, owners, parcels, repairs, settings, shifts, today, users
from models.errors import OfficeError, ValidationError
from models.keys import Borrower
from tests.conftest import _user

T = datetime.datetime


@pytest.fixture
def desk(clerk, house, admin):
    owners.add_owner(admin, house.id, name="张三", phone="13812345678")
    with clock.frozen(T(2026, 12, 1, 9)):
        for n in range(5):
            parcels.receive(clerk, house_id=house.id, tracking=f"SF12345678{n:02d}", recipient="张三",
                            shelf="A1", safe=True)
    with clock.frozen(T(2026, 12, 2, 14)):
        for tag in ("K-01", "K-02"):
            key = keys.add_key(clerk, tag=tag, name=f"{tag} 设备房", kind="public", position="A柜",
                               responsible="经理")
            keys.lend(clerk, key.id, Borrower("staff", "电工老周", approved_by="经理"))
    return house


def test_the_handover_carries_the_open_items_and_the_cash_and_the_next_clerk_confirms_it(desk, clerk, house):
    li = _user("xiaoli", ["clerk"])
    with clock.frozen(T(2026, 12, 2, 15, 10)):
        msg = messages.take(clerk, caller="张三", for_whom="经理", about="想问车位申请进度，请回电", phone="138****5678",
                            house_id=house.id, reply_by=T(2026, 12, 2, 18))
        assert msg.phone == "13812345678"  # the masked number the form showed stands for the owner's
    with clock.frozen(T(2026, 12, 2, 16)):
        with pytest.raises(ValidationError) as e:
            shifts.hand_over(clerk, "wrong-one", note="两把钥匙未还", cash=125_000, to_user_id=li.id)
        assert set(e.value.fields) == {"password"}
        with pytest.raises(ValidationError) as e:
            shifts.hand_over(clerk, "secret1", note="", cash=None, to_user_id=clerk.id)
        assert set(e.value.fields) == {"note", "cash", "to_user"}
        assert shifts.Handover.select().count() == 0
        h = shifts.hand_over(clerk, "secret1", note="两把钥匙未还；张三的留言要回电", cash=125_000, to_user_id=li.id)
    carried = shifts.items_of(clerk, h.id)
    kinds = [i.kind for i in carried]
    assert kinds.count("key") == 2 and kinds.count("parcel") == 5 and kinds.count("message") == 1
    assert (h.cash, h.by_id, h.to_user_id) == (125_000, clerk.id, li.id)
    # the handover waits for 小李, not for 小王 or another clerk
    assert shifts.pending_for(clerk) == [] and [x.id for x in shifts.pending_for(li)] == [h.id]
    other = _user("xiaozhou", ["clerk"])
    assert shifts.pending_for(other) == []
    with clock.frozen(T(2026, 12, 2, 16, 5)):
        [line] = [t for t in today.lines(li) if t.what == "handover"]
        assert (line.table, line.record_id) == ("shift_handover", h.id)
        with pytest.raises(OfficeError):
            shifts.confirm(other, h.id, "secret1")  # handed to 小李 by name
        with pytest.raises(OfficeError):
            shifts.confirm(clerk, h.id, "secret1")  # not by the one handing over
        with pytest.raises(ValidationError):
            shifts.confirm(li, h.id, "not-hers")
        shifts.confirm(li, h.id, "secret1", "已清点现金 1,250.00")
        with pytest.raises(OfficeError):
            shifts.confirm(li, h.id, "secret1")  # once
    assert shifts.pending_for(li) == []
    assert shifts.get(li, h.id).confirmed_by_id == li.id
    acts = [e.action for e in audit.AuditEntry.select().order_by(audit.AuditEntry.id)]
    assert "shift.hand_over" in acts and "shift.confirm" in acts
    # 17:30: the message is still open on 今日, 30 minutes left; 18:01 overdue
    with clock.frozen(T(2026, 12, 2, 17, 30)):
        [line] = [t for t in today.lines(li) if t.what == "message"]
        assert (line.number, line.left.seconds, line.left.overdue) == (msg.number_text, 1800, False)
        assert "经理" in line.about and "张三" in line.about
    with clock.frozen(T(2026, 12, 2, 18, 1)):
        [line] = [t for t in today.lines(li) if t.what == "message"]
        assert line.left.overdue
        messages.done(li, msg.id, "经理已回电")
        assert not [t for t in today.lines(li) if t.what == "message"]
        with pytest.raises(OfficeError):
            messages.done(li, msg.id, "again")


def test_no_cash_is_asked_where_the_office_does_not_hand_cash_over(clerk, supervisor, admin):
    settings.update({"shift_cash": False}, user=admin)
    with clock.frozen(T(2026, 12, 2, 16)):
        h = shifts.hand_over(clerk, "secret1", note="无事", cash=99)
    assert h.cash is None and h.to_user_id is None
    assert [x.id for x in shifts.pending_for(supervisor)] == [h.id]  # whoever comes next


def test_a_message_refuses_what_it_must_and_writes_nothing(clerk, house):
    with clock.frozen(T(2026, 12, 2, 9)):
        with pytest.raises(ValidationError) as e:
            messages.take(clerk, caller=" ", for_whom="", about="", phone="12345")
        assert set(e.value.fields) == {"caller", "for_whom", "about", "phone"}
        with pytest.raises(ValidationError) as e:
            messages.take(clerk, caller="李四", for_whom="工程部", about="回电", reply_by=T(2026, 12, 2, 8))
        assert set(e.value.fields) == {"reply_by"}
        with pytest.raises(ValidationError) as e:  # a call-back needs the number
            messages.take(clerk, caller="李四", for_whom="工程部", about="回电", reply_by=T(2026, 12, 2, 12))
        assert set(e.value.fields) == {"phone"}
        assert messages.Message.select().count() == 0
        # no time asked: due within the office's hours (default 4)
        m = messages.take(clerk, caller="李四", for_whom="工程部", about="楼道灯不亮", how="desk")
    assert m.due == T(2026, 12, 2, 13) and m.number_text == "LY2026-0001"


def test_a_message_becomes_a_repair_or_a_complaint_in_one_step_keeping_its_words(clerk, house):
    with clock.frozen(T(2026, 12, 2, 9)):
        a = messages.take(clerk, caller="张三", for_whom="客服", about="厨房下水道堵了", house_id=house.id,
                          phone="13812345678")
        b = messages.take(clerk, caller="李四", for_whom="经理", about="楼上半夜噪音", house_id=house.id)
        repair = messages.to_repair(clerk, a.id, category="water")
        complaint = messages.to_complaint(clerk, b.id)
    assert (repair.what, repair.reporter, repair.house_id, repair.phone) == ("厨房下水道堵了", "张三", house.id,
                                                                         "13812345678")
    assert (complaint.what, complaint.name) == ("楼上半夜噪音", "李四")
    a, b = messages.get(clerk, a.id), messages.get(clerk, b.id)
    assert a.done_at and a.repair_id == repair.id and repair.number_text in a.outcome
    assert b.done_at and b.complaint_id == complaint.id
    with pytest.raises(OfficeError):
        messages.to_repair(clerk, a.id, category="water")  # once
    assert repairs.Repair.select().count() == 1 and complaints.Complaint.select().count() == 1
    # a bad category writes neither the repair nor the message's change
    with clock.frozen(T(2026, 12, 2, 10)):
        c = messages.take(clerk, caller="王五", for_whom="客服", about="门禁坏了", house_id=house.id)
        with pytest.raises(ValidationError):
            messages.to_repair(clerk, c.id, category="nonsense")
    assert messages.get(clerk, c.id).done_at is None and repairs.Repair.select().count() == 1


def test_the_register_is_searched_by_name_words_house_number_and_phone_tail(clerk, house):
    with clock.frozen(T(2026, 12, 2, 9)):
        a = messages.take(clerk, caller="张三", for_whom="经理", about="车位", house_id=house.id, phone="13812345678")
        messages.take(clerk, caller="李四", for_whom="工程部", about="楼道灯")
    assert [m.id for m in messages.search(clerk, "张三")] == [a.id]
    assert [m.id for m in messages.search(clerk, "3-2-1201")] == [a.id]
    assert [m.id for m in messages.search(clerk, "5678")] == [a.id]
    assert [m.id for m in messages.search(clerk, "LY2026-1")] == [a.id]
    assert len(messages.search(clerk, "")) == 2
    assert users.has(clerk, "desk.parcels")
