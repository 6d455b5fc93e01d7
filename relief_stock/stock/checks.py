"""Checks every stock verb shares: quantities, reasons, locations and whether a batch may be issued.

The verbs in `operations.py`, `transfers.py` and `stocktake.py` call these before they write; each
raises a typed error naming the field, never returns False. Pure over the objects given (no query).
"""

from datetime import date

from flask_babel import gettext as _

from ..database import local_today
from ..errors import BadInput, Conflict
from ..quantities import whole_number
from . import rules
from .kinds import BatchStatus

MAX_QUANTITY = 2_000_000_000  # per movement; balances are 64-bit, so sums of these fit too


def positive(quantity, field="quantity") -> int:
    """A whole number of units above zero, or BadInput."""
    return whole_number(
        quantity, field, _("Quantity must be a whole number above zero."), low=1, high=MAX_QUANTITY
    )


def required_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise BadInput(_("Give a reason."), field="reason")
    if len(reason) > 255:
        raise BadInput(_("The reason is longer than 255 characters."), field="reason")
    return reason


def optional_reason(reason: str | None) -> str | None:
    return required_reason(reason) if reason and reason.strip() else None


def check_location(depot, location, field="location"):
    if location is not None and location.depot_id != depot.id:
        raise BadInput(
            _("Location %(code)s is not in depot %(depot)s.", code=location.code, depot=depot.code),
            field=field,
        )


def check_issuable(batch, today: date | None = None) -> None:
    """Raise Conflict unless stock may leave `batch` today (available and not past its expiry)."""
    today = today or local_today()
    if batch.status is not BatchStatus.AVAILABLE:
        raise Conflict(
            _(
                "Batch %(code)s is %(status)s and cannot be issued.",
                code=batch.code,
                status=batch.status.label,
            ),
            field="status",
        )
    if rules.is_expired(batch, today):
        raise Conflict(
            _(
                "Batch %(code)s expired on %(date)s and cannot be issued.",
                code=batch.code,
                date=batch.expiry_date.isoformat(),
            ),
            field="batch",
        )
