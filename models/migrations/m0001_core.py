"""Users, office settings, the audit log, and the estate: profile, buildings, units, houses."""
import datetime

import peewee as pw


def apply(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db

    class AppUser(Base):
        username = pw.CharField(max_length=64, unique=True)
        full_name = pw.CharField(max_length=64, default="")
        password_hash = pw.TextField()
        roles = pw.CharField(max_length=128, default="")
        active = pw.BooleanField(default=True)
        created_at = pw.DateTimeField(default=datetime.datetime.now)

        class Meta:
            table_name = "app_user"

    class OfficeSetting(Base):
        key = pw.CharField(max_length=64, primary_key=True)
        value = pw.TextField()

        class Meta:
            table_name = "office_setting"

    class AuditEntry(Base):
        at = pw.DateTimeField(index=True)
        user = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL")
        username = pw.CharField(max_length=64)
        action = pw.CharField(max_length=64, index=True)
        target_type = pw.CharField(max_length=32, default="")
        target_id = pw.IntegerField(null=True)
        summary = pw.TextField(default="")
        detail = pw.TextField(default="{}")

        class Meta:
            table_name = "audit_entry"
            indexes = ((("target_type", "target_id"), False),)

    class EstateProfile(Base):
        name = pw.CharField(max_length=128, default="")
        address = pw.CharField(max_length=256, default="")
        postal_code = pw.CharField(max_length=16, default="")
        police_station = pw.CharField(max_length=128, default="")
        households = pw.IntegerField(default=0)
        buildings = pw.IntegerField(default=0)
        shops = pw.IntegerField(default=0)
        parking_spaces = pw.IntegerField(default=0)
        managed_area = pw.BigIntegerField(default=0)  # hundredths of a square metre
        nearby_schools = pw.TextField(default="")
        office_name = pw.CharField(max_length=128, default="")
        office_phone = pw.CharField(max_length=64, default="")
        office_hours = pw.CharField(max_length=128, default="")
        office_address = pw.CharField(max_length=256, default="")

        class Meta:
            table_name = "estate_profile"

    class Building(Base):
        code = pw.CharField(max_length=16, unique=True)
        name = pw.CharField(max_length=64)
        sort_key = pw.IntegerField(default=0, index=True)
        floors = pw.IntegerField(default=0)
        note = pw.TextField(default="")

        class Meta:
            table_name = "building"

    class Unit(Base):
        building = pw.ForeignKeyField(Building, backref="units", on_delete="RESTRICT")
        code = pw.CharField(max_length=16)
        name = pw.CharField(max_length=64)

        class Meta:
            table_name = "unit"
            indexes = ((("building", "code"), True),)

    class House(Base):
        unit = pw.ForeignKeyField(Unit, backref="houses", on_delete="RESTRICT")
        number = pw.CharField(max_length=16)
        label = pw.CharField(max_length=48, index=True)
        sort_code = pw.CharField(max_length=64, index=True)  # zero-padded, for natural order
        floor = pw.IntegerField(default=0)
        area = pw.IntegerField()  # hundredths of a square metre
        use = pw.CharField(max_length=16)
        right_type = pw.CharField(max_length=16)
        state = pw.CharField(max_length=16)
        note = pw.TextField(default="")

        class Meta:
            table_name = "house"
            indexes = ((("unit", "number"), True),)

    db.create_tables([AppUser, OfficeSetting, AuditEntry, EstateProfile, Building, Unit, House])
