"""Writes of the alerts domain: reserve norms, per-capita standards, acknowledging alerts.

Like every operation they check permission, raise typed errors, flush and never commit. A depot's
own norm is set by anyone who manages alerts for that depot; norms for a whole tier and per-capita
standards shape the whole network, so they need network management rights (administrators).
"""

from flask_babel import gettext as _
from sqlalchemy import select

from ..audit import operations as audit
from ..auth.permissions import Action, require
from ..catalogue.queries import item_by_sku
from ..database import utcnow
from ..errors import BadInput, Conflict
from ..extensions import db
from ..network.models import Tier
from ..network.queries import depot_by_code
from ..quantities import whole_number
from .lookups import tier_or_none
from .models import Alert, AlertState, PerCapitaStandard, ReserveNorm

MAX_QUANTITY = 10_000_000


def check_quantity(value, field: str = "quantity", *, allow_zero: bool = True) -> int:
    whole_number(value, field, _("The quantity must be a whole number."))
    low = 0 if allow_zero else 1
    message = _("The quantity must be between %(low)d and %(high)d.", low=low, high=MAX_QUANTITY)
    return whole_number(value, field, message, low=low, high=MAX_QUANTITY)


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
    target = f"{item.sku} @ {depot.code if depot is not None else tier.value}"
    if quantity is None:
        if norm is not None:
            audit.record(user, "norm.set", target, norm.quantity, None)
            db.session.delete(norm)
            db.session.flush()
        return None
    check_quantity(quantity)
    audit.record(user, "norm.set", target, norm.quantity if norm is not None else None, quantity)
    if norm is None:
        norm = ReserveNorm(
            item_id=item.id, depot_id=depot.id if depot else None, tier=tier, quantity=quantity
        )
        db.session.add(norm)
    else:
        norm.quantity = quantity
    db.session.flush()
    return norm


def set_norm_from(user, data: dict) -> ReserveNorm | None:
    """`set_norm` from loaded NormSchema data (the page's form and the API): the item by `sku`, the
    depot by code or the tier by value, each refused naming its field when it names nothing."""
    return set_norm(
        user,
        item_by_sku(data["sku"], "sku"),
        data["quantity"],
        depot=depot_by_code(data["depot"], "depot", optional=True),
        tier=tier_or_none(data["tier"]),
    )


def set_standard(
    user, item, tier: Tier, quantity: int | None, *, per_residents: int = 1000, source: str | None = None
) -> PerCapitaStandard | None:
    """Set (or remove) the per-capita standard: `quantity` of `item` per `per_residents` residents
    served by each depot of `tier`."""
    require(user, Action.MANAGE_NETWORK)
    standard = db.session.scalar(
        select(PerCapitaStandard).where(PerCapitaStandard.item_id == item.id, PerCapitaStandard.tier == tier)
    )
    target = f"{item.sku} @ {tier.value}"
    if quantity is None:
        if standard is not None:
            audit.record(user, "standard.set", target, _per(standard.quantity, standard.per_residents), None)
            db.session.delete(standard)
            db.session.flush()
        return None
    check_quantity(quantity)
    check_quantity(per_residents, "per_residents", allow_zero=False)
    before = _per(standard.quantity, standard.per_residents) if standard is not None else None
    audit.record(user, "standard.set", target, before, _per(quantity, per_residents))
    if standard is None:
        standard = PerCapitaStandard(item_id=item.id, tier=tier)
        db.session.add(standard)
    standard.quantity, standard.per_residents, standard.source = quantity, per_residents, source
    db.session.flush()
    return standard


def _per(quantity, per_residents) -> str:
    return f"{quantity} / {per_residents}"


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
