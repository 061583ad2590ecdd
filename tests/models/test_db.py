import contextlib
import shutil
import socket
import sqlite3
import struct
import threading
from pathlib import Path

import pytest

from models import audit, db, estate, location, migrations, owners, users
from models.errors import DatabaseOpenError
from tests.conftest import PG_URL

DATA = Path(__file__).parent.parent / "data"
sqlite_only = pytest.mark.skipif(bool(PG_URL), reason="a database file: the SQLite leg covers it")


@sqlite_only
def test_a_new_sqlite_database_has_the_safe_pragmas(database):
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert database.execute_sql("PRAGMA synchronous").fetchone()[0] == 2
    assert database.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 5000


def test_a_new_database_is_at_the_latest_schema(database):
    assert migrations.current_version() == migrations.LATEST
    assert migrations.LATEST >= 3


@sqlite_only
def test_a_database_saved_by_schema_1_upgrades_and_keeps_its_records(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copy(DATA / "estatedesk_schema1.sqlite", path)
    db.connect(db.sqlite_url(path))
    try:
        assert migrations.current_version() == migrations.LATEST
        house = estate.House.get(estate.House.label == "3-2-1201")
        assert house.area == 8950 and house.note == "南向"
        assert house.owner_names == "" and house.household_notes == ""
        admin = users.User.get(users.User.username == "admin")
        # the upgraded file takes the new kinds of records
        owners.add_owner(admin, house.id, name="张三", id_number="11010519491231002X")
        assert estate.House.get_by_id(house.id).owner_names == "张三"
        assert audit.AuditEntry.select().where(audit.AuditEntry.action == "house.create").count() == 1
    finally:
        db.close()


@sqlite_only
def test_a_database_saved_by_schema_2_with_owners_upgrades_and_keeps_them(tmp_path):
    from models import documents, search

    path = tmp_path / "old2.sqlite"
    shutil.copy(DATA / "estatedesk_schema2.sqlite", path)
    db.connect(db.sqlite_url(path))
    try:
        assert migrations.current_version() == migrations.LATEST
        house = estate.House.get(estate.House.label == "5-1-302")
        admin = users.User.get(users.User.username == "admin")
        assert [h.name for h in search.search(admin, "dxm")] == ["单晓明"]
        assert [line.owner.name for line in owners.house_archive(admin, house.id).owners] == ["单晓明"]
        documents.set_document(admin, house.id, "covenant", received=True)
    finally:
        db.close()


@sqlite_only
def test_a_migration_that_rebuilds_a_table_keeps_the_rows_that_point_at_it(tmp_path, monkeypatch):
    """SQLite changes a column by copying the table; with foreign keys on, that would fail
    as soon as an owner points at a house."""
    import types

    import peewee as pw

    path = tmp_path / "office.sqlite"
    db.connect(db.sqlite_url(path))
    admin = users.User.create(username="admin", password_hash="x", roles="admin")
    b = estate.create_building(admin, "1")
    h = estate.create_house(admin, estate.create_unit(admin, b.id, "1").id, number="101", area="80")
    owners.add_owner(admin, h.id, name="张三")
    db.close()

    def apply(database, migrator):
        from playhouse.migrate import migrate

        migrate(migrator.add_column("house", "parking_code", pw.CharField(max_length=16, default="")),
                migrator.add_not_null("house", "parking_code"))

    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS + [types.SimpleNamespace(apply=apply)])
    monkeypatch.setattr(migrations, "LATEST", migrations.LATEST + 1)
    db.connect(db.sqlite_url(path))
    try:
        assert migrations.current_version() == migrations.LATEST
        assert owners.Ownership.select().count() == 1
        assert db.database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        db.close()


@sqlite_only
def test_a_file_that_is_not_a_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"this is a shopping list\n")
    with pytest.raises(DatabaseOpenError) as err:
        db.connect(db.sqlite_url(path))
    assert "not an EstateDesk database" in str(err.value)
    assert path.read_bytes() == b"this is a shopping list\n"
    assert not (tmp_path / "notes.sqlite-wal").exists()


@sqlite_only
def test_another_programs_sqlite_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseOpenError):
        db.connect(db.sqlite_url(path))
    assert path.read_bytes() == before
    assert not (tmp_path / "other.db-wal").exists()


