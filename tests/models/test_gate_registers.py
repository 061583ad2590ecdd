"""People and goods at the gate (SCENARIOS 16): a moving van for a tenant's house needs the
owner's authorisation, recorded, and the house's arrears seen before the numbered pass
prints; the gate uses it once. A visitor is logged in and out, masked like an owner. What
is left at the desk for someone, mail among it, and cash refused."""
import datetime

import pytest

from models import billing, clock, left_items, owners, passes, today, validation, visitors
from models.errors import NotFound, OfficeError, ValidationError

T = datetime.datetime
GOOD_ID = "11010519491231002X"


@pytest.fixture
def rented(admin, supervisor, house):
    owners.add_owner(admin, house.id, name="张三", phone="13812345678")
    owners.add_resident(supervisor, house.id, kind="tenant", name="乐嘉", phone="13700004321")
    owners.add_resident(supervisor, house.id, kind="member", name="张小明")
    return house


def test_a_tenants_move_out_needs_the_owners_word_and_the_arrears_seen(rented, clerk, cashier):
    with clock.frozen(T(2026, 11, 3, 9)):
        billing.post_charge(cashier, rented.id, "debris", 45_000, description="垃圾清运")
    with clock.frozen(T(2026, 12, 2, 10)):
        owed = passes.owed_now(clerk, rented.id)
        assert owed >= 45_000
        with pytest.raises(ValidationError) as e:  # a tenant without the owner's authorisation
            passes.issue(clerk, house_id=rented.id, applicant="乐嘉", applicant_kind="tenant", items="家具、冰箱",
                         vehicle="粤B12345", moving_out=True)
        assert {"authorised_by", "authorised_how", "authorised_at", "arrears_seen"} <= set(e.value.fields)
        with pytest.raises(ValidationError) as e:  # a member of the household is neither owner nor tenant
            passes.issue(clerk, house_id=rented.id, applicant="张小明", items="纸箱")
        assert set(e.value.fields) == {"applicant"}
        with pytest.raises(ValidationError) as e:  # the authorisation is an owner's
            passes.issue(clerk, house_id=rented.id, applicant="乐嘉", applicant_kind="tenant", items="家具",
                         authorised_by="乐嘉", authorised_how="phone", authorised_at=T(2026, 12, 2, 9, 55))
        assert set(e.value.fields) == {"authorised_by"}
        with pytest.raises(ValidationError) as e:
            passes.issue(clerk, house_id=None, applicant="", items="", vehicle="12345")
        assert set(e.value.fields) == {"house", "applicant", "items", "vehicle"}
        assert passes.ReleasePass.select().count() == 0
        p = passes.issue(clerk, house_id=rented.id, applicant="乐嘉", applicant_kind="tenant", items="家具、冰箱",
                         vehicle="粤b·12345", moving_out=True, arrears_seen=True, authorised_by="张三",
                         authorised_how="phone", authorised_at=T(2026, 12, 2, 9, 55))
        assert (p.number_text, p.vehicle, p.arrears, p.state) == ("FX2026-0001", "粤B12345", owed, "issued")
        # the owner's own pass, not moving out: no arrears asked
        q = passes.issue(clerk, house_id=rented.id, applicant="张三", items="旧沙发一张")
        assert q.number_text == "FX2026-0002" and q.arrears == 0
    with clock.frozen(T(2026, 12, 2, 11)):
        assert passes.numbered(clerk, "fx2026-1").id == p.id
        passes.used(clerk, p.id, "搬家公司车辆已出")
        with pytest.raises(OfficeError):
            passes.used(clerk, p.id)  # once
        passes.void(clerk, q.id, "业主改期")
        with pytest.raises(OfficeError):
            passes.used(clerk, q.id)
    with clock.frozen(T(2026, 12, 3, 8)):
        r = passes.issue(clerk, house_id=rented.id, applicant="张三", items="自行车", valid_on=datetime.date(2026, 12, 4))
        with pytest.raises(OfficeError):
            passes.used(clerk, r.id)  # tomorrow's pass, not today's
        with pytest.raises(ValidationError):
            passes.issue(clerk, house_id=rented.id, applicant="张三", items="自行车",
                         valid_on=datetime.date(2026, 12, 1))
    with pytest.raises(NotFound):
        passes.numbered(clerk, "FX2026-9999")
    assert [x.id for x in passes.search(clerk, "冰箱")] == [p.id]
    assert [x.id for x in passes.search(clerk, "粤B12345")] == [p.id]
    assert {x.id for x in passes.search(clerk, "3-2-1201")} == {p.id, q.id, r.id}


