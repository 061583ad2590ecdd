"""The office's database: one connection by URL, SQLite on one PC or PostgreSQL for many.

`connect()` checks that the target is an EstateDesk database of a version this program
understands before it changes anything, then applies the pending numbered migrations.
Every office action runs inside `atomic()`, so nothing is half-written.
"""
from __future__ import annotations

import datetime
import sqlite3
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

from models.errors import DatabaseOpenError, QT_TRANSLATE_NOOP
from models.location import (  # noqa: F401 - where the data lives, found here too
    APP_NAME, SERVER_SCHEMES, default_data_dir, default_url, redact, sqlite_path, sqlite_url, url_from_arg)

database = peewee.DatabaseProxy()

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
    cursor = database.cursor()
    cursor.executemany(sql, rows)


def atomic():
    """One transaction (a savepoint inside another). On SQLite it takes the write lock at
    its start (BEGIN IMMEDIATE): two writers then queue on the busy timeout instead of one
    failing at its first write with "database is locked"."""
    if isinstance(database.obj, peewee.SqliteDatabase):
        return database.atomic("IMMEDIATE")
    return database.atomic()


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
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            version = None
            app = None
            if "app_meta" in tables:
                rows = dict(con.execute("SELECT key, value FROM app_meta"))
                app = rows.get("app")
                version = int(rows.get("schema_version", "0"))
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
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
        raise DatabaseOpenError(
            QT_TRANSLATE_NOOP(
                "Office",
                "The database {path} was written by a newer version of EstateDesk "
                "(schema {version}; this program knows up to {latest}). Please update EstateDesk.",
            ),
            path=str(path), version=version, latest=migrations.LATEST,
        )


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
        raise DatabaseOpenError(
            QT_TRANSLATE_NOOP("Office", "Cannot reach the database {url}: {error}"),
            url=redact(url), error=_redact_error(str(exc), url),
        ) from exc
    database.initialize(db)
    if path is None:
        try:
            migrations.check_server_database()
        except DatabaseOpenError:
            db.close()
            raise
    if migrate:
        migrations.upgrade()
    return db


def _redact_error(text: str, url: str) -> str:
    from urllib.parse import urlsplit

    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    return text.replace(password, "***") if password else text


def close() -> None:
    if database.obj is not None and not database.is_closed():
        database.close()
