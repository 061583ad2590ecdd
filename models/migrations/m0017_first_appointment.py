"""A repair's first promised time, kept when a rework is dispatched again: on time or not is
judged on the first job against the first promise."""
import peewee as pw
from playhouse.migrate import migrate


def apply(db, migrator):
    migrate(migrator.add_column("repair", "first_appointment_at", pw.DateTimeField(null=True)))
    db.execute_sql("UPDATE repair SET first_appointment_at = appointment_at")
