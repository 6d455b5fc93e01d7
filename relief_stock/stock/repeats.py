"""The repeat guard of the keeper's forms: the same operation on the same batch by the same user a
few minutes after the last one is most often a mistake (Back, then Confirm again), not a second issue.

The form views ask `earlier_same(...)` before they hand a post to the stock operations; when it names
an earlier movement and the post does not carry `confirm_repeat=1`, the form is shown again with that
movement named and a button to confirm. Nothing here writes; the rule is a plain read of the ledger.
API writes are not guarded: their clients send an Idempotency-Key, which already makes a resend safe.
"""

from datetime import timedelta

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from ..database import utcnow
from ..errors import Conflict
from ..extensions import db
from .kinds import MovementKind
from .models import Movement

REPEAT_WINDOW = timedelta(minutes=5)
CONFIRM_FIELD = "confirm_repeat"

# The ledger kind each guarded form action writes (quarantine and release refuse a repeat themselves).
ACTION_KINDS = {
    "issue": (MovementKind.ISSUE,),
    # A whole-batch move repeated is refused by `move` itself (already there); a split leaves MOVE_OUT.
    "move": (MovementKind.MOVE_OUT,),
    "write_off": (MovementKind.WRITE_OFF,),
    "adjust": (MovementKind.ADJUSTMENT,),
}


def earlier_same(user, action: str, *, batch=None, depot=None, item=None, window=REPEAT_WINDOW):
    """The user's latest movement of the same kind on `batch` (or on `item` at `depot`, for issues by
    item) within `window`, or None. Only actions in ACTION_KINDS are guarded."""
    kinds = ACTION_KINDS.get(action)
    if kinds is None:
        return None
    query = select(Movement).where(
        Movement.user_id == user.id,
        Movement.kind.in_(kinds),
        Movement.created_at >= utcnow() - window,
    )
    if batch is not None:
        query = query.where(Movement.batch_id == batch.id)
    else:
        query = query.where(Movement.depot_id == depot.id, Movement.item_id == item.id)
    return db.session.scalar(query.order_by(Movement.created_at.desc(), Movement.id.desc()).limit(1))


def is_confirmed(form) -> bool:
    return form.get(CONFIRM_FIELD) == "1"


def refuse_unconfirmed_repeat(user, action: str, form, **target) -> None:
    """Raise Conflict on the CONFIRM_FIELD naming the earlier movement, unless the post confirms it."""
    if is_confirmed(form):
        return
    earlier = earlier_same(user, action, **target)
    if earlier is None:
        return
    minutes = max(0, int((utcnow() - earlier.created_at).total_seconds() // 60))
    raise Conflict(
        _(
            "You already did this at %(time)s (%(minutes)d min ago): %(kind)s %(quantity)s on batch "
            "%(code)s. Confirm again only if this is a second, separate operation.",
            time=format_datetime(earlier.created_at, "HH:mm"),
            minutes=minutes,
            kind=earlier.kind.label,
            quantity=abs(earlier.quantity) if earlier.quantity else "",
            code=earlier.batch.code,
        ),
        field=CONFIRM_FIELD,
    )
