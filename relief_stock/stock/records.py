"""Stock records listed for the pages: the ledger of one batch and the stocktakes of one depot.
Nothing here writes."""

from sqlalchemy import select

from ..extensions import db
from ..network.models import Depot
from .kinds import StocktakeStatus
from .models import Batch, Movement, Stocktake


def batch_history(batch: Batch) -> list[Movement]:
    """The ledger of one batch, oldest first."""
    return list(
        db.session.scalars(select(Movement).where(Movement.batch_id == batch.id).order_by(Movement.id))
    )


def depot_stocktakes(depot: Depot, status: StocktakeStatus | None = None) -> list[Stocktake]:
    """The stocktakes of `depot`, newest first; only those in `status` when given (the field app
    caches the open ones for counting offline)."""
    query = select(Stocktake).where(Stocktake.depot_id == depot.id)
    if status is not None:
        query = query.where(Stocktake.status == status)
    return list(db.session.scalars(query.order_by(Stocktake.id.desc())))
