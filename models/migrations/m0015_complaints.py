"""Complaints (投诉) and the enquiries, suggestions and praise beside them, with their
steps; the clerk who recorded one owns it until it is closed."""
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

    class Complaint(Base):
        year = pw.IntegerField()
        number = pw.IntegerField()
        kind = pw.CharField(max_length=16, default="complaint", index=True)
        channel = pw.CharField(max_length=8, default="phone")
        house = pw.ForeignKeyField(House, null=True, on_delete="RESTRICT", index=True)
        name = pw.CharField(max_length=64)
        phone = pw.CharField(max_length=32, default="")
        happened_at = pw.DateTimeField(null=True)
        place = pw.CharField(max_length=64, default="")
        about = pw.CharField(max_length=64, default="")
        what = pw.CharField(max_length=512)
        asks = pw.CharField(max_length=256, default="")
        asked_by = pw.DateTimeField(null=True)
        recorded_at = pw.DateTimeField(index=True)
        owner = pw.ForeignKeyField(AppUser, on_delete="RESTRICT", backref="+")
        simple = pw.BooleanField(default=False)
        klass = pw.CharField(max_length=16, default="")
        valid = pw.BooleanField(null=True)
        declined_reason = pw.CharField(max_length=256, default="")
        first_answer_at = pw.DateTimeField(null=True)
        escalated_at = pw.DateTimeField(null=True)
        escalated_to = pw.CharField(max_length=64, default="")
        closed_at = pw.DateTimeField(null=True, index=True)
        result = pw.CharField(max_length=512, default="")

        class Meta:
            table_name = "complaint"
            indexes = ((("year", "number"), True),)

    class ComplaintStep(Base):
        complaint = pw.ForeignKeyField(Complaint, on_delete="CASCADE", index=True)
        at = pw.DateTimeField()
        user = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL", backref="+")
        kind = pw.CharField(max_length=16)
        note = pw.CharField(max_length=512, default="")

        class Meta:
            table_name = "complaint_step"

    db.create_tables([Complaint, ComplaintStep])
