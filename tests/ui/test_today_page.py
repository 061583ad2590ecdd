"""Scenario 1 in the window: the clerk signs in on today's list; a line opens its record
on its page: an overdue key on the front desk's keys tab, a repair on the service desk."""
import datetime

from models import clock, keys, repairs

T0 = datetime.datetime(2026, 11, 22, 9, 0)
H = datetime.timedelta(hours=1)


def test_todays_list_opens_each_record_on_its_page(clerk, house, qtbot, message_boxes, monkeypatch):
    from models import backup
    from ui.main_window import MainWindow

    monkeypatch.setattr(backup, "reminder_due", lambda at=None: None)  # backups are looked at elsewhere
    with clock.frozen(T0):
        key = keys.add_key(clerk, tag="P-01", name="水泵房", kind="public", responsible="刘工")
        loan = keys.lend(clerk, key.id, keys.Borrower("staff", "李师傅", approved_by="刘工"))
    with clock.frozen(T0 + 25 * H):
        leak = repairs.report(clerk, house_id=house.id, reporter="张三", what="顶棚滴水", category="leak")
        w = MainWindow(clerk)
        qtbot.addWidget(w)
        page = w.page_by_key["today"]
        assert w.pages.currentWidget() is page  # the first page
        assert [line.what for line in page.model.rows] == ["key", "dispatch"]
        assert page.model.data(page.model.index(0, 4)) == "1 h 0 min overdue"
        page.open_line(page.model.index(0, 0))
        desk = w.page_by_key["desk"]
        assert w.pages.currentWidget() is desk and desk.tabs.currentWidget() is desk.keys
        chosen = desk.keys.loans_view.currentIndex()
        assert desk.keys.loans_model.row_object(chosen.row()).id == loan.id
        w.page("today")
        page.open_line(page.model.index(1, 0))
        service = w.page_by_key["service"]
        assert w.pages.currentWidget() is service and service.tabs.currentWidget() is service.repairs
        picked = service.repairs.view.currentIndex()
        assert service.repairs.model.row_object(picked.row()).id == leak.id


def test_the_backup_reminder_opens_the_backup_and_goes_once_it_is_made(clerk, house, qtbot, tmp_path,
                                                                        monkeypatch, message_boxes):
    from models import backup
    from ui import backup_dialog
    from ui.main_window import MainWindow

    w = MainWindow(clerk)
    qtbot.addWidget(w)
    page = w.page_by_key["today"]
    [line] = [line for line in page.model.rows if line.what == "backup"]
    assert page.model.data(page.model.index(page.model.rows.index(line), 3)) == "no backup yet"

    def back_up(dialog):
        dialog.folder.setText(str(tmp_path))
        dialog.password.setText("门卫室")
        dialog._save()  # the password typed once: refused
        assert not dialog.result() and dialog.form.rows["again"].error.text()
        dialog.again.setText("门卫室")
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(backup_dialog.BackupDialog, "exec", back_up)
    page.open_line(page.model.index(page.model.rows.index(line), 0))
    [made] = tmp_path.glob("*.edbackup")
    assert backup.verify(made, "门卫室").counts["house"] == 1
    assert "backup" not in [line.what for line in page.model.rows]
