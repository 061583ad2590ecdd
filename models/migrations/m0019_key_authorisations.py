"""A house's standing key authorisation (常年钥匙委托): the people an owner named once, with
the key authorisation letter (钥匙委托书) and the owner's confirmation, who then take the
house's key in custody on their ID alone; and, on each key loan, the authorisation it was
made under."""
import peewee as pw
from playhouse.migrate import migrate


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

    class KeyAuthorisation(Base):
        house = pw.ForeignKeyField(House, on_delete="RESTRICT", index=True)
        name = pw.CharField(max_length=64)
        id_number = pw.CharField(max_length=32)  # checked on the card when named
        relation = pw.CharField(max_length=32, default="")  # tenant, decorator, relative …
        letter_received = pw.BooleanField(default=True)  # the owner's 钥匙委托书, kept on file
        confirmed_how = pw.CharField(max_length=16)  # phone / in_person / message
        confirmed_at = pw.DateTimeField()
        added_at = pw.DateTimeField()
        added_by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL", backref="+")
        ended_at = pw.DateTimeField(null=True)  # withdrawn by the owner
        ended_by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL", backref="+")
        note = pw.CharField(max_length=128, default="")

        class Meta:
            table_name = "key_authorisation"

    # safe to run again on a file that has them (a test upgrades a copy marked older than it is)
    db.create_tables([KeyAuthorisation], safe=True)
    if "authorisation_id" not in {c.name for c in db.get_columns("key_loan")}:
        migrate(migrator.add_column("key_loan", "authorisation_id", pw.ForeignKeyField(
            KeyAuthorisation, null=True, on_delete="RESTRICT", field=KeyAuthorisation.id)))
