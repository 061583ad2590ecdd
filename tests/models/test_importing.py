"""Excel import: the cell parsers (messy cells, fuzzed), the header search and mapping, the
dry run listing every problem by row and column, and all-or-nothing writes of houses and
owners, residents and opening balances."""
import datetime

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from models import audit, cashier as cashier_mod, clock, estate, fees, importing, owners, search, validation
from models.billing import Charge
from models.errors import OfficeError, PermissionDenied
from models.importing import CellError


def an_id(first17="11010519900307123"):
    return first17 + validation.resident_id_check_char(first17)


# --- cells -----------------------------------------------------------------------------------

@pytest.mark.parametrize("value, fen", [
    (1234.5, 123450), ("¥1,234.50", 123450), ("1,234,567", 123456700), ("89,5", None), ("1,23", None), ("１２３４．５元", 123450), (" 12 ", 1200), (None, 0), ("", 0),
    ("(12.50)", -1250), ("-3", -300), (0.1 + 0.2, 30), ("12.345", None), ("十二", None), (True, None),
])
def test_money_cells(value, fen):
    if fen is None:
        with pytest.raises(CellError):
            importing.money(value)
    else:
        assert importing.money(value) == fen


@pytest.mark.parametrize("value, hundredths", [
    (89.5, 8950), ("89.50㎡", 8950), ("８９．５平方米", 8950), (120, 12000), ("  89.5 m² ", 8950),
    (0, None), ("", None), ("-3", None), ("89.555", None), ("大约90", None),
])
def test_area_cells(value, hundredths):
    if hundredths is None:
        with pytest.raises(CellError):
            importing.area(value)
    else:
        assert importing.area(value) == hundredths


@pytest.mark.parametrize("value, day", [
    (datetime.datetime(2020, 5, 1, 0, 0), datetime.date(2020, 5, 1)), (43952, datetime.date(2020, 5, 1)),
    (43952.75, datetime.date(2020, 5, 1)), ("2020-05-01", datetime.date(2020, 5, 1)),
    ("2020/5/1", datetime.date(2020, 5, 1)), ("2020.5.1", datetime.date(2020, 5, 1)),
    ("2020年5月1日", datetime.date(2020, 5, 1)), ("２０２０年５月１日", datetime.date(2020, 5, 1)),
    ("20200501", datetime.date(2020, 5, 1)), (20200501, datetime.date(2020, 5, 1)),
    ("2020-05-01 14:30", datetime.date(2020, 5, 1)), (None, None), ("", None),
])
def test_date_cells(value, day):
    assert importing.date(value) == day


@pytest.mark.parametrize("value", ["2020-02-30", "5/1/2020", "明年", -1, 3e9, 2020, 202005, 1000])
def test_dates_that_are_not(value):
    with pytest.raises(CellError):
        importing.date(value)


def test_an_id_number_excel_stored_as_a_number():
    good = an_id("11010519900307456")
    assert good[17] != "X"
    assert importing.id_number(int(good)) == good  # exact digits, as other programs write them
    digits_kept = int(good[:15] + "000")  # what Excel keeps of an 18-digit number
    with pytest.raises(CellError) as e:
        importing.id_number(float(digits_kept))
    assert "15" in e.value.template
    assert importing.id_number(" " + good.lower() + " ") == good.upper()
    # a float has lost digits past the 15th even when what is left passes the check character
    distorted = float(110101199003014968)
    assert str(int(distorted)) == "110101199003014976"
    assert validation.id_number_error("resident_id", str(int(distorted))) is None
    with pytest.raises(CellError):
        importing.id_number(distorted)


def test_phones_stored_as_numbers_and_typed_with_dashes():
    assert importing.phone(13800138000) == "13800138000"
    assert importing.phone(13800138000.0) == "13800138000"
    assert importing.phone("0755－8888 6666") == "075588886666"
    with pytest.raises(CellError):
        importing.phone("12345")


