"""Backups: a round trip gives the same data; truncated, bit-flipped, wrong-password and
newer-version files are refused with the live data untouched; a backup that fails midway
leaves no file under its final name and the earlier backups as they were; a backup taken
while another process writes is consistent."""
import datetime
import hashlib
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from models import backup, db, estate, owners
from models.backup import BackupError
from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="backups hold an SQLite file; a server database is refused (test_backup_server.py)")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def office(admin, house, tmp_path):
    owners.add_owner(admin, house.id, name="张三", phone="13812345678")
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def live_file() -> Path:
    return Path(db.database.obj.database)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_backup_restores_to_the_same_data(office, admin, house, tmp_path):
    made = backup.create(office, office="翠湖花园")
    assert made.suffix == ".edbackup" and list(office.iterdir()) == [made]  # no .partial left
    manifest = backup.verify(made)
    assert manifest.office == "翠湖花园" and manifest.counts["owner"] == 1 and manifest.counts["house"] == 1
    owners.add_owner(admin, house.id, name="李四")  # after the backup
    target = live_file()
    db.close()
    safety = backup.restore(made, target)
    db.connect(db.sqlite_url(target))
    assert [o.name for o in owners.Owner.select()] == ["张三"]
    db.close()
    db.connect(db.sqlite_url(safety))  # the data as it was before the restore, kept aside
    assert sorted(o.name for o in owners.Owner.select()) == ["张三", "李四"]


def test_a_sealed_backup_needs_its_password(office):
    made = backup.create(office, password="门卫室钥匙")
    assert made.read_bytes().startswith(backup.MAGIC_SEALED) and b"estatedesk.sqlite" not in made.read_bytes()
    assert backup.verify(made, "门卫室钥匙").counts["house"] == 1
    with pytest.raises(BackupError, match="password"):
        backup.verify(made)
    with pytest.raises(BackupError, match="Wrong password"):
        backup.verify(made, "guess")


