"""The two small writes the stock verbs share: a new empty batch, and who did a step and when.

A new batch holds nothing; stock enters it only through `ledger.post`. Used by receipts, moves that
split a batch, transfers received at a depot and stock found in a count.
"""

from datetime import date

from ..database import utcnow
from ..extensions import db
from ..scanning import codes
from .kinds import BatchStatus
from .models import Batch


def new_batch(depot, item, received: date, *, status=BatchStatus.AVAILABLE, location=None, **fields) -> Batch:
    """An empty batch with a fresh code; stock enters it only through `ledger.post`."""
    batch = Batch(
        code=codes.next_code(codes.BATCH, depot.code, received),
        item_id=item.id,
        depot_id=depot.id,
        location_id=location.id if location is not None else None,
        quantity=0,
        status=status,
        received_date=received,
        **fields,
    )
    db.session.add(batch)
    db.session.flush()
    return batch


def stamp(obj, by_field: str, at_field: str, user) -> None:
    """Record on `obj` who did a step (`by_field`) and when (`at_field`); a job acts as nobody."""
    setattr(obj, by_field, user.id if user is not None else None)
    setattr(obj, at_field, utcnow())
