"""Arrears and dunning in the window: a house's open charges by month and item with the
late fee, a call logged in its dialog, payment notices for the building printed as one
job and recorded on each ladder only once printed, and the floor plan whose click opens
the counter."""
import datetime

import pytest
from pypdf import PdfReader

from models import billing, clock, dunning, estate, fees

D = datetime.date


@pytest.fixture
def owing(admin, supervisor, cashier, house):
    """3-2-1201 and 3-2-1202 on the service fee since January; September to November
    billed, 1202 owes only November."""
    from models import cashier as desk
    from models.cashier import Pick

    other = estate.create_house(admin, house.unit_id, number="1202", area="60.00")
    fees.update_item(supervisor, "service", unit_price="2.5000")
    for h in (house, other):
        fees.subscribe(supervisor, h.id, "service", starts=D(2026, 1, 1))
    for period, day in (("2026-09", D(2026, 9, 1)), ("2026-10", D(2026, 10, 1)), ("2026-11", D(2026, 11, 1))):
        with clock.frozen(datetime.datetime.combine(day, datetime.time(9))):
            billing.post(cashier, period)
            if period != "2026-11":
                lines = [o for o in desk.owed(cashier, other.id)]
                desk.take_payment(cashier, other.id, [Pick(o.charge.id) for o in lines], "wechat")
    return house, other


@pytest.fixture
def page(cashier, owing, qtbot):
    from ui.main_window import MainWindow

    with clock.frozen(datetime.datetime(2026, 11, 20, 10)):
        w = MainWindow(cashier)
        qtbot.addWidget(w)
        w.show()
        p = w.page("arrears")
    return w, p


def test_a_houses_arrears_by_month_and_item_and_a_logged_call(page, owing, cashier, qtbot, monkeypatch,
                                                               message_boxes):
    from ui import arrears_page

    _w, p = page
    house, _other = owing
    with clock.frozen(datetime.datetime(2026, 11, 20, 10)):
        assert [p.model.row_object(r).label for r in range(p.model.rowCount())] == ["3-2-1201", "3-2-1202"]
        assert p.model.data(p.model.index(0, 6)) == "Send a payment notice"
        p.view.setCurrentIndex(p.model.index(0, 0))
        d = p.detail
        assert d.lines.rowCount() == 3
        assert [d.lines.data(d.lines.index(r, 0)) for r in range(3)] == ["2026-09", "2026-10", "2026-11"]
        assert d.lines.data(d.lines.index(0, 3)) == "14.77"  # September's late fee to the 20th

        def fill_and_save(dialog):
            dialog.result_box.setCurrentIndex(dialog.result_box.findData("no_answer"))
            assert not dialog.promised.isEnabled()
            dialog.note.setText("关机")
            dialog._save()
            return dialog.result()

        monkeypatch.setattr(arrears_page.CallDialog, "exec", fill_and_save)
        d.log_call()
    [step] = dunning.DunningStep.select()
    assert (step.kind, step.result, step.note, step.house_id) == ("call", "no_answer", "关机", house.id)
    assert d.steps.rowCount() == 1 and "No answer" in d.steps.data(d.steps.index(0, 2))
    assert p.model.data(p.model.index(0, 6)) == "Send a dunning notice"


