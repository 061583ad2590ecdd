"""The desk's registers written by keyboard in the real window (SCENARIOS 15): a message
taken for the manager, on 今日 until done and opened from there; the shift handed over by
小王 with her password, and 小李, signing in, shown it and taking it over with hers."""
import datetime
import io

from pypdf import PdfReader
from PySide6.QtCore import Qt

from models import clock, keys, messages, owners, shifts, today, users
from models.keys import Borrower
from tests.ui.typing_keys import enter, focused, type_text

T0 = datetime.datetime(2026, 12, 2, 15, 30)


def text_of(pdf: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def shown_active(qtbot, dialog):
    """The dialog shown and active, as it is at the desk (offscreen, a dialog opened from a
    key press is not made active by itself)."""
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)


def _window(qtbot, user):
    from ui.main_window import MainWindow

    w = MainWindow(user)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    with qtbot.waitActive(w):
        w.activateWindow()  # as after sign-in: the window's shortcuts work
    return w


def test_a_message_by_keyboard_then_a_handover_taken_over_at_sign_in(admin, house, qtbot, monkeypatch,
                                                                     message_boxes):
    from ui import preview
    from ui.registers import messages as message_ui
    from ui.registers import shifts as shift_ui

    owners.add_owner(admin, house.id, name="张三", phone="13812345678")
    hash_ = users.User.get(users.User.username == "admin").password_hash  # "secret1"
    wang = users.User.create(username="wang", full_name="小王", roles="clerk", password_hash=hash_)
    li = users.User.create(username="xiaoli", full_name="小李", roles="clerk", password_hash=hash_)
    with clock.frozen(T0 - datetime.timedelta(hours=3)):
        key = keys.add_key(wang, tag="K-01", name="设备房", kind="public", position="A柜", responsible="经理")
        keys.lend(wang, key.id, Borrower("staff", "电工老周", approved_by="经理"))
    shown = []
    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda self: shown.append(self) or 0)

    def take_message(dialog):
        shown_active(qtbot, dialog)
        qtbot.waitUntil(lambda: focused() is dialog.house)  # the first field
        type_text(qtbot, None, "3-2-1201")
        enter(qtbot)  # the owner and her phone (masked) filled in from the house
        assert (dialog.caller.text(), dialog.phone.text()) == ("张三", "138****5678")
        enter(qtbot)
        enter(qtbot)
        type_text(qtbot, None, "经理")
        enter(qtbot)
        assert focused() is dialog.about
        type_text(qtbot, None, "车位申请进度，请回电")
        enter(qtbot)
        assert focused() is dialog.how  # by phone, as offered
        enter(qtbot)
        assert focused() is dialog.asked
        qtbot.keyClick(dialog.asked, Qt.Key.Key_Space)  # a call-back asked for, by the time offered (2 h)
        enter(qtbot)
        return dialog.result()

    monkeypatch.setattr(message_ui.MessageDialog, "exec", take_message)
    with clock.frozen(T0):
        w = _window(qtbot, wang)
        page = w.page("registers")
        assert page.tabs.currentWidget() is page.messages
        qtbot.keyClick(page.messages, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: messages.Message.select().count() == 1)  # a button's key clicks it a moment later
    m = messages.Message.get()
    assert (m.caller, m.for_whom, m.about, m.phone, m.house_id) == ("张三", "经理", "车位申请进度，请回电",
                                                                   "13812345678", house.id)
    assert m.reply_by == T0 + datetime.timedelta(hours=2)
    assert page.messages.model.rowCount() == 1 and page.messages.view.currentIndex().row() == 0

    # 16:00 小王 hands over from the menu's Ctrl+Shift+H, typing her note and the cash
    def hand_over(dialog):
        shown_active(qtbot, dialog)
        assert dialog.items.model().rowCount() == 2  # the key out and the message
        dialog.note.setFocus()
        type_text(qtbot, None, "钥匙一把未还，张三留言待回电")
        qtbot.keyClick(dialog.note, Qt.Key.Key_Tab)
        assert focused() is dialog.cash
        type_text(qtbot, None, "1250")
        enter(qtbot)
        assert focused() is dialog.to_user
        qtbot.keyClick(dialog.to_user, Qt.Key.Key_Down)  # 小李
        enter(qtbot)
        type_text(qtbot, None, "wrong-pw")
        enter(qtbot)  # refused by the field, nothing kept
        assert dialog.form.rows["password"].error.text() and shifts.Handover.select().count() == 0
        dialog.password.clear()
        type_text(qtbot, dialog.password, "secret1")
        enter(qtbot, dialog.password)
        return dialog.result()

    monkeypatch.setattr(shift_ui.HandOverDialog, "exec", hand_over)
    with clock.frozen(T0 + datetime.timedelta(minutes=30)):
        with qtbot.waitActive(w):
            w.activateWindow()  # back from the dialog (the offscreen platform activates nothing by itself)
        qtbot.keyClick(w, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    h = shifts.Handover.get()
    assert (h.by_id, h.to_user_id, h.cash, h.note) == (wang.id, li.id, 125_000, "钥匙一把未还，张三留言待回电")
    sheet = text_of(shown[-1].pdf)
    assert "交接班记录" in sheet and "1,250.00" in sheet and "K-01" in sheet and m.number_text in sheet
    w.close()

    # 小李 signs in: the handover is offered; she takes it over by her password
    def take_over(dialog):
        shown_active(qtbot, dialog)
        assert focused() is dialog.password
        type_text(qtbot, None, "secret1")
        enter(qtbot)
        return dialog.result()

    monkeypatch.setattr(shift_ui.TakeOverDialog, "exec", take_over)
    with clock.frozen(T0 + datetime.timedelta(minutes=35)):
        w2 = _window(qtbot, li)
        assert w2.offer_take_over() == 1
    assert shifts.Handover.get().confirmed_by_id == li.id

    # 17:30 the message is on 今日, half an hour left, shaded; Enter opens it on its register
    with clock.frozen(T0 + datetime.timedelta(hours=2)):
        start = w2.page("today")
        start.load()
        [row] = [r for r in range(start.model.rowCount()) if start.model.row_object(r).what == "message"]
        assert start.model.row_object(row).record_id == m.id
        start.view.setFocus()
        start.view.selectRow(row)
        enter(qtbot, start.view)
        page = w2.page_by_key["registers"]
        assert w2.pages.currentWidget() is page and page.tabs.currentWidget() is page.messages
        assert page.messages.model.row_object(page.messages.view.currentIndex().row()).id == m.id

    def done(dialog):
        shown_active(qtbot, dialog)
        type_text(qtbot, dialog.outcome, "经理已回电")
        enter(qtbot, dialog.outcome)
        return dialog.result()

    monkeypatch.setattr(message_ui.DoneDialog, "exec", done)
    with clock.frozen(T0 + datetime.timedelta(hours=2, minutes=5)):
        enter(qtbot, page.messages.view)  # Enter on a message: done
        assert not [t for t in today.lines(li) if t.what == "message"]
    assert messages.Message.get().outcome == "经理已回电"
