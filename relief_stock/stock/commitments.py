"""Committed stock (已分配/预留): units at a sending depot promised to approved transfer orders.

A commitment is a stock fact like any movement: every change appends a signed `Commitment` row
(commit +, release -, consume -) for one transfer line, and moves `stock_levels.committed` by the
same amount in ONE conditional UPDATE, so the cache never disagrees with the rows (`flask stock
reconcile` proves it). Available to promise = available - committed; the planner plans from it.

- approving a plan commits every line of its orders (`commit_transfers`): the UPDATE only matches
  while `available - committed` still covers the line, so two approvals racing for the same stock
  (two processes, either backend) can never promise more than exists; the loser gets a Conflict
  naming the item, the depot and what is left, and its whole approval rolls back;
- the truck leaving consumes what was picked and releases the rest (`settle_on_dispatch`);
- cancelling an order, cutting a line down, or closing its emergency releases the commitment.
Drills promise nothing: they move no real stock.
"""

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..auth.permissions import Action, require
from ..errors import BadInput, Conflict
from ..extensions import db
from .kinds import CommitmentKind, TransferStatus
from .models import Commitment, StockLevel, TransferLine

levels = StockLevel.__table__


def open_commitment(line: TransferLine) -> int:
    """Units still promised to a transfer line (the sum of its commitment rows)."""
    return db.session.scalar(
        select(func.coalesce(func.sum(Commitment.quantity), 0)).where(Commitment.transfer_line_id == line.id)
    )


def committed_map(depot_ids=None) -> dict[tuple[int, int], int]:
    """{(depot id, item id): committed units} for the levels with any commitment."""
    query = select(StockLevel.depot_id, StockLevel.item_id, StockLevel.committed).where(
        StockLevel.committed > 0
    )
    if depot_ids is not None:
        query = query.where(StockLevel.depot_id.in_(list(depot_ids)))
    return {(d, i): c for d, i, c in db.session.execute(query)}


def add_committed(rows, *, depot=None, item=None, under=None):
    """Fill `committed` on stock rows (LevelRow per item at `depot`, DepotRow per depot for `item`,
    TierRow per item in `under`'s subtree or the province) from the balances; returns the rows."""
    from ..network.models import Depot

    query = select(StockLevel.depot_id, StockLevel.item_id, StockLevel.committed).where(
        StockLevel.committed > 0
    )
    if depot is not None:
        query = query.where(StockLevel.depot_id == depot.id)
    if item is not None:
        query = query.where(StockLevel.item_id == item.id)
    if under is not None:
        query = query.join(Depot, Depot.id == StockLevel.depot_id).where(Depot.path.startswith(under.path))
    by_item, by_depot = {}, {}
    for depot_id, item_id, committed in db.session.execute(query):
        by_item[item_id] = by_item.get(item_id, 0) + committed
        by_depot[depot_id] = by_depot.get(depot_id, 0) + committed
    for row in rows:
        row.committed = by_depot.get(row.depot.id, 0) if item is not None else by_item.get(row.item.id, 0)
    return rows


def _post(line: TransferLine, kind: CommitmentKind, delta: int, user, reason=None) -> Commitment | None:
    """Move the line's depot x item `committed` by `delta` and append the row; a commit must fit in
    what is available and not yet promised, a release cannot take more than is promised."""
    if delta == 0:
        return None
    depot_id, item_id = line.transfer.from_depot_id, line.item_id
    where = [levels.c.depot_id == depot_id, levels.c.item_id == item_id]
    if delta > 0:
        where.append(levels.c.available - levels.c.committed >= delta)
    else:
        where.append(levels.c.committed + delta >= 0)
    changed = db.session.execute(levels.update().where(*where).values(committed=levels.c.committed + delta))
    if changed.rowcount != 1:
        _refuse(line, delta)
    row = Commitment(
        kind=kind,
        transfer_line_id=line.id,
        depot_id=depot_id,
        item_id=item_id,
        quantity=delta,
        user_id=user.id if user is not None else None,
        reason=reason,
    )
    db.session.add(row)
    cached = db.session.identity_map.get(db.session.identity_key(StockLevel, (depot_id, item_id)))
    if cached is not None:
        db.session.expire(cached)
    return row


