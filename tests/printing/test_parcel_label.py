"""Parcel labels read back from their PDF: on the 60 × 40 mm roll and on the A4 sheet of 24,
a long recipient never runs into the QR code, the code keeps four modules of white round
it, and everything stays on its own label."""
import pytest
from reportlab.lib.pagesizes import A4

from printing import parcel_label
from tests.printing import geometry

MM = geometry.MM
LONG = parcel_label.LabelData("508317", "12-3-2801", "B-03", "深圳市翠湖花园业主委员会代表张三李四王五（代收）",
                              "京东物流", "JDVA12345678901234", "11-23 09:30")
SHORT = parcel_label.LabelData("100200", "3-2-1201", "A1", "张三", "顺丰", "SF1234567890", "11-23 09:30")


def labels(page: geometry.Page, layout: str) -> list[geometry.Box]:
    if layout == "roll":
        return [geometry.Box(0, 0, page.width, page.height)]
    w, h = parcel_label.SHEET_LABEL
    return [geometry.Box(col * w, A4[1] - (row + 1) * h, (col + 1) * w, A4[1] - row * h)
            for row in range(parcel_label.SHEET_ROWS) for col in range(parcel_label.SHEET_COLUMNS)]


def check_label(page: geometry.Page, cell: geometry.Box) -> str:
    runs = [r for r in page.runs if r.box.overlaps(cell)]
    assert runs, "an empty label"
    assert all(r.box.inside(cell.grown(-1 * MM)) for r in runs), runs  # on its own label, clear of the edge
    assert page.overlapping(runs) == []
    modules = [s.box for s in page.shapes if s.kind == "rect" and s.paint.startswith("f") and s.box.inside(cell)]
    assert len(modules) > 20
    symbol = geometry.Box(min(b.x0 for b in modules), min(b.y0 for b in modules),
                          max(b.x1 for b in modules), max(b.y1 for b in modules))
    module = min(b.y1 - b.y0 for b in modules)
    assert module >= 0.5 * MM  # big enough for the desk's scanner
    quiet = symbol.grown(4 * module - 0.01)
    assert quiet.inside(cell), "the quiet zone is cut off by the label's edge"
    assert [r for r in runs if r.box.overlaps(quiet)] == []
    painted = [s for s in page.shapes if s.box.overlaps(quiet) and s.box not in modules]
    assert painted == []
    text = "".join(r.text for r in runs)
    return text


@pytest.mark.parametrize("layout", ["roll", "sheet"])
def test_a_long_recipient_keeps_clear_of_the_qr_code_and_its_quiet_zone(layout):
    pdf = parcel_label.render_many([LONG, SHORT, LONG], layout=layout, start_at=0)
    pages = geometry.pages(pdf)
    placed = [(p, cell) for p in pages for cell in labels(p, layout) if any(r.box.overlaps(cell) for r in p.runs)]
    assert len(placed) == 3
    for (page, cell), label in zip(placed, [LONG, SHORT, LONG]):
        text = check_label(page, cell).replace(" ", "")
        for words in (label.code, label.house + label.shelf, label.recipient, label.courier + label.tracking,
                      label.received.replace(" ", "")):
            assert words in text, words


def test_a_sheet_started_part_way_fills_its_free_places_and_runs_onto_the_next():
    pdf = parcel_label.render_many([LONG] * 5, layout="sheet", start_at=21)
    first, second = geometry.pages(pdf)
    cells = labels(first, "sheet")
    used = [n for n, cell in enumerate(cells) if any(r.box.overlaps(cell) for r in first.runs)]
    assert used == [21, 22, 23]
    for n in used:
        check_label(first, cells[n])
    used = [n for n, cell in enumerate(cells) if any(r.box.overlaps(cell) for r in second.runs)]
    assert used == [0, 1]
