"""The office's rows carried between databases: a server database (PostgreSQL) exported
into an SQLite file for its backup, and a backup's rows loaded into an empty schema of the
backup's version (on the server, or on a PC when a server's backup is restored there).

The export reads every table in one REPEATABLE READ, READ ONLY transaction: the file holds
the whole office as of one moment while clerks on other PCs keep working. Rows are read
through a server-side cursor in batches, so a large office never sits in memory at once.

Loading happens inside the caller's transaction: tables are emptied (the migrations' own
seed rows too) and filled in the order their foreign keys need, and the server's id
sequences are set past the highest id, so the next new row gets a fresh number."""
from __future__ import annotations

import datetime
import decimal
import json
import sqlite3
from pathlib import Path
from typing import Callable

import peewee as pw

from models import db

BATCH = 5000


def _sqlite_type(pg_type: str) -> str:
    if pg_type in ("integer", "bigint", "smallint", "boolean"):
        return "INTEGER"
    if pg_type in ("real", "double precision"):
        return "REAL"
    if pg_type == "numeric":
        return "NUMERIC"
    if pg_type == "bytea":
        return "BLOB"
    return "TEXT"


def _plain(value):
    """A server value as SQLite keeps it (and as peewee reads it back on SQLite)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, memoryview):
        return value.tobytes()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def server_columns() -> dict[str, list[tuple[str, str]]]:
    """The server's tables (the public schema) → [(column, data type)] in their order."""
    rows = db.database.execute_sql(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position").fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        out.setdefault(table, []).append((column, kind))
    return out


def export_server(target: Path, report: Callable[[int], None] | None = None) -> tuple[int, dict]:
    """Every table of the connected server database into a new SQLite file at `target`, as
    of one moment (its own snapshot, or the caller's transaction holding the tables).
    Returns the schema version and the row counts."""
    con = sqlite3.connect(target)
    counts: dict[str, int] = {}
    try:
        database = db.database
        locked = database.in_transaction()  # a restore's, holding every table: one moment already
        with database.atomic():
            if not locked:  # the first statement of the transaction: one snapshot for every table read below
                database.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            tables = server_columns()
            done = 0
            for table, columns in sorted(tables.items()):
                names = ", ".join(f'"{c}"' for c, _k in columns)
                con.execute(f'CREATE TABLE "{table}" (' + ", ".join(f'"{c}" {_sqlite_type(k)}' for c, k in columns)
                            + ")")
                insert = f'INSERT INTO "{table}" VALUES ({", ".join("?" for _ in columns)})'
                database.execute_sql(f'DECLARE estatedesk_export NO SCROLL CURSOR FOR SELECT {names} FROM "{table}"')
                counts[table] = 0
                while True:
                    rows = database.execute_sql(f"FETCH {BATCH} FROM estatedesk_export").fetchall()
                    if not rows:
                        break
                    con.executemany(insert, [tuple(_plain(v) for v in row) for row in rows])
                    counts[table] += len(rows)
                    done += len(rows)
                    if report:
                        report(done)
                database.execute_sql("CLOSE estatedesk_export")
        con.commit()
        row = con.execute("SELECT value FROM app_meta WHERE key = 'schema_version'").fetchone() \
            if "app_meta" in counts else None
        return (int(row[0]) if row else 0), counts
    finally:
        con.close()


def _order(tables: list[str], references: dict[str, set[str]]) -> list[str]:
    """Tables so that each comes after those its foreign keys point to."""
    out: list[str] = []
    placed: set[str] = set()
    pending = sorted(tables)
    while pending:
        ready = [t for t in pending if (references.get(t, set()) - {t}) <= placed | (set(references) - set(tables))]
        if not ready:  # a cycle: keep the rest in name order (the load fails loudly if it matters)
            ready = pending[:1]
        for t in ready:
            out.append(t)
            placed.add(t)
        pending = [t for t in pending if t not in placed]
    return out


def _references() -> dict[str, set[str]]:
    database = db.database
    out: dict[str, set[str]] = {}
    if isinstance(database.obj, pw.SqliteDatabase):
        for table in database.get_tables():
            for fk in database.get_foreign_keys(table):
                out.setdefault(table, set()).add(fk.dest_table)
        return out
    rows = database.execute_sql(
        "SELECT tc.table_name, ccu.table_name FROM information_schema.table_constraints tc "
        "JOIN information_schema.constraint_column_usage ccu ON tc.constraint_name = ccu.constraint_name "
        "AND tc.table_schema = ccu.table_schema "
        "WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'").fetchall()
    for table, target in rows:
        out.setdefault(table, set()).add(target)
    return out


def load_rows(source: Path, report: Callable[[int], None] | None = None) -> dict[str, int]:
    """The rows of the SQLite file `source` into the connected database, whose schema is at
    the same version: its tables emptied, then filled (columns matched by name). Runs in
    the caller's transaction (on SQLite with its foreign keys switched off before it, and
    checked after). Returns the rows loaded per table."""
    database = db.database
    server = not isinstance(database.obj, pw.SqliteDatabase)
    src = sqlite3.connect(db.read_only_uri(source), uri=True)
    try:
        theirs = [r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%'")]
        if server:
            ours = server_columns()
        else:
            ours = {t: [(c.name, c.data_type.lower()) for c in database.get_columns(t)] for t in database.get_tables()}
        q = '"{}"'.format
        if server:  # a restore: the audit log's TRUNCATE trigger lets this transaction alone empty it
            database.execute_sql("SET LOCAL estatedesk.restoring = 'on'")
            database.execute_sql("TRUNCATE " + ", ".join(q(t) for t in ours) + " RESTART IDENTITY CASCADE")
        else:
            for t in ours:
                database.execute_sql(f"DELETE FROM {q(t)}")
        loaded: dict[str, int] = {}
        done = 0
        for table in _order([t for t in theirs if t in ours], _references()):
            kinds = dict(ours[table])
            src_columns = [r[1] for r in src.execute(f"PRAGMA table_info({q(table)})")]
            columns = [c for c in src_columns if c in kinds]
            booleans = [i for i, c in enumerate(columns) if kinds[c] == "boolean"]
            order = " ORDER BY id" if "id" in columns else ""
            insert = (f"INSERT INTO {q(table)} ({', '.join(q(c) for c in columns)}) "
                      f"VALUES ({', '.join('?' for _ in columns)})")
            cursor = src.execute(f"SELECT {', '.join(q(c) for c in columns)} FROM {q(table)}{order}")
            loaded[table] = 0
            while True:
                rows = cursor.fetchmany(BATCH)
                if not rows:
                    break
                if booleans:
                    rows = [tuple(bool(v) if i in booleans and v is not None else v for i, v in enumerate(row))
                            for row in rows]
                db.executemany(insert, rows)
                loaded[table] += len(rows)
                done += len(rows)
                if report:
                    report(done)
            if server and "id" in columns:
                database.execute_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1), "
                    f"MAX(id) IS NOT NULL) FROM {q(table)}")
        return loaded
    finally:
        src.close()
