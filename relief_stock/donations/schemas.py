"""Donor and donation schemas: one shape for the staff pages, the JSON API and every row of a donor
import. They check shape and type; donations/operations.py decides the rules (a name, a reason for
each difference, no date in the future) and names the field it refuses."""

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from ..fields import Choice, Day, Flag, PrintedText, Text, WholeNumber, in_range
from ..limits import MAX_ID
from ..stock.checks import MAX_QUANTITY
from .models import DifferenceReason, DonationStatus, DonorKind

MAX_DONATION_LINES = 200


class DonorSchema(Schema):
    """A donor as a form, the API and an imported row give it."""

    kind = Choice(DonorKind, required=True)
    name = PrintedText(required=True, max_length=200)
    contact_name = PrintedText(load_default=None, max_length=100)
    phone = Text(load_default=None, max_length=32)
    email = Text(
        load_default=None,
        max_length=200,
        validate=validate.Email(error=_l("Enter an e-mail address such as name@example.org.")),
    )
    address = PrintedText(load_default=None, max_length=255)
    may_name_publicly = Flag(load_default=False)
    notes = PrintedText(load_default=None)


class DonorQuerySchema(Schema):
    q = Text(load_default=None, max_length=100, metadata={"description": "text in the name or contact"})
    kind = Choice(DonorKind, load_default=None)
    page = WholeNumber(load_default=1, validate=in_range(1, 100_000))


class DonationFilterSchema(Schema):
    """The donation list's filter box (query string), shared with the API."""

    depot = Text(load_default=None, max_length=32, metadata={"description": "depot code (and below it)"})
    donor = WholeNumber(load_default=None, validate=in_range(1, MAX_ID), metadata={"description": "donor id"})
    status = Choice(DonationStatus, load_default=None)
    date_from = Day(load_default=None)
    date_to = Day(load_default=None)
    page = WholeNumber(load_default=1, validate=in_range(1, 100_000))

    @validates_schema
    def _period_in_order(self, data, **kwargs):
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError(_l("The period ends before it starts."), "date_to")


class DeclaredLineSchema(Schema):
    item = Text(required=True, max_length=32, metadata={"description": "SKU"})
    quantity = WholeNumber(required=True, validate=in_range(1, MAX_QUANTITY))


class DonationHeaderSchema(Schema):
    """A donation's header as the register form posts it (its lines come apart, row by row)."""

    donor = WholeNumber(required=True, validate=in_range(1, MAX_ID), metadata={"description": "donor id"})
    donated_date = Day(load_default=None)
    documents = PrintedText(load_default=None, max_length=255)
    notes = PrintedText(load_default=None)


class DeclareSchema(DonationHeaderSchema):
    """A new donation through the API."""

    depot = Text(required=True, max_length=32, metadata={"description": "receiving depot code"})
    lines = fields.List(
        fields.Nested(DeclaredLineSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_DONATION_LINES),
    )


class AcceptanceSchema(Schema):
    """What was accepted of one declared line, and why any difference."""

    accepted = WholeNumber(required=True, validate=in_range(0, MAX_QUANTITY))
    reason = Choice(DifferenceReason, load_default=None)
    note = PrintedText(load_default=None, max_length=255)
    expiry_date = Day(load_default=None)
    location = Text(load_default=None, max_length=32, metadata={"description": "location code"})


class AcceptanceLineSchema(AcceptanceSchema):
    line = WholeNumber(required=True, validate=in_range(1, MAX_ID), metadata={"description": "line id"})


class ReceiveDonationSchema(Schema):
    received_date = Day(load_default=None)
    lines = fields.List(
        fields.Nested(AcceptanceLineSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_DONATION_LINES),
    )


# --- Output ----------------------------------------------------------------------------------------


class DonorOutSchema(Schema):
    id = fields.Integer()
    kind = fields.Function(lambda d: d.kind.value)
    name = fields.String()
    public_name = fields.Function(lambda d: str(d.public_name))
    contact_name = fields.String()
    phone = fields.String()
    email = fields.String()
    address = fields.String()
    may_name_publicly = fields.Boolean()
    notes = fields.String()
    created_at = fields.DateTime()


class DonationLineOutSchema(Schema):
    id = fields.Integer()
    item = fields.String(attribute="item.sku")
    declared_quantity = fields.Integer()
    accepted_quantity = fields.Integer()
    difference_reason = fields.Function(lambda line: line.difference_reason and line.difference_reason.value)
    difference_note = fields.String()
    batch = fields.Function(lambda line: line.batch.code if line.batch else None)


class DonationOutSchema(Schema):
    trace_code = fields.String()
    donor = fields.Integer(attribute="donor_id")
    donor_name = fields.String(attribute="donor.name")
    depot = fields.String(attribute="depot.code")
    donated_date = fields.Date()
    status = fields.Function(lambda d: d.status.value)
    receipt = fields.Function(lambda d: d.receipt.number if d.receipt else None)
    documents = fields.String()
    notes = fields.String()
    created_at = fields.DateTime()
    received_at = fields.DateTime()
    lines = fields.List(fields.Nested(DonationLineOutSchema))
