"""Reads behind the keeper's pages that stock/queries.py does not offer (yet).

B2 writes them here while B1 writes queries.py; each either moves to the end of queries.py or gives
way to B1's equivalent before the end.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased, joinedload

from ..catalogue.models import Item
from ..errors import BadInput, NotFound
from ..extensions import db
from ..network.models import Depot, Location, Tier
from ..scanning import codes
from . import rules
from .kinds import BatchStatus, TransferStatus
from .models import Batch, Movement, Receipt, StockLevel, Stocktake, Transfer, TransferLine, TransferPick


def batch_by_code(code: str, field: str | None = None) -> Batch:
    """The batch with this code (typed, scanned or as a label URL). A malformed or mistyped code is
    BadInput on `field`; a well-formed code nobody issued is NotFound (or BadInput on `field`)."""
    parsed = codes.parse(code)
    if parsed.kind != codes.BATCH:
        raise BadInput(_("%(code)s is not a batch code.", code=parsed.code), field=field or "code")
    batch = db.session.scalar(select(Batch).where(Batch.code == parsed.code))
    if batch is None:
        message = _("No batch with code %(code)s.", code=parsed.code)
        raise BadInput(message, field=field) if field else NotFound(message)
    return batch


def batch_history(batch: Batch) -> list[Movement]:
    """The batch's ledger, newest first, with the acting users loaded."""
    return list(db.session.scalars(
        select(Movement).options(joinedload(Movement.user)).where(Movement.batch_id == batch.id)
        .order_by(Movement.id.desc())))


def receipt_by_id(receipt_id: int) -> Receipt:
    receipt = db.session.get(Receipt, receipt_id)
    if receipt is None:
        raise NotFound(_("No receipt %(id)d.", id=receipt_id))
    return receipt


def location_for_code(depot: Depot, text: str, field: str = "location") -> Location:
    """A location of `depot` by its own code ("A-01-03") or its printed code / label URL."""
    raw = (text or "").strip()
    own_code = raw.upper()
    if raw.upper().startswith("L-") or "/" in raw:
        parsed = codes.parse(raw)
        if parsed.kind != codes.LOCATION:
            raise BadInput(_("%(code)s is not a location code.", code=parsed.code), field=field)
        if parsed.depot_code != depot.code:
            raise BadInput(_("Location %(code)s is not in depot %(depot)s.", code=parsed.location_code,
                             depot=depot.code), field=field)
        own_code = parsed.location_code
    location = db.session.scalar(select(Location).where(Location.depot_id == depot.id, Location.code == own_code))
    if location is None or not location.is_active:
        raise BadInput(_("No location %(code)s in this depot.", code=own_code), field=field)
    return location


def item_for_sku(sku: str, field: str = "item") -> Item:
    item = db.session.scalar(select(Item).where(Item.sku == (sku or "").strip()))
    if item is None:
        raise BadInput(_("No item with SKU %(sku)s.", sku=sku), field=field)
    return item


def active_items() -> list[Item]:
    return list(db.session.scalars(select(Item).where(Item.is_active.is_(True)).order_by(Item.category, Item.sku)))


def items_in_stock(depot: Depot) -> list[tuple[Item, int]]:
    """(item, available) for the items that can be issued at `depot` now."""
    rows = db.session.execute(
        select(Item, StockLevel.available).join(StockLevel, StockLevel.item_id == Item.id)
        .where(StockLevel.depot_id == depot.id, StockLevel.available > 0).order_by(Item.category, Item.sku))
    return [(item, available) for item, available in rows]


def fefo_suggestion(depot: Depot, item: Item, quantity: int, today: date | None = None):
    """The batches `issue_item` would take `quantity` from, first expiry first: (plan, shortfall)."""
    candidates = db.session.scalars(select(Batch).where(
        Batch.depot_id == depot.id, Batch.item_id == item.id,
        Batch.status == BatchStatus.AVAILABLE, Batch.quantity > 0)).all()
    return rules.fefo_plan(candidates, quantity, today)


def depot_stocktakes(depot: Depot, limit: int = 50) -> list[Stocktake]:
    return list(db.session.scalars(select(Stocktake).where(Stocktake.depot_id == depot.id)
                                   .order_by(Stocktake.id.desc()).limit(limit)))


def stocktake_by_id(stocktake_id: int) -> Stocktake:
    found = db.session.get(Stocktake, stocktake_id)
    if found is None:
        raise NotFound(_("No stocktake %(id)d.", id=stocktake_id))
    return found


def batches_by_id(ids) -> dict[int, Batch]:
    return {b.id: b for b in db.session.scalars(select(Batch).where(Batch.id.in_(list(ids))))} if ids else {}


def _depots_filter(column, depot: Depot | None, subtree: bool):
    if depot is None:
        return None
    if not subtree:
        return column == depot.id
    return column.in_(select(Depot.id).where(Depot.path.startswith(depot.path)))


def _item_filters(query, item_column, sku=None, category=None):
    if sku:
        query = query.where(item_column.in_(select(Item.id).where(Item.sku == sku)))
    if category is not None:
        query = query.where(item_column.in_(select(Item.id).where(Item.category == category)))
    return query


def stock_batches(depot: Depot, *, subtree=False, item=None, category=None, status=None, expiring=None,
                  location=None, today: date | None = None) -> list[Batch]:
    """Batches holding stock at `depot` (and below, with `subtree`), soonest expiry first.

    `item` is a SKU, `expiring` a number of days (batches whose expiry falls within them, expired
    ones included), `location` a location code in `depot`."""
    query = (select(Batch).options(joinedload(Batch.location), joinedload(Batch.depot))
             .where(Batch.quantity > 0, _depots_filter(Batch.depot_id, depot, subtree)))
    query = _item_filters(query, Batch.item_id, item, category)
    if status is not None:
        query = query.where(Batch.status == status)
    if expiring is not None:
        query = query.where(Batch.expiry_date <= (today or date.today()) + timedelta(days=expiring))
    if location:
        query = query.where(Batch.location_id == location_for_code(depot, location).id)
    return list(db.session.scalars(query.order_by(Batch.expiry_date.is_(None), Batch.expiry_date, Batch.code)))


