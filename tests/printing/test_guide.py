"""The clerk's guide (操作手册): every chapter in Chinese and in English, every picture it
shows installed, every label it names the window's own, and the printable PDF with each
chapter on its own pages in the Chinese TrueType font."""
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader

from printing import guide

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "estatedesk_zh_CN.ts"
# Qt's own buttons (QDialogButtonBox, QMessageBox), translated by Qt's qtbase catalogue
QT_BUTTONS = {"zh_CN": {"保存", "取消", "是", "否", "确定"}, "en": {"Save", "Cancel", "Yes", "No", "OK"}}


def test_every_chapter_is_written_in_chinese_and_in_english():
    order = guide.index()["chapters"]
    for lang in guide.LANGUAGES:
        written = sorted(p.name for p in (guide.GUIDE / lang).glob("*.md"))
        assert written == sorted(order), lang  # none missing, none left out of the order
    zh, en = guide.chapters("zh_CN"), guide.chapters("en")
    assert [c.key for c in zh] == [c.key for c in en] and len(zh) >= 15
    assert [c.path.parent.name for c in en] == ["en"] * len(en)
    for z, e in zip(zh, en):
        assert re.search(r"[\u4e00-\u9fff]", z.title), z.path  # a Chinese title
        assert e.title.isascii() and e.title != z.title, e.path  # translated, not copied


def test_every_page_key_names_a_chapter_of_its_own():
    pages = guide.index()["pages"]
    opening = guide.index()["chapters"][0]
    assert opening not in pages.values()
    for key, name in pages.items():
        assert name in guide.index()["chapters"], key
    assert guide.chapter_for("counter", "zh_CN").title == "收费"
    assert guide.chapter_for("counter", "en").title == "Counter"
    assert guide.chapter_for("day_close", "en").key == "day-close"
    # a page without a chapter of its own (or none at all): the opening chapter
    assert guide.chapter_for("no-such-page", "zh_CN").title == "开始使用"
    assert guide.chapter_for(None, "fr").title == "开始使用"  # a language it is not written in: Chinese


@pytest.mark.parametrize("lang", guide.LANGUAGES)
def test_every_picture_a_chapter_shows_is_installed(lang):
    missing = {}
    for chapter in guide.chapters(lang):
        assert chapter.images, f"{chapter.path.name} shows no screenshot"
        gone = [str(p) for p in chapter.images if not p.is_file() or p.parent != guide.IMAGES.resolve()]
        if gone:
            missing[chapter.path.name] = gone
    assert missing == {}


def test_no_picture_is_installed_that_no_chapter_shows():
    shown = {p.name for lang in guide.LANGUAGES for c in guide.chapters(lang) for p in c.images}
    assert sorted(p.name for p in guide.IMAGES.glob("*.png")) == sorted(shown)


def _plain(text: str) -> str:
    """A window's label without its keyboard accelerator: 文件(&F) → 文件, &File → File."""
    return re.sub(r"\(&\w\)", "", text).replace("&", "")


def window_words() -> dict[str, set[str]]:
    words = {"zh_CN": set(QT_BUTTONS["zh_CN"]), "en": set(QT_BUTTONS["en"])}
    for m in ET.parse(TS).getroot().iter("message"):
        words["en"].add(_plain(m.findtext("source") or ""))
        t = m.find("translation")
        words["zh_CN"] |= {_plain(x) for x in [t.text, *(n.text for n in t.findall("numerusform"))] if x}
    return words


@pytest.mark.parametrize("lang", guide.LANGUAGES)
def test_the_labels_a_chapter_names_are_the_windows_own(lang):
    """A **label** in a chapter is a button, field, tab or page as the window writes it in
    that language: a label renamed in the code fails here until the guide follows."""
    words = window_words()[lang]
    wrong = {}
    for chapter in guide.chapters(lang):
        text = re.sub(r"`[^`]*`", "", chapter.markdown)  # `keys`, `3-2-1201`, `110****1234` are no labels
        unknown = sorted({b for b in re.findall(r"\*\*(.+?)\*\*", text) if b not in words})
        if unknown:
            wrong[chapter.path.name] = unknown
    assert wrong == {}


