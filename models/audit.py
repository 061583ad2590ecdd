"""The audit log (操作日志): who did what, when, to which record. Every change and every
opening of an owner's archive writes an entry in the same transaction as the change, so
a change without its entry cannot exist. Supervisors browse and filter it."""
from __future__ import annotations

import datetime
import json

import peewee as pw

from models import clock
from models.db import BaseModel, database

# Actions, with English labels for the browser (translated by the UI, context "Office").
from models.errors import QT_TRANSLATE_NOOP as _N

ACTIONS = {
    "login": _N("Office", "Signed in"),
    "user.create": _N("Office", "User added"),
    "user.update": _N("Office", "User changed"),
    "settings.update": _N("Office", "Settings changed"),
    "estate.update": _N("Office", "Estate profile changed"),
    "building.create": _N("Office", "Building added"),
    "building.update": _N("Office", "Building changed"),
    "unit.create": _N("Office", "Unit added"),
    "house.create": _N("Office", "House added"),
    "house.update": _N("Office", "House changed"),
    "house.view": _N("Office", "House archive opened"),
    "owner.create": _N("Office", "Owner added"),
    "owner.update": _N("Office", "Owner changed"),
    "owner.view": _N("Office", "Owner archive opened"),
    "owner.reveal": _N("Office", "ID number or phone revealed"),
    "ownership.add": _N("Office", "Owner linked to house"),
    "ownership.end": _N("Office", "Ownership ended"),
    "resident.create": _N("Office", "Resident added"),
    "resident.update": _N("Office", "Resident changed"),
    "resident.move_out": _N("Office", "Resident moved out"),
    "resident.reveal": _N("Office", "Resident phone revealed"),
    "document.update": _N("Office", "Archive document changed"),
    "demo.create": _N("Office", "Demo estate created"),
}


class AuditEntry(BaseModel):
    at = pw.DateTimeField(index=True)
    user_id = pw.IntegerField(null=True)  # app_user.id; the name is kept in `username`
    username = pw.CharField(max_length=64)
    action = pw.CharField(max_length=64, index=True)
    target_type = pw.CharField(max_length=32, default="")
    target_id = pw.IntegerField(null=True)
    summary = pw.TextField(default="")
    detail = pw.TextField(default="{}")

    class Meta:
        table_name = "audit_entry"


def record(user, action: str, target_type: str = "", target_id: int | None = None,
           summary: str = "", detail: dict | None = None) -> AuditEntry:
    """Write one entry. Call it inside the transaction of the change it records."""
    if not database.in_transaction():
        raise RuntimeError("audit.record must run inside the change's transaction")
    return AuditEntry.create(
        at=clock.now(), user_id=getattr(user, "id", None),
        username=getattr(user, "username", "") or "system",
        action=action, target_type=target_type, target_id=target_id, summary=summary,
        detail=json.dumps(detail or {}, ensure_ascii=False, default=str))


def browse(actor, *, username: str | None = None, action: str | None = None,
           since: datetime.date | None = None, until: datetime.date | None = None,
           target_type: str | None = None, target_id: int | None = None,
           text: str | None = None) -> pw.ModelSelect:
    """The filtered log, newest first: a query the browser pages through."""
    from models import users

    users.require(actor, "audit.view")
    q = AuditEntry.select()
    if username:
        q = q.where(AuditEntry.username == username)
    if action:
        q = q.where(AuditEntry.action == action)
    if since:
        q = q.where(AuditEntry.at >= datetime.datetime.combine(since, datetime.time()))
    if until:
        q = q.where(AuditEntry.at < datetime.datetime.combine(until + datetime.timedelta(days=1),
                                                             datetime.time()))
    if target_type:
        q = q.where(AuditEntry.target_type == target_type)
    if target_id is not None:
        q = q.where(AuditEntry.target_id == target_id)
    if text:
        q = q.where(AuditEntry.summary.contains(text))
    return q.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
