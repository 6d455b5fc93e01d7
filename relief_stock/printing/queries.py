"""Reads for printing: the rows a printout needs, loaded in a few queries (not one per label)."""

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..errors import NotFound
from ..extensions import db
from ..network.models import Location
from ..stock.kinds import BatchStatus, MovementKind
from ..stock.models import Batch, Movement, Receipt, Transfer, TransferLine, TransferPick

_BATCH_LOADS = (selectinload(Batch.depot), selectinload(Batch.location))


def batches_by_ids(ids: list[int]) -> list[Batch]:
    """The batches, in the order asked; NotFound names the first id that does not exist."""
    rows = {
        b.id: b for b in db.session.scalars(select(Batch).where(Batch.id.in_(ids)).options(*_BATCH_LOADS))
    }
    missing = [i for i in ids if i not in rows]
    if missing:
        raise NotFound(_("No batch with id %(id)s.", id=missing[0]))
    return [rows[i] for i in ids]


# What a receipt's or a transfer's printout walks, loaded with it (stock.lookups finds the record).
RECEIPT_LOADS = (selectinload(Receipt.batches).selectinload(Batch.location), selectinload(Receipt.depot))
TRANSFER_LOADS = (
    selectinload(Transfer.lines)
    .selectinload(TransferLine.picks)
    .selectinload(TransferPick.batch)
    .selectinload(Batch.location),
    selectinload(Transfer.from_depot),
    selectinload(Transfer.to_depot),
)


def received_quantities(receipt: Receipt) -> dict[int, int]:
    """Batch id -> quantity the receipt took in (its RECEIPT movements)."""
    rows = db.session.execute(
        select(Movement.batch_id, func.sum(Movement.quantity))
        .where(
            Movement.kind == MovementKind.RECEIPT,
            Movement.document_type == "receipt",
            Movement.document_id == receipt.id,
        )
        .group_by(Movement.batch_id)
    )
    return {batch_id: int(total) for batch_id, total in rows}


def issuable_batches(transfer: Transfer) -> list[Batch]:
    """Available batches with stock at the sending depot, of the items the transfer orders."""
    item_ids = {line.item_id for line in transfer.lines}
    if not item_ids:
        return []
    return list(
        db.session.scalars(
            select(Batch)
            .where(
                Batch.depot_id == transfer.from_depot_id,
                Batch.item_id.in_(item_ids),
                Batch.status == BatchStatus.AVAILABLE,
                Batch.quantity > 0,
            )
            .options(selectinload(Batch.location))
        )
    )


def locations_for_labels(depot, ids: list[int] | None = None) -> list[Location]:
    """The depot's active locations (or the chosen ones), in code order."""
    query = select(Location).where(Location.depot_id == depot.id).order_by(Location.code)
    if ids:
        query = query.where(Location.id.in_(ids))
    else:
        query = query.where(Location.is_active.is_(True))
    found = list(db.session.scalars(query))
    if ids and len(found) != len(set(ids)):
        missing = sorted(set(ids) - {location.id for location in found})
        raise NotFound(_("No location with id %(id)s in this depot.", id=missing[0]))
    return found
