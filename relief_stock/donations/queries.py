"""The public trace of donated goods (全程留痕，可查询、可追溯): from a donation code to where every
unit went. Read-only: built from receipts, batches (and the child batches split or transferred off
them), the movement ledger and transfer picks.

For the public, a donation code is only a registered donation's trace code: ten random characters
and a check character, so trying codes finds nothing. Batch codes and receipt numbers are sequential
and donor references are typed by staff, so those resolve only for signed-in staff (`staff=True`):
the donor reference of a receipt or batch, or the code of a donated batch or any batch split off one.
Nothing about the people who received the goods is shown: issue reasons are left out (they may name
a family), and staff appear only as their depot.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..network.models import Depot
from ..scanning import codes
from ..stock.kinds import BatchStatus, MovementKind, SourceKind, TransferStatus
from ..stock.models import (
    Batch,
    Commitment,
    Movement,
    Receipt,
    StockLevel,
    Transfer,
    TransferLine,
    TransferPick,
)
from .lookups import donations_by_trace_code

MAX_LINEAGE_DEPTH = 50  # splits of splits; real lineages are a few levels deep


@dataclass
class ItemSummary:
    """Where the donated units of one item are now. received = distributed + in_transit + lost + in_stock
    (+ corrections from stocktakes, which may be of either sign)."""

    item: object
    received: int = 0
    issued: int = 0
    delivered: int = 0  # handed over at distribution sites on transfers
    in_transit: int = 0
    lost: int = 0  # written off: damaged, short on arrival, spoiled
    corrected: int = 0  # stocktake corrections and adjustments (signed)
    in_stock: int = 0
    committed: int = 0  # of in_stock: promised to emergencies (part of in_stock, not beside it)
    sites: dict = field(default_factory=dict)  # distribution site -> units handed over there
    emergencies: dict = field(default_factory=dict)  # emergency name -> units committed to it

    @property
    def distributed(self) -> int:
        return self.issued + self.delivered


@dataclass
class Event:
    """One line of the public timeline."""

    at: object
    kind: MovementKind
    depot: Depot
    item: object
    quantity: int
    batch_code: str
    transfer: object = None  # the transfer order, for transfer movements
    emergency: object = None  # the emergency the transfer order serves
    reason: object = None  # a write-off's reason (the only reason the public sees)


@dataclass
class Committed:
    """Donated units promised to an emergency while they are still in stock at `depot`: picked onto
    its transfer order, or promised at a depot where the other stock cannot cover the promise."""

    emergency: object
    item: object
    depot: Depot
    quantity: int
    since: datetime | None
    picked: bool  # picked onto the order (else promised, not yet picked)


@dataclass
class Distribution:
    """Donated units handed over: at a distribution site (a transfer order delivered there) or
    issued at a depot."""

    at: object
    item: object
    quantity: int
    site: str | None = None
    depot: Depot | None = None
    emergency: object = None
    transfer: object = None


@dataclass
class Trace:
    code: str
    receipts: list
    batches: list  # the donated batches and every batch split or transferred off them
    events: list[Event]
    shipments: list  # transfer picks: what left on which transfer order, and what arrived
    summary: list[ItemSummary] = field(default_factory=list)
    movement_ids: list[int] = field(default_factory=list)  # every movement of the donated batches
    donation: object = None  # the registered donation (捐赠登记), when the code is its trace code
    by_batch: bool = False  # the code was a batch's, not a donation's
    commitments: list[Committed] = field(default_factory=list)
    distributions: list[Distribution] = field(default_factory=list)

    @property
    def write_offs(self) -> list[Event]:
        return [e for e in self.events if e.kind is MovementKind.WRITE_OFF]

    @property
    def donors(self) -> list[str]:
        if self.donation is not None:  # only the name the donor agreed to, never what staff typed
            return [str(self.donation.donor.public_name)]
        names = [r.supplier for r in self.receipts] + [b.donor_name for b in self.batches]
        return sorted({name for name in names if name})


def find_donation(code: str, *, staff: bool = False) -> Trace | None:
    """The trace of the donation named by `code`, or None when the code names no donation (for the
    public: when it is not the trace code of a registered, received donation)."""
    code = (code or "").strip()
    if not code:
        return None
    trace_code = codes.parse_trace_code(code)
    if trace_code is None and not staff:
        return None
    code = trace_code or code
    donation = donations_by_trace_code([code]).get(code)
    if donation is None and not staff:
        return None
    roots = _root_batches(code, by_batch_code=staff)
    if not roots:
        return None
    if donation is None and roots[0].donor_ref:  # a staff member's batch code: its donation, if any
        donation = donations_by_trace_code([roots[0].donor_ref]).get(roots[0].donor_ref)
    batches = _lineage(roots)
    by_id = {batch.id: batch for batch in batches}
    movements = list(
        db.session.scalars(
            select(Movement).where(Movement.batch_id.in_(by_id)).order_by(Movement.created_at, Movement.id)
        )
    )
    shipments = list(
        db.session.scalars(
            select(TransferPick)
            .where(TransferPick.batch_id.in_(by_id))
            .options(selectinload(TransferPick.line).selectinload(TransferLine.transfer))
            .order_by(TransferPick.id)
        )
    )
    receipts = sorted({batch.receipt for batch in roots if batch.receipt is not None}, key=lambda r: r.id)
    emergencies = _emergencies({pick.line.transfer_id for pick in shipments})
    trace = Trace(
        code=code,
        receipts=receipts,
        batches=batches,
        events=_events(movements, by_id, shipments, emergencies),
        shipments=shipments,
        movement_ids=[movement.id for movement in movements],
        donation=donation,
        by_batch=not any(_named_by(batch, code) for batch in roots),
    )
    trace.commitments = _commitments(batches, shipments)
    trace.distributions = _distributions(movements, by_id, shipments, emergencies, trace.events)
    trace.summary = _summary(roots, batches, movements, shipments, trace.commitments)
    return trace


def _emergencies(transfer_ids) -> dict:
    """{transfer id: the emergency whose approved plan created the order}."""
    from ..dispatch.models import Emergency, Plan, PlanTransfer

    if not transfer_ids:
        return {}
    rows = db.session.execute(
        select(PlanTransfer.transfer_id, Emergency)
        .join(Plan, PlanTransfer.plan_id == Plan.id)
        .join(Emergency, Plan.emergency_id == Emergency.id)
        .where(PlanTransfer.transfer_id.in_(list(transfer_ids)))
    )
    return {transfer_id: emergency for transfer_id, emergency in rows}


def _commitments(batches, shipments) -> list[Committed]:
    """What of the donated stock is promised to emergencies. Picks are certain. A promise not yet
    picked is fungible over the depot's stock of the item, so only the part the depot's other free
    stock cannot cover is counted as the donation's: never more than is certainly the donation's."""
    pending = [
        p
        for p in shipments
        if p.line.transfer.status is TransferStatus.DRAFT and not p.line.transfer.is_drill
    ]
    donated_free = defaultdict(int)  # (depot, item) -> donated available units not picked
    for batch in batches:
        if batch.status is BatchStatus.AVAILABLE and batch.quantity > 0:
            donated_free[(batch.depot_id, batch.item_id)] += batch.quantity
    for pick in pending:
        donated_free[(pick.batch.depot_id, pick.batch.item_id)] -= pick.quantity
    lines = _open_lines(list(donated_free))
    emergencies = _emergencies(
        {line.transfer_id for line, _, _ in lines} | {p.line.transfer_id for p in pending}
    )
    since = {line.id: at for line, _, at in lines}
    depots = {b.depot_id: b.depot for b in batches}
    found = [
        Committed(
            emergency=emergencies[pick.line.transfer_id],
            item=pick.batch.item,
            depot=depots[pick.batch.depot_id],
            quantity=pick.quantity,
            since=since.get(pick.line_id),
            picked=True,
        )
        for pick in pending
        if pick.line.transfer_id in emergencies  # an order no emergency made promises nothing
    ]
    for key, free in donated_free.items():
        key_lines = [(line, unpicked) for line, unpicked, _ in lines if _key(line) == key and unpicked > 0]
        if free <= 0 or not key_lines:
            continue
        promised = sum(unpicked for _, unpicked in key_lines)
        other_free = _free_at(*key) - free
        forced = min(free, max(0, promised - other_free))
        for line, unpicked in key_lines:  # oldest promise first
            share = min(forced, unpicked)
            if share <= 0:
                break
            forced -= share
            found.append(
                Committed(
                    emergency=emergencies[line.transfer_id],
                    item=line.item,
                    depot=depots[key[0]],
                    quantity=share,
                    since=since[line.id],
                    picked=False,
                )
            )
    return found


def _key(line) -> tuple[int, int]:
    return (line.transfer.from_depot_id, line.item_id)


def _open_lines(keys) -> list[tuple]:
    """(line, promised units not yet picked, when promised) of open orders at the (depot, item) keys."""
    if not keys:
        return []
    depots = {depot for depot, _ in keys}
    rows = db.session.execute(
        select(TransferLine, func.sum(Commitment.quantity), func.min(Commitment.created_at))
        .join(Commitment, Commitment.transfer_line_id == TransferLine.id)
        .join(Transfer, TransferLine.transfer_id == Transfer.id)
        .where(Transfer.status == TransferStatus.DRAFT, Transfer.from_depot_id.in_(depots))
        .group_by(TransferLine.id)
        .order_by(TransferLine.id)
    ).all()
    wanted = set(keys)
    result = []
    for line, promised, at in rows:
        if _key(line) in wanted and promised > 0:
            result.append((line, promised - sum(p.quantity for p in line.picks), at))
    return result


def _free_at(depot_id: int, item_id: int) -> int:
    """Available units of an item at a depot that no open order has picked yet."""
    level = db.session.get(StockLevel, (depot_id, item_id))
    picked = db.session.scalar(
        select(func.coalesce(func.sum(TransferPick.quantity), 0))
        .join(TransferLine, TransferPick.line_id == TransferLine.id)
        .join(Transfer, TransferLine.transfer_id == Transfer.id)
        .where(
            Transfer.from_depot_id == depot_id,
            TransferLine.item_id == item_id,
            Transfer.status == TransferStatus.DRAFT,
            Transfer.is_drill.is_(False),
        )
    )
    return (level.available if level else 0) - picked


def _distributions(movements, batches_by_id, shipments, emergencies, events) -> list[Distribution]:
    handed = []
    for pick in shipments:
        transfer = pick.line.transfer
        if transfer.status is TransferStatus.DELIVERED:
            handed.append(
                Distribution(
                    at=transfer.received_at,
                    item=pick.batch.item,
                    quantity=pick.quantity,
                    site=transfer.to_site_name,
                    emergency=emergencies.get(transfer.id),
                    transfer=transfer,
                )
            )
    for event in events:
        if event.kind is MovementKind.ISSUE:
            handed.append(
                Distribution(at=event.at, item=event.item, quantity=-event.quantity, depot=event.depot)
            )
    return sorted(handed, key=lambda d: (d.at is None, d.at or datetime.min))


def _named_by(batch: Batch, code: str) -> bool:
    return batch.donor_ref == code or (batch.receipt is not None and batch.receipt.donor_ref == code)


def _root_batches(code: str, by_batch_code: bool) -> list[Batch]:
    """Donated batches named by a donor reference, or (`by_batch_code`) the donated ancestor of a
    batch code."""
    by_ref = list(
        db.session.scalars(
            select(Batch)
            .outerjoin(Receipt, Batch.receipt_id == Receipt.id)
            .where(
                Batch.source_kind == SourceKind.DONATION,
                Batch.parent_id.is_(None),
                or_(Batch.donor_ref == code, Receipt.donor_ref == code),
            )
            .order_by(Batch.id)
        )
    )
    if by_ref or not by_batch_code:
        return by_ref
    batch = db.session.scalar(select(Batch).where(Batch.code == code.upper()))
    for _ in range(MAX_LINEAGE_DEPTH):
        if batch is None or batch.parent_id is None:
            break
        batch = db.session.get(Batch, batch.parent_id)
    if batch is None or batch.source_kind is not SourceKind.DONATION:
        return []
    return [batch]


def _lineage(roots: list[Batch]) -> list[Batch]:
    """The roots and every batch descended from them (moved parts, transfers received elsewhere)."""
    found = {batch.id: batch for batch in roots}
    frontier = list(found)
    for _ in range(MAX_LINEAGE_DEPTH):
        if not frontier:
            break
        children = list(db.session.scalars(select(Batch).where(Batch.parent_id.in_(frontier))))
        frontier = [child.id for child in children if child.id not in found]
        found.update((child.id, child) for child in children)
    return sorted(found.values(), key=lambda batch: batch.id)


DAMAGED_ON_ARRIVAL = _l("Short or damaged on arrival")
EXPIRED_AT_DEPOT = _l("Expired at the depot")
UNUSABLE_AT_DEPOT = _l("Damaged or unusable at the depot")


def _public_reason(movement, batch):
    """A write-off's reason for the public, as a kind, never the keeper's words: free text may name a
    person, a carrier or a driver, and the public page shows no text staff typed."""
    if movement.kind is not MovementKind.WRITE_OFF:
        return None
    if movement.document_type == "transfer":
        return DAMAGED_ON_ARRIVAL
    expired = batch.expiry_date is not None and batch.expiry_date < movement.created_at.date()
    if expired or batch.status is BatchStatus.EXPIRED:
        return EXPIRED_AT_DEPOT
    return UNUSABLE_AT_DEPOT


def _events(movements, batches_by_id, shipments, emergencies) -> list[Event]:
    depots = {
        d.id: d
        for d in db.session.scalars(select(Depot).where(Depot.id.in_({m.depot_id for m in movements})))
    }
    transfers = {pick.line.transfer.id: pick.line.transfer for pick in shipments}
    events = []
    for movement in movements:
        if movement.quantity == 0 and movement.kind is not MovementKind.EXPIRE:
            continue  # quarantine and release change no quantity; the public needs not follow them
        batch = batches_by_id[movement.batch_id]
        transfer = transfers.get(movement.document_id) if movement.document_type == "transfer" else None
        events.append(
            Event(
                at=movement.created_at,
                kind=movement.kind,
                depot=depots[movement.depot_id],
                item=batch.item,
                quantity=movement.quantity,
                batch_code=batch.code,
                transfer=transfer,
                emergency=emergencies.get(transfer.id) if transfer is not None else None,
                reason=_public_reason(movement, batch),
            )
        )
    return events


def _summary(roots, batches, movements, shipments, commitments) -> list[ItemSummary]:
    by_item: dict[int, ItemSummary] = {}

    def of(item):
        return by_item.setdefault(item.id, ItemSummary(item=item))

    root_ids = {batch.id for batch in roots}
    item_of = {batch.id: batch.item for batch in batches}
    totals = defaultdict(int)
    for movement in movements:
        totals[(movement.batch_id, movement.kind)] += movement.quantity
    for (batch_id, kind), quantity in totals.items():
        summary = of(item_of[batch_id])
        if kind is MovementKind.RECEIPT and batch_id in root_ids:
            summary.received += quantity
        elif kind is MovementKind.ISSUE:
            summary.issued -= quantity
        elif kind is MovementKind.WRITE_OFF:
            summary.lost -= quantity
        elif kind in (MovementKind.ADJUSTMENT, MovementKind.COUNT_CORRECTION):
            summary.corrected += quantity
    for pick in shipments:
        transfer = pick.line.transfer
        if transfer.status is TransferStatus.IN_TRANSIT:
            of(pick.batch.item).in_transit += pick.quantity
        elif transfer.status is TransferStatus.DELIVERED:
            summary = of(pick.batch.item)
            summary.delivered += pick.quantity
            site = transfer.to_site_name or "?"
            summary.sites[site] = summary.sites.get(site, 0) + pick.quantity
    for batch in batches:
        if batch.status is not BatchStatus.WRITTEN_OFF:
            of(batch.item).in_stock += batch.quantity
    for promise in commitments:
        summary = of(promise.item)
        summary.committed += promise.quantity
        name = promise.emergency.name
        summary.emergencies[name] = summary.emergencies.get(name, 0) + promise.quantity
    return sorted(by_item.values(), key=lambda s: s.item.sku)
