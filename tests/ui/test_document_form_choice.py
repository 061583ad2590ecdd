"""The key loan slip and the payment notices on the office's own stock, chosen in 本机设置 →
单据格式 on this PC: the desk's slip and the arrears page's notices then print the values
alone in the boxes of the office's form; a notice the form cannot hold is refused in words,
nothing printed and nothing recorded as sent."""
import datetime
import io
from dataclasses import replace

from pypdf import PdfReader

from models import clock, dunning, keys, templates
from printing import forms
from tests.printing import geometry
from tests.ui import test_arrears_page, test_desk_keys, test_desk_parcels

desk = test_desk_keys.desk  # the desk with the key K-12 of 3-2-1201
owing = test_arrears_page.owing  # 3-2-1201 and 3-2-1202 owing
page = test_arrears_page.page
parcels_tab = test_desk_parcels.tab  # the desk's parcels tab, 3-2-1201's owner 张三
MM = geometry.MM


def choose(admin, qtbot, document: str, t: templates.Template, tmp_path, data_only: bool = True):
    from ui.settings_page import SettingsPage

    path = tmp_path / f"{t.name}.json"
    templates.export_file(t, path)
    settings = SettingsPage(admin)
    qtbot.addWidget(settings)
    settings.show_document(document)
    assert settings.import_template(str(path)).name == t.name
    assert settings.receipt_template.currentText() == t.name
    settings.data_only.setChecked(data_only)
    return settings


def test_the_key_slip_prints_its_values_alone_in_the_boxes_of_the_offices_form(desk, clerk, admin, qtbot, tmp_path,
                                                                               monkeypatch, message_boxes):
    from ui import prefs
    from ui.desk import keys as desk_keys

    t = replace(forms.start("key-slip", "A5"), name="翠湖钥匙登记单")
    t = replace(t, items=tuple(replace(i, x=i.x + 4.5) if i.name == "borrower" else i for i in t.items))
    choose(admin, qtbot, "key-slip", t, tmp_path)
    assert prefs.get("key-slip/template") == "翠湖钥匙登记单" and prefs.get("key-slip/data_only") is True
    assert prefs.get("work-order/template") == "" and prefs.get("receipt/data_only") is False

    def lend(dialog):
        dialog.kind.setCurrentIndex(dialog.kind.findData("delegate"))
        dialog.borrower.setText("王师傅")
        dialog.id_number.setText("11010519491231002X")
        dialog.letter.setChecked(True)
        dialog.confirmed_how.setCurrentIndex(dialog.confirmed_how.findData("phone"))
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(desk_keys.LendDialog, "exec", lend)
    desk.keys.register_view.selectRow(0)
    with clock.frozen(test_desk_keys.T0):
        desk.keys.lend()
    [loan] = keys.KeyLoan.select()
    p = geometry.read(desk.shown[-1].pdf)
    words = [r.text for r in p.runs]
    assert "王师傅（受托人）" in words and "K-12  3-2-1201 大门" in words and f"K{loan.id:06d}" in words
    assert not any(w.startswith(("钥匙借用登记单", "借用人", "应还时间", "No.")) for w in words)  # the stock's own
    assert p.shapes == []
    [box] = [i for i in t.items if i.name == "borrower"]
    run = p.one("王师傅（受托人）")
    assert abs(run.box.x0 / MM - box.x) < 0.01  # the box's left edge as typed, 4.5 mm right of the start
    assert (round(p.width / MM, 1), round(p.height / MM, 1)) == (148.0, 210.0)


def test_notices_print_on_the_offices_form_and_one_it_cannot_hold_is_refused(page, owing, admin, qtbot, tmp_path,
                                                                            monkeypatch, message_boxes):
    from ui import preview

    t = replace(forms.start("notice", "A4"), name="翠湖缴费通知单")
    choose(admin, qtbot, "notice", t, tmp_path)
    _w, p = page
    seen = {}
    monkeypatch.setattr(preview.PreviewDialog, "exec",
                        lambda dialog: seen.update(path=dialog.path, pdf=open(dialog.path, "rb").read()) or 0)
    with clock.frozen(datetime.datetime(2026, 11, 20, 10)):
        p.where.setCurrentIndex(1)  # building 3
        p.print_batch("notice")
    pdf = seen["pdf"]
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    first = geometry.read(pdf)
    words = [r.text for r in first.runs]
    assert any("3-2-1201" in w for w in words) and "物业服务费" in words and first.shapes == []
    assert not any(w in ("月份", "项目", "合计", "缴 款 通 知") for w in words)  # on the stock already

    # the office narrows the wording's box to one short line: the batch is refused in words
    narrow = replace(t, name="窄通知单", items=tuple(replace(i, w=30, lines=1, min_size=10, floor=None)
                                                   if i.name == "body" else i for i in t.items))
    choose(admin, qtbot, "notice", narrow, tmp_path)
    seen.clear()
    message_boxes.clear()
    with clock.frozen(datetime.datetime(2026, 11, 20, 10)):
        p.print_batch("notice")
    assert "path" not in seen  # nothing previewed
    [(kind, _title, text)] = [m for m in message_boxes if m[0] == "warning"]
    assert "窄通知单" in text and "The office's wording" in text, text
    assert dunning.DunningStep.select().count() == 0  # nothing recorded as sent


