"""Stock schemas: one per action, for the keeper's pages and the JSON API alike, and how results read.

Built on the translated fields (`relief_stock.fields`), so a refused box reads the same in Chinese
on a page, in the API's 422 and in a file import. Schemas check shape and type only (a whole number,
a date, a known choice, a length); the stock operations decide the rules (positive quantities,
reasons required, issuable batches) and name the field they refuse. Pages read forms through
`stock.forms.load_form` (blank boxes are "not given"); the API through flask-smorest, where an
unknown key is refused. Codes and SKUs come in as strings and are looked up by the caller.
"""

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate
from marshmallow.validate import OneOf

from ..catalogue.models import Category
from ..fields import Choice, Day, Flag, PrintedText, Text, WholeNumber, in_range
from ..limits import MAX_ID
from .checks import MAX_QUANTITY
from .kinds import BatchStatus, SourceKind


def _quantity(**kwargs):
    return WholeNumber(validate=in_range(1, MAX_QUANTITY), **kwargs)


def _reason():
    return Text(load_default=None, max_length=255)


class IssueSchema(Schema):
    quantity = _quantity(required=True)
    reason = _reason()
    document_type = Text(load_default=None, max_length=24)
    document_id = WholeNumber(load_default=None, validate=in_range(1, MAX_ID))


class IssueItemSchema(Schema):
    """Issue by item, first expiry first out (the page knows the depot from its URL)."""

    item = Text(required=True, metadata={"description": "SKU"})
    quantity = _quantity(required=True)
    reason = _reason()


class IssueItemRequestSchema(IssueItemSchema):
    depot = Text(required=True, metadata={"description": "depot code"})


class MoveSchema(Schema):
    location = Text(
        required=True, metadata={"description": "location code in the batch's depot, or its L- code"}
    )
    quantity = _quantity(load_default=None)  # blank: the whole batch


class AdjustSchema(Schema):
    delta = WholeNumber(required=True)
    reason = _reason()  # required by the operation, which says so beside the box


class WriteOffSchema(Schema):
    quantity = _quantity(required=True)
    reason = _reason()  # required by the operation


class ReasonSchema(Schema):
    """Quarantine and release: only a reason (the operation says whether it is required)."""

    reason = _reason()


class ReceiveLineSchema(Schema):
    item = Text(required=True, metadata={"description": "SKU"})
    quantity = _quantity(required=True)
    expiry_date = Day(load_default=None)
    manufactured_date = Day(load_default=None)
    location = Text(load_default=None, metadata={"description": "location code in the depot"})
    donor_name = PrintedText(load_default=None, max_length=200)


class ReceiveHeaderSchema(Schema):
    """A delivery note's header; the page posts its lines apart (see views_receive.py)."""

    source_kind = Choice(SourceKind, required=True)
    supplier = PrintedText(load_default=None, max_length=200)
    donor_ref = PrintedText(load_default=None, max_length=64)
    delivery_note_ref = PrintedText(load_default=None, max_length=64)
    notes = PrintedText(load_default=None)


class ReceiveSchema(ReceiveHeaderSchema):
    depot = Text(required=True, metadata={"description": "depot code"})
    received_date = Day(load_default=None)
    lines = fields.List(
        fields.Nested(ReceiveLineSchema), required=True, validate=validate.Length(min=1, max=500)
    )


class OpenStocktakeSchema(Schema):
    location = Text(load_default=None)
    is_blind = Flag(load_default=False)  # counters do not see the book quantity


class OpenStocktakeRequestSchema(OpenStocktakeSchema):
    depot = Text(required=True)


class CountSchema(Schema):
    batch = Text(required=True, metadata={"description": "batch code or label URL"})
    counted = WholeNumber(required=True, validate=in_range(0, MAX_QUANTITY))


class FoundSchema(Schema):
    item = Text(required=True)
    counted = _quantity(required=True)
    expiry_date = Day(load_default=None)
    location = Text(load_default=None)


class ScanCountSchema(CountSchema):
    """The count sheet's scan box. The sheet also carries the found-goods form and shows both forms'
    messages from one error map, so the page names these boxes `code` and `found_counted`."""

    batch = Text(required=True, data_key="code")


class FoundCountSchema(FoundSchema):
    """Goods on the shelf that no batch accounts for, as the count sheet posts them."""

    counted = _quantity(required=True, data_key="found_counted")


SORTS = ("depot", "item", "on_hand", "shortfall", "expiring")  # numbers sort largest first
# How goods come into the network; a transfer between our depots keeps the source it came with.
ORIGINS = (SourceKind.PURCHASE, SourceKind.ALLOCATION, SourceKind.DONATION, SourceKind.COUNT)


def origin_field():
    return Choice(
        SourceKind,
        load_default=None,
        validate=OneOf(ORIGINS, error=_l("Choose one of: {choices}.")),
        metadata={"description": "how the goods came in: purchase, allocation, donation or count"},
    )


def donor_field():
    return WholeNumber(
        load_default=None,
        validate=in_range(1, MAX_ID),
        metadata={"description": "donor id: only goods of that donor's donations"},
    )


class StockFilterSchema(Schema):
    """The filter box of the stock pages (read from the query string)."""

    under = Text(load_default=None)  # depot code: that depot and everything below it
    subtree = Flag(load_default=False)  # on a depot's page: include the depots below it
    item = Text(load_default=None)  # SKU
    category = Choice(Category, load_default=None)
    status = Choice(BatchStatus, load_default=None)
    expiring = WholeNumber(load_default=None, validate=in_range(0, 3650))  # within N days
    location = Text(load_default=None)
    source = origin_field()
    donor = donor_field()
    sort = Text(load_default=None, validate=OneOf(SORTS, error=_l("Choose one of: {choices}.")))
    page = WholeNumber(load_default=1, validate=in_range(1, 100_000))


class BatchQuerySchema(Schema):
    """The API's batch list: stock on hand, by depot (and below it), item, status and origin."""

    depot = Text(load_default=None, metadata={"description": "depot code"})
    subtree = Flag(load_default=False, metadata={"description": "include the depots below `depot`"})
    item = Text(load_default=None, metadata={"description": "SKU"})
    status = Choice(BatchStatus, load_default=None)
    source = origin_field()
    donor = donor_field()
    donation = Text(load_default=None, max_length=64, metadata={"description": "donation trace code"})
    page = WholeNumber(load_default=1, validate=in_range(1, 100_000))


class ScopeQuerySchema(Schema):
    under = Text(load_default=None, metadata={"description": "depot code: that depot's subtree"})


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
