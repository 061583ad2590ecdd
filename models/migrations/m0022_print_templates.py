"""The office's print templates (套打, issue 19): each document's layout on the office's own
stock, one row per template, its body the template's JSON (models/templates)."""
import peewee as pw


def apply(db, migrator):
    class PrintTemplate(pw.Model):
        document = pw.CharField(max_length=32)
        name = pw.CharField(max_length=64)
        body = pw.TextField()
        updated_at = pw.DateTimeField()
        updated_by = pw.IntegerField(null=True)

        class Meta:
            database = db
            table_name = "print_template"
            indexes = ((("document", "name"), True),)

    db.create_tables([PrintTemplate], safe=True)
