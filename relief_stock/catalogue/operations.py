"""Catalogue operations: add and edit items. They flush; the caller commits through `atomic()`."""

from flask_babel import gettext as _
from sqlalchemy import select

from ..errors import Conflict
from ..extensions import db
from .models import Item

ITEM_FIELDS = (
    "name_zh",
    "name_en",
    "category",
    "unit_zh",
    "unit_en",
    "unit_weight_kg",
    "unit_volume_m3",
    "is_perishable",
    "shelf_life_months",
    "min_remaining_shelf_life_days",
    "notes",
    "is_active",
)


def create_item(*, sku: str, **fields) -> Item:
    """Add an item. Raises Conflict when the SKU exists."""
    if db.session.scalar(select(Item.id).where(Item.sku == sku)) is not None:
        raise Conflict(_("SKU %(sku)s exists.", sku=sku), field="sku")
    item = Item(sku=sku, **{k: v for k, v in fields.items() if k in ITEM_FIELDS})
    db.session.add(item)
    db.session.flush()
    return item


def update_item(item: Item, **fields) -> Item:
    """Edit an item's details (the SKU is its identity and does not change)."""
    for field, value in fields.items():
        if field in ITEM_FIELDS:
            setattr(item, field, value)
    db.session.flush()
    return item
