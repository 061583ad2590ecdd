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
