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
from models.errors import QT_TRANSLATE_NOOP

ACTIONS = {
    "login": QT_TRANSLATE_NOOP("Office", "Signed in"),
    "user.create": QT_TRANSLATE_NOOP("Office", "User added"),
    "user.update": QT_TRANSLATE_NOOP("Office", "User changed"),
    "settings.update": QT_TRANSLATE_NOOP("Office", "Settings changed"),
    "estate.update": QT_TRANSLATE_NOOP("Office", "Estate profile changed"),
    "building.create": QT_TRANSLATE_NOOP("Office", "Building added"),
    "building.update": QT_TRANSLATE_NOOP("Office", "Building changed"),
    "unit.create": QT_TRANSLATE_NOOP("Office", "Unit added"),
    "house.create": QT_TRANSLATE_NOOP("Office", "House added"),
    "house.update": QT_TRANSLATE_NOOP("Office", "House changed"),
    "house.view": QT_TRANSLATE_NOOP("Office", "House archive opened"),
    "owner.create": QT_TRANSLATE_NOOP("Office", "Owner added"),
    "owner.update": QT_TRANSLATE_NOOP("Office", "Owner changed"),
    "owner.view": QT_TRANSLATE_NOOP("Office", "Owner archive opened"),
    "owner.reveal": QT_TRANSLATE_NOOP("Office", "ID number or phone revealed"),
    "ownership.add": QT_TRANSLATE_NOOP("Office", "Owner linked to house"),
    "ownership.end": QT_TRANSLATE_NOOP("Office", "Ownership ended"),
    "resident.create": QT_TRANSLATE_NOOP("Office", "Resident added"),
    "resident.update": QT_TRANSLATE_NOOP("Office", "Resident changed"),
    "resident.move_out": QT_TRANSLATE_NOOP("Office", "Resident moved out"),
    "resident.reveal": QT_TRANSLATE_NOOP("Office", "Resident phone revealed"),
    "document.update": QT_TRANSLATE_NOOP("Office", "Archive document changed"),
    "demo.create": QT_TRANSLATE_NOOP("Office", "Demo estate created"),
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