@pytest.mark.parametrize("value, building, unit, label", [
    ("3-2-1201", None, None, "3-2-1201"), ("３栋２单元１２０１室", None, None, "3-2-1201"),
    ("3#2-1201", None, None, "3-2-1201"), (1201, "3号楼", "2单元", "3-2-1201"), ("1201室", 3, 2.0, "3-2-1201"),
    ("a-1-101", None, None, "A-1-101"),
])
def test_house_cells(value, building, unit, label):
    assert importing.house_label(value, building, unit) == label


@pytest.mark.parametrize("value", ["", None, "三栋", "3-2-1201-9", "3-2-123456789"])
def test_houses_that_are_not(value):
    with pytest.raises(CellError):
        importing.house_label(value)


def test_text_cells():
    assert importing.text("  张 三  ") == "张三"
    assert importing.text("Li  Ming") == "Li Ming"
    assert importing.text(1201.0) == "1201"
    assert importing.text("ＡＢＣ\u200b") == "ABC"
    assert importing.clean_header("建筑面积（㎡）") == "建筑面积"
    assert importing.clean_header(" 房 号 ") == "房号"


def test_periods():
    assert importing.period("2026年11月") == "2026-11"
    assert importing.period(202611) == "2026-11"
    assert importing.period(datetime.date(2026, 3, 9)) == "2026-03"
    assert importing.period("2026/3") == "2026-03"
    with pytest.raises(CellError):
        importing.period("2026-13")
    with pytest.raises(CellError):
        importing.period(2026.1)  # 2026.10 typed into a number cell: October or January? refused
    with pytest.raises(CellError):
        importing.period(2026)


# the parsers take whatever a cell may hold and either read it or say why not: nothing else
cells = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10 ** 20, max_value=10 ** 20),
                  st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
                  st.dates().map(lambda d: d), st.datetimes())


@given(cells)
@hsettings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_fuzzed_cells_are_read_or_refused_in_words(value):
    for parse in (importing.money, importing.area, importing.date, importing.period, importing.id_number,
                  importing.phone, importing.house_label, importing.text, importing.resident_kind,
                  importing.house_state, importing.names, importing.phones, importing.id_numbers):
        try:
            parse(value)
        except CellError as e:
            assert e.template  # a message for the clerk


@given(st.integers(min_value=-10 ** 11, max_value=10 ** 11), st.sampled_from(["{}", "¥{}", "{}元", " {} "]),
       st.booleans())
@hsettings(max_examples=300, deadline=None)
def test_fuzzed_money_round_trips(fen, shape, commas):
    yuan = f"{abs(fen) // 100:,}" if commas else f"{abs(fen) // 100}"
    typed = ("-" if fen < 0 else "") + yuan + f".{abs(fen) % 100:02d}"
    assert importing.money(shape.format(typed)) == fen
    assert importing.money(fen / 100) == fen  # a number cell: the float Excel holds


@given(st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(9999, 12, 31)),
       st.sampled_from(["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y%m%d", "%Y.%m.%d"]))
@hsettings(max_examples=300, deadline=None)
def test_fuzzed_dates_round_trip(day, shape):
    assert importing.date(day.strftime(shape)) == day
    serial = (day - importing.EXCEL_EPOCH).days
    if datetime.date(1950, 1, 1) <= day < datetime.date(2100, 1, 1):
        assert importing.date(serial) == day  # an Excel serial
    else:  # a number that far off is no date an office means
        with pytest.raises(CellError):
            importing.date(serial)


@given(st.integers(min_value=1, max_value=10 ** 8 - 1))
@hsettings(max_examples=200, deadline=None)
def test_fuzzed_areas_round_trip(hundredths):
    assert importing.area(estate.fmt_area(hundredths)) == hundredths
    assert importing.area(hundredths / 100) == hundredths


# --- workbooks -------------------------------------------------------------------------------

def workbook(path, rows, title="翠湖花园业主名册（开发商移交）"):
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
        ws.append([])
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


HEADER = ["序号", "房号", "建筑面积（㎡）", "业主姓名", "身份证号", "联系电话", "交房日期", "备注"]


