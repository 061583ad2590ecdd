"""Gapless document numbers (work orders …): one counter per name (repair-2026), taken
inside the transaction that writes the document, so a rollback gives the number back and
two PCs never get the same one (a row lock on PostgreSQL; SQLite writes one at a time)."""
from __future__ import annotations

import peewee as pw

from models.db import BaseModel, database


class Counter(BaseModel):
    name = pw.CharField(max_length=32, primary_key=True)
    next_number = pw.IntegerField(default=1)

    class Meta:
        table_name = "doc_counter"


def take(name: str) -> int:
    """The next number of the counter `name` (from 1); call inside the document's transaction."""
    Counter.insert(name=name, next_number=1).on_conflict_ignore().execute()
    query = Counter.select().where(Counter.name == name)
    if not isinstance(database.obj, pw.SqliteDatabase):
        query = query.for_update()
    number = query.get().next_number
    Counter.update(next_number=number + 1).where(Counter.name == name).execute()
    return number
