"""The Print menu's page (打印): every paper a depot prints, one tap each, for the user's depot (or the
depot in ?depot=<code> within the user's scope): location labels, the labels and notes of recent
receipts, the manifests and picking lists of open transfers, and the count sheets of open counts.
"""

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import or_, select

from ..auth.permissions import Action, can, require, requires
from ..extensions import db
from ..network.queries import depot_by_code, locations_of
from ..stock.kinds import StocktakeStatus, TransferStatus
from ..stock.models import Receipt, Transfer
from ..stock.records import depot_stocktakes
from .views import bp

RECENT_RECEIPTS = 10


def _papers(depot) -> dict:
    receipts = db.session.scalars(
        select(Receipt).where(Receipt.depot_id == depot.id).order_by(Receipt.id.desc()).limit(RECENT_RECEIPTS)
    ).all()
    transfers = db.session.scalars(
        select(Transfer)
        .where(
            or_(Transfer.from_depot_id == depot.id, Transfer.to_depot_id == depot.id),
            Transfer.status.in_((TransferStatus.DRAFT, TransferStatus.IN_TRANSIT)),
        )
        .order_by(Transfer.id.desc())
    ).all()
    counts = depot_stocktakes(depot, StocktakeStatus.OPEN)
    return {
        "receipts": receipts,
        "transfers": transfers,
        "counts": counts,
        "location_count": len(locations_of(depot, active_only=True)),
    }


@bp.get("/")
@requires(Action.VIEW)
def index():
    """Everything printable for one depot."""
    code = request.args.get("depot") or (current_user.depot.code if current_user.depot else None)
    depot = depot_by_code(code) if code else None
    if depot is not None:
        require(current_user, Action.VIEW, depot)
    return render_template(
        "printing/index.html",
        depot=depot,
        may_operate=depot is not None and can(current_user, Action.OPERATE_STOCK, depot),
        **(_papers(depot) if depot is not None else {}),
    )
