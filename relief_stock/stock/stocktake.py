"""Stocktake (盘点): open a count, record what is on the shelf, see the differences, post them.

Counting against live stock, batch by batch: when a keeper records a batch, the line keeps the
batch's system quantity *at that moment*. Posting books `counted - system_quantity` as a
COUNT_CORRECTION on the live balance, so an issue made after the shelf was counted is kept, and
one made before is already in the system quantity: nothing is lost or counted twice. A batch that
was not counted is left as it is (a partial count is allowed; record 0 for a batch that is gone).
Goods found that the system does not know are recorded by item (and expiry) and become new batches
(source "found in stocktake") when the count is posted. Posting is all or nothing.
"""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.permissions import Action, require
from ..database import local_today
from ..errors import BadInput, Conflict
from ..extensions import db
from ..network.models import Location
from ..quantities import whole_number
from .batches import new_batch, stamp
from .checks import positive
from .kinds import BatchStatus, MovementKind, SourceKind, StocktakeStatus
from .ledger import Document, post
from .models import Batch, Stocktake, StocktakeLine


def open_stocktake(user, depot, location=None) -> Stocktake:
    """Start counting `depot` (or one `location` in it)."""
    require(user, Action.OPERATE_STOCK, depot)
    if location is not None and location.depot_id != depot.id:
        raise BadInput(
            _("Location %(code)s is not in depot %(depot)s.", code=location.code, depot=depot.code),
            field="location",
        )
    stocktake = Stocktake(
        depot_id=depot.id, location_id=location.id if location else None, opened_by_id=user.id
    )
    db.session.add(stocktake)
    db.session.flush()
    return stocktake


def _require_open(user, stocktake: Stocktake) -> None:
    require(user, Action.OPERATE_STOCK, stocktake.depot)
    if stocktake.status is not StocktakeStatus.OPEN:
        raise Conflict(_("This stocktake is %(status)s.", status=stocktake.status.label), field="status")


def _count(value) -> int:
    return whole_number(
        value, "counted", _("The counted quantity must be a whole number, zero or more."), low=0
    )


def counted_batches(stocktake: Stocktake):
    """The batches this count covers: in the depot (or location), not closed."""
    query = select(Batch).where(Batch.depot_id == stocktake.depot_id, Batch.status != BatchStatus.WRITTEN_OFF)
    if stocktake.location_id is not None:
        query = query.where(Batch.location_id == stocktake.location_id)
    return db.session.scalars(query.order_by(Batch.code))


def record_count(user, stocktake: Stocktake, batch, counted) -> StocktakeLine:
    """Record what is physically there for `batch`; recounting a batch replaces its line."""
    _require_open(user, stocktake)
    counted = _count(counted)
    if batch.depot_id != stocktake.depot_id or (
        stocktake.location_id is not None and batch.location_id != stocktake.location_id
    ):
        raise BadInput(_("Batch %(code)s is not in the place being counted.", code=batch.code), field="batch")
    line = db.session.scalar(
        select(StocktakeLine).where(
            StocktakeLine.stocktake_id == stocktake.id, StocktakeLine.batch_id == batch.id
        )
    )
    db.session.refresh(batch, ["quantity", "status"])  # the system quantity now, not a cached one
    if line is None:
        line = StocktakeLine(stocktake_id=stocktake.id, batch_id=batch.id, item_id=batch.item_id)
        db.session.add(line)
    line.system_quantity, line.counted_quantity = batch.quantity, counted
    stamp(line, "counted_by_id", "counted_at", user)
    db.session.flush()
    return line


def record_found(
    user, stocktake: Stocktake, item, counted, *, expiry_date: date | None = None, location=None
) -> StocktakeLine:
    """Record goods on the shelf that no batch accounts for (no label, or a label from elsewhere)."""
    _require_open(user, stocktake)
    positive(counted, "counted")
    if location is not None and location.depot_id != stocktake.depot_id:
        raise BadInput(
            _("Location %(code)s is not in depot %(depot)s.", code=location.code, depot=stocktake.depot.code),
            field="location",
        )
    line = StocktakeLine(
        stocktake_id=stocktake.id,
        batch_id=None,
        item_id=item.id,
        system_quantity=0,
        counted_quantity=counted,
        expiry_date=expiry_date,
        location_id=(location.id if location else stocktake.location_id),
    )
    stamp(line, "counted_by_id", "counted_at", user)
    db.session.add(line)
    db.session.flush()
    return line


def differences(stocktake: Stocktake) -> list[StocktakeLine]:
    """The counted lines whose count differs from the system quantity at counting time."""
    return [line for line in stocktake.lines if line.difference != 0]


def uncounted(stocktake: Stocktake) -> list[Batch]:
    """Batches in scope with stock that nobody has counted yet."""
    counted = {line.batch_id for line in stocktake.lines}
    return [b for b in counted_batches(stocktake) if b.id not in counted and b.quantity > 0]


def post_stocktake(user, stocktake: Stocktake) -> list:
    """Book every difference as a COUNT_CORRECTION (found goods as new batches), all or nothing."""
    _require_open(user, stocktake)
    closed = db.session.execute(
        Stocktake.__table__.update()
        .where(
            Stocktake.__table__.c.id == stocktake.id,
            Stocktake.__table__.c.status == StocktakeStatus.OPEN.value,
        )
        .values(status=StocktakeStatus.POSTED.value)
    )
    if closed.rowcount != 1:  # somebody posted (or cancelled) it a moment ago
        raise Conflict(_("This stocktake was closed meanwhile."), field="status")
    document = Document("stocktake", stocktake.id)
    movements = []
    for line in sorted(differences(stocktake), key=lambda ln: ln.batch_id or 0):
        if line.batch_id is None:
            batch = new_batch(
                stocktake.depot,
                line.item,
                local_today(),
                source_kind=SourceKind.COUNT,
                expiry_date=line.expiry_date,
                source_ref=f"stocktake {stocktake.id}",
                location=db.session.get(Location, line.location_id) if line.location_id else None,
            )
            line.batch_id = batch.id
        else:
            batch = line.batch
        movements.append(
            post(
                batch,
                MovementKind.COUNT_CORRECTION,
                line.difference,
                user=user,
                expected=batch.status,
                document=document,
                reason=_("Stocktake %(id)d", id=stocktake.id),
            )
        )
    db.session.refresh(stocktake, ["status"])
    stamp(stocktake, "posted_by_id", "posted_at", user)
    db.session.flush()
    return movements
