"""The office's price list: changing a price, meter tiers, and billing an item to a
building's houses from their handover."""
import datetime

from models import estate, fees

D = datetime.date


def test_the_supervisor_sets_prices_and_tiers(supervisor, qtbot, message_boxes):
    from ui.fees_page import FeeItemDialog

    d = FeeItemDialog(supervisor, fees.item("service"))
    qtbot.addWidget(d)
    d.price.setText("2.35001")  # five decimals: refused next to the field
    d._save()
    assert d.form.rows["unit_price"].error.text() and fees.item("service").unit_price == 0
    d.price.setText("2.35")
    d._save()
    assert fees.item("service").unit_price == 23500

    w = FeeItemDialog(supervisor, fees.item("power"))
    qtbot.addWidget(w)
    w.tiers.setText("400:0.61, 240:0.56, 0.86")  # not in order
    w._save()
    assert w.form.rows["tiers"].error.text() and fees.item("power").tier_list == []
    w.tiers.setText("240:0.56，400:0.61，0.86")
    w._save()
    assert fees.item("power").tier_list == [(240, 5600), (400, 6100), (None, 8600)]


def test_an_item_is_billed_to_a_building_from_each_handover(admin, supervisor, house, qtbot, message_boxes):
    from PySide6.QtCore import QDate

    from ui.fees_page import SubscribeDialog

    estate.update_house(admin, house.id, handover_date=D(2026, 3, 8))
    later = estate.create_house(admin, house.unit_id, number="1202", area="75.00")  # not handed over
    d = SubscribeDialog(supervisor, fees.item("service"))
    qtbot.addWidget(d)
    d.where.setCurrentIndex(1)  # building 3
    d.starts.setDate(QDate(2026, 1, 1))  # billed from January, or each house's handover when later
    d._save()
    assert d.result_object == 1
    [sub] = fees.subscriptions(house.id)
    assert sub.starts == D(2026, 3, 8) and fees.subscriptions(later.id) == []
    d._save()  # again: no house is put on the item twice
    assert d.result_object == 0 and len(fees.subscriptions(house.id)) == 1


def test_a_parking_space_is_added_to_a_house_and_ended(admin, supervisor, clerk, house, qtbot, monkeypatch,
                                                      message_boxes):
    from PySide6.QtCore import QDate

    from ui import house_fees
    from ui.house_detail import HouseDetail

    fees.update_item(supervisor, "parking", unit_price="150")
    detail = HouseDetail(supervisor)
    qtbot.addWidget(detail)
    detail.open_house(house.id)

    def fill(dialog):
        dialog.item.setCurrentIndex(dialog.item.findData("parking"))
        dialog.quantity.setText("2")
        dialog.price.setText("120.5")
        dialog.starts.setDate(QDate(2026, 11, 1))
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(house_fees.HouseFeeDialog, "exec", fill)
    detail.add_fee()
    assert detail.fee_model.rowCount() == 1
    [sub] = fees.subscriptions(house.id)
    assert (sub.item.code, sub.quantity, sub.unit_price, sub.starts) == ("parking", 2, 1_205_000, D(2026, 11, 1))
    amount = fees.periodic_amount(sub.item, sub, house, "2026-11")
    assert amount.fen == 24_100  # 2 × 120.50

    def end(dialog):
        dialog.ends.setDate(QDate(2026, 12, 15))
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(house_fees.EndFeeDialog, "exec", end)
    detail.fee_view.selectRow(0)
    detail.end_fee()
    assert fees.subscriptions(house.id)[0].ends == D(2026, 12, 15)
    # half of December: 15/31 of the month
    assert fees.periodic_amount(sub.item, fees.subscriptions(house.id)[0], house, "2026-12").fen == 11_661

    clerk_view = HouseDetail(clerk)  # sees the fees, changes none
    qtbot.addWidget(clerk_view)
    clerk_view.open_house(house.id)
    assert clerk_view.fee_model.rowCount() == 1
