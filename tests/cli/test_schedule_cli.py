"""`schedule-backup` sets up the nightly backup and records it; `backup --scheduled` is the
night's run. The system's scheduler is replaced by a recorder here (its commands are tested
in tests/models/test_schedule.py); the rest is the real program."""
from pathlib import Path

import pytest

import main
from models import backup, db, schedule
from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="a PC's SQLite file by its path")


@pytest.fixture
def office(admin, house):
    live = Path(db.database.obj.database)
    db.close()
    return live


@pytest.fixture
def scheduler(monkeypatch):
    done = []
    monkeypatch.setattr(schedule, "install", lambda cmd, at, **kw: done.append(("install", cmd, at)) or "systemd")
    monkeypatch.setattr(schedule, "uninstall", lambda **kw: done.append(("uninstall",)))
    return done


def recorded(live):
    db.connect(db.sqlite_url(live))
    try:
        return schedule.current(), backup.last()
    finally:
        db.close()


def test_schedule_backup_sets_up_the_night_and_the_office_knows(office, scheduler, tmp_path, capsys):
    usb = tmp_path / "U盘"
    usb.mkdir()
    assert main.main(["--db", str(office), "schedule-backup", "--at", "21:45", "--to", str(usb)]) == 0
    [(what, cmd, at)] = scheduler
    assert (what, at) == ("install", "21:45")
    assert cmd[-5:] == ["--db", db.sqlite_url(office), "backup", "--scheduled", "--to", str(usb)][-5:]
    assert "--db" in cmd and "ok: a backup every night at 21:45" in capsys.readouterr().out
    known, _ = recorded(office)
    assert (known.at, known.folder, known.by) == ("21:45", str(usb.resolve()), "systemd")

    assert main.main(["--db", str(office), "schedule-backup"]) == 0
    assert "at 21:45 into" in capsys.readouterr().out

    # the night's run, as the scheduler starts it: into the schedule's folder
    assert main.main(["--db", str(office), "backup", "--scheduled"]) == 0
    [made] = usb.iterdir()
    assert backup.verify(made).counts["house"] == 1
    _, last = recorded(office)
    assert last[1] == str(made)

    assert main.main(["--db", str(office), "schedule-backup", "--off"]) == 0
    assert scheduler[-1] == ("uninstall",) and recorded(office)[0] is None


def test_bad_times_and_folders_are_refused_and_nothing_is_set_up(office, scheduler, tmp_path, capsys):
    assert main.main(["--db", str(office), "schedule-backup", "--at", "25:00", "--to", str(tmp_path)]) == 1
    assert "00:00 to 23:59" in capsys.readouterr().err
    assert main.main(["--db", str(office), "schedule-backup", "--at", "21:30", "--to", str(tmp_path / "no")]) == 1
    assert "is not there" in capsys.readouterr().err
    assert scheduler == [] and recorded(office)[0] is None


def test_a_run_nobody_scheduled_here_records_the_schedule_into_the_data_folder(office, tmp_path, monkeypatch):
    """The .deb's timer: no folder named, no schedule recorded — the data folder's own, and
    from now on a missed night shows."""
    monkeypatch.setenv("ESTATEDESK_DATA_DIR", str(tmp_path / "data"))
    assert main.main(["--db", str(office), "backup", "--scheduled"]) == 0
    folder = tmp_path / "data" / "Backups" / "nightly"
    assert len(list(folder.iterdir())) == 1
    known, _ = recorded(office)
    assert (known.folder, known.by, known.at) == (str(folder), "system", "")


def test_a_backup_by_hand_still_needs_its_folder(office, capsys):
    assert main.main(["--db", str(office), "backup"]) == 2
    assert "backup --to FOLDER" in capsys.readouterr().err


def test_a_pc_without_its_office_yet_gets_its_task(scheduler, tmp_path, capsys):
    """The installer sets the night up before the first start: the task is made, nothing is
    made in place of the office, and the first night's run records the schedule."""
    usb = tmp_path / "usb"
    usb.mkdir()
    future = tmp_path / "office" / "estatedesk.sqlite"
    assert main.main(["--db", str(future), "schedule-backup", "--at", "21:30", "--to", str(usb)]) == 0
    assert scheduler[0][0] == "install" and "not there yet" in capsys.readouterr().out
    assert not future.exists()
    assert main.main(["--db", str(future), "schedule-backup", "--off"]) == 0
    assert scheduler[-1] == ("uninstall",) and not future.exists()
