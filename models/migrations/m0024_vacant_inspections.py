"""Vacant houses inspected every week (issue 20; seed 003: 空置房每周巡查一次): each inspection
with its four checks, what was found, a photo, and the repair it raised."""
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

    class Repair(pw.Model):
        class Meta:
            database = db
            table_name = "repair"

    class VacantInspection(pw.Model):
        house = pw.ForeignKeyField(House, on_delete="RESTRICT", index=True)
        inspected_at = pw.DateTimeField(index=True)
        inspected_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
        doors_ok = pw.BooleanField()
        water_power_ok = pw.BooleanField()
        no_leaks = pw.BooleanField()
        no_smells = pw.BooleanField()
        findings = pw.TextField(default="")
        photo_hash = pw.CharField(max_length=64, default="")
        photo_name = pw.CharField(max_length=128, default="")
        repair = pw.ForeignKeyField(Repair, null=True, on_delete="SET NULL")

        class Meta:
            database = db
            table_name = "vacant_inspection"

    db.create_tables([VacantInspection], safe=True)