@pytest.mark.parametrize("spoil", ["truncate", "flip", "wrong_password", "newer"])
def test_a_bad_backup_is_refused_and_the_live_data_untouched(office, spoil, tmp_path):
    password = "secret" if spoil == "wrong_password" else None
    made = backup.create(office, password=password)
    data = bytearray(made.read_bytes())
    if spoil == "truncate":
        made.write_bytes(bytes(data[:len(data) // 2]))
    elif spoil == "flip":
        at = data.find(b"SQLite format 3") + 4096 + 100  # inside the database's pages
        data[at] ^= 0x01
        made.write_bytes(bytes(data))
    elif spoil == "newer":
        with zipfile.ZipFile(made) as z:
            members = {n: z.read(n) for n in z.namelist()}
        manifest = json.loads(members["manifest.json"])
        manifest["schema"] += 1
        members["manifest.json"] = json.dumps(manifest).encode()
        with zipfile.ZipFile(made, "w") as z:
            for name, content in members.items():
                z.writestr(name, content)
    target = live_file()
    db.close()
    before = digest(target)
    with pytest.raises(BackupError) as e:
        backup.restore(made, target, "wrong" if password else None)
    expected = {"truncate": "damaged", "flip": "damaged", "wrong_password": "Wrong password",
                "newer": "newer EstateDesk"}[spoil]
    assert expected in str(e.value)
    assert digest(target) == before and not list(target.parent.glob("*.before-restore-*"))
    db.connect(db.sqlite_url(target))


def test_a_backup_failing_midway_leaves_no_file_under_its_name(office, monkeypatch):
    first = backup.create(office, now=datetime.datetime(2026, 11, 20, 17, 30))
    kept = digest(first)

    def full_disk(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup.zipfile.ZipFile, "write", full_disk)
    with pytest.raises(BackupError, match="No space left"):
        backup.create(office)
    assert list(office.iterdir()) == [first] and digest(first) == kept


def test_a_backup_killed_midway_leaves_the_earlier_one_and_no_file_under_a_good_name(office, tmp_path):
    first = backup.create(office, now=datetime.datetime(2026, 11, 20, 17, 30))
    kept = digest(first)
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
            "from models import backup, db\n"
            f"db.connect(db.sqlite_url({str(live_file())!r}))\n"
            "real = backup.verify\n"
            "def slow(*a, **k):\n"
            "    print('written', flush=True)\n"
            "    import time; time.sleep(60)\n"
            "backup.verify = slow\n"
            f"backup.create({str(office)!r})\n")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "written"  # the file is written, not yet checked or named
    child.kill()
    child.wait()
    names = sorted(p.name for p in office.iterdir())
    assert names[0] == first.name and all(n.endswith(".partial") for n in names[1:])
    assert digest(first) == kept and backup.verify(first).counts["house"] == 1


def test_a_backup_while_another_process_writes_is_consistent(office, admin):
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
            "from models import db, estate, users\n"
            f"db.connect(db.sqlite_url({str(live_file())!r}))\n"
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
        made = [backup.create(office, now=datetime.datetime(2026, 11, 20, 17, n)) for n in range(3)]
    finally:
        child.kill()
        child.wait()
    counts = [backup.verify(m).counts for m in made]
    assert all(c["house"] >= 1 for c in counts) and counts[-1]["house"] > 1  # the writer was at work
    for c in counts:  # each snapshot is whole: every house it holds has its audit entry
        assert c["audit_entry"] >= c["house"]
    assert estate.House.select().count() >= counts[-1]["house"]


def test_a_sealed_backup_in_many_pieces_and_one_cut_between_them(office, monkeypatch):
    monkeypatch.setattr(backup, "CHUNK", 4096)  # many pieces, as a large office's backup has
    made = backup.create(office, password="pw")
    assert backup.verify(made, "pw").counts["house"] == 1
    data = made.read_bytes()
    header = len(backup.MAGIC_SEALED) + 20
    first = int.from_bytes(data[header:header + 4], "big")
    made.write_bytes(data[:header + 4 + first])  # only the first piece: cut off cleanly between pieces
    with pytest.raises(BackupError, match="damaged or incomplete"):
        backup.verify(made, "pw")


def test_two_backups_in_the_same_second_keep_both(office):
    at = datetime.datetime(2026, 11, 20, 17, 30)
    first, second = backup.create(office, now=at), backup.create(office, now=at)
    assert first != second and first.exists() and second.exists()


def test_a_backup_naming_files_outside_its_scans_is_refused(office, tmp_path):
    made = backup.create(office)
    with zipfile.ZipFile(made) as z:
        members = {n: z.read(n) for n in z.namelist()}
    manifest = json.loads(members["manifest.json"])
    evil = "scans/../../outside.txt"
    members[evil] = b"x"
    manifest["files"][evil] = {"sha256": hashlib.sha256(b"x").hexdigest(), "size": 1}
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(made, "w") as z:
        for name, content in members.items():
            z.writestr(name, content)
    with pytest.raises(BackupError, match="damaged"):
        backup.verify(made)
    assert not (tmp_path / "outside.txt").exists()


def test_a_damaged_live_database_is_restored_and_kept_aside(office):
    made = backup.create(office)
    target = live_file()
    db.close()
    target.write_bytes(b"this disk lost the database" * 100)
    safety = backup.restore(made, target)
    assert safety.read_bytes().startswith(b"this disk lost")
    db.connect(db.sqlite_url(target))
    assert [o.name for o in owners.Owner.select()] == ["张三"]


def test_a_restore_is_seen_by_a_window_that_has_the_database_open(office, admin, house):
    import sqlite3

    made = backup.create(office)
    owners.add_owner(admin, house.id, name="李四")
    target = live_file()
    db.close()
    other = sqlite3.connect(target)  # another window of the office
    assert other.execute("SELECT COUNT(*) FROM owner").fetchone()[0] == 2
    backup.restore(made, target)
    assert other.execute("SELECT COUNT(*) FROM owner").fetchone()[0] == 1  # it reads the restored data
    other.close()
    db.connect(db.sqlite_url(target))
