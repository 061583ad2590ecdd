import subprocess
import sys
from pathlib import Path

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
