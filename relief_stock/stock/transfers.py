"""Transfer operations: moving stock between depots (or out to a distribution site).

The dispatch domain creates transfer orders and their lines; these functions move the stock:
pick batches for a line, dispatch (TRANSFER_OUT per pick: the stock is then *in transit*), receive at
the destination depot (TRANSFER_IN into a child batch per pick, short and damaged parts written off
with a reason) or confirm delivery at a site that is no depot. An approved order's lines hold their
units committed at the sending depot (commitments.py) until dispatch. Picking does not reserve batches:
dispatch re-checks every pick with the ledger's conditional update and refuses the whole transfer
if any batch no longer holds its pick. Status changes use a conditional UPDATE too, so a transfer
cannot be dispatched or received twice by two people pressing the button together.

Drills (演练) are decided here, not by the callers: a drill transfer goes through the same status
changes (the same conditional UPDATE) but no verb moves stock for it. Picking a batch for a drill is
refused, dispatching and receiving a drill change its status only, so no quantity, ledger row or
in-transit total is touched whoever calls the verb.
"""

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..auth.permissions import Action, require, require_deliver
from ..database import local_today
from ..errors import BadInput, Conflict
from ..extensions import db
from ..quantities import whole_number
from .batches import new_batch, stamp
from .checks import check_issuable, positive, required_reason
from .commitments import settle_on_dispatch
from .kinds import BatchStatus, MovementKind, SourceKind, TransferStatus
from .ledger import DocumentRef, lock_levels, lock_stock, post
from .models import Transfer, TransferLine, TransferPick

transfers = Transfer.__table__


def _set_status(
    transfer: Transfer, expected: TransferStatus, new: TransferStatus, user, step: str | None = None
) -> None:
    """The one state machine of a transfer: `expected` -> `new` in one conditional UPDATE (refused
    when somebody else moved it first), stamping who did `step` ("dispatched" or "received"; a
    cancellation is recorded by its released commitments instead)."""
    changed = db.session.execute(
        transfers.update()
        .where(transfers.c.id == transfer.id, transfers.c.status == expected.value)
        .values(status=new.value)
    )
    if changed.rowcount != 1:
        db.session.refresh(transfer)
        raise Conflict(
            _("Transfer %(number)s is %(status)s.", number=transfer.number, status=transfer.status.label),
            field="status",
        )
    db.session.refresh(transfer, ["status"])
    if step is not None:
        stamp(transfer, f"{step}_by_id", f"{step}_at", user)


def require_draft(transfer: Transfer) -> None:
    if transfer.status is not TransferStatus.DRAFT:
        raise Conflict(
            _(
                "Transfer %(number)s is %(status)s; picking is closed.",
                number=transfer.number,
                status=transfer.status.label,
            ),
            field="status",
        )


def picked_elsewhere(batch_id: int, except_pick_id: int | None = None) -> int:
    """Units of a batch already picked on transfers not yet dispatched."""
    query = (
        select(func.coalesce(func.sum(TransferPick.quantity), 0))
        .join(TransferLine, TransferPick.line_id == TransferLine.id)
        .join(Transfer, TransferLine.transfer_id == Transfer.id)
        .where(
            TransferPick.batch_id == batch_id,
            Transfer.status == TransferStatus.DRAFT,
            Transfer.is_drill.is_(False),  # a drill holds back no real stock
        )
    )
    if except_pick_id is not None:
        query = query.where(TransferPick.id != except_pick_id)
    return db.session.scalar(query)


def pick(user, line: TransferLine, batch, quantity) -> TransferPick:
    """Pick `quantity` from `batch` for a transfer line (same item, sending depot, issuable)."""
    transfer = line.transfer
    require(user, Action.OPERATE_STOCK, transfer.from_depot)
    require_draft(transfer)
    if transfer.is_drill:
        raise Conflict(
            _("Transfer %(number)s is a drill: no stock is picked for it.", number=transfer.number),
            field="batch",
        )
    positive(quantity)
    if batch.item_id != line.item_id:
        raise BadInput(
            _(
                "Batch %(code)s holds %(item)s, not the item on this line.",
                code=batch.code,
                item=batch.item.sku,
            ),
            field="batch",
        )
    if batch.depot_id != transfer.from_depot_id:
        raise BadInput(_("Batch %(code)s is not at the sending depot.", code=batch.code), field="batch")
    check_issuable(batch)
    already_on_line = sum(p.quantity for p in line.picks)
    if already_on_line + quantity > line.quantity:
        raise BadInput(
            _(
                "The line asks for %(want)d; %(have)d are picked already.",
                want=line.quantity,
                have=already_on_line,
            ),
            field="quantity",
        )
    free = batch.quantity - picked_elsewhere(batch.id)
    if quantity > free:
        raise Conflict(
            _("Batch %(code)s has %(free)d units not yet picked.", code=batch.code, free=free),
            field="quantity",
        )
    picked = TransferPick(line_id=line.id, batch_id=batch.id, quantity=quantity)
    db.session.add(picked)
    db.session.flush()
    db.session.refresh(line, ["picks"])
    return picked


def unpick(user, pick: TransferPick) -> None:
    """Take a pick off a transfer that has not left yet."""
    transfer = pick.line.transfer
    require(user, Action.OPERATE_STOCK, transfer.from_depot)
    require_draft(transfer)
    line = pick.line
    db.session.delete(pick)
    db.session.flush()
    db.session.refresh(line, ["picks"])


def _truck(**given) -> dict:
    """The truck and driver the keeper gave, blanks left out (they keep what the order had).
    Lengths are checked against the columns, so no caller can overflow them."""
    truck = {}
    for field, value in given.items():
        value = (value or "").strip()
        if not value:
            continue
        limit = transfers.c[field].type.length
        if len(value) > limit:
            raise BadInput(_("At most %(n)d characters.", n=limit), field=field)
        truck[field] = value
    return truck


