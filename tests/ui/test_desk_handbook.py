"""The handbook tab: the directory searched as the clerk types (by a kind's name in the UI's
language too), a supervisor adds a contact, the price list prints."""
import io

from pypdf import PdfReader

from models import handbook


def test_the_directory_is_searched_and_the_price_list_prints(clerk, supervisor, qtbot, monkeypatch, message_boxes):
    from ui import preview
    from ui.desk import handbook as desk_handbook

    handbook.save_contact(supervisor, category="locksmith", name="平安开锁", person="陈师傅", phone="13912345678")
    handbook.save_contact(supervisor, category="water", name="自来水公司客服", phone="96116")
    handbook.save_price(supervisor, name="灯具安装", price="10", unit="个", category="水电维修")
    shown = []
    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    tab = desk_handbook.HandbookTab(clerk)
    qtbot.addWidget(tab)
    assert tab.contacts.rowCount() == 2
    tab.find.setText("Locksmith")  # the kind's name, as the UI shows it (English here)
    assert [c.name for c in tab.contacts.rows] == ["平安开锁"]
    tab.find.setText("96116")
    assert [c.name for c in tab.contacts.rows] == ["自来水公司客服"]
    tab.print_prices()
    text = PdfReader(io.BytesIO(shown[-1].pdf)).pages[0].extract_text()
    assert "灯具安装" in text and "10.00 元/个" in text

    boss = desk_handbook.HandbookTab(supervisor)
    qtbot.addWidget(boss)

    def fill(dialog):
        dialog.category.setCurrentIndex(dialog.category.findData("post"))
        dialog.name.setText("中心邮政所")
        dialog.phone.setText("0755-82345678")
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(desk_handbook.ContactDialog, "exec", fill)
    boss.add_contact()
    assert [c.name for c in handbook.contacts(clerk, "邮政")] == ["中心邮政所"]


def test_the_estate_profile_kept_in_settings_prints_for_the_counter(admin, clerk, qtbot, monkeypatch):
    from models import estate
    from ui import preview
    from ui.desk import handbook as desk_handbook

    estate.update_profile(admin, name="翠湖花园", office_phone="0571-86001234", office_hours="8:30-17:30",
                          households="1200", managed_area="152000.5")
    shown = []
    monkeypatch.setattr(preview.PreviewDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    tab = desk_handbook.HandbookTab(clerk)
    qtbot.addWidget(tab)
    tab.print_profile()
    text = PdfReader(io.BytesIO(shown[-1].pdf)).pages[0].extract_text()
    for seen in ("翠湖花园", "0571-86001234", "8:30-17:30", "1200", "Managed area", "152000.50"):
        assert seen in text, seen
