"""The audit log as a chain (操作日志防篡改): each entry holds the hash of the one before it
and of its own content, and a one-row chain head holds the newest; the entries already
written are chained here in id order. Audit rows are never changed or deleted by the
program: a trigger refuses an UPDATE or DELETE of one (PostgreSQL and SQLite alike)."""
import peewee as pw
from playhouse.migrate import migrate

# The chain's hash is defined once, in models/audit.py (digest): the chain made here must
# read the same forever, so it is the live function, not a copy that could drift.
from models.audit import GENESIS, digest

BATCH = 2000

SQLITE_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON audit_entry "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are never changed'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON audit_entry "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are never deleted'); END",
)
SERVER_TRIGGER = (
    "CREATE OR REPLACE FUNCTION audit_entry_kept() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'audit entries are never changed or deleted'; END $$",
    "DROP TRIGGER IF EXISTS audit_entry_kept ON audit_entry",
    # TRUNCATE (a restore replacing every table's rows) fires no row trigger
    "CREATE TRIGGER audit_entry_kept BEFORE UPDATE OR DELETE ON audit_entry "
    "FOR EACH ROW EXECUTE PROCEDURE audit_entry_kept()",
)


def apply(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db

    class ChainHead(Base):
        id = pw.IntegerField(primary_key=True)
        last_id = pw.IntegerField(default=0)
        last_hash = pw.CharField(max_length=64)

        class Meta:
            table_name = "audit_chain"

    sqlite = isinstance(db.obj, pw.SqliteDatabase)
    db.create_tables([ChainHead], safe=True)
    # safe to run again on a file that has them (a test upgrades a copy marked older than it is):
    # its chain is then left as it is, tampered or not
    if "hash" not in {c.name for c in db.get_columns("audit_entry")}:
        migrate(migrator.add_column("audit_entry", "prev_hash", pw.CharField(max_length=64, null=True)),
                migrator.add_column("audit_entry", "hash", pw.CharField(max_length=64, null=True)))
        last_id, last_hash = _chain(db, sqlite)
        ChainHead.delete().execute()
        ChainHead.insert(id=1, last_id=last_id, last_hash=last_hash).execute()
    elif not ChainHead.select().exists():
        row = db.execute_sql("SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()
        ChainHead.insert(id=1, last_id=row[0] if row else 0,
                         last_hash=(row[1] or GENESIS) if row else GENESIS).execute()
    for sql in SQLITE_TRIGGERS if sqlite else SERVER_TRIGGER:
        db.execute_sql(sql)


def _chain(db, sqlite: bool) -> tuple[int, str]:
    """Every entry's links, in id order, a batch at a time: (the newest id, its hash)."""
    mark = "?" if sqlite else "%s"
    last_id, last_hash = 0, GENESIS
    while True:
        rows = db.execute_sql(
            "SELECT id, at, user_id, username, action, target_type, target_id, summary, detail "
            f"FROM audit_entry WHERE id > {mark} ORDER BY id LIMIT {BATCH}", (last_id,)).fetchall()
        if not rows:
            return last_id, last_hash
        links = []
        for entry_id, *content in rows:
            own = digest(last_hash, *content)
            links.append((last_hash, own, entry_id))
            last_id, last_hash = entry_id, own
        db.cursor().executemany(f"UPDATE audit_entry SET prev_hash = {mark}, hash = {mark} WHERE id = {mark}", links)