def test_the_designer_starts_each_documents_form_from_its_built_in_layout_and_previews_it(admin, qtbot,
                                                                                          message_boxes):
    from ui.settings_page import SettingsPage

    settings = SettingsPage(admin)
    qtbot.addWidget(settings)
    offered = [settings.form_document.itemData(i) for i in range(settings.form_document.count())]
    assert offered == ["receipt", "work-order", "parcel-label", "key-slip", "item-slip", "notice", "dunning"]
    for document, paper, value, has_table in (("parcel-label", (60, 40), "A-0315", False),
                                              ("key-slip", (148, 210), "李师傅（施工方）", False),
                                              ("item-slip", (148, 210), "W-007  人字梯（2 m）", False),
                                              ("notice", (210, 297), "公摊水电费", True),
                                              ("dunning", (210, 297), "贵户已拖欠物业服务费三个月", True)):
        settings.show_document(document)
        d = settings.design_template(exec_dialog=False)
        qtbot.addWidget(d)
        assert d.template.document == document and (d.template.width, d.template.height) == paper
        assert (d.template.table is not None) == has_table
        shown = d.preview(exec_dialog=False)
        assert shown is not None and value in geometry.read(shown.pdf).text, document  # the demo's values
        shown.close()
        d.name.setText(f"本处{document}")
        assert d.save() and templates.names(document) == [f"本处{document}"]
        d.close()
    assert templates.names("receipt") == [] and templates.names("work-order") == []


def test_parcel_labels_print_on_the_offices_label_size_and_one_it_cannot_hold_takes_nothing_in(
        parcels_tab, admin, qtbot, tmp_path, message_boxes):
    from models import parcels

    t = replace(forms.start("parcel-label", "A5"), name="50×30标签", width=50, height=30, items=(
        templates.Item("code", 28, 1.5, 20.5, 20.5, name="code"),
        templates.Item("field", 2, 2, 25, 8, name="code", size=18, min_size=10),
        templates.Item("field", 2, 11, 25, 4, name="house", size=9, min_size=6),
        templates.Item("field", 2, 15.5, 25, 6, name="recipient", size=7, min_size=5, lines=2)))
    choose(admin, qtbot, "parcel-label", t, tmp_path, data_only=False)
    tab = parcels_tab

    def take_in(tracking: str, recipient: str):
        tab.tracking.setText(tracking)
        tab.guess_courier()
        tab.house_edit.setText("3-2-1201")
        tab.resolve_house()
        tab.recipient.setText(recipient)
        tab.shelf.setText("A-1")
        tab.safe.setChecked(True)
        tab.take_in()

    with clock.frozen(test_desk_parcels.T0):
        tab.load()
        assert not tab.label_layout.isEnabled() and "50×30标签" in tab.label_layout.toolTip()
        take_in("SF1234567890", "张三")
    [p] = parcels.Parcel.select()
    page = geometry.read(tab.shown[-1].pdf)
    assert (round(page.width / MM, 1), round(page.height / MM, 1)) == (50.0, 30.0)
    assert [r.text for r in page.runs] == [p.code, "3-2-1201", "张三"]
    assert len([s for s in page.shapes if s.kind == "rect"]) > 20  # the QR code's modules
    shown = len(tab.shown)
    with clock.frozen(test_desk_parcels.T0):  # a name the label's two lines cannot hold: refused, nothing taken in
        take_in("SF1234567891", "深圳市翠湖花园业主委员会代表张三李四王五赵六钱七孙八（代收）")
    from models import audit

    assert parcels.Parcel.select().count() == 1 and len(tab.shown) == shown
    assert audit.AuditEntry.select().where(audit.AuditEntry.action == "parcel.receive").count() == 1
    [(_kind, _title, text)] = [m for m in message_boxes if m[0] == "warning"]
    assert "50×30标签" in text and "Recipient" in text, text
