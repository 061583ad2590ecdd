"""`main.py import` on lists as offices keep them: a wrong ID check character is named by row
and column (never "unexpected error"), the rows that are no houses are listed as left out,
and an .xls saved by another program imports like an .xlsx."""
import os
import subprocess
import sys
from pathlib import Path

import openpyxl

from models import estate, owners, validation

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "import"


def run(*args):
    env = {**os.environ, "ESTATEDESK_PASSWORD": "secret1", "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          timeout=180, cwd=ROOT, env=env)


def test_a_wrong_id_check_character_is_named_by_row_and_the_total_row_left_out(db_url, supervisor, tmp_path):
    first17 = "44030519851201002"
    good = first17 + validation.resident_id_check_char(first17)
    wrong = first17 + ("0" if good[-1] != "0" else "1")
    wb = openpyxl.Workbook()
    for r in (["房号", "面积", "业主", "身份证号"], ["3-2-1201", 89.5, "张三", wrong], ["合计", 89.5]):
        wb.active.append(r)
    wb.save(tmp_path / "list.xlsx")
    checked = run("--db", db_url, "import", "houses", str(tmp_path / "list.xlsx"), "--user", "zhao", "--dry-run")
    assert checked.returncode == 1
    assert checked.stdout.splitlines() == [
        "row 2\tD 身份证号\tThe last character of this ID number does not match; please check it",
        "row 3\t-\tLeft out: a total row (\"合计\")"]
    assert "unexpected error" not in checked.stderr and "row 2 D 身份证号" in checked.stderr
    assert estate.House.select().count() == 0


def test_an_xls_saved_by_libreoffice_imports_from_the_command_line(db_url, supervisor):
    done = run("--db", db_url, "import", "houses", str(DATA / "handover-libreoffice.xls"), "--user", "zhao")
    assert done.returncode == 0, done.stderr
    assert "6 rows checked and imported (houses 5, owners 7" in done.stdout
    assert "row 11\t-\tLeft out: a total row (\"小计\")" in done.stdout.splitlines()
    assert owners.Owner.get(owners.Owner.name == "赵六").phone == "13900012345"
