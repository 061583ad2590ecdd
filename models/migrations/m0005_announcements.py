"""Announcements (通知/公告): what the office posted on the notice boards, kept as a history."""
import datetime

import peewee as pw


def apply(db, migrator):
    class Base(pw.Model):
        class Meta:
            database = db

    class AppUser(Base):
        class Meta:
            table_name = "app_user"

    class Announcement(Base):
        kind = pw.CharField(max_length=16)  # water / power / construction / general
        title = pw.CharField(max_length=64)
        reason = pw.TextField(default="")
        buildings = pw.CharField(max_length=256, default="")
        starts = pw.DateTimeField(null=True)
        ends = pw.DateTimeField(null=True)
        what_to_do = pw.TextField(default="")
        phone = pw.CharField(max_length=64, default="")
        created_at = pw.DateTimeField(default=datetime.datetime.now, index=True)
        created_by = pw.ForeignKeyField(AppUser, null=True, on_delete="SET NULL")

        class Meta:
            table_name = "announcement"

    db.create_tables([Announcement])