def _refuse(line: TransferLine, delta: int):
    level = db.session.execute(
        select(levels.c.available, levels.c.committed).where(
            levels.c.depot_id == line.transfer.from_depot_id, levels.c.item_id == line.item_id
        )
    ).first()
    available, committed = (level.available, level.committed) if level else (0, 0)
    if delta > 0:
        raise Conflict(
            _(
                "%(item)s at %(depot)s: %(want)d cannot be committed; %(left)d available and not "
                "yet promised (%(available)d available, %(committed)d committed to other orders).",
                item=" ".join((line.item.sku, line.item.name_zh)),
                depot=line.transfer.from_depot.code,
                want=delta,
                left=max(available - committed, 0),
                available=available,
                committed=committed,
            ),
            field="quantity",
        )
    raise Conflict(
        _(
            "%(item)s at %(depot)s: only %(committed)d committed; %(want)d cannot be released.",
            item=line.item.sku,
            depot=line.transfer.from_depot.code,
            committed=committed,
            want=-delta,
        )
    )


def commit_transfers(user, transfers) -> None:
    """Promise every line of freshly approved orders at their sending depots (drills: nothing).
    One lock order over all lines (depot, item), so two approvals cannot deadlock each other."""
    lines = [line for t in transfers if not t.is_drill for line in t.lines]
    for line in sorted(lines, key=lambda ln: (ln.transfer.from_depot_id, ln.item_id, ln.id)):
        _post(line, CommitmentKind.COMMIT, line.quantity, user)
    db.session.flush()


def release_transfer(user, transfer, reason: str) -> None:
    """Give back everything still promised to a transfer's lines."""
    for line in sorted(transfer.lines, key=lambda ln: ln.item_id):
        _post(line, CommitmentKind.RELEASE, -open_commitment(line), user, reason)
    db.session.flush()


def settle_on_dispatch(user, transfer) -> None:
    """The truck left: the picked units are no longer promised (consumed), the rest is released."""
    for line in sorted(transfer.lines, key=lambda ln: ln.item_id):
        promised = open_commitment(line)
        consumed = min(promised, sum(p.quantity for p in line.picks))
        _post(line, CommitmentKind.CONSUME, -consumed, user)
        _post(line, CommitmentKind.RELEASE, -(promised - consumed), user, _("not picked before dispatch"))
    db.session.flush()


def cancel_transfer(user, transfer, reason: str | None = None) -> None:
    """Cancel an approved order that has not left: its commitment is released, its picks void.
    Dispatch officers in charge of the sending depot may cancel."""
    from .transfers import _set_status

    require(user, Action.PLAN_DISPATCH, transfer.from_depot)
    reason = (reason or "").strip()[:255] or _("order cancelled")
    _set_status(transfer, TransferStatus.DRAFT, TransferStatus.CANCELLED, user)
    release_transfer(user, transfer, reason)


def reduce_line(user, line: TransferLine, quantity: int, reason: str | None = None) -> None:
    """Cut an order's line down before dispatch (not below what is picked); the difference is released."""
    require(user, Action.PLAN_DISPATCH, line.transfer.from_depot)
    if line.transfer.status is not TransferStatus.DRAFT:
        raise Conflict(
            _(
                "Transfer %(number)s is %(status)s.",
                number=line.transfer.number,
                status=line.transfer.status.label,
            ),
            field="status",
        )
    picked = sum(p.quantity for p in line.picks)
    if (
        isinstance(quantity, bool)
        or not isinstance(quantity, int)
        or not max(picked, 1) <= quantity <= line.quantity
    ):
        raise BadInput(
            _("Quantity must be between %(low)d and %(high)d.", low=max(picked, 1), high=line.quantity),
            field="quantity",
        )
    cut = line.quantity - quantity
    line.quantity = quantity
    if not line.transfer.is_drill:
        _post(
            line, CommitmentKind.RELEASE, -min(cut, open_commitment(line)), user, reason or _("line cut down")
        )
    db.session.flush()
