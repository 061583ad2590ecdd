"""设置 in the office's terms: money in yuan, fee items by name, wordings with the facts they
may contain offered as buttons, the time zone by its name."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from models import settings
from ui.settings_page import SettingsPage


def page_for(user, qtbot):
    page = SettingsPage(user)
    qtbot.addWidget(page)
    return page


def test_a_parcel_fee_typed_as_2_yuan_is_kept_as_200_fen(admin, qtbot, message_boxes):
    page = page_for(admin, qtbot)
    first_fee = page.setting_edits["parcel_first_fee_fen"]
    assert first_fee.text() == "2.00" and page.setting_edits["parcel_cap_fen"].text() == "10.00"
    first_fee.setText("3.50")
    page.store_settings()
    assert settings.get("parcel_first_fee_fen") == 350
    first_fee.setText("2.00")
    page.store_settings()
    assert settings.get("parcel_first_fee_fen") == 200
    assert page_for(admin, qtbot).setting_edits["parcel_first_fee_fen"].text() == "2.00"


def test_an_amount_that_is_not_money_is_refused_beside_its_field(admin, qtbot, message_boxes):
    page = page_for(admin, qtbot)
    page.setting_edits["late_fee_cap_fen"].setText("5.005")
    page.setting_edits["due_day"].setText("20")
    page.store_settings()
    assert "not an amount of money" in page.settings_form.rows["late_fee_cap_fen"].error.text()
    assert settings.get("late_fee_cap_fen") == 0 and settings.get("due_day") == 15  # nothing saved


def test_the_fee_items_that_carry_a_late_fee_are_shown_and_chosen_by_name(admin, qtbot, message_boxes):
    page = page_for(admin, qtbot)
    choice = page.setting_edits["late_fee_items"]
    rows = {choice.item(i).text(): choice.item(i) for i in range(choice.count())}
    assert rows["物业服务费"].checkState() == Qt.CheckState.Checked  # the default: the service fee
    assert rows["水费"].checkState() == Qt.CheckState.Unchecked
    assert "service" not in rows and "water" not in rows  # names, never the codes
    rows["水费"].setCheckState(Qt.CheckState.Checked)
    page.store_settings()
    assert settings.get("late_fee_items") == ["service", "water"]


def test_saving_the_office_rules_unchanged_keeps_every_value(admin, qtbot, message_boxes):
    settings.update({"late_fee_items": ["service", "parking"], "parcel_cap_fen": 1250, "timezone": "Asia/Hong_Kong",
                     "holidays": ["2026-10-01"], "receipt_signatures": "收款人：{cashier}"}, user=admin)
    before = settings.all_values()
    page = page_for(admin, qtbot)
    page.store_settings()
    assert settings.all_values() == before
    assert [kind for kind, _, _ in message_boxes] == ["information"]  # 已保存


def test_the_time_zone_is_chosen_by_its_name(admin, qtbot, message_boxes):
    page = page_for(admin, qtbot)
    zone = page.setting_edits["timezone"]
    assert zone.currentText() == "Beijing time (Asia/Shanghai)"
    zone.setCurrentIndex(zone.findData("Asia/Urumqi"))
    page.store_settings()
    assert settings.get("timezone") == "Asia/Urumqi"


def test_a_placeholder_button_puts_its_name_where_the_cursor_is(admin, qtbot, message_boxes):
    page = page_for(admin, qtbot)
    signatures = page.setting_edits["receipt_signatures"]
    signatures.setText("收款人：　复核：")
    signatures.setCursorPosition(4)  # after 收款人：
    row = page.settings_form.rows["receipt_signatures"]
    [cashier] = [b for b in row.findChildren(QToolButton)]
    assert cashier.text() == "Cashier" and "{" not in cashier.text()
    cashier.click()
    assert signatures.text() == "收款人：{cashier}　复核："
    page.store_settings()
    assert settings.get("receipt_signatures") == "收款人：{cashier}　复核："
    # a dunning letter offers its own facts, a notice its own
    letter = {b.toolTip() for b in page.settings_form.rows["dunning_letter_text"].findChildren(QToolButton)}
    assert {"{house}", "{total}", "{deadline}"} <= letter and "{cashier}" not in letter
    notice = page.settings_form.rows["notice_water"]
    [what] = [b for b in notice.findChildren(QToolButton) if b.toolTip() == "{what_to_do}"]
    wording = page.setting_edits["notice_water"]
    wording.setText("因{reason}停水。")
    wording.moveCursor(wording.textCursor().MoveOperation.End)
    what.click()
    assert wording.text() == "因{reason}停水。{what_to_do}"


def test_a_clerk_sees_the_rules_without_buttons_to_change_them(clerk, qtbot):
    page = page_for(clerk, qtbot)
    assert not page.setting_edits["parcel_first_fee_fen"].isEnabled()
    assert page.settings_form.rows["receipt_signatures"].findChildren(QToolButton) == []


def test_a_server_that_does_not_answer_is_refused_in_words_and_nothing_is_saved(admin, qtbot, message_boxes):
    import time

    from models import db, estate
    from ui import prefs

    page = page_for(admin, qtbot)
    in_use = db.database.obj
    started = time.monotonic()
    for address, said in [("postgresql://estate:secret@127.0.0.1:1/estatedesk", "127.0.0.1:1 cannot be reached"),
                          ("postgresql://estate:secret@192.0.2.1/estatedesk", "192.0.2.1 cannot be reached")]:
        page.database.setText(address)
        page.database_changed()
        error = page.pc_form.rows["database"].error
        assert said in error.text() and "Check the server's address" in error.text()
        assert "secret" not in error.text() + error.toolTip()
    assert time.monotonic() - started < 15  # given up after the short timeout, not the system's minutes
    assert prefs.get("database_url") == "" and message_boxes == []
    assert db.database.obj is in_use and estate.profile().name is not None  # the office goes on where it was


def test_a_server_refusing_the_password_or_lacking_the_database_is_said_so(admin, qtbot, message_boxes):
    from tests.models.test_db import a_server_that_refuses
    from ui import prefs

    page = page_for(admin, qtbot)
    for sqlstate, said, meant in [("28P01", 'password authentication failed for user "estate"',
                                   "does not accept the user name or password"),
                                  ("3D000", 'database "estatedesk" does not exist',
                                   "has no database named estatedesk")]:
        with a_server_that_refuses(sqlstate, said) as server:
            page.database.setText(f"postgresql://estate:secret@{server}/estatedesk")
            page.database_changed()
        assert meant in page.pc_form.rows["database"].error.text()
    assert prefs.get("database_url") == "" and message_boxes == []


def test_a_bare_server_address_is_refused_and_a_bare_file_name_goes_to_the_documents(admin, qtbot, message_boxes,
                                                                                     tmp_path, monkeypatch):
    from models import location
    from ui import prefs

    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(location, "user_documents_dir", lambda: documents)
    page = page_for(admin, qtbot)
    for typed in ("192.168.1.250", "dbserver"):
        page.database.setText(typed)
        page.database_changed()
        error = page.pc_form.rows["database"].error.text()
        assert "looks like a server" in error and f"postgresql://user:password@{typed}/database" in error
        assert prefs.get("database_url") == ""
    page.database.setText("office.sqlite")
    page.database_changed()
    assert prefs.get("database_url") == location.sqlite_url(documents / "office.sqlite")
    assert str(documents / "office.sqlite") in message_boxes[-1][2]  # where the new file will be, said


def test_the_language_row_says_which_language_this_start_runs_in(admin, qtbot, qapp, message_boxes):
    from ui import i18n, prefs

    assert prefs.get("language") == "zh_CN"
    i18n.install(qapp, "en")  # started with --lang en
    page = page_for(admin, qtbot)
    page.show()
    assert page.language.currentText() == "简体中文"  # the saved choice
    assert page.language_now.isVisible() and "In use now: English" in page.language_now.text()
    page.language.setCurrentIndex(page.language.findData("en"))
    assert prefs.get("language") == "en" and not page.language_now.isVisible()
    page.language.setCurrentIndex(page.language.findData("zh_CN"))  # chosen for the next start
    assert prefs.get("language") == "zh_CN" and page.language_now.isVisible()
