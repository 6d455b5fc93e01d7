"""Stock committed to emergencies on the province's picture: units promised to approved transfer
orders that have not left yet, within a `Scope` (a keeper's depot, a dispatcher's subtree).

Two grouped reads, nothing written: the figures per category and item come from the balances
(`stock_levels.committed`), the orders holding them from the commitment ledger (`commitments`,
summed per order and item). `flask stock reconcile` keeps the two equal, so the orders always add up
to the figures. Units of different items are never added; across items the measure is tonnes.
"""

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ..catalogue.models import Category, Item
from ..dispatch.models import Emergency, Plan, PlanTransfer
from ..extensions import db
from ..stock.models import Commitment, StockLevel, Transfer, TransferLine
from .queries import _items, _kg
from .scope import Scope


@dataclass
class OrderLine:
    item: Item
    units: int


@dataclass
class CommittedOrder:
    transfer: Transfer
    emergency: Emergency | None
    lines: list = field(default_factory=list)  # OrderLine, one per item still promised
    tonnes: float = 0.0


@dataclass
class CommittedItem:
    item: Item
    units: int
    tonnes: float
    transfers: list = field(default_factory=list)  # the order numbers holding it


@dataclass
class CommittedCategory:
    category: Category
    tonnes: float = 0.0
    items: list = field(default_factory=list)  # CommittedItem, in units of each item
    unweighed_items: int = 0


@dataclass
class Committed:
    categories: list  # CommittedCategory, in category order
    orders: list  # CommittedOrder, oldest first

    @property
    def tonnes(self) -> float:
        return sum(c.tonnes for c in self.categories)


def committed_stock(scope: Scope) -> Committed:
    """What the depots in scope have promised, per category and item, and the orders holding it."""
    rows = db.session.execute(
        select(StockLevel.item_id, func.sum(StockLevel.committed), func.sum(_kg(StockLevel.committed)))
        .join(Item, Item.id == StockLevel.item_id)
        .where(StockLevel.committed > 0, scope.depots(StockLevel.depot_id))
        .group_by(StockLevel.item_id)
    ).all()
    orders = _orders(scope)
    holding: dict[int, list[str]] = {}
    for order in orders:
        for line in order.lines:
            holding.setdefault(line.item.id, []).append(order.transfer.number)
    items = _items({item_id for item_id, _units, _kg_ in rows})
    categories: dict[Category, CommittedCategory] = {}
    for item_id, units, kg in sorted(rows, key=lambda r: items[r[0]].sku):
        item = items[item_id]
        entry = CommittedItem(item, int(units), float(kg or 0) / 1000, holding.get(item_id, []))
        category = categories.setdefault(item.category, CommittedCategory(item.category))
        category.items.append(entry)
        category.tonnes += entry.tonnes
        category.unweighed_items += item.unit_weight_kg is None
    return Committed([categories[c] for c in Category if c in categories], orders)


def _orders(scope: Scope) -> list[CommittedOrder]:
    """The orders from depots in scope with units still promised: one grouped query per order x item."""
    line = aliased(TransferLine)
    promised = func.sum(Commitment.quantity)
    rows = db.session.execute(
        select(Transfer, Emergency, Item, promised, func.sum(_kg(Commitment.quantity)))
        .select_from(Commitment)
        .join(line, line.id == Commitment.transfer_line_id)
        .join(Transfer, Transfer.id == line.transfer_id)
        .join(Item, Item.id == Commitment.item_id)
        .outerjoin(PlanTransfer, PlanTransfer.transfer_id == Transfer.id)
        .outerjoin(Plan, Plan.id == PlanTransfer.plan_id)
        .outerjoin(Emergency, Emergency.id == Plan.emergency_id)
        .where(scope.depots(Commitment.depot_id))
        .group_by(Transfer.id, Emergency.id, Item.id)
        .having(promised > 0)
        .order_by(Transfer.created_at, Transfer.id, Item.sku)
    ).all()
    orders: dict[int, CommittedOrder] = {}
    for transfer, emergency, item, units, kg in rows:
        order = orders.setdefault(transfer.id, CommittedOrder(transfer, emergency))
        order.lines.append(OrderLine(item, int(units)))
        order.tonnes += float(kg or 0) / 1000
    return list(orders.values())
