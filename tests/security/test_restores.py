"""Restores that cannot hurt (issue 16): only an administrator restores, on the command line
too, and the restore is audited in the restored data; numbers issued since the backup are
never issued again and are listed as lost; a backup that is not this office's (or not
EstateDesk's) is refused before anything is replaced, another office's only once confirmed;
a full disk and a lock held by another PC end the restore cleanly, the live data untouched."""
import datetime
import errno
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from models import audit, backup, billing, cashier, clock, db, estate, numbering, owners, users
from models import cashier as desk  # the tests' `cashier` argument is conftest's cashier (李)
from models.backup import BackupError
from models.errors import OfficeError, PermissionDenied
from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="a PC's SQLite file by its path (the server's restore: "
                                                     "tests/models/test_backup_server.py)")
ROOT = Path(__file__).resolve().parents[2]
ADMIN = dict(username="admin", user_password="secret1")  # conftest's administrator
T0 = datetime.datetime(2026, 11, 20, 17, 30)


@pytest.fixture
def office(admin, house, tmp_path):
    owners.add_owner(admin, house.id, name="张三")
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def live_file() -> Path:
    return Path(db.database.obj.database)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def owner_names() -> list[str]:
    return sorted(o.name for o in owners.Owner.select())


def left_beside(live: Path) -> list[str]:
    """Copies a restore left next to the live file (safety copies, partial ones)."""
    return sorted(p.name for p in live.parent.iterdir() if ".before-restore-" in p.name or p.suffix == ".partial")


def pay(user, house_id: int, amount: int) -> cashier.Receipt:
    c = billing.post_charge(user, house_id, "parcel", amount, description=f"SF{amount}")
    return cashier.take_payment(user, house_id, [cashier.Pick(c.id)], "cash", tendered=amount)


# --- who may restore -----------------------------------------------------------------------

def test_a_restore_needs_an_administrators_password(office, admin, clerk, house):
    made = backup.create(office, now=T0)
    owners.add_owner(admin, house.id, name="李四")
    live = live_file()
    db.close()
    with pytest.raises(OfficeError, match="Wrong user name or password"):
        backup.restore(made, live)  # nobody
    with pytest.raises(OfficeError, match="Wrong user name or password"):
        backup.restore(made, live, username="admin", user_password="guess")
    with pytest.raises(PermissionDenied):
        backup.restore(made, live, username="wang", user_password="secret1")  # a clerk
    assert left_beside(live) == []
    db.connect(db.sqlite_url(live))
    assert owner_names() == ["张三", "李四"]
    # the refused attempts are in the office's own log (the only change made)
    assert audit.AuditEntry.select().where(audit.AuditEntry.action == "login.failed").count() >= 1


def test_a_restore_is_audited_in_the_restored_data(office, admin, house, frozen_now):
    made = backup.create(office, office="翠湖花园", now=T0)
    owners.add_owner(admin, house.id, name="李四")
    live = live_file()
    db.close()
    safety = backup.restore(made, live, **ADMIN)
    db.connect(db.sqlite_url(live))
    assert owner_names() == ["张三"]
    entry = audit.AuditEntry.get(audit.AuditEntry.action == "backup.restore")
    detail = json.loads(entry.detail)
    assert entry.username == "admin" and entry.user_id == admin.id and entry.at == frozen_now
    assert detail["backup"] == str(made) and detail["made"] == T0.isoformat(timespec="seconds")
    assert detail["office"] == "翠湖花园" and detail["office_id"] == backup._office_id()
    assert detail["safety"] == str(safety) and safety.exists() and not detail["other_office"]


