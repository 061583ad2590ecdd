"""The counter takes what no bill posted (issue 20), by keyboard: F6 adds a light fitted from
the price list, the debris fee at the office's amount and the renovation deposit to the
month's bill; F9 takes them all on one receipt, the deposit held; a wrong quantity is said
by its field and adds nothing; an added line unticked is left out."""
import datetime
import io

from pypdf import PdfReader
from PySide6.QtCore import Qt

from models import billing, clock, pricelist
from models import cashier as desk  # the fixture `cashier` is the user
from tests.ui.test_counter import owing  # noqa: F401 - the fixture: 3-2-1201 billed October

T = datetime.datetime(2026, 10, 12, 10)  # before the due day: no late fee


def charge(monkeypatch, fill):
    from ui import counter_page

    def run(dialog):
        fill(dialog)
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(counter_page.ChargeDialog, "exec", run)


def choose(dialog, starts: str) -> None:
    dialog.what.setCurrentIndex(next(i for i in range(dialog.what.count())
                                     if dialog.what.itemText(i).startswith(starts)))


def test_services_the_debris_fee_and_a_deposit_are_taken_with_the_bill_on_one_receipt(
        owing, cashier, supervisor, qtbot, monkeypatch, message_boxes):  # noqa: F811
    from ui import preview
    from ui.main_window import MainWindow

    pricelist.save(supervisor, name="装灯", item_code="service_paid", pricing="unit", price="10.00", unit="个")
    shown = []
    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda self: shown.append(self) or 0)
    with clock.frozen(T):
        w = MainWindow(cashier)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        page = w.page("counter")
        qtbot.waitUntil(lambda: page.search_box.hasFocus())
        page.search_box.setText("3-2-1201")
        page.run_search()
        assert page.charge_button.isEnabled() and page.tendered.hasFocus()

        tries = []

        def lights(dialog):
            choose(dialog, "装灯")
            assert dialog.form.rows["quantity"].isVisibleTo(dialog) and not dialog.form.rows["amount"].isVisibleTo(
                dialog)
            dialog.quantity.setText("两个")  # no number: said by the field, nothing added
            dialog._save()
            tries.append(dialog.form.rows["quantity"].error.text())
            dialog.quantity.setText("3")

        charge(monkeypatch, lights)
        qtbot.keyClick(page.tendered, Qt.Key.Key_F6)
        assert tries[0] and page.table.rowCount() == 2
        assert [page.table.item(1, c).text() for c in (1, 2, 6)] == ["Now", "有偿服务费(装灯)", "30.00"]

        def debris(dialog):
            choose(dialog, "装修垃圾清运费")
            assert dialog.amount.text() == "300.00"  # the office's setting
            dialog.description.setText("3-2-1201 装修")

        charge(monkeypatch, debris)
        page.add_charge()

        def deposit(dialog):
            choose(dialog, "装修保证金")
            assert dialog.amount.text() == "2000.00"

        charge(monkeypatch, deposit)
        page.add_charge()
        assert page.table.rowCount() == 4
        assert page.due_now() == 22_375 + 3000 + 30_000 + 200_000
        assert "2,553.75" in page.due_label.text()
        page.tendered.setText("2600")
        assert "46.25" in page.change_label.text()
        qtbot.keyClick(page.tendered, Qt.Key.Key_F9)
    [r] = desk.Receipt.select()
    assert r.total == 255_375 and r.tendered == 260_000
    assert [line.item for line in desk.receipt_lines(r)] == ["物业服务费", "有偿服务费(装灯)", "装修垃圾清运费(3-2-1201 装修)",
                                                             "装修保证金"]
    text = PdfReader(io.BytesIO(shown[-1].pdf)).pages[0].extract_text()
    assert "装修保证金" in text and "2,000.00" in text and "人民币贰仟伍佰伍拾叁元柒角伍分" in text
    assert page.table.rowCount() == 0 and page.pending == []  # all paid, nothing left to take twice
    assert sum(v for (kind, _i), v in desk.balances(owing.id).items() if kind == "deposit") == 200_000
    with clock.frozen(T):
        day = desk.day_summary(cashier, cashier.id, T.date())
    assert (day.income, day.held) == (55_375, 200_000)
    from ui.day_close_page import DayClosePage

    with clock.frozen(T):
        close = DayClosePage(cashier)
    qtbot.addWidget(close)
    rows = close.rows(day)
    assert ("Total taken", "2,553.75") in rows and ("Income", "553.75") in rows
    assert ("Of it, held for the houses (deposits, prepayments)", "2,000.00") in rows


