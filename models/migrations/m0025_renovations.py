"""Renovation cases (issue 20): the application with its workers, the approvals, the
papers signed, the deposit and debris fee on their receipt, the permit, inspections,
rectification notices, waterproofing tests, the final inspection and the refund; and the
fee item the office keeps a deposit's deductions under."""
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

    class FeeItem(pw.Model):
        code = pw.CharField(max_length=32, unique=True)
        name = pw.CharField(max_length=64)
        kind = pw.CharField(max_length=16)
        unit_price = pw.BigIntegerField(default=0)
        unit = pw.CharField(max_length=16, default="")
        rounding = pw.CharField(max_length=16, default="half_up")
        tiers = pw.TextField(default="")
        tier_period = pw.CharField(max_length=8, default="month")
        active = pw.BooleanField(default=True)
        sort_order = pw.IntegerField(default=0)
        note = pw.TextField(default="")

        class Meta:
            database = db
            table_name = "fee_item"

    class Renovation(pw.Model):
        year = pw.IntegerField()
        number = pw.IntegerField()
        house = pw.ForeignKeyField(House, on_delete="RESTRICT", index=True)
        applicant = pw.CharField(max_length=64)
        phone = pw.CharField(max_length=32, default="")
        contractor = pw.CharField(max_length=64)
        licence = pw.CharField(max_length=64, default="")
        contractor_phone = pw.CharField(max_length=32, default="")
        scope = pw.TextField()
        risks = pw.CharField(max_length=64, default="")  # keys of RISKS, comma-separated
        planned_start = pw.DateField()
        planned_end = pw.DateField()
        state = pw.CharField(max_length=16, default="applied", index=True)
        applied_at = pw.DateTimeField()
        applied_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        desk_at = pw.DateTimeField(null=True)
        desk_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        engineering_at = pw.DateTimeField(null=True)
        engineering_name = pw.CharField(max_length=64, default="")  # the engineer who signed the form
        engineering_note = pw.CharField(max_length=256, default="")
        supervisor_at = pw.DateTimeField(null=True)
        supervisor_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        refused_reason = pw.CharField(max_length=256, default="")
        signed_at = pw.DateTimeField(null=True)
        signed_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        receipt = pw.ForeignKeyField(Receipt, null=True, on_delete="RESTRICT", backref="+")
        deposit = pw.BigIntegerField(default=0)  # fen held for this case
        debris_fee = pw.BigIntegerField(default=0)
        permit_at = pw.DateTimeField(null=True)
        permit_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        state_before = pw.CharField(max_length=16, default="")  # the house's state before the works
        final_at = pw.DateTimeField(null=True)
        final_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        final_note = pw.TextField(default="")
        refund = pw.ForeignKeyField(Receipt, null=True, on_delete="RESTRICT", backref="+")
        closed_at = pw.DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "renovation"
            indexes = ((("year", "number"), True),)

    class Worker(pw.Model):
        renovation = pw.ForeignKeyField(Renovation, backref="workers", on_delete="CASCADE", index=True)
        seq = pw.IntegerField()
        name = pw.CharField(max_length=32)
        id_number = pw.CharField(max_length=32)
        phone = pw.CharField(max_length=32, default="")
        trade = pw.CharField(max_length=32, default="")

        class Meta:
            database = db
            table_name = "renovation_worker"

    class Inspection(pw.Model):
        renovation = pw.ForeignKeyField(Renovation, backref="inspections", on_delete="CASCADE", index=True)
        at = pw.DateTimeField()
        by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        final = pw.BooleanField(default=False)
        findings = pw.TextField(default="")
        debris_ok = pw.BooleanField(default=True)
        after_hours = pw.BooleanField(default=False)
        passed = pw.BooleanField(default=True)

        class Meta:
            database = db
            table_name = "renovation_inspection"

    class Rectification(pw.Model):
        renovation = pw.ForeignKeyField(Renovation, backref="rectifications", on_delete="CASCADE", index=True)
        inspection = pw.ForeignKeyField(Inspection, null=True, on_delete="SET NULL")
        year = pw.IntegerField()
        number = pw.IntegerField()
        what = pw.TextField()
        issued_at = pw.DateTimeField()
        issued_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        deadline = pw.DateField()
        checked_at = pw.DateTimeField(null=True)
        checked_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        check_note = pw.CharField(max_length=256, default="")

        class Meta:
            database = db
            table_name = "renovation_rectification"
            indexes = ((("year", "number"), True),)

    class WaterTest(pw.Model):
        renovation = pw.ForeignKeyField(Renovation, backref="tests", on_delete="CASCADE", index=True)
        kind = pw.CharField(max_length=16)
        area = pw.CharField(max_length=32)  # 卫生间, 厨房, 阳台 …
        started_at = pw.DateTimeField()
        started_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        hours = pw.IntegerField()  # the office's setting when it started
        read_at = pw.DateTimeField(null=True)
        read_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        passed = pw.BooleanField(null=True)  # None: still running
        note = pw.CharField(max_length=256, default="")

        class Meta:
            database = db
            table_name = "renovation_test"

    db.create_tables([Renovation, Worker, Inspection, Rectification, WaterTest], safe=True)
    if FeeItem.get_or_none(FeeItem.code == "deposit_deduction") is None:
        last = FeeItem.select(pw.fn.MAX(FeeItem.sort_order)).scalar() or 0
        FeeItem.create(code="deposit_deduction", name="保证金扣款", kind="oneoff", unit="", sort_order=last + 10)
