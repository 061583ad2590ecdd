"""The audit log nobody can quietly change (issue 16): the entries are a chain that finds
an entry deleted, changed, moved or forged by hand, checked by `audit.verify`, `main.py
verify-audit`, the daily self-check and 今日; the program itself cannot change or delete an
entry; several writers at once keep one chain; a refused action is logged even when it rolls
its transaction back; an ID number leaves the core masked except through the audited
reveal; every export is audited with what it held."""
import datetime
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import peewee as pw
import pytest

from tests.conftest import PG_URL
from models import audit, billing, cashier, clock, db, estate, exporting, labels, owners, today, users
from models.cashier import Pick
from models.errors import PermissionDenied

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime.datetime(2026, 11, 23, 9, 30)
ID1 = "11010519491231002X"


@pytest.fixture
def log(admin, clerk, house):
    """An office with a few dozen entries, each a minute after the one before."""
    for n in range(20):
        with clock.frozen(NOW + datetime.timedelta(minutes=n)):
            estate.create_house(admin, house.unit_id, number=str(100 + n), area="80")
    clock.set_now(NOW + datetime.timedelta(hours=1))
    yield [e.id for e in audit.AuditEntry.select(audit.AuditEntry.id).order_by(audit.AuditEntry.id)]
    clock.set_now(None)


def by_hand(*statements):
    """What someone with the database's password does in a database tool: the trigger that
    keeps the entries switched off, then rows changed directly."""
    if db.is_sqlite():
        for trigger in ("audit_entry_no_update", "audit_entry_no_delete", "audit_chain_no_delete",
                        "audit_chain_forward"):
            db.database.execute_sql(f"DROP TRIGGER IF EXISTS {trigger}")
    else:
        db.database.execute_sql("ALTER TABLE audit_entry DISABLE TRIGGER USER")
        db.database.execute_sql("ALTER TABLE audit_chain DISABLE TRIGGER USER")
    for sql in statements:
        db.database.execute_sql(sql)


def verify_audit_command():
    url = PG_URL or str(db.database.obj.database)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "verify-audit", "--db", url],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, env=dict(os.environ))


def test_every_entry_is_chained_and_an_untouched_log_verifies(log):
    verdict = audit.verify()
    assert verdict.ok and verdict.entries == len(log) and len(log) > 20
    first, second = audit.AuditEntry.select().order_by(audit.AuditEntry.id)[:2]
    assert first.prev_hash == audit.GENESIS and second.prev_hash == first.hash and len(first.hash) == 64
    assert audit.ChainHead.get().last_hash == audit.AuditEntry.get_by_id(log[-1]).hash
    done = verify_audit_command()
    assert done.returncode == 0 and done.stdout.strip() == f"ok: {len(log)} entries, chain intact"


def test_the_program_cannot_change_or_delete_an_entry(log):
    entry = audit.AuditEntry.get_by_id(log[3])
    with pytest.raises(pw.DatabaseError):
        with db.atomic():
            audit.AuditEntry.update(username="nobody").where(audit.AuditEntry.id == entry.id).execute()
    with pytest.raises(pw.DatabaseError):
        with db.atomic():
            audit.AuditEntry.delete().where(audit.AuditEntry.id == entry.id).execute()
    assert audit.AuditEntry.get_by_id(entry.id).username == entry.username and audit.verify().ok


