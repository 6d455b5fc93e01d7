"""The checks: expiry horizons, expired batches, rotation suggestions and shortfalls against norms.

Every selection is set-based SQL over the whole network. A run (`run_checks`) first expires the batches
past their date through the stock operations (so the ledger records each), then writes the conditions
it sees into a temporary table (`alert_candidates`) and reconciles the `alerts` table with it in three
statements: insert new conditions, update those whose facts changed, resolve those that cleared. A run
that finds nothing new therefore writes no alert row at all. The caller commits (a job, the CLI).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import BigInteger, Date, Integer, String, and_, case, cast, func, literal, null, select

from ..database import local_today, utcnow
from ..extensions import db
from ..stock.kinds import BatchStatus
from ..stock.models import Batch
from .models import AlertKind, CheckRun, Severity, Suggestion
from .norms import effective_norms

JOB_NAME = "alerts"
TRANSFER_MIN_DAYS = 30  # a transfer needs weeks to plan, ship and take in
DRILL_MIN_DAYS = 7  # a drill needs at least a week's notice

CANDIDATE_COLUMNS = (
    "dedup_key",
    "kind",
    "severity",
    "depot_id",
    "item_id",
    "batch_id",
    "quantity",
    "norm",
    "expiry_date",
    "suggestion",
    "suggested_depot_id",
)


@dataclass
class RunSummary:
    check_date: date
    started_at: datetime | None = None
    expired_batches: int = 0
    created: int = 0
    updated: int = 0
    resolved: int = 0

    @property
    def changed(self) -> int:
        return self.expired_batches + self.created + self.updated + self.resolved

    def __str__(self):
        return (
            f"{self.check_date}: {self.expired_batches} batches expired, {self.created} alerts opened, "
            f"{self.updated} updated, {self.resolved} resolved"
        )


def horizons() -> tuple[int, ...]:
    """The configured expiry horizons in days, widest first (e.g. 90, 30, 7)."""
    return tuple(
        sorted({int(h) for h in current_app.config.get("ALERTS_HORIZONS", (90, 30, 7))}, reverse=True)
    )


def due_for_expiry(today: date):
    """Batches past their expiry date that still count as stock (available or quarantined)."""
    return (
        select(Batch.id)
        .where(
            Batch.expiry_date < today,
            Batch.quantity > 0,
            Batch.status.in_((BatchStatus.AVAILABLE, BatchStatus.QUARANTINED)),
        )
        .order_by(Batch.id)
    )


def expire_due_batches(today: date) -> int:
    """Move every batch past its expiry date to status expired, one ledger entry each (stock ops)."""
    from ..stock.ledger import lock_stock
    from ..stock.operations import expire

    ids = db.session.scalars(due_for_expiry(today)).all()
    locked = lock_stock(ids)  # the writers' lock order, and each batch's status as it is now
    expired = 0
    for batch_id in ids:
        batch = locked.get(batch_id)
        if batch is not None and batch.status in (BatchStatus.AVAILABLE, BatchStatus.QUARANTINED):
            expire(batch, user=None, today=today)
            expired += 1
    return expired


def usable_stock(today: date):
    """(depot_id, item_id, available): issuable stock that has not expired, per depot and item."""
    return (
        select(Batch.depot_id, Batch.item_id, func.sum(Batch.quantity).label("available"))
        .where(
            Batch.status == BatchStatus.AVAILABLE,
            Batch.quantity > 0,
            (Batch.expiry_date.is_(None)) | (Batch.expiry_date >= today),
        )
        .group_by(Batch.depot_id, Batch.item_id)
        .subquery("usable")
    )


def shortfall_selection(today: date, depot_ids=None, item_ids=None):
    """Every (depot, item) whose usable stock is below its effective norm; under half is critical."""
    norms = effective_norms(depot_ids, item_ids)
    usable = usable_stock(today)
    available = func.coalesce(usable.c.available, 0)
    return (
        select(
            (
                literal("shortfall:")
                + cast(norms.c.depot_id, String)
                + literal(":")
                + cast(norms.c.item_id, String)
            ).label("dedup_key"),
            literal(AlertKind.SHORTFALL.value).label("kind"),
            case(
                (available * 2 < norms.c.quantity, literal(Severity.CRITICAL.value)),
                else_=literal(Severity.WARNING.value),
            ).label("severity"),
            norms.c.depot_id,
            norms.c.item_id,
            cast(null(), BigInteger).label("batch_id"),
            cast(available, Integer).label("quantity"),
            cast(norms.c.quantity, Integer).label("norm"),
            cast(null(), Date).label("expiry_date"),
            cast(null(), String).label("suggestion"),
            cast(null(), Integer).label("suggested_depot_id"),
        )
        .select_from(norms)
        .outerjoin(usable, and_(usable.c.depot_id == norms.c.depot_id, usable.c.item_id == norms.c.item_id))
        .where(available < norms.c.quantity)
    )


def expiry_severity(today: date):
    """Severity of a batch by the narrowest horizon it falls in: narrowest critical, next warning."""
    widest_first = horizons()
    narrow = sorted(widest_first)
    whens = [(Batch.expiry_date <= today + timedelta(days=narrow[0]), literal(Severity.CRITICAL.value))]
    if len(narrow) > 1:
        whens.append(
            (Batch.expiry_date <= today + timedelta(days=narrow[1]), literal(Severity.WARNING.value))
        )
    return case(*whens, else_=literal(Severity.INFO.value))


def expiring_selection(today: date, receivers):
    """Available batches expiring between today and the widest horizon, each with a rotation
    suggestion (轮换): transfer to the depot most short of the item (it takes the batch into its
    reserve now and issues it first, FEFO), else use in a drill, else donate when days are too few.

    `receivers` is a (item_id, depot_id, rank) selectable of depots short of each item, rank 1 first.
    """
    first, second = receivers.alias("r1"), receivers.alias("r2")
    receiver = case((first.c.depot_id != Batch.depot_id, first.c.depot_id), else_=second.c.depot_id)
    far = Batch.expiry_date > today + timedelta(days=TRANSFER_MIN_DAYS)
    suggestion = case(
        (and_(far, receiver.is_not(None)), literal(Suggestion.TRANSFER.value)),
        (Batch.expiry_date > today + timedelta(days=DRILL_MIN_DAYS), literal(Suggestion.DRILL.value)),
        else_=literal(Suggestion.DONATE.value),
    )
    return (
        select(
            (literal("expiring:") + cast(Batch.id, String)).label("dedup_key"),
            literal(AlertKind.EXPIRING.value).label("kind"),
            expiry_severity(today).label("severity"),
            Batch.depot_id,
            Batch.item_id,
            Batch.id.label("batch_id"),
            Batch.quantity,
            cast(null(), Integer).label("norm"),
            Batch.expiry_date,
            suggestion.label("suggestion"),
            case((and_(far, receiver.is_not(None)), receiver), else_=null()).label("suggested_depot_id"),
        )
        .select_from(Batch)
        .outerjoin(first, and_(first.c.item_id == Batch.item_id, first.c.rank == 1))
        .outerjoin(second, and_(second.c.item_id == Batch.item_id, second.c.rank == 2))
        .where(
            Batch.status == BatchStatus.AVAILABLE,
            Batch.quantity > 0,
            Batch.expiry_date >= today,
            Batch.expiry_date <= today + timedelta(days=horizons()[0]),
        )
    )


def expired_selection():
    """Expired batches still holding stock: to be written off or disposed of."""
    return select(
        (literal("expired:") + cast(Batch.id, String)).label("dedup_key"),
        literal(AlertKind.EXPIRED.value).label("kind"),
        literal(Severity.CRITICAL.value).label("severity"),
        Batch.depot_id,
        Batch.item_id,
        Batch.id.label("batch_id"),
        Batch.quantity,
        cast(null(), Integer).label("norm"),
        Batch.expiry_date,
        cast(null(), String).label("suggestion"),
        cast(null(), Integer).label("suggested_depot_id"),
    ).where(Batch.status == BatchStatus.EXPIRED, Batch.quantity > 0)


def run_checks(today: date | None = None) -> RunSummary:
    """One full check run: expire due batches, collect every condition, reconcile the alerts, and
    record the run. Flushes only; the caller commits. Raises whatever the stock operations raise."""
    from . import candidates

    today = today or local_today()
    summary = RunSummary(check_date=today)
    started_at = summary.started_at = utcnow()
    summary.expired_batches = expire_due_batches(today)
    db.session.flush()

    candidates.create_candidates()
    try:
        candidates.add_candidates(shortfall_selection(today))
        candidates.add_candidates(expiring_selection(today, shortfall_receivers()))
        candidates.add_candidates(expired_selection())
        candidates.index_candidates()
        run = db.session.get(CheckRun, JOB_NAME) or CheckRun(name=JOB_NAME, run_count=0)
        summary.created, summary.updated, summary.resolved = candidates.apply_candidates(
            started_at, run.finished_at
        )
    finally:
        candidates.drop_candidates()

    run.run_count += 1
    run.started_at, run.finished_at, run.check_date = started_at, utcnow(), today
    run.summary = str(summary)[:255]
    db.session.add(run)
    db.session.flush()
    return summary


def shortfall_receivers():
    """(item_id, depot_id, rank): depots short of each item among the candidates, most short first."""
    from .candidates import candidates as c

    return (
        select(
            c.c.item_id,
            c.c.depot_id,
            func.row_number()
            .over(partition_by=c.c.item_id, order_by=((c.c.norm - c.c.quantity).desc(), c.c.depot_id))
            .label("rank"),
        )
        .where(c.c.kind == AlertKind.SHORTFALL.value)
        .subquery("receivers")
    )
