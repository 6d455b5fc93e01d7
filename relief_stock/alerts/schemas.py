"""Input shapes for alert and norm forms and the API. They validate and never write."""

from marshmallow import Schema, fields, validate

from ..network.models import Tier
from .models import AlertKind, AlertState, Severity

QUANTITY = validate.Range(min=0, max=10_000_000)


class AlertFilterSchema(Schema):
    severity = fields.String(load_default=None, validate=validate.OneOf([s.value for s in Severity]))
    kind = fields.String(load_default=None, validate=validate.OneOf([k.value for k in AlertKind]))
    state = fields.String(
        load_default="active", validate=validate.OneOf(["active", "all"] + [s.value for s in AlertState])
    )
    depot = fields.String(load_default=None, validate=validate.Length(max=12))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))


class AcknowledgeSchema(Schema):
    note = fields.String(load_default=None, validate=validate.Length(max=2000))


class NormSchema(Schema):
    """A depot norm (depot) or a tier norm (tier); quantity null removes it."""

    sku = fields.String(required=True, validate=validate.Length(min=1, max=32))
    depot = fields.String(load_default=None, validate=validate.Length(max=12))
    tier = fields.String(load_default=None, validate=validate.OneOf([t.value for t in Tier]))
    quantity = fields.Integer(required=True, allow_none=True, strict=False, validate=QUANTITY)


class NormFormSchema(NormSchema):
    """The page's form: an empty quantity (dropped as missing) removes the norm."""

    quantity = fields.Integer(load_default=None, validate=QUANTITY)


class StandardSchema(Schema):
    sku = fields.String(required=True, validate=validate.Length(min=1, max=32))
    tier = fields.String(required=True, validate=validate.OneOf([t.value for t in Tier]))
    quantity = fields.Integer(load_default=None, validate=QUANTITY)  # none: remove the standard
    per_residents = fields.Integer(load_default=1000, validate=validate.Range(min=1, max=100_000_000))
    source = fields.String(load_default=None, validate=validate.Length(max=255))


class NormQuerySchema(Schema):
    depot = fields.String(load_default=None, validate=validate.Length(max=12))
    sku = fields.String(load_default=None, validate=validate.Length(max=32))


class AlertOutSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    severity = fields.String()
    state = fields.String()
    depot = fields.Function(lambda a: a.depot.code)
    sku = fields.Function(lambda a: a.item.sku)
    batch = fields.Function(lambda a: a.batch.code if a.batch else None)
    quantity = fields.Integer()
    norm = fields.Integer(allow_none=True)
    expiry_date = fields.Date(allow_none=True)
    suggestion = fields.String(allow_none=True)
    suggested_depot = fields.Function(lambda a: a.suggested_depot.code if a.suggested_depot else None)
    first_seen_at = fields.DateTime()
    last_seen_at = fields.DateTime(allow_none=True)
    acknowledged_by = fields.Function(lambda a: a.acknowledged_by.username if a.acknowledged_by else None)
    acknowledged_at = fields.DateTime(allow_none=True)
    note = fields.String(allow_none=True)
    resolved_at = fields.DateTime(allow_none=True)


class EffectiveNormSchema(Schema):
    depot = fields.String()
    sku = fields.String()
    quantity = fields.Integer()
    source = fields.String()