@pytest.mark.parametrize("tampering,kind,at_entry", [
    ("DELETE FROM audit_entry WHERE id = {e[10]}", "deleted", 11),  # found at the entry after the gap
    ("UPDATE audit_entry SET username = 'nobody' WHERE id = {e[10]}", "changed", 10),
    ("UPDATE audit_entry SET at = '2026-11-23 08:00:00' WHERE id = {e[10]}", "changed", 10),
    ("UPDATE audit_entry SET detail = '{{\"area\": \"1.00\"}}' WHERE id = {e[10]}", "changed", 10),
    # two entries swapped: the later one now stands first
    ("UPDATE audit_entry SET id = -1 WHERE id = {e[10]}; UPDATE audit_entry SET id = {e[10]} WHERE id = {e[11]}; "
     "UPDATE audit_entry SET id = {e[11]} WHERE id = -1", "reordered", 10),
    ("DELETE FROM audit_entry WHERE id >= {newest_three}", "deleted", -4),  # the newest: found at the last one left
])
def test_an_entry_deleted_changed_or_moved_by_hand_breaks_the_chain_where_it_happened(log, tampering, kind,
                                                                                    at_entry):
    by_hand(*tampering.format(e=log, newest_three=log[-3]).split("; "))
    verdict = audit.verify()
    assert not verdict.ok and verdict.broken.kind == kind and verdict.broken.entry_id == log[at_entry]
    done = verify_audit_command()
    assert done.returncode == 1 and done.stdout == "" and done.stderr.count("\n") == 1
    assert f"({kind})" in done.stderr and f"entry {log[at_entry]} (" in done.stderr


@pytest.mark.parametrize("keep", [0, 5])
def test_the_newest_entries_deleted_with_the_head_set_back_are_found_by_this_pcs_anchor(log, keep):
    """Deleting the newest entries (or all of them) and setting the chain head back to the
    last one left leaves a chain that holds together: the entry this PC found intact at its
    last check is gone, and that is a break."""
    assert audit.check().ok and audit.anchored()["id"] == log[-1]
    assert audit.anchor_file().is_file()
    kept = log[:keep]
    last = audit.AuditEntry.get_by_id(kept[-1]) if kept else None
    by_hand(f"DELETE FROM audit_entry WHERE id > {kept[-1] if kept else 0}",
            f"UPDATE audit_chain SET last_id = {last.id if last else 0}, "
            f"last_hash = '{last.hash if last else audit.GENESIS}'")
    for verdict in (audit.verify(), audit.verify(since_anchor=True)):
        assert verdict.broken == audit.Break("deleted", log[-1], verdict.broken.at, seen=True)
    assert "found intact by this PC's earlier check, is gone" in str(audit.verify().broken)
    done = verify_audit_command()
    assert done.returncode == 1 and "(deleted)" in done.stderr and f"entry {log[-1]} (" in done.stderr
    assert audit.anchored()["id"] == log[-1]  # a broken chain never moves the anchor


def test_a_restore_done_at_another_pc_is_no_alarm_at_this_one(log, admin, house, tmp_path):
    """This PC anchored the log before another PC restored an older backup: its anchored
    entry is gone, because of the restore (which is in the log, with its mark), not by hand."""
    from models import backup

    folder = tmp_path / "usb"
    folder.mkdir()
    made = backup.create(folder)
    with clock.frozen(NOW + datetime.timedelta(hours=2)):
        estate.create_house(admin, house.unit_id, number="999", area="80")
    assert audit.check().ok
    before = audit.anchor_file().read_text(encoding="utf-8")  # what this PC holds
    if db.is_sqlite():
        live = db.database.obj.database
        db.close()
        backup.restore(made, live, username="admin", user_password="secret1")
        db.connect(db.sqlite_url(live))
    else:
        backup.restore(made, None, safety_dir=tmp_path / "kept", username="admin", user_password="secret1")
    audit.anchor_file().write_text(before, encoding="utf-8")  # the restore was another PC's
    verdict = audit.check_since_anchor()
    assert verdict.ok and audit.check().ok
    restored = audit.AuditEntry.get(audit.AuditEntry.action == "backup.restore")
    assert json.loads(restored.detail)["mark"] == audit.restore_mark() != ""
    assert audit.anchored()["id"] == audit.AuditEntry.select().count() and audit.anchored()["restored"]


