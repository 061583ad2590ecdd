"""The Excel import dialog (matching, the dry run's problems, all-or-nothing import) and the
exports of the list on screen and of the standard reports, through the window."""
import datetime

import openpyxl

from models import clock, estate, owners, validation


def workbook(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["翠湖花园 业主名册"])
    ws.merge_cells("A1:E1")
    for r in rows:
        ws.append(r)
    wb.save(path)
    return str(path)


def test_the_import_dialog_checks_then_imports_all_rows(supervisor, qtbot, tmp_path, message_boxes, monkeypatch):
    from ui.import_dialog import ImportDialog

    good_id = "44030519851201002" + validation.resident_id_check_char("44030519851201002")
    header = ["房屋编号", "建筑面积(m²)", "姓名", "证件号码", "手机"]
    messy = workbook(tmp_path / "名册.xlsx", [header, ["3-1-101", "89,5", "张三", good_id, "13800138000"],
                                               ["3-1-102", 95, "李四", "", "1380013800"]])
    dialog = ImportDialog(supervisor, kind="houses")
    qtbot.addWidget(dialog)
    assert not dialog.check_button.isEnabled() and not dialog.import_button.isEnabled()
    assert dialog.open_file(messy)
    assert "row 2" in dialog.about.text() and "2 rows" in dialog.about.text()
    assert dialog.current_mapping() == {"house": 0, "area": 1, "owner": 2, "id_number": 3, "phone": 4}
    assert dialog.mapping.item(0, 2).text() == "3-1-101"  # the first row's cell beside its match

    report = dialog.check()
    assert [(p.row, p.column) for p in report.problems] == [(3, "B 建筑面积(m²)"), (4, "E 手机")]
    assert dialog.problems.rowCount() == 2
    assert dialog.problems.data(dialog.problems.index(0, 2)) == "\"89,5\" is not a number"
    assert not dialog.import_button.isEnabled() and "nothing has been written" in dialog.summary.text()

    # the problems go to Excel for whoever corrects the workbook
    out = tmp_path / "problems.xlsx"
    from PySide6.QtWidgets import QFileDialog
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    dialog.export_problems()
    assert [c.value for c in openpyxl.load_workbook(out).active[4]][:2] == [3, "B 建筑面积(m²)"]

    fixed = workbook(tmp_path / "名册2.xlsx", [header, ["3-1-101", "89.5", "张三", good_id, "13800138000"],
                                                ["3-1-102", 95, "李四", "", "13800138001"]])
    assert dialog.open_file(fixed)
    report = dialog.check()
    assert report.ok and dialog.import_button.isEnabled()
    assert "2 houses, 2 owners" in dialog.summary.text()
    dialog.combos["phone"].setCurrentIndex(0)  # a changed match: checked again before importing
    assert not dialog.import_button.isEnabled()
    dialog.check()
    report = dialog.run()
    assert report.written and "Imported 2 rows" in dialog.summary.text()
    assert sorted(h.label for h in estate.House.select()) == ["3-1-101", "3-1-102"]
    assert owners.Owner.get(owners.Owner.name == "李四").phone == ""  # the phone column was left out
    assert not dialog.import_button.isEnabled()  # imported once


def test_a_clerk_imports_residents_only(clerk, qtbot):
    from ui.import_dialog import ImportDialog

    dialog = ImportDialog(clerk)
    qtbot.addWidget(dialog)
    assert [dialog.kind.itemData(i) for i in range(dialog.kind.count())] == ["residents"]


def test_the_list_on_screen_and_the_reports_go_to_excel(supervisor, house, qtbot, tmp_path, message_boxes):
    from ui.main_window import MainWindow

    owners.add_owner(supervisor, house.id, name="张三", phone="13800138000")
    w = MainWindow(supervisor)
    qtbot.addWidget(w)
    w.page("archive")
    made = w.export_list(str(tmp_path / "list.xlsx"))
    ws = openpyxl.load_workbook(made).active
    heads = [c.value for c in ws[3]]
    assert heads[:3] == ["House", "Floor", "Area (m²)"]
    first = [c.value for c in ws[4]]
    assert first[:3] == ["3-2-1201", 12, 89.5] and ws["C4"].number_format == "#,##0.00"

    with clock.frozen(datetime.datetime(2026, 11, 23, 10)):
        made = w.export_report("collection", str(tmp_path / "c.xlsx"), month="2026-11")
        assert openpyxl.load_workbook(made).active["A1"].value == "2026-11 收缴情况"
        made = w.export_report("houses", str(tmp_path / "h.xlsx"))
    assert [c.value for c in openpyxl.load_workbook(made).active[4]][:1] == ["3-2-1201"]
    assert [kind for kind, *_ in message_boxes].count("information") == 3  # each told where it went


def test_a_workbook_corrected_in_excel_is_read_again(supervisor, qtbot, tmp_path, message_boxes):
    import os

    from ui.import_dialog import ImportDialog

    path = tmp_path / "名册.xlsx"
    workbook(path, [["房号", "面积", "业主"], ["3-1-101", "大约90", "张三"]])
    dialog = ImportDialog(supervisor, kind="houses")
    qtbot.addWidget(dialog)
    dialog.open_file(str(path))
    assert [p.row for p in dialog.check().problems] == [3]
    workbook(path, [["房号", "面积", "业主"], ["3-1-101", 90, "张三"]])  # corrected and saved
    os.utime(path, ns=(dialog.stamp[0] + 10**9, dialog.stamp[0] + 10**9))
    report = dialog.check()
    assert report.ok and dialog.import_button.isEnabled()
    workbook(path, [["房号", "面积", "业主", "电话"], ["3-1-101", 90, "张三", "13800138000"]])  # saved again
    os.utime(path, ns=(dialog.stamp[0] + 2 * 10**9, dialog.stamp[0] + 2 * 10**9))
    assert dialog.run() is None and "matched again" in dialog.summary.text()  # a new column: look, check again
    assert dialog.current_mapping()["phone"] == 3 and not dialog.import_button.isEnabled()
    assert dialog.check().ok and dialog.run().written


def test_the_desk_clerk_exports_her_own_day_close(clerk, qtbot, tmp_path, message_boxes):
    from ui import exchange
    from ui.main_window import MainWindow

    assert "day-close" in exchange.reports_for(clerk)  # she takes parcel fees and closes her own day
    w = MainWindow(clerk)
    qtbot.addWidget(w)
    with clock.frozen(datetime.datetime(2026, 11, 23, 17)):
        made = w.export_report("day-close", str(tmp_path / "d.xlsx"))
    assert openpyxl.load_workbook(made).active["A1"].value == "2026-11-23 日结"
