"""Query-string filters of the dashboard, the map, the drill-down lists and the reports. They
validate shape and type and never write; unknown SKUs are refused by the lookup that uses them."""

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, validate, validates

from ..catalogue.models import Category
from ..errors import BadInput
from ..fields import Choice, Flag, Text, WholeNumber, in_range, read_form
from ..stock.schemas import donor_field, origin_field

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class _Month:
    def check(self, value):
        if value is not None and not MONTH.match(value):
            raise ValidationError(_("Enter a month as YYYY-MM."))


class MapFilterSchema(Schema):
    item = Text(max_length=32, load_default=None)
    category = Choice(Category, load_default=None)
    layers = Text(max_length=8, load_default=None)  # present when the layer boxes were submitted
    shortfall = Flag(load_default=False)
    expiring = Flag(load_default=False)


class BatchListSchema(Schema):
    item = Text(max_length=32, load_default=None)
    category = Choice(Category, load_default=None)
    expiry_month = Text(max_length=7, load_default=None)  # YYYY-MM, or "expired"
    source = origin_field()
    donor = donor_field()
    own = Flag(load_default=False)  # the depot alone, not the depots below it
    page = WholeNumber(load_default=1, validate=in_range(1, 100_000))

    @validates("expiry_month")
    def _month(self, value, **kwargs):
        if value != "expired":
            _Month().check(value)


class MovementListSchema(Schema):
    item = Text(max_length=32, load_default=None)
    category = Choice(Category, load_default=None)
    flow = Text(
        max_length=20,
        load_default=None,
        validate=validate.OneOf(
            ["received", "issued", "transferred_out", "transferred_in", "written_off"],
            error=_l("Choose one of: {choices}."),
        ),
    )
    month = Text(max_length=7, load_default=None)
    own = Flag(load_default=False)
    page = WholeNumber(load_default=1, validate=in_range(1, 100_000))

    @validates("month")
    def _month(self, value, **kwargs):
        _Month().check(value)


class ReportSchema(Schema):
    month = Text(max_length=7, load_default=None)
    emergency = WholeNumber(load_default=None, validate=in_range(1, 2**31 - 1))
    format = Text(
        max_length=4,
        load_default="xlsx",
        validate=validate.OneOf(["xlsx", "pdf"], error=_l("Choose one of: {choices}.")),
    )
    lang = Text(
        max_length=2,
        load_default=None,
        validate=validate.OneOf(["zh", "en"], error=_l("Choose one of: {choices}.")),
    )

    @validates("month")
    def _month(self, value, **kwargs):
        _Month().check(value)


def load_args(schema: Schema, args) -> dict:
    """Validate a query string; a bad value is a 422 that names the field and the problem."""
    data, errors = read_form(schema, args, checkboxes=False)
    if errors:
        field, messages = next(iter(errors.items()))
        raise BadInput(f"{field}: {' '.join(map(str, messages))}", errors=errors)
    return data
