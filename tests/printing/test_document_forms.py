"""The key and item loan slips and the payment and dunning notices on the office's own forms
(套打), as the receipt and the work order: each starts from its built-in layout on every
paper it prints on, a field moves by exactly the mm typed, data-only prints the values and
nothing of the form's own, a notice's lines continue on more forms with the totals once,
and a value no box can hold is refused naming it before anything is made."""
import datetime
import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from models import templates
from printing import dunning, forms, slip
from printing.furniture import Letterhead
from printing.template import Unfit
from tests.printing import geometry

HEAD = Letterhead("翠湖花园物业服务中心", "深圳市南山区翠湖路1号", "0755-12345678", "")
ON = datetime.date(2026, 12, 3)
MM = geometry.MM
SLIPS = ("key-slip", "item-slip", "work-order")
PAPERS = ("A4", "A5", "CONT_FULL", "CONT_HALF", "CONT_THIRD")


def named(t: templates.Template, name: str = "本处表单") -> templates.Template:
    return replace(t, name=name)


@pytest.mark.parametrize("document", SLIPS)
@pytest.mark.parametrize("paper", PAPERS)
def test_each_slips_starting_form_is_sound_on_every_paper_slips_print_on_and_holds_its_values(document, paper):
    t = named(forms.start(document, paper))
    assert templates.check(t) == []
    data = slip.sample(document, ON)
    pdf = forms.sample_pdf(t, HEAD, ON)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    page = geometry.read(pdf)
    assert (round(page.width / MM, 1), round(page.height / MM, 1)) == (t.width, t.height)
    words = " ".join(r.text for r in page.runs)
    for value in data.values.values():
        assert value.replace("  ", " ").split(" ")[0] in words, value


@pytest.mark.parametrize("document", ("notice", "dunning"))
def test_each_notices_starting_form_is_sound_on_a4_and_holds_its_values(document):
    t = named(forms.start(document, "A4"))
    assert templates.check(t) == []
    n = dunning.sample(document, ON)
    words = [r.text for r in geometry.read(forms.sample_pdf(t, HEAD, ON)).runs]
    assert n.title in words and n.greeting in words and "人民币" + "" in "".join(words)
    assert [w for w in words if w == "物业服务费"] == ["物业服务费"] * 3  # three months, a row each
    assert f"{n.total / 100:,.2f}" in words


@pytest.mark.parametrize("document, name, dx, dy", [("key-slip", "borrower", 12.5, -3.0),
                                                     ("item-slip", "condition_out", -7.5, 4.5),
                                                     ("notice", "total", 3.0, 21.5)])
def test_a_field_moved_in_the_template_moves_by_exactly_the_mm_typed(document, name, dx, dy):
    base = named(forms.start(document, "A4" if document == "notice" else "A5"))
    moved = replace(base, items=tuple(replace(i, x=i.x + dx, y=i.y + dy) if i.name == name else i
                                      for i in base.items))
    values = (dunning.notice_forms(dunning.sample(document, ON), base)[0].values if document == "notice"
              else slip.sample(document, ON).values)
    value = values[name]

    def where(t):
        return {r.text: (r.box.x0, r.box.y1) for r in geometry.read(forms.sample_pdf(t, HEAD, ON, plain=False)).runs}

    before, after = where(base), where(moved)
    assert round((after[value][0] - before[value][0]) / MM, 3) == dx
    assert round((before[value][1] - after[value][1]) / MM, 3) == dy
    assert {k: v for k, v in after.items() if k != value} == {k: v for k, v in before.items() if k != value}


@pytest.mark.parametrize("document, static", [
    ("key-slip", ("钥匙借用登记单", "借用人签字", "应还时间", "翠湖花园物业服务中心", "No.", "借用人须妥善保管钥匙")),
    ("item-slip", ("物品借用单", "借出时状况", "归还签收", "翠湖花园物业服务中心", "照价赔偿")),
    ("dunning", ("催 缴 通 知 书", "月份", "违约金（元）", "合计", "合计金额（大写）", "违约金计至", "翠湖路1号")),
])
def test_data_only_prints_the_values_and_none_of_the_forms_own_words_or_rules(document, static):
    t = named(forms.start(document, "A4" if document == "dunning" else "A5"))
    plain = geometry.read(forms.sample_pdf(t, HEAD, ON))
    data = geometry.read(forms.sample_pdf(t, HEAD, ON, plain=False))
    words = [r.text for r in data.runs]
    for word in static:
        assert any(word in r.text for r in plain.runs), word
        assert not any(word in w for w in words), word
    assert data.shapes == [] and plain.shapes != []
    values = (dunning.notice_forms(dunning.sample(document, ON), t)[0].values if document == "dunning"
              else slip.sample(document, ON).values)
    shown = {k for k in values if any(i.kind == "field" and i.name == k for i in t.items)}
    joined = "".join(words)
    for k in shown:  # each value whole (a long one set on more lines)
        assert values[k] in joined, k


