"""Form input for the keeper's pages: schemas that turn posted strings into typed values with
translated per-field messages, and the helpers the views use to read a posted form.

Schemas check shape and type only (a whole number, a date, a known choice); the stock operations
decide the rules (positive quantities, reasons required, issuable batches) and name the field they
refuse, so a rule lives in one place and the page shows its message beside the right box.
"""

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields
from marshmallow.validate import OneOf

from ..catalogue.models import Category
from ..fields import Choice, Flag, PrintedText, Text, WholeNumber, in_range, read_form
from .kinds import BatchStatus, SourceKind

# Lines shown on the receive form without JavaScript; the script adds more on demand.
RECEIVE_LINES_WITHOUT_JS = 5
MAX_RECEIVE_LINES = 200


class Day(fields.Date):
    """A date typed as YYYY-MM-DD (what <input type=date> posts), with a translated message."""

    def make_error(self, key: str, **kwargs) -> ValidationError:
        messages = {"invalid": _l("Enter a date as YYYY-MM-DD.")}
        return ValidationError(str(messages.get(key, _l("This field is required."))))


class FormSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # csrf_token, form_token and the buttons ride along with the fields


class IssueForm(FormSchema):
    quantity = WholeNumber(required=True)
    reason = Text(load_default=None)


class IssueItemForm(FormSchema):
    item = Text(required=True)  # SKU
    quantity = WholeNumber(required=True)
    reason = Text(load_default=None)


class MoveForm(FormSchema):
    location = Text(required=True)  # location code in the batch's depot, or a scanned L- code
    quantity = WholeNumber(load_default=None)  # blank: the whole batch


class AdjustForm(FormSchema):
    delta = WholeNumber(required=True)
    reason = Text(load_default=None)


class WriteOffForm(FormSchema):
    quantity = WholeNumber(required=True)
    reason = Text(load_default=None)


class ReasonForm(FormSchema):
    """Quarantine and release: only a reason (the operation says whether it is required)."""

    reason = Text(load_default=None)


class ReceiveHeaderForm(FormSchema):
    source_kind = Choice(SourceKind, required=True)
    supplier = PrintedText(load_default=None)
    donor_ref = PrintedText(load_default=None)
    delivery_note_ref = PrintedText(load_default=None)
    notes = PrintedText(load_default=None)


class ReceiveLineForm(FormSchema):
    item = Text(required=True)  # SKU
    quantity = WholeNumber(required=True)
    expiry_date = Day(load_default=None)
    manufactured_date = Day(load_default=None)
    location = Text(load_default=None)  # location code in the receiving depot
    donor_name = PrintedText(load_default=None)


RECEIVE_LINE_FIELDS = tuple(ReceiveLineForm().fields)


class OpenCountForm(FormSchema):
    location = Text(load_default=None)
    is_blind = Flag(load_default=False)  # counters do not see the book quantity


class ScanCountForm(FormSchema):
    code = Text(required=True)  # a scanned or typed batch code (or label URL)
    counted = WholeNumber(required=True)


class FoundCountForm(FormSchema):
    """Goods on the shelf that no batch accounts for."""

    item = Text(required=True)
    found_counted = WholeNumber(required=True)
    expiry_date = Day(load_default=None)
    location = Text(load_default=None)


SORTS = ("depot", "item", "on_hand", "shortfall", "expiring")  # numbers sort largest first


class StockFilterForm(FormSchema):
    """The filter box of the stock pages (read from the query string)."""

    under = Text(load_default=None)  # depot code: that depot and everything below it
    subtree = Flag(load_default=False)  # on a depot's page: include the depots below it
    item = Text(load_default=None)  # SKU
    category = Choice(Category, load_default=None)
    status = Choice(BatchStatus, load_default=None)
    expiring = WholeNumber(load_default=None, validate=in_range(0, 3650))  # within N days
    location = Text(load_default=None)
    sort = Text(load_default=None, validate=OneOf(SORTS, error=_l("Choose one of: {choices}.")))
    page = WholeNumber(load_default=1, validate=in_range(1, 100_000))


def load_form(schema: Schema, formdata, prefix: str = "") -> tuple[dict, dict]:
    """Load `schema` from posted `formdata` whose fields are named `<prefix><field>`.

    Returns (data, errors): errors maps `<prefix><field>` to its messages, empty when valid.
    """
    values = {name: formdata.get(prefix + name) for name in schema.fields if prefix + name in formdata}
    data, errors = read_form(schema, values)
    return data, {prefix + field: messages for field, messages in errors.items()}


def receive_line_count(formdata) -> int:
    """How many line rows the posted receive form carried (the script may have added some)."""
    indexes = set()
    for key in formdata.keys():
        head, _sep, rest = key.partition("-")
        if head == "lines" and rest.partition("-")[0].isdigit():
            indexes.add(int(rest.partition("-")[0]))
    return min(max(indexes, default=-1) + 1, MAX_RECEIVE_LINES)


def line_is_blank(formdata, index: int) -> bool:
    """An untouched line row is skipped rather than refused (the form shows spare rows)."""
    return not any((formdata.get(f"lines-{index}-{name}") or "").strip() for name in RECEIVE_LINE_FIELDS)
