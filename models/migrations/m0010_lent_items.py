"""Items the front desk lends to owners (物品借用: ladders, tools, carts …): each loan with
the item's condition checked at lending and at return, in front of the borrower, and the
borrower's signature for each (printed on the slip, or drawn on screen and kept)."""
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

    class LendItem(Base):
        tag = pw.CharField(max_length=16, unique=True)
        name = pw.CharField(max_length=64)
        note = pw.CharField(max_length=128, default="")  # what it comes with
        active = pw.BooleanField(default=True)

        class Meta:
            table_name = "lend_item"

    class ItemLoan(Base):
        item = pw.ForeignKeyField(LendItem, on_delete="RESTRICT", index=True)
        state = pw.CharField(max_length=16, index=True)  # out / returned / lost
        house = pw.ForeignKeyField(House, null=True, on_delete="RESTRICT")
        borrower = pw.CharField(max_length=64)
        phone = pw.CharField(max_length=32, default="")
        lent_at = pw.DateTimeField(index=True)
        lent_by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL", backref="+")
        due_at = pw.DateTimeField(index=True)
        condition_out = pw.CharField(max_length=256)
        signature_out = pw.BlobField(null=True)  # PNG drawn on screen
        closed_at = pw.DateTimeField(null=True)
        closed_by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL", backref="+")
        condition_back = pw.CharField(max_length=256, default="")
        signature_back = pw.BlobField(null=True)

        class Meta:
            table_name = "item_loan"

    db.create_tables([LendItem, ItemLoan])