def messy_rows():
    return [
        HEADER,
        [1, "３-２-１２０１", "89.50", " 张 三 ", an_id(), 13800138000, "2020/5/1", ""],
        [2, "3栋2单元1202室", 120, "李四", an_id("44030519851201002"), "0755-8888 6666", 43952, "车位另计"],
        [3, "3-2-1203", "大约90", "王五", "", "", "", ""],  # not an area
        [4, "3-2-1204", 89.5, "赵六", float(int(an_id("11010519900307456")[:15] + "000")), "", "", ""],  # lost digits
        [5, "3-2-1205", 89.5, "钱七", "", "138001", "", ""],  # short mobile
        [6, "3-2-1202", 120, "李四", "", "", "", ""],  # listed twice
        [7, "3-2-1206", 89.5, "孙八", "", "", "2099-01-01", ""],  # handover in the future
        [8, "三栋", 89.5, "周九", "", "", "", ""],  # not a house
        [],
        [9, "3-2-1207", "89.5 m²", "吴十", "", "", "2021年3月8日", ""],
    ]


def test_a_messy_workbook_reports_every_bad_row_and_writes_nothing_then_the_corrected_one_imports(
        tmp_path, supervisor, frozen_now):
    path = workbook(tmp_path / "移交清单.xlsx", messy_rows())
    sheet = importing.read(path)
    assert sheet.header_row == 3  # under the merged title and an empty line
    mapping = importing.guess("houses", sheet.headers)
    assert {k: sheet.headers[i] for k, i in mapping.items()} == {
        "house": "房号", "area": "建筑面积（㎡）", "owner": "业主姓名", "id_number": "身份证号", "phone": "联系电话",
        "handover": "交房日期", "note": "备注"}
    report = importing.run(supervisor, "houses", sheet, mapping, source=str(path))
    assert not report.written and report.rows == 9
    where = sorted((p.row, p.column) for p in report.problems)
    assert where == [(6, "C 建筑面积（㎡）"), (7, "E 身份证号"), (8, "F 联系电话"), (9, "D 业主姓名"),
                     (10, "G 交房日期"), (11, "B 房号")]
    assert estate.House.select().count() == 0 and owners.Owner.select().count() == 0  # nothing written

    fixed = messy_rows()
    fixed[3][2] = 90
    fixed[4][4] = str(an_id("11010519900307456"))
    fixed[5][5] = "13800138001"
    fixed[2][3:5] = ["李四、李小四", f"{an_id('44030519851201002')}、{an_id('44030519870301004')}"]  # co-owners
    fixed[6] = [6, "3-2-1209", 120, "周小六", "", "", "", ""]
    fixed[7][6] = "2019-01-01"
    fixed[8][1] = "3-2-1208"
    report = importing.run(supervisor, "houses", importing.read(workbook(tmp_path / "fixed.xlsx", fixed)), mapping)
    assert report.ok and report.written
    assert report.new == {"houses": 9, "owners": 10}
    h = estate.House.get(estate.House.label == "3-2-1201")
    assert (h.area, h.handover_date, h.owner_names, h.state) == (8950, datetime.date(2020, 5, 1), "张三",
                                                                  "owner_occupied")
    assert estate.House.get(estate.House.label == "3-2-1202").owner_names == "李四、李小四"
    zhang = owners.Owner.get(owners.Owner.name == "张三")
    assert (zhang.phone, zhang.id_number, zhang.gender) == ("13800138000", an_id(), "male")
    assert zhang.id in [hit.ref_id for hit in search.search(supervisor, "zs") if hit.kind == "owner"]
    entry = audit.AuditEntry.get(audit.AuditEntry.action == "import.houses")
    assert '"houses": 9' in entry.detail

    # importing the same list again adds nothing and is not a problem
    again = importing.run(supervisor, "houses", importing.read(tmp_path / "fixed.xlsx"), mapping)
    assert again.ok and again.skipped == 9 and not again.plan
    assert owners.Owner.get(owners.Owner.name == "李小四").id_number == an_id("44030519870301004")


def test_columns_named_otherwise_are_matched_by_hand(tmp_path, supervisor, frozen_now):
    path = workbook(tmp_path / "old.xlsx", [["楼", "单元", "室", "Size", "户主"], ["3号楼", "2单元", 1201, 89.5, "张三"]],
                    title=None)
    sheet = importing.read(path)
    mapping = importing.guess("houses", sheet.headers)
    assert mapping == {"unit": 1, "owner": 4}
    report = importing.check(supervisor, "houses", sheet, mapping)
    assert [p.params for p in report.problems] == [{"column": "House (房号)"}, {"column": "Floor area (m²)"}]
    report = importing.run(supervisor, "houses", sheet, {"building": 0, "unit": 1, "house": 2, "area": 3, "owner": 4})
    assert report.written and estate.House.get().label == "3-2-1201"


