from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from models import audit, estate, owners, users
from ui.archive_dialogs import BuildingDialog, HouseDialog, OwnerDialog, ResidentDialog, UnitDialog
from ui.archive_page import ArchivePage
from ui.audit_page import AuditModel
from ui.login import FirstAdminDialog, LoginDialog
from ui.main_window import MainWindow
from ui.table_models import HouseTableModel, RowsModel

ID1 = "11010519491231002X"


@pytest.fixture
def check_model(qtmodeltester):
    return qtmodeltester.check


def test_first_start_sets_the_administrator_password(database, qtbot):
    dlg = FirstAdminDialog()
    qtbot.addWidget(dlg)
    dlg.password.setText("s3cret!")
    dlg.repeat.setText("different")
    dlg._save()
    assert dlg.form.rows["repeat"].error.text() == "The two passwords differ"
    assert users.needs_first_admin()
    dlg.repeat.setText("s3cret!")
    dlg.full_name.setText("王经理")  # the administrator is named
    dlg._save()
    assert dlg.result() == dlg.DialogCode.Accepted
    assert users.login("admin", "s3cret!").role_set == {"admin"}


def test_login_with_a_wrong_password_says_so_and_stays(admin, qtbot):
    dlg = LoginDialog("翠湖花园")
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.username.setText("admin")
    dlg.password.setText("wrong")
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    assert dlg.user is None and dlg.message.text() == "Wrong user name or password"
    assert dlg.isVisible()
    dlg.password.setText("secret1")
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    assert dlg.user is not None and dlg.user.username == "admin"


def test_the_navigation_shows_only_what_the_user_may_use(clerk, supervisor, qtbot):
    w = MainWindow(clerk)
    qtbot.addWidget(w)
    keys = [w.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(w.nav.count())]
    assert keys == ["today", "archive", "desk", "registers", "service", "counter", "day_close", "arrears", "meters", "notices",
                    "settings"]  # the counter: what a house owes, by phone; the day close: the parcel fees she took
    w2 = MainWindow(supervisor)
    qtbot.addWidget(w2)
    assert "audit" in [w2.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(w2.nav.count())]


def test_adding_a_building_unit_house_and_owner_through_the_forms(admin, qtbot, message_boxes):
    b = BuildingDialog(admin)
    qtbot.addWidget(b)
    b.code.setText("3")
    b._save()
    u = UnitDialog(admin, b.result_object.id, "3栋")
    qtbot.addWidget(u)
    u.code.setText("2")
    u._save()
    h = HouseDialog(admin, unit_id=u.result_object.id)
    qtbot.addWidget(h)
    h.number.setText("1201")
    h.area.setText("0")
    h._save()
    assert "greater than 0" in h.form.rows["area"].error.text()
    assert estate.House.select().count() == 0
    h.area.setText("89.50")
    h._save()
    house = h.result_object
    assert house.label == "3-2-1201" and house.area == 8950

    o = OwnerDialog(admin, house_id=house.id)
    qtbot.addWidget(o)
    o.name.setText("张三")
    o.id_number.setText("110105194912310021")
    o._save()
    assert "does not match" in o.form.rows["id_number"].error.text()
    assert owners.Owner.select().count() == 0
    o.id_number.setText(ID1)
    o.phone.setText("13812345678")
    o._save()
    assert owners.Owner.get().name == "张三"


