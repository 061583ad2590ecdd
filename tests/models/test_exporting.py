"""Excel out: typed cells (money exact to the fen with two decimals, dates as dates, codes as
text), lists as shown on screen, and the standard reports read back from the file."""
import datetime
from decimal import Decimal

import openpyxl
import pytest

from models import billing, cashier as cash, clock, estate, exporting, fees, owners
from models.cashier import Pick
from models.exporting import Col


def read_back(path):
    wb = openpyxl.load_workbook(path)
    return wb.active


def test_columns_are_written_with_their_types(tmp_path):
    path = exporting.write(tmp_path / "list", "测试", [Col("房号"), Col("金额", "money"), Col("面积", "area"),
                                                     Col("日期", "date"), Col("月数", "int")],
                           [("3-2-1201", 30, 8950, datetime.date(2026, 11, 23), 3),
                            ("3-2-1202", 123456789, 1, None, 0)], subtitle="截至今天")
    assert path.name == "list.xlsx" and not list(tmp_path.glob("*.partial"))
    ws = read_back(path)
    assert ws["A1"].value == "测试" and ws["A2"].value == "截至今天"
    assert [c.value for c in ws[3]] == ["房号", "金额", "面积", "日期", "月数"]
    a, money, area, day, months = ws[4]
    assert a.value == "3-2-1201" and a.data_type == "s"
    assert money.value == pytest.approx(0.3) and money.number_format == "#,##0.00"
    assert Decimal(str(ws["B5"].value)) == Decimal("1234567.89")  # written exactly, not via a float sum
    assert area.value == pytest.approx(89.5) and area.number_format == "0.00"
    assert isinstance(day.value, datetime.datetime) and day.value.date() == datetime.date(2026, 11, 23)
    assert day.number_format == "yyyy-mm-dd"
    assert months.value == 3 and isinstance(months.value, int)
    assert ws.freeze_panes == "A4"


@pytest.mark.parametrize("shown, value, kind", [
    ("1,234.50", Decimal("1234.50"), "money"), ("-0.30", Decimal("-0.30"), "money"),
    ("2026-11-23", datetime.date(2026, 11, 23), "date"),
    ("2026-11-23 09:30", datetime.datetime(2026, 11, 23, 9, 30), "datetime"),
    ("42", 42, "int"), ("0", 0, "int"),
    ("13800138000", "13800138000", "text"),  # a phone stays text: every digit kept
    ("075588886666", "075588886666", "text"), ("0012", "0012", "text"),
    ("110105199003071234", "110105199003071234", "text"),
    ("3-2-1201", "3-2-1201", "text"), ("2026-13-45", "2026-13-45", "text"), ("", None, "text"),
    ("138****1234", "138****1234", "text"),
])
def test_what_a_list_shows_is_typed(shown, value, kind):
    assert exporting.typed(shown) == (value, kind)


def test_a_list_as_shown(tmp_path, clerk):
    path = exporting.write_shown(tmp_path / "shown.xlsx", "欠费", ["房号", "电话", "欠费"],
                                 [["3-2-1201", "13800138000", "1,234.50"]], user=clerk)
    ws = read_back(path)
    assert [c.value for c in ws[3]] == ["3-2-1201", "13800138000", 1234.5]
    assert ws["C3"].number_format == "#,##0.00"


def test_an_export_that_cannot_be_written_leaves_nothing(tmp_path):
    from models.errors import OfficeError

    with pytest.raises(OfficeError):
        exporting.write(tmp_path / "no-such-folder" / "x.xlsx", "t", [Col("a")], [("b",)])


@pytest.fixture
def paid_house(admin, supervisor, house, cashier):
    fees.update_item(supervisor, "service", unit_price="2.5000")
    fees.subscribe(supervisor, house.id, "service", starts=datetime.date(2026, 1, 1))
    owners.add_owner(supervisor, house.id, name="张三")
    with clock.frozen(datetime.datetime(2026, 10, 1, 9)):
        billing.post(cashier, "2026-10")
    with clock.frozen(datetime.datetime(2026, 11, 1, 9)):
        billing.post(cashier, "2026-11")
    with clock.frozen(datetime.datetime(2026, 11, 10, 10)):
        oct_line = [o for o in cash.owed(cashier, house.id) if o.charge.period == "2026-10"][0]
        receipt = cash.take_payment(cashier, house.id, [Pick(oct_line.charge.id)], "wechat", payer="张三")
    return house, receipt


def test_the_standard_reports(tmp_path, paid_house, supervisor, cashier):
    house, receipt = paid_house
    with clock.frozen(datetime.datetime(2026, 11, 20, 9)):
        ws = read_back(exporting.arrears_report(supervisor, tmp_path / "arrears.xlsx"))
        rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
        assert rows == [["3-2-1201", "张三", 1, "2026-11", 223.75], ["合计", None, None, None, 223.75]]

        ws = read_back(exporting.collection_report(supervisor, tmp_path / "collection.xlsx", "2026-10"))
        item = [c.value for c in ws[4]]
        assert item[:3] == ["物业服务费", 223.75, 223.75] and item[3] == 1 and ws["D4"].number_format == "0.0%"
        goal = [[c.value for c in r] for r in ws.iter_rows(min_row=4) if r[0].value == "收缴率目标"]
        assert goal == [["收缴率目标", None, None, 0.96]]  # the office's target (setting), beside the rate
        assert "目标 96%，已达标" in " ".join(str(c.value) for c in ws[2] if c.value)

        ws = read_back(exporting.day_close_report(supervisor, tmp_path / "day.xlsx", cashier.id,
                                                  datetime.date(2026, 11, 10), label=lambda s: {"WeChat Pay": "微信"}.get(s, s)))
        first = [c.value for c in ws[4]]
        assert first[0] == receipt.number_text and first[2] == "3-2-1201" and first[4] == "微信"
        assert first[5] == pytest.approx(receipt.total / 100)
        total = [[c.value for c in r] for r in ws.iter_rows(min_row=4) if r[0].value == "合计"]
        assert total[0][5] == pytest.approx(receipt.total / 100)

    ws = read_back(exporting.houses(supervisor, tmp_path / "houses.xlsx", label=lambda s: s))
    assert [c.value for c in ws[4]][:5] == ["3-2-1201", 89.5, "Residence", "Owner-occupied", "张三"]
    assert estate.House.select().count() == 1


def test_text_that_looks_like_a_formula_or_holds_control_characters_stays_text(tmp_path, clerk):
    path = exporting.write_shown(tmp_path / "notes.xlsx", "备注", ["房号", "备注"],
                                 [["3-2-1201", "=== 重要 ==="], ["3-2-1202", "漏水\x07，已报修"]], user=clerk)
    ws = read_back(path)
    assert ws["B3"].value == "=== 重要 ===" and ws["B3"].data_type == "s"
    assert ws["B4"].value == "漏水，已报修"
