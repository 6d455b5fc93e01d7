"""Pure stock rules: is a batch issuable, and which batches to issue from first (FEFO).

Plain functions over anything with `quantity`, `status`, `expiry_date`, `received_date` and `id`;
no database, no app, so they are tested (and reused by the dispatch planner) in isolation.
"""

from datetime import date

from ..database import local_today
from .kinds import BatchStatus

_FAR_FUTURE = date.max


def is_expired(batch, today: date) -> bool:
    """Past its expiry date (the expiry date itself is the last usable day)."""
    return batch.expiry_date is not None and batch.expiry_date < today


def is_issuable(batch, today: date, min_remaining_days: int = 0) -> bool:
    """Available, not empty, and with at least `min_remaining_days` of shelf life left."""
    if batch.status != BatchStatus.AVAILABLE or batch.quantity <= 0:
        return False
    if batch.expiry_date is None:
        return True
    return (batch.expiry_date - today).days >= min_remaining_days


def fefo_key(batch):
    """First expiry, first out; no expiry goes last; then the oldest receipt, then the oldest row."""
    return (batch.expiry_date or _FAR_FUTURE, batch.received_date or _FAR_FUTURE, batch.id or 0)


def fefo_plan(batches, quantity: int, today: date | None = None, min_remaining_days: int = 0):
    """Split `quantity` over the issuable `batches`, earliest expiry first.

    Returns `(plan, shortfall)`: `plan` is a list of `(batch, quantity)` in issue order, `shortfall`
    the part no batch could cover (0 when the plan covers all of it).
    """
    today = today or local_today()
    plan, remaining = [], quantity
    for batch in sorted((b for b in batches if is_issuable(b, today, min_remaining_days)), key=fefo_key):
        if remaining <= 0:
            break
        take = min(batch.quantity, remaining)
        plan.append((batch, take))
        remaining -= take
    return plan, max(remaining, 0)
