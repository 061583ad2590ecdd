"""A new office's first steps tick themselves off from its data."""
import pytest

from models import cashier, estate, fees, first_steps, users
from models.errors import ValidationError


def done(key):
    return next(s for s in first_steps.steps() if s.key == key).done


def test_the_first_administrator_must_be_named(database):
    with pytest.raises(ValidationError) as refused:
        first_steps.first_administrator("admin", "  ", "secret12")
    assert list(refused.value.fields) == ["full_name"]
    with pytest.raises(ValidationError) as refused:
        first_steps.first_administrator("admin", "", "abc")
    assert list(refused.value.fields) == ["full_name", "password"]  # every refusal at once
    assert users.needs_first_admin()  # nothing written
    admin = first_steps.first_administrator("admin", "王经理", "secret12")
    assert admin.full_name == "王经理" and admin.role_set == {"admin"}


def test_each_first_step_is_ticked_off_by_the_offices_data(database, frozen_now):
    admin = first_steps.first_administrator("admin", "王经理", "secret12")
    assert first_steps.shown_to(admin)
    assert [s.key for s in first_steps.steps()] == ["profile", "buildings", "users", "fees", "receipts"]
    assert not any(s.done for s in first_steps.steps())
    estate.update_profile(admin, name="翠湖花园", office_name="翠湖花园物业服务中心")
    assert not done("profile")  # the office's phone is printed on every paper too
    estate.update_profile(admin, office_phone="0755-86001234")
    assert done("profile")
    estate.create_building(admin, "1")
    assert done("buildings")
    boss = users.create_user(admin, "zhao", "secret12", ["supervisor"], "赵强")
    assert done("users") and not first_steps.shown_to(boss)
    fees.update_item(admin, "service", unit_price="2.50")
    assert done("fees")
    assert not done("receipts")
    cashier.set_next_number(boss, 1201)  # the first form of the receipt book
    assert done("receipts") and first_steps.all_done()
