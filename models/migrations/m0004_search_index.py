"""A prefix index for the name search on PostgreSQL.

SQLite's plain index already serves the search's range comparison; on PostgreSQL a
LIKE 'prefix%' only uses an index built with text_pattern_ops (whatever the server's
collation), so the search stays fast on a shared server with 20,000 houses.
"""
import peewee as pw


def apply(db, migrator):
    if isinstance(db.obj, pw.PostgresqlDatabase):
        db.execute_sql("CREATE INDEX IF NOT EXISTS name_key_key_prefix ON name_key (key text_pattern_ops)")