def test_the_archive_page_searches_opens_and_reveals(admin, clerk, supervisor, house, qtbot, message_boxes, check_model):
    owners.add_owner(clerk, house.id, name="张三", id_number=ID1, phone="13812345678")
    other = estate.create_house(admin, house.unit_id, number="1202", area="70")
    owners.add_owner(clerk, other.id, name="李四", phone="13900001202")
    page = ArchivePage(supervisor)
    qtbot.addWidget(page)
    page.show()
    for text, kind, label in (("zs", "owner", "3-2-1201"), ("ls", "owner", "3-2-1202"),
                              ("3-2-1201", "house", "3-2-1201"), ("1202", "owner", "3-2-1202"),
                              ("5678", "owner", "3-2-1201")):
        page.search_box.setText(text)
        qtbot.keyClick(page.search_box, Qt.Key.Key_Return)
        first = page.results.row_object(0)
        assert (first.kind, first.label) == (kind, label), text
        assert page.detail.archive.house.label == label, text  # one house found: opened at once
    # masked in the list, full only on reveal, and the reveal is logged
    assert page.detail.owner_model.data(page.detail.owner_model.index(0, 2)) == "110***********002X"
    page.detail.owner_view.selectRow(0)
    page.detail.reveal_owner("id_number")
    assert any(ID1 in text for _, _, text in message_boxes)
    assert audit.AuditEntry.select().where(audit.AuditEntry.action == "owner.reveal").count() == 1
    check_model(page.detail.owner_model)
    check_model(page.detail.doc_model)
    check_model(page.results)


def test_a_clerk_sees_no_reveal_button(clerk, house, qtbot):
    page = ArchivePage(clerk)
    qtbot.addWidget(page)
    page.show()
    from PySide6.QtWidgets import QPushButton

    visible = [b.text() for b in page.detail.findChildren(QPushButton) if b.isVisibleTo(page)]
    assert "Show ID number" not in visible and "Add owner…" in visible


def test_the_house_list_pages_and_sorts_in_sql(admin, qtbot, check_model):
    b = estate.create_building(admin, "1")
    u = estate.create_unit(admin, b.id, "1")
    for floor in range(1, 31):
        for k in range(1, 9):
            estate.create_house(admin, u.id, number=f"{floor}{k:02d}", area=f"{50 + floor}.{k:02d}")
    model = HouseTableModel(admin)
    model.reload()
    assert model.rowCount() == HouseTableModel.PAGE  # one page, not all 240
    assert model.canFetchMore(model.index(-1, -1).parent())
    model.fetchMore(model.index(-1, -1).parent())
    assert model.rowCount() == 240 and not model._more
    labels = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert labels[:3] == ["1-1-101", "1-1-102", "1-1-103"] and labels[-1] == "1-1-3008"
    model.sort(2, Qt.SortOrder.DescendingOrder)
    while model.canFetchMore(model.index(-1, -1).parent()):
        model.fetchMore(model.index(-1, -1).parent())
    areas = [model.data(model.index(r, 2)) for r in range(model.rowCount())]
    assert areas[0] == "80.08" and len(areas) == 240 and len(set(areas)) == 240
    assert areas == sorted(areas, key=float, reverse=True)
    check_model(model)


def test_residents_are_added_and_moved_out_from_the_detail(clerk, house, qtbot, message_boxes,
                                                          monkeypatch, frozen_now):
    import datetime

    from PySide6.QtCore import QDate
    from PySide6.QtGui import QColor

    from ui.archive_dialogs import MoveOutDialog

    page = ArchivePage(clerk)
    qtbot.addWidget(page)
    page.open_house(house.id)
    r = ResidentDialog(clerk, house_id=house.id)
    qtbot.addWidget(r)
    r.name.setText("赵六")
    r.kind.setCurrentIndex(r.kind.findData("tenant"))
    r.age.setText("abc")
    r._save()
    assert r.form.rows["age"].error.text()
    r.age.setText("30")
    r.moved_in.setDate(QDate(2026, 1, 10))
    r._save()
    page.detail.refresh()
    assert page.detail.resident_model.rowCount() == 1

    def exec_with(day):
        def fake_exec(self):
            self.on.setDate(QDate(2026, 11, day))
            self._save()
            return self.result()
        return fake_exec

    monkeypatch.setattr(MoveOutDialog, "exec", exec_with(30))  # a date still to come
    page.detail.move_out()  # the only resident is selected already
    assert owners.Resident.get().moved_out is None
    monkeypatch.setattr(MoveOutDialog, "exec", exec_with(20))
    page.detail.move_out()
    assert owners.Resident.get().moved_out == datetime.date(2026, 11, 20)
    model = page.detail.resident_model
    assert model.data(model.index(0, 7)) == "2026-11-20"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole) == QColor("#8a8a8a")