def test_a_failure_midway_writes_nothing(tmp_path, supervisor, frozen_now, monkeypatch):
    rows = [HEADER] + [[i, f"5-1-{100 + i}", 80, f"业主{i}", "", "", "", ""] for i in range(1, 30)]
    sheet = importing.read(workbook(tmp_path / "a.xlsx", rows))
    real = importing._bulk_insert

    def failing(model, rows):
        if model is owners.NameKey:  # the houses and owners are in; the disk fails on the search keys
            assert estate.House.select().count() == 29
            raise OSError(28, "No space left on device")
        real(model, rows)
    monkeypatch.setattr(importing, "_bulk_insert", failing)
    with pytest.raises(OSError):
        importing.run(supervisor, "houses", sheet, importing.guess("houses", sheet.headers))
    assert estate.House.select().count() == 0 and estate.Building.select().count() == 0
    assert owners.Owner.select().count() == 0


def test_an_owner_already_in_the_archive_is_not_replaced(tmp_path, supervisor, house, frozen_now):
    owners.add_owner(supervisor, house.id, name="张三")
    sheet = importing.read(workbook(tmp_path / "a.xlsx", [HEADER, [1, "3-2-1201", 89.5, "王五", "", "", "", ""],
                                                           [2, "3-2-1201", 90, "张三", "", "", "", ""]]))
    report = importing.check(supervisor, "houses", sheet, importing.guess("houses", sheet.headers))
    assert [(p.row, p.column, p.params) for p in report.problems] == [
        (4, "D 业主姓名", {"house": "3-2-1201", "owners": "张三"}),
        (5, "C 建筑面积（㎡）", {"house": "3-2-1201", "area": "89.50"}),
        (5, "C 建筑面积（㎡）", {"house": "3-2-1201", "row": 4})]


def test_only_a_supervisor_imports_houses(tmp_path, clerk):
    sheet = importing.read(workbook(tmp_path / "a.xlsx", [HEADER, [1, "3-2-1201", 89.5, "张三", "", "", "", ""]]))
    with pytest.raises(PermissionDenied):
        importing.check(clerk, "houses", sheet, importing.guess("houses", sheet.headers))


