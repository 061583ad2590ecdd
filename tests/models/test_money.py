import pytest
from hypothesis import given, strategies as st

from models import money


@pytest.mark.parametrize("text,fen", [
    ("12", 1200), ("12.5", 1250), ("12.50", 1250), ("0.05", 5), ("1,234.56", 123456),
    ("¥88", 8800), ("88元", 8800), ("１２．３", 1230), ("-3.20", -320), (" 7 ", 700),
])
def test_parse_reads_what_clerks_type(text, fen):
    assert money.parse(text) == fen


@pytest.mark.parametrize("text", ["", "abc", "12.345", "1.2.3", "12,5.0.", "--1", "1e3"])
def test_parse_refuses_what_is_not_an_amount(text):
    with pytest.raises(money.BadAmount):
        money.parse(text)


def test_format_shows_two_decimals():
    assert money.fmt(1250) == "12.50"
    assert money.fmt(5) == "0.05"
    assert money.fmt(-320) == "-3.20"
    assert money.fmt(123456789, grouping=True) == "1,234,567.89"


def test_format_refuses_floats():
    with pytest.raises(TypeError):
        money.fmt(12.5)


@given(st.integers(min_value=-money.MAX_FEN, max_value=money.MAX_FEN))
def test_format_then_parse_gives_back_the_same_fen(fen):
    assert money.parse(money.fmt(fen)) == fen


@pytest.mark.parametrize("fen,text", [
    (0, "零元整"),
    (5, "伍分"),
    (50, "伍角整"),
    (1000, "壹拾元整"),
    (1250, "壹拾贰元伍角整"),
    (12000, "壹佰贰拾元整"),
    (32504, "叁佰贰拾伍元零肆分"),  # 零 after 元 when 角 is 0 and 分 is not
    (100050, "壹仟元零伍角整"),  # one 零 for the run of zeros across 元
    (100100, "壹仟零壹元整"),
    (168032, "壹仟陆佰捌拾元零叁角贰分"),
    (10700053, "壹拾万零柒仟元零伍角叁分"),
    (11000000, "壹拾壹万元整"),
    (100000000, "壹佰万元整"),
    (10000000000, "壹亿元整"),
    (10001000100, "壹亿零壹万零壹元整"),
    (10000000100, "壹亿零壹元整"),
    (1001, "壹拾元零壹分"),
    (101, "壹元零壹分"),
    (110, "壹元壹角整"),
    (111, "壹元壹角壹分"),
])
def test_capital_amount_follows_the_bill_rules(fen, text):
    assert money.capital(fen) == text


def test_capital_amount_on_a_receipt_carries_the_prefix():
    assert money.capital(12000, prefix="人民币") == "人民币壹佰贰拾元整"


@given(st.integers(min_value=1, max_value=money.MAX_FEN))
def test_capital_amount_never_doubles_zero_nor_puts_zheng_after_fen(fen):
    text = money.capital(fen)
    assert "零零" not in text
    assert not text.endswith("分整")
    assert text.endswith("整") == (fen % 10 == 0)
    assert not text.startswith("零")
