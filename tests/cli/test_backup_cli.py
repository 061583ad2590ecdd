"""The backup commands for scripts and Windows Task Scheduler: no window, exit 0 when done,
else exit 1 with one line on stderr saying why."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from models import db, estate, owners
from tests.conftest import PG_URL

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(bool(PG_URL), reason="a PC's SQLite file by its path; the server's command line: "
                                                     "test_backup_server.py")


def run(*args, env=None):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env={**os.environ, **(env or {})})


def test_backup_verify_and_restore_from_the_command_line(admin, house, tmp_path):
    owners.add_owner(admin, house.id, name="张三")
    live = Path(db.database.obj.database)
    db.close()
    usb = tmp_path / "usb"
    usb.mkdir()
    made = run("--db", str(live), "backup", "--to", str(usb), "--password-env", "BACKUP_PW",
               env={"BACKUP_PW": "门卫室"})
    assert made.returncode == 0 and made.stdout.startswith("ok: ") and made.stderr == ""
    [file] = usb.iterdir()
    checked = run("verify-backup", str(file), "--password-env", "BACKUP_PW", env={"BACKUP_PW": "门卫室"})
    assert checked.returncode == 0 and "1 houses, 1 owners" in checked.stdout
    wrong = run("verify-backup", str(file), "--password-env", "BACKUP_PW", env={"BACKUP_PW": "猜的"})
    assert wrong.returncode == 1 and wrong.stderr.count("\n") == 1 and "Wrong password" in wrong.stderr
    missing = run("--db", str(live), "backup", "--to", str(tmp_path / "no-such-stick"))
    assert missing.returncode == 1 and "is not there" in missing.stderr and "Traceback" not in missing.stderr
    db.connect(db.sqlite_url(live))
    estate.House.delete().where(estate.House.id != house.id).execute()
    owners.add_owner(admin, house.id, name="李四")
    db.close()
    restored = run("--db", str(live), "restore", str(file), "--password-env", "BACKUP_PW", "--user", "admin",
                   env={"BACKUP_PW": "门卫室", "ESTATEDESK_PASSWORD": "secret1"})
    assert restored.returncode == 0, restored.stderr
    db.connect(db.sqlite_url(live))
    assert [o.name for o in owners.Owner.select()] == ["张三"]