def test_unsaved_household_notes_are_not_lost_when_another_house_opens(admin, clerk, house, qtbot,
                                                                        message_boxes):
    other = estate.create_house(admin, house.unit_id, number="1202", area="70")
    page = ArchivePage(clerk)
    qtbot.addWidget(page)
    page.open_house(house.id)
    page.detail.notes.insertPlainText("业主常年在外地, 急事联系其妹妹")  # as typing does
    page.open_house(other.id)  # the question answers Save (see message_boxes)
    assert [k for k, _, _ in message_boxes] == ["question"]
    assert estate.House.get_by_id(house.id).household_notes == "业主常年在外地, 急事联系其妹妹"
    assert page.detail.archive.house.id == other.id


def test_the_audit_browser_filters(supervisor, clerk, house, qtbot, check_model):
    owners.add_owner(clerk, house.id, name="张三")
    model = AuditModel(supervisor)
    model.set_filters(username="wang")
    assert model.rowCount() == 1
    assert model.data(model.index(0, 3)) == "3-2-1201 张三"
    model.set_filters()
    assert model.rowCount() >= 4
    check_model(model)


def test_rows_model_passes_the_model_tester(qtbot, check_model):
    model = RowsModel([("A", lambda r: r[0], None), ("B", lambda r: r[1], None)])
    check_model(model)
    model.set_rows([(1, 2), (3, 4)])
    assert model.data(model.index(1, 1)) == "4"


def test_an_unexpected_error_is_logged_and_shown_calmly(tmp_path, qtbot, monkeypatch, hooks_kept):
    import sys

    from ui import crash

    shown = []
    monkeypatch.setattr(crash, "_show_dialog", lambda text: shown.append(text))
    monkeypatch.setattr(crash, "_log_file", None)
    previous = sys.excepthook
    crash.install(tmp_path)
    try:
        try:
            raise ZeroDivisionError("division by zero in a slot")
        except ZeroDivisionError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = previous
    log = (tmp_path / "estatedesk.log").read_text(encoding="utf-8")
    assert "ZeroDivisionError: division by zero in a slot" in log and "Traceback" in log
    assert shown and "ZeroDivisionError" in shown[0]


@pytest.fixture
def hooks_kept():
    """crash.install sets the process's hooks: given back as they were after the test."""
    import faulthandler
    import sys
    import threading

    kept = sys.excepthook, threading.excepthook
    yield
    sys.excepthook, threading.excepthook = kept
    faulthandler.enable(file=sys.__stderr__)


def test_an_unexpected_error_in_another_thread_is_logged(tmp_path, monkeypatch, hooks_kept):
    import threading

    from ui import crash

    monkeypatch.setattr(crash, "_log_file", None)
    crash.install(tmp_path)

    def work():
        raise KeyError("a background check went wrong")
    t = threading.Thread(target=work, name="self-check")
    t.start()
    t.join(10)
    log = (tmp_path / "estatedesk.log").read_text(encoding="utf-8")
    assert "unexpected error in thread self-check" in log and "KeyError: 'a background check went wrong'" in log


def test_a_hard_crash_leaves_the_stacks_in_the_faults_log(tmp_path):
    """A segfault (in a driver, in Qt) kills the process before any handler runs: the
    Python stacks of every thread are in faults.log all the same."""
    import subprocess
    import sys
    from pathlib import Path

    code = (f"from pathlib import Path; from ui import crash; crash.install(Path({str(tmp_path)!r})); "
            "import faulthandler; faulthandler._sigsegv()")
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    faults = (tmp_path / "faults.log").read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in faults and "File \"<string>\"" in faults


