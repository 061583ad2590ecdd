"""Numbered schema migrations, from the first table on.

Each migration is a module `mNNNN_name.py` with `apply(db, migrator)`. It declares the
tables it creates as frozen peewee models of its own, never the live classes in models/,
so that an old database upgrades the same way forever. The schema version and the
application's name live in `app_meta`; `db.connect()` refuses a file whose version is
newer than `LATEST` before anything is written.
"""
from __future__ import annotations

import importlib
import pkgutil

import peewee

from models.db import APP_NAME, database
from models.errors import DatabaseOpenError, QT_TRANSLATE_NOOP


def _discover():
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("m") and info.name[1:5].isdigit():
            found.append((int(info.name[1:5]), info.name))
    found.sort()
    numbers = [n for n, _ in found]
    assert numbers == list(range(1, len(numbers) + 1)), f"migrations not numbered 1..N: {numbers}"
    return [_Pending(f"{__name__}.{name}") for _, name in found]


class _Pending:
    """A migration module, imported only when it is applied: a start on an up-to-date
    database reads no migration (some pull in playhouse.migrate and the PostgreSQL driver)."""

    def __init__(self, module: str):
        self.module = module

    def apply(self, db, migrator) -> None:
        importlib.import_module(self.module).apply(db, migrator)


MIGRATIONS = _discover()
LATEST = len(MIGRATIONS)


class AppMeta(peewee.Model):
    key = peewee.CharField(primary_key=True, max_length=64)
    value = peewee.TextField()

    class Meta:
        database = database
        table_name = "app_meta"


def current_version() -> int:
    if not database.table_exists("app_meta"):
        return 0
    row = AppMeta.get_or_none(AppMeta.key == "schema_version")
    return int(row.value) if row else 0


def check_server_database() -> None:
    """A server database must be empty or EstateDesk's own, and not newer than us."""
    tables = database.get_tables()
    if not tables:
        return
    if "app_meta" not in tables:
        raise DatabaseOpenError(
            QT_TRANSLATE_NOOP("Office", "The database on the server is not an EstateDesk database."))
    app = AppMeta.get_or_none(AppMeta.key == "app")
    if app is None or app.value != APP_NAME:
        raise DatabaseOpenError(
            QT_TRANSLATE_NOOP("Office", "The database on the server is not an EstateDesk database."))
    version = current_version()
    if version > LATEST:
        raise DatabaseOpenError(
            QT_TRANSLATE_NOOP(
                "Office",
                "The database on the server was written by a newer version of EstateDesk "
                "(schema {version}; this program knows up to {latest}). Please update EstateDesk."),
            version=version, latest=LATEST)


_LOCK_KEY = 0x45737461  # one advisory lock for EstateDesk's schema on a shared server


def upgrade(target: int | None = None) -> int:
    """Apply the pending migrations, each in its own transaction. Returns the new version.

    Several PCs may start at once against one server after an update: each migration
    takes an advisory lock and reads the version again under it, so only one PC applies
    it and the others find it done. On SQLite, foreign keys are switched off while a
    migration rebuilds a table (as SQLite's ALTER TABLE procedure requires), and checked
    before the migration commits.
    """
    target = LATEST if target is None else target
    if current_version() >= target:
        return current_version()
    # imported only when there is work: playhouse.migrate pulls in the PostgreSQL driver
    from playhouse.migrate import SchemaMigrator

    migrator = SchemaMigrator.from_database(database.obj)
    sqlite = isinstance(database.obj, peewee.SqliteDatabase)
    if sqlite:
        database.execute_sql("PRAGMA foreign_keys = OFF")  # has no effect inside a transaction
    try:
        while True:
            with database.atomic():
                if not sqlite:
                    database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
                version = current_version()
                if version >= target:
                    return version
                if version == 0:
                    database.create_tables([AppMeta], safe=True)
                    AppMeta.insert(key="app", value=APP_NAME).execute()
                    AppMeta.insert(key="schema_version", value="0").execute()
                MIGRATIONS[version].apply(database, migrator)
                if sqlite:
                    broken = database.execute_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration {version + 1} broke foreign keys: {broken[:5]}")
                AppMeta.update(value=str(version + 1)).where(AppMeta.key == "schema_version").execute()
    finally:
        if sqlite:
            database.execute_sql("PRAGMA foreign_keys = ON")
