"""The public trace of donated goods (全程留痕，可查询、可追溯): from a donation code to where every
unit went. Read-only: built from receipts, batches (and the child batches split or transferred off
them), the movement ledger and transfer picks.

A donation code is a receipt's or batch's `donor_ref` (printed on the donor's receipt), or the code of
a donated batch or of any batch split off one. Nothing about the people who received the goods is
shown: issue reasons are left out (they may name a family), and staff appear only as their depot.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..network.models import Depot
from ..scanning import codes
from ..stock.kinds import BatchStatus, MovementKind, SourceKind, TransferStatus
from ..stock.models import Batch, Movement, Receipt, TransferLine, TransferPick
from .models import Donation

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
    sites: dict = field(default_factory=dict)  # distribution site -> units handed over there

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

    @property
    def donors(self) -> list[str]:
        if self.donation is not None:  # only the name the donor agreed to, never what staff typed
            return [str(self.donation.donor.public_name)]
        names = [r.supplier for r in self.receipts] + [b.donor_name for b in self.batches]
        return sorted({name for name in names if name})


def find_donation(code: str) -> Trace | None:
    """The trace of the donation named by `code`, or None when the code names no donation."""
    code = (code or "").strip()
    if not code:
        return None
    code = codes.parse_trace_code(code) or code
    donation = db.session.scalar(select(Donation).where(Donation.trace_code == code))
    roots = _root_batches(code)
    if not roots:
        return None
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
    trace = Trace(
        code=code,
        receipts=receipts,
        batches=batches,
        events=_events(movements, by_id, shipments),
        shipments=shipments,
        movement_ids=[movement.id for movement in movements],
        donation=donation,
        by_batch=not any(_named_by(batch, code) for batch in roots),
    )
    trace.summary = _summary(roots, batches, movements, shipments)
    return trace


def _named_by(batch: Batch, code: str) -> bool:
    return batch.donor_ref == code or (batch.receipt is not None and batch.receipt.donor_ref == code)


def _root_batches(code: str) -> list[Batch]:
    """Donated batches named by a donor reference, or the donated ancestor of a batch code."""
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
    if by_ref:
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


def _events(movements, batches_by_id, shipments) -> list[Event]:
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
            )
        )
    return events


def _summary(roots, batches, movements, shipments) -> list[ItemSummary]:
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
    return sorted(by_item.values(), key=lambda s: s.item.sku)