def test_a_notices_lines_beyond_one_form_continue_on_the_next_with_the_total_once():
    t = named(forms.start("notice", "A4"))
    t = replace(t, table=replace(t.table, rows=4))
    n = dunning.sample("notice", ON)  # six lines: four on the first form, two on the second
    pdf = dunning.render_forms([n, replace(n, house="3-2-1202", greeting="尊敬的 3-2-1202 业主：")], HEAD, t)
    pages = [geometry.read(pdf, k) for k in range(len(PdfReader(io.BytesIO(pdf)).pages))]
    assert len(pages) == 4  # two houses, two forms each
    first, second = ([r.text for r in p.runs] for p in pages[:2])
    assert "第1页/共2页" in first and "第2页/共2页" in second and "续下页" in first
    total = f"{n.total / 100:,.2f}"
    assert total not in first and total in second
    assert sum(w in ("物业服务费", "公摊水电费") for w in first) == 4
    assert sum(w in ("物业服务费", "公摊水电费") for w in second) == 2
    assert "尊敬的 3-2-1202 业主：" in [r.text for r in pages[2].runs]


def test_a_notice_its_form_cannot_hold_is_refused_naming_the_field_before_anything_is_made():
    t = named(forms.start("dunning", "A4"))
    t = replace(t, items=tuple(replace(i, w=40, lines=1, min_size=10, floor=None) if i.name == "body" else i
                               for i in t.items))
    ok = dunning.sample("dunning", ON)
    with pytest.raises(Unfit) as e:
        dunning.render_forms([replace(ok, body="短"), ok], HEAD, t)
    assert e.value.field == "body" and e.value.args
    with pytest.raises(Unfit):
        dunning.check([ok], t)
    dunning.check([replace(ok, body="请尽快缴费。")], t)  # what fits passes


def test_a_slip_form_with_a_table_of_lines_or_a_notice_value_is_refused(tmp_path):
    t = named(forms.start("key-slip", "A5"))
    wrong = replace(t, items=t.items + (templates.Item("field", 10, 10, 30, 6, name="total"),))
    assert any("total" in str(values.get("name", "")) for _m, values in templates.check(wrong))
    notice = named(forms.start("notice", "A4"))
    assert templates.check(replace(t, table=notice.table)) != []


# — the parcel label on the office's own label roll —

def modules(page: geometry.Page) -> list[tuple[float, float]]:
    """The QR code's dark modules, relative to its top left corner, in modules."""
    squares = [s.box for s in page.shapes if s.kind == "rect" and s.paint.startswith("f")]
    size = min(b.y1 - b.y0 for b in squares)
    left, top = min(b.x0 for b in squares), max(b.y1 for b in squares)
    return sorted((round((b.x0 - left) / size, 2), round((top - b.y1) / size, 2)) for b in squares)


def test_a_parcel_label_on_the_offices_label_size_holds_the_same_qr_code_clear_of_its_text():
    from printing import parcel_label
    from tests.printing.test_parcel_label import LONG, check_label

    t = named(forms.start("parcel-label", "A5"))
    assert templates.check(t) == []
    # the office's labels are 50 × 30 mm: each box typed anew, the code's square smaller
    field = templates.Item
    small = replace(t, width=50, height=30, items=(
        field("code", 28, 1.5, 20.5, 20.5, name="code"),
        field("field", 2, 2, 25, 8, name="code", size=18, min_size=10),
        field("field", 2, 11, 15, 4, name="house", size=9, min_size=6),
        field("field", 17, 11, 10, 4, name="shelf", size=9, min_size=6),
        field("field", 2, 15.5, 25, 6, name="recipient", size=7, min_size=5, lines=2),
        field("field", 2, 22.5, 46, 3.5, name="courier", size=6.5, min_size=5),
        field("field", 2, 26, 46, 3, name="received", size=6.5, min_size=5)))
    assert templates.check(small) == [], templates.check(small)
    label = replace(LONG, recipient="张三（代收）")
    built_in = geometry.read(parcel_label.render_many([label]))
    for form in (t, small):
        page = geometry.read(parcel_label.render_many([label], template=form, plain=False))
        assert (round(page.width / MM, 1), round(page.height / MM, 1)) == (form.width, form.height)
        text = check_label(page, geometry.Box(0, 0, page.width, page.height)).replace(" ", "")
        for words in (label.code, label.house, label.shelf, label.recipient, label.courier + label.tracking):
            assert words in text, words
        assert modules(page) == modules(built_in)  # the same pickup code, whatever its size


def test_a_label_its_form_cannot_hold_is_refused_and_a_box_over_the_code_is_too():
    from printing import parcel_label
    from printing.template import Overprint
    from tests.printing.test_parcel_label import LONG

    t = named(forms.start("parcel-label", "A5"))
    one_line = replace(t, items=tuple(replace(i, lines=1, min_size=8, floor=None) if i.name == "recipient" else i
                                      for i in t.items))
    with pytest.raises(Unfit) as e:
        parcel_label.check([LONG], one_line)
    assert e.value.field == "recipient"
    over = replace(t, items=tuple(replace(i, x=33) if i.name == "house" else i for i in t.items))
    with pytest.raises(Overprint) as e:
        parcel_label.render_many([LONG], template=over)
    assert set(e.value.fields) == {"house", "code"}
    tiny = replace(t, items=tuple(replace(i, w=8, h=8) if i.kind == "code" else i for i in t.items))
    assert any("scanner" in reason for reason, _v in templates.check(tiny))
