"""Move-in (issue 20): one procedure per house's owner, its steps kept as they are done,
and the defects the handover inspection found with the repair each became."""
import peewee as pw


def apply(db, migrator):
    class House(pw.Model):
        class Meta:
            database = db
            table_name = "house"

    class User(pw.Model):
        class Meta:
            database = db
            table_name = "app_user"

    class Receipt(pw.Model):
        class Meta:
            database = db
            table_name = "receipt"

    class Repair(pw.Model):
        class Meta:
            database = db
            table_name = "repair"

    class MoveIn(pw.Model):
        house = pw.ForeignKeyField(House, on_delete="RESTRICT", index=True)
        owner_name = pw.CharField(max_length=64)
        planned = pw.DateField()  # the handover day the notice gives
        started_at = pw.DateTimeField()
        started_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        notice_printed_at = pw.DateTimeField(null=True)
        papers_at = pw.DateTimeField(null=True)  # every paper in
        inspected_at = pw.DateTimeField(null=True)
        inspected_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        keys_count = pw.IntegerField(default=0)
        keys_which = pw.CharField(max_length=128, default="")
        keys_at = pw.DateTimeField(null=True)
        keys_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        handover_date = pw.DateField(null=True)
        handover_at = pw.DateTimeField(null=True)
        receipt = pw.ForeignKeyField(Receipt, null=True, on_delete="RESTRICT", backref="+")
        done_at = pw.DateTimeField(null=True, index=True)

        class Meta:
            database = db
            table_name = "move_in"

    class Defect(pw.Model):
        movein = pw.ForeignKeyField(MoveIn, backref="defects", on_delete="CASCADE", index=True)
        place = pw.CharField(max_length=64)
        what = pw.CharField(max_length=200)
        photo_hash = pw.CharField(max_length=64, default="")
        photo_name = pw.CharField(max_length=128, default="")
        repair = pw.ForeignKeyField(Repair, null=True, on_delete="SET NULL")
        at = pw.DateTimeField()
        by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

        class Meta:
            database = db
            table_name = "move_in_defect"

    db.create_tables([MoveIn, Defect], safe=True)
