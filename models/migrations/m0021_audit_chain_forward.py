"""The audit log kept whole (issue 16): its chain head is never deleted and never set back
to an older entry, and on PostgreSQL neither table is emptied with TRUNCATE (which fires no
row trigger) except by a restore, which says so for its own transaction only
(SET LOCAL estatedesk.restoring). Whoever can drop triggers (the tables' owner) can still
do all this: the chain then finds it (models/audit.verify, with each PC's anchor). And the
office's key for logging names that are no user (models/users._name_key)."""

SQLITE = (
    "CREATE TRIGGER IF NOT EXISTS audit_chain_no_delete BEFORE DELETE ON audit_chain WHEN OLD.last_id > 0 "
    "BEGIN SELECT RAISE(ABORT, 'the audit chain is never deleted'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_chain_forward BEFORE UPDATE ON audit_chain WHEN NEW.last_id < OLD.last_id "
    "BEGIN SELECT RAISE(ABORT, 'the audit chain never goes back'); END",
)
SERVER = (
    "CREATE OR REPLACE FUNCTION audit_chain_forward() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'DELETE' THEN "
    "  IF OLD.last_id > 0 THEN RAISE EXCEPTION 'the audit chain is never deleted'; END IF; RETURN OLD; "
    "END IF; "
    "IF NEW.last_id < OLD.last_id THEN RAISE EXCEPTION 'the audit chain never goes back'; END IF; "
    "RETURN NEW; END $$",
    "DROP TRIGGER IF EXISTS audit_chain_forward ON audit_chain",
    "CREATE TRIGGER audit_chain_forward BEFORE UPDATE OR DELETE ON audit_chain "
    "FOR EACH ROW EXECUTE PROCEDURE audit_chain_forward()",
    "CREATE OR REPLACE FUNCTION audit_log_whole() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF coalesce(current_setting('estatedesk.restoring', true), '') <> 'on' THEN "
    "  RAISE EXCEPTION 'the audit log is never emptied: only a restore replaces it'; "
    "END IF; RETURN NULL; END $$",
    "DROP TRIGGER IF EXISTS audit_entry_whole ON audit_entry",
    "CREATE TRIGGER audit_entry_whole BEFORE TRUNCATE ON audit_entry "
    "FOR EACH STATEMENT EXECUTE PROCEDURE audit_log_whole()",
    "DROP TRIGGER IF EXISTS audit_chain_whole ON audit_chain",
    "CREATE TRIGGER audit_chain_whole BEFORE TRUNCATE ON audit_chain "
    "FOR EACH STATEMENT EXECUTE PROCEDURE audit_log_whole()",
)


def apply(db, migrator):
    import secrets

    import peewee as pw

    sqlite = isinstance(db.obj, pw.SqliteDatabase)
    for sql in SQLITE if sqlite else SERVER:
        db.execute_sql(sql)
    # the office's key for the names that are no user, as their wrong passwords are logged
    # (models/users._name_key): made here, so that no refused sign-in is the first to write it
    mark = "?" if sqlite else "%s"
    db.execute_sql(f"INSERT INTO app_meta (key, value) VALUES ({mark}, {mark}) ON CONFLICT DO NOTHING",
                   ("signin_name_secret", secrets.token_hex(32)))
