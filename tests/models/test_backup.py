"""Backups: a round trip gives the same data; truncated, bit-flipped, wrong-password and
newer-version files are refused with the live data untouched; a backup that fails midway
leaves no file under its final name and the earlier backups as they were; a backup taken
while another process writes is consistent."""
import datetime
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from models import backup, db, estate, owners
from models.backup import BackupError
from tests.conftest import PG_URL, backups_while_a_process_writes

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="these handle a PC's SQLite file itself (its pages, its log, a "
                                                     "damaged file); a server's backups: test_backup_server.py")
ROOT = Path(__file__).resolve().parents[2]
ADMIN = dict(username="admin", user_password="secret1")  # the fixtures' administrator signs each restore


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
    safety = backup.restore(made, target, **ADMIN)
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
        backup.restore(made, target, "wrong" if password else None, **ADMIN)
    expected = {"truncate": "damaged", "flip": "damaged", "wrong_password": "Wrong password",
                "newer": "newer EstateDesk"}[spoil]
    assert expected in str(e.value)
    assert digest(target) == before and not list(target.parent.glob("*.before-restore-*"))
    db.connect(db.sqlite_url(target))


def test_a_backup_failing_midway_leaves_no_file_under_its_name(office, monkeypatch):
    first = backup.create(office, now=datetime.datetime(2026, 11, 20, 17, 30))
    kept = digest(first)

    real = backup._add

    def full_disk(z, name, pieces, *args, **kwargs):
        def some_then_full():
            yield next(iter(pieces))  # some of the database reaches the stick, then it is full
            raise OSError(28, "No space left on device")
        return real(z, name, some_then_full(), *args, **kwargs)

    monkeypatch.setattr(backup, "_add", full_disk)
    with pytest.raises(BackupError, match="No space left"):
        backup.create(office)
    assert list(office.iterdir()) == [first] and digest(first) == kept


def test_a_backup_killed_midway_leaves_the_earlier_one_and_no_file_under_a_good_name(office, tmp_path):
    first = backup.create(office, now=datetime.datetime(2026, 11, 20, 17, 30))
    kept = digest(first)
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
            "from models import backup, db\n"
            f"db.connect(db.sqlite_url({str(live_file())!r}))\n"
            "real = backup._add\n"
            "def slow_add(z, name, pieces, *args, **kwargs):\n"
            "    def slow():\n"
            "        it = iter(pieces)\n"
            "        yield next(it)\n"
            "        yield next(it)\n"
            "        print('written', flush=True)\n"
            "        import time; time.sleep(60)\n"
            "    return real(z, name, slow(), *args, **kwargs)\n"
            "backup._add = slow_add\n"
            f"backup.create({str(office)!r})\n")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "written"  # the file is half written
    child.kill()
    child.wait()
    names = sorted(p.name for p in office.iterdir())
    assert names[0] == first.name and all(n.endswith(".partial") for n in names[1:])
    assert digest(first) == kept and backup.verify(first).counts["house"] == 1


def test_a_backup_while_another_process_writes_is_consistent(office, admin):
    counts = backups_while_a_process_writes(db.sqlite_url(live_file()), office)
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
    safety = backup.restore(made, target, **ADMIN)
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
    backup.restore(made, target, **ADMIN)
    assert other.execute("SELECT COUNT(*) FROM owner").fetchone()[0] == 1  # it reads the restored data
    other.close()
    db.connect(db.sqlite_url(target))


# --- retention and drives ----------------------------------------------------------------

def test_the_rotation_keeps_the_newest_of_each_day_week_and_month():
    start = datetime.datetime(2026, 1, 1, 18, 0)
    times = [start + datetime.timedelta(days=d, hours=h) for d in range(365) for h in (0, 3)]  # two a day
    kept = backup.to_keep(times, daily=7, weekly=4, monthly=12)
    newest = max(times)
    assert newest in kept
    days = sorted({t.date() for t in kept}, reverse=True)
    assert days[:7] == [newest.date() - datetime.timedelta(days=n) for n in range(7)]
    assert all(max(t for t in times if t.date() == d) in kept for d in days)  # the day's last one
    weeks = {t.isocalendar()[:2] for t in kept}
    months = {(t.year, t.month) for t in kept}
    assert len(months) == 12 and len(weeks) >= 4
    assert len(kept) <= 7 + 4 + 12
    assert backup.to_keep(times, 0, 0, 0) == set(times)  # the office keeps everything
    assert backup.to_keep(times[:1], 1, 0, 0) == {times[0]}


