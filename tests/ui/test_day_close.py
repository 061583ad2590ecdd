"""The day close (日结) as the cashier does it: over or short shows as the cash is counted,
Enter moves on to the note a difference needs and then closes once asked, voids read as
already taken off, and a day a supervisor reopens is counted afresh."""
import datetime

import pytest
from PySide6.QtCore import Qt

from models import billing, clock, fees, users
from models import cashier as desk  # the fixture `cashier` is the user

D = datetime.date
DAY = datetime.datetime(2026, 10, 12, 17)  # before the due day: no late fee


@pytest.fixture
def paid(admin, supervisor, cashier, house):
    """3-2-1201 billed October (223.75) and paid in cash on 12 October."""
    from models import estate

    other = estate.create_house(admin, house.unit_id, number="1202", area="60.00")
    fees.update_item(supervisor, "service", unit_price="2.5000")
    for h in (house, other):
        fees.subscribe(supervisor, h.id, "service", starts=D(2026, 1, 1))
    with clock.frozen(datetime.datetime(2026, 10, 1, 9)):
        billing.post(cashier, "2026-10")
    with clock.frozen(DAY):
        [line] = desk.owed(cashier, house.id)
        desk.take_payment(cashier, house.id, [desk.Pick(line.charge.id)], "cash", tendered=30_000)
    return house, other


@pytest.fixture
def page(paid, cashier, qtbot):
    from ui.day_close_page import DayClosePage

    with clock.frozen(DAY):
        p = DayClosePage(cashier)
    qtbot.addWidget(p)
    p.show()
    qtbot.waitExposed(p)
    return p


def rows(page):
    return [(page.model.data(page.model.index(r, 0)), page.model.data(page.model.index(r, 1)))
            for r in range(page.model.rowCount())]


def test_over_or_short_shows_as_the_cash_is_counted(page, qtbot):
    with clock.frozen(DAY):
        qtbot.keyClicks(page.counted, "220")
        assert page.difference.text() == "-3.75 short"  # before anything is clicked
        page.counted.clear()
        qtbot.keyClicks(page.counted, "223.75")
        assert page.difference.text() == "None: the drawer matches the books"
        qtbot.keyClicks(page.counted, "5")  # 223.755: not an amount
        assert page.difference.text() == "Check the amount"
        page.counted.setText("230")
        assert page.difference.text() == "+6.25 over"
    assert desk.DayClose.select().count() == 0


def test_enter_closes_a_matching_count_once_asked(page, qtbot, message_boxes):
    with clock.frozen(DAY):
        page.counted.setFocus()
        qtbot.keyClicks(page.counted, "223.75")
        qtbot.keyClick(page.counted, Qt.Key.Key_Return)
    [(kind, _title, question)] = message_boxes
    assert kind == "question" and "223.75" in question and "matches" in question
    [closed] = desk.DayClose.select()
    assert (closed.counted_cash, closed.expected_cash) == (22375, 22375)
    assert not page.counted.isEnabled()


def test_enter_on_a_short_count_moves_to_the_note_then_closes(page, qtbot, message_boxes):
    with clock.frozen(DAY):
        page.counted.setFocus()
        qtbot.keyClicks(page.counted, "220")
        qtbot.keyClick(page.counted, Qt.Key.Key_Return)
        assert page.note.hasFocus() and message_boxes == [] and desk.DayClose.select().count() == 0
        page.note.setText("少收3.75元")
        qtbot.keyClick(page.note, Qt.Key.Key_Return)
    assert "3.75 less than the books" in message_boxes[-1][2]
    [closed] = desk.DayClose.select()
    assert (closed.counted_cash, closed.note) == (22000, "少收3.75元")