def test_the_anchor_is_the_newest_entry_the_check_walked(log, admin, monkeypatch):
    """An entry written at another PC while the check ran is not anchored unchecked."""
    real = audit.verify

    def verify_then_another_pc_writes(**kwargs):
        verdict = real(**kwargs)
        with db.atomic():
            audit.record(admin, "house.view", "house", 1, "meanwhile")
        return verdict
    monkeypatch.setattr(audit, "verify", verify_then_another_pc_writes)
    assert audit.check().ok
    assert audit.anchored()["id"] == log[-1] and audit.anchored()["entries"] == len(log)


def test_the_quick_check_at_each_start_reads_only_what_came_since_the_anchor(log, admin):
    assert audit.check_since_anchor().ok  # no anchor yet: the whole log
    assert audit.anchored() == dict(id=log[-1], hash=audit.AuditEntry.get_by_id(log[-1]).hash,
                                    entries=len(log), at="2026-11-23 09:49:00", restored="")
    with db.atomic():
        audit.record(admin, "house.view", "house", 1, "new")
    by_hand(f"UPDATE audit_entry SET summary = 'rewritten' WHERE id = {log[3]}")  # before the anchor
    verdict = audit.check_since_anchor()
    assert verdict.ok and verdict.entries == len(log) + 1  # the quick check trusts what it checked before
    assert audit.check().broken.kind == "changed"  # the daily check reads everything
    anchor = audit.anchored()["id"]
    by_hand(f"UPDATE audit_entry SET summary = 'rewritten' WHERE id = {anchor}")
    b = audit.check_since_anchor().broken
    assert (b.kind, b.entry_id, b.seen) == ("changed", anchor, True)
    assert audit.last_check()[1] == b  # kept for 今日


def test_the_program_cannot_delete_the_chain_head_set_it_back_or_empty_the_log(log):
    for sql in ("DELETE FROM audit_chain", f"UPDATE audit_chain SET last_id = {log[-3]}"):
        with pytest.raises(pw.DatabaseError):
            with db.atomic():
                db.database.execute_sql(sql)
    if not db.is_sqlite():
        for table in ("audit_entry", "audit_chain"):
            with pytest.raises(pw.DatabaseError, match="never emptied"):
                with db.atomic():
                    db.database.execute_sql(f"TRUNCATE {table} CASCADE")
    assert audit.ChainHead.get().last_id == log[-1] and audit.verify().ok


@pytest.mark.parametrize("with_hash", [False, True])
def test_a_forged_entry_slipped_in_is_found(log, with_hash):
    """A row written by hand: without a hash, or with one made by the chain's own rule after
    the newest entry (the chain head, written only by EstateDesk, still names the real one)."""
    last = audit.AuditEntry.get_by_id(log[-1])
    forged = ["2026-11-23 10:00:00", None, "zhao", "receipt.void", "receipt", 1, "2026-000001", "{}"]
    own = audit.digest(last.hash, *forged) if with_hash else ""
    by_hand("INSERT INTO audit_entry (at, user_id, username, action, target_type, target_id, summary, detail, "
            f"prev_hash, hash) VALUES ('{forged[0]}', NULL, 'zhao', 'receipt.void', 'receipt', 1, '2026-000001', "
            f"'{{}}', '{last.hash}', '{own}')")
    fake = audit.AuditEntry.select().order_by(audit.AuditEntry.id.desc()).first()
    verdict = audit.verify()
    assert verdict.broken.kind == "inserted" and verdict.broken.entry_id == fake.id
    assert verdict.broken.at == datetime.datetime(2026, 11, 23, 10, 0)
    done = verify_audit_command()
    assert done.returncode == 1 and "(inserted)" in done.stderr
    assert f"entry {fake.id} (2026-11-23 10:00:00)" in done.stderr


