"""套打 templates: the built-in receipt through its default template prints as it did; a
field moved in a template moves by exactly the mm typed; data-only output carries the
values alone; a value its box cannot hold is refused with the field named; a template file
that is wrong is refused with its reason; the office keeps its templates."""
import datetime
import json
from dataclasses import replace

import pytest

from models import audit, templates
from models.errors import OfficeError, PermissionDenied
from printing import receipt
from printing.furniture import Letterhead
from printing.template import Unfit
from tests.printing import geometry, layout_cases

MM = geometry.MM
HEAD = Letterhead("翠湖花园物业服务中心", "深圳市南山区翠湖路88号", "0755-86001234")


def sample(**more) -> receipt.ReceiptData:
    values = dict(number="2026-000644", date=datetime.date(2026, 11, 23), house="3-2-1201", payer="张三",
                  lines=layout_cases.lines(3), method="现金", cashier="李娜", note="实收 500.00 找零 206.10")
    values.update(more)
    return receipt.ReceiptData(**values)


def in_order(pages):
    for page in pages:
        page["runs"].sort()
        page["shapes"].sort()
    return pages


def test_every_built_in_receipt_prints_through_its_default_template_as_it_printed_before():
    """tests/data/layouts/receipt.json: each case as the built-in layout printed it before
    it became a template, every text run and rule to the hundredth of a point, on every
    paper, three copies and carbonless, void, reprint, continued on numbered forms, refund."""
    recorded = json.loads(layout_cases.RECORD.read_text(encoding="utf-8"))
    cases = layout_cases.cases()
    assert sorted(recorded) == sorted(cases) and len(cases) == 30
    for name, case in cases.items():
        now = in_order(layout_cases.written_down(layout_cases.render_case(case)))
        then = in_order(recorded[name])
        if name.endswith("-reprint") and now != then:
            # the one change: the boxed 补打 mark is set at its 12 pt, where the built-in layout
            # lost half a point to the rounding of its own box; the box, the baseline and the
            # mark's left edge are as they were
            [mark_now] = [r for r in now[0]["runs"] if r[0].startswith("补打")]
            [mark_then] = [r for r in then[0]["runs"] if r[0].startswith("补打")]
            assert mark_now[3] == 12.0 and mark_then[3] == 11.5 and mark_now[1] == mark_then[1]
            for pages in (now, then):
                pages[0]["runs"] = [r for r in pages[0]["runs"] if not r[0].startswith("补打")]
                pages[0]["shapes"] = [s for s in pages[0]["shapes"] if s[0] != "rect"]
        assert now == then, name


def positions(pdf: bytes, page: int = 0) -> dict[str, tuple[float, float]]:
    """Each run's words → its left edge and baseline-ish bottom, in mm from the top left."""
    p = geometry.read(pdf, page)
    return {r.text: (r.box.x0 / MM, (p.height - r.box.y0) / MM) for r in p.runs}


@pytest.mark.parametrize("dx,dy", [(12.5, 3.0), (-4.0, 0.5), (0.5, -1.5)])
def test_a_field_moved_in_the_template_moves_by_exactly_the_mm_typed(dx, dy):
    base = receipt.default_template("CONT_THIRD", letterhead=HEAD)
    moved = replace(base, items=tuple(replace(i, x=i.x + dx, y=i.y + dy) if i.name == "house" else i
                                      for i in base.items))
    before = positions(receipt.render(sample(), HEAD, template=base, carbonless=True))
    after = positions(receipt.render(sample(), HEAD, template=moved, carbonless=True))
    x0, y0 = before["房号 3-2-1201"]
    x1, y1 = after["房号 3-2-1201"]
    assert round(x1 - x0, 3) == dx and round(y1 - y0, 3) == dy
    # nothing else moved
    assert {k: v for k, v in after.items() if k != "房号 3-2-1201"} == \
           {k: v for k, v in before.items() if k != "房号 3-2-1201"}


