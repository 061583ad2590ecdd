"""Meter readings (抄表) and shared totals (公摊) that the billing run turns into charges,
and the dunning ladder (催缴): notices sent and calls made to a house that owes."""
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

    class Building(Base):
        class Meta:
            table_name = "building"

    class FeeItem(Base):
        class Meta:
            table_name = "fee_item"

    class Subscription(Base):
        class Meta:
            table_name = "subscription"

    class Meter(Base):
        """The meter behind a house's metered subscription, when it differs from the default
        (5 digits, starting at 0): its serial, its digits (a reading rolls over past
        10^digits − 1), the reading it started from."""
        subscription = pw.ForeignKeyField(Subscription, unique=True, on_delete="CASCADE")
        serial = pw.CharField(max_length=32, default="")
        digits = pw.IntegerField(default=5)
        initial = pw.BigIntegerField(default=0)
        fitted_on = pw.DateField(null=True)

        class Meta:
            table_name = "meter"

    class Reading(Base):
        subscription = pw.ForeignKeyField(Subscription, on_delete="CASCADE")
        period = pw.CharField(max_length=7)  # the month the usage is billed for
        previous = pw.BigIntegerField()  # the reading it counts from
        reading = pw.BigIntegerField()
        usage = pw.BigIntegerField()
        status = pw.CharField(max_length=16, default="normal")  # normal / rollover / replaced
        old_final = pw.BigIntegerField(null=True)  # replaced: the old meter's last reading
        new_start = pw.BigIntegerField(null=True)  # replaced: the new meter's first reading
        read_on = pw.DateField()
        entered_at = pw.DateTimeField()
        entered_by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL")
        note = pw.CharField(max_length=128, default="")
        billed = pw.BooleanField(default=False)  # a charge was posted from it: it is kept as it is

        class Meta:
            table_name = "meter_reading"
            indexes = ((("subscription", "period"), True), (("billed", "period"), False))

    class SharedTotal(Base):
        """A month's shared utility total (公摊), split by area or per household among the
        houses subscribed to the item, in the whole estate or one building."""
        item = pw.ForeignKeyField(FeeItem, on_delete="RESTRICT")
        period = pw.CharField(max_length=7)
        building = pw.ForeignKeyField(Building, null=True, on_delete="RESTRICT")
        total = pw.BigIntegerField()  # fen
        basis = pw.CharField(max_length=16, default="area")  # area / household
        note = pw.CharField(max_length=128, default="")
        entered_at = pw.DateTimeField()
        entered_by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL")
        posted = pw.BooleanField(default=False)

        class Meta:
            table_name = "shared_total"

    class DunningStep(Base):
        house = pw.ForeignKeyField(House, on_delete="CASCADE", index=True)
        kind = pw.CharField(max_length=16)  # notice / call / dunning
        at = pw.DateTimeField()
        by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL")
        result = pw.CharField(max_length=16, default="")  # a call: reached / promised / no_answer / refused
        promised_on = pw.DateField(null=True)
        owed = pw.BigIntegerField(default=0)  # fen owed when the step was taken
        months = pw.IntegerField(default=0)
        note = pw.CharField(max_length=256, default="")

        class Meta:
            table_name = "dunning_step"

    db.create_tables([Meter, Reading, SharedTotal, DunningStep])
    # a building's share is one row a month; the whole estate's too (building NULL is not
    # unique in SQL, so the estate-wide row is kept single by the code, under a lock)
    db.execute_sql("CREATE UNIQUE INDEX shared_total_item_period_building ON shared_total "
                   "(item_id, period, building_id)")
