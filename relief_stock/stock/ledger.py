"""The ledger primitive: one signed change to one batch, its movement row and its balances.

Every stock operation ends here. `post()` changes the batch with ONE conditional UPDATE (the
expected status and a non-negative result are part of the WHERE clause), appends the movement with
the balance it produced, and adds the same change to the depot x item balance with an atomic upsert.
Nothing is read, computed in Python and written back, so two keepers issuing from one batch at the
same moment can neither drive it negative nor lose an update (PostgreSQL re-checks the WHERE clause
on the row it waited for; SQLite serialises writers with BEGIN IMMEDIATE, see database.py).

Lock order: every write locks batches before balances, and batches in id order. A single-batch
operation gets that order from `post()` itself (the batch UPDATE, then the balance). An operation
that touches several batches (FEFO, a dispatch, a stocktake, the expiry job) first takes them all
with `lock_batches()` / `lock_stock()`, so two such operations, or one and a direct issue, wait for
each other instead of deadlocking, and they plan on the rows as they are now, not as a moment ago.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import case, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.attributes import set_committed_value

from ..database import begin_write
from ..errors import Conflict
from ..extensions import db
from .kinds import BatchStatus, MovementKind
from .models import Batch, Movement, StockLevel

batches = Batch.__table__
levels = StockLevel.__table__


@dataclass(frozen=True)
class DocumentRef:
    """The paper a movement belongs to (receipt, transfer, stocktake, dispatch order ...)."""

    type: str
    id: int


def _upsert():
    return pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert


def lock_batches(statement) -> list[Batch]:
    """The batches `statement` selects, locked for this unit of work and read afresh, in id order.

    PostgreSQL: SELECT ... FOR UPDATE, which waits for a concurrent writer and then re-checks the
    WHERE clause on the committed row (a batch frozen or emptied meanwhile drops out). SQLite: the
    write lock is taken first, so nothing changes between this read and the writes that follow.
    """
    begin_write()
    return list(
        db.session.scalars(
            statement.order_by(Batch.id).with_for_update(of=Batch).execution_options(populate_existing=True)
        )
    )


def lock_levels(keys) -> None:
    """Lock the depot x item balances `keys` ((depot_id, item_id) pairs) in key order."""
    keys = sorted(set(keys))
    if not keys:
        return
    begin_write()
    db.session.execute(
        select(levels.c.depot_id)
        .where(tuple_(levels.c.depot_id, levels.c.item_id).in_(keys))
        .order_by(levels.c.depot_id, levels.c.item_id)
        .with_for_update()
    ).all()


def lock_stock(batch_ids) -> dict[int, Batch]:
    """Lock the batches `batch_ids` (id order), then their balances (key order): the lock order of
    every stock write. Returns the batches, read afresh, by id."""
    locked = lock_batches(select(Batch).where(Batch.id.in_(set(batch_ids)))) if batch_ids else []
    lock_levels((batch.depot_id, batch.item_id) for batch in locked)
    return {batch.id: batch for batch in locked}


def add_to_level(
    depot_id: int, item_id: int, on_hand: int, available: int, *, keep_committed: bool = False
) -> bool:
    """Add to the depot x item balance in one atomic statement (creating the row if needed).

    `keep_committed`: only if what stays available still covers what is committed to approved
    orders (part of the WHERE clause, so two keepers cannot both take the last free units).
    Returns False when that guard refused the change (nothing was written)."""
    if on_hand == 0 and available == 0:
        return True
    if keep_committed or not 0 <= available <= on_hand:
        # Taking away or changing status: the row exists (the stock was counted in it). An upsert
        # cannot be used here: both backends check the CHECK constraints on the proposed row first.
        where = [levels.c.depot_id == depot_id, levels.c.item_id == item_id]
        if keep_committed:
            where.append(levels.c.available + available >= levels.c.committed)
        changed = db.session.execute(
            levels.update()
            .where(*where)
            .values(on_hand=levels.c.on_hand + on_hand, available=levels.c.available + available)
        )
        if keep_committed and changed.rowcount != 1:
            return False
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
    return True


def refuse_committed(depot, item, want: int):
    """Refuse an ordinary issue that would take stock promised to approved orders (409)."""
    level = db.session.execute(
        select(levels.c.available, levels.c.committed).where(
            levels.c.depot_id == depot.id, levels.c.item_id == item.id
        )
    ).first()
    free = max(level.available - level.committed, 0) if level else 0
    raise Conflict(
        _(
            "%(item)s at %(depot)s: only %(free)d free to issue, %(want)d asked; the rest is "
            "committed to approved orders.",
            item=" ".join((item.sku, item.name_zh)),
            depot=depot.code,
            free=free,
            want=want,
        ),
        field="quantity",
    )


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
    document: DocumentRef | None = None,
    location_id=None,
    keep_committed: bool = False,
) -> Movement:
    """Change `batch` by `delta` if (and only if) its status is still `expected` and the result is
    not negative; set `new_status` (or `empty_status` when the batch ends empty). Raises Conflict
    naming what stood in the way. `keep_committed` (ordinary issues): also refused when the depot's
    available stock of the item would fall below what is committed to approved orders."""
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
    if not add_to_level(
        batch.depot_id, batch.item_id, delta, now_available - was_available, keep_committed=keep_committed
    ):
        # The batch UPDATE above is undone with the unit of work (the caller's atomic() rolls back).
        refuse_committed(batch.depot, batch.item, -delta)
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