def test_data_only_prints_the_values_and_none_of_the_forms_own_words_or_rules():
    t = receipt.default_template("CONT_THIRD", letterhead=HEAD)
    plain = geometry.read(receipt.render(sample(), HEAD, template=t, carbonless=True))
    data = geometry.read(receipt.render(sample(), HEAD, template=t, carbonless=True, plain=False))
    words = [r.text for r in data.runs]
    for value in ("2026-000644", "2026-11-23", "3-2-1201", "张三", "现金", "物业服务费", "223.08", "288.88",
                  "人民币贰佰捌拾捌元捌角捌分", "实收 500.00 找零 206.10"):
        assert value in words, value
    for static in ("收  据", "收费项目", "金额(元)", "翠湖花园物业服务中心", "收款人", "No.", "日期", "房号", "交款人",
                   "付款方式", "合计(大写)", "¥"):
        assert not any(static in w for w in words), static
        assert any(static in r.text for r in plain.runs), static
    assert data.shapes == [] and plain.shapes != []
    # each value where plain paper has it after its label
    where = {r.text: r.box for r in data.runs}
    assert where["3-2-1201"].x0 == pytest.approx(plain.one("房号 3-2-1201").box.x0, abs=0.01)


def narrow_payer(t: templates.Template, w_mm: float = 20, lines: int = 1, smallest: float = 8) -> templates.Template:
    return replace(t, name="本物业收据", items=tuple(
        replace(i, w=w_mm, lines=lines, min_size=smallest, floor=None) if i.name == "payer" else i for i in t.items))


def test_a_value_its_box_cannot_hold_is_refused_with_the_field_named_before_anything_is_made():
    t = narrow_payer(receipt.default_template("CONT_THIRD", letterhead=HEAD))
    long_payer = sample(payer="深圳市翠湖花园业主委员会代表张三李四王五")
    with pytest.raises(Unfit) as refused:
        receipt.check(long_payer, t, carbonless=True)
    assert refused.value.field == "payer"
    assert str(refused.value).startswith("Paid by does not fit its box on the form “本物业收据”")
    with pytest.raises(Unfit):
        receipt.render(long_payer, HEAD, template=t, carbonless=True)
    # a short name fits the same box; on two lines the long one does too, never into its neighbour
    receipt.check(sample(payer="张三"), t, carbonless=True)
    wrapped = narrow_payer(receipt.default_template("CONT_THIRD", letterhead=HEAD), w_mm=45, lines=2, smallest=7)
    page = geometry.read(receipt.render(long_payer, HEAD, template=wrapped, carbonless=True))
    payer_runs = [r for r in page.runs if "业主委员会" in r.text or "王五" in r.text]
    assert len(payer_runs) == 2 and page.overlapping() == []
    # a table cell too: an item name that two lines of its column cannot hold at 8 pt
    tight = replace(t, table=replace(t.table, columns=tuple(
        replace(c, min_size=8, floor=None) if c.name == "item" else c for c in t.table.columns)))
    with pytest.raises(Unfit) as cell:
        receipt.check(sample(lines=[receipt.ReceiptLine("公共水电分摊（电梯、水泵、路灯、变压器损耗）" * 3, 100)]), tight,
                      carbonless=True)
    assert cell.value.field == "item" and "Item does not fit" in str(cell.value)


def test_a_template_goes_to_a_file_and_comes_back_the_same():
    t = replace(receipt.default_template("CONT_HALF", letterhead=HEAD), name="三联收据 241×139.7")
    again = templates.from_json(t.to_json())
    assert again == t
    body = json.loads(t.to_json())
    assert body["format"] == templates.FORMAT and body["document"] == "receipt"
    assert "kind" in body["items"][0] and "frame" not in body["items"][0]  # defaults left out: a file to read


def wrong(**change) -> dict:
    body = json.loads(replace(receipt.default_template("CONT_THIRD"), name="收据").to_json())
    for key, value in change.items():
        if key == "item":
            body["items"].append(value)
        else:
            body[key] = value
    return body


