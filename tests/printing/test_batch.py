import datetime
import re
import subprocess

import pytest
from pypdf import PdfReader

from models.announcements import NoticeText
from printing import announcement, batch, receipt
from printing.furniture import Letterhead, wrap
from printing import fonts

HEAD = Letterhead("翠湖花园物业服务中心", "深圳市南山区翠湖路88号", "0755-86001234")


def notice_for(n: int) -> NoticeText:
    return NoticeText("缴费通知", f"尊敬的{n}号业主：", f"您本期应缴物业服务费{n}.00元。", "", "翠湖花园物业服务中心",
                      datetime.date(2026, 11, 23))


def render(chunk, tick):
    return announcement.render_many(chunk, HEAD, tick=tick)


def test_a_batch_in_volumes_is_one_pdf_with_every_page_in_order(tmp_path):
    out = tmp_path / "notices.pdf"
    heard = []
    pages = batch.write(out, [notice_for(n) for n in range(1, 251)], render, per_volume=60, title="缴费通知",
                        report=heard.append)
    assert pages == 250
    assert heard == list(range(1, 251))
    reader = PdfReader(out)
    assert len(reader.pages) == 250
    for n in (1, 60, 61, 180, 250):  # the first and last page of volumes, and the very last
        text = reader.pages[n - 1].extract_text()
        assert f"尊敬的{n}号业主" in text and f"{n}.00元" in text, n
    assert reader.metadata.title == "缴费通知"


def test_each_volume_keeps_its_own_font_subset_under_its_own_name(tmp_path):
    out = tmp_path / "notices.pdf"
    batch.write(out, [notice_for(n) for n in range(1, 31)], render, per_volume=10)
    names = re.findall(rb"/BaseFont /([A-Z]{6}\+[^\s/]+)", out.read_bytes())
    subsets = [n for n in names if b"WenQuanYi" in n or b"Microsoft" in n or b"Sim" in n]
    assert len(subsets) == 3 and len(set(subsets)) == 3


def test_poppler_reads_the_joined_file_without_complaint(tmp_path):
    out = tmp_path / "notices.pdf"
    batch.write(out, [notice_for(n) for n in range(1, 41)], render, per_volume=15)
    r = subprocess.run(["pdftotext", "-f", "40", "-l", "40", str(out), "-"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr == ""
    assert "尊敬的40号业主" in r.stdout


def test_a_cancelled_batch_leaves_no_file(tmp_path):
    out = tmp_path / "notices.pdf"

    class Stop(Exception):
        pass

    def report(done):
        if done == 75:
            raise Stop()

    with pytest.raises(Stop):
        batch.write(out, [notice_for(n) for n in range(1, 201)], render, per_volume=50, report=report)
    assert list(tmp_path.iterdir()) == []


def test_documents_of_any_kind_join(tmp_path):
    lines = [receipt.ReceiptLine("物业服务费", 22375, "2026-10")]
    receipts = [receipt.render(receipt.ReceiptData(f"2026-{n:06d}", datetime.date(2026, 11, 23), "3-2-1201", "张三", lines),
                               HEAD, carbonless=True) for n in (7, 8)]
    out = tmp_path / "both.pdf"
    assert batch.join(receipts + [announcement.render(notice_for(3), HEAD)], out) == 3
    texts = [p.extract_text() for p in PdfReader(out).pages]
    assert "2026-000007" in texts[0] and "2026-000008" in texts[1] and "尊敬的3号业主" in texts[2]


def test_a_pdf_from_elsewhere_is_refused(tmp_path):
    with pytest.raises(batch.NotOurPdf):
        batch.join([b"%PDF-1.7\n1 0 obj<<>>endobj\nstartxref\n9\n%%EOF\n"], tmp_path / "x.pdf")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("text,width_chars,expected", [
    ("一二三四五六七八九十", 4, ["一二三四", "五六七八", "九十"]),
    # a closing mark never starts a line: the character before it comes down with it
    ("一二三四，五六", 4, ["一二三", "四，五六"]),
    ("一二三（四五六", 4, ["一二三", "（四五六"]),
    ("电话0755-86001234", 8, ["电话", "0755-86001234"]),
])
def test_lines_break_between_characters_but_not_before_a_closing_mark(text, width_chars, expected):
    font = fonts.register()
    assert wrap(text, font, 10, width_chars * 10 + 0.5) == expected