def test_a_new_pc_restores_with_the_backups_own_administrator(office, admin, tmp_path):
    made = backup.create(office, now=T0)
    db.close()
    new_pc = tmp_path / "new-pc" / "office.sqlite"
    new_pc.parent.mkdir()
    with pytest.raises(OfficeError, match="Wrong user name"):
        backup.restore(made, new_pc, username="admin", user_password="guess")
    assert not new_pc.exists()
    backup.restore(made, new_pc, **ADMIN)
    db.connect(db.sqlite_url(new_pc))
    assert owner_names() == ["张三"]
    assert audit.AuditEntry.get(audit.AuditEntry.action == "backup.restore").username == "admin"


def run(*args, env=None):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env={**os.environ, **(env or {})})


def test_the_command_line_restore_needs_an_administrator(office, admin, house):
    made = backup.create(office, now=T0)
    owners.add_owner(admin, house.id, name="李四")
    live = live_file()
    db.close()
    nobody = run("--db", str(live), "restore", str(made))
    assert nobody.returncode != 0 and "--user" in nobody.stderr
    no_password = run("--db", str(live), "restore", str(made), "--user", "admin", env={"ESTATEDESK_PASSWORD": ""})
    assert no_password.returncode == 1 and "ESTATEDESK_PASSWORD holds no password" in no_password.stderr
    wrong = run("--db", str(live), "restore", str(made), "--user", "admin", env={"ESTATEDESK_PASSWORD": "guess"})
    assert wrong.returncode == 1 and "Wrong user name or password" in wrong.stderr
    done = run("--db", str(live), "restore", str(made), "--user", "admin", "--user-password-env", "ADMIN_PW",
               env={"ADMIN_PW": "secret1"})
    assert done.returncode == 0 and done.stdout.startswith("ok: "), done.stderr
    db.connect(db.sqlite_url(live))
    assert owner_names() == ["张三"]
    assert audit.AuditEntry.get(audit.AuditEntry.action == "backup.restore").username == "admin"


# --- numbers after a restore ---------------------------------------------------------------

def test_numbers_issued_since_the_backup_are_never_issued_again_and_are_listed_as_lost(office, admin, cashier,
                                                                                       house):
    li = cashier
    with clock.frozen(datetime.datetime(2026, 11, 20, 10, 0)):
        first = pay(li, house.id, 500)
        with db.atomic():
            assert numbering.take("repair-2026") == 1
        made = backup.create(office, now=datetime.datetime(2026, 11, 20, 12, 0))
        # after the backup: receipts the owners take home, and a work order
        later = [pay(li, house.id, 600 + n) for n in range(3)]
        with db.atomic():
            assert numbering.take("repair-2026") == 2
    assert [r.number_text for r in later] == ["2026-000002", "2026-000003", "2026-000004"]
    live = live_file()
    db.close()
    with clock.frozen(datetime.datetime(2026, 11, 21, 8, 0)):
        backup.restore(made, live, **ADMIN)
    db.connect(db.sqlite_url(live))
    assert [r.number_text for r in cashier_receipts()] == [first.number_text]
    with clock.frozen(datetime.datetime(2026, 11, 21, 9, 0)):
        again = pay(li, house.id, 700)
        with db.atomic():
            assert numbering.take("repair-2026") == 3  # WX2026-0002 is on a work order the technician holds
    assert again.number_text == "2026-000005"  # never 2026-000002 a second time
    series = desk.active_series()
    assert desk.unaccounted_numbers(series) == []
    [lost] = desk.lost_numbers(series)
    assert lost.numbers == "2026-000002 – 000004" and lost.by == "admin" and lost.backup == made.name
    assert lost.made == datetime.datetime(2026, 11, 20, 12, 0)
    # the cashier's next day close lists them, and the work order's number, with the reason
    summary = desk.day_summary(li, li.id, datetime.date(2026, 11, 21))
    assert [x.numbers for x in summary.lost] == ["2026-000002 – 000004", "WX2026-0002"]
    detail = json.loads(audit.AuditEntry.get(audit.AuditEntry.action == "backup.restore").detail)
    assert detail["lost"] == {"receipt:2026": "2-4", "repair-2026": "2"}


