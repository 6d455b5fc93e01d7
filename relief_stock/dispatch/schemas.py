"""Input shapes of the dispatch domain, validated by marshmallow (schemas check, never write).

The scenario schemas describe `flask dispatch plan SCENARIO.json`; cross-references between the
lists (unknown depot or sku, duplicate ids) are checked in scenario.py, which needs the whole file.
"""

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate

from ..fields import Number, PrintedText, Text, WholeNumber, in_range
from .needs import BASES
from .planner import MAX_MIN_LOT_BEYOND_KM, MAX_MIN_LOT_KG, MAX_QUANTITY

TIERS = ("province", "city", "county")
Quantity = lambda **kw: fields.Integer(strict=True, validate=validate.Range(min=0, max=MAX_QUANTITY), **kw)  # noqa: E731


class Identifier(fields.Field):
    """A depot or site id: a non-empty string or an integer, echoed back as given."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ValidationError("Must be a string or an integer.")
        if isinstance(value, str) and not value.strip():
            raise ValidationError("Must not be empty.")
        return value


def latitude(**kw):
    return fields.Float(required=True, allow_nan=False, validate=validate.Range(-90, 90), **kw)


def longitude(**kw):
    return fields.Float(required=True, allow_nan=False, validate=validate.Range(-180, 180), **kw)


class ScenarioDepotSchema(Schema):
    id = Identifier(required=True)
    tier = fields.String(required=True, validate=validate.OneOf(TIERS))
    lat = latitude()
    lng = longitude()
    name = fields.String()  # informative only


class ScenarioItemSchema(Schema):
    sku = fields.String(required=True, validate=validate.Length(min=1, max=32))
    unit_weight_kg = fields.Float(
        load_default=None, allow_none=True, allow_nan=False, validate=validate.Range(min=0)
    )
    unit_volume_m3 = fields.Float(
        load_default=None, allow_none=True, allow_nan=False, validate=validate.Range(min=0)
    )


class ScenarioStockSchema(Schema):
    depot = Identifier(required=True)
    sku = fields.String(required=True)
    available = Quantity(required=True)
    reserve_floor = Quantity(load_default=0)


class ScenarioDemandSchema(Schema):
    id = Identifier(required=True)
    lat = latitude()
    lng = longitude()
    sku = fields.String(load_default=None)  # required unless the line names a category
    category = fields.String(load_default=None)  # filled from any item of the category
    qty = Quantity(required=True)
    priority = fields.Integer(strict=True, required=True, validate=validate.OneOf((1, 2, 3)))


class ScenarioMemberSchema(Schema):
    sku = fields.String(required=True)
    coverage = fields.Float(
        required=True, allow_nan=False, validate=validate.Range(min=0, min_inclusive=False)
    )


class ScenarioCategorySchema(Schema):
    """A relief category: its items in preference order and the need one unit of each covers."""

    code = fields.String(required=True, validate=validate.Length(min=1, max=32))
    items = fields.List(fields.Nested(ScenarioMemberSchema), required=True, validate=validate.Length(min=1))


class ScenarioDistanceSchema(Schema):
    """An optional loaded road distance, overriding haversine x road factor for one pair."""

    depot = Identifier(required=True)
    demand = Identifier(required=True)
    km = fields.Float(required=True, allow_nan=False, validate=validate.Range(min=0))


class ScenarioVehicleSchema(Schema):
    """A vehicle type for the vehicle-aware planner: capacities, and its cost per trip and per km."""

    type = fields.String(required=True, validate=validate.Length(min=1, max=64))
    capacity_kg = fields.Float(
        required=True, allow_nan=False, validate=validate.Range(min=0, min_inclusive=False)
    )
    capacity_m3 = fields.Float(
        required=True, allow_nan=False, validate=validate.Range(min=0, min_inclusive=False)
    )
    fixed_cost = fields.Float(required=True, allow_nan=False, validate=validate.Range(min=0))
    cost_per_km = fields.Float(required=True, allow_nan=False, validate=validate.Range(min=0))


class VehicleTypeSchema(Schema):
    """The vehicle types page: add a type, or change the one given by `vehicle_id`."""

    vehicle_id = WholeNumber(load_default=None)
    name = Text(required=True, max_length=64)
    capacity_kg = Number(required=True, validate=in_range(1, 100_000))
    capacity_m3 = Number(required=True, validate=in_range(0.01, 500))
    fixed_cost = Number(required=True, validate=in_range(0, 1_000_000))
    cost_per_km = Number(required=True, validate=in_range(0, 10_000))


class ScenarioSchema(Schema):
    road_factor = fields.Float(load_default=1.3, allow_nan=False, validate=validate.Range(min=1, max=5))
    release_reserves = fields.Boolean(load_default=False, truthy={True}, falsy={False})
    depots = fields.List(fields.Nested(ScenarioDepotSchema), required=True)
    items = fields.List(fields.Nested(ScenarioItemSchema), required=True)
    stock = fields.List(fields.Nested(ScenarioStockSchema), required=True)
    demands = fields.List(fields.Nested(ScenarioDemandSchema), required=True)
    distances = fields.List(fields.Nested(ScenarioDistanceSchema), load_default=list)
    categories = fields.List(fields.Nested(ScenarioCategorySchema), load_default=list)
    vehicles = fields.List(
        fields.Nested(ScenarioVehicleSchema), load_default=None, validate=validate.Length(min=1, max=20)
    )
    time_limit_s = fields.Float(
        load_default=10.0, allow_nan=False, validate=validate.Range(min=0.1, max=3600)
    )
    min_lot_kg = fields.Float(
        load_default=0.0, allow_nan=False, validate=validate.Range(min=0, max=MAX_MIN_LOT_KG)
    )
    min_lot_beyond_km = fields.Float(
        load_default=0.0, allow_nan=False, validate=validate.Range(min=0, max=MAX_MIN_LOT_BEYOND_KM)
    )


# --- Web forms (strings from the browser; validated here, decided in operations.py) ---------------
from .models import EmergencyKind  # noqa: E402


class EmergencySchema(Schema):
    name = PrintedText(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.Enum(EmergencyKind, by_value=True, required=True)
    response_level = fields.Integer(required=True, validate=validate.Range(1, 4))
    days_to_cover = fields.Integer(load_default=3, validate=validate.Range(1, 90))
    scope_depot = fields.String(load_default=None)
    notes = PrintedText(load_default=None, validate=validate.Length(max=2000))


class EmergencyEditSchema(Schema):
    response_level = fields.Integer(required=True, validate=validate.Range(1, 4))
    days_to_cover = fields.Integer(required=True, validate=validate.Range(1, 90))


class SiteSchema(Schema):
    name = PrintedText(load_default="", validate=validate.Length(max=200))
    depot = fields.String(load_default=None)
    lat = fields.Float(load_default=None, validate=validate.Range(-90, 90))
    lng = fields.Float(load_default=None, validate=validate.Range(-180, 180))
    population = fields.Integer(required=True, validate=validate.Range(min=0))
    households = fields.Integer(load_default=None, validate=validate.Range(min=0))


class NeedSchema(Schema):
    site_id = fields.Integer(required=True)
    sku = fields.String(load_default=None)  # an item, or
    category = fields.String(load_default=None)  # a relief category
    quantity = fields.Integer(required=True, validate=validate.Range(min=0))
    priority = fields.Integer(load_default=1, validate=validate.OneOf((1, 2, 3)))


class PlanSchema(Schema):
    """The plan button's form: the minimum lot for this plan (blank: DISPATCH_MIN_LOT_KG; 0: every
    depot is drawn on)."""

    min_lot_kg = Number(load_default=None, validate=in_range(0, MAX_MIN_LOT_KG))


class LineEditSchema(Schema):
    quantity = fields.Integer(required=True, validate=validate.Range(min=0))
    reason = fields.String(load_default=None, validate=validate.Length(max=255))


class PickSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=300))
    quantity = fields.Integer(load_default=None, validate=validate.Range(min=1))


class CutLineSchema(Schema):
    """Cut an order line down before dispatch (the transfer page)."""

    quantity = WholeNumber(required=True, validate=in_range(1, 2_000_000_000))
    reason = Text(load_default=None, max_length=255)


class CategoryRowSchema(Schema):
    """One row of a relief categories file (dispatch/data/relief_categories.csv)."""

    code = Text(
        required=True,
        validate=validate.Regexp(r"^[A-Z][A-Z0-9_]{0,31}$", error=_l("Capital letters, digits and _.")),
    )
    name_zh = Text(required=True, max_length=100)
    name_en = Text(required=True, max_length=100)
    unit_zh = Text(required=True, max_length=32)
    unit_en = Text(required=True, max_length=32)
    amount = Number(required=True, validate=in_range(0, 1_000_000))
    basis = Text(required=True, validate=validate.OneOf(BASES, error=_l("Choose one of: {choices}.")))
    priority = WholeNumber(required=True, validate=in_range(1, 3))
    standard_zh = Text(required=True, max_length=255)
    standard_en = Text(required=True, max_length=255)
    source = Text(load_default=None, max_length=2000)


class CategoryItemRowSchema(Schema):
    """One row of a category items file (dispatch/data/category_items.csv)."""

    category = Text(required=True, max_length=32)
    sku = Text(required=True, max_length=32)
    rank = WholeNumber(required=True, validate=in_range(1, 99))
    coverage = Number(
        required=True,
        validate=validate.Range(
            min=0, max=1_000_000, min_inclusive=False, error=_l("Enter a number above 0.")
        ),
    )
    source = Text(load_default=None, max_length=255)