def test_old_backups_are_thinned_out_and_other_files_left_alone(office, admin, monkeypatch, frozen_now):
    from models import settings

    settings.update({"backup_keep_daily": 2, "backup_keep_weekly": 0, "backup_keep_monthly": 0}, user=admin)
    ours = backup._office_id()

    def named(office_id, day, hour=18):
        path = office / f"estatedesk-{office_id}-202611{day:02d}-{hour:02d}0000{backup.SUFFIX}"
        path.write_bytes(b"old")
        return path.name

    old = [named(ours, day) for day in (18, 19, 20)]
    future = named(ours, 30)  # a PC with a wrong clock: never counted as the newest, never removed
    theirs = [named("0badc0de", day) for day in (18, 19, 20)]  # another office on the same stick
    legacy = office / f"estatedesk-20261101-180000{backup.SUFFIX}"  # named before offices had a mark
    legacy.write_bytes(b"old")
    (office / "作业.docx").write_bytes(b"the clerk's own file")
    stale = office / f"estatedesk-{ours}-20261101-180000{backup.SUFFIX}.partial"
    fresh = office / f"estatedesk-{ours}-20261123-092900{backup.SUFFIX}.partial"  # another PC writing right now
    for p in (stale, fresh):
        p.write_bytes(b"half")
    os.utime(stale, (frozen_now.timestamp() - 3 * 86400,) * 2)
    os.utime(fresh, (frozen_now.timestamp() - 60,) * 2)

    first = backup.create(office)  # no self-check has passed yet: nothing is thinned out
    assert all((office / n).exists() for n in old) and stale.exists()
    assert backup.check_database() is True
    made = backup.create(office)
    names = sorted(p.name for p in office.iterdir())
    assert names == sorted([first.name, made.name, old[-1], future, *theirs, legacy.name, "作业.docx", fresh.name])


def test_usb_sticks_are_found_among_the_mounts():
    mounts = ("/dev/sda1 / ext4 rw 0 0\n"
              "/dev/sdb1 /media/wang/KINGSTON vfat rw 0 0\n"
              "/dev/sdc1 /run/media/li/My\\040Stick exfat rw 0 0\n"
              "tmpfs /run tmpfs rw 0 0\n")
    assert backup.mounted_removable(mounts) == [("/media/wang/KINGSTON", "KINGSTON"),
                                                ("/run/media/li/My Stick", "My Stick")]


# --- the daily self-check ------------------------------------------------------------------

def test_the_daily_self_check_records_its_result_and_a_failure_shows_on_today(office, admin, clerk, house):
    from models import clock, today

    t0 = datetime.datetime(2026, 11, 23, 9, 0)
    assert backup.check_due(t0)
    assert backup.check_database(t0) is True and backup.last_check() == (t0, True)
    assert not backup.check_due(t0 + datetime.timedelta(hours=23)) and backup.check_due(t0 + datetime.timedelta(days=1))
    with clock.frozen(t0 + datetime.timedelta(hours=1)):
        assert "integrity" not in [line.what for line in today.lines(clerk)]

    # a page of the file goes bad on the disk: the root of the houses' table
    for n in range(300):
        estate.create_house(admin, house.unit_id, number=str(2000 + n), area="80")
    db.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    root = db.database.execute_sql("SELECT rootpage FROM sqlite_master WHERE name = 'house'").fetchone()[0]
    page = db.database.execute_sql("PRAGMA page_size").fetchone()[0]
    with open(live_file(), "r+b") as f:
        f.seek((root - 1) * page)
        f.write(b"\x05\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff")
    assert backup.check_database(t0 + datetime.timedelta(days=1)) is False
    with clock.frozen(t0 + datetime.timedelta(days=1, hours=1)):
        [line] = [line for line in today.lines(clerk) if line.what == "integrity"]
        assert line.left.overdue and line.table == "backup"


def test_a_backup_made_by_an_older_version_is_upgraded_when_restored(office, tmp_path):
    import shutil

    from models import migrations

    old = tmp_path / "old.sqlite"
    shutil.copy(Path(__file__).resolve().parents[1] / "data" / "estatedesk_schema1.sqlite", old)
    live = live_file()
    db.close()
    db.connect(db.sqlite_url(old), migrate=False)  # the office as the first version left it
    made = backup.create(office, keep=False)
    db.close()
    assert backup.verify(made).schema == 1
    backup.restore(made, live, **ADMIN)
    db.connect(db.sqlite_url(live))
    assert migrations.current_version() == migrations.LATEST
    house = estate.House.get(estate.House.label == "3-2-1201")
    assert (house.area, house.note) == (8950, "南向")


def test_a_restore_sqlite_refuses_leaves_the_live_file_as_it_is(office, tmp_path):
    import shutil
    import sqlite3

    live = live_file()
    other = tmp_path / "other.sqlite"
    db.close()
    shutil.copy(live, other)
    con = sqlite3.connect(other)
    con.execute("PRAGMA journal_mode = DELETE")
    con.execute("PRAGMA page_size = 8192")
    con.execute("VACUUM")  # the same office, in pages of another size
    con.close()
    db.connect(db.sqlite_url(other))
    made = backup.create(office, keep=False)
    db.close()
    db.connect(db.sqlite_url(live))  # a window still has the live file open (in WAL mode)
    owners.add_owner(estate_admin(), estate.House.get().id, name="李四")
    before = digest(live)
    with pytest.raises(BackupError, match="could not finish"):
        backup.restore(made, live, **ADMIN)
    assert digest(live) == before and Path(str(live) + "-wal").exists()
    assert sorted(o.name for o in owners.Owner.select()) == ["张三", "李四"]


def estate_admin():
    from models import users

    return users.User.get(users.User.username == "admin")


def test_another_pc_writing_the_same_name_is_left_alone(office):
    now = datetime.datetime(2026, 11, 20, 17, 30)
    theirs = office / (backup._name(backup._office_id(), now, 1) + ".partial")
    theirs.write_bytes(b"another PC is writing this backup")
    made = backup.create(office, now=now, keep=False)
    assert made.name == backup._name(backup._office_id(), now, 2)
    assert theirs.read_bytes() == b"another PC is writing this backup"
    assert backup.verify(made).counts["house"] == 1
