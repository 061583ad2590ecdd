"""The first start of a new office: the 初始设置 dialog, then the administrator's 今日 with
the first steps, each ticked off as it is done."""
from PySide6.QtCore import Qt

from models import estate, first_steps, users
from ui.archive_dialogs import BuildingDialog
from ui.login import FirstAdminDialog
from ui.main_window import MainWindow


def test_the_first_setup_asks_the_administrators_full_name(database, qtbot):
    dlg = FirstAdminDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.focusWidget() is dlg.full_name  # the user name is filled in: the name is next
    dlg.password.setText("secret12")
    dlg.repeat.setText("secret12")
    dlg._save()
    assert dlg.form.rows["full_name"].error.text() == "Enter the administrator's full name"
    assert users.needs_first_admin() and dlg.isVisible()
    dlg.full_name.setText("王经理")
    dlg._save()
    assert dlg.result() == dlg.DialogCode.Accepted
    assert users.login("admin", "secret12").full_name == "王经理"


def test_a_message_under_a_field_of_the_first_setup_never_squashes_the_fields(database, qtbot):
    dlg = FirstAdminDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.password.setText("abc")
    dlg.repeat.setText("abc")
    dlg._save()  # too short; and no name
    qtbot.wait(20)
    assert dlg.form.rows["password"].error.isVisible() and dlg.form.rows["full_name"].error.isVisible()
    for edit in (dlg.username, dlg.full_name, dlg.password, dlg.repeat):
        assert edit.height() >= edit.sizeHint().height(), edit
    message = dlg.form.rows["password"].error
    assert message.height() >= message.heightForWidth(message.width())  # its whole line shows


def test_a_new_offices_administrator_starts_on_today_with_the_first_steps(database, qtbot, monkeypatch):
    admin = first_steps.first_administrator("admin", "王经理", "secret12")
    w = MainWindow(admin)
    qtbot.addWidget(w)
    w.show()
    assert w.nav.currentItem().data(Qt.ItemDataRole.UserRole) == "today"
    box = w.page_by_key["today"].first_steps
    qtbot.waitUntil(box.isVisible)
    assert [(s.key, s.done) for s in box.steps] == [(k, False) for k in ("profile", "buildings", "users", "fees",
                                                                          "receipts")]
    assert all(b.isVisible() for buttons in box.buttons.values() for b in buttons)

    def add_building_one(dialog):
        dialog.code.setText("1")
        dialog._save()
        return dialog.result()
    monkeypatch.setattr(BuildingDialog, "exec", add_building_one)
    box.buttons["buildings"][0].click()  # 添加楼栋…: the archive opens on the new building
    assert w.nav.currentItem().data(Qt.ItemDataRole.UserRole) == "archive"
    assert estate.Building.select().count() == 1
    w.page("today")
    qtbot.waitUntil(lambda: box.step("buildings").done)
    assert box.checks["buildings"].isChecked() and not box.checks["profile"].isChecked()
    assert box.isVisible()  # four steps still to do


def test_the_first_steps_go_once_all_are_done_and_others_never_see_them(database, qtbot, clerk):
    w = MainWindow(clerk)
    qtbot.addWidget(w)
    assert w.page("today").first_steps is None  # the administrator's to do
