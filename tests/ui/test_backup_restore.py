"""The backup dialog's USB sticks and the restore dialog: the backup checked and what it
holds shown before anything is replaced; a wrong password refused; the data restored with
the data before kept aside."""

from models import backup, db, estate, owners


def test_a_usb_stick_is_offered_and_gets_a_folder_of_its_own(clerk, house, qtbot, tmp_path, monkeypatch,
                                                              message_boxes):
    from ui.backup_dialog import FOLDER_ON_STICK, BackupDialog

    stick = tmp_path / "KINGSTON"
    stick.mkdir()
    monkeypatch.setattr(backup, "removable_drives", lambda: [(str(stick), "KINGSTON")])
    dialog = BackupDialog(clerk)
    qtbot.addWidget(dialog)
    assert dialog.drives.count() == 2 and dialog.drives.itemData(1) == str(stick)
    dialog.drive_chosen(1)
    assert dialog.folder.text() == str(stick / FOLDER_ON_STICK)
    dialog.password.setText("门卫室")
    dialog.again.setText("门卫室")
    dialog._save()
    assert dialog.result() and dialog.made.parent == stick / FOLDER_ON_STICK
    assert backup.verify(dialog.made, "门卫室").counts["house"] == 1


def test_a_backup_without_a_password_is_made_only_once_the_clerk_confirms_it_is_readable(clerk, house, qtbot,
                                                                                         tmp_path, monkeypatch):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox
    from ui.backup_dialog import BackupDialog

    monkeypatch.setattr(backup, "removable_drives", lambda: [])
    monkeypatch.setattr(QMessageBox, "information", lambda *a: QMessageBox.StandardButton.Ok)  # "backed up"
    stick = tmp_path / "KINGSTON"
    stick.mkdir()
    dialog = BackupDialog(clerk)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.folder.setText(str(stick))
    seen = []

    def answer(button_text):
        def act():
            box = QApplication.activeModalWidget()
            seen.append((box.text(), box.defaultButton().text()))
            [button] = [b for b in box.buttons() if b.text() == button_text]
            button.click()
        QTimer.singleShot(0, act)

    answer("Set a password")  # Enter's choice: back to the password
    dialog._save()
    assert not dialog.result() and list(stick.iterdir()) == []
    assert "will not be encrypted" in seen[0][0] and "ID numbers" in seen[0][0]
    assert seen[0][1] == "Set a password"
    assert dialog.form.rows["password"].error.text() and dialog.focusWidget() is dialog.password
    answer("Back up without a password")
    dialog._save()
    assert dialog.result() and backup.verify(dialog.made).counts["house"] == 1  # readable without one


def test_no_stick_says_so(clerk, qtbot, monkeypatch):
    from ui.backup_dialog import BackupDialog

    monkeypatch.setattr(backup, "removable_drives", lambda: [])
    dialog = BackupDialog(clerk)
    qtbot.addWidget(dialog)
    assert dialog.drives.count() == 1 and "no USB stick" in dialog.drives.itemText(0)


def test_the_restore_dialog_shows_what_the_backup_holds_then_restores(admin, house, qtbot, tmp_path,
                                                                      message_boxes, monkeypatch):
    from ui.restore_dialog import RestoreDialog

    owners.add_owner(admin, house.id, name="张三")
    usb = tmp_path / "usb"
    usb.mkdir()
    made = backup.create(usb, password="门卫室")
    owners.add_owner(admin, house.id, name="李四")  # after the backup: the restore takes it away
    live = db.database.obj.database if db.is_sqlite() else None

    dialog = RestoreDialog(admin)
    qtbot.addWidget(dialog)
    assert dialog.admin.text() == "admin"  # the administrator signed in: only the password is asked again
    dialog.admin_password.setText("secret1")
    dialog.file.setText(str(made))
    dialog.password.setText("猜的")
    assert dialog.inspect() is None and "Wrong password" in dialog.contents.text()
    assert not dialog.restore_button.isEnabled()
    dialog.password.setText("门卫室")
    manifest = dialog.inspect()
    assert manifest.counts["owner"] == 1
    assert "Houses 1" in dialog.contents.text() and "Owners 1" in dialog.contents.text()
    assert dialog.restore_button.isEnabled()
    assert dialog.restore() is None  # the question's default is No: Enter does not replace the data
    assert [o.name for o in owners.Owner.select()] == ["张三", "李四"]
    from PySide6.QtWidgets import QMessageBox
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: message_boxes.append(("question",))
                        or QMessageBox.StandardButton.Yes)
    safety = dialog.restore()
    assert safety.exists() and dialog.result()
    assert [o.name for o in owners.Owner.select()] == ["张三"]  # the window reads the restored data
    assert estate.House.select().count() == 1
    assert (db.database.obj.database if db.is_sqlite() else None) == live
    kinds = [kind for kind, *_ in message_boxes]
    assert kinds == ["question", "question", "information"]