def test_a_visitor_in_and_out_masked_and_still_inside_past_the_days_end_on_today(rented, clerk):
    with clock.frozen(T(2026, 12, 2, 10)):
        with pytest.raises(ValidationError) as e:
            visitors.come_in(clerk, name=" ", house_id=None, confirmed_by="", id_number="110105194912310021",
                             plate="XYZ", people=0)
        assert set(e.value.fields) == {"name", "house", "confirmed_by", "id_number", "plate", "people"}
        assert visitors.Visitor.select().count() == 0
        v = visitors.come_in(clerk, name="刘备", house_id=rented.id, confirmed_by="张三（对讲确认）",
                             id_number=GOOD_ID, phone="13912345678", plate="粤B 66666", purpose="探亲")
        assert v.id_number == validation.mask_id(GOOD_ID) and v.plate == "粤B66666"
        assert visitors.Visitor.get_by_id(v.id).id_number == GOOD_ID  # kept in full
        w = visitors.come_in(clerk, name="关羽", house_id=rented.id, confirmed_by="乐嘉")
        assert [x.id for x in visitors.inside(clerk)] == [v.id, w.id]
        assert all(x.id_number in ("", validation.mask_id(GOOD_ID)) for x in visitors.search(clerk, ""))
    with clock.frozen(T(2026, 12, 2, 11)):
        visitors.go_out(clerk, w.id)
        with pytest.raises(OfficeError):
            visitors.go_out(clerk, w.id)
    with clock.frozen(T(2026, 12, 2, 21, 59)):
        assert not [t for t in today.lines(clerk) if t.what == "visitor"]
    with clock.frozen(T(2026, 12, 2, 22, 30)):  # past the day's end (22:00 by default): still inside
        [line] = [t for t in today.lines(clerk) if t.what == "visitor"]
        assert (line.table, line.record_id, line.left.overdue) == ("visitor", v.id, True)
        assert "刘备" in line.about and "3-2-1201" in line.about
    assert [x.id for x in visitors.search(clerk, "刘")] == [v.id]
    assert [x.id for x in visitors.search(clerk, "粤B66666")] == [v.id]
    assert [x.id for x in visitors.search(clerk, "5678")] == [v.id]
    assert {x.id for x in visitors.search(clerk, "3-2-1201", day=datetime.date(2026, 12, 2))} == {v.id, w.id}


def test_left_at_the_desk_cash_refused_mail_collected(rented, clerk):
    with clock.frozen(T(2026, 12, 2, 9)):
        with pytest.raises(ValidationError) as e:
            left_items.leave(clerk, kind="item", what="一个信封，内有现金 500 元", for_whom="张三")
        assert set(e.value.fields) == {"what"}
        assert "cash" in e.value.fields["what"][0]
        with pytest.raises(ValidationError) as e:
            left_items.leave(clerk, kind="item", what="钥匙一串", for_whom="张三")  # not checked
        assert set(e.value.fields) == {"no_cash"}
        with pytest.raises(ValidationError) as e:
            left_items.leave(clerk, kind="registered", what="法院挂号信", for_whom="张三")
        assert set(e.value.fields) == {"number"}
        assert left_items.LeftItem.select().count() == 0
        keys_ = left_items.leave(clerk, kind="item", what="钥匙一串", for_whom="张三", house_id=rented.id,
                                 left_by="保洁阿姨", no_cash=True, place="抽屉2")
        letter = left_items.leave(clerk, kind="registered", what="法院挂号信", for_whom="张三", house_id=rented.id,
                                  number="xa 1234 5678 9cn", left_by="邮递员")
        assert letter.number == "XA123456789CN"
    with clock.frozen(T(2026, 12, 2, 18)):
        left_items.collect(clerk, letter.id, collected_by="张三")
        with pytest.raises(OfficeError):
            left_items.collect(clerk, letter.id, collected_by="张三")
    assert [x.id for x in left_items.search(clerk, waiting_only=True)] == [keys_.id]
    assert [x.id for x in left_items.search(clerk, "XA123456789CN")] == [letter.id]
