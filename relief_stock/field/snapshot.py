"""The depot data the field app keeps on the phone: its batches, items, locations, open orders and
open counts, stamped with the server time it was generated at (the app shows its age and sends that
stamp back with each operation, see offline_rules.py). Reads only; a handful of queries per depot.
"""

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..catalogue.queries import list_items
from ..database import local_today, utcnow
from ..extensions import db
from ..i18n import localized
from ..network.queries import locations_of
from ..stock import rules
from ..stock.kinds import BatchStatus, StocktakeStatus, TransferStatus
from ..stock.models import Batch, Transfer, TransferLine
from ..stock.records import depot_stocktakes


def _batch(batch, today) -> dict:
    return {
        "code": batch.code,
        "item": batch.item.sku,
        "quantity": batch.quantity,
        "status": batch.status.value,
        "status_label": str(batch.status.label),
        "expiry_date": batch.expiry_date.isoformat() if batch.expiry_date else None,
        "location": batch.location.code if batch.location else None,
        "issuable": batch.quantity > 0 and rules.is_issuable(batch, today),
    }


def _transfer(transfer, depot) -> dict:
    outgoing = transfer.from_depot_id == depot.id
    return {
        "number": transfer.number,
        "status": transfer.status.value,
        "status_label": str(transfer.status.label),
        "direction": "out" if outgoing else "in",
        "other": localized(transfer.to_depot if outgoing else transfer.from_depot, "name")
        if (transfer.to_depot if outgoing else transfer.from_depot)
        else transfer.to_site_name,
        "is_drill": transfer.is_drill,
        "lines": [
            {
                "item": line.item.sku,
                "quantity": line.quantity,
                "picked": sum(p.quantity for p in line.picks),
                "picks": [{"id": p.id, "batch": p.batch.code, "quantity": p.quantity} for p in line.picks],
            }
            for line in transfer.lines
        ],
    }


def depot_snapshot(depot) -> dict:
    """Everything the field app needs to work at `depot` without a network."""
    today = local_today()
    batches = db.session.scalars(
        select(Batch)
        .options(selectinload(Batch.location))
        .where(Batch.depot_id == depot.id, Batch.status != BatchStatus.WRITTEN_OFF, Batch.quantity > 0)
        .order_by(Batch.item_id, Batch.expiry_date, Batch.id)
    )
    transfers = db.session.scalars(
        select(Transfer)
        .options(selectinload(Transfer.lines).selectinload(TransferLine.picks))
        .where(
            or_(
                (Transfer.from_depot_id == depot.id) & (Transfer.status == TransferStatus.DRAFT),
                (Transfer.to_depot_id == depot.id) & (Transfer.status == TransferStatus.IN_TRANSIT),
            )
        )
        .order_by(Transfer.id)
    )
    return {
        "generated_at": utcnow().isoformat(),
        "depot": {"code": depot.code, "name": localized(depot, "name")},
        "items": [
            {
                "sku": item.sku,
                "name": localized(item, "name"),
                "unit": localized(item, "unit"),
                "is_perishable": item.is_perishable,
            }
            for item in list_items(active=True)
        ],
        "locations": [
            {"code": loc.code, "name": loc.name or ""} for loc in locations_of(depot, active_only=True)
        ],
        "batches": [_batch(batch, today) for batch in batches],
        "transfers": [_transfer(t, depot) for t in transfers],
        "stocktakes": [
            {"id": s.id, "location": s.location.code if s.location else None, "is_blind": s.is_blind}
            for s in depot_stocktakes(depot, StocktakeStatus.OPEN)
        ],
    }