@pytest.mark.parametrize("body,reason", [
    (wrong(item={"kind": "field", "name": "houses", "x": 10, "y": 10, "w": 30, "h": 5}),
     "Unknown field “houses”: a Receipt has number, date, house"),
    (wrong(item={"kind": "field", "name": "payer", "x": 230, "y": 10, "w": 30, "h": 5}),
     "Paid by lies outside the paper (241 × 93.1 mm)"),
    (wrong(item={"kind": "text", "text": "备注", "x": 10, "y": 90, "w": 30, "h": 5}),
     "“备注” lies outside the paper (241 × 93.1 mm)"),
    (wrong(item={"kind": "field", "name": "payer", "x": 10, "y": 10, "w": 30, "h": 5, "size": 3}),
     "Paid by: its type must be between 4 and 72 pt"),
    (wrong(item={"kind": "field", "name": "payer", "x": "ten", "y": 10, "w": 30, "h": 5}),
     "“x” must be a number of mm or pt"),
    (wrong(item={"kind": "field", "name": "payer", "x": 10, "y": 10, "w": 30, "h": 5, "colour": "red"}),
     "The file has “colour” in item 17, which a template does not have"),
    (wrong(document="invoice"), "This template is for a document the program does not know: invoice"),
    (wrong(format=2), "The template was made by a newer version of the program (format 2)"),
    (wrong(width=1000), "The paper must be between 20 and 600 mm each way, not 1000 × 93.1 mm"),
    ({"hello": 1}, "The file is not an EstateDesk template"),
])
def test_a_wrong_template_is_refused_with_its_reason(body, reason, tmp_path):
    path = tmp_path / "收据模板.json"
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(templates.TemplateInvalid) as refused:
        templates.read_file(path)
    assert str(refused.value).startswith(reason), str(refused.value)


def test_files_that_are_no_template_at_all_are_refused_in_words(tmp_path):
    for name, raw in (("a.json", b"\xff\xfe\x00garbage"), ("b.json", b"{not json"), ("c.json", b"[]")):
        (tmp_path / name).write_bytes(raw)
        with pytest.raises(OfficeError, match="The file is not an EstateDesk template"):
            templates.read_file(tmp_path / name)
    with pytest.raises(OfficeError, match="The file cannot be read"):
        templates.read_file(tmp_path / "missing.json")


def test_the_office_keeps_its_templates_imports_and_exports_them(admin, clerk, tmp_path):
    t = replace(receipt.default_template("CONT_THIRD"), name="三联收据")
    with pytest.raises(PermissionDenied):
        templates.save(clerk, t)
    templates.save(admin, t)
    assert templates.names("receipt") == ["三联收据"] and templates.get("receipt", "三联收据") == t
    with pytest.raises(OfficeError, match="A template named 三联收据 is there already"):
        templates.save(admin, t)
    moved = replace(t, items=tuple(replace(i, x=i.x + 1) if i.name == "house" else i for i in t.items))
    templates.save(admin, moved, replacing=True)
    assert templates.get("receipt", "三联收据") == moved
    out = tmp_path / "三联收据.json"
    templates.export_file(moved, out)
    templates.import_file(admin, out, name="总部收据")
    assert templates.names("receipt") == ["三联收据", "总部收据"]
    assert templates.get("receipt", "总部收据") == replace(moved, name="总部收据")
    # a wrong one writes nothing
    bad = json.loads(out.read_text(encoding="utf-8"))
    bad["items"][0]["x"] = 500
    out.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(templates.TemplateInvalid, match="lies outside the paper"):
        templates.import_file(admin, out, name="坏的")
    assert templates.names("receipt") == ["三联收据", "总部收据"]
    templates.delete(admin, "receipt", "三联收据")
    assert templates.names("receipt") == ["总部收据"] and templates.find("receipt", "三联收据") is None
    actions = [e.action for e in audit.AuditEntry.select().order_by(audit.AuditEntry.id)]
    assert actions.count("template.save") == 3 and actions.count("template.delete") == 1