def test_the_markdown_the_chapters_use_is_read_into_blocks():
    text = ("# 收费\n\n收费员的柜台：\n找到房屋。\n\n![收费](../images/counter.png)\n\n"
            "1. 输入 `3-2-1201`，按 `Enter`。\n2. 托管房屋的钥匙：\n   - 业主本人：核对身份证。\n"
            "   - 其他人：须有委托书。\n\n- 规定一\n\n| 按键 | 作用 |\n|---|---|\n| `F9` | **收款** |\n")
    blocks = guide.blocks(text)
    assert [b.kind for b in blocks] == ["h1", "p", "img", "ol", "ul", "table"]
    assert blocks[1].text == "收费员的柜台：找到房屋。"  # Chinese lines run on without a space
    assert blocks[2].target == "../images/counter.png"
    assert blocks[3].items == [("输入 `3-2-1201`，按 `Enter`。", []),
                               ("托管房屋的钥匙：", ["业主本人：核对身份证。", "其他人：须有委托书。"])]
    assert blocks[5].items == [["按键", "作用"], ["`F9`", "**收款**"]]
    markup = guide.inline(blocks[5].items[1][1] + " a<b", "EstateDeskCJK")
    assert guide.LABEL_COLOUR in markup and "收款" in markup and "a&lt;b" in markup


def _pdf(tmp_path, lang) -> Path:
    out = tmp_path / f"guide-{lang}.pdf"
    if lang == "en":  # as the build makes it: python -m printing.guide OUT.pdf --lang en
        done = subprocess.run([sys.executable, "-m", "printing.guide", str(out), "--lang", "en"], cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == str(out)
    else:
        assert guide.build_pdf(out, lang) == out
    return out


@pytest.mark.parametrize("lang", guide.LANGUAGES)
def test_the_printed_guide_starts_each_chapter_on_a_page_of_its_own(tmp_path, lang):
    reader = PdfReader(str(_pdf(tmp_path, lang)))
    texts = [page.extract_text() for page in reader.pages]
    chapters = guide.chapters(lang)
    assert len(texts) >= len(chapters) + 2  # the title page and the contents besides
    title = "物业服务台" if lang == "zh_CN" else "EstateDesk"
    assert texts[0].lstrip().startswith(title)
    contents = texts[1]
    started = []
    for chapter in chapters:
        assert chapter.title in contents, chapter.title
        pages = [n for n, t in enumerate(texts) if t.strip().splitlines()[0].strip() == chapter.title]
        assert pages, f"no page begins with {chapter.title}"
        started.append(pages[0])
    assert started == sorted(started) and len(set(started)) == len(started)  # in order, each its own
    # the page numbers at the foot, counted to the end
    last = texts[-1]
    assert (f"第 {len(texts)} 页 / 共 {len(texts)} 页" if lang == "zh_CN" else f"Page {len(texts)} of {len(texts)}") \
        in last
    if lang == "zh_CN":
        assert "收款并出收据 (F9)" in "".join(texts)  # Chinese reads back as characters
    # the Chinese TrueType font travels inside the PDF (a built-in CID font prints boxes)
    fonts = [f.get_object() for f in reader.pages[started[0]]["/Resources"]["/Font"].values()]
    truetype = [f for f in fonts if f["/Subtype"] == "/TrueType"]
    assert truetype and all("/FontFile2" in f["/FontDescriptor"].get_object() for f in truetype)
    # every chapter's pictures are in it, each inside the page's text width
    assert sum(len(page.images) for page in reader.pages) >= sum(len(c.images) for c in chapters)
    width = float(reader.pages[0].mediabox.width)
    drawn = [box for page in reader.pages for box in _image_boxes(page)]
    assert len(drawn) >= sum(len(c.images) for c in chapters)
    assert all(15 <= x0 and x1 <= width - 15 and x1 - x0 > 100 for x0, x1 in drawn)


def _image_boxes(page) -> list[tuple[float, float]]:
    """Where each picture of the page is drawn, from left to right edge in points: an
    image fills the unit square of the transformation in force when it is painted (Do)."""
    found = []

    def before(op, args, cm, tm):
        if op == b"Do":
            found.append((cm[4], cm[4] + cm[0]))

    page.extract_text(visitor_operand_before=before)
    return found
