"""The office's database: one connection by URL, SQLite on one PC or PostgreSQL for many.

`connect()` checks that the target is an EstateDesk database of a version this program
understands before it changes anything, then applies the pending numbered migrations.
Every office action runs inside `atomic()`, so nothing is half-written.
"""
from __future__ import annotations

import datetime
import logging
import os
import sqlite3
import threading
from pathlib import Path
from typing import Iterator

import peewee  # imported without the server drivers (models/__init__.py)


def enable_postgresql() -> None:
    """Give peewee the psycopg driver it was imported without (see models/__init__.py)."""
    if peewee.psycopg is not None:
        return
    import psycopg
    from psycopg.pq import TransactionStatus
    from psycopg.types.json import Json, Jsonb

    peewee.psycopg, peewee.TransactionStatus = psycopg, TransactionStatus
    peewee.Json_pg3, peewee.Jsonb_pg3 = Json, Jsonb
    adapter = peewee.Psycopg3Adapter
    adapter.txn_idle = TransactionStatus.IDLE
    adapter.txn_inerror = TransactionStatus.INERROR
    adapter.txn_unknown = TransactionStatus.UNKNOWN

from models.errors import DatabaseOpenError, DatabaseReadOnly, DatabaseTooNew, OfficeError, QT_TRANSLATE_NOOP
from models.location import (  # noqa: F401 - where the data lives, found here too
    APP_NAME, SERVER_SCHEMES, default_data_dir, default_url, redact, sqlite_path, sqlite_url, url_from_arg)

database = peewee.DatabaseProxy()


def _text_without_nul(adapt):
    def without_nul(self, value):
        value = adapt(self, value)
        return value.replace("\x00", "") if "\x00" in value else value
    return without_nul


# Text never holds a NUL character: PostgreSQL refuses one in a text column (a Python
# error, not an office's refusal), and no clerk types one; a pasted or scanned one goes,
# the same on SQLite, in what is written and in what is searched for.
peewee._StringField.adapt = _text_without_nul(peewee._StringField.adapt)

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": 2,  # FULL: a posted payment survives a power cut
    "busy_timeout": 5000,
}



class BaseModel(peewee.Model):
    class Meta:
        database = database
        legacy_table_names = False

    def save(self, *args, **kwargs):
        if getattr(self, "_masked", False):  # a masked copy must never overwrite the full number
            raise RuntimeError(f"a {type(self).__name__} as shown (ID number masked) cannot be saved")
        return super().save(*args, **kwargs)


def is_sqlite() -> bool:
    return isinstance(database.obj, peewee.SqliteDatabase)


def raw_rows(query) -> Iterator[tuple]:
    """A peewee query's rows as the driver gives them, without peewee's conversion of each
    value (a billing run reads tens of thousands of rows): dates may come as ISO text
    (SQLite) and booleans as 0/1; `as_date` reads either."""
    return iter(database.execute(query))


