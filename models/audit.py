"""The audit log (操作日志): who did what, when, to which record. Every change and every
opening of an owner's archive writes an entry in the same transaction as the change, so
a change without its entry cannot exist. Supervisors browse and filter it.

The entries are a chain: each holds the SHA-256 of the entry before it and of its own
content, and the one-row chain head holds the newest entry's hash, so an entry deleted,
changed, moved or slipped in by hand breaks the chain where it happened; `verify` finds the
first break (daily self-check, `main.py verify-audit`, 今日 for administrators). Entries are
chained one transaction at a time: a transaction's entries are written as it commits, under
the chain head's row lock (PostgreSQL) or SQLite's write lock (BEGIN IMMEDIATE)."""
from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass

import peewee as pw

from models import clock
from models.db import BaseModel, database, is_sqlite


class AuditEntry(BaseModel):
    at = pw.DateTimeField(index=True)
    user_id = pw.IntegerField(null=True)  # app_user.id; the name is kept in `username`
    username = pw.CharField(max_length=64)
    action = pw.CharField(max_length=64, index=True)
    target_type = pw.CharField(max_length=32, default="")
    target_id = pw.IntegerField(null=True)
    summary = pw.TextField(default="")
    detail = pw.TextField(default="{}")
    prev_hash = pw.CharField(max_length=64, null=True)  # the entry before's `hash` (GENESIS for the first)
    hash = pw.CharField(max_length=64, null=True)  # digest(prev_hash and this entry's content)

    class Meta:
        table_name = "audit_entry"


class ChainHead(BaseModel):
    """The chain's newest link (one row): deleting the newest entries leaves it pointing at
    an entry that is gone; on PostgreSQL its row lock makes writers take turns."""
    id = pw.IntegerField(primary_key=True)
    last_id = pw.IntegerField(default=0)
    last_hash = pw.CharField(max_length=64)

    class Meta:
        table_name = "audit_chain"


GENESIS = "0" * 64  # what the first entry's prev_hash holds
HEAD = 1


def _when(value) -> datetime.datetime | None:
    """An entry's time, whichever way the driver returns it (None: not a time at all)."""
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            return None
    return value.replace(tzinfo=None) if isinstance(value, datetime.datetime) else None


def _moment(value) -> str:
    """An entry's time as the chain reads it."""
    when = _when(value)
    return when.isoformat(sep=" ") if when is not None else str(value)


