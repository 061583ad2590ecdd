"""The office's handbook (应知): the contacts directory (utilities, police, schools,
locksmith, the estate's contractors …) and the paid-service price list (有偿服务价目表)."""
import peewee as pw


def apply(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db

    class Contact(Base):
        category = pw.CharField(max_length=16, index=True)
        name = pw.CharField(max_length=64)  # 自来水公司客服, 某某锁店
        person = pw.CharField(max_length=32, default="")  # the responsible person
        phone = pw.CharField(max_length=64, default="")
        address = pw.CharField(max_length=128, default="")
        note = pw.CharField(max_length=128, default="")

        class Meta:
            table_name = "contact"

    class PriceItem(Base):
        category = pw.CharField(max_length=32, default="")  # 水电维修, 家政, 代办 …
        name = pw.CharField(max_length=64)
        unit = pw.CharField(max_length=16, default="")  # 次, 个, 米 …
        price = pw.BigIntegerField(null=True)  # fen; None when it is a rule (月租金的40%)
        price_text = pw.CharField(max_length=64, default="")
        note = pw.CharField(max_length=128, default="")
        sort_order = pw.IntegerField(default=0)

        class Meta:
            table_name = "price_item"

    db.create_tables([Contact, PriceItem])
