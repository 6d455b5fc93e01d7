"""Item schemas: one shape for the item form, the JSON API and every row of an imported file.

They check shape and type (a known category, non-negative weights, whole days); catalogue/operations.py
decides the rules (SKUs are unique).
"""

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..fields import Choice, DecimalNumber, Flag, PrintedText, Text, WholeNumber, in_range
from .models import Category

SKU = validate.Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$", error=_l("Use letters, digits, '.', '_' and '-' (up to 32).")
)


class ItemSchema(Schema):
    id = fields.Integer(dump_only=True)
    sku = Text(required=True, validate=SKU)
    name_zh = PrintedText(required=True, max_length=200)
    name_en = PrintedText(required=True, max_length=200)
    category = Choice(Category, required=True)
    unit_zh = PrintedText(required=True, max_length=16)
    unit_en = PrintedText(required=True, max_length=32)
    unit_weight_kg = DecimalNumber(4, load_default=None, allow_none=True, validate=in_range(0))
    unit_volume_m3 = DecimalNumber(6, load_default=None, allow_none=True, validate=in_range(0))
    is_perishable = Flag(load_default=False)
    shelf_life_months = WholeNumber(load_default=None, allow_none=True, validate=in_range(1, 600))
    min_remaining_shelf_life_days = WholeNumber(load_default=0, validate=in_range(0, 3650))
    notes = PrintedText(load_default=None, allow_none=True)
    is_active = Flag(load_default=True)

    @validates_schema(skip_on_field_errors=False)  # report it beside the row's other problems
    def _perishables_have_a_shelf_life(self, data, **kwargs):
        if data.get("is_perishable") and not data.get("shelf_life_months"):
            raise ValidationError(_l("A perishable item needs a shelf life."), "shelf_life_months")


class ItemUpdateSchema(ItemSchema):
    """An edit changes everything but the SKU, which is the item's identity on labels and in files."""

    class Meta:
        exclude = ("sku",)


class ItemQuerySchema(Schema):
    category = Choice(Category)
    q = Text()
    active = Flag()