def test_lost_numbers_stay_lost_through_a_second_restore_of_the_same_backup(office, admin, cashier, house):
    li = cashier
    with clock.frozen(datetime.datetime(2026, 11, 20, 10, 0)):
        pay(li, house.id, 500)
        made = backup.create(office, now=datetime.datetime(2026, 11, 20, 12, 0))
        pay(li, house.id, 600)  # 000002, lost with the first restore
    live = live_file()
    db.close()
    with clock.frozen(datetime.datetime(2026, 11, 21, 8, 0)):
        backup.restore(made, live, **ADMIN)
        db.connect(db.sqlite_url(live))
        assert pay(li, house.id, 700).number_text == "2026-000003"  # lost with the second
        db.close()
        backup.restore(made, live, **ADMIN)
        db.connect(db.sqlite_url(live))
        assert pay(li, house.id, 800).number_text == "2026-000004"
    series = desk.active_series()
    assert [x.numbers for x in desk.lost_numbers(series)] == ["2026-000002", "2026-000003"]
    assert desk.unaccounted_numbers(series) == []


def cashier_receipts():
    return list(desk.Receipt.select().order_by(desk.Receipt.number))


def test_the_day_close_shows_the_lost_numbers_with_their_reason(office, admin, cashier, house, qtbot):
    from ui.day_close_page import DayClosePage

    li = cashier
    with clock.frozen(datetime.datetime(2026, 11, 20, 10, 0)):
        made = backup.create(office, now=datetime.datetime(2026, 11, 20, 9, 0))
        pay(li, house.id, 600)
    live = live_file()
    db.close()
    with clock.frozen(datetime.datetime(2026, 11, 20, 18, 0)):
        backup.restore(made, live, **ADMIN)
    db.connect(db.sqlite_url(live))
    with clock.frozen(datetime.datetime(2026, 11, 20, 18, 5)):
        page = DayClosePage(users.User.get(users.User.username == "li"))
        qtbot.addWidget(page)
    rows = [page.model.data(page.model.index(r, 0)) for r in range(page.model.rowCount())]
    [line] = [r for r in rows if "2026-000001" in r]
    assert line.startswith("Missing 2026-000001") and made.name in line and "restore" in line
    assert "lost with a restore: 2026-000001" in page.numbers.text()


# --- backups that are not this office's -----------------------------------------------------

def forged(made: Path, database: bytes, tmp_path: Path, **manifest_changes) -> Path:
    """A well-made backup file (checksums right) around another database."""
    with zipfile.ZipFile(made) as z:
        manifest = json.loads(z.read("manifest.json"))
    manifest["files"] = {backup.DB_NAME: {"sha256": hashlib.sha256(database).hexdigest(), "size": len(database)}}
    manifest.update(manifest_changes)
    out = tmp_path / f"forged-{len(list(tmp_path.iterdir()))}{backup.SUFFIX}"
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(backup.DB_NAME, database)
        z.writestr("manifest.json", json.dumps(manifest))
    return out


def sqlite_bytes(path: Path, *statements: str) -> bytes:
    con = sqlite3.connect(path)
    for s in statements:
        con.execute(s)
    con.commit()
    con.close()
    return path.read_bytes()


