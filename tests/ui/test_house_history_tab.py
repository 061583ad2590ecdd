"""The house page's history (issue 20): the house's repairs and receipts newest first; Enter
on a repair opens it on the service desk, on a receipt the counter on the house with that
receipt chosen; an owner's line stays on the house's own owners tab."""
import datetime

from models import clock, owners, repairs
from models import cashier as desk

T = datetime.datetime(2026, 12, 3, 10, 0)


def test_each_line_of_a_houses_history_opens_its_record(admin, supervisor, house, qtbot, message_boxes):
    from ui.main_window import MainWindow

    with clock.frozen(T - datetime.timedelta(days=30)):
        owners.add_owner(admin, house.id, name="张三", since=datetime.date(2026, 11, 1))
        receipt = desk.take_payment(supervisor, house.id, [], "cash", tendered=None, deposit=50_000)
    with clock.frozen(T - datetime.timedelta(days=2)):
        repair = repairs.report(supervisor, reporter="张三", what="厨房水管漏水", category="water", house_id=house.id)
    with clock.frozen(T):
        w = MainWindow(supervisor)
        qtbot.addWidget(w)
        w.show()
        archive = w.page("archive")
        archive.open_house(house.id)
        detail = archive.detail
        detail.tabs.setCurrentWidget(detail.history_tab)
        rows = detail.history_model.rows
        assert [e.kind for e in rows] == ["repair", "receipt", "owner"]  # newest first
        assert detail.history_note.text().startswith("3 ")
        assert detail.history_model.data(detail.history_model.index(0, 1)) == "Repair reported"

        detail.history_view.selectRow(2)
        detail.open_event()  # the owner: the house's owners tab
        assert w.pages.currentWidget() is archive and detail.tabs.currentIndex() == 0

        detail.tabs.setCurrentWidget(detail.history_tab)
        detail.history_view.selectRow(0)
        detail.open_event()
        service = w.page_by_key["service"]
        assert w.pages.currentWidget() is service and service.tabs.currentWidget() is service.repairs
        assert service.repairs.view.model().row_object(service.repairs.view.currentIndex().row()).id == repair.id

        w.page("archive")
        detail.tabs.setCurrentWidget(detail.history_tab)
        detail.history_view.selectRow(1)
        detail.open_event()
        counter = w.page_by_key["counter"]
        assert w.pages.currentWidget() is counter and counter.house.id == house.id
        chosen = counter.receipts.selectionModel().selectedRows()
        assert [counter.receipts.item(ix.row(), 0).text() for ix in chosen] == [receipt.number_text]


def test_a_house_sold_at_the_archive_keeps_the_old_owner_in_its_history(admin, house, qtbot, message_boxes):
    from ui.main_window import MainWindow

    with clock.frozen(T - datetime.timedelta(days=30)):
        owners.add_owner(admin, house.id, name="张三", since=datetime.date(2026, 11, 1))
    with clock.frozen(T):
        w = MainWindow(admin)
        qtbot.addWidget(w)
        w.show()
        archive = w.page("archive")
        archive.open_house(house.id)
        d = archive.detail.sold(exec_dialog=False)
        assert "张三" in d.box.itemAt(0).widget().text() and d.arrears.currentData() == "settled"
        d._save()  # no new owner named: said by the field
        assert d.form.rows["name"].error.text() and not d.result()
        d.name.setText("李四")
        d._save()
        assert d.result()
        archive.detail.refresh()
        assert archive.detail.archive.house.owner_names == "李四"
        archive.detail.tabs.setCurrentWidget(archive.detail.history_tab)
        owners_seen = [(e.action, e.text) for e in archive.detail.history_model.rows if e.kind == "owner"]
        assert owners_seen == [("owner_since", "李四"), ("owner_until", "张三"), ("owner_since", "张三")]
