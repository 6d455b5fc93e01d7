"""API schemas for stock: what a request must look like (shape and types) and how results read.

Schemas validate and never write; the operations decide the rules (reasons, issuable batches,
depot scope). Codes and SKUs come in as strings and are looked up by the API layer.
"""

from marshmallow import Schema, fields, validate

from ..fields import PrintedText
from ..limits import MAX_ID
from .kinds import SourceKind

Quantity = lambda **kw: fields.Integer(strict=True, validate=validate.Range(min=1, max=2_000_000_000), **kw)  # noqa: E731
Reason = lambda **kw: fields.String(validate=validate.Length(max=255), **kw)  # noqa: E731


class ReceiveLineSchema(Schema):
    item = fields.String(required=True, metadata={"description": "SKU"})
    quantity = Quantity(required=True)
    expiry_date = fields.Date(load_default=None)
    manufactured_date = fields.Date(load_default=None)
    location = fields.String(load_default=None, metadata={"description": "location code in the depot"})
    donor_name = PrintedText(load_default=None, validate=validate.Length(max=200))


class ReceiveSchema(Schema):
    depot = fields.String(required=True, metadata={"description": "depot code"})
    source_kind = fields.Enum(SourceKind, by_value=True, required=True)
    supplier = PrintedText(load_default=None, validate=validate.Length(max=200))
    donor_ref = PrintedText(load_default=None, validate=validate.Length(max=64))
    delivery_note_ref = PrintedText(load_default=None, validate=validate.Length(max=64))
    notes = PrintedText(load_default=None)
    received_date = fields.Date(load_default=None)
    lines = fields.List(
        fields.Nested(ReceiveLineSchema), required=True, validate=validate.Length(min=1, max=500)
    )


class IssueSchema(Schema):
    quantity = Quantity(required=True)
    reason = Reason(load_default=None)
    document_type = fields.String(load_default=None, validate=validate.Length(max=24))
    document_id = fields.Integer(load_default=None, strict=True, validate=validate.Range(min=1, max=MAX_ID))


class IssueItemSchema(Schema):
    depot = fields.String(required=True)
    item = fields.String(required=True)
    quantity = Quantity(required=True)
    reason = Reason(load_default=None)


class MoveSchema(Schema):
    location = fields.String(required=True)
    quantity = Quantity(load_default=None)


class AdjustSchema(Schema):
    delta = fields.Integer(strict=True, required=True)
    reason = Reason(required=True)


class WriteOffSchema(Schema):
    quantity = Quantity(required=True)
    reason = Reason(required=True)


class ReasonSchema(Schema):
    reason = Reason(load_default=None)


class OpenStocktakeSchema(Schema):
    depot = fields.String(required=True)
    location = fields.String(load_default=None)


class CountSchema(Schema):
    batch = fields.String(required=True, metadata={"description": "batch code or label URL"})
    counted = fields.Integer(strict=True, required=True, validate=validate.Range(min=0))


class FoundSchema(Schema):
    item = fields.String(required=True)
    counted = Quantity(required=True)
    expiry_date = fields.Date(load_default=None)
    location = fields.String(load_default=None)


class ScopeQuerySchema(Schema):
    under = fields.String(load_default=None, metadata={"description": "depot code: that depot's subtree"})


# --- Output ----------------------------------------------------------------------------------------


class BatchOutSchema(Schema):
    code = fields.String()
    url = fields.Function(lambda b: _url(b.code))
    item = fields.String(attribute="item.sku")
    depot = fields.String(attribute="depot.code")
    location = fields.Function(lambda b: b.location.code if b.location else None)
    quantity = fields.Integer()
    status = fields.Function(lambda b: b.status.value)
    expiry_date = fields.Date()
    manufactured_date = fields.Date()
    received_date = fields.Date()
    source_kind = fields.Function(lambda b: b.source_kind.value)
    source_ref = fields.String()
    donor_name = fields.String()
    donor_ref = fields.String()
    receipt = fields.Function(lambda b: b.receipt.number if b.receipt else None)
    parent = fields.Function(lambda b: b.parent.code if b.parent else None)


class MovementOutSchema(Schema):
    id = fields.Integer()
    kind = fields.Function(lambda m: m.kind.value)
    batch = fields.String(attribute="batch.code")
    quantity = fields.Integer()
    balance_after = fields.Integer()
    status_after = fields.Function(lambda m: m.status_after.value)
    created_at = fields.DateTime()
    user = fields.Function(lambda m: m.user.username if m.user else None)
    reason = fields.String()
    document_type = fields.String()
    document_id = fields.Integer()
    location = fields.Function(lambda m: m.location.code if m.location else None)


class ReceiptOutSchema(Schema):
    number = fields.String()
    depot = fields.String(attribute="depot.code")
    source_kind = fields.Function(lambda r: r.source_kind.value)
    supplier = fields.String()
    donor_ref = fields.String()
    delivery_note_ref = fields.String()
    received_at = fields.DateTime()
    batches = fields.List(fields.Nested(BatchOutSchema))


class StocktakeLineOutSchema(Schema):
    id = fields.Integer()
    batch = fields.Function(lambda line: line.batch.code if line.batch else None)
    item = fields.String(attribute="item.sku")
    system_quantity = fields.Integer()
    counted_quantity = fields.Integer()
    difference = fields.Integer()
    expiry_date = fields.Date()


class StocktakeOutSchema(Schema):
    id = fields.Integer()
    depot = fields.String(attribute="depot.code")
    location = fields.Function(lambda s: s.location.code if s.location else None)
    status = fields.Function(lambda s: s.status.value)
    opened_at = fields.DateTime()
    posted_at = fields.DateTime()
    lines = fields.List(fields.Nested(StocktakeLineOutSchema))
    uncounted = fields.Method("_uncounted")

    def _uncounted(self, stocktake):
        from .stocktake import uncounted

        return [b.code for b in uncounted(stocktake)]


class _Promised(Schema):
    """Committed (promised to approved transfer orders) and what is left to promise."""

    committed = fields.Integer()
    available_to_promise = fields.Function(lambda r: max(r.available - r.committed, 0))


class LevelOutSchema(_Promised):
    item = fields.String(attribute="item.sku")
    on_hand = fields.Integer()
    available = fields.Integer()
    in_transit = fields.Integer()


class DepotLevelOutSchema(_Promised):
    depot = fields.String(attribute="depot.code")
    tier = fields.Function(lambda r: r.depot.tier.value)
    on_hand = fields.Integer()
    available = fields.Integer()


class TierLevelOutSchema(_Promised):
    item = fields.String(attribute="item.sku")
    by_tier = fields.Function(lambda r: {tier.value: units for tier, units in r.by_tier.items()})
    on_hand = fields.Integer()
    available = fields.Integer()
    in_transit = fields.Integer()


class ScanOutSchema(Schema):
    kind = fields.String()
    code = fields.String()
    url = fields.Function(lambda r: _url(r.code))
    depot = fields.String(attribute="depot_code")
    state = fields.Dict()
    actions = fields.List(fields.String())


def _url(code):
    from ..scanning.codes import url_for_code

    return url_for_code(code)