def test_a_payment_whose_receipt_the_form_cannot_hold_is_refused_and_takes_nothing(admin, house, cashier):
    """Through the core: the counter hands take_payment its form's check; the refusal names
    the field and leaves no receipt, no settlement, no number used, no audit entry."""
    from models import billing, clock, cashier as desk
    from printing import papers

    form = narrow_payer(receipt.default_template("CONT_THIRD"))
    with clock.frozen(datetime.datetime(2026, 11, 10, 10, 0)):
        charge = billing.post_charge(cashier, house.id, "parcel", 500, description="SF0001")
        before = desk.active_series().next_number

        def printable(r):
            papers.receipt_check(r, form, paper="CONT_THIRD", carbonless=True)

        with pytest.raises(Unfit) as refused:
            desk.take_payment(cashier, house.id, [desk.Pick(charge.id)], "cash", tendered=1000,
                              payer="深圳市翠湖花园业主委员会代表张三李四王五", printable=printable)
        assert refused.value.field == "payer"
        assert desk.Receipt.select().count() == 0 and desk.Settlement.select().count() == 0
        assert desk.active_series().next_number == before
        assert not audit.AuditEntry.select().where(audit.AuditEntry.action == "receipt.issue").exists()
        # the same payment with a name the box holds goes through, and prints on the form
        r = desk.take_payment(cashier, house.id, [desk.Pick(charge.id)], "cash", tendered=1000, payer="张三",
                              printable=printable)
    assert r.number_text.endswith("000001")
    pdf = papers.receipt_pdf(r, HEAD, paper="CONT_THIRD", carbonless=True, template=form, plain=False)
    assert "张三" in [run.text for run in geometry.read(pdf).runs]


def test_on_the_offices_pre_printed_stock_each_value_lands_in_its_box_and_nothing_else_prints():
    """The 三联 stock of tests/data/stock (its picture in docs/screenshots/stock_print.png):
    printed values only through the form fitted to it, each value inside the box the stock
    has for it, the table's lines in the stock's rows, and the number left to the stock."""
    from tests.data.stock import stock

    t = stock.fitted()
    data = sample(lines=layout_cases.lines(4))
    page = geometry.read(receipt.render(data, HEAD, template=t, carbonless=True, plain=False))
    height = page.height

    def inside(run, box, slack=0.3) -> bool:
        x, y, w, h = box
        top, bottom = (height - run.box.y1) / MM, (height - run.box.y0) / MM
        return (x - slack <= run.box.x0 / MM and run.box.x1 / MM <= x + w + slack
                and y - slack <= top and bottom <= y + h + slack)

    for key, value in (("date", "2026-11-23"), ("house", "3-2-1201"), ("payer", "张三"), ("method", "现金"),
                       ("cashier", "李娜"), ("total", "301.22"), ("note", "实收 500.00 找零 206.10")):
        run = page.one(value)
        assert inside(run, stock.BOXES[key]), (key, run)
    assert not page.find("2026-000644") and not page.find("No.")  # the stock's own number stands
    rows = sorted({round(r.box.y0, 1) for r in page.runs if r.text in ("物业服务费", "生活垃圾费", "水费")})
    table = stock.TABLE
    for n, item in enumerate(("物业服务费", "生活垃圾费", "水费", "公共水电分摊")):
        run = [r for r in page.runs if r.text.startswith(item)][0]
        top = table["y"] + table["head"] + n * table["row"]
        assert inside(run, (table["x"], top, 216, table["row"])), (item, run)
    assert len(rows) == 3 and page.overlapping() == []


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), 1e300, True, "12", None])
def test_a_number_that_is_no_measure_is_refused(value, tmp_path):
    body = wrong(item={"kind": "field", "name": "payer", "x": 10, "y": 10, "w": 30, "h": 5})
    body["items"][-1]["x"] = value
    path = tmp_path / "t.json"
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")  # NaN and Infinity as JSON writes them
    with pytest.raises(templates.TemplateInvalid, match="“x” must be a number of mm or pt"):
        templates.read_file(path)


def test_a_table_with_rows_beyond_reason_is_refused(tmp_path):
    body = wrong()
    body["table"]["rows"] = 10 ** 9
    path = tmp_path / "t.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    with pytest.raises(templates.TemplateInvalid):
        templates.read_file(path)


def _file(tmp_path, body) -> "Path":
    path = tmp_path / "t.json"
    path.write_text(body if isinstance(body, str) else json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return path


def _table(body, **change):
    body["table"].update(change)
    return body


def _column(body, **change):
    body["table"]["columns"][1].update(change)
    return body


FAKE_PNG = __import__("base64").b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64).decode()


