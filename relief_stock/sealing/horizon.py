"""How far the ledger may be sealed: the id below which no movement can still appear.

Ids are handed out when a movement is inserted but become visible when its transaction commits, and
on PostgreSQL concurrent transactions commit out of id order: sealing up to the largest visible id
could skip movement 41 that commits after 42 was sealed. So on PostgreSQL the horizon is the
sequence's last value L, taken *before* a snapshot S; we then wait until every transaction that was
running at S has ended. Every id <= L was drawn by a transaction that already had a transaction id at
S (the one writer, `stock.ledger.post`, updates the batch row before it inserts the movement), so once
those have ended each id <= L is committed or gone for good. Writers are never blocked: we only wait.

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
        snapshot = connection.scalar(text("SELECT pg_current_snapshot()::text"))
        # Still running = still in a *current* snapshot's list. Not pg_xact_status(): the commit log
        # says "committed" a moment before the transaction leaves the process array, and until then
        # new snapshots (our read of the movements) still cannot see its rows.
        running = text(
            "SELECT count(*) FROM pg_snapshot_xip(CAST(:snapshot AS pg_snapshot)) AS x"
            " WHERE x IN (SELECT pg_snapshot_xip(pg_current_snapshot()))"
        )
        deadline = time.monotonic() + wait_seconds
        delay = 0.002
        while connection.scalar(running, {"snapshot": snapshot}):
            if time.monotonic() > deadline:
                raise HorizonTimeout(f"transactions open since {snapshot} still running")
            time.sleep(delay)
            delay = min(delay * 2, 0.2)
    return horizon