def test_a_backup_holding_someone_elses_database_is_refused_before_anything_is_replaced(office, tmp_path):
    made = backup.create(office, now=T0)
    shop = forged(made, sqlite_bytes(tmp_path / "shop.db", "CREATE TABLE sale (id INTEGER, total REAL)",
                                     "INSERT INTO sale VALUES (1, 9.5)"), tmp_path)
    with pytest.raises(BackupError, match="does not hold an EstateDesk"):
        backup.verify(shop)
    fake = forged(made, sqlite_bytes(tmp_path / "fake.db", "CREATE TABLE app_meta (key TEXT, value TEXT)",
                                     "INSERT INTO app_meta VALUES ('app', 'SomethingElse')"), tmp_path)
    with pytest.raises(BackupError, match="does not hold an EstateDesk"):
        backup.verify(fake)
    # EstateDesk's, but not of the version its manifest names
    con = sqlite3.connect(tmp_path / "ours.db")
    con.execute("CREATE TABLE app_meta (key TEXT PRIMARY KEY, value TEXT)")
    con.executemany("INSERT INTO app_meta VALUES (?, ?)", [("app", "EstateDesk"), ("schema_version", "3")])
    con.commit()
    con.close()
    older = forged(made, (tmp_path / "ours.db").read_bytes(), tmp_path)
    with pytest.raises(BackupError, match="damaged"):
        backup.verify(older)
    live = live_file()
    db.close()
    before = digest(live)
    for bad in (shop, fake, older):
        with pytest.raises(BackupError):
            backup.restore(bad, live, **ADMIN)
        assert digest(live) == before and left_beside(live) == []
    db.connect(db.sqlite_url(live))
    assert owner_names() == ["张三"]


def other_office_backup(tmp_path: Path, name: str) -> Path:
    """A backup of another office (its own database, its own mark), with an administrator
    of the same name and password."""
    from tests.conftest import password_hash

    keep = db.database.obj
    db.connect(db.sqlite_url(tmp_path / "other-office.sqlite"))
    try:
        admin = users.User.create(username="admin", full_name="admin", roles="admin",
                                  password_hash=password_hash("secret1"))
        estate.update_profile(admin, name=name)
        b = estate.create_building(admin, "8")
        u = estate.create_unit(admin, b.id, "1")
        estate.create_house(admin, u.id, number="101", area="70")
        folder = tmp_path / "their-usb"
        folder.mkdir()
        return backup.create(folder, office=name, now=T0, keep=False)
    finally:
        db.close()
        db.database.initialize(keep)


def test_another_offices_backup_needs_a_confirmation_naming_both_offices(office, admin, tmp_path):
    estate.update_profile(admin, name="翠湖花园")
    backup.create(office, now=T0)  # this office has its mark
    ours = backup._office_id()
    theirs = other_office_backup(tmp_path, "金桂苑")
    assert backup.verify(theirs).office_id not in ("", ours)
    live = live_file()
    db.close()
    with pytest.raises(backup.OtherOffice) as refused:
        backup.restore(theirs, live, **ADMIN)
    assert "金桂苑" in str(refused.value) and "翠湖花园" in str(refused.value) and ours in refused.value.ours
    assert left_beside(live) == []
    cli = run("--db", str(live), "restore", str(theirs), "--user", "admin", env={"ESTATEDESK_PASSWORD": "secret1"})
    assert cli.returncode == 1 and "--other-office" in cli.stderr and left_beside(live) == []
    cli = run("--db", str(live), "restore", str(theirs), "--user", "admin", "--other-office",
              env={"ESTATEDESK_PASSWORD": "secret1"})
    assert cli.returncode == 0, cli.stderr
    db.connect(db.sqlite_url(live))
    assert estate.profile().name == "金桂苑" and [h.label for h in estate.House.select()] == ["8-1-101"]
    assert json.loads(audit.AuditEntry.get(audit.AuditEntry.action == "backup.restore").detail)["other_office"]


