"""JSON bodies of the transfer steps the field app replays (pick a batch, receive a transfer).
Shape and type only; the transfer operations decide the rules."""

from marshmallow import Schema, fields

from ..fields import Text, WholeNumber


class PickSchema(Schema):
    batch = Text(required=True, max_length=300)  # a batch code or its label URL
    quantity = WholeNumber(load_default=None)  # blank: what the order still needs from this batch


class PickOutcomeSchema(Schema):
    pick = WholeNumber(required=True)
    received = WholeNumber(required=True)
    damaged = WholeNumber(load_default=0)


class TransferReceiptSchema(Schema):
    picks = fields.List(fields.Nested(PickOutcomeSchema), load_default=list)  # omitted picks: all arrived
    reason = Text(load_default=None, max_length=255)  # required by the operation when short or damaged


class PickOutSchema(Schema):
    transfer = fields.String()
    item = fields.String()
    quantity = fields.Integer()


class TransferStateOutSchema(Schema):
    transfer = fields.String()
    status = fields.String()
