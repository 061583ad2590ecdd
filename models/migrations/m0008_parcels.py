"""Parcels (代收包裹): what the front desk took in for a house, where it lies, its pickup
code, who took it away and when, its storage fee (a charge, or waived with a reason), and
the parcels refused at the door with the reason."""
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

    class Parcel(Base):
        house = pw.ForeignKeyField(House, null=True, on_delete="RESTRICT", index=True)
        state = pw.CharField(max_length=16, index=True)  # waiting / picked_up / refused
        courier = pw.CharField(max_length=32, default="")
        tracking = pw.CharField(max_length=64, default="", index=True)
        recipient = pw.CharField(max_length=64, default="")
        phone = pw.CharField(max_length=32, default="")
        shelf = pw.CharField(max_length=16, default="")
        code = pw.CharField(max_length=8, default="", index=True)  # the pickup code, while waiting
        note = pw.CharField(max_length=128, default="")
        received_at = pw.DateTimeField(index=True)
        received_by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL", backref="+")
        refusal = pw.CharField(max_length=128, default="")  # why it was not taken in
        picked_up_at = pw.DateTimeField(null=True, index=True)
        handed_by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL", backref="+")
        proxy_name = pw.CharField(max_length=64, default="")  # picked up for the recipient
        proxy_id_number = pw.CharField(max_length=32, default="")
        fee = pw.BigIntegerField(default=0)  # fen, by the storage rule at pickup
        charge = pw.ForeignKeyField(Charge, null=True, on_delete="RESTRICT")
        waived_by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL", backref="+")
        waive_reason = pw.CharField(max_length=128, default="")
        called_at = pw.DateTimeField(null=True)  # the owner was reminded

        class Meta:
            table_name = "parcel"

    db.create_tables([Parcel])
