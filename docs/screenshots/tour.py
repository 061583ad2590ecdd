#!/usr/bin/env python3
"""Open the real window in one state for a screenshot (run it under Xvfb through
../shared/tools/xshot.py; see docs/screenshots/README.md).

    python docs/screenshots/tour.py --db DEMO.sqlite --step archive [--lang en]
"""
from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QTimer  # noqa: E402


def sample_workbook(corrected: bool) -> str:
    """A developer's handover list for a new building, as offices get it: a merged title,
    units in the headers, full-width digits, IDs and phones stored as numbers, dates as text
    and as Excel serials, and (unless corrected) a few mistakes."""
    import tempfile

    import openpyxl

    from models import validation

    def an_id(first17):
        return first17 + validation.resident_id_check_char(first17)

    rows = [["序号", "房号", "建筑面积（㎡）", "业主姓名", "身份证号", "联系电话", "交房日期", "备注"],
            [1, "２１栋１单元１０１室", "89.50", "陈 立 新", an_id("44030519851201002"), 13800138000, "2024/5/1", ""],
            [2, "21-1-102", 120, "林晓燕", an_id("44030519900307123"), "0755-8888 6666", 45413, ""],
            [3, "21-1-201", "大约90" if not corrected else 90, "黄志强", "", 13900139000, "2024年5月1日", ""],
            [4, "21-1-202", 89.5, "周美玲", 440305199003071000 if not corrected else an_id("44030519900307456"),
             "", "", ""],
            [5, "21-1-301", 89.5, "吴建国", "", "138001" if not corrected else "13800138001", "", ""],
            [6, "21-1-302", 95, "郑丽", "", "", "2099-01-01" if not corrected else "2024-06-01", "车位另计"],
            [7, "二十一栋" if not corrected else "21-1-401", 89.5, "王海", "", "", "", ""]]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "业主名册"
    ws.append(["翠湖花园 21 栋业主名册（开发商移交）"])
    ws.merge_cells("A1:H1")
    ws.append([])
    for r in rows:
        ws.append(r)
    path = Path(tempfile.gettempdir()) / ("21栋业主名册-已改.xlsx" if corrected else "21栋业主名册.xlsx")
    wb.save(path)
    return str(path)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    steps = ["login", "archive", "search", "owner_form", "audit", "settings", "missing", "first_admin",
                            "preview", "notices", "cards", "cards_progress", "counter", "arrears", "meters",
                            "floor_plan", "void", "day_close", "desk", "desk_keys", "desk_items", "desk_handbook",
                            "key_count", "repairs", "repairs_history", "complaints_history", "due_now", "complaints", "visits",
                            "survey", "today", "first_steps", "backup", "import", "import_ok", "restore", "billing",
                            "fees", "guide", "designer", "designer-notice", "designer-label", "counter-charges", "vacant",
                            "renovation", "movein", "history", "resale"]
    # reg_<tab>[+<dialog>]: a register of 登记簿, or one of its dialogs (its module's tour_dialog)
    p.add_argument("--step", required=True,
                   type=lambda v: v if v in steps or v.startswith("reg_") else p.error(f"no step {v}"))
    p.add_argument("--lang", default="zh_CN")
    p.add_argument("--user", default="zhao")
    a = p.parse_args()

    from models import clock, db, users
    from ui import app as app_module

    qapp = app_module.make_app(a.lang)
    db.connect(db.url_from_arg(a.db))
    if a.step == "login":
        from ui.login import LoginDialog
        from models import estate

        d = LoginDialog(estate.profile().name, "wang")
        d.show()
        return qapp.exec()
    if a.step == "first_admin":
        from ui.login import FirstAdminDialog

        d = FirstAdminDialog()
        d.show()
        return qapp.exec()
    if a.step == "first_steps":  # a new office: its administrator on 今日 with the first steps
        from models import first_steps

        if not users.User.select().exists():
            first_steps.first_administrator("admin", "系统管理员", "demo1234")
        a.user = "admin"
    user = users.login(a.user, "demo1234")
    from ui.main_window import MainWindow

    w = MainWindow(user, app_module.db_label(db.url_from_arg(a.db)))
    w.setGeometry(qapp.primaryScreen().availableGeometry())  # the whole screen: xshot's --size, no frame
    w.show()
    page = w.page("archive")
    keep = []

    def act():
        if a.step in ("archive", "owner_form"):
            page.search_box.setText("3-2-1201")
            page.run_search()
            page.detail.owner_view.selectRow(0)
        if a.step == "history":  # 3-2-1201's story, the newest first
            page.search_box.setText("3-2-1201")
            page.run_search()
            page.detail.tabs.setCurrentWidget(page.detail.history_tab)
        if a.step == "resale":  # 3-2-1201 sold: how it stands, the new owner typed
            page.search_box.setText("3-2-1201")
            page.run_search()
            d = page.detail.sold(exec_dialog=False)
            d.name.setText("李四")
            d.id_number.setText("110101199003077571")
            d.move(300, 60)
            d.show()
            keep.append(d)
        if a.step == "movein":  # the move-in stopped at its papers this morning, taken up again
            from models import movein

            [waiting] = [m for m in movein.waiting(user) if m.step == "papers"]
            d = page.open_movein(waiting.case_id, exec_dialog=False)
            d.move(60, 60)
            d.show()
            keep.append(d)
        if a.step == "search":
            page.search_box.setText("zs")
            page.run_search()
        if a.step == "owner_form":
            from ui.archive_dialogs import OwnerDialog

            d = OwnerDialog(user, house_id=page.detail.archive.house.id, parent=w)
            d.name.setText("张三丰")
            d.id_number.setText("110105194912310021")
            d.phone.setText("1381234")
            d._save()  # shows the messages next to the fields
            d.move(380, 60)
            d.show()
            keep.append(d)
        if a.step == "notices":
            notices = w.page("notices")
            notices.reason.setPlainText("市政供水管网检修")
            notices.buildings.setText("1-6栋")
        if a.step == "audit":
            w.page("audit")
        if a.step == "settings":
            w.page("settings")
        if a.step == "preview":
            from ui.archive_page import MissingPapersDialog
            from ui.preview import preview_list

            d = MissingPapersDialog(user, None, "全小区", w)
            p = preview_list(w, "缺失资料清单 — 全小区", d.model, "共 {} 户".format(d.model.rowCount()))
            p.move(150, 0)
            p.resize(1000, 760)
            p.show()
            keep.extend([d, p])
        if a.step in ("cards", "cards_progress"):
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.question = lambda *args, **kw: QMessageBox.StandardButton.Yes
            if a.step == "cards":  # building 1; cards_progress: the whole estate, still being made
                page.tree.setCurrentItem(page.tree.topLevelItem(0))
            page.print_cards()
        if a.step == "arrears":
            from PySide6.QtCore import QDate

            arrears_page = w.page("arrears")
            last = clock.today().replace(day=1) - datetime.timedelta(days=1)  # the last month billed
            arrears_page.month.setDate(QDate(last.year, last.month, 1))
            arrears_page.where.setCurrentIndex(3)  # building 3
            for r in range(arrears_page.model.rowCount()):
                if arrears_page.model.row_object(r).label == "3-2-1201":
                    arrears_page.view.selectRow(r)
        if a.step == "floor_plan":
            arrears_page = w.page("arrears")
            arrears_page.where.setCurrentIndex(3)
            arrears_page.tabs.setCurrentIndex(1)
        if a.step == "counter":
            counter = w.page("counter")
            counter.search_box.setText("3-2-1201")
            counter.run_search()
            counter.tendered.setText("500")
        if a.step == "counter-charges":  # F6: a light fitted, the debris fee and the renovation deposit added
            from models import pricelist

            counter = w.page("counter")
            counter.search_box.setText("3-2-1201")
            counter.run_search()
            light = next(e for e in pricelist.entries() if e.name == "装灯")
            counter.pending = [("extra", pricelist.charge(light, quantity="3")),
                               ("extra", pricelist.Extra("debris", 30_000, "厨房装修")),
                               ("deposit", ("renovation_deposit", 200_000, "装修保证金"))]
            counter.refresh()
            counter.tendered.setText("3000")
        if a.step == "billing":  # the month's charges previewed, before they are posted
            w.page("billing").preview()
        if a.step == "fees":
            w.page("fees").view.selectRow(0)
        if a.step == "guide":  # F1 on the counter: the clerk's guide open on the counter's chapter
            counter = w.page("counter")
            counter.search_box.setText("3-2-1201")
            counter.run_search()
            d = w.open_guide()
            d.setGeometry(qapp.primaryScreen().availableGeometry())
            keep.append(d)
        if a.step == "designer":  # the office's receipt stock scanned, its form fitted over it
            from tests.data.stock import stock
            from ui.form_designer import FormDesigner

            w.page("settings")
            d = FormDesigner(user, stock.fitted(), w)
            d.choose_background(str(stock.SCAN))
            d.undo.setClean()
            d.choose_field("payer")
            d.setGeometry(qapp.primaryScreen().availableGeometry())
            d.show()
            keep.append(d)
        if a.step in ("designer-notice", "designer-label"):  # a dunning notice's or a label's starting form
            from dataclasses import replace as changed

            from printing import forms
            from ui.form_designer import FormDesigner

            w.page("settings")
            notice = a.step == "designer-notice"
            d = FormDesigner(user, changed(forms.start("dunning" if notice else "parcel-label", "A4"),
                                           name="催缴通知书" if notice else "包裹标签"), w)
            d.undo.setClean()
            d.choose_field("body" if notice else "recipient")
            d.setGeometry(qapp.primaryScreen().availableGeometry())
            d.show()
            keep.append(d)
        if a.step == "meters":
            from PySide6.QtCore import QDate

            meters_page = w.page("meters")
            grid = meters_page.model
            for r, reading in enumerate([None, 40, None, 3]):  # a house's usage typed; one lower than last month
                if reading is None:
                    continue
                last = grid.rows[r].previous
                grid.setData(grid.index(r, 3), str(last + reading if reading > 10 else last - reading))
            grid.setData(grid.index(4, 3), str(grid.rows[4].previous + 14))
            meters_page.view.resizeColumnsToContents()
        if a.step == "void":
            from PySide6.QtWidgets import QApplication

            counter = w.page("counter")
            counter.search_box.setText("3-2-1201")
            counter.run_search()
            counter.receipts.selectRow(0)

            def fill():
                dialog = QApplication.activeModalWidget()
                dialog.reason.setText("收错户，应为3-2-1202")
                dialog.username.setText("zhao")
                dialog.password.setText("demo1234")
                dialog.move(420, 200)

            QTimer.singleShot(500, fill)
            counter.void()
        if a.step == "day_close":
            from PySide6.QtCore import QDate

            day = w.page("day_close")
            day.day.setDate(QDate(clock.today().year, clock.today().month, clock.today().day))
            day.counted.setText("1,200.00")
        if a.step == "desk":
            desk = w.page("desk")
            desk.parcels.house_edit.setText("5-1-302")
            desk.parcels.house_edit.editingFinished.emit()
            desk.parcels.tracking.setText("SF" + clock.today().strftime("%Y%m%d") + "00187")
            desk.parcels.shelf.setText("B-3")
        if a.step == "repairs":
            service = w.page("service")
            service.repairs.house_edit.setText("7-2-601")
            service.repairs.house_edit.editingFinished.emit()
            service.repairs.place.setText("卫生间")
            service.repairs.what.setText("卫生间顶棚滴水，楼上疑似漏水")
            service.repairs.category.setCurrentIndex(service.repairs.category.findData("leak"))
        if a.step in ("repairs_history", "complaints_history"):
            from ui import kit

            kit.ListDialog.exec = lambda d: (keep.append(d), d.show(), 0)[2]  # shown, not waited on
            service = w.page("service")
            tab = service.repairs if a.step == "repairs_history" else service.complaints
            service.tabs.setCurrentWidget(tab)
            tab.history()
        if a.step == "due_now":
            service = w.page("service")
            service.tabs.setCurrentWidget(service.due)
        if a.step == "complaints":
            service = w.page("service")
            service.tabs.setCurrentWidget(service.complaints)
            service.complaints.view.selectRow(0)
        if a.step in ("visits", "survey"):
            service = w.page("service")
            service.tabs.setCurrentWidget(service.visits if a.step == "visits" else service.survey)
            service.visits.month.setText(clock.today().strftime("%Y-%m"))
            service.visits.load()
            service.survey.year.setValue(clock.today().year)
        if a.step == "vacant":  # the service desk's round of the vacant houses, the first one's inspections
            service = w.page("service")
            service.tabs.setCurrentWidget(service.vacant)
            service.vacant.load()
            service.vacant.view.selectRow(0)
            service.vacant.show_history()
        if a.step == "renovation":  # the open renovations, the one with works going on chosen
            service = w.page("service")
            service.tabs.setCurrentWidget(service.renovation)
            service.renovation.load()
            service.renovation.view.selectRow(0)
            service.renovation.show_case()
        if a.step in ("today", "first_steps"):
            w.page("today")
        if a.step == "restore":
            import tempfile

            from models import backup
            from ui.restore_dialog import RestoreDialog

            usb = Path(tempfile.mkdtemp(prefix="usb-"))
            made = backup.create(usb, password="demo1234", office="翠湖花园", keep=False)
            d = RestoreDialog(user, w)
            d.file.setText(str(made))
            d.password.setText("demo1234")
            d.inspect()
            d.move(330, 160)
            d.show()
            keep.append(d)
        if a.step in ("import", "import_ok"):
            from ui.import_dialog import ImportDialog

            d = ImportDialog(user, w, "houses")
            d.open_file(sample_workbook(a.step == "import_ok"))
            d.check()
            d.move(200, 40)
            d.show()
            keep.append(d)
        if a.step == "backup":
            from PySide6.QtWidgets import QApplication  # noqa: F811 - each step imports what it uses

            def fill():
                dialog = QApplication.activeModalWidget()
                dialog.folder.setText("E:/物业备份")
                dialog.password.setText("demo1234")
                dialog.again.setText("demo1234")
                dialog.move(430, 220)

            QTimer.singleShot(500, fill)
            w.back_up()
        if a.step == "key_count":
            from PySide6.QtWidgets import QApplication  # noqa: F811 - each step imports what it uses

            desk = w.page("desk")
            desk.tabs.setCurrentWidget(desk.keys)

            def count():
                dialog = QApplication.activeModalWidget()
                dialog.spins[2].setValue(0)  # the copy that should hang there is not on its hook
                dialog.note.setText("P-03 一把未见，已联系秩序部核实")
                dialog.resize(720, 520)
                dialog.move(330, 120)

            QTimer.singleShot(500, count)
            desk.keys.count_keys()
        if a.step == "desk_items":
            desk = w.page("desk")
            desk.tabs.setCurrentWidget(desk.items)
        if a.step == "desk_handbook":
            desk = w.page("desk")
            desk.tabs.setCurrentWidget(desk.handbook)
        if a.step == "desk_keys":
            desk = w.page("desk")
            desk.tabs.setCurrentWidget(desk.keys)
            desk.keys.loans_view.selectRow(0)
        if a.step.startswith("reg_"):  # a register's tab (reg_messages), or its dialog (reg_messages+new)
            registers = w.page("registers")
            tab_name, _, dialog = a.step[4:].partition("+")
            tab = getattr(registers, tab_name)
            registers.tabs.setCurrentWidget(tab)
            tab.load()
            if tab.model.rowCount():
                tab.view.selectRow(0)
            if dialog:
                import importlib

                module = importlib.import_module(type(tab).__module__)
                made = getattr(module, "tour_dialog")(user, tab, dialog)
                made.move(160, 40)
                made.show()
                keep.append(made)
        if a.step == "missing":
            from ui.archive_page import MissingPapersDialog

            d = MissingPapersDialog(user, None, "全小区", w)
            d.move(200, 60)
            d.show()
            keep.append(d)

    QTimer.singleShot(300, act)
    return qapp.exec()


if __name__ == "__main__":
    sys.exit(main())
