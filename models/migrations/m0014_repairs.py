"""Repairs (报修): technicians, gapless document counters, work orders with their steps
and the return visits they owe."""
import peewee as pw


def apply(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db

    class AppUser(Base):
        class Meta:
            table_name = "app_user"

    class House(Base):
        class Meta:
            table_name = "house"

    class Charge(Base):
        class Meta:
            table_name = "charge"

    class Counter(Base):
        name = pw.CharField(max_length=32, primary_key=True)
        next_number = pw.IntegerField(default=1)

        class Meta:
            table_name = "doc_counter"

    class Technician(Base):
        name = pw.CharField(max_length=32)
        phone = pw.CharField(max_length=32, default="")
        trade = pw.CharField(max_length=32, default="")
        active = pw.BooleanField(default=True)

        class Meta:
            table_name = "technician"

    class Repair(Base):
        year = pw.IntegerField()
        number = pw.IntegerField()
        state = pw.CharField(max_length=16, index=True)
        house = pw.ForeignKeyField(House, null=True, on_delete="RESTRICT", index=True)
        channel = pw.CharField(max_length=8, default="phone")
        reporter = pw.CharField(max_length=64)
        phone = pw.CharField(max_length=32, default="")
        place = pw.CharField(max_length=64, default="")
        what = pw.CharField(max_length=256)
        category = pw.CharField(max_length=16, index=True)
        urgency = pw.CharField(max_length=8, default="normal")
        reported_at = pw.DateTimeField(index=True)
        received_by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL", backref="+")
        dispatch_due = pw.DateTimeField()
        answered_at = pw.DateTimeField(null=True)
        answer_note = pw.CharField(max_length=128, default="")
        technician = pw.ForeignKeyField(Technician, null=True, on_delete="RESTRICT")
        dispatched_at = pw.DateTimeField(null=True)
        appointment_at = pw.DateTimeField(null=True)
        completed_at = pw.DateTimeField(null=True, index=True)
        first_completed_at = pw.DateTimeField(null=True)
        materials = pw.CharField(max_length=256, default="")
        labour_minutes = pw.IntegerField(default=0)
        verdict = pw.CharField(max_length=16, default="")
        amount = pw.BigIntegerField(default=0)
        charge = pw.ForeignKeyField(Charge, null=True, on_delete="RESTRICT")
        leak_test_at = pw.DateTimeField(null=True)
        visit_due = pw.DateTimeField(null=True, index=True)
        reworks = pw.IntegerField(default=0)

        class Meta:
            table_name = "repair"
            indexes = ((("year", "number"), True),)

    class RepairEvent(Base):
        repair = pw.ForeignKeyField(Repair, on_delete="CASCADE", index=True)
        at = pw.DateTimeField()
        user = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL", backref="+")
        kind = pw.CharField(max_length=16)
        note = pw.CharField(max_length=256, default="")
        result = pw.CharField(max_length=16, default="")

        class Meta:
            table_name = "repair_event"

    class RepairVisit(Base):
        repair = pw.ForeignKeyField(Repair, on_delete="CASCADE", index=True)
        due_at = pw.DateTimeField(index=True)
        done_at = pw.DateTimeField(null=True)
        done_by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL", backref="+")
        how = pw.CharField(max_length=8, default="")
        ok = pw.BooleanField(null=True)
        note = pw.CharField(max_length=256, default="")

        class Meta:
            table_name = "repair_visit"

    db.create_tables([Counter, Technician, Repair, RepairEvent, RepairVisit])
    # the figures read completions and events of a month
    db.execute_sql("CREATE INDEX IF NOT EXISTS repair_first_completed_at ON repair (first_completed_at)")
    db.execute_sql("CREATE INDEX IF NOT EXISTS repair_event_kind_at ON repair_event (kind, at)")
