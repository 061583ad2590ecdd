"""The desk's registers, first part (issue 21): phone and desk messages (留言/转告) and the
shift handover (交接班) with the open items it carried over."""
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

    class Complaint(pw.Model):
        class Meta:
            database = db
            table_name = "complaint"

    class Message(pw.Model):
        year = pw.IntegerField()
        number = pw.IntegerField()
        taken_at = pw.DateTimeField(index=True)
        taken_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        how = pw.CharField(max_length=8, default="phone")
        caller = pw.CharField(max_length=64)
        phone = pw.CharField(max_length=32, default="")
        house = pw.ForeignKeyField(House, null=True, on_delete="RESTRICT", index=True)
        for_whom = pw.CharField(max_length=64)
        about = pw.CharField(max_length=300)
        reply_by = pw.DateTimeField(null=True)
        done_at = pw.DateTimeField(null=True, index=True)
        done_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        outcome = pw.CharField(max_length=200, default="")
        repair = pw.ForeignKeyField(Repair, null=True, on_delete="SET NULL", backref="+")
        complaint = pw.ForeignKeyField(Complaint, null=True, on_delete="SET NULL", backref="+")

        class Meta:
            database = db
            table_name = "desk_message"
            indexes = ((("year", "number"), True),)

    class Handover(pw.Model):
        at = pw.DateTimeField(index=True)
        by = pw.ForeignKeyField(User, on_delete="RESTRICT", backref="+")
        to_user = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        note = pw.TextField(default="")
        cash = pw.BigIntegerField(null=True)  # fen counted in the cash box, where the office hands cash over
        confirmed_at = pw.DateTimeField(null=True, index=True)
        confirmed_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        confirm_note = pw.CharField(max_length=200, default="")

        class Meta:
            database = db
            table_name = "shift_handover"

    class HandoverItem(pw.Model):
        handover = pw.ForeignKeyField(Handover, backref="items", on_delete="CASCADE", index=True)
        kind = pw.CharField(max_length=16)
        number = pw.CharField(max_length=32, default="")
        about = pw.CharField(max_length=200, default="")
        record_table = pw.CharField(max_length=32, default="")
        record_id = pw.IntegerField(default=0)

        class Meta:
            database = db
            table_name = "shift_handover_item"

    db.create_tables([Message, Handover, HandoverItem], safe=True)
