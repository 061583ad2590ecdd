"""Shared fixtures. Qt runs offscreen; the database is a fresh temp SQLite file, or the
PostgreSQL server named by ESTATEDESK_TEST_DB (emptied before each test)."""
import datetime
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt
if "ESTATEDESK_DATA_DIR" not in os.environ:  # logs and safety copies never land in the user's own folder
    import tempfile

    os.environ["ESTATEDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="estatedesk-data-")

import pytest  # noqa: E402

from models import clock, db, users  # noqa: E402

PG_URL = os.environ.get("ESTATEDESK_TEST_DB", "")


def _reset_server(url: str) -> None:
    """Empty the test server's database. Only one whose name ends in _test: the suite must
    never wipe an office's real database by a mistyped variable."""
    import peewee
    from urllib.parse import urlsplit
    from playhouse.db_url import connect as url_connect

    name = urlsplit(url).path.lstrip("/")
    if not name.endswith("_test"):
        raise RuntimeError(f"ESTATEDESK_TEST_DB must name a database ending in _test, not {name!r}")

    db.enable_postgresql()
    server = url_connect(url)
    assert isinstance(server, peewee.PostgresqlDatabase)
    server.connect()
    server.execute_sql("DROP SCHEMA IF EXISTS public CASCADE")
    server.execute_sql("CREATE SCHEMA public")
    server.close()


@pytest.fixture
def db_url(tmp_path):
    if PG_URL:
        _reset_server(PG_URL)
        return PG_URL
    return db.sqlite_url(tmp_path / "office.sqlite")


_TEMPLATE = {"made": False, "usable": True}


def _migrated_server_copy(url: str) -> None:
    """PostgreSQL: the test database replaced by a copy of one migrated once per run
    (CREATE DATABASE … TEMPLATE takes a fraction of the time the migrations take). Where
    the server does not allow it (an older server, a user who may not create databases),
    the migrations run each time, as on SQLite."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    if not _TEMPLATE["usable"]:
        return
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    template = name + "_template"
    try:
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as server:
            if server.info.server_version < 150000:  # FILE_COPY and DROP … WITH (FORCE)
                _TEMPLATE["usable"] = False
                return
            if not _TEMPLATE["made"]:
                db.connect(url)  # the emptied database, migrated
                db.close()
                server.execute(f'DROP DATABASE IF EXISTS "{template}"')
                server.execute(f'CREATE DATABASE "{template}" TEMPLATE "{name}" STRATEGY FILE_COPY')
                _TEMPLATE["made"] = True
                return
            server.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            server.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
    except psycopg.Error:
        _TEMPLATE["usable"] = False


@pytest.fixture
def database(db_url, tmp_path_factory, monkeypatch):
    """An empty office database at the latest schema, and a data folder of its own (for the
    audit anchors above all: the server's test database keeps its name from test to test)."""
    monkeypatch.setenv("ESTATEDESK_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    if PG_URL:
        _migrated_server_copy(db_url)
    db.connect(db_url)
    yield db.database
    db.close()


@pytest.fixture(autouse=True)
def no_window_outlives_its_test():
    """Every window a test opened is gone when it ends (UI tests and the security suite's
    alike): a page left open would go on refreshing on its timer, as a user of that test's
    database, in the next test's."""
    yield
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        return
    for window in QApplication.topLevelWidgets():
        window.close()
        window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def frozen_now():
    moment = datetime.datetime(2026, 11, 23, 9, 30, 0)
    clock.set_now(moment)
    yield moment
    clock.set_now(None)


_HASHES = {}


def password_hash(password: str) -> str:
    """argon2's hash of `password`, made once per run: each hash takes a tenth of a second
    on purpose, and the fixtures' users all have the same password. Its salt is fixed, so
    the hash is the same whichever copy of this module made it (test files import it as
    tests.conftest)."""
    if password not in _HASHES:
        _HASHES[password] = users._hasher.hash(password, salt=b"estatedesk-tests")
    return _HASHES[password]


def _user(username, roles):
    return users.User.create(username=username, full_name=username, roles=",".join(roles),
                             password_hash=password_hash("secret1"))


@pytest.fixture
def admin(database):
    return _user("admin", ["admin"])


@pytest.fixture
def clerk(database):
    return _user("wang", ["clerk"])


@pytest.fixture
def cashier(database):
    return _user("li", ["cashier"])


@pytest.fixture
def supervisor(database):
    return _user("zhao", ["supervisor"])


@pytest.fixture
def house(admin):
    """One house: 3-2-1201, 89.50 m²."""
    from models import estate

    b = estate.create_building(admin, "3")
    u = estate.create_unit(admin, b.id, "2")
    return estate.create_house(admin, u.id, number="1201", area="89.50", state="owner_occupied")


def backups_while_a_process_writes(url: str, folder) -> list[dict]:
    """Three backups into `folder` while another process adds houses to the office at
    `url` as fast as it can; the row counts each backup holds."""
    import subprocess
    import sys
    import time
    from pathlib import Path

    from models import backup

    root = Path(__file__).resolve().parents[1]
    code = (f"import sys; sys.path.insert(0, {str(root)!r})\n"
            "from models import db, estate, users\n"
            f"db.connect({url!r})\n"
            "admin = users.User.get(users.User.username == 'admin')\n"
            "b = estate.create_building(admin, '9')\n"
            "u = estate.create_unit(admin, b.id, '1')\n"
            "print('ready', flush=True)\n"
            "for n in range(100000):\n"
            "    estate.create_house(admin, u.id, number=str(101 + n), area='80')\n")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        time.sleep(0.5)
        made = [backup.create(folder, now=datetime.datetime(2026, 11, 20, 17, n), keep=False) for n in range(3)]
    finally:
        child.kill()
        child.wait()
    return [backup.verify(m).counts for m in made]
