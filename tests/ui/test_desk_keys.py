"""Scenario 5 in the window: a decorator asks for the keys of a house on the owner's behalf;
without the owner's letter the loan is refused and the dialog says why; with it, and the
owner's confirmation recorded, the key is lent and the slip prints; a day later it is on the
overdue list the front desk shows on opening, until it comes back."""
import datetime
import io

import pytest
from pypdf import PdfReader

from models import clock, keys

T0 = datetime.datetime(2026, 11, 23, 10, 0)
H = datetime.timedelta(hours=1)


@pytest.fixture
def desk(clerk, house, qtbot, monkeypatch):
    from ui import preview
    from ui.desk.page import DeskPage

    keys.add_key(clerk, tag="K-12", name="3-2-1201 大门", kind="house", house_id=house.id, position="A柜3号")
    shown = []
    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    with clock.frozen(T0):
        page = DeskPage(clerk)
    qtbot.addWidget(page)
    page.shown = shown
    return page


def test_a_delegate_refused_without_the_letter_then_lent_and_overdue_until_returned(desk, clerk, qtbot,
                                                                                   monkeypatch, message_boxes):
    from PySide6.QtWidgets import QInputDialog

    from printing import papers
    from ui.desk import keys as desk_keys

    tab = desk.keys
    tab.register_view.selectRow(0)
    tries = []

    def fill(dialog):
        dialog.kind.setCurrentIndex(dialog.kind.findData("delegate"))
        assert dialog.form.rows["id_number"].isVisibleTo(dialog)
        dialog.borrower.setText("王师傅")
        dialog.phone.setText("13900001111")
        dialog.id_number.setText("11010519491231002X")
        dialog.purpose.setText("装修")
        dialog._save()  # no letter, no confirmation: refused, each reason by its field
        tries.append({name: row.error.text() for name, row in dialog.form.rows.items() if row.error.text()})
        assert not dialog.result() and keys.KeyLoan.select().count() == 0
        dialog.letter.setChecked(True)  # he came back with the letter; the clerk called the owner
        dialog.confirmed_how.setCurrentIndex(dialog.confirmed_how.findData("phone"))
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(desk_keys.LendDialog, "exec", fill)
    with clock.frozen(T0):
        tab.lend()
    assert set(tries[0]) == {"letter_received", "confirmed_how"} and "委托书" in tries[0]["letter_received"]
    [loan] = keys.KeyLoan.select()
    assert loan.borrower == "王师傅" and loan.letter_received and loan.confirmed_at is not None
    slip = PdfReader(io.BytesIO(desk.shown[-1].pdf)).pages[0].extract_text()
    assert "钥匙借用登记单" in slip and "王师傅" in slip and "11010519491231002X" not in slip and "借用人签字" in slip

    with clock.frozen(T0 + 25 * H):  # 1 day: due by the end of the next day, not 24 h
        desk.focus_search()
        assert "K-12" not in desk.alert.text() and tab.loans_model.data(tab.loans_model.index(0, 4)) == "11-24 23:59"
    with clock.frozen(T0 + 39 * H):  # past it, not returned
        desk.focus_search()
        assert desk.alert.isVisibleTo(desk) and "K-12" in desk.alert.text()
        assert tab.loans_model.data(tab.loans_model.index(0, 5)) == "0 d 1 h"
        tab.loans_view.selectRow(0)
        monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", True))
        tab.give_back()
        desk.focus_search()
    assert "overdue" not in desk.alert.text() and keys.KeyLoan.get().state == "returned"
    assert tab.loans_model.rowCount() == 0


def test_the_key_count_records_differences_and_prints_the_sheet(desk, clerk, monkeypatch, message_boxes):
    from printing import papers
    from ui.desk import keys as desk_keys

    assert "never counted" in desk.alert.text()  # keys in the register, no count yet

    def count(dialog):
        dialog._save()  # no responsible person: refused, nothing written
        assert dialog.form.rows["responsible"].error.text() and keys.KeyCheck.select().count() == 0
        dialog.responsible.setText("客服主管 赵")
        dialog.spins[0].setValue(0)  # K-12 is not on its hook
        assert dialog.table.item(0, 5).text() == "-1"
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(desk_keys.KeyCheckDialog, "exec", count)
    with clock.frozen(T0 + 2 * H):
        sheet = desk.keys.count_keys()
        desk.show_alerts()
    check = keys.KeyCheck.get()
    assert (check.short, check.extra, check.responsible) == (1, 0, "客服主管 赵")
    text = PdfReader(io.BytesIO(sheet.pdf)).pages[0].extract_text()
    assert "K-12" in text and "-1" in text and "客服主管 赵" in text
    assert "counted" not in desk.alert.text() and "2026-11-23" in desk.keys.check_note.text()


