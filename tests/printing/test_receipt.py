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


# --- the layout on every paper (issue 14) ---------------------------------------------------

from printing.paper import PAPERS  # noqa: E402
from tests.printing import geometry  # noqa: E402

LONG_PAYER = "深圳市翠湖花园业主委员会代表张三李四王五"  # 20 characters
LONG_ITEM = "公共水电分摊（电梯、水泵、路灯、变压器损耗）"


def crowded(n_lines: int, **more) -> receipt.ReceiptData:
    """A receipt with everything long: the payer, an item name, the method, big amounts,
    the note; `n_lines` charge lines."""
    lines = [receipt.ReceiptLine(LONG_ITEM if n % 2 == 0 else "物业服务费", 1_234_567_89 + n, "2026-09至2026-11",
                                 "1,289.50 m² × 3 月", "0.3500 元/m²/月") for n in range(n_lines)]
    fields = dict(method="银行转账", cashier="欧阳晓明", note="实收 5,000,000.00 找零 1,234.56")
    fields.update(more)
    return receipt.ReceiptData("2026-000123", datetime.date(2026, 11, 23), "12-3-2801", LONG_PAYER, lines,
                               **fields)


def flat(page: geometry.Page) -> str:
    return "".join(r.text for r in page.runs).replace(" ", "")


def crossing_a_rule(page: geometry.Page, runs) -> list:
    """Runs that a horizontal rule of the table cuts through."""
    rules = [s.box for s in page.shapes if s.kind == "line" and s.box.y0 == s.box.y1]
    return [(r, rule.y0 / geometry.MM) for r in runs for rule in rules
            if r.box.x0 < rule.x1 and rule.x0 < r.box.x1 and r.box.y0 + 0.05 < rule.y0 < r.box.y1 - 0.05]


def assert_laid_out(page: geometry.Page, runs=None) -> None:
    runs = page.runs if runs is None else runs
    assert page.overlapping(runs) == []
    paper = geometry.Box(0, 0, page.width, page.height).grown(-5 * geometry.MM)
    assert [r for r in runs if not r.box.inside(paper)] == []
    assert crossing_a_rule(page, runs) == []


TEXTS = receipt.ReceiptTexts(footer="盖章有效，遗失不补；如有疑问请致电物业服务中心财务室")


@pytest.mark.parametrize("paper", list(PAPERS))
@pytest.mark.parametrize("payer", [LONG_PAYER, LONG_PAYER + "（代深圳市南山区翠湖花园三期业主缴纳）"],
                         ids=["payer_20_characters", "payer_36_characters"])
def test_long_names_on_a_receipt_stay_in_their_cells_on_every_paper(paper, payer):
    """A long payer beside 付款方式, an item name longer than its column, amounts in the
    millions: every field is set into its own room, none overprints another."""
    d = receipt.ReceiptData(**{**crowded(3).__dict__, "payer": payer})
    pdf = receipt.render(d, HEAD, paper=paper, carbonless=True, texts=TEXTS)
    [page] = geometry.pages(pdf)
    assert_laid_out(page)
    text = flat(page)
    for words in ("交款人" + payer, "付款方式银行转账", LONG_ITEM, "2026-09至2026-11", "1,234,567.89",
                  "1,234,567.91", "¥3,703,703.70", "人民币叁佰柒拾万零叁仟柒佰零叁元柒角整", "收款人：欧阳晓明",
                  "实收5,000,000.00找零1,234.56", "盖章有效，遗失不补", "房号12-3-2801", "No.2026-000123"):
        assert words in text, words


@pytest.mark.parametrize("paper", list(PAPERS))
def test_a_form_holds_exactly_the_lines_it_says_and_its_foot_stays_on_the_paper(paper):
    per_form = receipt.lines_per_form(paper)
    assert per_form >= 5  # even the third-height form takes five lines
    full = geometry.pages(receipt.render(crowded(per_form), HEAD, paper=paper, carbonless=True, texts=TEXTS))
    assert len(full) == 1
    assert_laid_out(full[0])
    assert "盖章有效" in flat(full[0]) and "¥" in flat(full[0])
    over = geometry.pages(receipt.render(crowded(per_form + 1), HEAD, paper=paper, carbonless=True, texts=TEXTS))
    assert len(over) == 2
    for page in over:
        assert_laid_out(page)
    assert len(geometry.pages(receipt.render(crowded(per_form + 1), HEAD, paper=paper, texts=TEXTS))) == 6


