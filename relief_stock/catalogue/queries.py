"""Reads of the catalogue: one item by SKU, and the filtered list (search in both languages)."""

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ..errors import unknown
from ..extensions import db
from .models import Item


def item_by_sku(sku: str | None, field: str | None = None, *, optional: bool = False) -> Item | None:
    """The item with `sku`, ignoring surrounding blanks and, when no SKU matches exactly, case (a
    keeper types "quilt-2m" on a phone). Unknown: bad input on `field` (422) when a form or body
    named it, a missing page (404) otherwise; blank gives None when `optional`."""
    sku = (sku or "").strip()
    if not sku and optional:
        return None
    found = list(db.session.scalars(select(Item).where(func.upper(Item.sku) == sku.upper()))) if sku else []
    exact = [item for item in found if item.sku == sku]
    if exact or len(found) == 1:
        return (exact or found)[0]
    raise unknown(_("No item with SKU %(sku)s.", sku=sku or "-"), field)


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


def items_by_sku(skus=None) -> dict[str, Item]:
    """The items with these SKUs by SKU (unknown ones absent); every item when `skus` is None."""
    query = select(Item)
    if skus is not None:
        if not skus:
            return {}
        query = query.where(Item.sku.in_(list(skus)))
    return {item.sku: item for item in db.session.scalars(query)}
