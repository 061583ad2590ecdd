"""The handbook: the contacts directory searched by name, person, phone or category, kept by
a supervisor; the paid-service price list with fixed prices and written-out rules."""
import pytest

from models import handbook
from models.errors import PermissionDenied, ValidationError


@pytest.fixture
def directory(supervisor):
    handbook.save_contact(supervisor, category="water", name="自来水公司客服", phone="96116")
    handbook.save_contact(supervisor, category="locksmith", name="平安开锁", person="陈师傅", phone="13912345678",
                          note="公安备案")
    handbook.save_contact(supervisor, category="contractor", name="中建三局（土建）", person="刘经理",
                          phone="0755-88886666")
    return supervisor


def test_the_directory_is_found_by_name_person_phone_or_category(directory, clerk):
    assert [c.name for c in handbook.contacts(clerk)] == ["自来水公司客服", "平安开锁", "中建三局（土建）"]
    assert [c.name for c in handbook.contacts(clerk, "陈师傅")] == ["平安开锁"]
    assert [c.name for c in handbook.contacts(clerk, "8888")] == ["中建三局（土建）"]
    assert [c.name for c in handbook.contacts(clerk, "Locksmith")] == ["平安开锁"]
    assert [c.name for c in handbook.contacts(clerk, "开锁匠", categories_named=("locksmith",))] == ["平安开锁"]


def test_only_supervisors_keep_the_directory_and_bad_entries_are_refused(directory, clerk, supervisor):
    with pytest.raises(PermissionDenied):
        handbook.save_contact(clerk, category="water", name="x", phone="1")
    with pytest.raises(ValidationError) as e:
        handbook.save_contact(supervisor, category="nowhere", name="", phone="abc")
    assert {"category", "name", "phone"} <= set(e.value.fields)
    c = handbook.contacts(supervisor, "平安开锁")[0]
    handbook.save_contact(supervisor, c.id, category="locksmith", name="平安开锁", phone="13912345679")
    handbook.delete_contact(supervisor, handbook.contacts(supervisor, "96116")[0].id)
    assert [x.phone for x in handbook.contacts(supervisor)] == ["13912345679", "0755-88886666"]


def test_the_price_list_has_prices_and_rules(supervisor, clerk):
    lamp = handbook.save_price(supervisor, name="灯具安装", price="10", unit="个", category="水电维修")
    handbook.save_price(supervisor, name="租赁代理（业主）", price_text="一个月租金的40%", category="代办")
    with pytest.raises(ValidationError) as e:
        handbook.save_price(supervisor, name="疏通下水道")
    assert "price" in e.value.fields
    with pytest.raises(ValidationError):
        handbook.save_price(supervisor, name="x", price="1.234")
    items = handbook.price_list(clerk)
    assert [(i.name, i.shown_price()) for i in items] == [("灯具安装", "10.00 元/个"), ("租赁代理（业主）", "一个月租金的40%")]
    assert lamp.price == 1000
