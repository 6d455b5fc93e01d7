"""The dashboard panel (expiring soon, expired, shortfalls, coverage by item) and the digest flashed
on sign-in, both scoped to the user (a keeper: his depot; a dispatcher: his subtree)."""

from flask import flash
from flask_babel import gettext as _
from flask_login import user_logged_in

from ..database import local_today
from . import queries
from .checks import horizons
from .notify import digest_for

COVERAGE_ROWS = 12  # the least-covered items; the rest are on the alerts pages


def panel_context(user) -> dict:
    digest = digest_for(user)
    horizon = horizons()[0]
    rows = queries.coverage_by_item(local_today(), horizon, path_prefix=queries.scope_path(user))
    items = queries.items_by_id()
    coverage = sorted(
        (
            {
                "item": items[item_id],
                "norm": int(norm),
                "usable": int(usable),
                "at_risk": int(at_risk),
                "ratio": (usable / norm) if norm else None,
            }
            for item_id, norm, usable, at_risk in rows
        ),
        key=lambda row: (row["ratio"] is None, row["ratio"] or 0),
    )
    return {
        "digest": digest,
        "horizon": horizon,
        "coverage": coverage[:COVERAGE_ROWS],
        "run": queries.latest_run(),
    }


def sign_in_digest(sender, user, **extra):
    """Flask-Login signal: tell a user who signs in what needs attention in his scope."""
    digest = digest_for(user)
    if digest["total"]:
        flash(
            _(
                "%(total)d open alerts in your area (%(critical)d critical): %(expiring)d expiring, "
                "%(expired)d expired, %(shortfall)d below norm.",
                total=digest["total"],
                critical=digest["critical"],
                expiring=digest["by_kind"].get("expiring", 0),
                expired=digest["by_kind"].get("expired", 0),
                shortfall=digest["by_kind"].get("shortfall", 0),
            ),
            "warning",
        )


def connect_sign_in_digest(app) -> None:
    user_logged_in.connect(sign_in_digest, app)
