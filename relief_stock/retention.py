"""How long the two append-only logs that are no record of stock are kept: the scan log and the
stored answers that make form posts and API writes replay-safe. The daily job purges both.

The movement ledger is never purged (it is the truth the balances are proven against). A scan log
row only says who looked at what; a stored answer only has to outlive the retries of a flaky
network. Periods come from app config (days): SCAN_EVENTS_KEEP_DAYS (default 365) and
IDEMPOTENCY_KEYS_KEEP_DAYS (default 7). Like an operation, `purge_expired` flushes and leaves the
commit to its caller.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app

from .database import utcnow
from .extensions import db
from .idempotency import IdempotencyKey
from .scanning.models import ScanEvent

DEFAULT_KEEP_DAYS = {"SCAN_EVENTS_KEEP_DAYS": 365, "IDEMPOTENCY_KEYS_KEEP_DAYS": 7}


@dataclass(frozen=True)
class Purged:
    scan_events: int
    idempotency_keys: int

    def __str__(self) -> str:
        return f"purged {self.scan_events} scan events, {self.idempotency_keys} idempotency keys"


def keep_days(key: str) -> int:
    """The configured period in whole days (at least 1, so a typo never empties a log at once)."""
    value = int(current_app.config.get(key, DEFAULT_KEEP_DAYS[key]))
    if value < 1:
        raise ValueError(f"{key} must be at least 1 day, not {value}")
    return value


def _delete_before(model, cutoff: datetime) -> int:
    return db.session.execute(model.__table__.delete().where(model.created_at < cutoff)).rowcount


def purge_expired(now: datetime | None = None) -> Purged:
    """Delete scan events and stored answers older than their keep periods; returns the counts."""
    now = now or utcnow()
    purged = Purged(
        scan_events=_delete_before(ScanEvent, now - timedelta(days=keep_days("SCAN_EVENTS_KEEP_DAYS"))),
        idempotency_keys=_delete_before(
            IdempotencyKey, now - timedelta(days=keep_days("IDEMPOTENCY_KEYS_KEEP_DAYS"))
        ),
    )
    db.session.flush()
    return purged
