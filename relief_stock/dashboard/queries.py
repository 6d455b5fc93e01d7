"""Reads behind the province's picture (全省底数): what exists where, what is short and where, what
expires when, what is in transit, and how stock moved per month. Nothing here writes.

Each figure is one grouped SQL statement over the balances (`stock_levels`, `batches`) or the ledger
(`movements`), scoped by a `Scope` and broken down by area (the scope's child depots) where a table
needs it; Python only shapes the rows. Quantities of different items are never added together:
across items the common measures are tonnes (units x unit weight) and coverage of norms.

Coverage ("fill") of a norm counts at most the norm at each depot, so a surplus in one county does
not hide a shortfall in the next: fill(item) = sum over depots of min(usable, norm) / sum of norms,
and a category's fill is the mean of its items' fills. Usable stock is what the alert checks count:
available batches that have not expired.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Float, and_, case, cast, func, select
from sqlalchemy.orm import selectinload

from ..alerts.checks import usable_stock
from ..alerts.norms import effective_norms
from ..catalogue.models import Category, Item
from ..extensions import db
from ..stock.balances import origin_filters
from ..stock.kinds import BatchStatus, MovementKind, TransferStatus
from ..stock.models import Batch, Movement, StockLevel, Transfer, TransferLine, TransferPick
from .scope import Scope

MONTHS = 12
ON_HAND_STATUSES = (BatchStatus.AVAILABLE, BatchStatus.QUARANTINED)  # what can still be used or rotated
FLOW_KINDS = {  # the columns of the monthly movement table, each a set of ledger kinds
    "received": (MovementKind.RECEIPT,),
    "issued": (MovementKind.ISSUE,),
    "transferred_out": (MovementKind.TRANSFER_OUT,),
    "transferred_in": (MovementKind.TRANSFER_IN,),
    "written_off": (MovementKind.WRITE_OFF,),
}


def _kg(quantity_column):
    return quantity_column * func.coalesce(Item.unit_weight_kg, 0)


# --- What exists where --------------------------------------------------------------------------


@dataclass
class ItemStock:
    item: Item
    on_hand: int = 0
    available: int = 0
    tonnes: float = 0.0


@dataclass
class CategoryStock:
    category: Category
    tonnes: float = 0.0
    by_area: dict = field(default_factory=dict)  # area depot id -> tonnes
    items: list = field(default_factory=list)  # ItemStock, in units of each item
    unweighed_items: int = 0  # items in stock with no known unit weight (not in the tonnes)


def stock_by_category(scope: Scope) -> list[CategoryStock]:
    """Per category: tonnes on hand, per area and in total, and each item's units."""
    query, area = scope.with_area(
        select().select_from(StockLevel).join(Item, Item.id == StockLevel.item_id), StockLevel.depot_id
    )
    rows = db.session.execute(
        query.add_columns(
            area.label("area"),
            StockLevel.item_id,
            func.sum(StockLevel.on_hand),
            func.sum(StockLevel.available),
            func.sum(_kg(StockLevel.on_hand)),
        )
        .where(StockLevel.on_hand > 0)
        .group_by(area, StockLevel.item_id)
    ).all()
    items = _items({row[1] for row in rows})
    by_item: dict[int, ItemStock] = {}
    categories: dict[Category, CategoryStock] = {}
    for area_id, item_id, on_hand, available, kg in rows:
        item = items[item_id]
        entry = by_item.setdefault(item_id, ItemStock(item))
        entry.on_hand += int(on_hand)
        entry.available += int(available)
        entry.tonnes += float(kg or 0) / 1000
        category = categories.setdefault(item.category, CategoryStock(item.category))
        category.by_area[area_id] = category.by_area.get(area_id, 0.0) + float(kg or 0) / 1000
        category.tonnes += float(kg or 0) / 1000
    for entry in sorted(by_item.values(), key=lambda e: e.item.sku):
        category = categories[entry.item.category]
        category.items.append(entry)
        category.unweighed_items += entry.item.unit_weight_kg is None
    return [categories[c] for c in Category if c in categories]


def _items(ids) -> dict[int, Item]:
    if not ids:
        return {}
    return {item.id: item for item in db.session.scalars(select(Item).where(Item.id.in_(list(ids))))}


