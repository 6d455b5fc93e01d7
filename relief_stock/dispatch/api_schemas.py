"""Shapes of the dispatch API (/api/v1): bodies it validates and answers it sends, in the OpenAPI
document. Field names follow the web forms and the scenario format: an emergency has `name`,
`kind`, `level`, `days`; a site `name`, `depot` (a code) or `lat`/`lng`, `population`, `households`;
a need line a `site`, a `sku` or a `category`, `qty`, `priority`; a plan line `from`, `demand`,
`sku`, `qty`. Schemas check shape only; the operations decide.
"""

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..fields import Choice, Number, PrintedText, Text, WholeNumber, in_range
from .models import EmergencyKind


class EmergencyInSchema(Schema):
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    kind = Choice(EmergencyKind, required=True)
    level = WholeNumber(required=True, validate=in_range(1, 4))
    days = WholeNumber(load_default=3, validate=in_range(1, 90))
    scope_depot = Text(load_default=None, max_length=12)
    notes = Text(load_default=None, max_length=2000)


class EmergencyPatchSchema(Schema):
    """What may change before a plan is approved (sites are changed one by one, see SitePatchSchema)."""

    name = Text(validate=validate.Length(min=1, max=200))
    level = WholeNumber(validate=in_range(1, 4))
    days = WholeNumber(validate=in_range(1, 90))
    notes = Text(allow_none=True, max_length=2000)
    sites = fields.List(fields.Nested(lambda: SitePatchSchema()), validate=validate.Length(max=500))


class SitePatchSchema(Schema):
    id = WholeNumber(required=True)
    population = WholeNumber(validate=in_range(0, 100_000_000))
    households = WholeNumber(validate=in_range(0, 100_000_000))


class SiteInSchema(Schema):
    name = Text(load_default="", max_length=200)
    depot = Text(load_default=None, max_length=12)
    lat = Number(load_default=None, validate=in_range(-90, 90))
    lng = Number(load_default=None, validate=in_range(-180, 180))
    population = WholeNumber(required=True, validate=in_range(0, 100_000_000))
    households = WholeNumber(load_default=None, validate=in_range(0, 100_000_000))


class NeedInSchema(Schema):
    site = WholeNumber(required=True)
    sku = Text(load_default=None, max_length=32)
    category = Text(load_default=None, max_length=32)
    qty = WholeNumber(required=True, validate=in_range(0, 2_000_000_000))
    priority = WholeNumber(load_default=1, validate=in_range(1, 3))

    @validates_schema
    def _one_of(self, data, **kwargs):
        if bool(data.get("sku")) == bool(data.get("category")):
            raise ValidationError("Give a sku or a category.", field_name="sku")


class NeedsInSchema(Schema):
    needs = fields.List(fields.Nested(NeedInSchema), required=True, validate=validate.Length(max=5000))


class ApproveInSchema(Schema):
    note = Text(load_default=None, max_length=255)


class TransferQuerySchema(Schema):
    depot = Text(load_default=None, max_length=12)
    state = Text(
        load_default=None,
        validate=validate.OneOf(
            [
                "to_pick",
                "to_dispatch",
                "arriving",
                "draft",
                "in_transit",
                "received",
                "delivered",
                "cancelled",
            ]
        ),
    )


class PickInSchema(Schema):
    code = Text(required=True, validate=validate.Length(min=1, max=300))
    qty = WholeNumber(load_default=None, validate=in_range(1, 2_000_000_000))


class UnpickInSchema(Schema):
    pick = WholeNumber(required=True)


class OutcomeInSchema(Schema):
    pick = WholeNumber(required=True)
    received = WholeNumber(required=True, validate=in_range(0, 2_000_000_000))
    damaged = WholeNumber(load_default=0, validate=in_range(0, 2_000_000_000))


class ReceiveInSchema(Schema):
    outcomes = fields.List(fields.Nested(OutcomeInSchema), load_default=list)
    reason = Text(load_default=None, max_length=255)


class DispatchInSchema(Schema):
    """The truck that leaves, all optional (the manifest prints them); also the dispatch form's."""

    vehicle_plate = PrintedText(load_default=None, max_length=32)
    driver_name = PrintedText(load_default=None, max_length=64)
    driver_phone = Text(
        load_default=None,
        validate=[
            validate.Length(max=32, error=_l("At most {max} characters.")),
            validate.Regexp(r"^[0-9 +\-]*$", error=_l("A phone number: digits, spaces, + and - only.")),
        ],
    )


class ReasonInSchema(Schema):
    reason = Text(load_default=None, max_length=255)


class CutLineInSchema(Schema):
    qty = WholeNumber(required=True, validate=in_range(1, 2_000_000_000))
    reason = Text(load_default=None, max_length=255)


# --- Answers -----------------------------------------------------------------------------------


class SiteOutSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    depot = fields.Function(lambda s: s.depot.code if s.depot else None)
    lat = fields.Float()
    lng = fields.Float()
    population = fields.Integer()
    households = fields.Integer()


class EmergencyOutSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.Function(lambda e: e.kind.value)
    level = fields.Integer(attribute="response_level")
    days = fields.Integer(attribute="days_to_cover")
    is_drill = fields.Boolean()
    scope_depot = fields.Function(lambda e: e.scope_depot.code if e.scope_depot else None)
    closed = fields.Function(lambda e: e.closed_at is not None)
    sites = fields.List(fields.Nested(SiteOutSchema))


class NeedOutSchema(Schema):
    site = fields.Integer(attribute="site_id")
    sku = fields.Function(lambda n: n.item.sku if n.item else None)
    category = fields.Function(lambda n: n.category.code if n.category else None)
    qty = fields.Integer(attribute="quantity")
    estimated = fields.Integer(attribute="estimated_quantity", allow_none=True)
    priority = fields.Integer()
    standard = fields.String(allow_none=True)


class PlanLineOutSchema(Schema):
    id = fields.Integer()
    from_ = fields.Function(lambda line: line.from_depot.code, data_key="from")
    demand = fields.Integer(attribute="site_id")
    sku = fields.Function(lambda line: line.item.sku)
    qty = fields.Integer(attribute="quantity")
    planned_qty = fields.Integer(attribute="planned_quantity")
    km = fields.Float()
    limit = fields.Function(lambda line: line.limited_by.value)
    category = fields.Function(lambda line: line.category.code if line.category else None)


class OutcomeOutSchema(Schema):
    demand = fields.Integer(attribute="site_id")
    sku = fields.Function(lambda o: o.item.sku if o.item else None)
    category = fields.Function(lambda o: o.category.code if o.category else None)
    priority = fields.Integer()
    requested = fields.Integer()
    planned = fields.Integer()
    limit = fields.Function(lambda o: o.limited_by.value)
    filled_by = fields.Function(lambda o: [{"sku": f["sku"], "qty": f["units"]} for f in o.fills or []])
    held_in_reserve = fields.Integer()
    if_released = fields.Integer(allow_none=True)
    held_back = fields.Integer(
        metadata={"description": "Units (a category line: its unit) held back by the minimum lot."}
    )
    if_lots_drawn = fields.Integer(
        allow_none=True,
        metadata={
            "description": "What the line would get had the held-back lots been drawn on (null: no minimum lot)."
        },
    )


class HeldBackOutSchema(Schema):
    from_ = fields.String(attribute="depot", data_key="from")
    sku = fields.String()
    qty = fields.Integer(attribute="units")
    kg = fields.Float()


class PlanOutSchema(Schema):
    id = fields.Integer()
    emergency = fields.Integer(attribute="emergency_id")
    status = fields.Function(lambda p: p.status.value)
    release_reserves = fields.Boolean()
    ton_km = fields.Float()
    min_lot_kg = fields.Float(
        metadata={"description": "The minimum lot the plan was made with (0: every depot)."}
    )
    min_lot_beyond_km = fields.Float(
        metadata={"description": "Depots this near a site were drawn on whatever their lot."}
    )
    held_back = fields.List(
        fields.Nested(HeldBackOutSchema),
        attribute="held_back_lots",
        metadata={"description": "Needed stock of the depots the minimum lot held back, by depot and item."},
    )
    outcomes = fields.List(fields.Nested(OutcomeOutSchema))
    lines = fields.List(fields.Nested(PlanLineOutSchema))
    pending_approvals = fields.Function(lambda p: [str(r.label) for r in _pending(p)])
    transfers = fields.Function(lambda p: [link.transfer.number for link in p.transfers])


def _pending(plan):
    from .approvals import pending

    return pending(plan)


class PickOutSchema(Schema):
    id = fields.Integer()
    batch = fields.Function(lambda p: p.batch.code)
    qty = fields.Integer(attribute="quantity")
    received = fields.Integer(attribute="received_quantity", allow_none=True)
    damaged = fields.Integer(attribute="damaged_quantity", allow_none=True)


class TransferLineOutSchema(Schema):
    sku = fields.Function(lambda line: line.item.sku)
    qty = fields.Integer(attribute="quantity")
    picked = fields.Function(lambda line: sum(p.quantity for p in line.picks))
    picks = fields.List(fields.Nested(PickOutSchema))


class TransferOutSchema(Schema):
    number = fields.String()
    status = fields.Function(lambda t: t.status.value)
    from_ = fields.Function(lambda t: t.from_depot.code, data_key="from")
    to = fields.Function(lambda t: t.to_depot.code if t.to_depot else None)
    to_site = fields.String(attribute="to_site_name", allow_none=True)
    is_drill = fields.Boolean()
    dispatched_at = fields.DateTime(allow_none=True)
    vehicle_plate = fields.String(allow_none=True)
    driver_name = fields.String(allow_none=True)
    driver_phone = fields.String(allow_none=True)
    received_at = fields.DateTime(allow_none=True)
    lines = fields.List(fields.Nested(TransferLineOutSchema))
