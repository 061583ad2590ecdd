"""The archive's document checklist: each item received or missing, with an optional scan."""
import peewee as pw


def apply(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db

    class House(Base):
        class Meta:
            table_name = "house"

    class ArchiveDocument(Base):
        house = pw.ForeignKeyField(House, backref="documents", on_delete="RESTRICT")
        item = pw.CharField(max_length=32)
        received = pw.BooleanField(default=False)
        received_on = pw.DateField(null=True)
        scan_hash = pw.CharField(max_length=64, default="")
        scan_name = pw.CharField(max_length=128, default="")
        note = pw.TextField(default="")

        class Meta:
            table_name = "archive_document"
            indexes = ((("house", "item"), True),)

    db.create_tables([ArchiveDocument])
