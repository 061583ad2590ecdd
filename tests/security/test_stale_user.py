"""A window stays open while an administrator changes its user at another PC (issue 16):
what the core lets through for a permission is read from the database as it is now, not
from the user object the window signed in with."""
import pytest

from models import audit, complaints, users
from models.errors import OfficeError
from tests.conftest import _user


def _roles_now(user, roles):
    users.User.update(roles=",".join(roles)).where(users.User.id == user.id).execute()


def test_a_supervisor_made_a_clerk_closes_no_one_elses_complaint(database):
    clerk, supervisor = _user("wang", ["clerk"]), _user("zhao", ["supervisor"])
    c = complaints.record(clerk, name="张三", what="楼上装修噪音")
    _roles_now(supervisor, ["clerk"])  # the window still holds zhao as a supervisor
    with pytest.raises(OfficeError, match="wang's until it is closed"):
        complaints.close(supervisor, c.id, "已协调")
    assert complaints.Complaint.get_by_id(c.id).closed_at is None
    _roles_now(supervisor, ["supervisor"])
    assert complaints.close(supervisor, c.id, "已协调").closed_at is not None


def test_require_any_reads_the_user_afresh_and_logs_a_refusal(database):
    clerk = _user("wang", ["clerk"])
    assert users.require_any(clerk, "cash.take", "cash.desk") == "cash.desk"
    _roles_now(clerk, ["cashier"])  # made a cashier at another PC: this window goes on as it signed in
    assert users.require_any(clerk, "cash.take", "cash.desk") == "cash.desk"
    _roles_now(clerk, ["supervisor"])
    assert users.require_any(clerk, "cash.take", "cash.desk") == "cash.desk"
    users.User.update(active=False).where(users.User.id == clerk.id).execute()
    with pytest.raises(users.PermissionDenied):
        users.require_any(clerk, "cash.take", "cash.desk")
    refused = audit.AuditEntry.select().where(audit.AuditEntry.action == "permission.refused",
                                              audit.AuditEntry.user_id == clerk.id)
    assert [e.summary.rsplit(".", 1)[-1] for e in refused] == ["test_require_any_reads_the_user_afresh_and_logs_a_refusal"]
