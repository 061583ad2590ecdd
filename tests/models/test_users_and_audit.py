import datetime

import pytest

from models import audit, estate, owners, settings, users
from models.errors import OfficeError, PermissionDenied, ValidationError


def test_first_start_asks_for_the_administrator_once(database):
    assert users.needs_first_admin()
    admin = users.create_first_admin("boss", "s3cret!", "管理员")
    assert admin.role_set == {"admin"}
    assert not users.needs_first_admin()
    with pytest.raises(OfficeError):
        users.create_first_admin("other", "s3cret!")


def test_passwords_are_stored_as_argon2_hashes(database):
    admin = users.create_first_admin("boss", "s3cret!")
    assert admin.password_hash.startswith("$argon2")
    assert "s3cret!" not in admin.password_hash


def test_login_accepts_the_right_password_and_logs_it(database):
    users.create_first_admin("boss", "s3cret!")
    user = users.login("boss", "s3cret!")
    assert audit.AuditEntry.select().where(
        (audit.AuditEntry.action == "login") & (audit.AuditEntry.user_id == user.id)).count() == 1


@pytest.mark.parametrize("name,password", [("boss", "wrong"), ("nobody", "s3cret!"), ("boss", "")])
def test_login_refuses_wrong_credentials_with_one_message(database, name, password):
    users.create_first_admin("boss", "s3cret!")
    with pytest.raises(OfficeError) as err:
        users.login(name, password)
    assert str(err.value) == "Wrong user name or password"


def test_a_deactivated_user_cannot_sign_in(admin):
    clerk = users.create_user(admin, "xiaowang", "pass123", ["clerk"])
    users.update_user(admin, clerk.id, active=False)
    with pytest.raises(OfficeError):
        users.login("xiaowang", "pass123")


def test_an_open_window_loses_what_an_administrator_takes_away_at_another_pc(admin):
    from models import search

    clerk = users.create_user(admin, "xiaowang", "pass123", ["clerk"])
    boss = users.create_user(admin, "zhao", "pass123", ["supervisor"])
    signed_in_clerk, signed_in_boss = users.login("xiaowang", "pass123"), users.login("zhao", "pass123")
    search.search(signed_in_clerk, "3-2-1201")  # allowed while active
    estate.update_profile(signed_in_boss, name="翠湖花园")
    users.update_user(admin, clerk.id, active=False)
    users.update_user(admin, boss.id, roles=["clerk"])
    with pytest.raises(PermissionDenied):
        search.search(signed_in_clerk, "3-2-1201")  # the same user object, deactivated since
    with pytest.raises(PermissionDenied):
        estate.update_profile(signed_in_boss, name="别的名字")  # no longer a supervisor
    assert estate.profile().name == "翠湖花园"


def test_new_users_need_a_name_a_long_password_and_a_role(admin):
    with pytest.raises(ValidationError) as err:
        users.create_user(admin, "", "123", [])
    assert set(err.value.fields) == {"username", "password", "roles"}
    assert users.User.select().count() == 1


@pytest.mark.parametrize("password", ["      ", "\t\t\t\t\t\t", "111111", "aaaaaaaa"])
def test_a_password_of_spaces_or_one_repeated_character_is_refused_everywhere(admin, password):
    with pytest.raises(ValidationError) as err:
        users.create_user(admin, "xiaoli", password, ["clerk"])
    assert set(err.value.fields) == {"password"}
    with pytest.raises(ValidationError):
        users.update_user(admin, admin.id, password=password)
    with pytest.raises(ValidationError):
        users.change_own_password(admin, "secret1", password)
    assert users.User.select().count() == 1
    assert users.login("admin", "secret1")  # the old password still signs in


def test_the_first_administrator_may_not_choose_six_spaces_either(database):
    with pytest.raises(ValidationError) as err:
        users.create_first_admin("boss", "      ")
    assert set(err.value.fields) == {"password"} and users.needs_first_admin()


def test_a_user_may_hold_several_roles(admin):
    u = users.create_user(admin, "xiaoli", "pass123", ["clerk", "cashier"])
    assert u.role_set == {"clerk", "cashier"}
    assert users.has(u, "archive.edit")


@pytest.mark.parametrize("role,allowed", [
    # a clerk takes the front desk's own fees (parcels), not payments at the counter
    ("clerk", {"archive.view", "archive.edit", "notice.edit", "fees.view", "meters.enter", "dunning.log",
               "desk.parcels", "desk.keys", "service.desk", "backup.run", "cash.desk"}),
    # a cashier takes money and bills, but approves nothing of their own
    ("cashier", {"archive.view", "fees.view", "cash.take", "cash.desk", "billing.run", "meters.enter", "dunning.log",
                 "desk.parcels", "desk.keys", "service.desk", "backup.run"}),
    ("supervisor", {"archive.view", "archive.edit", "estate.edit", "pii.reveal", "audit.view", "notice.edit",
                    "fees.view", "fees.setup", "billing.run", "cash.take", "cash.desk", "cash.approve", "meters.enter",
                    "dunning.log", "desk.parcels", "desk.keys", "service.desk", "service.manage", "backup.run"}),
])
def test_roles_grant_their_permissions_only(admin, role, allowed):
    u = users.create_user(admin, "u_" + role, "pass123", [role])
    every = set().union(*users.PERMISSIONS.values())
    assert {p for p in every if users.has(u, p)} == allowed