# --- What is short and where --------------------------------------------------------------------


@dataclass
class Fill:
    """Coverage of norms for one cell: fill in [0, 1], and how many depot-item pairs are short."""

    fill: float | None = None
    short: int = 0
    critical: int = 0
    pairs: int = 0


def _norm_pairs(scope: Scope, today: date, item_ids=None):
    """(depot_id, item_id, norm, usable) for every effective norm in scope: the alert checks' view."""
    norms = effective_norms(item_ids=item_ids)
    usable = usable_stock(today)
    have = func.coalesce(usable.c.available, 0)
    query = select(norms.c.depot_id, norms.c.item_id, norms.c.quantity.label("norm"), have.label("usable"))
    query = query.select_from(norms).outerjoin(
        usable, and_(usable.c.depot_id == norms.c.depot_id, usable.c.item_id == norms.c.item_id)
    )
    return query.where(norms.c.quantity > 0, scope.depots(norms.c.depot_id)).subquery("norm_pairs")


def coverage_matrix(scope: Scope, today: date) -> dict[tuple[int, Category], Fill]:
    """{(area id, category): Fill}, plus {(None, category)} for the whole scope and {(area, None)}
    for all categories of an area."""
    pairs = _norm_pairs(scope, today)
    capped = case((pairs.c.usable < pairs.c.norm, pairs.c.usable), else_=pairs.c.norm)
    query, area = scope.with_area(
        select().select_from(pairs).join(Item, Item.id == pairs.c.item_id), pairs.c.depot_id
    )
    rows = db.session.execute(
        query.add_columns(
            area.label("area"),
            Item.category,
            pairs.c.item_id,
            func.sum(capped),
            func.sum(pairs.c.norm),
            func.sum(case((pairs.c.usable < pairs.c.norm, 1), else_=0)),
            func.sum(case((pairs.c.usable * 2 < pairs.c.norm, 1), else_=0)),
            func.count(),
        ).group_by(area, Item.category, pairs.c.item_id)
    ).all()
    # Sum depots into (cell, item) first, then average the items' fills within each cell.
    sums: dict[tuple, list] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for area_id, category, item_id, have, norm, short, critical, count in rows:
        category = Category(category)
        for cell in ((area_id, category), (None, category), (area_id, None), (None, None)):
            acc = sums[cell + (item_id,)]
            acc[0] += int(have)
            acc[1] += int(norm)
            acc[2] += int(short)
            acc[3] += int(critical)
            acc[4] += int(count)
    cells: dict[tuple, list] = defaultdict(list)
    for (area_id, category, _item), acc in sums.items():
        cells[(area_id, category)].append(acc)
    return {
        cell: Fill(
            fill=sum(a[0] / a[1] for a in accs) / len(accs),
            short=sum(a[2] for a in accs),
            critical=sum(a[3] for a in accs),
            pairs=sum(a[4] for a in accs),
        )
        for cell, accs in cells.items()
    }


def depot_fill(scope: Scope, today: date, item_ids=None) -> dict[int, Fill]:
    """{depot id: Fill} over the chosen items (all items with a norm when None): the map's colours.
    A depot's fill is the mean over its normed items of min(usable / norm, 1)."""
    pairs = _norm_pairs(scope, today, item_ids)
    ratio = case(
        (pairs.c.usable >= pairs.c.norm, 1.0), else_=cast(pairs.c.usable, Float) / cast(pairs.c.norm, Float)
    )
    rows = db.session.execute(
        select(
            pairs.c.depot_id,
            func.avg(ratio),
            func.sum(case((pairs.c.usable < pairs.c.norm, 1), else_=0)),
            func.sum(case((pairs.c.usable * 2 < pairs.c.norm, 1), else_=0)),
            func.count(),
        ).group_by(pairs.c.depot_id)
    ).all()
    return {d: Fill(float(f), int(s), int(c), int(n)) for d, f, s, c, n in rows}


