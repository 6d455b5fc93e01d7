"""Depot and location operations: create, edit, move in the tree, deactivate. They flush only.

Each takes the acting user first and decides access itself (`auth.permissions`), so no caller (page,
API or command line, which passes `permissions.SYSTEM`) can skip it; depot changes go to the audit log.
"""

from flask_babel import gettext as _
from sqlalchemy import String, func, literal, select

from ..audit import operations as audit
from ..auth.permissions import Action, can, loads, require
from ..errors import BadInput, Conflict
from ..extensions import db
from .models import Depot, Location, Tier
from .queries import depot_by_code

DEPOT_FIELDS = (
    "name_zh",
    "name_en",
    "lat",
    "lng",
    "address",
    "contact_name",
    "contact_phone",
    "served_population",
    "avg_household_size",
)


def _check_parent(tier: Tier, parent: Depot | None) -> None:
    expected = tier.parent_tier
    if expected is None and parent is not None:
        raise BadInput(_("A province depot has no parent."), field="parent_code")
    if expected is not None and (parent is None or parent.tier is not expected):
        raise BadInput(
            _(
                "A %(tier)s depot's parent must be a %(parent)s depot.",
                tier=tier.label,
                parent=expected.label,
            ),
            field="parent_code",
        )


def _path(parent: Depot | None, code: str) -> str:
    return (parent.path if parent else "/") + code + "/"


def create_depot(actor, *, code: str, tier: Tier, parent: Depot | None = None, **fields) -> Depot:
    """Add a depot under `parent`. Raises Conflict on a taken code, BadInput on a wrong parent tier."""
    require(actor, Action.MANAGE_NETWORK)
    if db.session.scalar(select(Depot.id).where(Depot.code == code)) is not None:
        raise Conflict(_("Depot code %(code)s is taken.", code=code), field="code")
    _check_parent(tier, parent)
    depot = Depot(
        code=code,
        tier=tier,
        parent=parent,
        path=_path(parent, code),
        **{k: v for k, v in fields.items() if k in DEPOT_FIELDS or k == "is_active"},
    )
    db.session.add(depot)
    db.session.flush()
    audit.record(actor, "depot.create", code, None, f"{tier.value} @{parent.code}" if parent else tier.value)
    return depot


def update_depot(actor, depot: Depot, *, parent: Depot | None = ..., **fields) -> Depot:
    """Edit a depot's details; a new parent re-roots the depot's whole subtree (and is written to
    the audit log as done by `actor`)."""
    require(actor, Action.MANAGE_NETWORK)
    for field, value in fields.items():
        if field not in DEPOT_FIELDS:
            raise BadInput(_("%(field)s cannot be changed.", field=field), field=field)
        setattr(depot, field, value)
    if parent is not ... and parent is not depot.parent:
        _check_parent(depot.tier, parent)
        old_path, new_path = depot.path, _path(parent, depot.code)
        audit.record(
            actor,
            "depot.parent",
            depot.code,
            depot.parent.code if depot.parent else None,
            parent.code if parent else None,
        )
        depot.parent = parent
        # One UPDATE re-roots every descendant: their paths all start with the old prefix.
        db.session.execute(
            Depot.__table__.update()
            .where(Depot.path.startswith(old_path))
            .values(path=literal(new_path, String) + func.substr(Depot.path, len(old_path) + 1))
        )
        db.session.expire_all()
    db.session.flush()
    return depot


def set_depot_active(actor, depot: Depot, active: bool) -> Depot:
    """Deactivate (or reactivate) a depot. A depot is never deleted: its history must stay readable.

    Raises Conflict when deactivating a depot that still holds stock or has active child depots.
    """
    require(actor, Action.MANAGE_NETWORK)
    if not active:
        if any(child.is_active for child in depot.children):
            raise Conflict(_("Deactivate the depots under %(code)s first.", code=depot.code))
        if depot_holds_stock(depot):
            raise Conflict(
                _("Depot %(code)s still holds stock; transfer or write it off first.", code=depot.code)
            )
    audit.record(actor, "depot.active", depot.code, depot.is_active, active)
    depot.is_active = active
    db.session.flush()
    return depot


def depot_holds_stock(depot: Depot) -> bool:
    from ..stock.models import StockLevel

    return bool(
        db.session.scalar(
            select(func.coalesce(func.sum(StockLevel.on_hand), 0)).where(StockLevel.depot_id == depot.id)
        )
    )


def create_location(actor, depot: Depot, code: str, name: str | None = None) -> Location:
    """Add a storage location to a depot. Raises Conflict when the code exists in that depot."""
    require_location_manager(actor, depot)
    code = code.strip().upper()
    if not code:
        raise BadInput(_("A location needs a code."), field="code")
    taken = db.session.scalar(select(Location.id).where(Location.depot_id == depot.id, Location.code == code))
    if taken is not None:
        raise Conflict(_("Location %(code)s exists in this depot.", code=code), field="code")
    location = Location(depot=depot, code=code, name=name)
    db.session.add(location)
    db.session.flush()
    return location


def require_location_manager(user, depot: Depot) -> None:
    """Locations are set up by an administrator, or by a keeper for a depot in his scope.

    Raises PermissionDenied (403) otherwise.
    """
    if not can(user, Action.MANAGE_NETWORK):
        require(user, Action.OPERATE_STOCK, depot)


# "load, check, act" for the pages and API that add locations: the depot in the URL, its location
# managers only, refused before the form or body is read (an outsider learns nothing, not even a 422).
depot_for_locations = loads("code", depot_by_code, require_location_manager, into="depot")