def test_enter_asked_and_answered_no_leaves_the_day_open(page, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    with clock.frozen(DAY):
        page.counted.setText("223.75")
        qtbot.keyClick(page.counted, Qt.Key.Key_Return)
    assert desk.DayClose.select().count() == 0 and page.counted.isEnabled()


def test_a_void_is_listed_as_already_left_out_of_the_totals(paid, cashier, supervisor, qtbot):
    from ui.day_close_page import DayClosePage

    _house, _other = paid
    with clock.frozen(DAY):
        [r] = desk.Receipt.select()
        desk.void(cashier, r.id, "收错房号", users.approve(supervisor.username, "secret1", "cash.approve"))
        page = DayClosePage(cashier)
        qtbot.addWidget(page)
    shown = rows(page)
    void = [(what, amount) for what, amount in shown if "2026-000001" in what and "收错房号" in what]
    assert void == [("Voided 2026-000001 (收错房号), 223.75: already left out of the totals", "")]
    assert ("Total taken", "0.00") in shown and ("Cash the drawer should hold", "0.00") in shown
    assert not any(amount.startswith("-") for _what, amount in shown)  # nothing reads as taken off twice


def test_a_reopened_day_shows_the_new_expected_cash_and_no_old_count(paid, cashier, supervisor, qtbot,
                                                                       monkeypatch, message_boxes):
    from ui import approval
    from ui.day_close_page import DayClosePage

    _house, other = paid
    with clock.frozen(DAY):
        page = DayClosePage(cashier)
        qtbot.addWidget(page)
        page.show()
        page.counted.setText("220")
        page.note.setText("少收3.75元")
        page.close_day()
        assert ("Cash counted", "220.00") in rows(page) and ("Over (+) or short (−)", "-3.75") in rows(page)
        # the supervisor reopens the day from their own PC; the cashier takes one more payment
        boss = DayClosePage(supervisor)
        qtbot.addWidget(boss)
        boss.who.setCurrentIndex(boss.who.findData(cashier.id))

        def approve(dialog):
            dialog.reason.setText("补收一笔")
            dialog.username.setText(supervisor.username)
            dialog.password.setText("secret1")
            dialog._save()
            return dialog.result()

        monkeypatch.setattr(approval.ApprovalDialog, "exec", approve)
        boss.reopen()
        assert desk.DayClose.get().reopened
        assert ("Cash the drawer should hold", "223.75") in rows(boss)
        assert not [what for what, _a in rows(boss) if what in ("Cash counted", "Over (+) or short (−)")]
        [line] = desk.owed(cashier, other.id)
        desk.take_payment(cashier, other.id, [desk.Pick(line.charge.id)], "cash", tendered=15_000)
        page.hide()
        page.show()  # back to the day close: the books as they are now
        assert ("Cash the drawer should hold", "373.75") in rows(page)
        assert not [what for what, _a in rows(page) if what in ("Cash counted", "Over (+) or short (−)")]
        assert page.counted.text() == "" and page.note.text() == "" and page.difference.text() == ""
        assert page.counted.isEnabled() and "Reopened" in page.state.text()
        page.counted.setText("373.75")
        assert page.difference.text() == "None: the drawer matches the books"


def test_the_old_refusal_goes_as_soon_as_the_count_or_the_note_changes(page, qtbot, message_boxes):
    with clock.frozen(DAY):
        page.counted.setText("220")
        page.close_day()  # short, without a word why: refused under the note
        error = page.form.rows["note"].error
        assert error.text() and not error.isHidden()
        page.counted.setText("223.75")  # counted again: it matches now
        assert error.isHidden() and page.difference.text() == "None: the drawer matches the books"
        page.counted.setText("220")
        page.close_day()
        assert not error.isHidden()
        page.note.setText("少")  # the reason being written
        assert error.isHidden()
    assert desk.DayClose.select().count() == 0


def test_the_question_before_closing_says_the_difference_plainly(page, qtbot, message_boxes):
    with clock.frozen(DAY):
        page.counted.setText("223.75")
        page.confirm_close()
    [(_kind, _title, question)] = message_boxes
    assert question == ("Cash counted in the drawer: 223.75. That matches the books.\n"
                        "Close the day 2026-10-12? Only a supervisor can reopen it.")
    assert page.difference_sentence(-375) == "That is 3.75 less than the books."
    assert page.difference_sentence(625) == "That is 6.25 more than the books."


def test_the_built_in_late_fee_line_reads_in_the_clerks_language_and_the_office_items_as_typed(
        admin, supervisor, cashier, house, qtbot):
    from ui.day_close_page import DayClosePage

    fees.update_item(supervisor, "service", unit_price="2.5000")
    fees.subscribe(supervisor, house.id, "service", starts=D(2026, 1, 1))
    with clock.frozen(datetime.datetime(2026, 10, 1, 9)):
        billing.post(cashier, "2026-10")
    late = datetime.datetime(2026, 10, 20, 10)  # 5 days late: 1.12
    with clock.frozen(late):
        [line] = desk.owed(cashier, house.id)
        desk.take_payment(cashier, house.id, [desk.Pick(line.charge.id)], "cash", tendered=30_000)
        page = DayClosePage(cashier)
        qtbot.addWidget(page)
    shown = rows(page)
    assert ("Item: Late fee", "1.12") in shown and ("Item: 物业服务费", "223.75") in shown
    assert not [what for what, _a in shown if "违约金" in what]


def test_the_cashiers_own_numbers_show_in_runs_without_another_clerks(paid, cashier, clerk, qtbot):
    from ui.day_close_page import DayClosePage

    house, other = paid
    with clock.frozen(DAY):
        parcel = billing.charge_for(clerk, other.id, "parcel", 200, source="parcel")
        desk.take_payment(clerk, other.id, [desk.Pick(parcel.id)], "cash", tendered=200)  # 2026-000002: wang's
        for _ in range(2):
            [line] = desk.owed(cashier, other.id)
            desk.take_payment(cashier, other.id, [desk.Pick(line.charge.id, 1_000)], "wechat")
        page = DayClosePage(cashier)
        qtbot.addWidget(page)
    assert rows(page)[0] == ("Receipts issued: 3", "2026-000001, 2026-000003 – 000004")


def test_the_printed_close_signs_in_one_type_size_with_plain_colons_in_english(page, qtbot, monkeypatch):
    from tests.printing import geometry
    from ui import preview

    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda self: 0)
    with clock.frozen(DAY):
        dialog = page.print_summary()
    runs = geometry.read(dialog.pdf).runs
    signs = {r.text: round(r.size, 1) for r in runs
             if r.text.startswith(("Cashier's signature", "Checked by", "Date"))}
    assert set(signs) == {"Cashier's signature:", "Checked by / supervisor:", "Date:"}
    assert len(set(signs.values())) == 1  # the long label in the same type as the others
    assert not [r.text for r in runs if "：" in r.text]