def test_a_break_shows_on_today_for_the_administrator_after_the_daily_check(log, admin, supervisor, qtbot):
    from ui.today_page import TodayPage

    assert audit.check_due() and audit.check().ok and not audit.check_due()
    assert not [line for line in today.lines(admin) if line.what.startswith("audit.")]
    by_hand(f"UPDATE audit_entry SET summary = '' WHERE id = {log[5]}")
    assert audit.check_due(clock.now() + datetime.timedelta(days=1))
    with clock.frozen(clock.now() + datetime.timedelta(days=1)):
        assert audit.check().broken.kind == "changed"
        [line] = [line for line in today.lines(admin) if line.what.startswith("audit.")]
        assert line.what == "audit.changed" and line.number == f"#{log[5]}" and line.at_risk
        assert today.lines(admin)[0] == line  # the office's data at risk: first
        assert not [line for line in today.lines(supervisor) if line.what.startswith("audit.")]
        page = TodayPage(admin)
        qtbot.addWidget(page)
        texts = [page.model.data(page.model.index(0, c)) for c in range(page.model.columnCount())]
    assert "An audit entry changed by hand" in texts and f"#{log[5]}" in texts and "now" in texts


def test_two_pcs_writing_at_once_keep_one_chain(log, admin, clerk):
    """Two connections to the office's database (two threads, each its own), writing as
    fast as they can: every entry is chained on the one before it, none twice."""
    before = audit.verify().entries
    errors = []

    def write(user, n):
        try:
            for i in range(n):
                with db.atomic():
                    audit.record(user, "house.view", "house", i, f"{user.username} {i}")
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            db.close()  # this thread's own connection

    threads = [threading.Thread(target=write, args=(u, 40)) for u in (admin, clerk)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    verdict = audit.verify()
    assert verdict.ok and verdict.entries == before + 80
    assert audit.AuditEntry.select(audit.AuditEntry.prev_hash).distinct().count() == before + 80


def test_a_transactions_entries_are_chained_as_it_commits_and_a_rolled_back_savepoints_go(log, admin):
    """The chain's head is the last thing a transaction takes, at its commit: a PC holding
    it never waits for another's lock (a receipt number), so two PCs cannot deadlock on it."""
    before = audit.AuditEntry.select().count()
    head = audit.ChainHead.get().last_hash
    with db.atomic():
        audit.record(admin, "house.view", "house", 1, "kept")
        with pytest.raises(ValueError):
            with db.atomic():
                audit.record(admin, "house.view", "house", 2, "rolled back")
                raise ValueError
        audit.record(admin, "house.view", "house", 3, "kept too")
        assert audit.AuditEntry.select().count() == before and audit.ChainHead.get().last_hash == head
    assert [e.summary for e in audit.AuditEntry.select().where(audit.AuditEntry.id > log[-1])] == ["kept", "kept too"]
    assert audit.verify().ok


def test_a_refused_action_is_logged_with_the_user_the_permission_and_the_action(clerk, house):
    with pytest.raises(PermissionDenied):
        estate.create_building(clerk, "9")
    entry = audit.AuditEntry.select().order_by(audit.AuditEntry.id.desc()).first()
    assert (entry.action, entry.username, entry.user_id) == ("permission.refused", "wang", clerk.id)
    assert json.loads(entry.detail) == {"permission": "estate.edit", "action": "estate.create_building"}
    assert labels.ACTIONS["permission.refused"] and audit.verify().ok


def test_a_refusal_that_rolls_its_action_back_is_still_logged(clerk, admin, house, frozen_now):
    """The front desk (cash.desk without cash.take) paying a service charge: refused inside the
    payment's transaction, after its receipt number was taken; all of that rolls back, the
    refusal's entry stays."""
    with db.atomic():
        charge = billing.post_charge(admin, house.id, "service", 5000)
    series = cashier.active_series().next_number
    entries = audit.AuditEntry.select().count()
    with pytest.raises(PermissionDenied):
        cashier.take_payment(clerk, house.id, [Pick(charge.id)], "cash", tendered=5000)
    assert cashier.Receipt.select().count() == 0 and cashier.active_series().next_number == series
    [entry] = audit.AuditEntry.select().where(audit.AuditEntry.id > 0).order_by(audit.AuditEntry.id.desc())[:1]
    assert audit.AuditEntry.select().count() == entries + 1
    assert entry.action == "permission.refused" and json.loads(entry.detail) == {
        "permission": "cash.take", "action": "cashier.take_payment"}
    assert audit.verify().ok


def test_a_refusal_inside_an_outer_transaction_waits_for_its_end(clerk, admin, house):
    with pytest.raises(PermissionDenied):
        with db.atomic():
            estate.create_building(admin, "8")  # written, with its entry, then rolled back
            users.require(clerk, "users.manage")
    assert not estate.Building.select().where(estate.Building.code == "8").exists()
    last = audit.AuditEntry.select().order_by(audit.AuditEntry.id.desc()).first()
    assert last.action == "permission.refused" and json.loads(last.detail)["permission"] == "users.manage"
    assert audit.verify().ok


def test_an_id_number_leaves_the_core_masked_except_through_the_audited_reveal(clerk, supervisor, house):
    masked = "110***********002X"
    made = owners.add_owner(clerk, house.id, name="张三", id_number=ID1)
    assert made.id_number == masked and made.id_masked == masked
    assert owners.Owner.get_by_id(made.id).id_number == ID1  # kept in full
    assert [line.owner.id_number for line in owners.house_archive(clerk, house.id).owners] == [masked]
    archive = owners.owner_archive(clerk, made.id)
    assert archive.owner.id_number == masked and [link.owner.id_number for _h, link in archive.houses] == [masked]
    assert [o.id_number for o in owners.find_owners(clerk, "张")] == [masked]
    assert owners.update_owner(clerk, made.id, occupation="教师").id_number == masked
    [card] = list(owners.archives_for_cards(clerk, [house.id]))
    assert card.owners[0].owner.id_number == masked
    other = estate.create_house(supervisor, house.unit_id, number="1202", area="80")
    assert owners.link_owner(clerk, other.id, made.id).owner.id_number == masked
    with pytest.raises(RuntimeError):
        made.save()  # a masked copy never overwrites the number
    assert owners.Owner.get_by_id(made.id).id_number == ID1

    with pytest.raises(PermissionDenied):
        owners.reveal(clerk, "owner", made.id, "id_number")
    assert owners.reveal(supervisor, "owner", made.id, "id_number") == ID1
    entry = audit.AuditEntry.select().order_by(audit.AuditEntry.id.desc()).first()
    assert (entry.action, entry.username, json.loads(entry.detail)) == ("owner.reveal", "zhao", {"field": "id_number"})
    assert ID1 not in "".join(e.summary + e.detail for e in audit.AuditEntry.select())


def test_the_desks_registers_hand_out_id_numbers_masked_too(clerk, house, frozen_now):
    """A key's borrower, the standing authorisation, a parcel's proxy: kept in full (the desk
    checks the card against it), shown masked in every list and slip."""
    from models import keys, parcels
    from models.keys import Borrower

    masked = "110***********002X"
    key = keys.add_key(clerk, tag="K-1", name="大门", kind="house", house_id=house.id, copies=2)
    auth = keys.authorise(clerk, house.id, name="王师傅", id_number=ID1, letter_received=True,
                          confirmed_how="phone", confirmed_at=frozen_now - datetime.timedelta(hours=1))
    assert auth.id_number == masked and [a.id_number for a in keys.authorisations(clerk, house.id)] == [masked]
    loan = keys.lend(clerk, key.id, Borrower("delegate", "王师傅", id_number=ID1))  # on the standing authorisation
    assert loan.id_number == masked and [x.id_number for x in keys.loans_out(clerk)] == [masked]
    assert keys.get_loan(clerk, loan.id).id_number == masked  # for its slip
    assert [o.loan.id_number for o in keys.overdue(clerk, frozen_now + datetime.timedelta(days=30))] == [masked]
    assert keys.give_back(clerk, loan.id).id_number == masked
    assert keys.withdraw(clerk, auth.id).id_number == masked
    assert keys.KeyLoan.get_by_id(loan.id).id_number == ID1  # kept in full
    with pytest.raises(RuntimeError):
        loan.save()
    p = parcels.receive(clerk, house_id=house.id, tracking="SF1234567890", recipient="张三", shelf="A1", safe=True)
    picked, _receipt = parcels.pick_up(clerk, p.id, proxy_name="李四", proxy_id_number=ID1)
    assert picked.proxy_id_number == masked
    assert [x.proxy_id_number for x in parcels.of_house(clerk, house.id)] == [masked]
    assert [x.proxy_id_number for x in parcels.day_list(clerk, frozen_now.date())[1]] == [masked]
    assert parcels.Parcel.get_by_id(p.id).proxy_id_number == ID1


def exports():
    return [(e.username, json.loads(e.detail)) for e in audit.AuditEntry.select()
            .where(audit.AuditEntry.action == "export").order_by(audit.AuditEntry.id)]


def test_every_export_is_audited_with_what_it_held(tmp_path, supervisor, house, frozen_now):
    made = exporting.houses(supervisor, tmp_path / "houses.xlsx")
    shown = exporting.write_shown(tmp_path / "list.xlsx", "欠费", ["房号", "欠费"],
                                  [["3-2-1201", "1.00"], ["3-2-1202", "2.00"]], subtitle="3 号楼", user=supervisor)
    exporting.arrears_report(supervisor, tmp_path / "arrears.xlsx", building_id=house.unit.building_id)
    exporting.collection_report(supervisor, tmp_path / "collection.xlsx", "2026-11")
    assert exports() == [
        ("zhao", {"kind": "houses", "rows": 1, "file": str(made)}),
        ("zhao", {"kind": "list", "rows": 2, "filter": "3 号楼", "file": str(shown)}),
        ("zhao", {"kind": "arrears", "rows": 0, "on": "2026-11-23", "buildings": house.unit.building.name,
                  "file": str(tmp_path / "arrears.xlsx")}),
        ("zhao", {"kind": "collection", "rows": exports()[3][1]["rows"], "period": "2026-11",
                  "file": str(tmp_path / "collection.xlsx")}),
    ]
    assert audit.AuditEntry.get(audit.AuditEntry.action == "export").summary == "房屋及业主 → houses.xlsx"


def test_an_export_whose_entry_cannot_be_written_leaves_no_file(tmp_path, supervisor, house, monkeypatch):
    def broken(*_a, **_k):
        raise pw.OperationalError("disk I/O error")

    monkeypatch.setattr(audit, "record", broken)
    (tmp_path / "out").mkdir()
    with pytest.raises(pw.OperationalError):
        exporting.houses(supervisor, tmp_path / "out" / "houses.xlsx")
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.skipif(bool(PG_URL), reason="a database file: the SQLite leg covers it")
def test_a_database_of_schema_19_gets_its_entries_chained_in_order(tmp_path, log, admin):
    """Migration 20: the entries already written are chained in id order, the head set, and
    the entries are kept from then on."""
    import sqlite3

    from models import migrations

    path = tmp_path / "schema19.sqlite"
    db.database.execute_sql("VACUUM INTO ?", (str(path),))
    db.close()
    old = sqlite3.connect(path)
    old.execute("DROP TRIGGER audit_entry_no_update")
    old.execute("DROP TRIGGER audit_entry_no_delete")
    old.execute("DROP TABLE audit_chain")
    old.execute("ALTER TABLE audit_entry DROP COLUMN prev_hash")
    old.execute("ALTER TABLE audit_entry DROP COLUMN hash")
    old.execute("UPDATE app_meta SET value = '19' WHERE key = 'schema_version'")
    old.commit()
    old.close()
    db.connect(db.sqlite_url(path))
    try:
        assert migrations.current_version() == migrations.LATEST
        verdict = audit.verify()
        assert verdict.ok and verdict.entries == len(log)
        with db.atomic():
            audit.record(admin, "house.view", "house", 1, "3-2-1201")
        assert audit.verify().entries == len(log) + 1
        with pytest.raises(pw.DatabaseError):
            db.database.execute_sql("DELETE FROM audit_entry")
    finally:
        db.close()
