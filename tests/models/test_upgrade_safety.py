"""An upgrade never loses the office's data: a checked copy is taken before the first
migration runs, a failed migration leaves the database as it was and says so with the
copy's name, and a database newer than the program is refused before anything is written."""
import sqlite3

import pytest

from models import db, migrations
from tests.conftest import PG_URL
from tests.models.test_upgrades import counts, saved, unpacked, version_of


@pytest.fixture
def older(tmp_path):
    """The demo office as the version before today's left it, in an office's folder."""
    version = migrations.LATEST - 1
    path = unpacked(saved()[version], tmp_path)
    live = tmp_path / "office" / "estatedesk.sqlite"
    live.parent.mkdir()
    path.rename(live)
    return live, version


def copies_of(live):
    return sorted(live.parent.glob("estatedesk.before-upgrade-schema*.sqlite"))


def test_a_checked_copy_is_kept_before_the_upgrade(older):
    live, version = older
    before = counts(live)
    db.connect(db.sqlite_url(live))
    db.close()
    assert version_of(live) == migrations.LATEST
    [copy] = copies_of(live)
    assert f"schema{version}-" in copy.name
    assert version_of(copy) == version and counts(copy) == before
    con = sqlite3.connect(copy)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    db.connect(db.sqlite_url(live))  # up to date: no second copy
    db.close()
    assert len(copies_of(live)) == 1


def test_a_failed_migration_leaves_the_database_as_it_was_and_says_so(older, monkeypatch):
    live, version = older
    before = counts(live)
    last = migrations.MIGRATIONS[version]
    real = last.apply

    def half_then_fail(database, migrator):
        real(database, migrator)  # the migration's own changes are made, then something breaks
        database.execute_sql("DELETE FROM app_meta WHERE key = 'office_id'")
        raise RuntimeError("disk trouble")

    monkeypatch.setattr(last, "apply", half_then_fail)
    with pytest.raises(migrations.UpgradeFailed) as refused:
        db.connect(db.sqlite_url(live))
    message = str(refused.value)
    [copy] = copies_of(live)
    assert "disk trouble" in message and copy.name in message and "Nothing in it was changed" in message
    assert db.database.is_closed()
    assert version_of(live) == version and counts(live) == before
    monkeypatch.setattr(last, "apply", real)  # the next version's program fixes it: the upgrade goes through
    db.connect(db.sqlite_url(live))
    db.close()
    assert version_of(live) == migrations.LATEST


def test_a_migration_that_fails_after_earlier_ones_undoes_them_all(tmp_path, monkeypatch):
    """Several pending migrations are one transaction: none of them stays half-done."""
    path = unpacked(saved()[migrations.LATEST - 3], tmp_path)
    before = counts(path)
    monkeypatch.setattr(migrations.MIGRATIONS[-1], "apply", lambda d, m: (_ for _ in ()).throw(ValueError("no")))
    with pytest.raises(migrations.UpgradeFailed):
        db.connect(db.sqlite_url(path))
    assert version_of(path) == migrations.LATEST - 3 and counts(path) == before


def test_when_no_copy_can_be_made_nothing_is_upgraded(older, monkeypatch):
    live, version = older
    from models import backup

    def full(source, target, deadline=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "snapshot", full)
    with pytest.raises(db.DatabaseOpenError) as refused:
        db.connect(db.sqlite_url(live))
    assert "No space left" in str(refused.value) and "nothing was changed" in str(refused.value)
    assert version_of(live) == version and not copies_of(live)


def test_only_the_last_few_copies_are_kept(older):
    live, version = older
    import os
    import shutil

    for n in range(5):  # copies left by earlier upgrades
        old = live.with_name(f"estatedesk.before-upgrade-schema{n + 1}-20200101-00000{n}.sqlite")
        shutil.copy(live, old)
        os.utime(old, (1_600_000_000 + n, 1_600_000_000 + n))
    db.connect(db.sqlite_url(live))
    db.close()
    kept = copies_of(live)
    assert len(kept) == migrations.KEEP_COPIES
    assert any(f"schema{version}-" in p.name and not p.name.startswith("estatedesk.before-upgrade-schema5")
               for p in kept)


@pytest.mark.skipif(not PG_URL, reason="a server database: the PostgreSQL leg runs this")
def test_a_server_is_exported_before_its_upgrade_and_kept_as_it_was_when_it_fails(monkeypatch, tmp_path):
    from tests.conftest import _reset_server

    _reset_server(PG_URL)
    monkeypatch.setenv("ESTATEDESK_DATA_DIR", str(tmp_path / "data"))
    db.connect(PG_URL, migrate=False)
    migrations.upgrade(target=migrations.LATEST - 1)
    tables = db.database.get_tables()
    before = {t: db.database.execute_sql(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    db.close()

    last = migrations.MIGRATIONS[-1]
    real = last.apply

    def fail(database, migrator):
        real(database, migrator)
        raise RuntimeError("server trouble")

    monkeypatch.setattr(last, "apply", fail)
    with pytest.raises(migrations.UpgradeFailed) as refused:
        db.connect(PG_URL)
    [copy] = sorted((tmp_path / "data" / "Backups").glob("estatedesk-server.before-upgrade-schema*.sqlite"))
    assert copy.name in str(refused.value) and "server trouble" in str(refused.value)
    assert counts(copy) == before
    db.connect(PG_URL, migrate=False)
    try:
        assert migrations.current_version() == migrations.LATEST - 1
        assert set(db.database.get_tables()) == set(tables)
    finally:
        db.close()
    monkeypatch.setattr(last, "apply", real)
    db.connect(PG_URL)
    try:
        assert migrations.current_version() == migrations.LATEST
    finally:
        db.close()
