"""Moving stock between storage locations of one depot: the whole batch, or a part split off into a
child batch with its own code. A stock verb (re-exported by operations.py); it lives apart so that
stocktakes, which move misplaced batches they find, can call it without an import cycle.
"""

from flask_babel import gettext as _

from ..auth.permissions import Action, require
from ..errors import BadInput, Conflict
from .batches import new_batch
from .checks import check_location, positive
from .kinds import MovementKind
from .ledger import DocumentRef, post
from .models import Batch


def move(user, batch, location, quantity=None) -> Batch:
    """Put `batch` at `location` (same depot). With `quantity` below the batch's, split that many off
    into a new child batch (its own code and label) at `location`, and return the child."""
    require(user, Action.OPERATE_STOCK, batch.depot)
    if location is None:
        raise BadInput(_("Choose a location."), field="location")
    check_location(batch.depot, location)
    if batch.quantity <= 0:
        raise Conflict(_("Batch %(code)s is empty.", code=batch.code))
    if quantity is None or quantity == batch.quantity:
        if batch.location_id == location.id:
            raise Conflict(
                _("Batch %(code)s is already at %(location)s.", code=batch.code, location=location.code),
                field="location",
            )
        post(
            batch,
            MovementKind.MOVE_IN,
            0,
            user=user,
            expected=batch.status,
            location_id=location.id,
            reason=_moved(batch, location),
        )
        return batch
    positive(quantity)
    if quantity > batch.quantity:
        raise Conflict(
            _(
                "Batch %(code)s holds %(have)d; %(want)d cannot be taken from it.",
                code=batch.code,
                have=batch.quantity,
                want=quantity,
            ),
            field="quantity",
        )
    status = batch.status
    child = new_batch(
        batch.depot,
        batch.item,
        batch.received_date,
        status=status,
        location=location,
        parent_id=batch.id,
        expiry_date=batch.expiry_date,
        manufactured_date=batch.manufactured_date,
        source_kind=batch.source_kind,
        source_ref=batch.source_ref,
        donor_name=batch.donor_name,
        donor_ref=batch.donor_ref,
        receipt_id=batch.receipt_id,
    )
    document = DocumentRef("batch", batch.id)
    moved = _moved(batch, location)
    post(batch, MovementKind.MOVE_OUT, -quantity, user=user, expected=status, document=document, reason=moved)
    post(
        child,
        MovementKind.MOVE_IN,
        quantity,
        user=user,
        expected=status,
        document=document,
        location_id=location.id,
        reason=moved,
    )
    return child


def _moved(batch, location) -> str:
    """Where a move took stock from and to, kept in the ledger row (the batch row only says where now)."""
    return _(
        "From %(from)s to %(to)s",
        **{"from": batch.location.code if batch.location else _("no location"), "to": location.code},
    )