GOOD_ID = "11010519491231002X"
PAPERS = {"id_number", "letter_received", "confirmed_how"}


@pytest.mark.parametrize("kind", ["resident", "delegate", "contractor", "staff"])
def test_for_a_house_key_the_dialog_asks_anyone_but_the_owner_for_id_letter_and_confirmation(
        desk, clerk, kind, qtbot, message_boxes):
    from ui.desk.keys import LendDialog

    key = keys.DeskKey.get()
    with clock.frozen(T0):
        dialog = LendDialog(clerk, key, desk)
        qtbot.addWidget(dialog)
        dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
        for name in PAPERS | {"confirmed_at"}:
            assert dialog.form.rows[name].isVisibleTo(dialog), name
        dialog.borrower.setText("施工队 王")
        dialog._save()
    errors = {name for name, row in dialog.form.rows.items() if row.error.text()}
    assert errors == PAPERS and not dialog.result() and keys.KeyLoan.select().count() == 0


def test_the_owner_gets_the_house_key_with_their_name_and_phone_filled_in(desk, clerk, admin, house, qtbot,
                                                                          message_boxes):
    from models import owners
    from ui.desk.keys import LendDialog

    owners.add_owner(admin, house.id, name="张三", id_number=GOOD_ID, phone="13812345678")
    key = keys.DeskKey.get()
    with clock.frozen(T0):
        dialog = LendDialog(clerk, key, desk)
        qtbot.addWidget(dialog)
        assert (dialog.borrower.text(), dialog.phone.text()) == ("张三", "138****5678")
        # the owner shows the ID on file, and no letter
        assert not any(dialog.form.rows[name].isVisibleTo(dialog) for name in PAPERS - {"id_number"})
        assert dialog.form.rows["id_number"].isVisibleTo(dialog)
        dialog.kind.setCurrentIndex(dialog.kind.findData("contractor"))  # not the owner: the owner's details go
        assert (dialog.borrower.text(), dialog.phone.text()) == ("", "")
        dialog.kind.setCurrentIndex(dialog.kind.findData("owner"))
        dialog._save()  # no ID shown: refused, said next to the ID
        assert dialog.form.rows["id_number"].error.text() and keys.KeyLoan.select().count() == 0
        dialog.id_number.setText(GOOD_ID.lower())
        dialog._save()
    loan = keys.KeyLoan.get()
    assert (loan.borrower, loan.phone, loan.borrower_kind) == ("张三", "13812345678", "owner")
    assert loan.id_number == GOOD_ID


def test_on_the_standing_authorisation_the_dialog_asks_only_the_id(desk, clerk, house, qtbot, monkeypatch,
                                                                  message_boxes):
    from PySide6.QtWidgets import QInputDialog

    from printing import papers
    from ui.desk import keys as desk_keys
    from ui.desk.keys import LendDialog

    key = keys.DeskKey.get()

    def name_him(dialog):  # the owner names 王师傅 once, with the letter, in person
        dialog._save()
        assert not dialog.result() and dialog.form.rows["letter_received"].error.text()
        dialog.name.setText("王师傅")
        dialog.relation.setText("装修")
        dialog.id_number.setText(GOOD_ID)
        dialog.letter.setChecked(True)
        dialog.confirmed_how.setCurrentIndex(dialog.confirmed_how.findData("in_person"))
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(desk_keys.AuthorisationDialog, "exec", name_him)
    with clock.frozen(T0):
        dialog = LendDialog(clerk, key, desk)
        qtbot.addWidget(dialog)
        dialog.kind.setCurrentIndex(dialog.kind.findData("contractor"))
        assert "No one named" in dialog.standing_note.text()
        dialog.edit_standing()
        assert "王师傅" in dialog.standing_note.text()
        dialog.borrower.setText("王师傅")
        dialog.id_number.setText(GOOD_ID)
        dialog.id_number.editingFinished.emit()
        assert dialog.form.rows["id_number"].isVisibleTo(dialog)
        assert not dialog.form.rows["letter_received"].isVisibleTo(dialog)
        assert not dialog.form.rows["confirmed_how"].isVisibleTo(dialog)
        assert "the ID is enough" in dialog.standing_note.text()
        dialog._save()
    loan = keys.KeyLoan.get()
    assert loan.authorisation_id == keys.KeyAuthorisation.get().id and dialog.result()
    rows = dict(papers.key_slip(loan).rows)  # the slip says what it was lent on
    assert rows["业主委托"].startswith("常年委托") and rows["身份证号"] != GOOD_ID

    # the owner takes him off it: the letter and confirmation are asked again
    monkeypatch.undo()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("业主收回", True))
    with clock.frozen(T0 + H):
        auth_dialog = desk_keys.AuthorisationDialog(clerk, house, desk)
        qtbot.addWidget(auth_dialog)
        assert auth_dialog.model.rowCount() == 1
        auth_dialog.view.selectRow(0)
        auth_dialog.withdraw()
        assert auth_dialog.model.rowCount() == 0
    assert keys.authorisations(clerk, house.id) == []