def test_a_file_that_is_not_a_workbook_or_has_no_header(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(OfficeError):
        importing.read(bad)
    with pytest.raises(OfficeError):
        importing.read(workbook(tmp_path / "none.xlsx", [["a", "b"], [1, 2]], title=None))


def test_residents_import(tmp_path, clerk, house, frozen_now):
    rows = [["房号", "姓名", "身份", "与业主关系", "手机", "入住日期"],
            ["3-2-1201", "张小明", "家属", "子女", "", "2021-09-01"],
            ["3-2-1201", "刘租", "租户", "", 13900139000, ""],
            ["3-2-1299", "某人", "家属", "", "", ""],
            ["3-2-1201", "怪人", "邻居", "", "", ""]]
    sheet = importing.read(workbook(tmp_path / "r.xlsx", rows, title=None))
    mapping = importing.guess("residents", sheet.headers)
    report = importing.run(clerk, "residents", sheet, mapping)
    assert [(p.row, p.column) for p in report.problems] == [(4, "A 房号"), (5, "C 身份")]
    assert owners.Resident.select().count() == 0
    sheet.rows = sheet.rows[:2]
    report = importing.run(clerk, "residents", sheet, mapping)
    assert report.written
    kid, tenant = owners.Resident.select().order_by(owners.Resident.id)
    assert (kid.kind, kid.relation, kid.moved_in) == ("member", "子女", datetime.date(2021, 9, 1))
    assert (tenant.kind, tenant.phone, tenant.moved_in) == ("tenant", "13900139000", clock.today())


def test_opening_balances_become_arrears_and_prepayments(tmp_path, supervisor, house, frozen_now):
    rows = [["房号", "收费项目", "所属期间", "欠费金额", "预存金额"],
            ["3-2-1201", "物业服务费", "2026年9月", "1,234.50", ""],
            ["3-2-1201", "", "", "", "¥200"]]
    sheet = importing.read(workbook(tmp_path / "b.xlsx", rows, title=None))
    mapping = importing.guess("balances", sheet.headers)
    report = importing.run(supervisor, "balances", sheet, mapping)
    assert report.written, report.problems
    assert report.new == {"arrears": 1, "arrears_total": 123450, "prepayments": 1, "prepay_total": 20000}
    owed = cashier_mod.owed(supervisor, house.id)
    assert [(o.charge.period, o.principal) for o in owed] == [("2026-09", 123450)]
    assert cashier_mod.balances(house.id) == {("prepay", None): 20000}
    # the same balances again are refused: an opening balance is brought over once
    again = importing.run(supervisor, "balances", sheet, mapping)
    assert [(p.row, p.column) for p in again.problems] == [(2, "D 欠费金额"), (3, "E 预存金额")]
    assert Charge.select().count() == 1


def test_opening_prepayments_are_brought_over_once(tmp_path, supervisor, house, frozen_now):
    rows = [["房号", "预存金额"], ["3-2-1201", "¥200"]]
    sheet = importing.read(workbook(tmp_path / "p.xlsx", rows, title=None))
    mapping = importing.guess("balances", sheet.headers)
    assert importing.run(supervisor, "balances", sheet, mapping).written
    again = importing.run(supervisor, "balances", sheet, mapping)
    assert [(p.row, p.column) for p in again.problems] == [(2, "B 预存金额")] and not again.written
    assert cashier_mod.balances(house.id) == {("prepay", None): 20000}
    twice = importing.read(workbook(tmp_path / "q.xlsx", [["房号", "收费项目", "预存金额"], ["3-2-1201", "物业服务费", 50],
                                                            ["3-2-1201", "物业服务费", 60]], title=None))
    report = importing.check(supervisor, "balances", twice, importing.guess("balances", twice.headers))
    assert [(p.row, p.column) for p in report.problems] == [(3, "C 预存金额")]


def test_an_unlikely_due_date_is_refused(tmp_path, supervisor, house, frozen_now):
    rows = [["房号", "欠费金额", "应缴日期"], ["3-2-1201", 100, "1905-07-12"], ["3-2-1201", 100, "2026-10-15"]]
    sheet = importing.read(workbook(tmp_path / "d.xlsx", rows, title=None))
    report = importing.check(supervisor, "balances", sheet, importing.guess("balances", sheet.headers))
    assert [(p.row, p.column) for p in report.problems] == [(2, "C 应缴日期")]


def test_a_cancel_at_the_last_moment_writes_nothing(tmp_path, supervisor, frozen_now):
    rows = [HEADER] + [[i, f"5-1-{100 + i}", 80, f"业主{i}", "", "", "", ""] for i in range(1, 10)]
    sheet = importing.read(workbook(tmp_path / "a.xlsx", rows))

    def cancel_at_the_end(done):
        if done == 2 * len(sheet.rows):
            raise RuntimeError("cancelled")
    with pytest.raises(RuntimeError):
        importing.run(supervisor, "houses", sheet, importing.guess("houses", sheet.headers), progress=cancel_at_the_end)
    assert estate.House.select().count() == 0 and owners.Owner.select().count() == 0


def test_opening_balances_refuse_unknown_items_and_negative_arrears(tmp_path, supervisor, house, frozen_now):
    rows = [["房号", "收费项目", "欠费金额"], ["3-2-1201", "停车费用", "100"], ["3-2-1201", "物业服务费", "-5"]]
    sheet = importing.read(workbook(tmp_path / "b.xlsx", rows, title=None))
    report = importing.run(supervisor, "balances", sheet, importing.guess("balances", sheet.headers))
    assert [(p.row, p.column) for p in report.problems] == [(2, "B 收费项目"), (3, "C 欠费金额")]
    assert fees.items()  # the fee items exist: the name was wrong