def _set_truck(transfer: Transfer, truck: dict) -> None:
    for field, value in truck.items():
        setattr(transfer, field, value)


def dispatch_transfer(
    user,
    transfer: Transfer,
    *,
    vehicle_plate: str | None = None,
    driver_name: str | None = None,
    driver_phone: str | None = None,
) -> list:
    """The truck leaves: one TRANSFER_OUT per pick, all or nothing; the transfer is in transit,
    with the truck's plate, driver and driver's phone when given (they go on the manifest).
    A drill only changes its status (and returns no movements)."""
    require(user, Action.OPERATE_STOCK, transfer.from_depot)
    truck = _truck(vehicle_plate=vehicle_plate, driver_name=driver_name, driver_phone=driver_phone)
    if transfer.is_drill:
        _set_status(transfer, TransferStatus.DRAFT, TransferStatus.IN_TRANSIT, user, "dispatched")
        _set_truck(transfer, truck)
        db.session.flush()
        return []
    picks = [p for line in transfer.lines for p in line.picks]
    if not picks:
        raise Conflict(_("Transfer %(number)s has nothing picked.", number=transfer.number))
    _set_status(transfer, TransferStatus.DRAFT, TransferStatus.IN_TRANSIT, user, "dispatched")
    _set_truck(transfer, truck)
    settle_on_dispatch(user, transfer)  # what was promised to this order is now on the road
    document = DocumentRef("transfer", transfer.id)
    movements = []
    lock_stock(p.batch_id for p in picks)  # the lock order of every write: no deadlocks
    for picked in sorted(picks, key=lambda p: p.batch_id):
        check_issuable(picked.batch)
        movements.append(
            post(
                picked.batch,
                MovementKind.TRANSFER_OUT,
                -picked.quantity,
                user=user,
                expected=BatchStatus.AVAILABLE,
                document=document,
            )
        )
    db.session.flush()
    return movements


def _outcome(picked: TransferPick, outcomes: dict) -> tuple[int, int]:
    received, damaged = outcomes.get(picked.id, outcomes.get(str(picked.id), (picked.quantity, 0)))
    for value, field in ((received, "received"), (damaged, "damaged")):
        whole_number(
            value, f"{picked.id}.{field}", _("Quantities must be whole numbers, zero or more."), low=0
        )
    if received + damaged > picked.quantity:
        raise BadInput(
            _("%(n)d were shipped; received and damaged cannot exceed that.", n=picked.quantity),
            field=f"{picked.id}.received",
        )
    return received, damaged


def receive_transfer(user, transfer: Transfer, outcomes: dict, *, reason=None) -> list:
    """Take a transfer in at its destination depot: per pick, a child batch gets TRANSFER_IN of what
    was shipped, then what is short or damaged is written off with `reason` (required then).
    A drill only changes its status (and returns no movements)."""
    if transfer.to_depot is None:
        raise Conflict(
            _(
                "Transfer %(number)s goes to a site, not a depot: confirm delivery instead.",
                number=transfer.number,
            )
        )
    require(user, Action.OPERATE_STOCK, transfer.to_depot)
    if transfer.is_drill:
        _set_status(transfer, TransferStatus.IN_TRANSIT, TransferStatus.RECEIVED, user, "received")
        return []
    picks = [p for line in transfer.lines for p in line.picks]
    checked = {p.id: _outcome(p, outcomes) for p in picks}
    if any(checked[p.id] != (p.quantity, 0) for p in picks):  # something short or damaged
        reason = required_reason(reason)
    _set_status(transfer, TransferStatus.IN_TRANSIT, TransferStatus.RECEIVED, user, "received")
    document = DocumentRef("transfer", transfer.id)
    today = local_today()
    movements = []
    lock_levels((transfer.to_depot_id, p.batch.item_id) for p in picks)
    for picked in picks:
        received, damaged = checked[picked.id]
        source = picked.batch
        child = new_batch(
            transfer.to_depot,
            source.item,
            today,
            parent_id=source.id,
            expiry_date=source.expiry_date,
            manufactured_date=source.manufactured_date,
            source_kind=SourceKind.TRANSFER,
            source_ref=transfer.number,
            donor_name=source.donor_name,
            donor_ref=source.donor_ref,
        )
        movements.append(
            post(
                child,
                MovementKind.TRANSFER_IN,
                picked.quantity,
                user=user,
                expected=BatchStatus.AVAILABLE,
                document=document,
            )
        )
        lost = picked.quantity - received
        if lost:
            movements.append(
                post(
                    child,
                    MovementKind.WRITE_OFF,
                    -lost,
                    user=user,
                    expected=BatchStatus.AVAILABLE,
                    empty_status=BatchStatus.WRITTEN_OFF,
                    reason=reason,
                    document=document,
                )
            )
        picked.received_quantity, picked.damaged_quantity, picked.received_batch_id = (
            received,
            damaged,
            child.id,
        )
    db.session.flush()
    return movements


def deliver_transfer(user, transfer: Transfer, *, note=None) -> Transfer:
    """Confirm that a transfer to a distribution site (no depot) was handed over. Moves no stock
    (it left the ledger when dispatched), so a drill goes the same way."""
    require_deliver(user, transfer)
    if transfer.to_depot_id is not None:
        raise Conflict(_("Transfer %(number)s goes to a depot: receive it there.", number=transfer.number))
    _set_status(transfer, TransferStatus.IN_TRANSIT, TransferStatus.DELIVERED, user, "received")
    if note:
        transfer.notes = f"{transfer.notes}\n{note}" if transfer.notes else note
    db.session.flush()
    return transfer