def test_an_added_line_unticked_is_left_out_and_another_house_starts_without_it(owing, cashier, qtbot,  # noqa: F811
                                                                                monkeypatch, message_boxes):
    from ui import preview
    from ui.counter_page import CounterPage

    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda self: 0)
    with clock.frozen(T):
        page = CounterPage(cashier)
        qtbot.addWidget(page)
        page.open_house(owing.id)

        def advertising(dialog):
            choose(dialog, "广告费")
            dialog.amount.setText("0")  # nothing: refused by the field
            dialog._save()
            assert dialog.form.rows["amount"].error.text()
            dialog.amount.setText("1500")

        charge(monkeypatch, advertising)
        page.add_charge()
        assert page.due_now() == 22_375 + 150_000
        page.table.item(1, 0).setCheckState(Qt.CheckState.Unchecked)
        assert page.due_now() == 22_375 and page.extras() == []
        page.pay()
    assert billing.Charge.select().where(billing.Charge.source == "counter").count() == 0
    [r] = desk.Receipt.select()
    assert r.total == 22_375
    with clock.frozen(T):
        page.open_house(owing.id)
    assert page.pending == [] and page.table.rowCount() == 0


def test_the_fees_page_keeps_the_price_list_and_refuses_a_service_priced_at_nothing(supervisor, qtbot,
                                                                                     message_boxes):
    from ui.fees_page import FeesPage

    page = FeesPage(supervisor)
    qtbot.addWidget(page)
    assert [page.services.data(page.services.index(r, 0)) for r in range(page.services.rowCount())] == [
        "房屋租赁代理（业主）"]
    assert page.services.data(page.services.index(0, 2)) == "40% of 月租金"
    d = page.edit_service(new=True, exec_dialog=False)
    d.name.setText("疏通下水道")
    assert d.form.rows["price"].isVisibleTo(d) and not d.form.rows["share"].isVisibleTo(d)
    d.price.setText("0")
    d.unit.setText("次")
    d._save()
    assert d.form.rows["price"].error.text() and pricelist.PriceEntry.select().count() == 1
    d.price.setText("50")
    d._save()
    assert d.result() and pricelist.PriceEntry.get(pricelist.PriceEntry.name == "疏通下水道").price == 5000
    page.load()
    assert page.services.data(page.services.index(1, 2)) == "50.00/次"
    d = page.edit_service(new=True, exec_dialog=False)  # a share of the rent, the market's
    d.name.setText("房屋租赁代理（市场）")
    d.pricing.setCurrentIndex(d.pricing.findData("share"))
    assert not d.form.rows["price"].isVisibleTo(d) and d.form.rows["share"].isVisibleTo(d)
    d.share.setText("50")
    d.base.setText("月租金")
    d._save()
    assert pricelist.PriceEntry.get(pricelist.PriceEntry.name == "房屋租赁代理（市场）").share_fraction == 0.5


def test_what_the_clerk_unticked_or_typed_stays_when_she_adds_another_line(owing, cashier, qtbot,  # noqa: F811
                                                                           monkeypatch, message_boxes):
    from ui.counter_page import CounterPage

    with clock.frozen(T):
        page = CounterPage(cashier)
        qtbot.addWidget(page)
        page.open_house(owing.id)
        page.table.item(0, 6).setText("100.00")  # part of October's bill
        charge(monkeypatch, lambda d: (choose(d, "广告费"), d.amount.setText("1500")))
        page.add_charge()
        page.table.item(1, 0).setCheckState(Qt.CheckState.Unchecked)  # not today after all
        charge(monkeypatch, lambda d: choose(d, "装修保证金"))
        page.add_charge()
        charge(monkeypatch, lambda d: (choose(d, "装修保证金"), d.amount.setText("3000")))
        page.add_charge()  # a second deposit replaces the first
        assert [page.table.item(r, 2).text() for r in range(page.table.rowCount())][1:] == [
            "广告费", "装修保证金 (deposit)"]
        assert page.table.item(0, 6).text() == "100.00"
        assert page.table.item(1, 0).checkState() == Qt.CheckState.Unchecked
        assert page.due_now() == 10_000 + 300_000 and page.extras() == []
        page.table.selectRow(2)
        page.waive()  # an added line has no late fee: said, nothing breaks
    assert message_boxes[-1][0] == "information"
