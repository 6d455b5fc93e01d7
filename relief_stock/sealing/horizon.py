"""How far the ledger may be sealed: the id below which no movement can still appear.

Ids are handed out when a movement is inserted but become visible when its transaction commits, and
on PostgreSQL concurrent transactions commit out of id order: sealing up to the largest visible id
could skip movement 41 that commits after 42 was sealed. So on PostgreSQL the horizon is the
sequence's last value L, read *before* the list of this database's open transactions; we then wait
until those have ended. Every id <= L was drawn by a transaction that already had a transaction id
when the list was read (the one writer, `stock.ledger.post`, updates the batch row before it inserts
the movement), so once they have ended each id <= L is committed or gone for good. Writers are never
blocked: we only wait.

SQLite has one writer at a time and assigns ids inside its write lock, so the largest committed id
is the horizon.
"""

import time

from sqlalchemy import text

from ..extensions import db

WAIT_SECONDS = 30.0  # longer than any stock transaction; a longer one postpones sealing to the next run


class HorizonTimeout(Exception):
    """A transaction that may hold movement ids stayed open too long; seal again later."""


def sealable_horizon(*, wait_seconds: float = WAIT_SECONDS) -> int:
    """The largest movement id up to which the set of movements is final (0 for an empty ledger)."""
    if db.engine.dialect.name != "postgresql":
        return db.session.scalar(text("SELECT coalesce(max(id), 0) FROM movements"))
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        sequence = connection.scalar(text("SELECT pg_get_serial_sequence('movements', 'id')"))
        row = connection.execute(text(f"SELECT last_value, is_called FROM {sequence}")).one()
        horizon = row.last_value if row.is_called else row.last_value - 1
        # Only transactions of this database can hold movement ids; xids are server-wide, so a long
        # transaction elsewhere on the server (another database, a dump) must not hold sealing up.
        # backend_xid is read live from the process array: a transaction is gone from it exactly
        # when new snapshots can see its rows (the commit log says "committed" a moment earlier).
        open_xids = list(
            connection.scalars(
                text(
                    "SELECT backend_xid::text FROM pg_stat_activity WHERE datname = current_database()"
                    " AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
                )
            )
        )
        still_open = text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND backend_xid::text = ANY(:xids)"
        )
        deadline = time.monotonic() + wait_seconds
        delay = 0.002
        while open_xids and connection.scalar(still_open, {"xids": open_xids}):
            if time.monotonic() > deadline:
                raise HorizonTimeout(f"transactions {', '.join(open_xids)} are still open")
            time.sleep(delay)
            delay = min(delay * 2, 0.2)
    return horizon
