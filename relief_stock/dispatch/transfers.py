"""From an approved plan to trucks on the road: transfer orders, picking by scan, dispatch, receipt.

Approval creates one transfer order (调拨单) per sending depot and site, numbered by scanning.codes,
and commits its quantities at the sending depots (stock/commitments.py) in the same transaction.
The stock moves only through the stock operations (pick, dispatch_transfer, receive_transfer,
deliver_transfer), which callers use directly for the steps after picking. Picking here adds the
scan rules: first-expiry-first-out, a scanned batch of the right item is refused when batches that
expire earlier still have units to give.

Drills (演练) run the same pages and checks; the stock operations themselves make sure a drill
transfer changes only its own status (a drill's scan is checked like any other, then not picked).
"""

from datetime import date

from flask_babel import gettext as _

from ..auth.permissions import Action, require
from ..database import local_today
from ..errors import BadInput, NotFound
from ..extensions import db
from ..quantities import whole_number
from ..scanning import codes
from ..stock import operations as stock_ops
from ..stock import rules
from ..stock.balances import depot_batches
from ..stock.checks import check_issuable
from ..stock.lookups import batch_by_code
from ..stock.models import Transfer, TransferLine
from ..stock.transfers import picked_elsewhere, require_draft
from .models import Plan, PlanTransfer


def create_transfers(user, plan: Plan) -> list[Transfer]:
    """One transfer order per (sending depot, site) of the plan's non-zero lines."""
    groups: dict[tuple[int, int], list] = {}
    for line in plan.lines:
        if line.quantity > 0:
            groups.setdefault((line.from_depot_id, line.site_id), []).append(line)
    created = []
    for (_depot_id, _site_id), lines in sorted(groups.items()):
        depot, site = lines[0].from_depot, lines[0].site
        transfer = Transfer(
            number=codes.next_code(codes.TRANSFER, depot.code),
            from_depot_id=depot.id,
            to_depot_id=site.depot_id,
            to_site_name=None if site.depot_id else site.name,
            to_lat=site.lat,
            to_lng=site.lng,
            is_drill=plan.emergency.is_drill,
            created_by_id=user.id,
            notes=plan.emergency.name,
        )
        db.session.add(transfer)
        db.session.flush()
        by_item: dict[int, int] = {}
        for line in lines:
            by_item[line.item_id] = by_item.get(line.item_id, 0) + line.quantity
        for item_id, quantity in sorted(by_item.items()):
            db.session.add(TransferLine(transfer_id=transfer.id, item_id=item_id, quantity=quantity))
        db.session.add(PlanTransfer(plan_id=plan.id, transfer_id=transfer.id, site_id=site.id))
        created.append(transfer)
    db.session.flush()
    stock_ops.commit_transfers(user, created)  # refused as a whole if another plan took the stock first
    return created


def line_of(transfer: Transfer, line_id: int) -> TransferLine:
    """The line `line_id` of `transfer` (404 for a line of another order)."""
    for line in transfer.lines:
        if line.id == line_id:
            return line
    raise NotFound(_("Transfer %(number)s has no line %(id)d.", number=transfer.number, id=line_id))


def remaining(line: TransferLine) -> int:
    return line.quantity - sum(p.quantity for p in line.picks)


def fefo_candidates(line: TransferLine, today: date | None = None) -> list[tuple]:
    """(batch, free units) at the sending depot in first-expiry-first-out order, enough to finish the line."""
    today = today or local_today()
    batches = depot_batches(line.transfer.from_depot, item=line.item.sku)
    ordered = sorted((b for b in batches if rules.is_issuable(b, today)), key=rules.fefo_key)
    wanted, result = remaining(line), []
    for batch in ordered:
        if wanted <= 0:
            break
        free = batch.quantity - picked_elsewhere(batch.id)
        if free > 0:
            result.append((batch, free))
            wanted -= free
    return result


def scan_pick(user, transfer: Transfer, code: str, quantity: int | None = None):
    """The issuing keeper scans a batch: right item, sending depot, issuable and FEFO, or refused.
    Picks min(what the line still needs, what the batch can give) unless `quantity` says less.
    Returns (line, quantity picked)."""
    require(user, Action.OPERATE_STOCK, transfer.from_depot)
    require_draft(transfer)
    batch = batch_by_code(code, field="code")
    line = next((ln for ln in transfer.lines if ln.item_id == batch.item_id and remaining(ln) > 0), None)
    if line is None:
        raise BadInput(
            _(
                "Wrong batch: %(code)s holds %(item)s, which this order does not need (any more).",
                code=batch.code,
                item=batch.item.sku,
            ),
            field="code",
        )
    if batch.depot_id != transfer.from_depot_id:
        raise BadInput(_("Wrong batch: %(code)s is not at the sending depot.", code=batch.code), field="code")
    _require_free(batch)
    candidates = fefo_candidates(line)
    # Any batch of the earliest expiry still holding free units may go first; later ones wait.
    first_expiry = candidates[0][0].expiry_date if candidates else None
    free = {b.id: f for b, f in candidates if b.expiry_date == first_expiry}
    if batch.id not in free:
        first = candidates[0][0].code
        raise BadInput(
            _(
                "Wrong batch: first expiry first out, pick %(first)s before %(code)s.",
                first=first,
                code=batch.code,
            ),
            field="code",
        )
    take = min(remaining(line), free[batch.id])
    if quantity is not None:
        take = whole_number(
            quantity, "quantity", _("Quantity must be between 1 and %(n)d.", n=take), low=1, high=take
        )
    if not transfer.is_drill:  # the stock verb refuses drills; their scans are checked, not picked
        stock_ops.pick(user, line, batch, take)
    return line, take


def _require_free(batch) -> None:
    """Refuse a batch that cannot give anything, with the real reason: not issuable (quarantined,
    expired ...) or every unit already picked for other orders not yet dispatched."""
    check_issuable(batch)
    taken = picked_elsewhere(batch.id)
    if batch.quantity - taken <= 0:
        raise BadInput(
            _(
                "Batch %(code)s: all %(n)d units are already picked for other orders; scan another batch.",
                code=batch.code,
                n=batch.quantity,
            ),
            field="code",
        )
