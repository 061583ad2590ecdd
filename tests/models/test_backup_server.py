"""Backups of a server database: its rows exported as of one moment into the same kind of
file a PC's backup is, checked the same way; restored in one transaction with the data as
it was backed up first; and carried between a server and a single PC in both directions."""
import subprocess
import sys
from pathlib import Path

import pytest

from models import backup, db, estate, migrations, owners
from models.backup import BackupError
from tests.conftest import PG_URL, backups_while_a_process_writes

ROOT = Path(__file__).resolve().parents[2]
ADMIN = dict(username="admin", user_password="secret1")  # the fixtures' administrator signs each restore
pytestmark = pytest.mark.skipif(not PG_URL, reason="a server database: the PostgreSQL leg runs this")


def rows_of(*tables):
    return {t: db.database.execute_sql(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in tables}


TABLES = ("building", "unit", "house", "owner", "ownership", "name_key", "audit_entry", "fee_item", "app_meta")


@pytest.fixture
def office(admin, house, tmp_path):
    owners.add_owner(admin, house.id, name="张三", phone="13812345678", id_number="")
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def test_a_server_backup_restores_to_the_same_rows_in_one_transaction(office, admin, house, tmp_path):
    made = backup.create(office, password="门卫室", office="翠湖花园")
    m = backup.verify(made, "门卫室")
    assert (m.origin, m.format, m.counts["house"], m.counts["owner"]) == ("server", 2, 1, 1)
    before = rows_of(*TABLES)

    owners.add_owner(admin, house.id, name="李四")
    estate.create_house(admin, estate.Unit.get().id, number="1202", area="90")
    safety = backup.restore(made, None, "门卫室", safety_dir=tmp_path / "kept", **ADMIN)
    after = rows_of(*TABLES)
    for t in TABLES:
        if t not in ("app_meta", "audit_entry"):
            assert after[t] == before[t], t
    # the backup's log, then the restore itself, audited in the restored data
    assert after["audit_entry"][:len(before["audit_entry"])] == before["audit_entry"]
    assert "backup.restore" in [r[4] for r in after["audit_entry"][len(before["audit_entry"]):]]
    assert backup.verify(safety).counts["owner"] == 2  # the data as it was is kept
    # the id sequences run on past the restored rows: a new owner gets a fresh number
    new = owners.add_owner(admin, house.id, name="王五")
    assert new.id > max(r[0] for r in before["owner"])


def test_a_damaged_backup_leaves_the_server_untouched(office, admin, tmp_path):
    made = backup.create(office)
    data = made.read_bytes()
    made.write_bytes(data[: len(data) // 2])
    before = rows_of(*TABLES)
    with pytest.raises(BackupError, match="damaged"):
        backup.restore(made, None, safety_dir=tmp_path / "kept", **ADMIN)
    assert rows_of(*TABLES) == before


def test_a_failure_while_loading_rolls_everything_back(office, admin, house, tmp_path, monkeypatch):
    from models import transport

    made = backup.create(office)
    owners.add_owner(admin, house.id, name="李四")
    before = rows_of(*TABLES)
    real = transport.load_rows

    def half(source, report=None):
        real(source)
        raise OSError(5, "Input/output error")
    monkeypatch.setattr(transport, "load_rows", half)
    with pytest.raises(BackupError, match="could not finish"):
        backup.restore(made, None, safety_dir=tmp_path / "kept", **ADMIN)
    after = rows_of(*TABLES)
    kept = [t for t in TABLES if t not in ("app_meta", "audit_entry")]
    assert {t: after[t] for t in kept} == {t: before[t] for t in kept}
    # the log as it was, and the administrator's sign-in to the restore, which stays logged
    assert after["audit_entry"][:len(before["audit_entry"])] == before["audit_entry"]
    assert {r[4] for r in after["audit_entry"][len(before["audit_entry"]):]} <= {"login"}
    assert backup.last()[1].startswith(str(tmp_path / "kept"))  # the data as it was, backed up first


def test_a_server_backup_while_another_process_writes_is_of_one_moment(office, admin):
    counts = backups_while_a_process_writes(PG_URL, office)
    assert counts[-1]["house"] > 1  # the writer was at work
    for c in counts:  # each export is of one moment: every house it holds has its audit entry
        assert c["audit_entry"] >= c["house"]


def test_a_server_backup_restored_on_a_single_pc_and_back(office, admin, house, tmp_path):
    made = backup.create(office)
    before = rows_of(*TABLES)
    db.close()
    pc = tmp_path / "pc" / "office.sqlite"
    pc.parent.mkdir()
    backup.restore(made, pc, **ADMIN)
    db.connect(db.sqlite_url(pc))
    try:
        assert [o.name for o in owners.Owner.select()] == ["张三"]
        assert estate.House.get().label == "3-2-1201" and migrations.current_version() == migrations.LATEST
        assert db.database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
        owners.add_owner(admin, estate.House.get().id, name="李四")  # the PC's office works on
        back = backup.create(tmp_path / "usb", keep=False)
    finally:
        db.close()
    db.connect(PG_URL)
    backup.restore(back, None, safety_dir=tmp_path / "kept", **ADMIN)  # and its backup goes to the server
    assert sorted(o.name for o in owners.Owner.select()) == ["张三", "李四"]
    assert estate.House.get().owner_names == "张三、李四" and estate.House.select().count() == len(before["house"])


def test_the_server_is_reminded_of_backups_too(database):
    assert backup.reminder_due() is not None


def test_the_command_line_backs_up_and_restores_a_server(office, admin, house, tmp_path):
    import os

    def run(*args):
        return subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", PG_URL, *args], capture_output=True,
                              text=True, timeout=120, cwd=ROOT, env={**os.environ, "ESTATEDESK_PASSWORD": "secret1"})

    made = run("backup", "--to", str(office))
    assert made.returncode == 0, made.stderr
    [file] = office.glob("*.edbackup")
    owners.add_owner(admin, house.id, name="李四")
    restored = run("restore", str(file), "--user", "admin")
    assert restored.returncode == 0, restored.stderr
    assert "restored from" in restored.stdout
    assert [o.name for o in owners.Owner.select()] == ["张三"]


def test_a_receipt_taken_at_another_pc_while_the_restore_gets_ready_is_kept_aside_and_not_issued_again(
        office, admin, cashier, house, tmp_path, monkeypatch):
    """The restore takes every table's lock, then makes its safety copy and reads the numbers
    issued: a receipt another PC took after the administrator signed in for the restore is
    in the copy, and its number is never issued again."""
    import threading

    from models import billing, cashier as desk, db as dbm

    made = backup.create(office)
    real_checked = backup._checked_here
    taken = {}

    def another_pc_pays():
        try:
            with dbm.atomic():
                charge = billing.post_charge(cashier, house.id, "parcel", 800, description="SF800")
            taken["receipt"] = desk.take_payment(cashier, house.id, [desk.Pick(charge.id)], "cash", tendered=800)
        finally:
            dbm.close()  # this thread's own connection: another PC

    def signed_in_then_another_pc_pays(*args, **kwargs):
        here = real_checked(*args, **kwargs)
        t = threading.Thread(target=another_pc_pays)
        t.start()
        t.join(60)
        return here
    monkeypatch.setattr(backup, "_checked_here", signed_in_then_another_pc_pays)
    safety = backup.restore(made, None, safety_dir=tmp_path / "kept", **ADMIN)
    assert backup.verify(safety).counts["receipt"] == 1  # the copy of the data replaced holds it
    with dbm.atomic():
        charge = billing.post_charge(cashier, house.id, "parcel", 900, description="SF900")
    again = desk.take_payment(cashier, house.id, [desk.Pick(charge.id)], "cash", tendered=900)
    assert again.number_text > taken["receipt"].number_text  # never the same number twice
    [lost] = desk.lost_numbers(desk.active_series())
    assert lost.numbers == taken["receipt"].number_text


def test_a_server_restore_waits_for_a_pc_holding_a_table_then_stops_in_words(office, admin, house, tmp_path):
    """A payment (any write) at another PC holding its transaction open: the restore takes
    every table's lock at once, waits at most its time limit, and says the server was busy."""
    import time

    import psycopg

    made = backup.create(office)
    other = psycopg.connect(PG_URL)  # another PC, in the middle of a long write
    try:
        other.execute("UPDATE owner SET name = name")
        started = time.monotonic()
        with pytest.raises(BackupError, match="busy for 1 seconds") as e:
            backup.restore(made, None, safety_dir=tmp_path / "kept", wait=1, **ADMIN)
        assert time.monotonic() - started < 30 and "nothing was replaced" in str(e.value)
    finally:
        other.rollback()
        other.close()
    backup.restore(made, None, safety_dir=tmp_path / "kept", wait=5, **ADMIN)  # once it is free
