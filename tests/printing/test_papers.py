"""The papers are assembled without Qt (printing/papers), in Chinese whatever language the
window speaks: what `main.py print` and the window both print."""
import datetime
import subprocess
import sys
from pathlib import Path

import pytest

from models import clock, estate, repairs
from printing import papers, words

ROOT = Path(__file__).resolve().parents[2]


def test_the_office_words_come_in_chinese_from_the_shipped_translation():
    assert words.zh(repairs.CATEGORIES["water"]) == "给排水"
    assert words.zh(repairs.URGENCY["urgent"]) == "紧急"
    assert words.zh("not an office word") == "not an office word"


@pytest.fixture
def repair(admin, clerk):
    b = estate.create_building(admin, "3")
    u = estate.create_unit(admin, b.id, "2")
    h = estate.create_house(admin, u.id, number="1201", area="89.5")
    with clock.frozen(datetime.datetime(2026, 11, 3, 9, 30)):
        r = repairs.report(clerk, reporter="张三", what="厨房水管漏水", category="water", urgency="urgent",
                           house_id=h.id, phone="13900001111", place="厨房")
    return repairs.get(clerk, r.id)


def test_a_work_order_reads_chinese_whatever_the_window_speaks(repair):
    rows = dict(papers.work_order(repair).rows)  # no Qt here: no translator to switch
    assert (rows["类别"], rows["紧急程度"]) == ("给排水", "紧急")
    assert rows["房号/地点"] == "3-2-1201 厨房" and rows["报修时间"] == "2026-11-03 09:30"


def test_the_papers_module_loads_without_qt():
    code = ("import sys; import printing.papers, printing.words; "
            "print(sorted(m for m in sys.modules if m.startswith('PySide6')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
