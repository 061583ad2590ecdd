"""Money (收费): fee items and the houses subscribed to them, charges, receipts and their
number series, what each receipt paid, prepaid balances, late-fee waivers."""
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

    class FeeItem(Base):
        code = pw.CharField(max_length=32, unique=True)
        name = pw.CharField(max_length=64)
        kind = pw.CharField(max_length=16)  # area / fixed / metered / shared / deposit / oneoff
        unit_price = pw.BigIntegerField(default=0)  # 1/10,000 yuan: 2.3500 元 is 23500
        unit = pw.CharField(max_length=16, default="")  # 元/m²/月, 元/月, 元/吨 …
        rounding = pw.CharField(max_length=16, default="half_up")
        tiers = pw.TextField(default="")  # metered: JSON [[up_to_units or null, price], …]
        tier_period = pw.CharField(max_length=8, default="month")  # month / year
        active = pw.BooleanField(default=True)
        sort_order = pw.IntegerField(default=0)
        note = pw.TextField(default="")

        class Meta:
            table_name = "fee_item"

    class Subscription(Base):
        house = pw.ForeignKeyField(House, on_delete="CASCADE", index=True)
        item = pw.ForeignKeyField(FeeItem, on_delete="RESTRICT")
        quantity = pw.IntegerField(default=1)  # parking spaces, storage rooms …
        unit_price = pw.BigIntegerField(null=True)  # this house's own price, else the item's
        starts = pw.DateField(null=True)  # the service fee: from the handover date
        ends = pw.DateField(null=True)
        note = pw.CharField(max_length=128, default="")

        class Meta:
            table_name = "subscription"

    class BillingRun(Base):
        period = pw.CharField(max_length=7, index=True)  # 2026-11
        posted_at = pw.DateTimeField()
        posted_by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL")
        charges = pw.IntegerField(default=0)
        total = pw.BigIntegerField(default=0)

        class Meta:
            table_name = "billing_run"

    class Charge(Base):
        house = pw.ForeignKeyField(House, on_delete="RESTRICT", index=True)
        item = pw.ForeignKeyField(FeeItem, on_delete="RESTRICT")
        period = pw.CharField(max_length=7, default="")  # the month charged for; "" for one-off
        description = pw.CharField(max_length=128, default="")
        quantity = pw.CharField(max_length=64, default="")  # as printed: 89.50 m² × 1 月
        unit_price = pw.CharField(max_length=32, default="")  # as printed: 2.5000 元/m²/月
        amount = pw.BigIntegerField()  # fen
        due_date = pw.DateField(index=True)
        late_fee = pw.BooleanField(default=False)  # does it carry a late fee
        posted_at = pw.DateTimeField()
        posted_by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL")
        run = pw.ForeignKeyField(BillingRun, null=True, on_delete="RESTRICT")
        source = pw.CharField(max_length=16, default="billing")  # billing / meter / oneoff / parcel / repair
        key = pw.CharField(max_length=96, null=True, unique=True)  # a billing run never posts twice

        class Meta:
            table_name = "charge"
            indexes = ((("period", "source"), False),)

    class ReceiptSeries(Base):
        code = pw.CharField(max_length=32, unique=True)  # 2026, or a pre-printed book
        prefix = pw.CharField(max_length=16, default="")
        width = pw.IntegerField(default=6)
        next_number = pw.IntegerField(default=1)
        active = pw.BooleanField(default=True)

        class Meta:
            table_name = "receipt_series"

    class NumberRange(Base):
        """Where a series' numbering (re)starts: every number from `first` up to the next
        range's start is issued, voided or spoiled."""
        series = pw.ForeignKeyField(ReceiptSeries, on_delete="CASCADE")
        first = pw.IntegerField()
        last = pw.IntegerField(null=True)  # closed when the next range starts
        set_at = pw.DateTimeField()
        set_by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL")

        class Meta:
            table_name = "number_range"

    class DayClose(Base):
        cashier = pw.ForeignKeyField(AppUser, on_delete="RESTRICT")
        business_date = pw.DateField()
        closed_at = pw.DateTimeField()
        expected_cash = pw.BigIntegerField(default=0)
        counted_cash = pw.BigIntegerField(default=0)
        note = pw.TextField(default="")
        reopened = pw.BooleanField(default=False)

        class Meta:
            table_name = "day_close"
            indexes = ((("cashier", "business_date"), False),)

    class Receipt(Base):
        series = pw.ForeignKeyField(ReceiptSeries, on_delete="RESTRICT")
        number = pw.IntegerField()
        number_text = pw.CharField(max_length=32)
        kind = pw.CharField(max_length=16, default="payment")  # payment / refund
        house = pw.ForeignKeyField(House, on_delete="RESTRICT", index=True)
        payer = pw.CharField(max_length=64, default="")
        method = pw.CharField(max_length=16)  # cash / wechat / alipay / card / transfer
        total = pw.BigIntegerField()  # fen; negative for a refund
        tendered = pw.BigIntegerField(default=0)  # cash handed over
        business_date = pw.DateField(index=True)
        created_at = pw.DateTimeField()
        cashier = pw.ForeignKeyField(AppUser, on_delete="RESTRICT")
        approved_by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL")  # back-dated, refund
        note = pw.CharField(max_length=128, default="")
        void = pw.BooleanField(default=False)
        void_reason = pw.CharField(max_length=256, default="")
        voided_by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL")
        voided_at = pw.DateTimeField(null=True)
        void_date = pw.DateField(null=True)  # the business day the void is posted on
        reprints = pw.IntegerField(default=0)
        invoice_number = pw.CharField(max_length=32, default="")  # 发票 number, when issued
        refund_of = pw.ForeignKeyField("self", null=True, on_delete="RESTRICT")

        class Meta:
            table_name = "receipt"
            indexes = ((("series", "number"), True),)

    class SpoiledNumber(Base):
        series = pw.ForeignKeyField(ReceiptSeries, on_delete="RESTRICT")
        number = pw.IntegerField()
        reason = pw.CharField(max_length=128, default="")
        receipt = pw.ForeignKeyField(Receipt, null=True, on_delete="RESTRICT")  # reprinted on a new form
        at = pw.DateTimeField()
        by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL")

        class Meta:
            table_name = "spoiled_number"
            indexes = ((("series", "number"), True),)

    class BalanceEntry(Base):
        """Money held for a house: prepayments (预存) and deposits (押金/保证金), in and out."""
        house = pw.ForeignKeyField(House, on_delete="RESTRICT", index=True)
        kind = pw.CharField(max_length=16)  # prepay / deposit
        item = pw.ForeignKeyField(FeeItem, null=True, on_delete="RESTRICT")  # earmarked for, or the deposit's item
        amount = pw.BigIntegerField()  # fen: + paid in, − drawn or refunded
        receipt = pw.ForeignKeyField(Receipt, null=True, on_delete="RESTRICT")
        at = pw.DateTimeField()
        business_date = pw.DateField()
        note = pw.CharField(max_length=128, default="")
        void = pw.BooleanField(default=False)

        class Meta:
            table_name = "balance_entry"

    class Settlement(Base):
        """What settled a charge: part of a receipt, or a draw-down of a prepaid balance."""
        charge = pw.ForeignKeyField(Charge, on_delete="RESTRICT", index=True)
        receipt = pw.ForeignKeyField(Receipt, null=True, on_delete="RESTRICT", index=True)
        drawdown = pw.ForeignKeyField(BalanceEntry, null=True, on_delete="RESTRICT")
        principal = pw.BigIntegerField(default=0)  # fen
        late_fee = pw.BigIntegerField(default=0)  # fen
        business_date = pw.DateField()
        void = pw.BooleanField(default=False)

        class Meta:
            table_name = "settlement"

    class Waiver(Base):
        charge = pw.ForeignKeyField(Charge, on_delete="RESTRICT", index=True)
        amount = pw.BigIntegerField()  # fen of late fee waived
        reason = pw.CharField(max_length=256)
        at = pw.DateTimeField()
        business_date = pw.DateField()
        by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL")

        class Meta:
            table_name = "late_fee_waiver"

    db.create_tables([FeeItem, Subscription, BillingRun, Charge, ReceiptSeries, NumberRange, DayClose, Receipt,
                      SpoiledNumber, BalanceEntry, Settlement, Waiver])
    # the items DOMAIN.md names; the office sets the prices. Other processes post to some by code
    # (parcel fees, paid repairs), so those codes always exist.
    standard = [
        ("service", "物业服务费", "area", "元/m²/月"), ("waste", "生活垃圾费", "fixed", "元/户/月"),
        ("water", "水费", "metered", "元/吨"), ("power", "电费", "metered", "元/度"),
        ("shared", "公共水电分摊", "shared", ""), ("parking", "停车费", "fixed", "元/个/月"),
        ("storage", "仓库租金", "fixed", "元/月"), ("heating", "供暖费", "area", "元/m²/月"),
        ("rent", "租金", "fixed", "元/月"), ("renovation_deposit", "装修保证金", "deposit", ""),
        ("debris", "装修垃圾清运费", "oneoff", ""), ("advertising", "广告费", "oneoff", ""),
        ("repair", "维修费", "oneoff", ""), ("service_paid", "有偿服务费", "oneoff", ""),
        ("parcel", "包裹保管费", "oneoff", ""),
    ]
    FeeItem.insert_many([dict(code=c, name=n, kind=k, unit=u, sort_order=i * 10)
                         for i, (c, n, k, u) in enumerate(standard)]).execute()