@pytest.mark.parametrize("body,reason", [
    (wrong(item={"kind": "text", "text": "合计 {payer.upper} {nosuch}", "x": 10, "y": 10, "w": 60, "h": 5}),
     "Unknown field “nosuch”"),
    (wrong(item={"kind": "text", "text": "备" * 201, "x": 10, "y": 10, "w": 60, "h": 5}), "its words are too long"),
    (wrong(item={"kind": "image", "data": FAKE_PNG, "x": 10, "y": 10, "w": 20, "h": 10}),
     "a picture is not a PNG or JPEG picture"),
    (wrong(background=FAKE_PNG), "The picture of the stock is not a PNG or JPEG picture"),
    (wrong(item={"kind": "field", "name": "payer", "x": 10, "y": 10, "w": 30, "h": 0.5}),
     "Paid by: its box is too low for any type"),
    (wrong(item={"kind": "line", "x": 10, "y": 10, "w": 30, "h": 0, "weight": -9}), "a line: its stroke must be"),
    (wrong(item={"kind": "field", "name": "payer", "x": 10, "y": 10, "w": 30, "h": 5, "floor": 2}),
     "Paid by: its type must be between 4 and 72 pt"),
    (_table(wrong(), columns=[]), "The table needs at least one column"),
    (_table(wrong(), head=-5), "The table needs a width, and at least one row"),
    (_table(wrong(), w=0), "The table needs a width"),
    (_column(wrong(), x=230), "The column Period lies outside the table or has no room"),
    (_column(wrong(), pad=-2), "The column Period lies outside the table or has no room"),
    (_column(wrong(), name="item"), "The column “item” is in the table twice"),
    (wrong(continuous="no"), "“continuous” must be true or false"),
    (wrong(name="收" * 65), "The template's name is too long"),
    ({k: v for k, v in wrong().items() if k != "width"}, "template lacks “width”"),
    ("[" * 100000 + "]" * 100000, "The file is not an EstateDesk template"),
    ('{"document": "receipt", "name": "\\ud800", "width": 241, "height": 93.1, "items": []}',
     "“name” must be words"),
])
def test_a_template_built_to_break_the_program_is_refused_in_words(body, reason, tmp_path):
    with pytest.raises(templates.TemplateInvalid) as refused:
        templates.read_file(_file(tmp_path, body))
    assert reason in str(refused.value), str(refused.value)


def test_words_on_the_form_fill_in_only_the_documents_own_values_and_print_braces_as_they_are():
    t = receipt.default_template("CONT_THIRD", letterhead=HEAD)
    t = replace(t, items=t.items + (templates.Item("text", 150, 0.5, 80, 5, text="合计 { } {payer:>9} 交款人：{payer}"),))
    assert templates.check(replace(t, name="收据")) == []
    page = geometry.read(receipt.render(sample(), HEAD, template=t, carbonless=True))
    assert page.find("合计 { } {payer:>9} 交款人：张三")


def test_two_values_whose_boxes_were_drawn_over_each_other_are_refused_before_printing():
    """Boxes may overlap (a title's room and the number's); values that would meet are not
    printed one over the other: the receipt is refused naming both."""
    from printing.template import Overprint

    t = receipt.default_template("CONT_THIRD", letterhead=HEAD)
    [payer] = [i for i in t.items if i.name == "payer"]
    onto = replace(t, name="本物业收据", items=tuple(replace(i, x=payer.x - 8, y=payer.y) if i.name == "house" else i
                                                  for i in t.items))
    with pytest.raises(Overprint) as refused:
        receipt.check(sample(), onto, carbonless=True)
    assert set(refused.value.fields) == {"house", "payer"}
    assert str(refused.value) == "House would print over Paid by on the form “本物业收据”: move one of them in the template"
    with pytest.raises(Overprint):
        receipt.render(sample(), HEAD, template=onto, carbonless=True, plain=False)
    # the same boxes with a payer short enough not to reach the house's value: printed
    far = replace(onto, items=tuple(replace(i, align="right") if i.name == "payer" else i for i in onto.items))
    receipt.check(sample(), far, carbonless=True)