def expiring_by_depot(scope: Scope, today: date, days: int, item_ids=None) -> dict[int, tuple[int, int]]:
    """{depot id: (batches, units)} of stock on hand that expires within `days` (not yet expired)."""
    query = select(Batch.depot_id, func.count(), func.sum(Batch.quantity)).where(
        Batch.quantity > 0,
        Batch.status.in_(ON_HAND_STATUSES),
        Batch.expiry_date >= today,
        Batch.expiry_date <= today + timedelta(days=days),
        scope.depots(Batch.depot_id),
    )
    if item_ids is not None:
        query = query.where(Batch.item_id.in_(list(item_ids)))
    return {d: (int(n), int(q)) for d, n, q in db.session.execute(query.group_by(Batch.depot_id))}


# --- What expires when --------------------------------------------------------------------------


def month_starts(first: date, count: int) -> list[date]:
    """`count` first days of consecutive months from `first`'s month, plus the one after the last."""
    year, month = first.year, first.month
    starts = []
    for _ in range(count + 1):
        starts.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return starts


@dataclass
class MonthBucket:
    start: date
    tonnes: dict = field(default_factory=dict)  # Category -> tonnes
    batches: int = 0

    @property
    def key(self) -> str:
        return f"{self.start:%Y-%m}"

    @property
    def total_tonnes(self) -> float:
        return sum(self.tonnes.values())


def expiry_timeline(scope: Scope, today: date, months: int = MONTHS) -> tuple[MonthBucket, list[MonthBucket]]:
    """(already expired but on hand, [this month .. month 12]): tonnes per category and batch counts
    of stock on hand (available or quarantined, or expired by status) by expiry month."""
    starts = month_starts(today, months)
    query = (
        select(Batch.expiry_date, Item.category, func.count(), func.sum(_kg(Batch.quantity)))
        .join(Item, Item.id == Batch.item_id)
        .where(
            Batch.quantity > 0,
            Batch.status.in_((*ON_HAND_STATUSES, BatchStatus.EXPIRED)),
            Batch.expiry_date < starts[-1],
            scope.depots(Batch.depot_id),
        )
        .group_by(Batch.expiry_date, Item.category)
    )
    expired = MonthBucket(starts[0])
    buckets = [MonthBucket(start) for start in starts[:-1]]
    for expiry, category, count, kg in db.session.execute(query):
        bucket = expired if expiry < today else buckets[_month_index(starts, expiry)]
        category = Category(category)
        bucket.tonnes[category] = bucket.tonnes.get(category, 0.0) + float(kg or 0) / 1000
        bucket.batches += int(count)
    return expired, buckets


def _month_index(starts: list[date], day: date) -> int:
    return (day.year - starts[0].year) * 12 + day.month - starts[0].month


# --- What is in transit -------------------------------------------------------------------------


@dataclass
class TransitRow:
    transfer: Transfer
    units: int
    tonnes: float


def in_transit(scope: Scope, limit: int = 50) -> tuple[list[TransitRow], int, float]:
    """Transfer orders on the road that leave from or go to a depot in scope: (rows, count, tonnes)."""
    touches = scope.depots(Transfer.from_depot_id) | scope.depots(Transfer.to_depot_id)
    sums = (
        select(
            Transfer.id,
            func.sum(TransferPick.quantity).label("units"),
            func.sum(_kg(TransferPick.quantity)).label("kg"),
        )
        .join(TransferLine, TransferLine.transfer_id == Transfer.id)
        .join(TransferPick, TransferPick.line_id == TransferLine.id)
        .join(Item, Item.id == TransferLine.item_id)
        .where(Transfer.status == TransferStatus.IN_TRANSIT, touches)
        .group_by(Transfer.id)
        .subquery()
    )
    count, kg = db.session.execute(
        select(func.count(), func.coalesce(func.sum(sums.c.kg), 0)).select_from(sums)
    ).one()
    rows = db.session.execute(
        select(Transfer, sums.c.units, sums.c.kg)
        .join(sums, sums.c.id == Transfer.id)
        .order_by(Transfer.dispatched_at, Transfer.id)
        .limit(limit)
    ).all()
    return [TransitRow(t, int(u), float(k or 0) / 1000) for t, u, k in rows], int(count), float(kg) / 1000


# --- How stock moved ----------------------------------------------------------------------------


def _zone():
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai"))


def local_month_bounds(starts: list[date]) -> list[datetime]:
    """Local midnights of the month starts, as aware datetimes (the ledger stores UTC)."""
    zone = _zone()
    return [datetime.combine(day, time(0), zone) for day in starts]