def test_a_refusal_no_dialog_caught_is_said_once_in_words_not_as_a_crash(tmp_path, admin, clerk, qtbot, monkeypatch,
                                                                          message_boxes, hooks_kept):
    """A page refreshing on its timer after the clerk was deactivated at another PC."""
    import sys

    from models import keys
    from models.errors import PermissionDenied
    from ui import crash

    crashes = []
    monkeypatch.setattr(crash, "_show_dialog", lambda text: crashes.append(text))
    monkeypatch.setattr(crash, "_log_file", None)
    monkeypatch.setattr(crash, "_refusals_shown", set())
    users.update_user(admin, clerk.id, active=False)
    previous = sys.excepthook
    crash.install(tmp_path)
    try:
        for _ in range(3):  # three refreshes
            try:
                keys.loans_out(clerk)
            except PermissionDenied:
                sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = previous
    assert crashes == []
    assert [kind for kind, _, _ in message_boxes] == ["warning"]  # once, in the office's words
    assert "lend keys" in message_boxes[0][2]


def test_the_owner_card_shows_all_houses_masked_and_is_audited(admin, clerk, house, qtbot, check_model):
    from ui.house_detail import OwnerCardDialog

    zhang = owners.add_owner(clerk, house.id, name="张三", id_number=ID1, phone="13812345678")
    other = estate.create_house(admin, house.unit_id, number="1202", area="70")
    owners.link_owner(clerk, other.id, zhang.id)
    card = OwnerCardDialog(owners.owner_archive(clerk, zhang.id))
    qtbot.addWidget(card)
    check_model(card.houses)
    assert [card.houses.data(card.houses.index(r, 0)) for r in range(2)] == ["3-2-1201", "3-2-1202"]
    from PySide6.QtWidgets import QLabel

    texts = [w.text() for w in card.findChildren(QLabel)]
    assert "110***********002X" in texts and ID1 not in texts and "138****5678" in texts
    assert audit.AuditEntry.select().where(audit.AuditEntry.action == "owner.view").count() == 1
    opened = []
    card.open_house.connect(opened.append)
    card._go(card.houses.index(1, 0))
    assert opened == [other.id]


