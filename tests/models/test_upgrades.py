"""A database saved by every schema version upgrades to today's and keeps every row.

tests/data holds an office's database as each schema version left it (how each was made:
tests/data/schemas/README.md): the demo office made by the program of that version, or for
a version that landed together with the next, the version before upgraded one step. Each is
upgraded by today's program and checked table by table; a migration that lands without its
predecessor's database saved fails here."""
import lzma
import shutil
import sqlite3
from pathlib import Path

import pytest

from models import audit, db, migrations

DATA = Path(__file__).parent.parent / "data"


def saved() -> dict[int, Path]:
    found = {int(p.name.split("schema")[1].split(".")[0]): p for p in DATA.glob("estatedesk_schema*.sqlite")}
    found |= {int(p.name.split("schema")[1].split(".")[0]): p
              for p in (DATA / "schemas").glob("estatedesk_schema*.sqlite.xz")}
    return dict(sorted(found.items()))


def test_every_schema_version_before_todays_has_its_database_saved():
    assert set(range(1, migrations.LATEST)) <= set(saved()), \
        f"save a database of each version before {migrations.LATEST} (tests/data/schemas/README.md)"
    assert max(saved()) <= migrations.LATEST


def unpacked(path: Path, into: Path) -> Path:
    out = into / path.name.removesuffix(".xz")
    if path.suffix == ".xz":
        with lzma.open(path) as src, open(out, "wb") as dst:
            shutil.copyfileobj(src, dst)
    else:
        shutil.copy(path, out)
    return out


def counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%'")]
        return {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def version_of(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute("SELECT value FROM app_meta WHERE key = 'schema_version'").fetchone()[0])
    finally:
        con.close()


# rows a migration adds by design, not lost or made up: (table, from the version before it)
ADDED = {
    ("app_meta", 20): "m0021 keeps the secret the sign-in brake counts unknown names with",
    ("fee_item", 24): "m0025 adds the fee item a deposit's deductions are kept under (保证金扣款)",
}


@pytest.mark.parametrize("version", sorted(saved()))
def test_a_database_of_each_schema_version_upgrades_and_keeps_every_row(version, tmp_path):
    from models import estate, search, users

    path = unpacked(saved()[version], tmp_path)
    assert version_of(path) == version
    before = counts(path)
    db.connect(db.sqlite_url(path))
    try:
        assert migrations.current_version() == migrations.LATEST
        after = {t: n for t, n in counts(path).items()}
        for table, n in before.items():
            if (table, version) in ADDED or any(table == t and version <= v for (t, v) in ADDED):
                assert after[table] >= n, table
                continue
            assert after.get(table) == n, f"{table}: {n} rows in schema {version}, {after.get(table)} after"
        assert db.database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.database.execute_sql("PRAGMA foreign_key_check").fetchall() == []
        assert audit.check().ok  # the chain made over the old entries, or carried on, holds
        # the upgraded office works: its people sign in, its houses are found, it takes new records
        admin = users.User.get(users.User.username == "admin")
        houses = estate.House.select().count()
        assert houses == before.get("house", 0) and houses > 0
        first = estate.House.select().order_by(estate.House.sort_code).first()
        assert search.the_house(admin, first.label).id == first.id
        if version >= 2:
            from models import owners

            owners.add_owner(admin, first.id, name="升级后新业主")
            assert "升级后新业主" in estate.get_house(first.id).owner_names
    finally:
        db.close()


@pytest.mark.parametrize("version", [v for v in saved() if v >= 7])
def test_the_money_of_an_upgraded_database_is_as_it_was(version, tmp_path):
    """What each house owes and what was taken stay to the fen, and an old receipt prints."""
    from models import cashier, estate
    from printing import papers
    from printing.furniture import Letterhead

    path = unpacked(saved()[version], tmp_path)
    con = sqlite3.connect(path)
    try:
        taken = con.execute("SELECT COUNT(*), COALESCE(SUM(total), 0) FROM receipt").fetchone()
        billed = con.execute("SELECT COALESCE(SUM(amount), 0) FROM charge").fetchone()[0]
    finally:
        con.close()
    db.connect(db.sqlite_url(path))
    try:
        r = cashier.Receipt.select(cashier.Receipt.id).order_by(cashier.Receipt.id)
        assert (r.count(), sum(x.total for x in cashier.Receipt.select())) == tuple(taken)
        from models.billing import Charge

        assert sum(c.amount for c in Charge.select()) == billed
        first = cashier.Receipt.select().order_by(cashier.Receipt.id).first()
        pdf = papers.receipt_pdf(first, Letterhead.from_profile(estate.profile()), paper="A5", carbonless=True)
        assert pdf.startswith(b"%PDF")
    finally:
        db.close()
