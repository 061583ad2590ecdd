import datetime
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import PG_URL

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(bool(PG_URL), reason="the demo command makes an SQLite file; the SQLite leg runs it")
def test_demo_command_makes_the_demo_estate_once(tmp_path):
    target = tmp_path / "demo.sqlite"
    cmd = [sys.executable, str(ROOT / "main.py"), "demo", "--db", str(target), "--no-gui"]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert first.returncode == 0, first.stderr
    assert "houses: 804" in first.stdout and "demo1234" in first.stdout
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert again.returncode == 0 and "houses:" not in again.stdout  # kept, not made twice


@pytest.mark.skipif(bool(PG_URL), reason="about a local file")
def test_opening_a_foreign_file_from_the_command_line_is_a_clear_message(tmp_path):
    bad = tmp_path / "photo.jpg"
    bad.write_bytes(b"\xff\xd8\xff not a database")
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "demo", "--db", str(bad), "--no-gui"],
                       capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 2
    assert "is not an EstateDesk database" in r.stderr and "Traceback" not in r.stderr
    assert bad.read_bytes() == b"\xff\xd8\xff not a database"


@pytest.mark.skipif(bool(PG_URL), reason="a PC's SQLite file by its path")
def test_the_command_line_tells_the_time_in_the_offices_zone_not_the_pcs(admin, tmp_path):
    """An office in New York on a PC set to Tokyo: a backup made from a script is stamped
    with New York's time, as the window would stamp it."""
    from models import db, settings

    settings.update({"timezone": "America/New_York"}, user=admin)
    live = Path(db.database.obj.database)
    db.close()
    usb = tmp_path / "usb"
    usb.mkdir()
    env = {**os.environ, "TZ": "Asia/Tokyo"}
    made = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(live), "backup", "--to", str(usb)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert made.returncode == 0, made.stderr
    [file] = usb.iterdir()
    checked = subprocess.run([sys.executable, str(ROOT / "main.py"), "verify-backup", str(file)],
                             capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    stamp = datetime.datetime.fromisoformat(checked.stdout.split(" made ")[1].split(" for ")[0])
    in_new_york = datetime.datetime.now(ZoneInfo("America/New_York")).replace(tzinfo=None)
    assert abs(stamp - in_new_york) < datetime.timedelta(minutes=10)


def test_the_windows_start_reads_its_two_options_as_the_full_parser_would(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main installs the crash handler
    import main

    assert vars(main.parse([])) == {"command": None, "db": None, "lang": None}
    assert vars(main.parse(["--db", "office.sqlite", "--lang=en"])) == {"command": None, "db": "office.sqlite",
                                                                       "lang": "en"}
    assert main.parse(["--db", "office.sqlite", "backup", "--to", "E:\\"]).command == "backup"
    for wrong in (["--lang", "fr"], ["--db"], ["--db", "--lang", "en"], ["--colour"]):
        with pytest.raises(SystemExit):  # argparse says what is wrong, as before
            main.parse(wrong)
