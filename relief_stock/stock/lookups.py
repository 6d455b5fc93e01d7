"""Stock lookups: the one record an identifier names (a printed batch code, a transfer number, a
location code, a receipt or stocktake id). Nothing here writes.

An identifier in the path that names nothing is a missing page (404); one carried by a form or body
field is bad input on that field (422), so the message lands next to the field it names.
"""

from flask_babel import gettext as _
from sqlalchemy import select

from ..errors import BadInput, unknown
from ..extensions import db
from ..network.models import Depot, Location
from ..scanning import codes
from .models import Batch, Receipt, Stocktake, Transfer


def _get(model, ident, message, field=None, options=()):
    found = db.session.get(model, ident, options=list(options))
    if found is None:
        raise unknown(message, field)
    return found


def batch_by_code(code: str, field: str | None = None) -> Batch:
    """The batch a printed code (or label URL) names. A mistyped or unknown code is bad input on
    `field` (422) when a form or body carried it, a missing page (404) when it came in the path."""
    try:
        parsed = codes.parse(code)
    except BadInput as error:
        raise unknown(error.message, field) from None
    if parsed.kind != codes.BATCH:
        raise unknown(_("%(code)s is not a batch code.", code=parsed.code), field)
    batch = db.session.scalar(select(Batch).where(Batch.code == parsed.code))
    if batch is None:
        raise unknown(_("No batch %(code)s.", code=parsed.code), field)
    return batch


def transfer_by_number(number: str, field: str | None = None, options=()) -> Transfer:
    """The transfer order with `number` (blanks and case of the printed number ignored); unknown:
    bad input on `field` (422) or a missing page (404). `options`: loader options, for a reader that
    walks its lines (a printout)."""
    number = (number or "").strip().upper()
    transfer = db.session.scalar(select(Transfer).where(Transfer.number == number).options(*options))
    if transfer is None:
        raise unknown(_("No transfer %(number)s.", number=number or "-"), field)
    return transfer


def batches_by_id(ids) -> dict[int, Batch]:
    return {b.id: b for b in db.session.scalars(select(Batch).where(Batch.id.in_(list(ids))))}


def receipt_by_id(receipt_id: int, options=()) -> Receipt:
    return _get(Receipt, receipt_id, _("No receipt %(id)s.", id=receipt_id), options=options)


def stocktake_by_id(stocktake_id: int) -> Stocktake:
    return _get(Stocktake, stocktake_id, _("No stocktake %(id)s.", id=stocktake_id))


def location_for_code(depot: Depot, code: str, field: str | None = "location") -> Location:
    """A location of `depot` by its own code (A-01-03) or its printed code (L-330100-A-01-03-K)."""
    raw = codes.normalise(code)
    if raw.startswith("L-") or "/" in (code or ""):
        try:
            parsed = codes.parse(code)
        except BadInput as error:
            raise unknown(error.message, field) from None
        if parsed.kind != codes.LOCATION or parsed.depot_code != depot.code:
            raise unknown(
                _("%(code)s is not a location of depot %(depot)s.", code=parsed.code, depot=depot.code), field
            )
        raw = parsed.location_code
    location = db.session.scalar(select(Location).where(Location.depot_id == depot.id, Location.code == raw))
    if location is None:
        raise unknown(_("No location %(code)s in depot %(depot)s.", code=raw, depot=depot.code), field)
    return location
