"""The desk's registers, second part (issue 21): visitors (访客登记), goods release passes
(放行条), what is left at the desk for someone with mail without a tracking number (寄存、
信件); the daily patrol by route and checkpoints (巡查) with its findings, the facility
register (设施设备) with its faults and maintenance, and incidents (突发事件) with each step
timed."""
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

    class Visitor(pw.Model):
        name = pw.CharField(max_length=64)
        id_type = pw.CharField(max_length=16, default="resident_id")
        id_number = pw.CharField(max_length=32, default="")
        phone = pw.CharField(max_length=32, default="")
        house = pw.ForeignKeyField(House, on_delete="RESTRICT", index=True)
        confirmed_by = pw.CharField(max_length=64)
        purpose = pw.CharField(max_length=128, default="")
        plate = pw.CharField(max_length=16, default="", index=True)
        people = pw.IntegerField(default=1)
        in_at = pw.DateTimeField(index=True)
        in_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        out_at = pw.DateTimeField(null=True, index=True)
        out_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

        class Meta:
            database = db
            table_name = "visitor"

    class ReleasePass(pw.Model):
        year = pw.IntegerField()
        number = pw.IntegerField()
        house = pw.ForeignKeyField(House, on_delete="RESTRICT", index=True)
        applicant = pw.CharField(max_length=64)
        applicant_kind = pw.CharField(max_length=8)  # owner / tenant
        authorised_by = pw.CharField(max_length=64, default="")  # the owner, for a tenant
        authorised_how = pw.CharField(max_length=16, default="")
        authorised_at = pw.DateTimeField(null=True)
        items = pw.CharField(max_length=300)
        vehicle = pw.CharField(max_length=16, default="")
        moving_out = pw.BooleanField(default=False)
        arrears = pw.BigIntegerField(default=0)  # fen the house owed when the pass was issued
        valid_on = pw.DateField(index=True)
        issued_at = pw.DateTimeField(index=True)
        issued_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        used_at = pw.DateTimeField(null=True)
        used_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        gate_note = pw.CharField(max_length=128, default="")
        voided_at = pw.DateTimeField(null=True)
        void_reason = pw.CharField(max_length=128, default="")

        class Meta:
            database = db
            table_name = "release_pass"
            indexes = ((("year", "number"), True),)

    class LeftItem(pw.Model):
        kind = pw.CharField(max_length=16)
        what = pw.CharField(max_length=128)
        number = pw.CharField(max_length=32, default="")  # a registered letter's number
        for_whom = pw.CharField(max_length=64)
        house = pw.ForeignKeyField(House, null=True, on_delete="RESTRICT", index=True)
        phone = pw.CharField(max_length=32, default="")
        left_by = pw.CharField(max_length=64, default="")
        place = pw.CharField(max_length=32, default="")
        left_at = pw.DateTimeField(index=True)
        taken_in_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        collected_at = pw.DateTimeField(null=True, index=True)
        collected_by = pw.CharField(max_length=64, default="")
        handed_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

        class Meta:
            database = db
            table_name = "left_item"

    class Repair(pw.Model):
        class Meta:
            database = db
            table_name = "repair"

    class Facility(pw.Model):
        kind = pw.CharField(max_length=16, index=True)
        name = pw.CharField(max_length=64)
        place = pw.CharField(max_length=64)
        count = pw.IntegerField(default=1)
        faulty = pw.IntegerField(default=0)
        contractor = pw.CharField(max_length=64, default="")
        contractor_phone = pw.CharField(max_length=32, default="")
        every_days = pw.IntegerField(default=0)  # maintained every N days; 0: not on a schedule
        maintained_on = pw.DateField(null=True)
        expires_on = pw.DateField(null=True)  # an extinguisher's date
        note = pw.CharField(max_length=200, default="")
        active = pw.BooleanField(default=True)

        class Meta:
            database = db
            table_name = "facility"

    class FacilityEvent(pw.Model):
        facility = pw.ForeignKeyField(Facility, backref="events", on_delete="CASCADE", index=True)
        kind = pw.CharField(max_length=16)  # fault / fixed / maintained
        count = pw.IntegerField(default=0)
        what = pw.CharField(max_length=200, default="")
        repair = pw.ForeignKeyField(Repair, null=True, on_delete="SET NULL", backref="+")
        at = pw.DateTimeField(index=True)
        by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

        class Meta:
            database = db
            table_name = "facility_event"

    class PatrolRoute(pw.Model):
        name = pw.CharField(max_length=64, unique=True)
        active = pw.BooleanField(default=True)

        class Meta:
            database = db
            table_name = "patrol_route"

    class Checkpoint(pw.Model):
        route = pw.ForeignKeyField(PatrolRoute, backref="checkpoints", on_delete="CASCADE", index=True)
        name = pw.CharField(max_length=64)
        sort_order = pw.IntegerField(default=0)
        active = pw.BooleanField(default=True)

        class Meta:
            database = db
            table_name = "patrol_checkpoint"

    class PatrolRound(pw.Model):
        route = pw.ForeignKeyField(PatrolRoute, on_delete="RESTRICT", index=True)
        started_at = pw.DateTimeField(index=True)
        by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        walker = pw.CharField(max_length=64)
        finished_at = pw.DateTimeField(null=True)
        note = pw.CharField(max_length=200, default="")

        class Meta:
            database = db
            table_name = "patrol_round"

    class PatrolCheck(pw.Model):
        round = pw.ForeignKeyField(PatrolRound, backref="checks", on_delete="CASCADE", index=True)
        checkpoint = pw.ForeignKeyField(Checkpoint, null=True, on_delete="SET NULL", backref="+")
        place = pw.CharField(max_length=64)
        ok = pw.BooleanField(default=True)
        what = pw.CharField(max_length=200, default="")
        photo_hash = pw.CharField(max_length=64, default="")
        photo_name = pw.CharField(max_length=128, default="")
        facility = pw.ForeignKeyField(Facility, null=True, on_delete="SET NULL", backref="+")
        repair = pw.ForeignKeyField(Repair, null=True, on_delete="SET NULL", backref="+")
        at = pw.DateTimeField()

        class Meta:
            database = db
            table_name = "patrol_check"

    class Incident(pw.Model):
        year = pw.IntegerField()
        number = pw.IntegerField()
        kind = pw.CharField(max_length=16)
        happened_at = pw.DateTimeField(index=True)
        place = pw.CharField(max_length=64)
        house = pw.ForeignKeyField(House, null=True, on_delete="RESTRICT", index=True)
        what = pw.CharField(max_length=300)
        reported_by = pw.CharField(max_length=64, default="")
        opened_at = pw.DateTimeField()
        opened_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        closed_at = pw.DateTimeField(null=True, index=True)
        closed_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        summary = pw.TextField(default="")

        class Meta:
            database = db
            table_name = "incident"
            indexes = ((("year", "number"), True),)

    class IncidentStep(pw.Model):
        incident = pw.ForeignKeyField(Incident, backref="steps", on_delete="CASCADE", index=True)
        kind = pw.CharField(max_length=16)  # called / reported / arrived / action / resolved
        at = pw.DateTimeField()
        who = pw.CharField(max_length=64, default="")
        note = pw.CharField(max_length=200, default="")
        recorded_at = pw.DateTimeField()
        recorded_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

        class Meta:
            database = db
            table_name = "incident_step"

    db.create_tables([Visitor, ReleasePass, LeftItem, Facility, FacilityEvent, PatrolRoute, Checkpoint, PatrolRound,
                      PatrolCheck, Incident, IncidentStep], safe=True)
