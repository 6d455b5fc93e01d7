"""The keeper's work list: a depot's transfer orders to pick, to dispatch and arriving, with ETA.

Reads only. An order still being picked is "to pick" while any line lacks units and "to dispatch"
once every line is picked in full (a keeper may also dispatch a partly picked order from its page).
Arrivals are orders in transit to the depot; the ETA is the dispatch time plus the road distance
(haversine x DISPATCH_ROAD_FACTOR) at DISPATCH_SPEED_KMH.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..stock.kinds import TransferStatus
from ..stock.models import Transfer, TransferLine
from .geo import DEFAULT_ROAD_FACTOR, haversine_km
from .trucks import DEFAULT_SPEED_KMH


@dataclass
class WorkList:
    depot: object
    to_pick: list = field(default_factory=list)
    to_dispatch: list = field(default_factory=list)
    arriving: list = field(default_factory=list)  # (transfer, eta or None)

    @property
    def count(self) -> int:
        return len(self.to_pick) + len(self.to_dispatch) + len(self.arriving)


def fully_picked(transfer: Transfer) -> bool:
    return all(sum(p.quantity for p in line.picks) >= line.quantity for line in transfer.lines)


def eta(transfer: Transfer) -> datetime | None:
    """When an order in transit should arrive (None without a dispatch time or coordinates)."""
    start, origin = transfer.dispatched_at, transfer.from_depot
    if start is None or None in (origin.lat, origin.lng, transfer.to_lat, transfer.to_lng):
        return None
    km = float(haversine_km(origin.lat, origin.lng, transfer.to_lat, transfer.to_lng))
    km *= current_app.config.get("DISPATCH_ROAD_FACTOR", DEFAULT_ROAD_FACTOR)
    speed = current_app.config.get("DISPATCH_SPEED_KMH", DEFAULT_SPEED_KMH)
    return start + timedelta(hours=km / speed)


def work_list(depot) -> WorkList:
    """What a depot's keeper has to do now, oldest order first (drills included, badged as such)."""
    loading = (
        selectinload(Transfer.lines).selectinload(TransferLine.picks),
        selectinload(Transfer.from_depot),
    )
    outgoing = db.session.scalars(
        select(Transfer)
        .where(Transfer.from_depot_id == depot.id, Transfer.status == TransferStatus.DRAFT)
        .options(*loading)
        .order_by(Transfer.created_at, Transfer.id)
    )
    result = WorkList(depot)
    for transfer in outgoing:
        (result.to_dispatch if fully_picked(transfer) else result.to_pick).append(transfer)
    incoming = db.session.scalars(
        select(Transfer)
        .where(Transfer.to_depot_id == depot.id, Transfer.status == TransferStatus.IN_TRANSIT)
        .options(*loading)
        .order_by(Transfer.dispatched_at, Transfer.id)
    )
    result.arriving = [(t, eta(t)) for t in incoming]
    return result


def panel_context(user) -> dict:
    """Dashboard panel: the signed-in keeper's depot and its work list (nothing for depot-less users)."""
    depot = getattr(user, "depot", None)
    return {"work": work_list(depot) if depot is not None else None}