@sqlite_only
def test_a_database_from_a_newer_version_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "new.sqlite"
    shutil.copy(DATA / "estatedesk_schema1.sqlite", path)
    con = sqlite3.connect(path)
    con.execute("UPDATE app_meta SET value = ? WHERE key = 'schema_version'", (str(migrations.LATEST + 1),))
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseOpenError) as err:
        db.connect(db.sqlite_url(path))
    assert "newer version" in str(err.value)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*before-upgrade*"))  # refused before any copy is taken


@pytest.mark.skipif(not PG_URL, reason="needs the PostgreSQL server of the CI's second leg")
def test_a_server_database_of_another_program_is_refused(db_url):
    from playhouse.db_url import connect as url_connect

    db.enable_postgresql()
    other = url_connect(db_url)
    other.execute_sql("CREATE TABLE customers (id SERIAL PRIMARY KEY, name TEXT)")
    other.close()
    with pytest.raises(DatabaseOpenError):
        db.connect(db_url)
    other = url_connect(db_url)
    assert set(other.get_tables()) == {"customers"}
    other.close()


@pytest.mark.skipif(not PG_URL, reason="needs the PostgreSQL server of the CI's second leg")
def test_a_server_database_is_driven_by_psycopg_3(database):
    import peewee

    # models/ hands psycopg to peewee itself (see models/__init__.py): check the result
    assert isinstance(database.obj._adapter, peewee.Psycopg3Adapter)
    assert database.execute_sql("SELECT 1").fetchone() == (1,)


