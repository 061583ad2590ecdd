"""The receipt read back from its PDF: what the payer and the books get on paper."""
import datetime
import io

import pytest
from pypdf import PdfReader

from printing import receipt
from printing.furniture import Letterhead
from printing.paper import Offsets

HEAD = Letterhead("翠湖花园物业服务中心", "深圳市南山区翠湖路88号", "0755-86001234")


def data(*amounts_fen, **more):
    lines = [receipt.ReceiptLine("物业服务费", a, "2026-10", "89.50 m² × 1 月", "2.5000 元/m²/月")
             for a in amounts_fen]
    return receipt.ReceiptData("2026-000123", datetime.date(2026, 11, 23), "3-2-1201", "张三", lines,
                               cashier="李娜", **more)


def pages(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("fen,figures,capital", [
    (5, "0.05", "人民币伍分"),
    (1000, "10.00", "人民币壹拾元整"),
    (10050, "100.50", "人民币壹佰元零伍角整"),
    (100000000, "1,000,000.00", "人民币壹佰万元整"),
    (101001, "1,010.01", "人民币壹仟零壹拾元零壹分"),
    (2000000009, "20,000,000.09", "人民币贰仟万元零玖分"),
])
def test_the_total_is_printed_in_figures_and_in_capitals(fen, figures, capital):
    [first, *_] = pages(receipt.render(data(fen), HEAD))
    assert "¥" + figures in first
    assert "合计(大写) " + capital in first


def test_plain_paper_gets_three_labelled_copies_with_the_same_content():
    texts = pages(receipt.render(data(22375, 4650), HEAD))
    assert [t for t in texts if "第一联 存根" in t] == [texts[0]]
    assert "第二联 收据" in texts[1] and "第三联 记账" in texts[2]
    for t in texts:
        for word in ("No. 2026-000123", "日期 2026-11-23", "房号 3-2-1201", "交款人 张三", "收款人：李娜",
                     "223.75", "46.50", "¥270.25", "人民币贰佰柒拾元零贰角伍分", "翠湖花园物业服务中心",
                     "0755-86001234"):
            assert word in t, word


def test_the_office_words_its_receipts_in_settings(admin):
    from models import settings
    from models.errors import ValidationError

    settings.update({"receipt_title": "物业费收据", "receipt_signatures": "经手人 {cashier}  业主签名",
                     "receipt_footer": "盖章有效，遗失不补"}, user=admin)
    texts = receipt.ReceiptTexts.from_settings(settings.all_values())
    [page] = pages(receipt.render(data(22375), HEAD, carbonless=True, texts=texts))
    assert "物业费收据" in page and "经手人 李娜" in page and "业主签名" in page and "盖章有效，遗失不补" in page
    assert "收款人" not in page
    for bad in ({"receipt_signatures": "{payer}"}, {"receipt_title": " "}):
        with pytest.raises(ValidationError):
            settings.update(bad, user=admin)
    assert settings.get("receipt_title") == "物业费收据"


def test_carbonless_stock_is_printed_once_without_copy_labels():
    [only] = pages(receipt.render(data(22375), HEAD, paper="A5", carbonless=True))
    assert "联" not in only and "¥223.75" in only


def test_void_and_reprint_marks_are_on_every_copy():
    texts = pages(receipt.render(data(22375, void=True, reprints=2), HEAD))
    assert all("作  废" in t and "补打(第2次)" in t for t in texts)
    assert not any("作  废" in t or "补打" in t for t in pages(receipt.render(data(22375), HEAD)))


def test_more_lines_than_a_form_holds_continue_on_the_next_form_never_cut_off():
    # five lines fit a third-height form: seven go on two forms per copy, six forms in all
    texts = pages(receipt.render(data(*[100 + n for n in range(7)]), HEAD, paper="CONT_THIRD"))
    assert len(texts) == 6
    assert "第1页/共2页" in texts[0] and "续下页" in texts[0] and "合计" not in texts[0]
    assert "第2页/共2页" in texts[1] and "¥7.21" in texts[1]  # the total once, on the last form
    assert "第一联 存根" in texts[0] and "第一联 存根" in texts[1] and "第二联 收据" in texts[2]
    shown = "".join(texts[:2])
    assert all(money_text in shown for money_text in ("1.00", "1.01", "1.06"))  # every line on some form
    assert len(pages(receipt.render(data(*[100] * 6), HEAD, paper="CONT_HALF"))) == 3  # a half form holds six


def _position_of(pdf: bytes, word: str) -> tuple[float, float]:
    found = []

    def visit(text, cm, tm, font_dict, font_size):
        if word in text:  # where the text lands on the page: the text matrix through the CTM
            x, y = tm[4], tm[5]
            found.append((cm[0] * x + cm[2] * y + cm[4], cm[1] * x + cm[3] * y + cm[5]))
    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found[0]


def test_printer_offsets_move_the_text_by_the_given_millimetres():
    mm = 72 / 25.4
    plain = _position_of(receipt.render(data(22375), HEAD), "房号 3-2-1201")
    moved = _position_of(receipt.render(data(22375), HEAD, offsets=Offsets(x_mm=3, y_mm=-2)), "房号 3-2-1201")
    assert moved[0] - plain[0] == pytest.approx(3 * mm, abs=0.01)
    assert moved[1] - plain[1] == pytest.approx(2 * mm, abs=0.01)  # y_mm negative: up the page


def test_the_calibration_page_states_the_offsets_and_moves_with_them():
    from printing import calibration

    plain = calibration.render("A4")
    moved = calibration.render("A4", Offsets(x_mm=-1.5, y_mm=2))
    text = PdfReader(io.BytesIO(moved)).pages[0].extract_text()
    assert "当前偏移：水平 -1.5 mm，垂直 +2.0 mm" in text and "20 mm" in text
    mm = 72 / 25.4
    a, b = _position_of(plain, "当前偏移"), _position_of(moved, "当前偏移")
    assert b[0] - a[0] == pytest.approx(-1.5 * mm, abs=0.01) and a[1] - b[1] == pytest.approx(2 * mm, abs=0.01)