def test_forms_of_prenumbered_stock_show_their_own_numbers_and_the_receipt_they_continue():
    per_form = receipt.lines_per_form("CONT_THIRD")
    numbers = ("2026-000001", "2026-000002", "2026-000003")
    d = crowded(per_form * 2 + 1, form_numbers=numbers)
    d = receipt.ReceiptData(**{**d.__dict__, "number": "2026-000001"})

    def number_of(page) -> str:
        [run] = [r for r in page.runs if r.text.startswith("No. ")]
        return run.text.removeprefix("No. ")

    forms = geometry.pages(receipt.render(d, HEAD, paper="CONT_THIRD", carbonless=True))
    assert [number_of(p) for p in forms] == list(numbers)
    assert [("续No.2026-000001" in flat(p)) for p in forms] == [False, True, True]
    # three copies on plain stock: form k of each copy carries the k-th number
    plain = geometry.pages(receipt.render(d, HEAD, paper="CONT_THIRD"))
    assert [number_of(p) for p in plain] == list(numbers) * 3
    # a number for every form printed: each page its own
    every = tuple(f"2026-{n:06d}" for n in range(1, 10))
    d9 = receipt.ReceiptData(**{**d.__dict__, "form_numbers": every})
    assert [number_of(p) for p in geometry.pages(receipt.render(d9, HEAD, paper="CONT_THIRD"))] == list(every)
    # unnumbered forms: the receipt's number on every form, nothing continued
    d = receipt.ReceiptData(**{**d.__dict__, "form_numbers": ()})
    assert all("No.2026-000001" in flat(p) and "续" not in flat(p).replace("续下页", "")
               for p in geometry.pages(receipt.render(d, HEAD, paper="CONT_THIRD", carbonless=True)))


@pytest.mark.parametrize("paper", list(PAPERS))
@pytest.mark.parametrize("n_lines", [1, 4])
def test_a_void_receipt_is_stamped_solid_on_its_body_with_the_date_and_reason(paper, n_lines):
    d = crowded(n_lines, void=True, void_date=datetime.date(2026, 11, 24), void_reason="金额收错，已重开收据")
    [page] = geometry.pages(receipt.render(d, HEAD, paper=paper, carbonless=True, texts=TEXTS))
    stamp = page.one("作  废")
    details = page.find("作废日期") + page.find("原因")
    assert "作废日期 2026-11-24" in page.text and "原因：金额收错，已重开收据" in "".join(r.text for r in details)
    # on the body: under the table's head row, above the total
    heads = page.one("收费项目")
    total = page.find("合计(大写)")[0]
    for r in [stamp, *details]:
        assert r.box.y1 <= heads.box.y0 and r.box.y0 >= total.box.y1, r
        assert r.fill == (0.0, 0.0, 0.0) and r.alpha == 1.0  # solid black
        assert r.size >= (6 if r is not stamp else 12)
    assert all(s.alpha == 1.0 for s in page.shapes)
    # its box is opaque: what lies under it is covered, not overprinted
    [frame] = [s for s in page.shapes if s.kind == "rect" and s.fill == (1.0, 1.0, 1.0) and s.paint[0] in "Bf"]
    assert stamp.box.inside(frame.box) and all(r.box.inside(frame.box) for r in details)
    beside = [r for r in page.runs if not r.box.overlaps(frame.box)]
    assert_laid_out(page, beside)
    assert "¥" in "".join(r.text for r in beside) and LONG_ITEM[:4] in "".join(r.text for r in beside)


@pytest.mark.parametrize("paper", list(PAPERS))
def test_a_reprint_is_marked_large_and_boxed_where_nothing_else_is(paper):
    d = crowded(2, reprints=2)
    [page] = geometry.pages(receipt.render(d, HEAD, paper=paper, carbonless=True, texts=TEXTS))
    mark = page.one("补打(第2次)")
    body = page.one("房号 12-3-2801")
    assert mark.size >= 11 and mark.size > body.size
    boxes = [s.box for s in page.shapes if s.kind == "rect" and s.paint in ("S", "B") and mark.box.inside(s.box)]
    assert boxes and all(b.x1 - b.x0 < page.width / 2 for b in boxes)  # a box round the mark itself
    assert_laid_out(page)
    assert not any(b.overlaps(r.box) for b in boxes for r in page.runs if r is not mark)