def test_an_action_that_fails_half_way_writes_nothing(admin, monkeypatch):
    """The house row is written before its audit entry; when the entry fails (a full disk,
    a lost connection), the house must not be left behind."""
    b = estate.create_building(admin, "5")
    u = estate.create_unit(admin, b.id, "1")
    first = estate.create_house(admin, u.id, number="101", area="80")
    entries = audit.AuditEntry.select().count()

    def failing_record(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(audit, "record", failing_record)
    with pytest.raises(OSError):
        estate.create_house(admin, u.id, number="102", area="80")
    with pytest.raises(OSError):
        owners.add_owner(admin, first.id, name="张三")
    assert [h.number for h in estate.House.select()] == ["101"]
    assert owners.Owner.select().count() == 0 and owners.NameKey.select().count() == 0
    assert estate.House.get_by_id(first.id).owner_names == ""
    assert audit.AuditEntry.select().count() == entries


def test_url_from_arg_takes_a_path_or_a_url(tmp_path):
    assert db.url_from_arg(str(tmp_path / "a.sqlite")).startswith("sqlite:///")
    assert db.url_from_arg("postgresql://u@localhost/x") == "postgresql://u@localhost/x"
    assert db.sqlite_path(db.url_from_arg(str(tmp_path / "a.sqlite"))) == tmp_path / "a.sqlite"


@pytest.mark.parametrize("typed", ["192.168.1.250", "dbserver", "dbserver:5432", "db.office.lan",
                                   "192.168.1.250/estatedesk", "192.168.1.250:5432/estatedesk"])
def test_a_servers_address_alone_is_refused_not_taken_for_a_new_file(typed, tmp_path):
    with pytest.raises(DatabaseOpenError) as err:
        location.typed_address(typed, tmp_path)
    assert "looks like a server" in str(err.value) and "postgresql://user:password@" in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_a_typed_database_file_is_a_whole_path_ending_in_sqlite_or_db(tmp_path):
    documents = tmp_path / "Documents"
    assert location.typed_address("office.sqlite", documents) == db.sqlite_url(documents / "office.sqlite")
    assert location.typed_address(str(tmp_path / "a.db"), documents) == db.sqlite_url(tmp_path / "a.db")
    with pytest.raises(DatabaseOpenError) as err:
        location.typed_address(str(tmp_path / "office"), documents)
    assert "ends in .sqlite or .db" in str(err.value)
    (tmp_path / "old-office.dat").write_bytes(b"")  # a file there already is looked at, not by its name
    assert location.typed_address(str(tmp_path / "old-office.dat"), documents).endswith("old-office.dat")
    assert location.typed_address("postgresql://u:p@dbserver/office") == "postgresql://u:p@dbserver/office"
    assert location.typed_address("  ") == ""  # this PC's own file


def test_an_unreachable_server_gives_a_clear_message():
    with pytest.raises(DatabaseOpenError) as err:
        db.connect("postgresql://nobody@127.0.0.1:9/none")
    assert "The database server 127.0.0.1:9 cannot be reached" in str(err.value)
    assert "Connection refused" in err.value.params["error"]  # the driver's words, as a detail


@contextlib.contextmanager
def a_server_that_refuses(sqlstate: str, message: str):
    """A stand-in for a PostgreSQL server that answers every sign-in with one refusal, as a
    real one does (no server is installed here): the address to connect to."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve():
        while True:
            try:
                peer, _ = listener.accept()
            except OSError:
                return  # closed: the test is over
            with peer:
                while True:
                    (size,) = struct.unpack("!I", peer.recv(4))
                    body = peer.recv(size - 4)
                    if struct.unpack("!I", body[:4])[0] not in (80877103, 80877104):
                        break  # the startup message, after "no SSL" / "no GSS encryption"
                    peer.sendall(b"N")
                fields = b"SFATAL\0VFATAL\0C%s\0M%s\0\0" % (sqlstate.encode(), message.encode())
                peer.sendall(b"E" + struct.pack("!I", len(fields) + 4) + fields)

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()


@pytest.mark.parametrize("sqlstate, said, meant", [
    ("28P01", 'password authentication failed for user "desk"', "does not accept the user name or password"),
    ("28000", 'role "desk" does not exist', "does not accept the user name or password"),
    ("3D000", 'database "offce" does not exist', "has no database named offce"),
])
def test_a_server_that_refuses_says_why_in_the_clerks_words(sqlstate, said, meant):
    with a_server_that_refuses(sqlstate, said) as server:
        with pytest.raises(DatabaseOpenError) as err:
            db.connect(f"postgresql://desk:Secret99@{server}/offce")
    assert meant in str(err.value) and server in str(err.value)
    assert said in err.value.params["error"] and "Secret99" not in err.value.params["error"]


def test_a_short_password_does_not_blot_out_the_drivers_words():
    with pytest.raises(DatabaseOpenError) as err:
        db.connect("postgresql://u:p@127.0.0.1:9/x")
    assert "port 9 failed" in err.value.params["error"]


def test_a_server_that_does_not_answer_is_given_up_after_the_timeout():
    import time

    started = time.monotonic()
    with pytest.raises(DatabaseOpenError) as err:
        db.connect(location.with_connect_timeout("postgresql://u:pw@192.0.2.1/x", 2))  # TEST-NET: nothing there
    assert time.monotonic() - started < 10
    assert "cannot be reached" in str(err.value)


def test_starting_on_sqlite_does_not_load_the_server_driver():
    """psycopg costs a tenth of a second at every start; only a server URL loads it."""
    import subprocess
    import sys

    code = ("import sys; from models import db, estate, owners, search, users; "
            "print('psycopg' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parents[2])
    assert r.stdout.strip() == "False", r.stderr


@pytest.mark.parametrize("url", ["mysql://u:p@localhost/x", "sqlite://relative.db", "ftp://x"])
def test_an_address_of_another_kind_is_a_clear_message(url):
    with pytest.raises(DatabaseOpenError) as err:
        db.connect(url)
    assert "Cannot use the database address" in str(err.value)


def test_a_server_password_never_appears_in_a_message():
    with pytest.raises(DatabaseOpenError) as err:
        db.connect("postgresql://clerk:Secret99@127.0.0.1:9/office")
    assert "Secret99" not in str(err.value) and "Secret99" not in str(err.value.params)
    assert err.value.params["url"] == "postgresql://clerk:***@127.0.0.1:9/office"


@sqlite_only
def test_a_folder_given_as_the_database_is_a_clear_message(tmp_path):
    with pytest.raises(DatabaseOpenError) as err:
        db.connect(db.sqlite_url(tmp_path))
    assert "is a folder" in str(err.value)


def test_a_nul_character_pasted_into_text_is_dropped_on_either_database(admin):
    from models import estate, search

    b = estate.create_building(admin, code="9", name="九\x00栋")
    assert estate.Building.get_by_id(b.id).name == "九栋"
    assert search.search(admin, "九\x00") is not None  # searched for without it, no driver error


def test_rows_written_straight_to_the_driver_hold_no_nul_either(admin, tmp_path):
    """A backup's rows (transport.load_rows) and other bulk writes go past peewee's fields:
    a NUL in them is dropped as well, rather than a driver error on PostgreSQL."""
    from models import estate

    b = estate.create_building(admin, code="9", name="九栋")
    with db.atomic():
        db.executemany('UPDATE "building" SET name = ? WHERE id = ?', [("九\x00栋\x00", b.id)])
    mark = "?" if db.is_sqlite() else "%s"
    assert db.database.execute_sql(f'SELECT name FROM "building" WHERE id = {mark}', (b.id,)).fetchone() == ("九栋",)