def as_date(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def executemany(sql: str, rows: list[tuple]) -> None:
    """Straight to the driver, `sql` written with ? placeholders (turned into %s for
    PostgreSQL)."""
    if not is_sqlite():
        sql = sql.replace("?", "%s")
    # as peewee's fields write text (above): never a NUL, from a backup or a workbook either
    rows = [tuple(v.replace("\x00", "") if isinstance(v, str) and "\x00" in v else v for v in row)
            if any(isinstance(v, str) and "\x00" in v for v in row) else row for row in rows]
    cursor = database.cursor()
    cursor.executemany(sql, rows)


def atomic():
    """One transaction (a savepoint inside another). On SQLite it takes the write lock at
    its start (BEGIN IMMEDIATE): two writers then queue on the busy timeout instead of one
    failing at its first write with "database is locked"."""
    if isinstance(database.obj, peewee.SqliteDatabase):
        return _Atomic(database.atomic("IMMEDIATE"))
    return _Atomic(database.atomic())


class _Kept(threading.local):
    """This thread's work kept for its transaction: to do just before it commits, and
    after it has ended."""

    def __init__(self):
        self.outer: _Atomic | None = None  # the outermost atomic() open, if it is ours
        self.at_commit: list = []
        self.later: list = []


_kept = _Kept()


def at_commit(work) -> bool:
    """Run `work` inside the transaction open now, just before it commits; dropped when it,
    or the savepoint open now, rolls back. False (nothing kept) when no atomic() of ours is
    open: the caller does the work at once. The audit log's entries are written so: the
    chain's head is then the last lock a transaction takes, so two PCs never wait on each
    other for it (a deadlock), and holds it only for the moment of the commit."""
    if _kept.outer is None or not database.in_transaction():
        return False
    _kept.at_commit.append(work)
    return True


def after_transaction(work) -> None:
    """Run `work` once the transaction open now has ended, committed or rolled back (at
    once when none is open): what must be written whatever becomes of the change (the
    audit entry of a refused action, which rolls the action back) then goes in a
    transaction of its own. A failure of `work` is logged, never raised in place of the
    action's own outcome."""
    if _kept.outer is not None and database.in_transaction():
        _kept.later.append(work)
    else:  # none open (or not one of ours: its end cannot be waited for)
        _run(work)


def _run(work) -> None:
    try:
        work()
    except Exception:  # noqa: BLE001 - see after_transaction
        logging.getLogger(__name__).exception("work after a transaction failed")


class _Atomic:
    """peewee's atomic(), with the work kept for its commit and for after its end."""

    def __init__(self, inner):
        self._inner = inner

    def __enter__(self):
        outer = not database.in_transaction()
        entered = self._inner.__enter__()
        if outer:
            _kept.outer, _kept.at_commit = self, []
        self._mark = len(_kept.at_commit)
        return entered

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is not None:
                del _kept.at_commit[self._mark:]  # rolled back with the savepoint or transaction
            elif _kept.outer is self:
                try:
                    while _kept.at_commit:
                        _kept.at_commit.pop(0)()
                except BaseException as failed:
                    self._inner.__exit__(type(failed), failed, failed.__traceback__)  # rolled back
                    raise
            return self._inner.__exit__(exc_type, exc, tb)
        finally:
            if _kept.outer is self:
                _kept.outer, _kept.at_commit = None, []
                work, _kept.later = _kept.later, []
                for one in work:
                    _run(one)


# --- another PC's long write -------------------------------------------------------------------

WAITING = QT_TRANSLATE_NOOP("Office", "Another PC is writing to the database: waiting for it to finish…")
_BUSY = QT_TRANSLATE_NOOP("Office", "Another PC is writing to the database and has not finished: nothing was done "
                                    "here. Try again in a minute.")


class DatabaseBusy(OfficeError):
    """Another PC held the database's write lock past the busy timeout, twice: nothing was written."""

    def __init__(self):
        super().__init__(_BUSY)


def is_locked(error: BaseException) -> bool:
    """SQLite's "database is locked" (or "busy"): another connection's write outlasted the
    busy timeout. peewee wraps the driver's error in its own OperationalError."""
    if not isinstance(error, (sqlite3.OperationalError, peewee.OperationalError)):
        return False
    words = str(error).lower()
    return "locked" in words or "busy" in words


def patiently(work, waiting=None):
    """`work()` (one whole office action: a lock refused rolls it all back), tried a second
    time when another PC's write outlasted the busy timeout; `waiting()` is told before that
    second wait, to show it. A second refusal is DatabaseBusy, in the clerk's words."""
    try:
        return work()
    except Exception as exc:  # noqa: BLE001 - only the lock is handled here
        if not is_locked(exc):
            raise
    if waiting is not None:
        waiting()
    try:
        return work()
    except Exception as exc:  # noqa: BLE001
        if is_locked(exc):
            raise DatabaseBusy() from exc
        raise


_READ_ONLY = QT_TRANSLATE_NOOP("Office", "The database file {path} is read-only (the disk or the file): EstateDesk "
                                         "needs to write to it and to its folder. Copy it to a folder you can write "
                                         "to, or make it writable, then open it again.")


def _read_only(path: Path) -> bool:
    """The file cannot be written (a read-only disk, a write-protected or immutable file), or
    its folder cannot, where SQLite keeps its -wal and -shm files beside it. os.access asks
    the system itself, which says so for an administrator too (EROFS, EPERM)."""
    return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK | os.X_OK)


