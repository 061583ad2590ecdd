"""Keys (钥匙) the front desk keeps: public parts' keys and house keys in custody, with
their tag, hook and copies; and each loan of a key: to whom (an owner, a resident, a
delegate with the owner's letter and confirmation, staff, a contractor), who approved a
public part's key, when it is due back, and how it came back (returned, lost, or handed
back to its owner for good)."""
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

    class DeskKey(Base):
        tag = pw.CharField(max_length=16, unique=True)  # the number on its tag
        name = pw.CharField(max_length=64)  # 3栋水泵房, 5-1-302 大门
        kind = pw.CharField(max_length=16)  # public / house
        house = pw.ForeignKeyField(House, null=True, on_delete="RESTRICT")
        position = pw.CharField(max_length=32, default="")  # hook or cabinet
        copies = pw.IntegerField(default=1)
        responsible = pw.CharField(max_length=64, default="")  # a public part's keeper, who approves loans
        note = pw.CharField(max_length=128, default="")
        active = pw.BooleanField(default=True)

        class Meta:
            table_name = "desk_key"

    class KeyLoan(Base):
        key = pw.ForeignKeyField(DeskKey, on_delete="RESTRICT", index=True)
        state = pw.CharField(max_length=16, index=True)  # out / returned / lost / handed_back
        borrower_kind = pw.CharField(max_length=16)  # owner / resident / delegate / staff / contractor
        borrower = pw.CharField(max_length=64)
        phone = pw.CharField(max_length=32, default="")
        id_number = pw.CharField(max_length=32, default="")  # a delegate's, checked on the spot
        letter_received = pw.BooleanField(default=False)  # the owner's 钥匙委托书
        confirmed_how = pw.CharField(max_length=16, default="")  # phone / in_person / message
        confirmed_at = pw.DateTimeField(null=True)
        approved_by = pw.CharField(max_length=64, default="")  # the public part's keeper
        purpose = pw.CharField(max_length=128, default="")
        lent_at = pw.DateTimeField(index=True)
        lent_by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL", backref="+")
        due_at = pw.DateTimeField(index=True)
        closed_at = pw.DateTimeField(null=True)
        closed_by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL", backref="+")
        returned_by = pw.CharField(max_length=64, default="")  # who brought it back
        note = pw.CharField(max_length=128, default="")

        class Meta:
            table_name = "key_loan"

    db.create_tables([DeskKey, KeyLoan])
