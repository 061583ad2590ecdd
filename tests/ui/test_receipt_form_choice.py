"""This PC's receipt form (本机设置 → 收据格式): the office's template imported from a file and
chosen, the values alone printed on it (套打), and at the counter a payment whose receipt
the form cannot hold refused before it is taken, the field named."""
import datetime
import io
import json
from dataclasses import replace

from pypdf import PdfReader

from models import cashier as desk, clock, templates
from printing import receipt
from tests.printing import geometry
from tests.ui import test_counter

owing = test_counter.owing  # the fixture: 3-2-1201 billed October's service fee


def form_file(tmp_path, payer_mm: float = 25):
    """The office's receipt stock as the head office sent it: the payer's box 25 mm wide,
    never smaller than 8 pt."""
    t = replace(receipt.default_template("CONT_THIRD"), name="翠湖三联收据")
    t = replace(t, items=tuple(replace(i, w=payer_mm, min_size=8, floor=None) if i.name == "payer" else i
                               for i in t.items))
    path = tmp_path / "翠湖三联收据.json"
    path.write_text(t.to_json(), encoding="utf-8")
    return path


def previews_kept(monkeypatch) -> list:
    """The receipts' previews, kept instead of shown."""
    from ui import preview

    shown = []
    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda self: shown.append(self) or 0)
    return shown


def counter_on(owing, cashier, qtbot):
    """The counter on 3-2-1201, paid for by a name longer than the form's box holds."""
    from ui.counter_page import CounterPage

    page = CounterPage(cashier)
    qtbot.addWidget(page)
    page.open_house(owing.id)
    page.payer.setText("深圳市翠湖花园业主委员会代表张三李四王五")
    return page


def test_the_form_imported_and_chosen_refuses_a_payer_it_cannot_hold_and_prints_values_only(
        owing, admin, cashier, qtbot, monkeypatch, message_boxes, tmp_path):
    from ui import prefs
    from ui.settings_page import SettingsPage

    settings_page = SettingsPage(admin)
    qtbot.addWidget(settings_page)
    assert settings_page.receipt_template.currentData() == ""  # the built-in layout until one is chosen
    made = settings_page.import_template(str(form_file(tmp_path)))
    assert made.name == "翠湖三联收据" and templates.names("receipt") == ["翠湖三联收据"]
    assert prefs.get("receipt/template") == "翠湖三联收据"
    assert settings_page.receipt_template.currentText() == "翠湖三联收据"
    settings_page.data_only.setChecked(True)
    assert prefs.get("receipt/data_only") is True

    shown = previews_kept(monkeypatch)
    with clock.frozen(datetime.datetime(2026, 10, 10, 10)):
        page = counter_on(owing, cashier, qtbot)
        page.tendered.setText("300")
        page.pay()
        assert desk.Receipt.select().count() == 0 and shown == []  # nothing taken, nothing printed
        [(_kind, _title, text)] = message_boxes
        assert "交款人" in text or "Paid by" in text
        message_boxes.clear()
        page.payer.setText("张三")
        page.pay()
    [r] = desk.Receipt.select()
    [dialog] = shown
    page0 = geometry.read(dialog.pdf)
    words = [run.text for run in page0.runs]
    assert "张三" in words and "3-2-1201" in words and r.number_text in words
    assert not any("收费项目" in w or "交款人" in w or "No." in w for w in words) and page0.shapes == []
    assert len(PdfReader(io.BytesIO(dialog.pdf)).pages) == 3  # three copies, as this PC prints them


def test_a_wrong_form_file_is_refused_with_its_reason_and_nothing_is_kept(admin, qtbot, message_boxes, tmp_path):
    from ui import prefs
    from ui.settings_page import SettingsPage

    page = SettingsPage(admin)
    qtbot.addWidget(page)
    path = form_file(tmp_path)
    body = json.loads(path.read_text(encoding="utf-8"))
    body["items"].append({"kind": "field", "name": "houseno", "x": 1, "y": 1, "w": 10, "h": 5})
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    assert page.import_template(str(path)) is None
    [(_kind, _title, text)] = message_boxes
    assert "houseno" in text
    assert templates.names("receipt") == [] and prefs.get("receipt/template") == ""


def test_a_clerk_may_not_import_the_offices_forms(clerk, qtbot, message_boxes, tmp_path):
    from ui.settings_page import SettingsPage

    page = SettingsPage(clerk)
    qtbot.addWidget(page)
    assert page.import_template(str(form_file(tmp_path))) is None
    assert templates.names("receipt") == [] and message_boxes


def test_a_receipt_the_form_chosen_since_cannot_hold_is_not_reprinted_and_says_why(
        owing, admin, cashier, qtbot, monkeypatch, message_boxes, tmp_path):
    """Taken on the built-in layout with a long payer, then this PC given the narrow form:
    the reprint is refused with the field named, nothing printed, no reprint counted."""
    from ui import prefs

    shown = previews_kept(monkeypatch)
    with clock.frozen(datetime.datetime(2026, 10, 10, 10)):
        page = counter_on(owing, cashier, qtbot)
        page.pay()
        [r] = desk.Receipt.select()
        assert len(shown) == 1 and message_boxes == []
        templates.import_file(admin, form_file(tmp_path))
        prefs.set("receipt/template", "翠湖三联收据")
        page.load_receipts()
        page.receipts.selectRow(0)
        assert page.show_receipt(r, reprint=True) is None
    [(_kind, _title, text)] = message_boxes
    assert "交款人" in text or "Paid by" in text
    assert len(shown) == 1 and desk.Receipt.get_by_id(r.id).reprints == 0
