"""Owners, co-ownership, household members and tenants, the name search keys, and what
the desk should know of each household (业主熟知)."""
import datetime

import peewee as pw


def apply(db, migrator):
    from playhouse.migrate import migrate

    class Base(pw.Model):
        class Meta:
            database = db

    class House(Base):
        class Meta:
            table_name = "house"

    class Owner(Base):
        name = pw.CharField(max_length=64)
        gender = pw.CharField(max_length=8, default="")
        id_type = pw.CharField(max_length=16, default="resident_id")
        id_number = pw.CharField(max_length=32, default="")
        phone = pw.CharField(max_length=32, default="")
        phone2 = pw.CharField(max_length=32, default="")
        occupation = pw.CharField(max_length=64, default="")
        employer = pw.CharField(max_length=128, default="")
        work_address = pw.CharField(max_length=256, default="")
        education = pw.CharField(max_length=32, default="")
        hometown = pw.CharField(max_length=64, default="")
        note = pw.TextField(default="")
        created_at = pw.DateTimeField(default=datetime.datetime.now)

        class Meta:
            table_name = "owner"

    class Ownership(Base):
        house = pw.ForeignKeyField(House, backref="ownerships", on_delete="RESTRICT")
        owner = pw.ForeignKeyField(Owner, backref="ownerships", on_delete="RESTRICT")
        is_primary = pw.BooleanField(default=True)
        since = pw.DateField(null=True)
        until = pw.DateField(null=True)

        class Meta:
            table_name = "ownership"

    class Resident(Base):
        house = pw.ForeignKeyField(House, backref="residents", on_delete="RESTRICT")
        kind = pw.CharField(max_length=16)  # member / tenant
        name = pw.CharField(max_length=64)
        relation = pw.CharField(max_length=32, default="")
        age = pw.IntegerField(null=True)
        phone = pw.CharField(max_length=32, default="")
        category = pw.CharField(max_length=16, default="local")
        moved_in = pw.DateField(null=True)
        moved_out = pw.DateField(null=True)
        note = pw.TextField(default="")

        class Meta:
            table_name = "resident"

    class NameKey(Base):
        kind = pw.CharField(max_length=8)  # owner / resident
        ref_id = pw.IntegerField()
        key = pw.CharField(max_length=128, index=True)

        class Meta:
            table_name = "name_key"
            indexes = ((("kind", "ref_id"), False),)

    db.create_tables([Owner, Ownership, Resident, NameKey])
    migrate(
        migrator.add_column("house", "special_needs", pw.CharField(max_length=64, default="")),
        migrator.add_column("house", "handover_date", pw.DateField(null=True)),
        migrator.add_column("house", "household_notes", pw.TextField(default="")),
        # the current owners' names, kept with the house so the list sorts and pages in SQL
        migrator.add_column("house", "owner_names", pw.CharField(max_length=128, default="")),
    )
