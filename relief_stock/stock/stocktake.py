"""Stocktake (盘点): open a count, record what is on the shelf, see the differences, post them.

Counting against live stock, batch by batch: when a keeper records a batch, the line keeps the
batch's system quantity *at that moment*. Posting books `counted - system_quantity` as a
COUNT_CORRECTION on the live balance, so an issue made after the shelf was counted is kept, and
one made before is already in the system quantity: nothing is lost or counted twice. A batch that
was not counted is left as it is (a partial count is allowed; record 0 for a batch that is gone).
Goods found that the system does not know are recorded by item (and expiry) and become new batches
(source "found in stocktake") when the count is posted. Posting is all or nothing.

What auditors ask of a count, enforced here:
- A blind count (`is_blind`, chosen when it is opened) does not show the book quantity to counters.
- A batch of the depot found on the counted location but booked to another is recorded, not
  refused; posting moves it to the counted location (a MOVE_IN in the ledger) as well as correcting it.
- Every difference needs a reason before the count can be posted.
- Differences of more than `STOCKTAKE_APPROVAL_UNITS` (default 10) need a second person to approve the
  count before it is posted: a dispatcher covering the depot, or a keeper of the depot who counted
  none of those lines (an administrator too). Counting again after approval withdraws the approval.
"""

from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.models import Role
from ..auth.permissions import Action, can, require
from ..database import local_today, utcnow
from ..errors import BadInput, Conflict, PermissionDenied
from ..extensions import db
from ..network.models import Location
from ..quantities import whole_number
from .batches import new_batch, stamp
from .checks import positive
from .kinds import BatchStatus, MovementKind, SourceKind, StocktakeStatus
from .ledger import DocumentRef, lock_levels, lock_stock, post
from .models import Batch, Stocktake, StocktakeLine
from .moves import move

DEFAULT_APPROVAL_UNITS = 10


def open_stocktake(user, depot, location=None, *, is_blind: bool = False) -> Stocktake:
    """Start counting `depot` (or one `location` in it); blind: counters do not see book quantities."""
    require(user, Action.OPERATE_STOCK, depot)
    if location is not None and location.depot_id != depot.id:
        raise BadInput(
            _("Location %(code)s is not in depot %(depot)s.", code=location.code, depot=depot.code),
            field="location",
        )
    stocktake = Stocktake(
        depot_id=depot.id,
        location_id=location.id if location else None,
        opened_by_id=user.id,
        is_blind=bool(is_blind),
    )
    db.session.add(stocktake)
    db.session.flush()
    return stocktake


def _require_open(user, stocktake: Stocktake) -> None:
    require(user, Action.OPERATE_STOCK, stocktake.depot)
    if stocktake.status is not StocktakeStatus.OPEN:
        raise Conflict(_("This stocktake is %(status)s.", status=stocktake.status.label), field="status")


def _count(value) -> int:
    return whole_number(
        value, "counted", _("The counted quantity must be a whole number, zero or more."), low=0
    )


def counted_batches(stocktake: Stocktake):
    """The batches this count covers: in the depot (or location), not closed."""
    query = select(Batch).where(Batch.depot_id == stocktake.depot_id, Batch.status != BatchStatus.WRITTEN_OFF)
    if stocktake.location_id is not None:
        query = query.where(Batch.location_id == stocktake.location_id)
    return db.session.scalars(query.order_by(Batch.code))


def record_count(user, stocktake: Stocktake, batch, counted) -> StocktakeLine:
    """Record what is physically there for `batch`; recounting a batch replaces its line. A batch of
    the depot booked to another location than the one counted is recorded as misplaced (posting
    moves it here); a batch of another depot is refused."""
    _require_open(user, stocktake)
    counted = _count(counted)
    if batch.depot_id != stocktake.depot_id:
        raise BadInput(_("Batch %(code)s is not in the place being counted.", code=batch.code), field="batch")
    misplaced = stocktake.location_id is not None and batch.location_id != stocktake.location_id
    line = db.session.scalar(
        select(StocktakeLine).where(
            StocktakeLine.stocktake_id == stocktake.id, StocktakeLine.batch_id == batch.id
        )
    )
    db.session.refresh(batch, ["quantity", "status"])  # the system quantity now, not a cached one
    if line is None:
        line = StocktakeLine(stocktake_id=stocktake.id, batch_id=batch.id, item_id=batch.item_id)
        db.session.add(line)
    line.system_quantity, line.counted_quantity = batch.quantity, counted
    line.misplaced_from_id = batch.location_id if misplaced else None
    stamp(line, "counted_by_id", "counted_at", user)
    _withdraw_approval(stocktake)
    db.session.flush()
    return line


def _withdraw_approval(stocktake: Stocktake) -> None:
    stocktake.approved_by_id = stocktake.approved_at = None


def approval_units() -> int:
    return current_app.config.get("STOCKTAKE_APPROVAL_UNITS", DEFAULT_APPROVAL_UNITS)


def needs_approval(line: StocktakeLine) -> bool:
    """A difference too large for the counter alone to book."""
    return abs(line.difference) > approval_units()


def lines_needing_approval(stocktake: Stocktake) -> list[StocktakeLine]:
    return [line for line in differences(stocktake) if needs_approval(line)]


def set_reason(user, stocktake: Stocktake, line: StocktakeLine, reason: str | None) -> StocktakeLine:
    """Say why a counted line differs from the book (required before posting)."""
    _require_open(user, stocktake)
    if line.stocktake_id != stocktake.id:
        raise BadInput(_("This line is not on this count."), field="reason")
    line.reason = (reason or "").strip()[:255] or None
    db.session.flush()
    return line


