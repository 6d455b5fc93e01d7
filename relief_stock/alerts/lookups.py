"""Alerts' own lookups (an alert by id, a tier by value); depots and items come from their domains."""

from flask_babel import gettext as _

from ..errors import NotFound
from ..extensions import db
from ..network.models import Tier
from .models import Alert


def alert_by_id(alert_id: int) -> Alert:
    alert = db.session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(_("No alert %(id)s.", id=alert_id))
    return alert


def tier_or_none(value: str | None) -> Tier | None:
    return Tier(value) if value else None
