"""Appending to the audit log. Called by the operations that change roles, depot parents and norms,
inside their unit of work; like every operation it flushes and leaves the commit to the caller."""

from flask_babel import lazy_gettext as _l

from ..extensions import db
from .models import AuditEntry

# What an entry records, with the label the audit page shows.
ACTIONS = {
    "user.create": _l("User created"),
    "user.role": _l("Role changed"),
    "user.depot": _l("Scope depot changed"),
    "user.active": _l("User activated or deactivated"),
    "depot.parent": _l("Depot moved to another parent"),
    "norm.set": _l("Reserve norm set"),
    "standard.set": _l("Per-capita standard set"),
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