def test_a_buildings_payment_notices_print_as_one_job_and_are_recorded_once(page, owing, cashier, qtbot,
                                                                             monkeypatch, message_boxes, tmp_path):
    from tests.ui.test_preview import pdf_printer
    from ui import preview

    _w, p = page
    seen = {}

    def look_and_print(dialog):
        seen["texts"] = [pg.extract_text() for pg in PdfReader(dialog.path).pages]
        seen["before"] = dunning.DunningStep.select().count()
        seen["printed"] = dialog.print_with(pdf_printer(tmp_path / "notices.pdf"))
        return 0

    monkeypatch.setattr(preview.PreviewDialog, "exec", look_and_print)
    with clock.frozen(datetime.datetime(2026, 11, 20, 10)):
        p.where.setCurrentIndex(1)  # building 3
        p.print_batch("notice")
    texts = seen["texts"]
    assert len(texts) == 2 and "3-2-1201" in texts[0] and "3-2-1202" in texts[1] and "缴 款 通 知" in texts[0]
    assert seen["before"] == 0 and seen["printed"] is True
    assert sorted((s.house.label, s.kind) for s in dunning.DunningStep.select()) == [
        ("3-2-1201", "notice"), ("3-2-1202", "notice")]
    assert {p.model.data(p.model.index(r, 6)) for r in range(2)} == {"Call the owner"}
    # a dunning notice goes only to the houses owing three months or more
    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda dialog: seen.update(
        letters=[pg.extract_text() for pg in PdfReader(dialog.path).pages]) or 0)
    with clock.frozen(datetime.datetime(2026, 11, 20, 10)):
        p.print_batch("dunning")
    assert len(seen["letters"]) == 1 and "3-2-1201" in seen["letters"][0] and "催 缴 通 知 书" in seen["letters"][0]
    assert dunning.DunningStep.select().where(dunning.DunningStep.kind == "dunning").count() == 0  # only previewed


def test_the_floor_plan_colours_houses_and_a_click_opens_the_counter(page, owing, qtbot):
    from ui.arrears_page import shade

    w, p = page
    house, other = owing
    with clock.frozen(datetime.datetime(2026, 11, 20, 10)):
        p.where.setCurrentIndex(1)
        plan = p.plan
        assert (plan.rowCount(), plan.columnCount()) == (1, 2)  # floor 12: places 01 and 02
        cells = {plan.cells[k].label: (k, plan.item(*k)) for k in plan.cells}
        (_k, item_1201) = cells["3-2-1201"]
        assert item_1201.background().color().name() == shade(3) and "671.25" in item_1201.text()
        assert cells["3-2-1202"][1].background().color().name() == shade(1)
        r, c = cells["3-2-1202"][0]
        plan.cellClicked.emit(r, c)
        counter = w.page_by_key["counter"]
    assert w.pages.currentWidget() is counter and counter.house.id == other.id


def test_red_follows_the_months_the_office_sends_a_dunning_notice_after(page, owing, admin, qtbot, monkeypatch):
    """Red on screen (★ on paper) is for the houses owing the months of a dunning notice
    (office setting, 3 by default), not a fixed three months."""
    import io

    from PySide6.QtCore import Qt

    from models import settings
    from ui import preview
    from ui.arrears_page import SHADES

    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda dialog: 0)
    _w, p = page

    def red_rows():
        return [p.model.row_object(r).label for r in range(p.model.rowCount())
                if p.model.data(p.model.index(r, 0), Qt.ItemDataRole.ForegroundRole) is not None]

    with clock.frozen(datetime.datetime(2026, 11, 20, 10)):
        assert red_rows() == ["3-2-1201"] and "red: 3 months or more" in p.total.text()
        settings.update({"dunning_months": 4}, user=admin)
        p.where.setCurrentIndex(1)  # building 3: the list and its floor plan load again
        assert red_rows() == [] and "red: 4 months or more" in p.total.text()
        item = next(p.plan.item(*k) for k, c in p.plan.cells.items() if c.label == "3-2-1201")
        assert item.background().color().name() == SHADES[2]  # 3 months: orange, not red
        assert "red: 4 months or more" in p.plan_note.text()
        text = PdfReader(io.BytesIO(p.print_list().pdf)).pages[0].extract_text()
        assert "★" not in text.replace("★: 4 months or more", "")
        settings.update({"dunning_months": 1}, user=admin)
        p.load()
        assert red_rows() == ["3-2-1201", "3-2-1202"]
        text = PdfReader(io.BytesIO(p.print_list().pdf)).pages[0].extract_text()
        assert "★ 3-2-1201" in text and "★ 3-2-1202" in text


def test_the_collection_rate_is_judged_against_the_offices_target(page, owing, admin):
    from PySide6.QtCore import QDate

    from models import settings

    _w, p = page
    with clock.frozen(datetime.datetime(2026, 11, 20, 10)):
        p.month.setDate(QDate(2026, 9, 1))  # 1202 paid September, 1201 did not: 40.1 %
        assert "40.1%" in p.rate.text() and "below the 96.0% target" in p.rate.text()
        settings.update({"target_collection_percent": 40}, user=admin)
        p.load_rate()
        assert "on target" in p.rate.text()
        settings.update({"target_collection_percent": 45}, user=admin)
        p.load_rate()
        assert "below the 45.0% target" in p.rate.text()