def test_only_the_administrator_manages_users(supervisor):
    with pytest.raises(PermissionDenied):
        users.create_user(supervisor, "x", "pass123", ["clerk"])


def test_core_functions_check_permissions_themselves(clerk, cashier, house):
    with pytest.raises(PermissionDenied):
        estate.create_building(clerk, "9")
    with pytest.raises(PermissionDenied):
        owners.add_owner(cashier, house.id, name="张三")
    with pytest.raises(PermissionDenied):
        settings.update({"due_day": 10}, user=clerk)
    with pytest.raises(PermissionDenied):
        audit.browse(clerk)
    assert estate.Building.select().where(estate.Building.code == "9").count() == 0
    assert owners.Owner.select().count() == 0


def test_the_administrator_cannot_lock_himself_out(admin):
    with pytest.raises(OfficeError):
        users.update_user(admin, admin.id, active=False)
    with pytest.raises(OfficeError):
        users.update_user(admin, admin.id, roles=["clerk"])
    assert users.User.get_by_id(admin.id).role_set == {"admin"}


def test_every_change_writes_who_when_what(admin, frozen_now):
    b = estate.create_building(admin, "7")
    entry = audit.AuditEntry.select().where(audit.AuditEntry.action == "building.create").get()
    assert (entry.username, entry.at, entry.target_type, entry.target_id) == ("admin", frozen_now, "building", b.id)


def test_audit_record_outside_a_transaction_is_a_programming_error(admin):
    with pytest.raises(RuntimeError):
        audit.record(admin, "login")


def test_supervisors_filter_the_log(frozen_now, admin, supervisor, clerk, house):
    owners.add_owner(clerk, house.id, name="张三")
    owners.house_archive(clerk, house.id)
    log = audit.browse(supervisor, username="wang")
    assert {e.action for e in log} == {"owner.create", "house.view"}
    assert [e.action for e in audit.browse(supervisor, action="house.view")] == ["house.view"]
    assert audit.browse(supervisor, since=frozen_now.date() + datetime.timedelta(days=1)).count() == 0
    assert audit.browse(supervisor, until=frozen_now.date()).count() >= 3
    assert audit.browse(supervisor, target_type="house", target_id=house.id).count() >= 2
    assert [e.action for e in audit.browse(supervisor, text="张三")] == ["owner.create"]


def test_settings_have_the_domain_defaults(database):
    from fractions import Fraction

    values = settings.all_values()
    assert values["parcel_free_hours"] == 24
    assert values["parcel_cap_fen"] == 1000
    assert values["due_day"] == 15
    assert values["late_fee_rate_per_day"] == Fraction(1, 1000)
    assert values["key_due_days"] == 1
    assert values["complaint_first_answer_hours"] == 24
    assert values["repair_dispatch_minutes"] == 10


def test_settings_changes_are_checked_stored_and_audited(admin):
    from fractions import Fraction

    settings.update({"due_day": 10, "late_fee_rate_per_day": "1/2000"}, user=admin)
    assert settings.get("due_day") == 10
    assert settings.get("late_fee_rate_per_day") == Fraction(1, 2000)
    entry = audit.AuditEntry.get(audit.AuditEntry.action == "settings.update")
    assert "due_day" in entry.summary


@pytest.mark.parametrize("key,value", [("due_day", 31), ("due_day", 0), ("parcel_cap_fen", -1),
                                       ("timezone", "Mars/Base"), ("late_fee_rate_per_day", "abc")])
def test_bad_settings_write_nothing(admin, key, value):
    with pytest.raises(ValidationError):
        settings.update({"due_day": 12, key: value}, user=admin)
    assert settings.get("due_day") == 15


def test_a_refused_sign_in_is_logged_with_the_name_tried_never_the_password(database):
    users.create_first_admin("boss", "s3cret!")
    with pytest.raises(OfficeError):
        users.login("boss", "guess-1")
    with pytest.raises(OfficeError):
        users.login("s3cret!", "")  # the password typed into the name box
    first, second = audit.AuditEntry.select().where(
        audit.AuditEntry.action == "login.failed").order_by(audit.AuditEntry.id)
    assert (first.username, first.summary) == ("boss", "boss") and "guess-1" not in first.detail
    assert "s3cret!" not in second.username + second.summary + second.detail


def test_users_change_their_own_password_after_giving_the_current_one(database):
    me = users.create_first_admin("boss", "s3cret!")
    with pytest.raises(ValidationError) as err:
        users.change_own_password(me, "wrong", "n3w-pass")
    assert "old" in err.value.fields
    with pytest.raises(ValidationError):
        users.change_own_password(me, "s3cret!", "123")
    users.change_own_password(me, "s3cret!", "n3w-pass")
    assert users.login("boss", "n3w-pass").id == me.id
    assert audit.AuditEntry.select().where(audit.AuditEntry.action == "user.password").count() == 1


def test_an_amount_setting_is_audited_in_yuan_as_its_label_says(admin):
    import json

    settings.update({"parcel_first_fee_fen": 300}, user=admin)
    entry = audit.AuditEntry.get(audit.AuditEntry.action == "settings.update")
    assert json.loads(entry.detail)["parcel_first_fee_fen"] == ["2.00", "3.00"]