def test_keyboard_first_search_box_after_enter_and_ctrl_f(clerk, house, qtbot):
    owners.add_owner(clerk, house.id, name="张三")
    w = MainWindow(clerk)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    page = w.page("archive")
    qtbot.waitUntil(lambda: page.search_box.hasFocus())
    qtbot.keyClicks(page.search_box, "zs")
    qtbot.keyClick(page.search_box, Qt.Key.Key_Return)
    assert page.detail.archive.house.id == house.id
    assert page.search_box.selectedText() == "zs"  # typing the next query replaces it
    page.house_view.setFocus()
    qtbot.keyClick(page.house_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search_box.hasFocus()
    qtbot.keyClick(page.search_box, Qt.Key.Key_Escape)
    assert page.search_box.text() == "" and page.middle.currentIndex() == 0


def test_the_administrator_points_this_pc_at_another_database(admin, qtbot, message_boxes, tmp_path, monkeypatch):
    from ui import prefs
    from ui.settings_page import SettingsPage

    tried = []  # a server that answers (none is installed here): the address is tried before it is saved
    monkeypatch.setattr(SettingsPage, "try_server", staticmethod(lambda url, seconds=5: tried.append(url)))
    page = SettingsPage(admin)
    qtbot.addWidget(page)

    def choose(text):
        page.pc_form.clear_errors()
        page.database.setText(text)
        page.database_changed()
        return page.pc_form.rows["database"].error.text()

    assert choose("mysql://somewhere/x") and prefs.get("database_url") == ""
    assert "is a folder" in choose(str(tmp_path))
    (tmp_path / "notes.txt").write_text("shopping list")
    assert "not an EstateDesk database" in choose(str(tmp_path / "notes.txt"))
    assert "does not exist" in choose(str(tmp_path / "no-such-folder" / "office.sqlite"))
    assert prefs.get("database_url") == ""
    assert choose("postgresql://desk:pw@192.0.2.10/office") == ""
    assert tried == ["postgresql://desk:pw@192.0.2.10/office"]
    assert prefs.get("database_url") == "postgresql://desk:pw@192.0.2.10/office"
    assert page.database.text() == "postgresql://desk:***@192.0.2.10/office"  # never the password
    page.database_changed()  # pressed again, unchanged: the stored password stays
    assert prefs.get("database_url") == "postgresql://desk:pw@192.0.2.10/office"
    assert choose("postgresql://desk:***@192.0.2.11/office") == ""  # the server moved: its password kept
    assert prefs.get("database_url") == "postgresql://desk:pw@192.0.2.11/office"
    assert choose(str(tmp_path / "office.sqlite")) == ""
    assert prefs.get("database_url").startswith("sqlite:///")
    assert choose(prefs.get("database_url")) == ""  # its own saved form is accepted too


def test_only_the_administrator_sees_the_database_address(clerk, qtbot):
    from ui.settings_page import SettingsPage

    page = SettingsPage(clerk)
    qtbot.addWidget(page)
    assert not hasattr(page, "database")


def test_opening_a_foreign_file_in_the_window_is_a_calm_message(tmp_path, qapp, message_boxes):
    from models import db
    from ui import app

    bad = tmp_path / "accounts.xlsx"
    bad.write_bytes(b"PK\x03\x04 a spreadsheet")
    assert app.run(db.sqlite_url(bad), "en") == 2
    [(kind, _, text)] = message_boxes
    assert kind == "critical" and "is not an EstateDesk database" in text
    assert bad.read_bytes() == b"PK\x03\x04 a spreadsheet"


def test_switching_user_at_the_counter_needs_no_restart(clerk, supervisor, qtbot, monkeypatch, db_url):
    from ui import app

    session = app.Session(db_url)
    session.start(clerk)
    first = session.window
    qtbot.addWidget(first)
    monkeypatch.setattr(app, "sign_in", lambda: supervisor)
    first.switch_user.emit()
    qtbot.addWidget(session.window)
    assert session.window is not first and session.window.user.username == "zhao"
    assert not first.isVisible() and session.window.isVisible()
    assert "audit" in [session.window.nav.item(i).data(Qt.ItemDataRole.UserRole)
                       for i in range(session.window.nav.count())]


def test_a_form_starts_in_its_first_field_and_tabs_through_the_fields_before_the_buttons(clerk, house, qtbot):
    r = ResidentDialog(clerk, house_id=house.id)
    qtbot.addWidget(r)
    r.show()
    r.activateWindow()
    qtbot.waitActive(r)
    assert r.focusWidget() is r.kind
    visited = []
    for _ in range(30):
        w = r.focusWidget()
        if w in r.buttons.buttons():
            break
        visited.append(w)
        qtbot.keyClick(w, Qt.Key.Key_Tab)
    assert visited[:2] == [r.kind, r.name]

    def owner_editor(w):
        while w is not None and w not in r.form.focusable_editors():
            w = w.parentWidget()
        return w
    # every field is passed before the first button is reached
    assert {owner_editor(w) for w in visited} == set(r.form.focusable_editors())


def test_the_paper_dialog_shows_its_scan_picker(clerk, house, qtbot):
    from PySide6.QtWidgets import QPushButton

    from models import documents
    from ui.archive_dialogs import DocumentDialog

    line = documents.checklist(house.id)[0]
    d = DocumentDialog(clerk, house.id, line)
    qtbot.addWidget(d)
    d.show()
    pick = [b for b in d.findChildren(QPushButton) if b.text() == "Choose scan…"]
    assert pick and pick[0].isVisible() and pick[0].width() > 40


def test_arrow_keys_through_results_open_only_where_the_highlight_rests(admin, clerk, house, qtbot):
    for number in ("1202", "1203", "1204"):
        h = estate.create_house(admin, house.unit_id, number=number, area="70")
        owners.add_owner(clerk, h.id, name="张" + {"1202": "伟", "1203": "敏", "1204": "静"}[number])
    owners.add_owner(clerk, house.id, name="张三")
    page = ArchivePage(clerk)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitActive(page)
    page.search_box.setFocus()
    page.search_box.setText("张")
    qtbot.keyClick(page.search_box, Qt.Key.Key_Return)
    first = page.detail.archive.house.id
    qtbot.keyClick(page.search_box, Qt.Key.Key_Down)
    assert page.focusWidget() is page.result_view
    for _ in range(3):
        qtbot.keyClick(page.result_view, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: page.detail.archive.house.id != first, timeout=2000)
    last = page.results.row_object(page.result_view.currentIndex().row())
    assert page.detail.archive.house.id == last.house_id
    views = audit.AuditEntry.select().where(audit.AuditEntry.action == "house.view").count()
    assert views == 2  # the first result and where the highlight came to rest, not each one passed


def test_the_missing_papers_list_opens_a_house(clerk, house, qtbot):
    from ui.archive_page import MissingPapersDialog

    d = MissingPapersDialog(clerk, None, "all")
    qtbot.addWidget(d)
    assert d.model.rowCount() == 1
    opened = []
    d.open_house.connect(opened.append)
    d._go(d.model.index(0, 0))
    assert opened == [house.id]


def test_changing_my_password_in_the_window(clerk, qtbot):
    from ui.login import PasswordDialog

    d = PasswordDialog(clerk)
    qtbot.addWidget(d)
    d.old.setText("wrong")
    d.new.setText("n3w-pass")
    d.repeat.setText("n3w-pass")
    d._save()
    assert d.form.rows["old"].error.text() == "The current password is wrong"
    d.old.setText("secret1")
    d._save()
    assert d.result() == d.DialogCode.Accepted
    assert users.login("wang", "n3w-pass").id == clerk.id


def test_notes_typed_survive_another_change_to_the_same_house(clerk, house, qtbot, message_boxes):
    page = ArchivePage(clerk)
    qtbot.addWidget(page)
    page.open_house(house.id)
    page.detail.notes.insertPlainText("业主要求上门前先电话联系")
    owners.add_resident(clerk, house.id, kind="member", name="王芳")
    page.detail.refresh()  # as after adding a resident in the dialog
    assert page.detail.notes.toPlainText() == "业主要求上门前先电话联系"
    assert page.detail.resident_model.rowCount() == 1


def test_a_cashier_cannot_type_notes_that_could_never_be_saved(cashier, house, qtbot):
    page = ArchivePage(cashier)
    qtbot.addWidget(page)
    page.open_house(house.id)
    assert page.detail.notes.isReadOnly()


def test_marking_a_paper_missing_asks_first_and_keeps_the_clerks_place(clerk, house, qtbot, message_boxes,
                                                                      frozen_now):
    from models import documents

    for item in ("covenant", "id_copy"):
        documents.set_document(clerk, house.id, item, received=True)
    page = ArchivePage(clerk)
    qtbot.addWidget(page)
    page.open_house(house.id)
    view = page.detail.doc_view
    assert not view.selectionModel().selectedRows()  # several papers: nothing chosen for the clerk
    row = [r for r in range(page.detail.doc_model.rowCount())
           if page.detail.doc_model.row_object(r).item == "id_copy"][0]
    view.selectRow(row)
    page.detail.mark_missing()
    assert message_boxes[-1][0] == "question"
    assert [d.item for d in documents.checklist(house.id) if d.received] == ["covenant"]
    assert page.detail.doc_model.row_object(view.selectionModel().selectedRows()[0].row()).item == "id_copy"


def test_an_announcement_is_filled_kept_and_previewed(clerk, qtbot, monkeypatch, message_boxes, frozen_now):
    from PySide6.QtCore import QDate, QDateTime, QTime

    from models import announcements
    from ui.notices_page import NoticesPage
    from ui.preview import PreviewDialog

    shown = []  # each preview is printed: only then is the announcement issued
    monkeypatch.setattr(PreviewDialog, "exec", lambda self: shown.append(self) or self.handed_out("print") or 0)
    page = NoticesPage(clerk)
    qtbot.addWidget(page)
    page.issue()  # nothing filled in
    assert page.form.rows["reason"].error.text() and announcements.history(clerk) == []
    page.reason.setPlainText("市政供水管网检修")
    page.buildings.setText("1-6栋")
    page.starts.setDateTime(QDateTime(QDate(2026, 11, 28), QTime(9, 0)))
    page.ends.setDateTime(QDateTime(QDate(2026, 11, 28), QTime(15, 0)))
    page.copies.setValue(12)
    page.issue()
    [kept] = announcements.history(clerk)
    assert (kept.title, kept.buildings) == ("停水通知", "1-6栋")
    assert shown and shown[0].pages == 12
    assert page.history.rowCount() == 1
    check = page.history.data(page.history.index(0, 1))
    assert check == "停水通知"


def test_every_page_of_the_window_opens(admin, house, qtbot):
    w = MainWindow(admin)
    qtbot.addWidget(w)
    for row in range(w.nav.count()):
        w.nav.setCurrentRow(row)
        assert w.pages.currentWidget() is w.page_by_key[w.nav.item(row).data(Qt.ItemDataRole.UserRole)]
    assert set(w.page_by_key) == {"today", "archive", "counter", "arrears", "meters", "billing", "fees", "notices",
                                  "audit", "settings"}  # the administrator's 今日: the office's first steps


def test_the_office_sees_its_receipt_wording_on_a_sample(admin, qtbot, message_boxes):
    import io

    from pypdf import PdfReader

    from ui.settings_page import SettingsPage

    page = SettingsPage(admin)
    qtbot.addWidget(page)
    page.setting_edits["receipt_title"].setText("物业费收据")
    page.setting_edits["receipt_footer"].setText("遗失不补")
    page.store_settings()
    dialog = page.sample_receipt()
    qtbot.addWidget(dialog)
    text = PdfReader(io.BytesIO(dialog.pdf)).pages[0].extract_text()
    assert "物业费收据" in text and "遗失不补" in text and admin.display_name in text


def test_this_pc_chooses_its_receipt_paper(admin, cashier, house, qtbot):
    from ui import prefs
    from ui.receipts import receipt_pdf
    from ui.settings_page import SettingsPage

    page = SettingsPage(admin)
    qtbot.addWidget(page)
    page.receipt_paper.setCurrentIndex(page.receipt_paper.findData("A5"))
    page.carbonless.setChecked(True)
    assert prefs.get("receipt/paper") == "A5" and prefs.get("receipt/carbonless") is True

    import io

    from pypdf import PdfReader

    from models import cashier as desk

    r = desk.take_payment(cashier, house.id, [], "cash", tendered=10_000, prepay=10_000)
    reader = PdfReader(io.BytesIO(receipt_pdf(r)))
    assert len(reader.pages) == 1  # carbonless: one pass
    assert round(float(reader.pages[0].mediabox.width) / 72 * 25.4) == 148  # A5


def test_no_page_flashes_a_window_of_its_own_while_it_is_built(admin, supervisor, house, qtbot, monkeypatch):
    """Pages are built when first opened, after the window is up: a widget made visible
    before it has a parent would show as a window of its own and take the keyboard away."""
    from PySide6.QtWidgets import QApplication, QWidget

    shown = []
    real = QWidget.setVisible

    def watch(widget, visible):
        if visible and widget.parent() is None:
            shown.append((w.nav.currentItem().data(Qt.ItemDataRole.UserRole), type(widget).__name__,
                          getattr(widget, "text", lambda: "")()))
        return real(widget, visible)

    for user in (supervisor, admin):
        w = MainWindow(user)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        monkeypatch.setattr(QWidget, "setVisible", watch)
        for row in range(w.nav.count()):
            w.nav.setCurrentRow(row)
        monkeypatch.setattr(QWidget, "setVisible", real)
        stray = [t for t in QApplication.topLevelWidgets() if t.isVisible() and t is not w]
        assert stray == [] and shown == [], (stray, shown)
        w.close()


def test_the_office_lists_its_holidays_as_it_types_them(admin, qtbot, message_boxes):
    from models import settings
    from ui.settings_page import SettingsPage

    page = SettingsPage(admin)
    qtbot.addWidget(page)
    page.setting_edits["working_days_only"].setChecked(True)
    page.setting_edits["holidays"].setText("2026-10-01，2026-10-02、 2027-01-01")
    page.store_settings()
    assert settings.get("working_days_only") and settings.get("holidays") == ["2026-10-01", "2026-10-02", "2027-01-01"]
    page.setting_edits["holidays"].setText("国庆")
    page.store_settings()  # refused beside the field; nothing changes
    assert settings.get("holidays") == ["2026-10-01", "2026-10-02", "2027-01-01"]


def test_messages_under_the_fields_of_any_form_grow_the_dialog_rather_than_squash_it(admin, house, qtbot):
    from ui.archive_dialogs import OwnerDialog

    dlg = OwnerDialog(admin, house_id=house.id)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    before = dlg.height()
    dlg.id_number.setText("1101051949")  # too short for an ID card
    dlg.phone.setText("12345")
    dlg._save()  # and no name
    qtbot.wait(20)
    shown = [name for name, row in dlg.form.rows.items() if row.error.isVisible()]
    assert {"name", "id_number", "phone"} <= set(shown)
    assert dlg.height() > before
    for row in dlg.form.rows.values():
        assert row.editor.height() >= row.editor.sizeHint().height(), row.editor
        if row.error.isVisible():
            assert row.error.height() >= row.error.heightForWidth(row.error.width())  # the whole message shows


@pytest.mark.parametrize("role", ["admin", "supervisor", "cashier", "clerk"])
def test_every_list_on_every_page_passes_the_model_tester(role, admin, supervisor, cashier, clerk, house, qtbot,
                                                          qtmodeltester):
    """Each page the role sees, opened in the window: every table on it (and on its tabs)
    has a model Qt's own model checks pass."""
    from PySide6.QtWidgets import QAbstractItemView

    from ui.main_window import MainWindow

    user = {"admin": admin, "supervisor": supervisor, "cashier": cashier, "clerk": clerk}[role]
    window = MainWindow(user)
    qtbot.addWidget(window)
    checked = set()
    for row in range(window.nav.count()):
        window.show_page(row)
        page = window.pages.currentWidget()
        for view in page.findChildren(QAbstractItemView):
            model = view.model()
            if model is not None and id(model) not in checked and type(model).__module__.startswith("ui."):
                checked.add(id(model))
                qtmodeltester.check(model)
    assert len(checked) >= 3, checked


def test_the_window_holds_the_mark_the_windows_installer_waits_for():
    """Windows: while the window runs it holds the named mutex the installer's AppMutex
    names, so that an upgrade closes EstateDesk before replacing its files."""
    from ui import app

    class Kernel32:
        def __init__(self):
            self.made = []

        def CreateMutexW(self, attributes, owned, name):  # noqa: N802 - the Windows API's name
            self.made.append((attributes, owned, name))
            return 1234

    k = Kernel32()
    assert app.hold_running_mark("win32", k) == 1234
    assert k.made == [(None, False, "EstateDeskRunning"), (None, False, "Global\\EstateDeskRunning")]
    iss = (Path(__file__).resolve().parents[2] / "packaging" / "windows" / "estatedesk.iss")
    assert '"EstateDeskRunning,Global\\EstateDeskRunning"' in iss.read_text(encoding="utf-8-sig")
    assert app.hold_running_mark("linux", k) is None and len(k.made) == 2
