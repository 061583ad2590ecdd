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
    with clock.frozen(loan.due_at + H - datetime.timedelta(minutes=5)):
        leak = repairs.report(clerk, house_id=house.id, reporter="张三", what="顶棚滴水", category="leak")
    with clock.frozen(loan.due_at + H):  # the key an hour late
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


def test_every_line_of_today_opens_its_record_chosen_on_its_page(clerk, supervisor, house, qtbot, message_boxes,
                                                                  monkeypatch):
    """A parcel, a complaint, a key, a lent item and a repair: each line opens its tab with
    its record chosen, and it stays chosen once the page has refreshed its lists."""
    from models import backup, complaints, lending, parcels
    from ui.main_window import MainWindow

    monkeypatch.setattr(backup, "reminder_due", lambda at=None: None)
    with clock.frozen(T0):
        key = keys.add_key(clerk, tag="P-01", name="水泵房", kind="public", responsible="刘工")
        keys.add_key(clerk, tag="P-02", name="配电房", kind="public", responsible="刘工")
        loan = keys.lend(clerk, key.id, keys.Borrower("staff", "李师傅", approved_by="刘工"))
        ladder = lending.add_item(clerk, tag="J-01", name="人字梯")
        lending.add_item(clerk, tag="J-02", name="推车")
        item_loan = lending.lend(clerk, ladder.id, borrower="张三", condition="完好")
        parcels.receive(clerk, house_id=house.id, tracking="SF100", shelf="A-1", safe=True)
        parcel = parcels.receive(clerk, house_id=house.id, tracking="SF200", shelf="A-2", safe=True)
    late = T0 + 3 * 24 * H  # everything lent or waiting is overdue by now
    with clock.frozen(late - 23 * H):
        noise = complaints.record(clerk, name="张三", what="装修噪音", house_id=house.id)
        complaints.record(clerk, name="李四", what="电梯异响")
    with clock.frozen(late - H):
        leak = repairs.report(clerk, house_id=house.id, reporter="张三", what="顶棚滴水", category="leak")
        repairs.report(clerk, house_id=house.id, reporter="张三", what="灯不亮", category="electric")
    with clock.frozen(late):
        w = MainWindow(clerk)
        qtbot.addWidget(w)
        w.show()
        page = w.page_by_key["today"]
        desk_tab = lambda d, table: {"parcel": d.parcels, "key_loan": d.keys, "item_loan": d.items}[table]  # noqa
        wanted = {("parcel", parcel.id), ("key_loan", loan.id), ("item_loan", item_loan.id),
                  ("complaint", noise.id), ("repair", leak.id)}
        for table, record_id in sorted(wanted):
            w.page("today")
            qtbot.wait(10)
            [row] = [n for n, line in enumerate(page.model.rows) if (line.table, line.record_id) == (table, record_id)]
            page.open_line(page.model.index(row, 0))
            qtbot.wait(10)  # the page shown refreshes its lists
            if table in ("repair", "complaint"):
                service = w.page_by_key["service"]
                tab = service.repairs if table == "repair" else service.complaints
                assert w.pages.currentWidget() is service and service.tabs.currentWidget() is tab
                view, model, of = tab.view, tab.model, (lambda row_: row_)
            else:
                desk = w.page_by_key["desk"]
                tab = desk_tab(desk, table)
                assert w.pages.currentWidget() is desk and desk.tabs.currentWidget() is tab, table
                view = tab.view if table == "parcel" else tab.loans_view
                model = tab.model if table == "parcel" else tab.loans_model
                of = (lambda aged: aged.parcel) if table == "parcel" else (lambda row_: row_)
            chosen = view.selectionModel().selectedRows()
            assert [of(model.row_object(ix.row())).id for ix in chosen] == [record_id], table


