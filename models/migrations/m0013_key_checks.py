"""The periodic count of the key cabinet (钥匙盘点) against the register, with a named
responsible person: each key's copies expected (copies less those out) and counted."""
import peewee as pw


def apply(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db

    class AppUser(Base):
        class Meta:
            table_name = "app_user"

    class DeskKey(Base):
        class Meta:
            table_name = "desk_key"

    class KeyCheck(Base):
        checked_at = pw.DateTimeField(index=True)
        checked_by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL", backref="+")
        responsible = pw.CharField(max_length=64)
        note = pw.CharField(max_length=256, default="")
        short = pw.IntegerField(default=0)
        extra = pw.IntegerField(default=0)

        class Meta:
            table_name = "key_check"

    class KeyCheckLine(Base):
        check = pw.ForeignKeyField(KeyCheck, on_delete="CASCADE", index=True)
        key = pw.ForeignKeyField(DeskKey, on_delete="RESTRICT")
        expected = pw.IntegerField()
        counted = pw.IntegerField()

        class Meta:
            table_name = "key_check_line"

    db.create_tables([KeyCheck, KeyCheckLine])