@dataclass
class FlowMonth:
    start: date
    tonnes: dict = field(default_factory=dict)  # flow name -> tonnes
    movements: dict = field(default_factory=dict)  # flow name -> number of ledger rows

    @property
    def key(self) -> str:
        return f"{self.start:%Y-%m}"


def monthly_flows(scope: Scope, today: date, months: int = MONTHS) -> list[FlowMonth]:
    """Per month (the last `months`, this one included), from the ledger: tonnes received, issued,
    transferred out and in, and written off, with the number of movements behind each figure."""
    first = month_starts(today, 0)[0]
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    starts = month_starts(first, months)
    bounds = local_month_bounds(starts)
    bucket = case(*((Movement.created_at < bound, n) for n, bound in enumerate(bounds[1:])), else_=-1)
    kinds = [kind for group in FLOW_KINDS.values() for kind in group]
    query = (
        select(bucket.label("month"), Movement.kind, func.count(), func.sum(_kg(func.abs(Movement.quantity))))
        .join(Item, Item.id == Movement.item_id)
        .where(
            Movement.created_at >= bounds[0],
            Movement.created_at < bounds[-1],
            Movement.kind.in_(kinds),
            scope.depots(Movement.depot_id),
        )
        .group_by(bucket, Movement.kind)
    )
    flow_of = {kind: name for name, group in FLOW_KINDS.items() for kind in group}
    result = [FlowMonth(start) for start in starts[:-1]]
    for month, kind, count, kg in db.session.execute(query):
        if month < 0:
            continue
        name = flow_of[MovementKind(kind)]
        entry = result[month]
        entry.tonnes[name] = entry.tonnes.get(name, 0.0) + float(kg or 0) / 1000
        entry.movements[name] = entry.movements.get(name, 0) + int(count)
    return result


# --- The lists behind the figures -----------------------------------------------------------------


@dataclass
class Page:
    rows: list
    total: int  # rows over every page
    tonnes: float  # over every page: the figure the list explains
    units: int | None  # over every page, when one item is listed (units of different items never add)
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _paged(query, amount, page: int, per_page: int, item_id, order, options=()) -> Page:
    sums = query.with_only_columns(func.count(), func.coalesce(func.sum(_kg(amount)), 0), func.sum(amount))
    total, kg, units = db.session.execute(sums.order_by(None)).one()
    shown = query.options(*options).order_by(*order).limit(per_page).offset((page - 1) * per_page)
    rows = db.session.scalars(shown).all()
    return Page(rows, int(total), float(kg) / 1000, int(units or 0) if item_id else None, page, per_page)


def batch_page(
    scope: Scope,
    today: date,
    *,
    item_id=None,
    category=None,
    expiry_month=None,
    source=None,
    donor=None,
    page=1,
    per_page=100,
) -> Page:
    """The batches holding stock in scope, filtered as a dashboard figure was: by item or category,
    by expiry month ("YYYY-MM", or "expired" for stock past its date still on hand), and by how the
    goods came in (source, donor: stock.balances.origin_filters)."""
    query = (
        select(Batch)
        .join(Item, Item.id == Batch.item_id)
        .where(Batch.quantity > 0, scope.depots(Batch.depot_id))
    )
    query = origin_filters(query, source, donor)
    if item_id is not None:
        query = query.where(Batch.item_id == item_id)
    if category is not None:
        query = query.where(Item.category == category)
    if expiry_month == "expired":
        query = query.where(
            Batch.expiry_date < today, Batch.status.in_((*ON_HAND_STATUSES, BatchStatus.EXPIRED))
        )
    elif expiry_month:
        start = date(int(expiry_month[:4]), int(expiry_month[5:]), 1)
        end = month_starts(start, 1)[1]
        query = query.where(
            Batch.expiry_date >= max(start, today),
            Batch.expiry_date < end,
            Batch.status.in_((*ON_HAND_STATUSES, BatchStatus.EXPIRED)),
        )
    order = (Batch.expiry_date, Batch.id)
    return _paged(query, Batch.quantity, page, per_page, item_id, order, (selectinload(Batch.depot),))