def test_the_window_asks_naming_both_offices_and_wants_the_administrators_password(office, admin, tmp_path,
                                                                                   qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from ui.restore_dialog import RestoreDialog

    estate.update_profile(admin, name="翠湖花园")
    backup.create(office, now=T0)
    theirs = other_office_backup(tmp_path, "金桂苑")
    shown = []
    answers = []

    def question(parent, title, text, *a, **k):
        shown.append(("question", text))
        return answers.pop(0)
    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "warning", lambda p, t, text, *a: shown.append(("warning", text)))
    monkeypatch.setattr(QMessageBox, "information", lambda p, t, text, *a: shown.append(("information", text)))
    dialog = RestoreDialog(admin)
    qtbot.addWidget(dialog)
    dialog.file.setText(str(theirs))
    assert dialog.inspect() is not None
    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    answers[:] = [yes]
    assert dialog.restore() is None and "administrator" in shown[-1][1]  # no password typed: asked for it
    dialog.admin_password.setText("guess")
    answers[:] = [yes]
    assert dialog.restore() is None and "Wrong user name or password" in shown[-1][1]
    dialog.admin_password.setText("secret1")
    answers[:] = [yes, no]
    assert dialog.restore() is None
    assert "金桂苑" in shown[-1][1] and "翠湖花园" in shown[-1][1]  # the question names both offices
    assert estate.profile().name == "翠湖花园"
    answers[:] = [yes, yes]
    assert dialog.restore() is not None and dialog.result()
    assert estate.profile().name == "金桂苑" and shown[-1][0] == "information"


# --- a full disk, a lock --------------------------------------------------------------------

