"""`main.py import` and `main.py export` for scripts: no window, exit 0 when done, else 1
with one line on stderr; an import's problems listed by row and column, nothing written."""
import os
import subprocess
import sys
from pathlib import Path

import openpyxl

from models import estate, owners, validation

ROOT = Path(__file__).resolve().parents[2]


def run(*args, password="secret1"):
    env = {**os.environ, "ESTATEDESK_PASSWORD": password, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          timeout=180, cwd=ROOT, env=env)


def sheet(path, rows):
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return str(path)


def test_import_then_export_from_the_command_line(db_url, supervisor, clerk, tmp_path):
    first17 = "44030519851201002"
    good_id = first17 + validation.resident_id_check_char(first17)
    bad = sheet(tmp_path / "list.xlsx", [["室号", "面积", "业主", "身份证号"],
                                         ["3-2-1201", 89.5, "张三", good_id],
                                         ["3-2-1202", "八十", "李四", ""]])
    checked = run("--db", db_url, "import", "houses", bad, "--user", "zhao", "--column", "house=室号", "--dry-run")
    assert checked.returncode == 1
    assert checked.stdout.splitlines() == ["row 3\tB 面积\t\"八十\" is not a number"]
    assert checked.stderr.count("\n") == 1 and "nothing written" in checked.stderr
    refused = run("--db", db_url, "import", "houses", bad, "--user", "wang", "--column", "house=室号")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr  # a clerk may not add houses
    wrong = run("--db", db_url, "import", "houses", bad, "--user", "zhao", "--column", "房号=室号")
    assert wrong.returncode == 1 and "no such key" in wrong.stderr
    assert estate.House.select().count() == 0

    good = sheet(tmp_path / "good.xlsx", [["室号", "面积", "业主", "身份证号"], ["3-2-1201", 89.5, "张三", good_id],
                                          ["3-2-1202", "80", "李四", ""]])
    done = run("--db", db_url, "import", "houses", good, "--user", "zhao", "--column", "house=室号")
    assert done.returncode == 0, done.stderr
    assert "2 rows checked and imported (houses 2, owners 2" in done.stdout
    assert sorted(o.name for o in owners.Owner.select()) == ["张三", "李四"]

    out = tmp_path / "houses.xlsx"
    exported = run("--db", db_url, "export", "houses", "--to", str(out), "--user", "wang")
    assert exported.returncode == 0, exported.stderr
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[4]][:5] == ["3-2-1201", 89.5, "住宅", "未交付", "张三"]

    not_allowed = run("--db", db_url, "export", "arrears", "--to", str(tmp_path / "a.xlsx"), "--user", "wang",
                      password="guess")
    assert not_allowed.returncode == 1 and "Wrong user name or password" in not_allowed.stderr
    assert not (tmp_path / "a.xlsx").exists()