def read_only_uri(path: Path | str) -> str:
    """An SQLite URI opening `path` read-only, whatever characters the path holds (a % or a ?
    in a folder's name would otherwise be read as part of the URI)."""
    return Path(path).absolute().as_uri() + "?mode=ro"


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not an EstateDesk database, reading it only."""
    from models import migrations

    if path.is_dir():
        raise DatabaseOpenError(
            QT_TRANSLATE_NOOP("Office", "{path} is a folder, not an EstateDesk database file."),
            path=str(path))
    if not path.exists() or path.stat().st_size == 0:
        return
    with open(path, "rb") as f:
        header = f.read(16)
    if header != b"SQLite format 3\x00":
        raise DatabaseOpenError(
            QT_TRANSLATE_NOOP("Office", "The file {path} is not an EstateDesk database."),
            path=str(path),
        )
    try:
        con = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            version = None
            app = None
            if "app_meta" in tables:
                rows = dict(con.execute("SELECT key, value FROM app_meta"))
                app = rows.get("app")
                try:
                    version = int(rows.get("schema_version", "0"))
                except (TypeError, ValueError):
                    app = None  # not a version EstateDesk ever wrote
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        if is_locked(exc):  # another PC's long write: not a reason to call the file anything else
            raise DatabaseBusy() from exc
        if _read_only(path):  # a database in WAL mode cannot even be read there without its -shm file
            raise DatabaseReadOnly(_READ_ONLY, path=str(path)) from exc
        raise DatabaseOpenError(
            QT_TRANSLATE_NOOP("Office", "The file {path} is not an EstateDesk database."),
            path=str(path),
        ) from exc
    if tables and app != APP_NAME:
        raise DatabaseOpenError(
            QT_TRANSLATE_NOOP("Office", "The file {path} is not an EstateDesk database."),
            path=str(path),
        )
    if version is not None and version > migrations.LATEST:
        raise DatabaseTooNew(
            QT_TRANSLATE_NOOP(
                "Office",
                "The database {path} was written by a newer version of EstateDesk "
                "(schema {version}; this program knows up to {latest}). Please update EstateDesk.",
            ),
            path=str(path), version=version, latest=migrations.LATEST,
        )
    if _read_only(path):
        raise DatabaseReadOnly(_READ_ONLY, path=str(path))


# an upgrade's refusals (models/migrations.safe_upgrade), here where the translations are collected
UPGRADE_FAILED = QT_TRANSLATE_NOOP(
    "Office", "This version of EstateDesk could not bring the database {path} up to date ({error}). Nothing "
              "in it was changed: it is as it was before, and a checked copy taken just before is kept as "
              "{copy}. The previous version of EstateDesk can go on using it; please report this message.")
UPGRADE_COPY_FAILED = QT_TRANSLATE_NOOP(
    "Office", "The database {path} must be brought up to date for this version of EstateDesk, but a copy of it "
              "could not be made first ({error}), so nothing was changed. Check the free space on the disk.")

def connect(url: str | None = None, *, migrate: bool = True) -> peewee.Database:
    """Open the office database at `url` and bring its schema up to date."""
    from models import migrations

    url = url or default_url()
    path = sqlite_path(url)
    if path is None and not url.startswith(SERVER_SCHEMES):
        raise DatabaseOpenError(
            QT_TRANSLATE_NOOP("Office", "Cannot use the database address {url}: write a file path, "
                                        "or postgresql://user:password@server/database"),
            url=redact(url))
    if path is not None:
        check_sqlite_file(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        db = peewee.SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, check_same_thread=False)
    else:
        enable_postgresql()
        from playhouse.db_url import connect as url_connect  # it imports psycopg itself

        try:
            db = url_connect(url)
        except Exception as exc:  # a malformed URL
            raise DatabaseOpenError(
                QT_TRANSLATE_NOOP("Office", "Cannot use the database address {url}: {error}"),
                url=redact(url), error=str(exc).replace(url, redact(url)),
            ) from exc
    try:
        db.connect(reuse_if_open=True)
    except Exception as exc:  # refused, wrong password, unknown host, unreadable file …
        raise _not_reached(url, _redact_error(str(exc), url), server=path is None) from exc
    database.initialize(db)
    if path is None:
        try:
            migrations.check_server_database()
        except DatabaseOpenError:
            db.close()
            raise
    if migrate:
        try:
            migrations.safe_upgrade(path)
        except DatabaseOpenError:
            if not db.is_closed():
                db.close()
            raise
    return db


# why a server would not open: what the driver says (a Chinese server's words too) → the clerk's words
_WRONG_LOGIN = QT_TRANSLATE_NOOP("Office", "The database server {server} does not accept the user name or "
                                           "password in the address. Check them with whoever set up the server.")
_NO_DATABASE = QT_TRANSLATE_NOOP("Office", "The database server {server} has no database named {name}. Check "
                                           "the database's name in the address.")
_UNREACHABLE = QT_TRANSLATE_NOOP("Office", "The database server {server} cannot be reached. Check the server's "
                                           "address, that the server is switched on, and that this PC is on the "
                                           "office network.")
_UNREACHABLE_WORDS = ("connection refused", "timeout expired", "timed out", "failed to resolve host",
                      "could not translate host name", "name or service not known", "no such host",
                      "no route to host", "network is unreachable", "host is unreachable",
                      "server closed the connection", "invalid response to ssl negotiation")


def _not_reached(url: str, error: str, *, server: bool) -> DatabaseOpenError:
    """Why a database would not open, in the clerk's words; the driver's own text (without
    the password) goes along as the `error` detail."""
    from urllib.parse import urlsplit

    template = None
    if server:
        lower = error.lower()
        if ("password authentication failed" in lower or "no password supplied" in lower or "认证失败" in error
                or ('role "' in lower and "does not exist" in lower) or ("角色" in error and "不存在" in error)):
            template = _WRONG_LOGIN
        elif ('database "' in lower and "does not exist" in lower) or ("数据库" in error and "不存在" in error):
            template = _NO_DATABASE
        elif any(words in lower for words in _UNREACHABLE_WORDS):
            template = _UNREACHABLE
    if template is None:
        return DatabaseOpenError(QT_TRANSLATE_NOOP("Office", "Cannot reach the database {url}: {error}"),
                                 url=redact(url), error=error)
    try:
        parts = urlsplit(url)
        where = (parts.hostname or "localhost") + (f":{parts.port}" if parts.port else "")
        name = parts.path.lstrip("/")
    except ValueError:
        where, name = redact(url), ""
    return DatabaseOpenError(template, server=where, name=name, url=redact(url), error=error)


def _redact_error(text: str, url: str) -> str:
    from urllib.parse import urlsplit

    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    if not password:
        return text
    text = text.replace(url, redact(url)).replace(f":{password}@", ":***@")
    # a password of a few letters would blot out every word holding them: the driver does
    # not repeat the password anyway, only a longer one is looked for in its text
    return text.replace(password, "***") if len(password) >= 4 else text


def close() -> None:
    if database.obj is not None and not database.is_closed():
        database.close()