def movement_page(
    scope: Scope, *, flow=None, month=None, item_id=None, category=None, page=1, per_page=100
) -> Page:
    """The ledger rows in scope behind a monthly flow figure: by flow (received, issued, ...),
    local month ("YYYY-MM"), item or category; newest first."""
    query = select(Movement).join(Item, Item.id == Movement.item_id).where(scope.depots(Movement.depot_id))
    if flow is not None:
        query = query.where(Movement.kind.in_(FLOW_KINDS[flow]))
    if month:
        start = date(int(month[:4]), int(month[5:]), 1)
        low, high = local_month_bounds(month_starts(start, 1))
        query = query.where(Movement.created_at >= low, Movement.created_at < high)
    if item_id is not None:
        query = query.where(Movement.item_id == item_id)
    if category is not None:
        query = query.where(Item.category == category)
    load = selectinload(Movement.batch).selectinload(Batch.depot)
    return _paged(query, func.abs(Movement.quantity), page, per_page, item_id, (Movement.id.desc(),), (load,))


# --- The start page's stock card ------------------------------------------------------------------


@dataclass
class Summary:
    tonnes: float  # on hand, by weight (different items' units are never added)
    available_tonnes: float
    items: int  # items with stock on hand
    unweighed_items: int  # of those, items with no unit weight (not in the tonnes)
    transit_orders: int
    transit_tonnes: float


def scope_summary(scope: Scope) -> Summary:
    """The few figures of the start page's stock card, for exactly the user's scope."""
    tonnes, available, items, unweighed = db.session.execute(
        select(
            func.coalesce(func.sum(_kg(StockLevel.on_hand)), 0),
            func.coalesce(func.sum(_kg(StockLevel.available)), 0),
            func.count(func.distinct(StockLevel.item_id)),
            func.count(func.distinct(case((Item.unit_weight_kg.is_(None), StockLevel.item_id)))),
        )
        .join(Item, Item.id == StockLevel.item_id)
        .where(StockLevel.on_hand > 0, scope.depots(StockLevel.depot_id))
    ).one()
    _rows, orders, transit_tonnes = in_transit(scope, limit=0)
    return Summary(
        float(tonnes) / 1000, float(available) / 1000, int(items), int(unweighed), orders, transit_tonnes
    )


# --- Norm, shortfall and expiring columns of the stock pages --------------------------------------


@dataclass
class NormFigures:
    norm: int = 0
    usable: int = 0
    short: int = 0  # units below norm, summed over depots (a surplus elsewhere not set against it)
    short_depots: int = 0
    expiring: int = 0  # units on hand expiring within the horizon (not yet expired)


def norm_figures(scope: Scope, today: date, days: int, *, by: str, item_id=None) -> dict[int, NormFigures]:
    """{item id or depot id: NormFigures} in scope, `by` "item" or "depot" (then for one item)."""
    pairs = _norm_pairs(scope, today, [item_id] if item_id is not None else None)
    key = pairs.c.item_id if by == "item" else pairs.c.depot_id
    gap = case((pairs.c.usable < pairs.c.norm, pairs.c.norm - pairs.c.usable), else_=0)
    figures: dict[int, NormFigures] = defaultdict(NormFigures)
    for k, norm, usable, short, depots in db.session.execute(
        select(
            key,
            func.sum(pairs.c.norm),
            func.sum(pairs.c.usable),
            func.sum(gap),
            func.sum(case((pairs.c.usable < pairs.c.norm, 1), else_=0)),
        ).group_by(key)
    ):
        figures[k] = NormFigures(int(norm), int(usable), int(short), int(depots))
    column = Batch.item_id if by == "item" else Batch.depot_id
    query = select(column, func.sum(Batch.quantity)).where(
        Batch.quantity > 0,
        Batch.status.in_(ON_HAND_STATUSES),
        Batch.expiry_date >= today,
        Batch.expiry_date <= today + timedelta(days=days),
        scope.depots(Batch.depot_id),
    )
    if item_id is not None:
        query = query.where(Batch.item_id == item_id)
    for k, units in db.session.execute(query.group_by(column)):
        figures[k].expiring = int(units)
    return figures


def depots_by_id(ids) -> dict:
    """{id: Depot} for the given ids (depots with a norm but nothing on hand, for the item page)."""
    from ..network.models import Depot

    if not ids:
        return {}
    return {d.id: d for d in db.session.scalars(select(Depot).where(Depot.id.in_(list(ids))))}
