"""What each accounted-for form number was used for: a spoiled blank form, a receipt's
reprint on a new pre-printed form, or the continuation form of a receipt that needs more
than one form (pre-numbered stock: one number per form printed)."""
import peewee as pw
from playhouse.migrate import migrate


def apply(db, migrator):
    migrate(migrator.add_column("spoiled_number", "kind", pw.CharField(max_length=16, default="spoiled")))
    # before, a number recorded against a receipt was always a reprint's new form
    db.execute_sql("UPDATE spoiled_number SET kind = 'reprint' WHERE receipt_id IS NOT NULL")
