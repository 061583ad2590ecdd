"""Charges taken at the counter (issue 20): the office's price list of paid services
(有偿特约服务收费标准), starting with the seeds' own line (房屋租赁: 房租的40%, market 50%);
and a charge posted at the counter for its payment alone is withdrawn when that receipt is
voided (`withdrawn`), never left owing."""
import peewee as pw
from playhouse.migrate import migrate


def apply(db, migrator):
    class FeeItem(pw.Model):
        code = pw.CharField(max_length=32, unique=True)

        class Meta:
            database = db
            table_name = "fee_item"

    class PriceEntry(pw.Model):
        name = pw.CharField(max_length=64, unique=True)
        item = pw.ForeignKeyField(FeeItem, on_delete="RESTRICT")
        pricing = pw.CharField(max_length=8)
        price = pw.BigIntegerField(default=0)
        unit = pw.CharField(max_length=16, default="")
        share = pw.CharField(max_length=8, default="")
        base = pw.CharField(max_length=32, default="")
        note = pw.CharField(max_length=128, default="")
        active = pw.BooleanField(default=True)
        sort_order = pw.IntegerField(default=0)

        class Meta:
            database = db
            table_name = "price_entry"

    db.create_tables([PriceEntry], safe=True)
    service = FeeItem.get_or_none(FeeItem.code == "service_paid")
    if service is not None and not PriceEntry.select().exists():
        PriceEntry.create(name="房屋租赁代理（业主）", item=service, pricing="share", share="40", base="月租金",
                          note="市场价 房租的50%")
    # safe to run again on a file that has it (a test upgrades a copy marked older than it is)
    if "withdrawn" not in {c.name for c in db.get_columns("charge")}:
        migrate(migrator.add_column("charge", "withdrawn", pw.BooleanField(default=False)))
