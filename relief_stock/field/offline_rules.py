"""What an operation prepared offline may do, depending on how old the data it was prepared on is.

The field app sends `X-Prepared-At` with every replayed operation: the time the server generated the
depot data the keeper saw when he did it (the server's clock, so a phone's wrong clock does not
matter). The rules, shown in the app and enforced here:

- Taking in goods (receipts, receiving a transfer) is always accepted: it records what arrived.
- Issuing, moving, counting and picking a batch are accepted on data up to `FIELD_MAX_DATA_AGE_HOURS`
  old (default 24). Older, they are refused (409) with the age and the limit: the keeper refreshes,
  checks the batch and does it again. The stock operations re-check everything else as always
  (quantity still there, batch not quarantined, permission, order still open).
- A resend of an operation the server already applied gets its first answer back (the idempotency
  record), however old: it is never refused as stale after the fact.
"""

from datetime import UTC, datetime, timedelta

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..database import utcnow
from ..errors import BadInput, Conflict
from ..extensions import db
from ..idempotency import HEADER as IDEMPOTENCY_HEADER
from ..idempotency import IdempotencyKey

HEADER = "X-Prepared-At"
DEFAULT_MAX_AGE_HOURS = 24

# Endpoints that take from, move or count a batch: stale data could mislead them.
STALE_SENSITIVE = frozenset(
    {
        "api_stock.issue",
        "api_stock.issue_item",
        "api_stock.move",
        "api_stock.record_count",
        "api_stock.record_found",
        "api_dispatch.pick",
    }
)
# Endpoints that record goods arriving: accepted whatever the age of the data.
ALWAYS_ACCEPTED = frozenset({"api_stock.receive", "api_dispatch.receive"})


def max_age() -> timedelta:
    return timedelta(hours=current_app.config.get("FIELD_MAX_DATA_AGE_HOURS", DEFAULT_MAX_AGE_HOURS))


def parse_prepared_at(raw: str) -> datetime:
    try:
        value = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise BadInput(_("%(header)s is not a date and time.", header=HEADER), field=HEADER) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def check_data_age(endpoint: str, prepared_at: datetime, now: datetime | None = None) -> None:
    """Raise Conflict when `endpoint` may not run on data generated at `prepared_at`."""
    if endpoint not in STALE_SENSITIVE:
        return
    age = (now or utcnow()) - prepared_at
    if age > max_age():
        raise Conflict(
            _(
                "This was done on depot data %(hours)d hours old (the limit is %(limit)d hours): "
                "refresh the data, check the batch and do it again.",
                hours=int(age.total_seconds() // 3600),
                limit=int(max_age().total_seconds() // 3600),
            ),
            field=HEADER,
        )


def _already_applied() -> bool:
    key = (request.headers.get(IDEMPOTENCY_HEADER) or "").strip()
    if not key or not current_user.is_authenticated:
        return False
    return (
        db.session.scalar(
            select(IdempotencyKey.id).where(
                IdempotencyKey.user_id == current_user.id, IdempotencyKey.key == key
            )
        )
        is not None
    )


def enforce_data_age():
    """before_request: apply the rules to API writes that say what data they were prepared on."""
    raw = request.headers.get(HEADER)
    if not raw or request.method != "POST" or request.endpoint not in STALE_SENSITIVE:
        return
    prepared_at = parse_prepared_at(raw)
    if _already_applied():
        return
    check_data_age(request.endpoint, prepared_at)


def init_app(app):
    app.config.setdefault("FIELD_MAX_DATA_AGE_HOURS", DEFAULT_MAX_AGE_HOURS)
    app.before_request(enforce_data_age)