def digest(prev_hash: str, at, user_id, username: str, action: str, target_type: str, target_id,
           summary: str, detail: str) -> str:
    """The chain's hash of one entry: SHA-256 of the entry before's hash and this entry's
    content. Never change it: every office's chain, migrated ones (m0020) too, reads by it."""
    content = json.dumps([prev_hash, _moment(at), user_id, username, action, target_type, target_id,
                          summary, detail], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _locked_head() -> ChainHead:
    """The chain head, for this transaction to extend: on PostgreSQL locked until the
    transaction ends (SELECT … FOR UPDATE); SQLite's BEGIN IMMEDIATE holds the whole file."""
    q = ChainHead.select().where(ChainHead.id == HEAD)
    head = (q if is_sqlite() else q.for_update()).first()
    if head is None:  # removed by hand: the chain starts again, and verify reports the break
        ChainHead.insert(id=HEAD, last_id=0, last_hash=GENESIS).on_conflict_ignore().execute()
        head = (q if is_sqlite() else q.for_update()).first()
    return head


def record(user, action: str, target_type: str = "", target_id: int | None = None,
           summary: str = "", detail: dict | None = None) -> AuditEntry:
    """Write one entry. Call it inside the transaction of the change it records: the entry
    is chained and written as that transaction commits (db.at_commit), and goes if it
    rolls back."""
    from models import db

    if not database.in_transaction():
        raise RuntimeError("audit.record must run inside the change's transaction")
    entry = AuditEntry(
        at=clock.now(), user_id=getattr(user, "id", None),
        username=getattr(user, "username", "") or "-",  # nobody signed in (a refused sign-in)
        action=action, target_type=target_type or "", target_id=None if target_id is None else int(target_id),
        summary="" if summary is None else str(summary),
        detail=json.dumps(detail or {}, ensure_ascii=False, default=str))
    if not db.at_commit(lambda: _chained(entry)):
        _chained(entry)  # a transaction not opened by db.atomic(): at once
    return entry


def _chained(entry: AuditEntry) -> None:
    head = _locked_head()
    entry.prev_hash = head.last_hash
    entry.hash = digest(entry.prev_hash, entry.at, entry.user_id, entry.username, entry.action,
                        entry.target_type, entry.target_id, entry.summary, entry.detail)
    entry.save(force_insert=True)
    ChainHead.update(last_id=entry.id, last_hash=entry.hash).where(ChainHead.id == HEAD).execute()


def refused(user, permission: str, action: str = "") -> None:
    """A permission refused (users.require): logged like a refused sign-in. Inside a
    transaction the entry is written once that transaction has ended, in one of its own:
    the refusal usually rolls the action back, and the entry must not go with it."""
    from models import db

    def write():
        with db.atomic():
            record(user, "permission.refused", "user", getattr(user, "id", None), action or permission,
                   {"permission": permission, "action": action})

    db.after_transaction(write)


# --- the chain's check ----------------------------------------------------------------------

BREAKS = ("deleted", "changed", "reordered", "inserted")


@dataclass(frozen=True)
class Break:
    """Where the chain first breaks. `entry_id`/`at`: the entry it breaks at — for
    "deleted", the first entry after the gap, or (newest=True) the last one left."""
    kind: str  # one of BREAKS
    entry_id: int | None
    at: datetime.datetime | None
    newest: bool = False
    seen: bool = False  # the entry this PC found intact at an earlier check (its anchor) is gone or changed

    def __str__(self) -> str:
        at = f"{self.at:%Y-%m-%d %H:%M:%S}" if self.at else "-"
        where = f"entry {self.entry_id} ({at})" if self.entry_id is not None else "the start of the log"
        if self.seen:
            return (f"{where}, found intact by this PC's earlier check, is "
                    + ("gone: entries were deleted" if self.kind == "deleted" else "changed"))
        return {
            "deleted": (f"entries deleted after {where}" if self.newest else
                        f"entries deleted (or rewritten) before {where}"),
            "changed": f"{where} changed",
            "reordered": f"{where} moved out of order",
            "inserted": f"{where} inserted: not written by EstateDesk",
        }[self.kind]


@dataclass(frozen=True)
class Verdict:
    entries: int
    broken: Break | None = None
    last: tuple | None = None  # the newest entry the check walked: (id, hash, time)

    @property
    def ok(self) -> bool:
        return self.broken is None


_COLUMNS = (AuditEntry.id, AuditEntry.at, AuditEntry.user_id, AuditEntry.username, AuditEntry.action,
            AuditEntry.target_type, AuditEntry.target_id, AuditEntry.summary, AuditEntry.detail,
            AuditEntry.prev_hash, AuditEntry.hash)


def _own_hash_holds(row) -> bool:
    return row[10] == digest(row[9] or "", *row[1:9])


def _link_break(row) -> Break:
    """An entry intact in itself whose link does not lead to the entry before it."""
    linked = AuditEntry.select(AuditEntry.id).where(AuditEntry.hash == row[9]).order_by(AuditEntry.id).first()
    if linked is None:
        return Break("deleted", row[0], _when(row[1]))
    if linked.id > row[0]:
        return Break("reordered", row[0], _when(row[1]))
    return _inserted_after(linked.id)


def _inserted_after(entry_id: int) -> Break:
    first = (AuditEntry.select(AuditEntry.id, AuditEntry.at).where(AuditEntry.id > entry_id)
             .order_by(AuditEntry.id).first())
    return Break("inserted", first.id, _when(first.at))


def verify(*, since_anchor: bool = False) -> Verdict:
    """Walk the log in id order and check every link and every entry's own hash, that the
    chain head holds the newest entry's hash, and that the entry this PC anchored at its
    last check (`anchor`) is there as it was: the first break, or the count of entries.
    `since_anchor`: from the anchored entry on only (the quick check at each start). Reads
    one snapshot (entries written meanwhile at other PCs wait for the next check), a row at
    a time."""
    isolation = {} if is_sqlite() or database.in_transaction() else {"isolation_level": "REPEATABLE READ"}
    with database.atomic(**isolation):
        head = ChainHead.get_or_none(ChainHead.id == HEAD)
        mark = anchored()
        if mark is not None and mark["restored"] != restore_mark():
            mark = None  # a restore since this PC's check put another log in place: checked whole, then anchored
        gone = _anchor_break(mark)
        if gone is not None:
            return Verdict(0, gone)
        expected, before, suspect, n = GENESIS, None, None, 0
        rows = AuditEntry.select(*_COLUMNS).order_by(AuditEntry.id)
        if since_anchor and mark is not None:
            rows = rows.where(AuditEntry.id > mark["id"])
            expected, n = mark["hash"], mark["entries"]
            before = (mark["id"], mark["at"])
        for row in rows.tuples().iterator():
            if suspect is not None:  # an entry whose own hash is wrong: slipped in, if the chain skips it
                kind = "inserted" if row[9] == suspect[1] else "changed"
                return Verdict(n, Break(kind, suspect[0][0], _when(suspect[0][1])))
            if not _own_hash_holds(row):
                suspect = (row, expected)
                continue
            if row[9] != expected:
                return Verdict(n, _link_break(row))
            expected, before, n = row[10], row, n + 1
        newest = head.last_hash if head is not None else None
        if suspect is not None:
            kind = "inserted" if newest == suspect[1] else "changed"
            return Verdict(n, Break(kind, suspect[0][0], _when(suspect[0][1])))
        if newest == expected:
            return Verdict(n, last=(before[0], expected, _moment(before[1])) if before is not None else None)
        linked = (AuditEntry.select(AuditEntry.id).where(AuditEntry.hash == newest).first()
                  if newest else None)
        if linked is not None:  # the head points at an older entry: the ones after it were added by hand
            return Verdict(n, _inserted_after(linked.id))
        if before is None:
            return Verdict(n, Break("deleted", None, None, newest=True))
        return Verdict(n, Break("deleted", before[0], _when(before[1]), newest=True))


# --- the anchor: the chain as this PC last found it, kept outside the database ------------------
# The chain alone cannot tell its newest entries deleted when the head is reset by hand to
# the last entry left: each PC keeps, in its own data folder, the newest entry it found
# intact (id, hash, the count up to it), and every later check requires that entry there
# as it was. A restore (which rolls the log back on purpose) moves it (`reanchor`).

def anchor_file():
    from models.location import default_data_dir

    return default_data_dir() / "audit-anchors.json"


def _anchor_key() -> str:
    """The database this PC checks: its file or its server and name, and the office's mark."""
    from models.migrations import AppMeta

    obj = database.obj
    if is_sqlite():
        import os

        where = os.path.abspath(getattr(obj, "database", "") or "")
    else:
        params = getattr(obj, "connect_params", {}) or {}
        where = f"{params.get('host', '')}:{params.get('port', '')}/{getattr(obj, 'database', '')}"
    row = AppMeta.get_or_none(AppMeta.key == "office_id")
    return f"{row.value if row else '-'}|{where}"


def _read_anchors() -> dict:
    try:
        anchors = json.loads(anchor_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return anchors if isinstance(anchors, dict) else {}


def anchored() -> dict | None:
    """This PC's anchor for the connected database: {"id", "hash", "entries", "at"}, or None."""
    mark = _read_anchors().get(_anchor_key())
    try:
        return dict(id=int(mark["id"]), hash=str(mark["hash"]), entries=int(mark["entries"]), at=mark.get("at"),
                    restored=str(mark.get("restored", "")))
    except (TypeError, KeyError, ValueError):
        return None


RESTORED = "audit_restored"  # AppMeta: the mark of the last restore, also in its audit entry


def restore_mark() -> str:
    """The mark the last restore of this database left ("" for none): an anchor taken before
    it is of a log the restore replaced (the restore is in the log, with its mark)."""
    from models.migrations import AppMeta

    row = AppMeta.get_or_none(AppMeta.key == RESTORED)
    return row.value if row else ""


def mark_restored() -> str:
    """A restore (in its transaction) leaves a new mark; returns it for its audit entry."""
    import secrets

    from models.migrations import AppMeta

    mark = secrets.token_hex(8)
    AppMeta.insert(key=RESTORED, value=mark).on_conflict(
        conflict_target=[AppMeta.key], update={AppMeta.value: mark}).execute()
    return mark


def _anchor_break(mark: dict | None) -> Break | None:
    if mark is None:
        return None
    row = AuditEntry.select(*_COLUMNS).where(AuditEntry.id == mark["id"]).tuples().first()
    if row is None:
        return Break("deleted", mark["id"], _when(mark["at"]), seen=True)
    if row[10] != mark["hash"] or not _own_hash_holds(row):
        return Break("changed", mark["id"], _when(row[1]), seen=True)
    return None


def reanchor(verdict: Verdict | None = None) -> None:
    """This PC's anchor moved to the newest entry (after a check found the chain intact, or
    a restore put an older log in place: then the restored log's newest). Never fails the
    work it follows: a folder it cannot write keeps the anchor it had."""
    import os

    if verdict is not None:  # exactly what the check walked (entries written since wait for the next)
        if verdict.last is None:
            return
        last_id, last_hash, last_at = verdict.last
        entries = verdict.entries
    else:
        row = (AuditEntry.select(AuditEntry.id, AuditEntry.at, AuditEntry.hash)
               .order_by(AuditEntry.id.desc()).first())
        if row is None:
            return
        last_id, last_hash, last_at = row.id, row.hash, _moment(row.at)
        entries = AuditEntry.select().where(AuditEntry.id <= row.id).count()
    path = anchor_file()
    try:
        anchors = _read_anchors()
        anchors[_anchor_key()] = dict(id=last_id, hash=last_hash, entries=entries, at=last_at,
                                      restored=restore_mark())
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.write_text(json.dumps(anchors, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        pass


def check_since_anchor() -> Verdict:
    """The quick check at each start: the entries since this PC's anchor (all of them when it
    has none); intact, the anchor moves to the newest. A break is kept for 今日 as the daily
    check's is."""
    verdict = verify(since_anchor=True)
    if not verdict.ok:
        _keep(verdict, None)
    else:
        reanchor(verdict)
    return verdict


def check(at: datetime.datetime | None = None) -> Verdict:
    """The daily check of the chain, kept with its time for 今日 (see `last_check`);
    intact, this PC's anchor moves to the newest entry."""
    verdict = verify()
    _keep(verdict, at)
    if verdict.ok:
        reanchor(verdict)
    return verdict


def _keep(verdict: Verdict, at: datetime.datetime | None) -> None:
    from models.migrations import AppMeta

    b = verdict.broken
    value = json.dumps({"at": (at or clock.now()).isoformat(timespec="seconds"), "entries": verdict.entries,
                        "kind": b.kind if b else None, "entry_id": b.entry_id if b else None,
                        "entry_at": b.at.isoformat(sep=" ") if b and b.at else None,
                        "newest": b.newest if b else False, "seen": b.seen if b else False})
    AppMeta.insert(key="audit_check", value=value).on_conflict(
        conflict_target=[AppMeta.key], update={AppMeta.value: value}).execute()


def last_check() -> tuple[datetime.datetime, Break | None] | None:
    """When the chain was last checked, and its first break then (None: intact)."""
    from models.migrations import AppMeta

    row = AppMeta.get_or_none(AppMeta.key == "audit_check")
    if row is None:
        return None
    v = json.loads(row.value)
    at = datetime.datetime.fromisoformat(v["at"])
    if not v.get("kind"):
        return at, None
    entry_at = datetime.datetime.fromisoformat(v["entry_at"]) if v.get("entry_at") else None
    return at, Break(v["kind"], v.get("entry_id"), entry_at, bool(v.get("newest")), bool(v.get("seen")))


def check_due(at: datetime.datetime | None = None) -> bool:
    """A day since the chain's last check (or none yet)."""
    done = last_check()
    return done is None or done[0] <= (at or clock.now()) - datetime.timedelta(days=1)


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
        q = q.where(AuditEntry.summary.contains(text.replace("\x00", "")))
    return q.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def browse_page(actor, *, after: AuditEntry | None = None, limit: int = 200, **filters) -> list[AuditEntry]:
    """A page of `browse`, continued from `after` by key."""
    q = browse(actor, **filters)
    if after is not None:
        q = q.where((AuditEntry.at < after.at) | ((AuditEntry.at == after.at) & (AuditEntry.id < after.id)))
    return list(q.limit(limit))
