"""Numbered schema migrations, from the first table on.

Each migration is a module `mNNNN_name.py` with `apply(db, migrator)`. It declares the
tables it creates as frozen peewee models of its own, never the live classes in models/,
so that an old database upgrades the same way forever. The schema version and the
application's name live in `app_meta`; `db.connect()` refuses a file whose version is
newer than `LATEST` before anything is written.
"""
from __future__ import annotations

import importlib
import os
import pkgutil
import sqlite3
from pathlib import Path

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
    """Apply the pending migrations, all of them in one transaction (on both databases the
    schema changes are transactional): a migration that fails leaves the database exactly
    as it was before the first. Returns the new version.

    Several PCs may start at once against one server after an update: the upgrade takes an
    advisory lock and reads the version again under it, so only one PC applies it and the
    others find it done. On SQLite, foreign keys are switched off while a migration
    rebuilds a table (as SQLite's ALTER TABLE procedure requires), and checked after each
    migration.
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
        with database.atomic():
            if not sqlite:
                database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
            version = current_version()
            while version < target:
                if version == 0:
                    database.create_tables([AppMeta], safe=True)
                    AppMeta.insert(key="app", value=APP_NAME).execute()
                    AppMeta.insert(key="schema_version", value="0").execute()
                MIGRATIONS[version].apply(database, migrator)
                if sqlite:
                    broken = database.execute_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration {version + 1} broke foreign keys: {broken[:5]}")
                version += 1
                AppMeta.update(value=str(version)).where(AppMeta.key == "schema_version").execute()
            return version
    finally:
        if sqlite:
            database.execute_sql("PRAGMA foreign_keys = ON")


class UpgradeFailed(DatabaseOpenError):
    """A migration failed: the database is as it was before the upgrade, and a copy taken
    before it is kept."""


KEEP_COPIES = 3  # the copies taken before upgrades, per database


def safe_upgrade(path: Path | None) -> int:
    """`upgrade()` for an office's database, with a checked copy taken first.

    `path` is the SQLite file of a single PC (the copy is kept beside it as
    `NAME.before-upgrade-schemaN-TIME.sqlite`, the last few of them), or None for the
    connected server (its rows as of one moment, exported into the user's data folder
    under Backups/). A new, empty database needs no copy. A failed migration rolls the
    whole upgrade back; should the database not read as before, the SQLite copy is put
    back in its place. Either way the clerk is told, with the copy's name.
    """
    version = current_version()
    if version >= LATEST or version == 0:
        return upgrade()
    from models import clock, db

    stamp = f"schema{version}-{clock.now():%Y%m%d-%H%M%S}"
    where = str(path) if path is not None else _server_name()
    try:
        copy = _copy_file(path, stamp) if path is not None else _copy_server(stamp)
    except (OSError, sqlite3.Error, peewee.DatabaseError) as e:
        raise DatabaseOpenError(db.UPGRADE_COPY_FAILED, path=where,
                                error=getattr(e, "strerror", None) or str(e)) from None
    try:
        return upgrade()
    except Exception as e:  # any migration's failure: the office's data must stay as it was
        import logging

        logging.getLogger(__name__).exception("upgrade from schema %s failed; copy at %s", version, copy)
        if path is not None and _version_in(path) != version:
            _put_back(copy, path)
        raise UpgradeFailed(db.UPGRADE_FAILED, path=where, error=f"{type(e).__name__}: {e}", copy=str(copy)) from e


def _server_name() -> str:
    return getattr(database.obj, "database", "") or "server"


def _version_in(path: Path) -> int | None:
    from models import db

    database.close()
    try:
        con = sqlite3.connect(db.read_only_uri(path), uri=True)
        try:
            return int(con.execute("SELECT value FROM app_meta WHERE key = 'schema_version'").fetchone()[0])
        finally:
            con.close()
    except (sqlite3.Error, TypeError, ValueError):
        return None


def _checked(copy: Path, counts: dict) -> None:
    """The copy opens, passes SQLite's integrity check and holds every table's rows."""
    con = sqlite3.connect(copy)
    try:
        ok = con.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            raise sqlite3.DatabaseError(f"the copy fails its check: {ok}")
        for table, n in counts.items():
            got = con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            if got != n:
                raise sqlite3.DatabaseError(f"the copy holds {got} rows of {table}, not {n}")
    finally:
        con.close()


def _copy_file(path: Path, stamp: str) -> Path:
    from models import backup

    copy = path.with_name(f"{path.stem}.before-upgrade-{stamp}{path.suffix}")
    partial = copy.with_name(copy.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        backup.snapshot(path, partial)
        con = sqlite3.connect(backup.db.read_only_uri(path), uri=True)
        try:
            _schema, counts = backup._facts(con)
        finally:
            con.close()
        _checked(partial, counts)
        os.replace(partial, copy)
    finally:
        partial.unlink(missing_ok=True)
    old = sorted(path.parent.glob(f"{path.stem}.before-upgrade-schema*{path.suffix}"), key=lambda p: p.stat().st_mtime)
    for p in old[:-KEEP_COPIES]:
        p.unlink(missing_ok=True)
    return copy


def _copy_server(stamp: str) -> Path:
    from models import db, transport

    folder = db.default_data_dir() / "Backups"
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / f"estatedesk-server.before-upgrade-{stamp}.sqlite"
    partial = copy.with_name(copy.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        _schema, counts = transport.export_server(partial)
        _checked(partial, counts)
        os.replace(partial, copy)
    finally:
        partial.unlink(missing_ok=True)
    return copy


def _put_back(copy: Path, path: Path) -> None:
    """The copy in the live file's place (the connection is closed): through a temporary
    name in the same folder, so the live name always holds a whole database."""
    import shutil

    database.close()
    tmp = path.with_name(path.name + ".putting-back")
    shutil.copyfile(copy, tmp)
    for extra in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        extra.unlink(missing_ok=True)
    os.replace(tmp, path)
