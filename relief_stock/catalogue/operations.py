"""Catalogue operations: add and edit items. They flush; the caller commits through `atomic()`.

Each takes the acting user first and decides access itself, so no caller can skip it; the change is
written to the audit log (an import as one entry: `importing.import_catalogue`)."""

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from ..audit import operations as audit
from ..auth.permissions import Action, require
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


def create_item(actor, *, sku: str, **fields) -> Item:
    """Add an item. Raises Conflict when the SKU exists."""
    require(actor, Action.MANAGE_CATALOGUE)
    item = add_item(sku=sku, **fields)
    audit.record(actor, "item.create", sku, None, item.name_zh)
    return item


def update_item(actor, item: Item, **fields) -> Item:
    """Edit an item's details (the SKU is its identity and does not change)."""
    require(actor, Action.MANAGE_CATALOGUE)
    changed = {k: v for k, v in fields.items() if k in ITEM_FIELDS and getattr(item, k) != v}
    before = described({k: getattr(item, k) for k in changed})
    change_item(item, **changed)
    audit.record(actor, "item.update", item.sku, before, described(changed))
    return item


def described(values: dict) -> str:
    """Changed fields as the audit log shows them: `unit_weight_kg=1.2; is_active=False`."""
    return "; ".join(f"{name}={_shown(value)}" for name, value in values.items())


def _shown(value) -> str:
    if isinstance(value, Decimal):  # 2.5000 from the column and 2.5 typed in are the same weight
        return format(value.normalize(), "f")
    return str(getattr(value, "value", value))


def add_item(*, sku: str, **fields) -> Item:
    """Insert an item, access already decided (`create_item`, or an import as a whole)."""
    if db.session.scalar(select(Item.id).where(Item.sku == sku)) is not None:
        raise Conflict(_("SKU %(sku)s exists.", sku=sku), field="sku")
    item = Item(sku=sku, **{k: v for k, v in fields.items() if k in ITEM_FIELDS})
    db.session.add(item)
    db.session.flush()
    return item


def change_item(item: Item, **fields) -> Item:
    """Write an item's details, access already decided (`update_item`, or an import as a whole)."""
    for field, value in fields.items():
        if field in ITEM_FIELDS:
            setattr(item, field, value)
    db.session.flush()
    return item