def test_a_month_not_yet_due_shows_as_owed_but_is_no_month_behind(page, owing, cashier, qtbot, message_boxes,
                                                                    monkeypatch):
    from ui import preview

    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda dialog: 0)
    """December posted on 1 December is due on the 15th: on the 2nd it is in what 1202 owes,
    in its own column and marked in the detail, but 1202 is one month behind, not two."""
    _w, p = page
    with clock.frozen(datetime.datetime(2026, 12, 1, 9)):
        billing.post(cashier, "2026-12")
    with clock.frozen(datetime.datetime(2026, 12, 2, 10)):
        p.load()
        rows = {p.model.row_object(r).label: r for r in range(p.model.rowCount())}
        r = rows["3-2-1202"]
        assert p.model.data(p.model.index(r, 2)) == "1"  # November only
        assert p.model.data(p.model.index(r, 4)) == "300.00" and p.model.data(p.model.index(r, 5)) == "150.00"
        assert p.model.data(p.model.index(rows["3-2-1201"], 2)) == "3"
        p.view.setCurrentIndex(p.model.index(r, 0))
        d = p.detail
        months = [d.lines.data(d.lines.index(i, 0)) for i in range(d.lines.rowCount())]
        assert months == ["2026-11", "2026-12 (not yet due)"]
        p.print_batch("dunning")  # the whole estate: 1201 only, and the question reads as a sentence
    [question] = [text for kind, _t, text in message_boxes if kind == "question"]
    assert question.endswith("for each of the 1 houses owing 3 months or more past the due date (The whole estate)?")


def test_a_long_arrears_list_is_read_as_it_scrolls_and_printed_and_noticed_whole(owing, admin, supervisor,
                                                                                cashier, qtbot, monkeypatch,
                                                                                qtmodeltester, message_boxes):
    """Pages of two: the list opens with two houses, the total counts all five, scrolling
    reads the rest, the printed list and the notice batch take every house."""
    import io

    from ui import arrears_page, preview
    from ui.main_window import MainWindow
    from ui.table_models import KeyedModel

    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda dialog: 0)
    house, _other = owing
    for n in (1203, 1204, 1205):
        h = estate.create_house(admin, house.unit_id, number=str(n), area="60.00")
        fees.subscribe(supervisor, h.id, "service", starts=D(2026, 1, 1))
    with clock.frozen(datetime.datetime(2026, 11, 1, 9)):
        billing.post(cashier, "2026-11")
    monkeypatch.setattr(KeyedModel, "PAGE", 2)
    with clock.frozen(datetime.datetime(2026, 11, 20, 10)):
        w = MainWindow(cashier)
        qtbot.addWidget(w)
        p = w.page("arrears")
        p.load()
        assert p.model.rowCount() == 2
        assert p.total.text().startswith("5 houses owe")
        printed = PdfReader(io.BytesIO(p.print_list().pdf)).pages[0].extract_text()
        assert all(f"3-2-120{n}" in printed for n in range(1, 6))
        p.load()
        assert p.model.rowCount() == 2
        while p.model.canFetchMore(p.model.index(-1, -1).parent()):  # as the list scrolls
            p.model.fetchMore(p.model.index(-1, -1).parent())
        assert [p.model.row_object(r).label for r in range(p.model.rowCount())] == [
            "3-2-1201", "3-2-1202", "3-2-1203", "3-2-1204", "3-2-1205"]
        assert p.model.data(p.model.index(4, 6)) == "Send a payment notice"  # its ladder read with its page
        qtmodeltester.check(p.model)
        asked = []
        monkeypatch.setattr(arrears_page, "print_notices", lambda _p, _u, kind, ids, _w: asked.append(ids) or False)
        p.print_batch("notice")  # the question answered Yes
        assert len(asked[0]) == 5
