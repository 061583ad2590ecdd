"""The repair work order on the office's own pre-printed 派工单 book (套打): the form made
from the built-in layout, fitted, imported on this PC and chosen; the service desk's work
order then prints its values alone, each in its box; a report its box cannot hold is
refused with the field named, nothing printed."""
import datetime
import json
from dataclasses import replace

import pytest

from models import clock, repairs, templates
from printing import slip
from tests.printing import geometry
from tests.ui import test_service_repairs

tab = test_service_repairs.tab  # the fixture: the service desk's repairs tab, 3-2-1201 and its owner
T0 = test_service_repairs.T0
MM = geometry.MM


def work_order_form(tmp_path, what_lines: int = 3, name: str = "翠湖派工单"):
    t = replace(slip.default_template("work-order", "A5"), name=name)
    t = replace(t, items=tuple(replace(i, lines=what_lines, min_size=9, floor=None) if i.name == "what" else i
                               for i in t.items))
    path = tmp_path / f"{name}.json"
    templates.export_file(t, path)
    return t, path


def a_repair(tab, what: str):
    from models import estate

    with clock.frozen(T0):
        return repairs.report(tab.user, reporter="张三", what=what, category="leak", phone="13812345678",
                              house_id=estate.House.select().first().id)


def test_the_work_order_prints_its_values_alone_in_the_boxes_of_the_offices_form(tab, admin, qtbot, message_boxes,
                                                                                tmp_path):
    from ui import prefs
    from ui.settings_page import SettingsPage

    t, path = work_order_form(tmp_path)
    page = SettingsPage(admin)
    qtbot.addWidget(page)
    page.show_document("work-order")
    assert page.import_template(str(path)).document == "work-order"
    assert prefs.get("work-order/template") == "翠湖派工单" and prefs.get("receipt/template") == ""
    assert page.receipt_template.currentText() == "翠湖派工单"
    page.data_only.setChecked(True)
    assert prefs.get("work-order/data_only") is True and prefs.get("receipt/data_only") is False

    repair = a_repair(tab, "厨房水管漏水")
    dialog = tab.print_order(repair)
    p = geometry.read(dialog.pdf)
    words = [r.text for r in p.runs]
    assert "厨房水管漏水" in words and "3-2-1201" in words and repair.number_text in words
    assert not any(w.startswith(("报修内容", "房号/地点", "维修派工单", "No.")) for w in words)  # on the stock already
    assert p.shapes == []
    [what] = [i for i in t.items if i.name == "what"]
    run = p.one("厨房水管漏水")
    assert run.box.x0 / MM == pytest.approx(what.x, abs=0.01)
    assert what.y <= (p.height - run.box.y1) / MM and (p.height - run.box.y0) / MM <= what.y + what.h
    assert (p.width / MM, p.height / MM) == (pytest.approx(148, abs=0.1), pytest.approx(210, abs=0.1))


def test_a_report_the_forms_box_cannot_hold_is_refused_and_nothing_printed(tab, admin, qtbot, message_boxes, tmp_path):
    from ui import prefs

    _t, path = work_order_form(tmp_path, what_lines=1)
    templates.import_file(admin, path)
    prefs.set("work-order/template", "翠湖派工单")
    repair = a_repair(tab, "厨房水管漏水，楼下天花板已经渗水发黄，业主要求今天下午之前上门查看并处理，" * 2)
    before = len(tab.shown)
    assert tab.print_order(repair) is None
    [(_kind, _title, text)] = message_boxes
    assert "What is wrong" in text or "报修内容" in text
    assert len(tab.shown) == before


def test_a_work_order_form_with_a_table_of_lines_is_refused(tmp_path):
    from printing import receipt

    t, path = work_order_form(tmp_path)
    body = json.loads(path.read_text(encoding="utf-8"))
    body["table"] = json.loads(receipt.default_template("A5").to_json())["table"]
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(templates.TemplateInvalid, match="A Work order has no table of lines"):
        templates.read_file(path)


def test_the_designer_starts_a_work_order_form_from_the_built_in_layout(admin, qtbot, message_boxes):
    from ui.settings_page import SettingsPage

    page = SettingsPage(admin)
    qtbot.addWidget(page)
    page.show_document("work-order")
    d = page.design_template(exec_dialog=False)
    qtbot.addWidget(d)
    assert d.template.document == "work-order" and (d.template.width, d.template.height) == (148, 210)
    assert {"what", "place", "technician"} <= d.template.fields() and d.template.table is None
    dialog = d.preview(exec_dialog=False)
    assert dialog is not None and "厨房水龙头漏水" in geometry.read(dialog.pdf).text
    dialog.close()
    d.name.setText("翠湖派工单")
    assert d.save() and templates.names("work-order") == ["翠湖派工单"] and templates.names("receipt") == []