def test_the_lend_dialogs_messages_show_whole_in_english_and_go_as_each_paper_is_recorded(desk, clerk, qtbot):
    from ui.desk.keys import LendDialog

    with clock.frozen(T0):
        dialog = LendDialog(clerk, keys.DeskKey.get(keys.DeskKey.tag == "K-12"), desk)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    before = dialog.height()
    dialog.kind.setCurrentIndex(dialog.kind.findData("contractor"))
    dialog.borrower.setText("Liu")
    dialog.phone.setText("13912345678")
    dialog.id_number.setText("11010519491231002X")
    with clock.frozen(T0):
        dialog._save()  # no letter, no confirmation
    qtbot.wait(20)
    rows = dialog.form.rows

    def shown():
        return {name for name, row in rows.items() if row.error.isVisible()}

    assert shown() == {"letter_received", "confirmed_how"} and dialog.height() > before
    for name in shown():  # the whole message, on as many lines as it takes
        error = rows[name].error
        assert error.height() >= error.heightForWidth(error.width()), name
    for row in rows.values():
        if row.isVisible():
            assert row.editor.height() >= row.editor.sizeHint().height(), row.editor
    dialog.letter.setChecked(True)  # the letter's message goes when it is ticked, the other stays
    assert shown() == {"confirmed_how"}
    dialog.confirmed_how.setCurrentIndex(dialog.confirmed_how.findData("phone"))
    assert shown() == set()


def test_the_key_slip_prints_the_clerk_who_lent_it_as_its_handler(desk, clerk, monkeypatch, message_boxes):
    from printing import papers
    from ui.desk import keys as desk_keys

    clerk.full_name = "王芳"
    clerk.save()

    def lend(dialog):
        dialog.kind.setCurrentIndex(dialog.kind.findData("delegate"))
        dialog.borrower.setText("王师傅")
        dialog.id_number.setText("11010519491231002X")
        dialog.letter.setChecked(True)
        dialog.confirmed_how.setCurrentIndex(dialog.confirmed_how.findData("phone"))
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(desk_keys.LendDialog, "exec", lend)
    desk.keys.register_view.selectRow(0)
    with clock.frozen(T0):
        desk.keys.lend()
    [loan] = keys.KeyLoan.select()
    assert papers.key_slip(loan).signed == {"经办人": "王芳"}
    text = PdfReader(io.BytesIO(desk.shown[-1].pdf)).pages[0].extract_text()
    assert "王芳" in text.split("经办人")[1].split("归还")[0]  # on the handler's line
    clerk.full_name = ""  # no full name on file: her user name
    clerk.save()
    assert papers.key_slip(keys.KeyLoan.get()).signed == {"经办人": "wang"}


def test_at_1024_wide_the_keys_out_list_shows_the_borrower(desk, clerk, house, qtbot):
    with clock.frozen(T0):
        keys.lend(clerk, keys.DeskKey.get(keys.DeskKey.tag == "K-12").id, keys.Borrower(
            "contractor", "防水施工 周", phone="13912345678", id_number="11010519491231002X", letter_received=True,
            confirmed_how="phone", confirmed_at=T0))
        desk.resize(830, 640)  # the page's room in a 1024 × 768 window
        desk.show()
        qtbot.waitExposed(desk)
        desk.tabs.setCurrentWidget(desk.keys)
        desk.keys.load()
    qtbot.wait(20)
    view = desk.keys.loans_view
    assert view.columnViewportPosition(2) + view.columnWidth(2) <= view.viewport().width()
    assert view.columnWidth(2) >= view.sizeHintForColumn(2)


def test_the_item_slip_names_the_clerk_who_lent_it_then_the_one_who_took_it_back(clerk, supervisor, house):
    from models import lending
    from printing.papers import item_slip

    clerk.full_name = "王芳"
    clerk.save()
    item = lending.add_item(clerk, tag="W-01", name="人字梯")
    with clock.frozen(T0):
        loan = lending.lend(clerk, item.id, borrower="张三", condition="完好", house_id=house.id)
    assert item_slip(lending.ItemLoan.get_by_id(loan.id)).signed == {"经办人": "王芳"}
    supervisor.full_name = ""
    supervisor.save()
    with clock.frozen(T0 + H):
        lending.take_back(supervisor, loan.id, condition="完好")
    assert item_slip(lending.ItemLoan.get_by_id(loan.id)).signed == {"经办人": "zhao"}
