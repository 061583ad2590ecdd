"""The import on workbooks as offices really keep them: a corpus of the mess found in real
owner lists (exports of other programs, merged and two-row headers, titles, totals and notes
in the sheet, numbers stored as text or as floats, full-width characters, dates in every
form people type, formulas, IDs that lost their digits, several sheets …), each with what
the import makes of it: the houses and owners it would write, or the problem the clerk sees
named by row and column. Files by LibreOffice (.xls, .ods, .xlsx) are in tests/data/import,
made by make_corpus.py there; the rest are written here."""
import codecs
import datetime
from pathlib import Path

import openpyxl
import pytest

from models import estate, importing, owners, validation
from models.errors import OfficeError

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
HEADER = ["序号", "房号", "建筑面积（㎡）", "业主姓名", "身份证号", "联系电话", "交房日期"]
MOBILE = "13800012345"


def an_id(first17="44030519850101001", lower=False):
    number = first17 + validation.resident_id_check_char(first17)
    return number.lower() if lower else number


ID_X = an_id("11010519900307005")  # its check character is X
assert ID_X.endswith("X")


def xlsx(path, rows, *, title="翠湖花园业主名册（2026年）", merges=(), hidden=(), sheet="业主名册", before=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    for name, lines in before:  # sheets before the one with the data
        ws.title = name
        for line in lines:
            ws.append(line)
        ws = wb.create_sheet(sheet)
    ws.title = sheet
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
    for r in rows:
        ws.append(list(r))
    for m in merges:
        ws.merge_cells(m)
    for letter in hidden:
        ws.column_dimensions[letter].hidden = True
    wb.save(path)
    return path


def check(supervisor, path, kind="houses"):
    sheet = importing.read(path)
    return sheet, importing.check(supervisor, kind, sheet, importing.guess(kind, sheet.headers))


def planned(report):
    """The plan as the office will see it: label → (area, [(name, ID, phone, phone2)], handover),
    the owners of a house from all its rows."""
    out = {}
    for p in report.plan:
        people = out.get(p["label"], (None, [], None))[1]
        people += [(o["fields"]["name"], o["fields"].get("id_number", ""), o["fields"].get("phone", ""),
                    o["fields"].get("phone2", "")) for o in p["owners"]]
        out.setdefault(p["label"], (p["area"], people, p["handover"]))
    return out


def problems(report):
    return [(p.row, p.column, p.template.format(**p.params)) for p in report.problems]


def notes(report):
    return [(p.row, p.template.format(**p.params)) for p in report.notes]


def one_row(tmp_path, supervisor, cells, header=HEADER):
    """A list with a title, its header on row 2 and this one house on row 3."""
    return check(supervisor, xlsx(tmp_path / "list.xlsx", [header, [1, *cells]]))


# --- the defects of issue 14 -----------------------------------------------------------------

def test_an_id_number_with_a_wrong_check_character_is_named_by_row_and_column(tmp_path, supervisor, frozen_now):
    wrong = ID_X[:17] + "5"
    _sheet, report = one_row(tmp_path, supervisor, ["3-2-1201", 89.5, "张三", wrong, MOBILE, ""])
    assert problems(report) == [
        (3, "E 身份证号", "The last character of this ID number does not match; please check it")]


def test_a_house_listed_twice_is_a_problem_naming_both_rows(tmp_path, supervisor, frozen_now):
    rows = [HEADER, [1, "3-2-1201", 89.5, "张三", "", "", ""], [2, "3-2-1202", 89.5, "李四", "", "", ""],
            [3, "3栋2单元1201室", 89.5, "王五", "", "", ""]]  # 1203 typed as 1201, written another way
    _sheet, report = check(supervisor, xlsx(tmp_path / "twice.xlsx", rows))
    assert problems(report) == [(5, "B 房号", "3-2-1201 is listed twice (also on row 3)")]
    assert not importing.run(supervisor, "houses", importing.read(tmp_path / "twice.xlsx"),
                             {"house": 1, "area": 2, "owner": 3}).written
    assert estate.House.select().count() == 0


def test_one_id_number_under_two_names_is_a_problem_naming_both_rows(tmp_path, supervisor, frozen_now):
    rows = [HEADER, [1, "3-2-1201", 89.5, "张三", an_id(), "", ""], [2, "3-2-1202", 89.5, "李四", an_id(), "", ""]]
    _sheet, report = check(supervisor, xlsx(tmp_path / "ids.xlsx", rows))
    assert problems(report) == [(4, "E 身份证号", "This ID number is also on row 3, under the name 张三")]


def test_an_id_number_the_archive_has_under_another_name_is_a_problem(tmp_path, supervisor, house, frozen_now):
    owners.add_owner(supervisor, house.id, name="张三", id_number=an_id())
    _sheet, report = one_row(tmp_path, supervisor, ["3-2-1202", 89.5, "张叁", an_id(), "", ""])
    assert problems(report) == [(3, "E 身份证号", "This ID number is in the archive under the name 张三")]


def test_one_owner_of_two_houses_is_one_person(tmp_path, supervisor, house, frozen_now):
    owners.add_owner(supervisor, house.id, name="张三", id_number=an_id())
    rows = [HEADER, [1, "3-2-1202", 89.5, "张三", an_id(), "", ""], [2, "3-2-1203", 89.5, "李四", ID_X, "", ""],
            [3, "3-2-1204", 89.5, "李四", ID_X.lower(), "", ""]]
    _sheet, report = check(supervisor, xlsx(tmp_path / "two.xlsx", rows))
    assert report.ok and report.new == {"houses": 3, "owners": 1}  # 张三 is in the archive: linked, not added
    assert importing.run(supervisor, "houses", importing.read(tmp_path / "two.xlsx"),
                         importing.guess("houses", HEADER)).written
    assert owners.Owner.select().where(owners.Owner.name == "张三").count() == 1
    li = owners.Owner.get(owners.Owner.name == "李四")
    assert sorted(link.house.label for link in li.ownerships) == ["3-2-1203", "3-2-1204"]
    assert estate.House.get(estate.House.label == "3-2-1202").owner_names == "张三"


def test_totals_notes_blank_rows_and_the_title_are_left_out_with_a_note(tmp_path, supervisor, frozen_now):
    rows = [["单位：平方米", None, None, None, None, None, "制表日期：2026年1月5日"], HEADER,
            [1, "1-1-101", 89.5, "张三", "", "", ""],
            [],
            [2, "1-1-102", 90, "李四", "", "", ""],
            ["小计", None, 179.5],
            [3, "2-1-101", 100, "王五", "", "", ""],
            [None, "合  计", 279.5],
            [4],  # a numbered line of the form, never filled
            ["备注：面积以产权证为准。"],
            ["2. 电话请向业主核实。"],
            ["制表人：李梅", None, None, "审核：王强"],
            [" 说明：本表由物业公司提供"]]
    sheet, report = check(supervisor, xlsx(tmp_path / "tidy.xlsx", rows))
    assert sheet.header_row == 3
    assert problems(report) == []
    assert sorted(planned(report)) == ["1-1-101", "1-1-102", "2-1-101"]
    assert notes(report) == [
        (1, "Left out: the title above the header (\"翠湖花园业主名册（2026年） 单位：平方米 "
            "制表日期：2026年1月5日\")"),
        (5, "Left out: nothing to import on rows 5, 10"),
        (7, "Left out: a total row (\"小计\")"),
        (9, "Left out: a total row (\"合 计\")"),
        (11, "Left out: notes under the table on rows 11–14 (\"备注：面积以产权证为准。\")")]
    assert report.rows == 3


def test_a_row_with_no_house_that_is_no_note_is_still_a_problem(tmp_path, supervisor, frozen_now):
    rows = [HEADER, [1, "1-1-101", 89.5, "张三", "", "", ""], [2, "", 90, "李四", "", MOBILE, ""],
            ["备注：以上为一期"], [3, "1-1-103", 90, "王五", "", "", ""]]
    _sheet, report = check(supervisor, xlsx(tmp_path / "gap.xlsx", rows))
    assert problems(report) == [(4, "B 房号", "The house is empty")]
    assert notes(report)[-1] == (5, "Left out: notes under the table on rows 5 (\"备注：以上为一期\")")
    assert "1-1-103" in planned(report)  # the list goes on after a note


# --- what each kind of mess becomes ------------------------------------------------------------

ACCEPTED = {
    "area as text": (["3-2-1201", "89.5", "张三", "", "", ""], 8950, ("张三", "", "", ""), None),
    "area a float of another program": (["3-2-1201", 89.5000001, "张三", "", "", ""], 8950, ("张三", "", "", ""), None),
    "area with m²": (["3-2-1201", "89.5 m²", "张三", "", "", ""], 8950, ("张三", "", "", ""), None),
    "area with 平方米": (["3-2-1201", "89.50平方米", "张三", "", "", ""], 8950, ("张三", "", "", ""), None),
    "area with 平米, full-width": (["3-2-1201", "８９．５平米", "张三", "", "", ""], 8950, ("张三", "", "", ""), None),
    "house in full-width digits": (["３-２-１２０１", 89.5, "张三", "", "", ""], 8950, ("张三", "", "", ""), None),
    "house with 栋 单元 室": (["3栋2单元1201室", 89.5, "张三", "", "", ""], 8950, ("张三", "", "", ""), None),
    "non-breaking and ideographic spaces": (["\u00a03-2-1201\u00a0", 89.5, "张\u3000三\u00a0", "", "", ""], 8950,
                                            ("张三", "", "", ""), None),
    "a zero-width space in a name": (["3-2-1201", 89.5, "张三\u200b", "", "", ""], 8950, ("张三", "", "", ""), None),
    "ID with a small x": (["3-2-1201", 89.5, "张三", ID_X.lower(), "", ""], 8950, ("张三", ID_X, "", ""), None),
    "ID in full-width with spaces": (["3-2-1201", 89.5, "张三", " ".join([ID_X[:6], ID_X[6:14], ID_X[14:]]).translate(
        str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")), "", ""], 8950, ("张三", ID_X, "", ""), None),
    "mobile as a number": (["3-2-1201", 89.5, "张三", "", 13800012345, ""], 8950, ("张三", "", MOBILE, ""), None),
    "mobile as text of a float": (["3-2-1201", 89.5, "张三", "", "13800012345.0", ""], 8950, ("张三", "", MOBILE, ""),
                                  None),
    "mobile with dashes": (["3-2-1201", 89.5, "张三", "", "138-0001-2345", ""], 8950, ("张三", "", MOBILE, ""), None),
    "mobile with spaces": (["3-2-1201", 89.5, "张三", "", "138 0001 2345", ""], 8950, ("张三", "", MOBILE, ""), None),
    "mobile with +86": (["3-2-1201", 89.5, "张三", "", "+86 138 0001 2345", ""], 8950, ("张三", "", MOBILE, ""), None),
    "mobile with 0086": (["3-2-1201", 89.5, "张三", "", "0086-13800012345", ""], 8950, ("张三", "", MOBILE, ""), None),
    "mobile with (+86)": (["3-2-1201", 89.5, "张三", "", "(+86)13800012345", ""], 8950, ("张三", "", MOBILE, ""), None),
    "mobile in full-width digits": (["3-2-1201", 89.5, "张三", "", "１３８００ ０１２３４５", ""], 8950,
                                    ("张三", "", MOBILE, ""), None),
    "landline with area code": (["3-2-1201", 89.5, "张三", "", "0571-88001234", ""], 8950,
                                ("张三", "", "057188001234", ""), None),
    "landline with extension": (["3-2-1201", 89.5, "张三", "", "0571-88001234-801", ""], 8950,
                                ("张三", "", "057188001234-801", ""), None),
    "two phones in one cell": (["3-2-1201", 89.5, "张三", "", "138-0001-2345/0571-88001234", ""], 8950,
                               ("张三", "", MOBILE, "057188001234"), None),
    "two phones on two lines of a cell": (["3-2-1201", 89.5, "张三", "", "13800012345\n13900012345", ""], 8950,
                                          ("张三", "", MOBILE, "13900012345"), None),
}
DAY = datetime.date(2026, 1, 5)
DATES = {"2026/1/5": "2026/1/5", "2026.01.05": "2026.01.05", "2026年1月5日": "2026年1月5日",
         "20260105 text": "20260105", "20260105 number": 20260105, "Excel serial": 46027,
         "Excel serial as text": "46027", "Excel serial with a time": 46027.625, "a date cell": DAY,
         "a datetime cell": datetime.datetime(2026, 1, 5, 14, 30), "26-1-5": "26-1-5", "26/01/05": "26/01/05",
         "2026-1-5 0:00:00": "2026-1-5 0:00:00", "2026-01-05T00:00:00": "2026-01-05T00:00:00",
         "２０２６年１月５日": "２０２６年１月５日", "2026年1月5号": "2026年1月5号"}


@pytest.mark.parametrize("kind", list(ACCEPTED))
def test_a_cell_as_people_write_it_is_read(kind, tmp_path, supervisor, frozen_now):
    cells, hundredths, owner, handover = ACCEPTED[kind]
    _sheet, report = one_row(tmp_path, supervisor, cells)
    assert problems(report) == [] and planned(report) == {"3-2-1201": (hundredths, [owner], handover)}


@pytest.mark.parametrize("kind", list(DATES))
def test_a_date_in_any_form_people_type_is_read(kind, tmp_path, supervisor, frozen_now):
    _sheet, report = one_row(tmp_path, supervisor, ["3-2-1201", 89.5, "张三", "", "", DATES[kind]])
    assert problems(report) == [] and planned(report)["3-2-1201"][2] == DAY


REFUSED = {
    "ID a number in scientific notation": (["3-2-1201", 89.5, "张三", 4.40305198501010e17, "", ""], "E 身份证号",
                                           "This ID number was stored as a number and Excel kept only its first 15 "
                                           "digits: format the column as text and type it again"),
    "ID saved as Excel showed it": (["3-2-1201", 89.5, "张三", "4.40305E+17", "", ""], "E 身份证号",
                                    "This ID number was stored as a number and Excel kept only its first 15 digits: "
                                    "format the column as text and type it again"),
    "ID of 17 characters": (["3-2-1201", 89.5, "张三", ID_X[:17], "", ""], "E 身份证号",
                            "An ID number has 18 characters: 17 digits and a digit or X"),
    "phone saved as Excel showed it": (["3-2-1201", 89.5, "张三", "", "1.38E+10", ""], "F 联系电话",
                                       "This phone was stored as a number and saved as Excel showed it (1.38E+10): "
                                       "format the column as text and type it again"),
    "mobile a digit short": (["3-2-1201", 89.5, "张三", "", "138-0001-234", ""], "F 联系电话",
                             "A mobile number has 11 digits and starts with 13 to 19"),
    "three phones": (["3-2-1201", 89.5, "张三", "", "13800012345/13900012345/13700012345", ""], "F 联系电话",
                     "Give at most two phones for one owner, or one for each co-owner in the same order"),
    "area with three decimals": (["3-2-1201", "89.555", "张三", "", "", ""], "C 建筑面积（㎡）",
                                 "\"89.555\" has more than two decimals"),
    "area in words": (["3-2-1201", "约九十平", "张三", "", "", ""], "C 建筑面积（㎡）", "\"约九十平\" is not a number"),
    "a date that does not exist": (["3-2-1201", 89.5, "张三", "", "", "2026-02-30"], "G 交房日期",
                                   "\"2026-02-30\" is not a date (write it like 2020-05-01)"),
    "a date in the American order": (["3-2-1201", 89.5, "张三", "", "", "1/5/2026"], "G 交房日期",
                                     "\"1/5/2026\" is not a date (write it like 2020-05-01)"),
    "a date without its year": (["3-2-1201", 89.5, "张三", "", "", "1月5日"], "G 交房日期",
                                "\"1月5日\" is not a date (write it like 2020-05-01)"),
    "a number that is no date": (["3-2-1201", 89.5, "张三", "", "", 2026], "G 交房日期", "\"2026\" is not a date"),
    "co-owners with one ID number": (["3-2-1201", 89.5, "张三、李四", an_id(), "", ""], "E 身份证号",
                                     "The owners named (2) and the ID numbers given (1) do not match: give one for "
                                     "each owner, in the same order (…、…)"),
    "an ID but no name": (["3-2-1201", 89.5, "", an_id(), "", ""], "D 业主姓名",
                          "An ID number or phone is given but no owner's name"),
}


@pytest.mark.parametrize("kind", list(REFUSED))
def test_a_cell_that_cannot_be_read_is_named_with_what_to_do(kind, tmp_path, supervisor, frozen_now):
    cells, column, message = REFUSED[kind]
    _sheet, report = one_row(tmp_path, supervisor, cells)
    assert problems(report) == [(3, column, message)]
    assert not importing.run(supervisor, "houses", importing.read(tmp_path / "list.xlsx"),
                             importing.guess("houses", HEADER)).written
    assert estate.House.select().count() == 0 and owners.Owner.select().count() == 0


def test_co_owners_in_one_cell_with_their_ids_and_phones_in_order(tmp_path, supervisor, frozen_now):
    _sheet, report = one_row(tmp_path, supervisor, ["3-2-1201", 89.5, "李四、王芳", f"{an_id()}，{ID_X.lower()}",
                                                    "13800012345/13900012345", ""])
    assert planned(report) == {"3-2-1201": (8950, [("李四", an_id(), MOBILE, ""), ("王芳", ID_X, "13900012345", "")],
                                            None)}


def test_a_formula_with_no_saved_value_is_refused_with_what_to_do(tmp_path, supervisor, frozen_now):
    _sheet, report = one_row(tmp_path, supervisor, ["3-2-1201", "=80+9.5", "张三", "", "", ""])
    assert problems(report) == [(3, "C 建筑面积（㎡）", "This cell holds a formula whose result was never saved "
                                "(the file was made by a program): open it in Excel or WPS, save it, and import it "
                                "again")]


def test_a_header_with_line_breaks_marks_and_other_programs_names(tmp_path, supervisor, frozen_now):
    header = ["房间编号*", "计费面积\n(㎡)", "客户名称", "证件编号", "移动电话", "交付时间", "备注【选填】"]
    sheet = importing.read(xlsx(tmp_path / "other.xlsx", [header, ["3-2-1201", 89.5, "张三", ID_X, MOBILE, "2026-1-5",
                                                                  89.5]], title=None))
    assert importing.guess("houses", sheet.headers) == {"house": 0, "area": 1, "owner": 2, "id_number": 3,
                                                         "phone": 4, "handover": 5, "note": 6}
    assert importing.clean_header("面积/㎡") == "面积" and importing.clean_header("*建筑面积（平方米）") == "建筑面积"


def test_separate_building_unit_and_number_columns_stored_as_floats(tmp_path, supervisor, frozen_now):
    header = ["楼栋", "单元", "房号", "面积", "业主"]
    rows = [header, [3.0, 2.0, 1201.0, 89.5, "张三"], ["3号楼", "2单元", "1202.0", 89.5, "李四"]]
    _sheet, report = check(supervisor, xlsx(tmp_path / "parts.xlsx", rows, title=None))
    assert problems(report) == [] and sorted(planned(report)) == ["3-2-1201", "3-2-1202"]


def test_a_building_merged_down_over_its_houses_and_co_owners_under_a_merged_house(tmp_path, supervisor, frozen_now):
    header = ["楼栋", "单元", "房号", "面积", "业主"]
    rows = [header, ["3栋", "2单元", 1201, 89.5, "张三"], [None, None, 1202, 90, "李四"],
            [None, None, None, None, "王芳"],  # a co-owner: 1202 and its area are merged over both rows
            [None, None, 1203, 90, "赵六"], [None, None, 1203, 90, "钱七"]]  # 1203 twice, not merged: a slip
    path = xlsx(tmp_path / "merged.xlsx", rows, title=None, merges=["A2:A6", "B2:B6", "C3:C4", "D3:D4"])
    _sheet, report = check(supervisor, path)
    assert problems(report) == [(6, "C 房号", "3-2-1203 is listed twice (also on row 5)")]
    assert planned(report)["3-2-1202"] == (9000, [("李四", "", "", ""), ("王芳", "", "", "")], None)


def test_a_header_on_two_rows_under_a_title(tmp_path, supervisor, frozen_now):
    rows = [["房号", "面积", None, "业主信息", None, None], [None, None, None, "姓名", "身份证号", "手机"],
            ["6-1-101", 76.3, None, "吴一", ID_X, MOBILE]]
    sheet, report = check(supervisor, xlsx(tmp_path / "two.xlsx", rows, merges=["A2:A3", "B2:B3", "D2:F2"]))
    assert (sheet.header_row, sheet.headers) == (3, ["房号", "面积", "", "姓名", "身份证号", "手机"])
    assert problems(report) == [] and planned(report) == {"6-1-101": (7630, [("吴一", ID_X, MOBILE, "")], None)}


def test_hidden_and_empty_columns_are_read_as_they_stand(tmp_path, supervisor, frozen_now):
    header = ["序号", "内部编码", "房号", None, "建筑面积", "业主姓名", None, None]
    rows = [header, [1, "X-9", "3-2-1201", None, 89.5, "张三", None, None]]
    path = xlsx(tmp_path / "cols.xlsx", rows, hidden=["B"])
    wb = openpyxl.load_workbook(path)
    wb.active["J3"].number_format = "0.00"  # a formatted cell far right: the used range grows, no data
    wb.active["J3"].value = ""
    wb.save(path)
    sheet, report = check(supervisor, path)
    assert sheet.headers == ["序号", "内部编码", "房号", "", "建筑面积", "业主姓名"]
    assert problems(report) == [] and planned(report) == {"3-2-1201": (8950, [("张三", "", "", "")], None)}


def test_the_sheet_with_the_data_is_found_when_it_is_not_the_first(tmp_path, supervisor, frozen_now):
    path = xlsx(tmp_path / "sheets.xlsx", [HEADER, [1, "3-2-1201", 89.5, "张三", "", "", ""]],
                before=[("填表说明", [["请按房号填写"], ["身份证号设为文本"]])], sheet="名册")
    sheet, report = check(supervisor, path)
    assert sheet.name == "名册" and list(planned(report)) == ["3-2-1201"]


# --- files made by other programs --------------------------------------------------------------

HANDOVER = {
    "1-1-101": (8950, [("张三", an_id("44030519850101001"), MOBILE, "")], DAY),
    "1-1-102": (9525, [("李四", an_id("44030519860202002"), "13800012346", ""),
                       ("王芳", an_id("44030519870303003"), "", "")], datetime.date(2026, 1, 6)),
    "1-2-101": (8950, [("赵六", ID_X, "13900012345", "")], datetime.date(2026, 1, 7)),
    "1-2-102": (12000, [("钱七", "", "057188001234", "")], datetime.date(2026, 1, 8)),
    "2-1-101": (10000, [("孙八", an_id("44030519880404004"), "13700012345", ""),
                        ("周九", an_id("44030519890505005"), "", "")], datetime.date(2026, 1, 9)),
}


@pytest.mark.parametrize("name", ["handover-libreoffice.xls", "handover-libreoffice.ods", "handover-libreoffice.xlsx"])
def test_a_list_saved_by_libreoffice_as_xls_ods_and_xlsx(name, supervisor, frozen_now):
    sheet, report = check(supervisor, DATA / name)
    assert (sheet.name, sheet.header_row) == ("业主名册", 3)
    assert problems(report) == []
    assert planned(report) == HANDOVER  # merged 楼栋/单元 filled down, the formula's value, every date form
    assert [n for n, _t in notes(report)] == [1, 8, 11, 12, 13]
    report = importing.run(supervisor, "houses", sheet, importing.guess("houses", sheet.headers))
    assert report.written and report.new == {"houses": 5, "owners": 7}
    assert estate.House.get(estate.House.label == "1-1-102").owner_names == "李四、王芳"


def test_an_xls_of_several_sheets_reads_the_visible_one_with_the_header(supervisor, frozen_now):
    sheet, report = check(supervisor, DATA / "sheets-libreoffice.xls")
    assert sheet.name == "名册"  # not the instructions, nor the hidden old list
    assert planned(report) == {"5-1-101": (8800, [("陈一", "", "13600012345", "")], datetime.date(2025, 12, 31)),
                               "5-1-102": (8800, [("陈二", "", "13600012346", "")], datetime.date(2025, 12, 31))}


def test_an_ods_with_a_two_row_header_and_numbers_as_text(supervisor, frozen_now):
    sheet, report = check(supervisor, DATA / "two_row_header-libreoffice.ods")
    assert sheet.header_row == 2 and problems(report) == []
    assert planned(report) == {
        "6-1-101": (7630, [("吴一", an_id("44030519900606006"), "13500012345", "")], None),
        "6-1-102": (7630, [("吴二", an_id("44030519910707007"), "13500012346", "")], None)}


CSV_ROWS = [["翠湖花园业主名册"], HEADER, ["1", "3-2-1201", "89.5", "张三", an_id(), "138-0001-2345", "2026/1/5"],
            ["2", "3-2-1202", "90", "李䶮", '="' + ID_X + '"', "'13900012345", "2026年1月5日"], ["合计", "", "179.5"]]


def csv_text(rows, delimiter=","):
    return "\r\n".join(delimiter.join(f'"{c}"' if "," in c else c for c in r) for r in rows) + "\r\n"


@pytest.mark.parametrize("encoding, bom, delimiter", [
    ("utf-8", b"", ","), ("utf-8", codecs.BOM_UTF8, ","), ("gbk", b"", ","), ("gb18030", b"", ","),
    ("utf-16-le", codecs.BOM_UTF16_LE, "\t"), ("gbk", b"", "\t"), ("utf-8", b"", ";")])
def test_a_csv_in_any_encoding_offices_save_is_read_without_asking(encoding, bom, delimiter, tmp_path, supervisor,
                                                                    frozen_now):
    rows = [list(r) for r in CSV_ROWS]
    if encoding == "gbk":
        rows[3][3] = "李四"  # 䶮 is past GBK: the GB18030 and Unicode files carry it
    path = tmp_path / "名册.csv"
    path.write_bytes(bom + csv_text(rows, delimiter).encode(encoding))
    sheet, report = check(supervisor, path)
    assert sheet.header_row == 2 and problems(report) == []
    assert planned(report) == {"3-2-1201": (8950, [("张三", an_id(), MOBILE, "")], DAY),
                               "3-2-1202": (9000, [(rows[3][3], ID_X, "13900012345", "")], DAY)}
    assert notes(report)[-1] == (5, "Left out: a total row (\"合计\")")


def test_an_xls_from_a_web_system_that_is_a_page_with_a_table(tmp_path, supervisor, frozen_now):
    page = ("<html><head><meta http-equiv=Content-Type content='text/html; charset=gb2312'></head><body>"
            "<table border=1><tr><td colspan=5>翠湖花园业主名册</td></tr>"
            "<tr><th>楼栋</th><th>房号</th><th>建筑面积</th><th>业主姓名</th><th>联系电话</th></tr>"
            "<tr><td rowspan=2>3栋</td><td>2-1201</td><td>89.50</td><td>张&nbsp;三</td><td>138-0001-2345</td></tr>"
            "<tr><td>2-1202</td><td>90.00</td><td>\n  李四\n</td><td>139 0001 2345 <br/>\n0571-88001234</td></tr>"
            "<tr><td>合计</td><td></td><td>179.50</td><td></td><td></td></tr></table></body></html>")
    path = tmp_path / "业主信息导出.xls"
    path.write_bytes(page.encode("gbk"))
    sheet, report = check(supervisor, path)
    assert sheet.header_row == 2 and problems(report) == []
    assert planned(report) == {"3-2-1201": (8950, [("张三", "", MOBILE, "")], None),
                               "3-2-1202": (9000, [("李四", "", "13900012345", "057188001234")], None)}


def test_an_xls_from_a_web_system_that_is_a_csv(tmp_path, supervisor, frozen_now):
    path = tmp_path / "export.xls"
    path.write_bytes(csv_text(CSV_ROWS[1:3], "\t").encode("gbk"))
    _sheet, report = check(supervisor, path)
    assert list(planned(report)) == ["3-2-1201"]


@pytest.mark.parametrize("content", [b"", b"   \r\n", b"%PDF-1.4\n\x00\x01\x02\xff\xfe binary",
                                     b"PK\x03\x04 not really", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 broken ole"])
def test_a_file_that_is_no_spreadsheet_is_refused_in_words(content, tmp_path):
    path = tmp_path / "名册.xls"
    path.write_bytes(content)
    with pytest.raises(OfficeError) as e:
        importing.read(path)
    assert e.value.template == "This file could not be read as a spreadsheet (.xlsx, .xls, .ods or .csv)"


def test_a_workbook_without_a_header_says_so(tmp_path):
    with pytest.raises(OfficeError) as e:
        importing.read(xlsx(tmp_path / "none.xlsx", [["a", "b"], [1, 2]], title=None))
    assert e.value.template == "No header row (房号, 姓名, 面积 …) in the first 10 rows of any sheet"


# --- residents and opening balances, as their lists come ---------------------------------------

def test_opening_balances_with_a_total_row_and_amounts_as_people_write_them(tmp_path, supervisor, house,
                                                                            frozen_now):
    rows = [["房号", "收费项目", "所属期间", "欠费金额"], ["3-2-1201", "物业服务费", "2026年9月", "¥1,234.50"],
            ["3-2-1201", "物业服务费", "2026.10", 1234.5000000001], ["合计", None, None, "=2469"],
            ["制表：财务部"]]
    sheet, report = check(supervisor, xlsx(tmp_path / "欠费.xlsx", rows), "balances")
    assert problems(report) == []
    assert [(p["period"], p["arrears"]) for p in report.plan] == [("2026-09", 123450), ("2026-10", 123450)]
    assert [n for n, _t in notes(report)] == [1, 5, 6]


def test_residents_with_phones_as_people_write_them_and_notes_under_the_list(tmp_path, clerk, house, frozen_now):
    rows = [["房号", "姓名", "身份", "手机"], ["3-2-1201", "张小明", "家属", "+86 139-0001-2345"],
            ["3-2-1201", "刘租", "租户", "１３７ ０００１ ２３４５"], ["说明：租户以合同为准"]]
    sheet, report = check(clerk, xlsx(tmp_path / "住户.xlsx", rows, title=None), "residents")
    assert problems(report) == [] and notes(report) == [
        (4, "Left out: notes under the table on rows 4 (\"说明：租户以合同为准\")")]
    assert [p["fields"]["phone"] for p in report.plan] == ["13900012345", "13700012345"]


def test_a_resident_the_archive_cannot_hold_is_named_by_row_and_column(tmp_path, clerk, house, frozen_now):
    rows = [["房号", "姓名", "身份", "与业主关系"], ["3-2-1201", "张小明", "家属", "子女（在外地读书，寒暑假回来住，联系人为其母亲）" * 2]]
    _sheet, report = check(clerk, xlsx(tmp_path / "住户.xlsx", rows, title=None), "residents")
    assert problems(report) == [(2, "D 与业主关系", "At most 32 characters")]
