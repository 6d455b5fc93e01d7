"""Database-backed job leases: exactly one process runs a job, however many schedulers are started.

A lease is one row of `job_locks`, taken by a conditional UPDATE (free, or expired after a crash, and
not already done for this slot) that the database serialises: of two schedulers firing together, one
UPDATE matches the row and the other matches nothing. Each step commits on its own connection, so the
lease is visible to every other process at once and outlives the job's own transaction.
"""

import os
import socket
import uuid
from datetime import datetime, timedelta

from sqlalchemy import or_, update

from ..database import utcnow
from ..extensions import db
from .models import JobLock

LEASE = timedelta(hours=2)  # longer than any check run; a crashed holder's lease lapses after it


def holder_name() -> str:
    """Who holds a lease: host, process and a random tag (a pid can be reused after a restart)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _ensure_row(connection, name: str) -> None:
    """Create the lock row once; two processes racing here both succeed (ON CONFLICT DO NOTHING)."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    connection.execute(
        insert(JobLock.__table__).values(name=name).on_conflict_do_nothing(index_elements=["name"])
    )


def acquire(
    name: str, holder: str, *, slot: str | None = None, lease: timedelta = LEASE, now: datetime | None = None
) -> bool:
    """Take the lease on job `name` for `holder`. With `slot` (a scheduled time), refuse when that slot
    was already completed by anyone. True when this holder now owns the lease."""
    now = now or utcnow()
    table = JobLock.__table__
    with db.engine.connect() as connection:
        _ensure_row(connection, name)
        connection.commit()
        conditions = [table.c.name == name, or_(table.c.holder.is_(None), table.c.expires_at < now)]
        if slot is not None:
            conditions.append(or_(table.c.done_slot.is_(None), table.c.done_slot != slot))
        taken = connection.execute(
            update(table).where(*conditions).values(holder=holder, acquired_at=now, expires_at=now + lease)
        ).rowcount
        connection.commit()
    return taken == 1


def release(name: str, holder: str, *, done_slot: str | None = None) -> None:
    """Give the lease back; with `done_slot`, record that slot as completed."""
    table = JobLock.__table__
    values = {"holder": None, "expires_at": None}
    if done_slot is not None:
        values["done_slot"] = done_slot
    with db.engine.begin() as connection:
        connection.execute(update(table).where(table.c.name == name, table.c.holder == holder).values(values))
