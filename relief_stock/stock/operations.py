"""Stock operations: the one writer of stock. Web pages, the API, CLI commands and jobs call these.

Each operation checks who may act (`require(user, OPERATE_STOCK, depot)`), validates its input,
changes batches only through `ledger.post` (a conditional UPDATE plus a movement row plus the
balance upsert), flushes and never commits: the caller wraps the unit of work in `atomic()`.
Refusals are typed errors (BadInput 422, Conflict 409, PermissionDenied 403) naming the problem.
Transfer operations live in `transfers.py`, commitments in `commitments.py`, moves in `moves.py` and
stocktakes in `stocktake.py`; this module imports them at the top and names them in `__all__`, so
callers import every stock verb from here. Those modules import nothing from here (no import
cycle); the checks they share are in `checks.py`, the new-batch write in `batches.py`.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.permissions import Action, require
from ..database import local_today
from ..errors import BadInput, Conflict
from ..extensions import db
from ..quantities import whole_number
from ..scanning import codes
from . import rules
from .batches import new_batch
from .checks import MAX_QUANTITY, check_issuable, check_location, optional_reason, positive, required_reason
from .commitments import cancel_transfer, commit_transfers, reduce_line, release_transfer
from .kinds import BatchStatus, MovementKind, SourceKind
from .ledger import DocumentRef, lock_batches, lock_levels, post, refuse_committed
from .models import Batch, Movement, Receipt, StockLevel, Stocktake, Transfer
from .moves import move
from .stocktake import (
    approve_stocktake,
    open_stocktake,
    post_stocktake,
    record_count,
    record_found,
    set_reason,
)
from .transfers import deliver_transfer, dispatch_transfer, pick, receive_transfer, unpick

# The stock verbs, wherever they are written: callers import every one of them from here.
__all__ = [
    "ReceiptLine",
    "adjust",
    "approve_stocktake",
    "cancel_transfer",
    "commit_transfers",
    "deliver_transfer",
    "dispatch_transfer",
    "expire",
    "issue",
    "issue_item",
    "move",
    "open_stocktake",
    "pick",
    "post_stocktake",
    "quarantine",
    "receive",
    "receive_transfer",
    "record_count",
    "record_found",
    "reduce_line",
    "release",
    "release_transfer",
    "set_reason",
    "unpick",
    "write_off",
]

# Back-dating a paper delivery note is fine; a year 1 or 1900 receipt is a typo (and breaks FEFO).
EARLIEST_RECEIPT_DATE = date(2000, 1, 1)


@dataclass
class ReceiptLine:
    item: object
    quantity: int
    expiry_date: date | None = None
    manufactured_date: date | None = None
    location: object = None
    donor_name: str | None = None


def _check_line(depot, line: ReceiptLine, index: int, received: date) -> None:
    prefix = f"lines.{index}."
    if line.item is None or not line.item.is_active:
        raise BadInput(_("Choose an active item."), field=prefix + "item")
    positive(line.quantity, prefix + "quantity")
    if line.item.is_perishable and line.expiry_date is None:
        raise BadInput(
            _("%(item)s is perishable: enter its expiry date.", item=line.item.sku),
            field=prefix + "expiry_date",
        )
    if line.expiry_date is not None and line.expiry_date <= received:
        raise BadInput(_("The expiry date must be after the date of receipt."), field=prefix + "expiry_date")
    if line.manufactured_date is not None and line.manufactured_date > received:
        raise BadInput(
            _("The manufacture date cannot be after the date of receipt."), field=prefix + "manufactured_date"
        )
    check_location(depot, line.location, prefix + "location")


def receive(
    user,
    depot,
    lines: list[ReceiptLine],
    *,
    source_kind,
    supplier=None,
    donor_ref=None,
    delivery_note_ref=None,
    notes=None,
    received_date=None,
) -> Receipt:
    """Take a delivery in at `depot`: one receipt, one new batch (with its own code) per line."""
    require(user, Action.OPERATE_STOCK, depot)
    if not depot.is_active:
        raise Conflict(_("Depot %(code)s is closed.", code=depot.code))
    try:
        source_kind = SourceKind(source_kind)
    except ValueError:
        raise BadInput(_("Unknown source: %(value)s.", value=source_kind), field="source_kind") from None
    received = received_date or local_today()
    if received > local_today():
        raise BadInput(_("The date of receipt cannot be in the future."), field="received_date")
    if received < EARLIEST_RECEIPT_DATE:
        raise BadInput(
            _("The date of receipt cannot be before %(date)s.", date=EARLIEST_RECEIPT_DATE.isoformat()),
            field="received_date",
        )
    if not lines:
        raise BadInput(_("A receipt needs at least one line."), field="lines")
    for index, line in enumerate(lines):
        _check_line(depot, line, index, received)
    lock_levels((depot.id, line.item.id) for line in lines)
    receipt = Receipt(
        number=codes.next_code(codes.RECEIPT, depot.code, received),
        depot_id=depot.id,
        source_kind=source_kind,
        supplier=supplier,
        donor_ref=donor_ref,
        delivery_note_ref=delivery_note_ref,
        received_by_id=user.id,
        notes=notes,
    )
    db.session.add(receipt)
    db.session.flush()
    for line in lines:
        batch = new_batch(
            depot,
            line.item,
            received,
            source_kind=source_kind,
            receipt_id=receipt.id,
            location=line.location,
            expiry_date=line.expiry_date,
            manufactured_date=line.manufactured_date,
            source_ref=delivery_note_ref,
            donor_name=line.donor_name or (supplier if source_kind is SourceKind.DONATION else None),
            donor_ref=donor_ref,
        )
        post(
            batch,
            MovementKind.RECEIPT,
            line.quantity,
            user=user,
            expected=BatchStatus.AVAILABLE,
            document=DocumentRef("receipt", receipt.id),
        )
    return receipt


def linked_document(batch, document_type, document_id) -> DocumentRef | None:
    """The document a keeper names for an issue from `batch`, if it belongs to the batch's depot.

    The public trace follows movements to their documents (a transfer's destination), so a keeper
    must not tag his issue with another depot's transfer or receipt: 422 naming the document."""
    if not document_type and document_id is None:
        return None
    kinds = {"receipt": Receipt, "transfer": Transfer, "stocktake": Stocktake}
    if document_type not in kinds:
        raise BadInput(
            _("Unknown document type: %(value)s.", value=document_type or ""), field="document_type"
        )
    found = db.session.get(kinds[document_type], document_id) if document_id is not None else None
    depots = (
        {found.from_depot_id, found.to_depot_id}
        if isinstance(found, Transfer)
        else {found.depot_id}
        if found is not None
        else set()
    )
    if batch.depot_id not in depots:
        raise BadInput(
            _(
                "No %(type)s %(id)s at depot %(depot)s.",
                type=document_type,
                id=document_id,
                depot=batch.depot.code,
            ),
            field="document_id",
        )
    return DocumentRef(document_type, document_id)


def issue(user, batch, quantity, *, reason=None, document_type=None, document_id=None) -> Movement:
    """Take `quantity` out of `batch` (to a distribution, a site, a person); never the part of the
    depot's stock of the item committed to approved orders (Conflict naming what is free)."""
    require(user, Action.OPERATE_STOCK, batch.depot)
    positive(quantity)
    check_issuable(batch)
    document = linked_document(batch, document_type, document_id)
    return post(
        batch,
        MovementKind.ISSUE,
        -quantity,
        user=user,
        expected=BatchStatus.AVAILABLE,
        reason=optional_reason(reason),
        document=document,
        keep_committed=True,
    )


def issue_item(user, depot, item, quantity, *, reason=None) -> list[Movement]:
    """Issue `quantity` of `item` at `depot` from its batches, first expiry first out (FEFO)."""
    require(user, Action.OPERATE_STOCK, depot)
    positive(quantity)
    # Locked before planning: the plan is made on the batches as they are now, and no concurrent
    # issue or quarantine can change them before the plan is posted.
    candidates = lock_batches(
        select(Batch).where(
            Batch.depot_id == depot.id,
            Batch.item_id == item.id,
            Batch.status == BatchStatus.AVAILABLE,
            Batch.quantity > 0,
        )
    )
    plan, shortfall = rules.fefo_plan(candidates, quantity)
    if shortfall:
        raise Conflict(
            _(
                "Only %(have)d of %(item)s can be issued at %(depot)s; %(want)d asked.",
                have=quantity - shortfall,
                item=item.sku,
                depot=depot.code,
                want=quantity,
            ),
            field="quantity",
        )
    reason = optional_reason(reason)
    # Every post re-checks the guard in its UPDATE; the whole issue is refused (rolled back) when
    # one of them would take committed stock, with the free quantity as it was before it.
    lock_levels([(depot.id, item.id)])
    level = db.session.get(StockLevel, (depot.id, item.id), populate_existing=True)
    if level is not None and level.available - level.committed < quantity:
        refuse_committed(depot, item, quantity)
    return [
        post(
            batch,
            MovementKind.ISSUE,
            -take,
            user=user,
            expected=BatchStatus.AVAILABLE,
            reason=reason,
            keep_committed=True,
        )
        for batch, take in plan
    ]


def adjust(user, batch, delta, *, reason) -> Movement:
    """Correct `batch` by a signed `delta` (found damage, a booking mistake), with a reason."""
    require(user, Action.OPERATE_STOCK, batch.depot)
    message = _("The adjustment must be a whole number other than zero.")
    if whole_number(delta, "delta", message, low=-MAX_QUANTITY, high=MAX_QUANTITY) == 0:
        raise BadInput(message, field="delta")
    reason = required_reason(reason)
    if batch.status is BatchStatus.WRITTEN_OFF:
        raise Conflict(_("Batch %(code)s is written off.", code=batch.code), field="status")
    return post(batch, MovementKind.ADJUSTMENT, delta, user=user, expected=batch.status, reason=reason)


def write_off(user, batch, quantity, *, reason) -> Movement:
    """Write off `quantity` of `batch` (damaged, spoiled, lost), with a reason. Writing off all of
    it closes the batch (status written off)."""
    require(user, Action.OPERATE_STOCK, batch.depot)
    positive(quantity)
    reason = required_reason(reason)
    if batch.status is BatchStatus.WRITTEN_OFF:
        raise Conflict(_("Batch %(code)s is written off.", code=batch.code), field="status")
    return post(
        batch,
        MovementKind.WRITE_OFF,
        -quantity,
        user=user,
        expected=batch.status,
        empty_status=BatchStatus.WRITTEN_OFF,
        reason=reason,
    )


def quarantine(user, batch, *, reason) -> Movement:
    """Freeze `batch` (冻结): nothing can be issued from it until it is released."""
    require(user, Action.OPERATE_STOCK, batch.depot)
    reason = required_reason(reason)
    return post(
        batch,
        MovementKind.QUARANTINE,
        0,
        user=user,
        expected=BatchStatus.AVAILABLE,
        new_status=BatchStatus.QUARANTINED,
        reason=reason,
    )


def release(user, batch, *, reason=None) -> Movement:
    """Release a quarantined batch back to available (refused once it is past its expiry)."""
    require(user, Action.OPERATE_STOCK, batch.depot)
    if rules.is_expired(batch, local_today()):
        raise Conflict(
            _(
                "Batch %(code)s expired on %(date)s; write it off instead.",
                code=batch.code,
                date=batch.expiry_date.isoformat(),
            ),
            field="batch",
        )
    return post(
        batch,
        MovementKind.RELEASE,
        0,
        user=user,
        expected=BatchStatus.QUARANTINED,
        new_status=BatchStatus.AVAILABLE,
        reason=optional_reason(reason),
    )


def expire(batch, *, user=None, today=None) -> Movement:
    """Mark a batch past its expiry date as expired (the daily alerts job calls this with no user)."""
    if user is not None:
        require(user, Action.OPERATE_STOCK, batch.depot)
    today = today or local_today()
    if not rules.is_expired(batch, today):
        raise Conflict(_("Batch %(code)s has not expired.", code=batch.code), field="batch")
    if batch.status not in (BatchStatus.AVAILABLE, BatchStatus.QUARANTINED):
        raise Conflict(
            _("Batch %(code)s is %(status)s.", code=batch.code, status=batch.status.label), field="status"
        )
    return post(
        batch, MovementKind.EXPIRE, 0, user=user, expected=batch.status, new_status=BatchStatus.EXPIRED
    )
