"""Stock on hand: balances by depot, by item and province-wide by item and tier, the batches holding
stock, what is in transit, what can be dispatched and which batches an issue would take. Nothing
here writes.

These read the balance tables (`stock_levels`, `batches`), never sum the ledger, so their cost does
not grow with the number of movements.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from ..catalogue.models import Item
from ..database import local_today
from ..extensions import db
from ..network.models import Depot, Location, Tier
from . import rules
from .kinds import BatchStatus, TransferStatus
from .models import Batch, StockLevel, Transfer, TransferLine, TransferPick


def fefo_suggestion(depot: Depot, item: Item, quantity: int, today: date | None = None):
    """Which batches an issue of `quantity` would take, first expiry first: `(plan, shortfall)` with
    `plan` a list of (batch, quantity) and `shortfall` what the depot cannot cover (see rules)."""
    return rules.fefo_plan(depot_batches(depot, item=item.sku), quantity, today)


def _in_transit_subquery():
    """Units shipped and not yet received, per sending depot and item."""
    return (
        select(
            Transfer.from_depot_id.label("depot_id"),
            TransferLine.item_id.label("item_id"),
            func.sum(TransferPick.quantity).label("in_transit"),
        )
        .join(TransferLine, TransferLine.transfer_id == Transfer.id)
        .join(TransferPick, TransferPick.line_id == TransferLine.id)
        .where(Transfer.status == TransferStatus.IN_TRANSIT, Transfer.is_drill.is_(False))
        .group_by(Transfer.from_depot_id, TransferLine.item_id)
        .subquery()
    )


def _province_levels(within: Depot | None = None):
    """Province-wide stock on hand by item and tier, plus what is in transit:
    rows (item_id, sku, tier, on_hand, available, in_transit). One grouped scan of the balances."""
    transit = _in_transit_subquery()
    levels = select(
        StockLevel.item_id,
        Depot.tier,
        func.sum(StockLevel.on_hand).label("on_hand"),
        func.sum(StockLevel.available).label("available"),
    ).join(Depot, Depot.id == StockLevel.depot_id)
    moving = select(transit.c.item_id, Depot.tier, func.sum(transit.c.in_transit).label("in_transit")).join(
        Depot, Depot.id == transit.c.depot_id
    )
    if within is not None:
        levels = levels.where(Depot.path.startswith(within.path))
        moving = moving.where(Depot.path.startswith(within.path))
    levels = levels.group_by(StockLevel.item_id, Depot.tier).subquery()
    moving = moving.group_by(transit.c.item_id, Depot.tier).subquery()
    rows = db.session.execute(
        select(
            Item.id,
            Item.sku,
            levels.c.tier,
            levels.c.on_hand,
            levels.c.available,
            func.coalesce(moving.c.in_transit, 0).label("in_transit"),
        )
        .join(levels, levels.c.item_id == Item.id)
        .outerjoin(moving, (moving.c.item_id == levels.c.item_id) & (moving.c.tier == levels.c.tier))
        .order_by(Item.sku, levels.c.tier)
    ).all()
    return rows


def available_for_dispatch(
    depot_ids=None, item_ids=None, today: date | None = None, min_remaining_days: int = 0
):
    """Issuable stock per depot and item for the dispatch planner: {(depot_id, item_id): units}.
    Counts available batches with at least `min_remaining_days` of shelf life left (or the item's
    own minimum, whichever is larger)."""
    today = today or local_today()
    query = (
        select(
            Batch.depot_id,
            Batch.item_id,
            Batch.expiry_date,
            Item.min_remaining_shelf_life_days,
            func.sum(Batch.quantity),
        )
        .join(Item, Item.id == Batch.item_id)
        .where(Batch.status == BatchStatus.AVAILABLE, Batch.quantity > 0)
        .group_by(Batch.depot_id, Batch.item_id, Batch.expiry_date, Item.min_remaining_shelf_life_days)
    )
    if depot_ids is not None:
        query = query.where(Batch.depot_id.in_(list(depot_ids)))
    if item_ids is not None:
        query = query.where(Batch.item_id.in_(list(item_ids)))
    totals: dict[tuple[int, int], int] = {}
    for depot_id, item_id, expiry, item_min, units in db.session.execute(query):
        needed = max(min_remaining_days, item_min or 0)
        if expiry is None or (expiry - today).days >= needed:
            totals[(depot_id, item_id)] = totals.get((depot_id, item_id), 0) + units
    return totals


@dataclass
class LevelRow:
    item: Item
    on_hand: int
    available: int
    in_transit: int = 0
    committed: int = 0  # promised to approved transfer orders (commitments.add_committed)


@dataclass
class DepotRow:
    depot: Depot
    on_hand: int
    available: int
    committed: int = 0


@dataclass
class TierRow:
    item: Item
    by_tier: dict = field(default_factory=dict)  # Tier -> on hand
    on_hand: int = 0
    available: int = 0
    in_transit: int = 0
    committed: int = 0


def _scope(query, depot_column, depot: Depot | None, subtree: bool):
    if depot is None:
        return query
    if subtree:
        return query.join(Depot, Depot.id == depot_column).where(Depot.path.startswith(depot.path))
    return query.where(depot_column == depot.id)


def _item_filters(query, item_column, item: str | None, category):
    if (item or category) and item_column is not Item.id:  # select(Item) needs no join to Item
        query = query.join(Item, Item.id == item_column)
    if item:
        query = query.where(Item.sku == item.strip().upper())
    if category:
        query = query.where(Item.category == category)
    return query


def depot_batches(
    depot: Depot, subtree=False, item=None, category=None, status=None, expiring=None, location=None
) -> list[Batch]:
    """The batches holding stock at `depot` (and below it with `subtree`), filtered by item SKU,
    category, status, expiry within `expiring` days and location code; by item, then first expiry."""
    query = _scope(select(Batch).where(Batch.quantity > 0), Batch.depot_id, depot, subtree)
    query = _item_filters(query, Batch.item_id, item, category)
    if status:
        query = query.where(Batch.status == status)
    if expiring is not None:
        query = query.where(
            Batch.expiry_date.is_not(None), Batch.expiry_date <= local_today() + timedelta(days=expiring)
        )
    if location:
        query = query.join(Location, Location.id == Batch.location_id).where(
            Location.code == location.strip().upper()
        )
    return list(db.session.scalars(query.order_by(Batch.item_id, Batch.expiry_date, Batch.id)))


def depot_item_totals(depot: Depot, subtree=False, item=None, category=None) -> list[LevelRow]:
    """On hand, available and shipped-not-received per item, at `depot` (or its subtree)."""
    query = _scope(
        select(StockLevel.item_id, func.sum(StockLevel.on_hand), func.sum(StockLevel.available)),
        StockLevel.depot_id,
        depot,
        subtree,
    )
    query = _item_filters(query, StockLevel.item_id, item, category).group_by(StockLevel.item_id)
    sums = {item_id: (on_hand, available) for item_id, on_hand, available in db.session.execute(query)}
    moving = _transit_by_item(depot, subtree)
    if item or category:
        allowed = set(db.session.scalars(_item_filters(select(Item.id), Item.id, item, category)))
        moving = {i: q for i, q in moving.items() if i in allowed}
    ids = {i for i, (on_hand, _available) in sums.items() if on_hand} | {i for i, q in moving.items() if q}
    items = {i.id: i for i in db.session.scalars(select(Item).where(Item.id.in_(ids)))}
    return sorted(
        (LevelRow(items[i], *sums.get(i, (0, 0)), moving.get(i, 0)) for i in ids), key=lambda r: r.item.sku
    )


def _transit_by_item(depot: Depot | None, subtree: bool, item_id: int | None = None) -> dict[int, int]:
    moving = _in_transit_subquery()
    query = _scope(select(moving.c.item_id, func.sum(moving.c.in_transit)), moving.c.depot_id, depot, subtree)
    if item_id is not None:
        query = query.where(moving.c.item_id == item_id)
    return dict(db.session.execute(query.group_by(moving.c.item_id)).all())


def item_stock_by_depot(item: Item, under: Depot | None = None) -> list[DepotRow]:
    """Where `item` is held: one row per depot with stock (within `under`'s subtree, if given)."""
    query = (
        select(Depot, StockLevel.on_hand, StockLevel.available)
        .join(StockLevel, StockLevel.depot_id == Depot.id)
        .where(StockLevel.item_id == item.id, StockLevel.on_hand > 0)
    )
    if under is not None:
        query = query.where(Depot.path.startswith(under.path))
    return [DepotRow(*row) for row in db.session.execute(query.order_by(Depot.path))]


def in_transit_total(item: Item, under: Depot | None = None) -> int:
    return _transit_by_item(under, True, item.id).get(item.id, 0)


def totals_by_item_and_tier(under: Depot | None = None, item=None, category=None) -> list[TierRow]:
    """The province-wide table (全省底数): per item, on hand by tier, available and in transit."""
    rows: dict[int, TierRow] = {}
    items = {i.id: i for i in db.session.scalars(_item_filters(select(Item), Item.id, item, category))}
    for item_id, _sku, tier, on_hand, available, moving in _province_levels(within=under):
        if item_id not in items:
            continue
        row = rows.setdefault(item_id, TierRow(items[item_id]))
        row.by_tier[Tier(tier)] = on_hand
        row.on_hand += on_hand
        row.available += available
        row.in_transit += moving
    return sorted((r for r in rows.values() if r.on_hand or r.in_transit), key=lambda r: r.item.sku)
