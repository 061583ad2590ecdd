"""The waiting parcels, oldest first, from one index.

With 100,000 parcels in history the planner would otherwise walk the whole intake-time
index (state has only three values, so its own index looks useless to it); an index on
(state, received_at) reads just the waiting ones, already in order.
"""


def apply(db, migrator):
    db.execute_sql("CREATE INDEX IF NOT EXISTS parcel_state_received_at ON parcel (state, received_at)")
