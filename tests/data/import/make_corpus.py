#!/usr/bin/env python3
"""Makes the workbooks of the import corpus that openpyxl cannot: files written by another
program. Each is built with openpyxl as an office would have it, then opened and saved by
LibreOffice as .xls (Excel 97–2003), .ods and .xlsx, so the tests read what Calc writes
(its own XML, computed formula values, real date cells, merged cells its way).

    apt-get install -y libreoffice-calc-nogui
    .venv/bin/python tests/data/import/make_corpus.py

The files are committed beside this script: the tests need no LibreOffice. What each holds
is asserted in tests/models/test_importing_corpus.py."""
from __future__ import annotations

import datetime
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

import openpyxl  # noqa: E402

from models import validation  # noqa: E402


def an_id(first17: str, lower: bool = False) -> str:
    number = first17 + validation.resident_id_check_char(first17)
    return number.lower() if lower else number


def handover(path: Path) -> None:
    """The developer's list as offices keep it: a merged title and a subtitle above the
    header, 楼栋 and 单元 merged down over their houses, co-owners in one cell and on two
    rows under one merged house cell, a hidden column, IDs as text (one with a small x),
    phones as numbers and as people write them, dates as date cells, serials and text, an
    area computed by a formula, a 小计 and a 合计 row, an empty row and notes under the table."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "业主名册"
    ws.append(["翠湖花园业主名册（2026年）"])
    ws.merge_cells("A1:J1")
    ws.append(["单位：平方米", None, None, None, None, None, None, "制表日期：2026年1月5日"])
    ws.append(["序号", "楼栋", "单元", "房号", "建筑面积（㎡）", "业主姓名", "身份证号", "联系电话", "交房日期",
               "内部编码"])
    rows = [
        [1, "1栋", "1单元", 101, 89.5, "张三", an_id("44030519850101001"), 13800012345,
         datetime.date(2026, 1, 5), "A-001"],
        [2, None, None, 102, 95.25, "李四、王芳", f"{an_id('44030519860202002')}、{an_id('44030519870303003')}",
         "138-0001-2346", "2026/1/6", "A-002"],
        [3, None, "2单元", 101, "89.5㎡", "赵六", an_id("11010519900307005", lower=True), "+86 139 0001 2345",
         46029, "A-003"],
        [4, None, None, 102, "=100+20", "钱七", "", "0571-88001234", "2026年1月8日", "A-004"],
        [],
        [5, "2栋", "1单元", 101, 100, "孙八", an_id("44030519880404004"), "（+86）137 0001 2345", "2026.01.09",
         "B-001"],
        [None, None, None, None, None, "周九", an_id("44030519890505005"), "", None, None],
        ["小计", None, None, None, "=SUM(E4:E10)", None, None, None, None, None],
        ["合计", None, None, None, "=SUM(E4:E10)", None, None, None, None, None],
        ["备注：面积以产权证为准。"],
        ["2. 电话请向业主核实。"],
        ["制表人：李梅", None, None, None, "审核：王强"],
    ]
    for r in rows:
        ws.append(r)
    ws["I4"].number_format = "yyyy-mm-dd"
    for cells in ("B4:B7", "C4:C5", "C6:C7", "B9:B10", "C9:C10", "D9:D10", "E9:E10", "I9:I10", "A9:A10",
                  "A13:J13", "A14:J14"):
        ws.merge_cells(cells)
    ws.column_dimensions["J"].hidden = True
    wb.save(path)


def sheets(path: Path) -> None:
    """Several sheets: instructions first, a hidden sheet of an old list, the data third."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "填表说明"
    for line in ("1. 房号按 楼栋-单元-房号 填写", "2. 身份证号请设为文本格式", "3. 不要合并单元格"):
        ws.append([line])
    old = wb.create_sheet("旧名册")
    old.append(["房号", "面积", "业主"])
    old.append(["9-9-999", 50, "旧业主"])
    old.sheet_state = "hidden"
    data = wb.create_sheet("名册")
    data.append(["房屋编号", "计费面积", "客户名称", "移动电话", "入伙日期"])
    data.append(["5-1-101", 88, "陈一", "13600012345", datetime.datetime(2025, 12, 31, 0, 0)])
    data.append(["5-1-102", 88.0, "陈二", 13600012346, "25-12-31"])
    wb.save(path)


def two_row_header(path: Path) -> None:
    """A header on two rows: group names over the owner's columns, 房号 and 面积 merged down
    beside them; an empty column between; numbers stored as text."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["房号", "面积", None, "业主信息", None, None])
    ws.append([None, None, None, "姓名", "证件号码", "手机"])
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:B2")
    ws.merge_cells("D1:F1")
    ws.append(["6-1-101", "76.30", None, "吴一", an_id("44030519900606006"), "13500012345"])
    ws.append(["6-1-102", "76.3", None, "吴二", an_id("44030519910707007"), "135 0001 2346"])
    for row in ws.iter_rows(min_row=3):
        for c in row:
            c.number_format = "@"
    wb.save(path)


def convert(source: Path, target: Path, filter_name: str) -> None:
    with tempfile.TemporaryDirectory() as out, tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                        f"{target.suffix[1:]}:{filter_name}", "--outdir", out, str(source)],
                       check=True, capture_output=True, timeout=180)
        made = Path(out) / (source.stem + target.suffix)
        shutil.move(made, target)


def main() -> int:
    if shutil.which("soffice") is None:
        print("LibreOffice (soffice) is needed: apt-get install -y libreoffice-calc-nogui", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for make, name, formats in ((handover, "handover", ("xls", "ods", "xlsx")), (sheets, "sheets", ("xls",)),
                                    (two_row_header, "two_row_header", ("ods",))):
            source = tmp / f"{name}.xlsx"
            make(source)
            for fmt in formats:
                filter_name = {"xls": "MS Excel 97", "ods": "calc8", "xlsx": "Calc MS Excel 2007 XML"}[fmt]
                convert(source, HERE / f"{name}-libreoffice.{fmt}", filter_name)
                print(f"made {name}-libreoffice.{fmt}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