def _require_reasons(stocktake: Stocktake) -> None:
    missing = [line for line in differences(stocktake) if not line.reason]
    if missing:
        raise BadInput(
            _(
                "Give a reason for every difference first: %(lines)s.",
                lines=", ".join(map(_line_name, missing)),
            ),
            field="reason",
        )


def _line_name(line: StocktakeLine) -> str:
    return line.batch.code if line.batch is not None else line.item.sku


def may_approve(user, stocktake: Stocktake) -> bool:
    """A second person: a dispatcher covering the depot, an administrator, or a keeper of the depot;
    never someone who counted a line that needs the approval."""
    counters = {line.counted_by_id for line in lines_needing_approval(stocktake)}
    if user.id in counters:
        return False
    if user.role is Role.KEEPER:
        return can(user, Action.OPERATE_STOCK, stocktake.depot)
    return user.role is Role.ADMIN or (
        user.role is Role.DISPATCHER and can(user, Action.PLAN_DISPATCH, stocktake.depot)
    )


def approve_stocktake(user, stocktake: Stocktake) -> Stocktake:
    """The second person's approval of the differences above the threshold."""
    if stocktake.status is not StocktakeStatus.OPEN:
        raise Conflict(_("This stocktake is %(status)s.", status=stocktake.status.label), field="status")
    if not may_approve(user, stocktake):
        raise PermissionDenied(
            _(
                "A second person must approve: a dispatcher of this depot or its other keeper, not who counted."
            )
        )
    _require_reasons(stocktake)
    stocktake.approved_by_id, stocktake.approved_at = user.id, utcnow()
    db.session.flush()
    return stocktake


def record_found(
    user, stocktake: Stocktake, item, counted, *, expiry_date: date | None = None, location=None
) -> StocktakeLine:
    """Record goods on the shelf that no batch accounts for (no label, or a label from elsewhere)."""
    _require_open(user, stocktake)
    positive(counted, "counted")
    if location is not None and location.depot_id != stocktake.depot_id:
        raise BadInput(
            _("Location %(code)s is not in depot %(depot)s.", code=location.code, depot=stocktake.depot.code),
            field="location",
        )
    line = StocktakeLine(
        stocktake_id=stocktake.id,
        batch_id=None,
        item_id=item.id,
        system_quantity=0,
        counted_quantity=counted,
        expiry_date=expiry_date,
        location_id=(location.id if location else stocktake.location_id),
    )
    stamp(line, "counted_by_id", "counted_at", user)
    db.session.add(line)
    db.session.flush()
    return line


def differences(stocktake: Stocktake) -> list[StocktakeLine]:
    """The counted lines whose count differs from the system quantity at counting time."""
    return [line for line in stocktake.lines if line.difference != 0]


def uncounted(stocktake: Stocktake) -> list[Batch]:
    """Batches in scope with stock that nobody has counted yet."""
    counted = {line.batch_id for line in stocktake.lines}
    return [b for b in counted_batches(stocktake) if b.id not in counted and b.quantity > 0]


def post_stocktake(user, stocktake: Stocktake) -> list:
    """Book every difference as a COUNT_CORRECTION (found goods as new batches) and move misplaced
    batches to the counted location, all or nothing. Refused without a reason for every difference,
    or without the second person's approval when a difference is above the threshold."""
    _require_open(user, stocktake)
    _require_reasons(stocktake)
    if lines_needing_approval(stocktake) and stocktake.approved_by_id is None:
        raise Conflict(
            _(
                "Differences of more than %(n)d need a second person's approval (a dispatcher of this "
                "depot or its other keeper) before posting.",
                n=approval_units(),
            ),
            field="approval",
        )
    closed = db.session.execute(
        Stocktake.__table__.update()
        .where(
            Stocktake.__table__.c.id == stocktake.id,
            Stocktake.__table__.c.status == StocktakeStatus.OPEN.value,
        )
        .values(status=StocktakeStatus.POSTED.value)
    )
    if closed.rowcount != 1:  # somebody posted (or cancelled) it a moment ago
        raise Conflict(_("This stocktake was closed meanwhile."), field="status")
    document = DocumentRef("stocktake", stocktake.id)
    movements = []
    changed = sorted(differences(stocktake), key=lambda ln: ln.batch_id or 0)
    lock_stock(line.batch_id for line in changed if line.batch_id is not None)
    lock_levels((stocktake.depot_id, line.item_id) for line in changed)
    for line in changed:
        if line.batch_id is None:
            batch = new_batch(
                stocktake.depot,
                line.item,
                local_today(),
                source_kind=SourceKind.COUNT,
                expiry_date=line.expiry_date,
                source_ref=f"stocktake {stocktake.id}",
                location=db.session.get(Location, line.location_id) if line.location_id else None,
            )
            line.batch_id = batch.id
        else:
            batch = line.batch
        movements.append(
            post(
                batch,
                MovementKind.COUNT_CORRECTION,
                line.difference,
                user=user,
                expected=batch.status,
                document=document,
                reason=_("Stocktake %(id)d: %(why)s", id=stocktake.id, why=line.reason)[:255],
            )
        )
    for line in stocktake.lines:  # found on the counted shelf, booked elsewhere: put it where it is
        if line.batch is None or line.counted_quantity == 0 or stocktake.location_id is None:
            continue
        db.session.refresh(line.batch, ["quantity", "location_id", "status"])
        if line.batch.location_id != stocktake.location_id:
            move(user, line.batch, stocktake.location)
    db.session.refresh(stocktake, ["status"])
    stamp(stocktake, "posted_by_id", "posted_at", user)
    db.session.flush()
    return movements
