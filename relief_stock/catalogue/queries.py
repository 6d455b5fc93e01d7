"""Reads of the catalogue: one item by SKU, and the filtered list (search in both languages)."""

from flask_babel import gettext as _
from sqlalchemy import or_, select

from ..errors import NotFound
from ..extensions import db
from .models import Item


def item_by_sku(sku: str) -> Item:
    """The item with `sku`; NotFound (404) when there is none."""
    item = db.session.scalar(select(Item).where(Item.sku == sku))
    if item is None:
        raise NotFound(_("No item with SKU %(sku)s.", sku=sku))
    return item


def list_items(*, category=None, q=None, active=None) -> list[Item]:
    """Items by category and SKU; `q` matches the SKU or either name, ignoring case."""
    query = select(Item).order_by(Item.category, Item.sku)
    if category is not None:
        query = query.where(Item.category == category)
    if active is not None:
        query = query.where(Item.is_active == active)
    if q:
        pattern = f"%{q.strip()}%"
        query = query.where(
            or_(Item.sku.ilike(pattern), Item.name_zh.like(pattern), Item.name_en.ilike(pattern))
        )
    return list(db.session.scalars(query))


def items_by_sku(skus) -> dict[str, Item]:
    if not skus:
        return {}
    return {item.sku: item for item in db.session.scalars(select(Item).where(Item.sku.in_(list(skus))))}
