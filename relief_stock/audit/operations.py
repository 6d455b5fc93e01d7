"""Appending to the audit log. Called by every operation that changes the rules of the network
(users and roles, depots and their parents, norms and standards, the catalogue, relief categories,
vehicle types) inside its unit of work; like every operation it flushes and leaves the commit to the
caller. A change made from the command line (`permissions.SYSTEM`) is recorded with no user."""

from flask_babel import lazy_gettext as _l

from ..extensions import db
from .models import AuditEntry

# What an entry records, with the label the audit page shows.
ACTIONS = {
    "user.create": _l("User created"),
    "user.role": _l("Role changed"),
    "user.depot": _l("Scope depot changed"),
    "user.active": _l("User activated or deactivated"),
    "user.password": _l("Password reset by an administrator"),
    "depot.create": _l("Depot created"),
    "depot.parent": _l("Depot moved to another parent"),
    "depot.active": _l("Depot activated or deactivated"),
    "norm.set": _l("Reserve norm set"),
    "standard.set": _l("Per-capita standard set"),
    "item.create": _l("Catalogue item created"),
    "item.update": _l("Catalogue item changed"),
    "catalogue.import": _l("Catalogue file imported"),
    "category.set": _l("Relief category changed"),
    "category.import": _l("Relief categories file imported"),
    "vehicle.save": _l("Vehicle type added or changed"),
    "vehicle.delete": _l("Vehicle type deleted"),
}


def _text(value) -> str | None:
    if value is None:
        return None
    return str(getattr(value, "value", value))[:200]


def record(user, action: str, target: str, before=None, after=None) -> AuditEntry | None:
    """Append one entry (nothing when `before` equals `after`: no change, no noise)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    before, after = _text(before), _text(after)
    if before == after:
        return None
    entry = AuditEntry(
        user_id=getattr(user, "id", None), action=action, target=target[:120], before=before, after=after
    )
    db.session.add(entry)
    db.session.flush()
    return entry
