"""The ledger primitive: one signed change to one batch, its movement row and its balances.

Every stock operation ends here. `post()` changes the batch with ONE conditional UPDATE (the
expected status and a non-negative result are part of the WHERE clause), appends the movement with
the balance it produced, and adds the same change to the depot x item balance with an atomic upsert.
Nothing is read, computed in Python and written back, so two keepers issuing from one batch at the
same moment can neither drive it negative nor lose an update (PostgreSQL re-checks the WHERE clause
on the row it waited for; SQLite serialises writers with BEGIN IMMEDIATE, see database.py).
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import case, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.attributes import set_committed_value

from ..errors import Conflict
from ..extensions import db
from .kinds import BatchStatus, MovementKind
from .models import Batch, Movement, StockLevel

batches = Batch.__table__
levels = StockLevel.__table__


@dataclass(frozen=True)
class Document:
    """The paper a movement belongs to (receipt, transfer, stocktake, dispatch order ...)."""

    type: str
    id: int


def _upsert():
    return pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert


def add_to_level(depot_id: int, item_id: int, on_hand: int, available: int) -> None:
    """Add to the depot x item balance in one atomic statement (creating the row if needed)."""
    if on_hand == 0 and available == 0:
        return
    if not 0 <= available <= on_hand:
        # Taking away or changing status: the row exists (the stock was counted in it). An upsert
        # cannot be used here: both backends check the CHECK constraints on the proposed row first.
        db.session.execute(
            levels.update()
            .where(levels.c.depot_id == depot_id, levels.c.item_id == item_id)
            .values(on_hand=levels.c.on_hand + on_hand, available=levels.c.available + available)
        )
    else:
        stmt = _upsert()(levels).values(
            depot_id=depot_id, item_id=item_id, on_hand=on_hand, available=available
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[levels.c.depot_id, levels.c.item_id],
            set_={
                "on_hand": levels.c.on_hand + stmt.excluded.on_hand,
                "available": levels.c.available + stmt.excluded.available,
            },
        )
        db.session.execute(stmt)
    cached = db.session.identity_map.get(db.session.identity_key(StockLevel, (depot_id, item_id)))
    if cached is not None:
        db.session.expire(cached)


def post(
    batch: Batch,
    kind: MovementKind,
    delta: int,
    *,
    user,
    expected: BatchStatus,
    new_status: BatchStatus | None = None,
    empty_status: BatchStatus | None = None,
    reason: str | None = None,
    document: Document | None = None,
    location_id=None,
) -> Movement:
    """Change `batch` by `delta` if (and only if) its status is still `expected` and the result is
    not negative; set `new_status` (or `empty_status` when the batch ends empty). Raises Conflict
    naming what stood in the way."""
    target = new_status or expected
    status_value = target.value
    if empty_status is not None:
        status_value = case((batches.c.quantity + delta == 0, empty_status.value), else_=target.value)
    values = {"quantity": batches.c.quantity + delta, "status": status_value}
    if location_id is not None:
        values["location_id"] = location_id
    row = db.session.execute(
        batches.update()
        .where(batches.c.id == batch.id, batches.c.status == expected.value, batches.c.quantity + delta >= 0)
        .values(**values)
        .returning(batches.c.quantity, batches.c.status)
    ).first()
    if row is None:
        _refuse(batch, delta, expected)
    balance, status = row.quantity, BatchStatus(row.status)
    set_committed_value(batch, "quantity", balance)
    set_committed_value(batch, "status", status)
    if location_id is not None:
        set_committed_value(batch, "location_id", location_id)
    was_available = (balance - delta) if expected is BatchStatus.AVAILABLE else 0
    now_available = balance if status is BatchStatus.AVAILABLE else 0
    add_to_level(batch.depot_id, batch.item_id, delta, now_available - was_available)
    movement = Movement(
        kind=kind,
        batch_id=batch.id,
        depot_id=batch.depot_id,
        item_id=batch.item_id,
        quantity=delta,
        balance_after=balance,
        status_after=status,
        user_id=user.id if user is not None else None,
        reason=reason,
        document_type=document.type if document else None,
        document_id=document.id if document else None,
        location_id=location_id,
    )
    db.session.add(movement)
    db.session.flush()
    return movement


def _refuse(batch: Batch, delta: int, expected: BatchStatus):
    """The conditional UPDATE matched nothing: find out why, from the row as it is now."""
    now = db.session.execute(
        select(batches.c.quantity, batches.c.status).where(batches.c.id == batch.id)
    ).first()
    status = BatchStatus(now.status)
    set_committed_value(batch, "quantity", now.quantity)
    set_committed_value(batch, "status", status)
    if status is not expected:
        raise Conflict(
            _(
                "Batch %(code)s is %(status)s, not %(expected)s.",
                code=batch.code,
                status=status.label,
                expected=expected.label,
            ),
            field="status",
        )
    raise Conflict(
        _(
            "Batch %(code)s holds %(have)d; %(want)d cannot be taken from it.",
            code=batch.code,
            have=now.quantity,
            want=-delta,
        ),
        field="quantity",
    )
