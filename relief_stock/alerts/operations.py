"""Writes of the alerts domain: reserve norms, per-capita standards, acknowledging alerts.

Like every operation they check permission, raise typed errors, flush and never commit. A depot's
own norm is set by anyone who manages alerts for that depot; norms for a whole tier and per-capita
standards shape the whole network, so they need network management rights (administrators).
"""

from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.permissions import Action, require
from ..database import utcnow
from ..errors import BadInput, Conflict
from ..extensions import db
from ..network.models import Tier
from .models import Alert, AlertState, PerCapitaStandard, ReserveNorm

MAX_QUANTITY = 10_000_000


def check_quantity(value, field: str = "quantity", *, allow_zero: bool = True) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadInput(_("The quantity must be a whole number."), field=field)
    if value < (0 if allow_zero else 1) or value > MAX_QUANTITY:
        raise BadInput(
            _(
                "The quantity must be between %(low)d and %(high)d.",
                low=0 if allow_zero else 1,
                high=MAX_QUANTITY,
            ),
            field=field,
        )
    return value


def set_norm(user, item, quantity: int | None, *, depot=None, tier: Tier | None = None) -> ReserveNorm | None:
    """Set (or, with quantity None, remove) the norm of `item` for one depot or for a whole tier."""
    if (depot is None) == (tier is None):
        raise BadInput(_("A norm is set either for one depot or for a tier."), field="depot")
    if depot is not None:
        require(user, Action.MANAGE_ALERTS, depot)
        where = (ReserveNorm.item_id == item.id, ReserveNorm.depot_id == depot.id)
    else:
        require(user, Action.MANAGE_NETWORK)
        where = (ReserveNorm.item_id == item.id, ReserveNorm.tier == tier)
    norm = db.session.scalar(select(ReserveNorm).where(*where))
    if quantity is None:
        if norm is not None:
            db.session.delete(norm)
            db.session.flush()
        return None
    check_quantity(quantity)
    if norm is None:
        norm = ReserveNorm(
            item_id=item.id, depot_id=depot.id if depot else None, tier=tier, quantity=quantity
        )
        db.session.add(norm)
    else:
        norm.quantity = quantity
    db.session.flush()
    return norm


def set_standard(
    user, item, tier: Tier, quantity: int | None, *, per_residents: int = 1000, source: str | None = None
) -> PerCapitaStandard | None:
    """Set (or remove) the per-capita standard: `quantity` of `item` per `per_residents` residents
    served by each depot of `tier`."""
    require(user, Action.MANAGE_NETWORK)
    standard = db.session.scalar(
        select(PerCapitaStandard).where(PerCapitaStandard.item_id == item.id, PerCapitaStandard.tier == tier)
    )
    if quantity is None:
        if standard is not None:
            db.session.delete(standard)
            db.session.flush()
        return None
    check_quantity(quantity)
    check_quantity(per_residents, "per_residents", allow_zero=False)
    if standard is None:
        standard = PerCapitaStandard(item_id=item.id, tier=tier)
        db.session.add(standard)
    standard.quantity, standard.per_residents, standard.source = quantity, per_residents, source
    db.session.flush()
    return standard


def acknowledge(user, alert: Alert, note: str | None = None) -> Alert:
    """Mark an active alert as seen and handled by `user`, with a note. It still resolves on its own
    when the condition clears. Raises Conflict for a resolved alert."""
    require(user, Action.MANAGE_ALERTS, alert.depot)
    if alert.state is AlertState.RESOLVED:
        raise Conflict(_("This alert is already resolved."))
    note = (note or "").strip()
    if len(note) > 2000:
        raise BadInput(_("The note is too long (at most 2000 characters)."), field="note")
    alert.state = AlertState.ACKNOWLEDGED
    alert.acknowledged_by_id = user.id
    alert.acknowledged_at = utcnow()
    alert.note = note or None
    db.session.flush()
    return alert