def test_a_backup_never_made_heads_the_list_above_the_late_lines(clerk, house, qtbot, message_boxes):
    from ui.main_window import MainWindow

    with clock.frozen(T0):
        for n in range(3):
            repairs.report(clerk, house_id=house.id, reporter="张三", what=f"灯不亮 {n}", category="electric")
    with clock.frozen(T0 + 2 * H):  # three dispatch answers late
        w = MainWindow(clerk)
        qtbot.addWidget(w)
        page = w.page_by_key["today"]
        assert [line.what for line in page.model.rows] == ["backup", "dispatch", "dispatch", "dispatch"]
        assert page.model.data(page.model.index(0, 3)) == "no backup yet"
        page.view.selectRow(2)
        chosen = page.model.rows[2]
        page.load()  # the refresh every 30 s keeps the line chosen
        assert page.model.row_object(page.view.currentIndex().row()) == chosen


def test_a_backup_never_made_reads_back_up_now_and_is_shaded_to_act_now(clerk, house, qtbot, message_boxes):
    from PySide6.QtCore import Qt

    from ui.main_window import MainWindow
    from ui.kit import LATE

    with clock.frozen(T0):
        w = MainWindow(clerk)
        qtbot.addWidget(w)
        page = w.page_by_key["today"]
        [row] = [n for n, line in enumerate(page.model.rows) if line.what == "backup"]
        shown = [page.model.data(page.model.index(row, n)) for n in range(5)]
        assert (shown[0], shown[3], shown[4]) == ("now", "no backup yet", "back up now")  # not "0 min left"
        assert page.model.data(page.model.index(row, 0), Qt.ItemDataRole.BackgroundRole) == LATE


def test_a_backup_a_day_older_than_the_offices_days_reads_a_day_overdue(clerk, house, qtbot, tmp_path,
                                                                       message_boxes):
    from PySide6.QtCore import Qt

    from models import backup
    from ui.main_window import MainWindow
    from ui.kit import LATE

    with clock.frozen(T0 - 8 * 24 * H):  # the office reminds after 7 days
        backup.create(tmp_path)
    with clock.frozen(T0):
        w = MainWindow(clerk)
        qtbot.addWidget(w)
        page = w.page_by_key["today"]
        [row] = [n for n, line in enumerate(page.model.rows) if line.what == "backup"]
        assert page.model.data(page.model.index(row, 4)) == "1 d 0 h overdue"
        assert page.model.data(page.model.index(row, 0)) == (T0 - 24 * H).strftime("%m-%d %H:%M")
        assert page.model.data(page.model.index(row, 0), Qt.ItemDataRole.BackgroundRole) == LATE


def test_the_time_left_shows_whole_at_1024_beside_a_long_line(clerk, house, qtbot, message_boxes, monkeypatch):
    from models import backup
    from ui.main_window import MainWindow

    monkeypatch.setattr(backup, "last_check", lambda: (T0 - 23 * H, False))  # the longest line: a failed self-check
    with clock.frozen(T0):
        key = keys.add_key(clerk, tag="P-03", name="3栋天台", kind="public", responsible="刘工")
        loan = keys.lend(clerk, key.id, keys.Borrower("staff", "防水施工 周", approved_by="刘工"))
    with clock.frozen(loan.due_at + 23 * H + 22 * datetime.timedelta(minutes=1)):
        w = MainWindow(clerk)
        qtbot.addWidget(w)
        w.resize(1024, 768)
        w.show()
        qtbot.wait(20)
        page = w.page_by_key["today"]
        page.load()
        qtbot.wait(20)
        view, header = page.view, page.view.horizontalHeader()
        texts = [page.model.data(page.model.index(n, 4)) for n in range(page.model.rowCount())]
        assert "23 h 22 min overdue" in texts
        widest = max(view.fontMetrics().horizontalAdvance(t) for t in texts)
        assert header.sectionSize(4) >= widest
        assert header.sectionViewportPosition(4) + header.sectionSize(4) <= view.viewport().width()
