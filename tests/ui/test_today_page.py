"""Scenario 1 in the window: the clerk signs in on today's list; a line opens its record
on its page: an overdue key on the front desk's keys tab, a repair on the service desk."""
import datetime

from models import clock, keys, repairs

T0 = datetime.datetime(2026, 11, 22, 9, 0)
H = datetime.timedelta(hours=1)


def test_todays_list_opens_each_record_on_its_page(clerk, house, qtbot, message_boxes):
    from ui.main_window import MainWindow

    with clock.frozen(T0):
        key = keys.add_key(clerk, tag="P-01", name="水泵房", kind="public", responsible="刘工")
        loan = keys.lend(clerk, key.id, keys.Borrower("staff", "李师傅", approved_by="刘工"))
    with clock.frozen(T0 + 25 * H):
        leak = repairs.report(clerk, house_id=house.id, reporter="张三", what="顶棚滴水", category="leak")
        w = MainWindow(clerk)
        qtbot.addWidget(w)
        page = w.page_by_key["today"]
        assert w.pages.currentWidget() is page  # the first page
        assert [line.what for line in page.model.rows] == ["key", "dispatch"]
        assert page.model.data(page.model.index(0, 4)) == "1 h 0 min overdue"
        page.open_line(page.model.index(0, 0))
        desk = w.page_by_key["desk"]
        assert w.pages.currentWidget() is desk and desk.tabs.currentWidget() is desk.keys
        chosen = desk.keys.loans_view.currentIndex()
        assert desk.keys.loans_model.row_object(chosen.row()).id == loan.id
        w.page("today")
        page.open_line(page.model.index(1, 0))
        service = w.page_by_key["service"]
        assert w.pages.currentWidget() is service and service.tabs.currentWidget() is service.repairs
        picked = service.repairs.view.currentIndex()
        assert service.repairs.model.row_object(picked.row()).id == leak.id
