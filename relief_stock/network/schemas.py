"""Depot and location schemas: what a depot form, a JSON body or a query string may carry.

One schema per thing serves the page, the API and the OpenAPI document. They check shape and type;
network/operations.py decides the rules (a county's parent is a city, codes are unique).
"""

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from ..fields import Choice, Flag, Number, PrintedText, Text, WholeNumber, in_range
from .models import Tier

DEPOT_CODE = validate.Regexp(r"^[0-9A-Za-z]{2,12}$", error=_l("Use 2 to 12 letters or digits."))


class DepotSchema(Schema):
    """A depot. `parent_code` names the parent depot; `tier` and `code` are fixed once created."""

    id = fields.Integer(dump_only=True)
    code = Text(required=True, validate=DEPOT_CODE)
    tier = Choice(Tier, required=True)
    parent_code = Text(load_default=None, allow_none=True)
    name_zh = PrintedText(required=True, max_length=128)
    name_en = PrintedText(required=True, max_length=128)
    lat = Number(load_default=None, allow_none=True, validate=in_range(-90, 90))
    lng = Number(load_default=None, allow_none=True, validate=in_range(-180, 180))
    address = PrintedText(load_default=None, allow_none=True, max_length=255)
    contact_name = PrintedText(load_default=None, allow_none=True, max_length=64)
    contact_phone = Text(load_default=None, allow_none=True, max_length=32)
    served_population = WholeNumber(load_default=None, allow_none=True, validate=in_range(0))
    avg_household_size = Number(load_default=None, allow_none=True, validate=in_range(1, 20))
    is_active = Flag(load_default=True)
    path = fields.String(dump_only=True)


class DepotUpdateSchema(DepotSchema):
    """What an edit may change: everything but the code and the tier (they are the depot's identity)."""

    class Meta:
        exclude = ("code", "tier")


class DepotQuerySchema(Schema):
    """Filters for the depot list: tier, direct parent, subtree, active flag, text in code or names."""

    tier = Choice(Tier)
    parent = Text()
    under = Text()
    active = Flag()
    q = Text()


class LocationSchema(Schema):
    id = fields.Integer(dump_only=True)
    code = Text(
        required=True,
        validate=validate.Regexp(
            r"^[0-9A-Za-z][0-9A-Za-z-]{0,31}$", error=_l("Use letters, digits and '-' (up to 32).")
        ),
    )
    name = PrintedText(load_default=None, allow_none=True, max_length=128)
    is_active = fields.Boolean(dump_only=True)