def test_only_an_administrator_restores(clerk, admin, qtbot):
    from ui.main_window import MainWindow

    texts = []
    for user in (clerk, admin):
        w = MainWindow(user)
        qtbot.addWidget(w)
        texts.append([a.text() for a in w.menuBar().actions()[0].menu().actions()])
    assert not any("Restore" in t for t in texts[0]) and any("Restore" in t for t in texts[1])


def test_the_desk_checks_its_database_once_a_day_in_the_background(clerk, qapp):
    from ui import app

    from models import audit

    with db.atomic():
        audit.record(clerk, "house.view", "house", 1, "before the check")
    thread = app.self_check()
    assert thread is not None  # the audit log's chain is checked on a server too
    thread.join(60)
    # a server looks after its own database file
    assert (backup.last_check() is None) == (not db.is_sqlite())
    if db.is_sqlite():
        assert backup.last_check()[1] is True
    assert audit.last_check()[1] is None  # the chain intact
    checked = audit.last_check()[0]
    assert audit.anchored()["id"] == audit.AuditEntry.select().count()  # this PC's anchor: the newest entry
    with db.atomic():
        audit.record(clerk, "house.view", "house", 1, "after the check")
    app.self_check().join(60)  # the next start: only the entries since the anchor
    assert audit.last_check()[0] == checked and audit.anchored()["entries"] == audit.AuditEntry.select().count()


def test_a_stick_plugged_in_is_offered_a_backup(clerk, house, qtbot, tmp_path, monkeypatch, message_boxes):
    from ui import backup_dialog
    from ui.main_window import MainWindow

    sticks = []
    monkeypatch.setattr(backup, "removable_drives", lambda: list(sticks))
    w = MainWindow(clerk)
    qtbot.addWidget(w)
    assert w.look_for_sticks() is None  # nothing new
    stick = tmp_path / "KINGSTON"
    stick.mkdir()
    sticks.append((str(stick), "KINGSTON"))

    def back_up(dialog):
        assert dialog.folder.text() == str(stick / backup_dialog.FOLDER_ON_STICK)  # the stick, chosen
        dialog.password.setText("门卫室")
        dialog.again.setText("门卫室")
        dialog._save()
        return dialog.result()
    monkeypatch.setattr(backup_dialog.BackupDialog, "exec", back_up)
    assert w.look_for_sticks() == str(stick)
    [made] = (stick / backup_dialog.FOLDER_ON_STICK).glob("*.edbackup")
    assert backup.verify(made, "门卫室").counts["house"] == 1
    assert [kind for kind, *_ in message_boxes] == ["question", "information"]  # asked, then told it is done
    assert w.look_for_sticks() is None  # once per plugging in


def test_a_new_pc_starts_from_the_offices_backup(db_url, tmp_path, qtbot, monkeypatch, message_boxes):
    from PySide6.QtWidgets import QMessageBox

    from models import users
    from ui import restore_dialog
    from ui.login import FirstAdminDialog

    # the office's PC, before its disk failed
    db.connect(db.sqlite_url(tmp_path / "old-pc.sqlite"))
    admin = users.create_first_admin("admin", "secret12", "王经理")
    b = estate.create_building(admin, "3")
    u = estate.create_unit(admin, b.id, "2")
    estate.create_house(admin, u.id, number="1201", area="89.50")
    usb = tmp_path / "usb"
    usb.mkdir()
    made = backup.create(usb, password="门卫室", keep=False)
    db.close()

    db.connect(db_url)  # the new PC: an empty database
    try:
        assert users.needs_first_admin()
        first = FirstAdminDialog()
        qtbot.addWidget(first)
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)

        def restore(dialog):
            dialog.file.setText(str(made))
            dialog.password.setText("门卫室")
            assert dialog.admin.text() == ""  # nobody signed in: the backup's administrator signs the restore
            dialog.admin.setText("admin")
            dialog.admin_password.setText("secret12")
            assert dialog.inspect().counts["house"] == 1
            dialog.restore()
            return dialog.result()
        monkeypatch.setattr(restore_dialog.RestoreDialog, "exec", restore)
        assert first.restore() and first.result() and first.user is None
        assert not users.needs_first_admin() and users.login("admin", "secret12").full_name == "王经理"
        assert backup.last()[1] == str(made)  # the backup just restored counts as the last good one
        assert estate.House.get().label == "3-2-1201"
    finally:
        db.close()