def test_a_full_disk_during_the_safety_copy_leaves_no_copy_and_the_live_data(office, admin, house, monkeypatch):
    made = backup.create(office, now=T0)
    owners.add_owner(admin, house.id, name="李四")
    live = live_file()
    db.close()

    def full_disk(source, target, deadline=None):
        data = Path(source).read_bytes()
        with open(target, "wb") as f:  # the first pages reach the disk, then it is full
            f.write(data[:len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(backup, "snapshot", full_disk)
    with pytest.raises(BackupError, match="disk is full") as e:
        backup.restore(made, live, **ADMIN)
    assert "nothing was replaced" in str(e.value)
    assert left_beside(live) == []  # no cut-off copy that opens as an empty office
    db.connect(db.sqlite_url(live))
    assert owner_names() == ["张三", "李四"]


def test_a_full_disk_while_writing_the_restored_data_leaves_the_live_data(office, admin, house, monkeypatch):
    made = backup.create(office, now=T0)
    owners.add_owner(admin, house.id, name="李四")
    live = live_file()
    db.close()

    def full_disk(database, target, deadline=None, head=None):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(backup, "_write_into", full_disk)
    with pytest.raises(BackupError, match="disk is full"):
        backup.restore(made, live, **ADMIN)
    assert left_beside(live) == []
    db.connect(db.sqlite_url(live))
    assert owner_names() == ["张三", "李四"]


def restore_in_a_thread(*args, **kwargs) -> tuple[threading.Thread, dict]:
    out: dict = {}

    def work():
        started = time.monotonic()
        try:
            out["result"] = backup.restore(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - handed to the test
            out["error"] = e
        out["seconds"] = time.monotonic() - started
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread, out


def test_a_restore_waiting_on_a_lock_stops_at_its_time_limit(office, admin, house):
    made = backup.create(office, now=T0)
    owners.add_owner(admin, house.id, name="李四")
    live = live_file()
    db.close()
    other = sqlite3.connect(live, isolation_level=None)  # another PC, in the middle of a long write
    other.execute("BEGIN IMMEDIATE")
    try:
        thread, out = restore_in_a_thread(made, live, wait=1, **ADMIN)
        thread.join(20)
        stuck = thread.is_alive()
    finally:
        other.execute("ROLLBACK")
        other.close()
    thread.join(60)
    assert not stuck, "the restore went on waiting past its time limit"
    assert isinstance(out.get("error"), BackupError) and "busy" in str(out["error"]), out
    assert out["seconds"] < 10 and left_beside(live) == []
    db.connect(db.sqlite_url(live))
    assert owner_names() == ["张三", "李四"]


def backed_up_and_closed(office: Path, into: Path) -> Path:
    """A backup made, its database taken out into `into`, the live file closed: the live file."""
    made = backup.create(office, now=T0)
    live = live_file()
    db.close()
    with zipfile.ZipFile(made) as z:
        z.extract(backup.DB_NAME, into)
    return live


def test_writing_the_restored_data_gives_up_at_its_deadline(office, tmp_path):
    live = backed_up_and_closed(office, tmp_path / "x")
    other = sqlite3.connect(live, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    out: dict = {}

    def work():
        try:
            backup._write_into(tmp_path / "x" / backup.DB_NAME, live, time.monotonic() + 0.5)
        except Exception as e:  # noqa: BLE001
            out["error"] = e
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(15)
    stuck = thread.is_alive()
    other.execute("ROLLBACK")
    other.close()
    thread.join(60)
    assert not stuck and isinstance(out.get("error"), backup._TimedOut)
    db.connect(db.sqlite_url(live))


def test_a_receipt_taken_in_another_window_while_the_restore_gets_ready_stops_it(office, admin, cashier, house,
                                                                                 monkeypatch):
    """The replaced data's numbers are read when the administrator signs in; a receipt taken
    after that (another window, before the restore holds the file) would be overwritten and
    its number issued again. The restore finds the audit chain moved and replaces nothing."""
    made = backup.create(office, now=T0)
    live = live_file()
    db.close()
    real_copy = backup._safety_copy

    def meanwhile(target, safety, deadline=None):
        real_copy(target, safety, deadline)
        db.connect(db.sqlite_url(live))  # the other window
        try:
            meanwhile.receipt = pay(cashier, house.id, 800)
        finally:
            db.close()
    monkeypatch.setattr(backup, "_safety_copy", meanwhile)
    with pytest.raises(BackupError, match="while the restore was getting ready") as e:
        backup.restore(made, live, **ADMIN)
    assert "nothing was replaced" in str(e.value) and left_beside(live) == []
    db.connect(db.sqlite_url(live))
    assert [r.number_text for r in cashier_receipts()] == [meanwhile.receipt.number_text]
    db.close()
    monkeypatch.setattr(backup, "_safety_copy", real_copy)
    backup.restore(made, live, **ADMIN)  # again: it goes on from that receipt
    db.connect(db.sqlite_url(live))
    assert cashier_receipts() == []
    assert pay(cashier, house.id, 900).number_text > meanwhile.receipt.number_text
    restored = audit.AuditEntry.get(audit.AuditEntry.action == "backup.restore")
    assert audit.verify().ok and audit.anchored()["id"] == restored.id  # this PC checks the restored log on


def test_the_guard_runs_while_the_copy_holds_the_live_file(office, tmp_path):
    """What the guard reads is the live file as it was, and nobody can write to it then."""
    live = backed_up_and_closed(office, tmp_path / "x")
    seen = {}
    real = backup._copy_pages

    def copy(src, dst, deadline, guard=None):
        def watching():
            other = sqlite3.connect(live, timeout=0.2)
            try:
                other.execute("UPDATE app_meta SET value = value WHERE key = 'app'")
                other.commit()
                seen["wrote"] = True
            except sqlite3.OperationalError as e:
                seen["refused"] = str(e)
            finally:
                other.close()
            guard()
        real(src, dst, deadline, watching)
    backup._copy_pages = copy
    try:
        con = sqlite3.connect(live)
        head = con.execute("SELECT last_id, last_hash FROM audit_chain").fetchone()
        con.close()
        backup._write_into(tmp_path / "x" / backup.DB_NAME, live, time.monotonic() + 5, head)
    finally:
        backup._copy_pages = real
    assert seen == {"refused": "database is locked"}


@pytest.mark.parametrize("trouble", ["newer", "read-only", "upgrade fails"])
def test_a_live_file_that_cannot_be_opened_as_it_should_is_never_taken_for_no_office(office, admin, tmp_path,
                                                                                    monkeypatch, trouble):
    """A newer EstateDesk's file, a read-only one, one whose upgrade fails: the restore says
    so and replaces nothing (it used to take them for "no office here" and write over them)."""
    from models import migrations

    made = backup.create(office, now=T0)
    live = live_file()
    db.close()
    if trouble == "newer":
        con = sqlite3.connect(live)
        con.execute("UPDATE app_meta SET value = ? WHERE key = 'schema_version'", (str(migrations.LATEST + 1),))
        con.commit()
        con.close()
        expected = "newer version of EstateDesk"
    elif trouble == "read-only":
        real_read_only = db._read_only
        monkeypatch.setattr(db, "_read_only", lambda path: Path(path) == live or real_read_only(path))
        expected = "read-only"
    else:
        con = sqlite3.connect(live)
        con.execute("UPDATE app_meta SET value = ? WHERE key = 'schema_version'", (str(migrations.LATEST - 1),))
        con.commit()
        con.close()

        def broken(*args, **kwargs):
            raise pw_error("no such column: whatever")
        import peewee as pw

        pw_error = pw.OperationalError
        monkeypatch.setattr(migrations, "upgrade", broken)
        expected = "could not be brought up to this version"
    before = digest(live)
    with pytest.raises(OfficeError, match=expected):
        backup.restore(made, live, **ADMIN)
    assert digest(live) == before and left_beside(live) == []


def test_a_live_file_held_by_another_pc_is_never_taken_for_no_office(office, admin, house, monkeypatch):
    """Held whole by another connection, the live file cannot even be read: that is a busy
    database (the restore stops, nothing replaced), not "no office here" (which would check
    the password against the backup's users and not carry the numbers on)."""
    made = backup.create(office, now=T0)
    live = live_file()
    db.close()
    before = digest(live)
    monkeypatch.setattr(backup, "_backup_admin", lambda *a: pytest.fail("checked against the backup's users"))
    other = sqlite3.connect(live, isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(OfficeError) as e:
            backup.restore(made, live, wait=1, **ADMIN)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "busy" in str(e.value) or "writing" in str(e.value), str(e.value)
    assert digest(live) == before and left_beside(live) == []


def test_a_folder_named_with_a_percent_sign_is_read_as_it_is_named(tmp_path):
    """The file is read at its own path, not at one a URI would make of %20 or ?."""
    from models import migrations

    folder = tmp_path / "物业 100%20备份?"
    folder.mkdir()
    path = folder / "office.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE app_meta (key TEXT PRIMARY KEY, value TEXT)")
    con.execute("INSERT INTO app_meta VALUES ('app', 'EstateDesk'), ('schema_version', ?)",
                (str(migrations.LATEST + 1),))
    con.commit()
    con.close()
    with pytest.raises(OfficeError, match="newer version of EstateDesk"):
        db.check_sqlite_file(path)


def test_a_receipt_taken_in_another_window_after_signing_in_is_in_the_copy_and_never_issued_again(
        office, admin, cashier, house, monkeypatch):
    """The numbers are read from the safety copy (one moment of the live file): a receipt
    taken after the administrator signed in for the restore, before the copy, is kept in the
    copy and listed as lost, and its number is not issued a second time."""
    made = backup.create(office, now=T0)
    live = live_file()
    db.close()
    real = backup._checked_here

    def signed_in_then_another_window_pays(*args, **kwargs):
        here = real(*args, **kwargs)
        signed_in_then_another_window_pays.receipt = pay(cashier, house.id, 800)
        return here
    monkeypatch.setattr(backup, "_checked_here", signed_in_then_another_window_pays)
    safety = backup.restore(made, live, **ADMIN)
    taken = signed_in_then_another_window_pays.receipt
    con = sqlite3.connect(safety)
    assert con.execute("SELECT COUNT(*) FROM receipt").fetchone() == (1,)
    con.close()
    db.connect(db.sqlite_url(live))
    assert cashier_receipts() == []
    assert pay(cashier, house.id, 900).number_text > taken.number_text
    [lost] = desk.lost_numbers(desk.active_series())
    assert lost.numbers == taken.number_text
