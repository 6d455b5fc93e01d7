"""Which actions a batch or a transfer allows a user now: one rule for the scan API, the scan page,
the batch page and the transfer page, so no two of them can disagree.

Reads only the objects given (state, expiry, depot) and asks `auth.permissions` who may act; the
verbs in `operations.py` and `transfers.py` enforce the same conditions when the action is taken.
"""

from datetime import date

from ..auth.permissions import Action, can, may_deliver
from ..database import local_today
from . import rules
from .kinds import BatchStatus, TransferStatus


def batch_actions(batch, user, today: date | None = None) -> list[str]:
    """Names of the actions `user` may take on `batch`: issue, move, quarantine, release, adjust,
    write_off, count (in page order). None for a user who may not operate stock at its depot."""
    if not can(user, Action.OPERATE_STOCK, batch.depot):
        return []
    today = today or local_today()
    actions = []
    if batch.quantity > 0 and rules.is_issuable(batch, today):
        actions += ["issue", "move", "quarantine"]
    elif batch.quantity > 0:
        actions += ["move"]
    if batch.status is BatchStatus.QUARANTINED and not rules.is_expired(batch, today):
        actions.append("release")
    if batch.status is not BatchStatus.WRITTEN_OFF:
        actions += ["adjust", "write_off", "count"]
    return actions


def transfer_actions(transfer, user) -> list[str]:
    """Names of the next steps `user` may take on `transfer`: pick and dispatch (sending keeper, while
    a draft), receive (keeper of the destination depot) or deliver (to a site that is no depot)."""
    actions = []
    if transfer.status is TransferStatus.DRAFT and can(user, Action.OPERATE_STOCK, transfer.from_depot):
        actions += ["pick", "dispatch"]
    if transfer.status is TransferStatus.IN_TRANSIT:
        if transfer.to_depot is not None and can(user, Action.OPERATE_STOCK, transfer.to_depot):
            actions.append("receive")
        if transfer.to_depot is None and may_deliver(user, transfer):
            actions.append("deliver")
    return actions