@dataclass
class ItemTotal:
    item: Item
    on_hand: int = 0
    available: int = 0
    in_transit: int = 0
    by_tier: dict = field(default_factory=dict)


def depot_item_totals(depot: Depot, *, subtree=False, item=None, category=None) -> list[ItemTotal]:
    """On hand and available per item at `depot` (or its subtree), from the balance table."""
    query = (select(Item, func.sum(StockLevel.on_hand), func.sum(StockLevel.available))
             .join(StockLevel, StockLevel.item_id == Item.id)
             .where(_depots_filter(StockLevel.depot_id, depot, subtree), StockLevel.on_hand > 0)
             .group_by(Item.id).order_by(Item.category, Item.sku))
    query = _item_filters(query, StockLevel.item_id, item, category)
    return [ItemTotal(i, int(on_hand), int(available)) for i, on_hand, available in db.session.execute(query)]


@dataclass
class DepotTotal:
    depot: Depot
    on_hand: int
    available: int


def item_stock_by_depot(item: Item, *, under: Depot | None = None) -> list[DepotTotal]:
    query = (select(Depot, StockLevel.on_hand, StockLevel.available)
             .join(StockLevel, StockLevel.depot_id == Depot.id)
             .where(StockLevel.item_id == item.id, StockLevel.on_hand > 0).order_by(Depot.path))
    if under is not None:
        query = query.where(Depot.path.startswith(under.path))
    return [DepotTotal(d, on_hand, available) for d, on_hand, available in db.session.execute(query)]


def _in_transit_query(under: Depot | None):
    """Picked quantities of dispatched transfers (left one depot, not yet at the next), per item."""
    query = (select(TransferLine.item_id, func.sum(TransferPick.quantity))
             .join(TransferPick, TransferPick.line_id == TransferLine.id)
             .join(Transfer, Transfer.id == TransferLine.transfer_id)
             .where(Transfer.status == TransferStatus.IN_TRANSIT).group_by(TransferLine.item_id))
    if under is not None:
        from_depot, to_depot = aliased(Depot), aliased(Depot)
        query = (query.join(from_depot, from_depot.id == Transfer.from_depot_id)
                 .outerjoin(to_depot, to_depot.id == Transfer.to_depot_id)
                 .where(or_(from_depot.path.startswith(under.path), to_depot.path.startswith(under.path))))
    return query


def in_transit_total(item: Item, *, under: Depot | None = None) -> int:
    query = _in_transit_query(under).where(TransferLine.item_id == item.id)
    row = db.session.execute(query).first()
    return int(row[1]) if row else 0


def totals_by_item_and_tier(*, under: Depot | None = None, item=None, category=None) -> list[ItemTotal]:
    """Province-wide (or subtree) on hand per item and depot tier, with stock in transit apart."""
    query = (select(StockLevel.item_id, Depot.tier, func.sum(StockLevel.on_hand), func.sum(StockLevel.available))
             .join(Depot, Depot.id == StockLevel.depot_id).group_by(StockLevel.item_id, Depot.tier))
    if under is not None:
        query = query.where(Depot.path.startswith(under.path))
    query = _item_filters(query, StockLevel.item_id, item, category)
    totals: dict[int, ItemTotal] = {}
    items = {}
    rows = db.session.execute(query).all()
    transit = dict(db.session.execute(_item_filters(_in_transit_query(under), TransferLine.item_id,
                                                    item, category)).all())
    wanted = {row[0] for row in rows} | set(transit)
    if wanted:
        items = {i.id: i for i in db.session.scalars(select(Item).where(Item.id.in_(wanted)))}
    for item_id, tier, on_hand, available in rows:
        total = totals.setdefault(item_id, ItemTotal(items[item_id]))
        total.by_tier[Tier(tier)] = total.by_tier.get(Tier(tier), 0) + int(on_hand)
        total.on_hand += int(on_hand)
        total.available += int(available)
    for item_id, quantity in transit.items():
        totals.setdefault(item_id, ItemTotal(items[item_id])).in_transit = int(quantity)
    return sorted((t for t in totals.values() if t.on_hand or t.in_transit),
                  key=lambda t: (t.item.category, t.item.sku))


def scope_totals(depot: Depot | None, today: date | None = None, soon_days: int = 90) -> dict:
    """Figures for the dashboard: units on hand and available, items stocked, batches expiring soon."""
    level = select(func.coalesce(func.sum(StockLevel.on_hand), 0), func.coalesce(func.sum(StockLevel.available), 0),
                   func.count(func.distinct(StockLevel.item_id))).where(StockLevel.on_hand > 0)
    soon = select(func.count(Batch.id)).where(
        Batch.quantity > 0, Batch.status.in_([BatchStatus.AVAILABLE, BatchStatus.QUARANTINED]),
        Batch.expiry_date <= (today or date.today()) + timedelta(days=soon_days))
    if depot is not None:
        level = level.where(StockLevel.depot_id == depot.id)
        soon = soon.where(Batch.depot_id == depot.id)
    on_hand, available, items = db.session.execute(level).one()
    return {"on_hand": int(on_hand), "available": int(available), "items": int(items),
            "expiring_soon": int(db.session.scalar(soon)), "soon_days": soon_days}
