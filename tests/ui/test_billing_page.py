"""The billing page (计费) says before posting how many houses have no meter reading for
the month, and after posting what prepaid balances paid."""
import datetime

from PySide6.QtCore import QDate

from models import billing, cashier as desk, clock, estate, fees, meters
from models.meters import Entry

D = datetime.date


def test_the_preview_names_unread_meters_and_the_post_says_what_balances_paid(admin, supervisor, cashier, house,
                                                                             qtbot, message_boxes):
    from ui.billing_page import BillingPage

    fees.update_item(supervisor, "service", unit_price="2.5000")
    fees.update_item(supervisor, "water", unit_price="3.10")
    subs = []
    for number in ("1202", "1203"):
        h = estate.create_house(admin, house.unit_id, number=number, area="90.00")
        subs.append(fees.subscribe(supervisor, h.id, "water", starts=D(2026, 1, 1)).id)
    subs.append(fees.subscribe(supervisor, house.id, "water", starts=D(2026, 1, 1)).id)
    fees.subscribe(supervisor, house.id, "service", starts=D(2026, 1, 1))
    with clock.frozen(datetime.datetime(2026, 10, 20, 9)):
        desk.take_payment(cashier, house.id, [], "cash", tendered=50_000, prepay=50_000)
        meters.save(cashier, "2026-11", [Entry(subs[0], 10)])
    with clock.frozen(datetime.datetime(2026, 11, 1, 9)):
        page = BillingPage(cashier)
        qtbot.addWidget(page)
        page.show()
        page.month.setDate(QDate(2026, 11, 1))
        assert page.meters_note.isHidden()
        page.preview()
        service = next(r for r in range(page.model.rowCount()) if page.model.row_object(r).item_name == "物业服务费")
        assert page.model.data(page.model.index(service, 2)) == "89.50 m² × 1 month"  # stored as "× 1 月"
        assert page.meters_note.isVisible()
        # (the English plural forms come from estatedesk_en.ts, filled by the translator)
        assert "水费: 1 read, 2 house" in page.meters_note.text() and "not read" in page.meters_note.text()
        page.post()
    question = next(text for kind, _t, text in message_boxes if kind == "question")
    assert "水费: 1 read, 2 house" in question  # said again before posting
    posted = message_boxes[-1][2]
    assert "Prepaid balances paid for 1 house" in posted and "223.75 in all." in posted
    assert billing.Charge.select().count() == 2  # the service fee and the one water reading
