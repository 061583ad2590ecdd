"""The line breaker every document uses: Chinese text breaks between any two characters,
but a closing mark (，。）…) never starts a line and an opening one (（《“) never ends one
(禁则), even when they come in runs like "）。" or the two-character ellipsis "……"."""
import re

from hypothesis import given, settings, strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth

from printing import fonts
from printing.furniture import _NO_END, _NO_START, _clusters, fit, wrap

SIZE = 10
TEXTS = [
    "因市政供水管网检修，定于本周六9:00至15:00暂停供水……请各位业主提前储水。",
    "如有疑问（例如停水时间、范围等），请致电物业服务中心（电话0755-86001234）。谢谢！",
    "“小区公告”：《业主公约》第三条规定——装修须申请；违者整改……",
    "维修项目：更换水龙头（含材料）），费用按价目表收取。。。",
    "业主张三（3-2-1201）说：“电梯又坏了！”物业回复：“已报修。”",
    "Please call 0755-86001234 (office hours) or visit us, thank you.",
]


def check(text: str, width: float, first_indent: float = 0) -> list[str]:
    font = fonts.register()
    lines = wrap(text, font, SIZE, width, first_indent)
    # nothing lost or added: only the spaces where a line breaks are dropped
    assert re.sub(r"\s", "", "".join(lines)) == re.sub(r"\s", "", text)
    for n, line in enumerate(lines):
        if n > 0:
            assert line[:1] not in _NO_START, (width, lines)
            assert not line[:1].isspace(), (width, lines)
        if n < len(lines) - 1:
            assert line[-1:] not in _NO_END, (width, lines)
        limit = width - (first_indent if n == 0 else 0)
        assert stringWidth(line, font, SIZE) <= limit + 0.01, (width, line)
    return lines


def test_no_line_starts_with_a_closing_mark_nor_ends_with_an_opening_one_at_any_width():
    # every width from five characters to the whole text, a quarter point at a time
    font = fonts.register()
    for text in TEXTS:
        whole = stringWidth(text, font, SIZE)
        width = 5 * SIZE
        while width <= whole + SIZE:
            check(text, width)
            check(text, width, first_indent=2 * SIZE)
            width += 0.25


def test_a_run_of_closing_marks_takes_the_character_before_it_down():
    font = fonts.register()
    assert wrap("一二三）。四五", font, SIZE, 4 * SIZE + 0.5) == ["一二", "三）。四", "五"]
    assert wrap("一二三……四五", font, SIZE, 4 * SIZE + 0.5) == ["一二", "三……四", "五"]
    assert wrap("一二三四（五）", font, SIZE, 4 * SIZE + 0.5) == ["一二三四", "（五）"]


PIECES = st.sampled_from(list("一二三四五六七八九十测试物业服务") + list("，。、）」…—！？") + list("（《「“")
                         + ["ab", "12", " ", "……", "）。", "”。"])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=40), st.integers(min_value=0, max_value=40))
def test_any_text_at_any_width_breaks_by_the_rules(pieces, extra_quarters):
    text = "".join(pieces).strip() or "一"
    # the rules can be kept whenever a line is wider than the longest run that may not be
    # broken (a character with its marks); make it so
    font = fonts.register()
    widest = max(stringWidth(piece, font, SIZE) for piece in _clusters(text))
    width = max(8 * SIZE, widest) + extra_quarters * SIZE / 4
    lines = check(text, width)
    assert lines[0][:1] not in _NO_START or text[:1] in _NO_START  # only where the text itself begins so


def test_a_closing_mark_after_two_spaces_still_holds_on_to_the_word_before():
    font = fonts.register()
    lines = wrap("一" * 15 + "  ，", font, SIZE, 8 * SIZE)
    assert all(line[:1] not in _NO_START for line in lines), lines


def test_a_word_wider_than_the_line_is_cut_rather_than_run_over():
    font = fonts.register()
    lines = wrap("运单号SF12345678901234567890", font, SIZE, 5 * SIZE)
    assert "".join(lines) == "运单号SF12345678901234567890"
    assert all(stringWidth(line, font, SIZE) <= 5 * SIZE for line in lines)


def test_fitted_text_never_leaves_its_box():
    font = fonts.register()
    for text in TEXTS + ["一" * 400]:
        for width, height, lines in ((60, 12, 1), (90, 20, 2), (200, 9, 1)):
            f = fit(text, font, 9, width, height, min_size=6, max_lines=lines)
            assert len(f.lines) <= lines and f.height(font) <= height + 0.01
            assert all(stringWidth(line, font, f.size) <= width + 0.01 for line in f.lines)
