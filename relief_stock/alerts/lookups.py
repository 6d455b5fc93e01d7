"""Turning codes from forms and the API into rows, with a 404 naming the unknown code."""

from flask_babel import gettext as _
from sqlalchemy import select

from ..catalogue.models import Item
from ..errors import NotFound
from ..extensions import db
from ..network.models import Depot, Tier
from .models import Alert


def depot_by_code(code: str | None) -> Depot | None:
    if not code:
        return None
    depot = db.session.scalar(select(Depot).where(Depot.code == code))
    if depot is None:
        raise NotFound(_("No depot with code %(code)s.", code=code), field="depot")
    return depot


def item_by_sku(sku: str) -> Item:
    item = db.session.scalar(select(Item).where(Item.sku == sku))
    if item is None:
        raise NotFound(_("No item with code %(sku)s.", sku=sku), field="sku")
    return item


def alert_by_id(alert_id: int) -> Alert:
    alert = db.session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(_("No alert %(id)s.", id=alert_id))
    return alert


def tier_or_none(value: str | None) -> Tier | None:
    return Tier(value) if value else None
