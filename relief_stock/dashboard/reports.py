"""Periodic reports as tables: the monthly reserve report (per depot, rolled up per city and for the
province), the expiry report and the shortfall report. Reads only; `report_files` turns a `Report`
into XLSX or PDF, `jobs` writes them monthly.

The monthly report is the ledger's account of a month, per item: opening balance (every movement
before the month), received, issued, transferred in and out, written off, other changes (stocktake
corrections, adjustments), closing balance (every movement before the month's end), against the
effective norm. Opening + the month's movements = closing, by construction, and the closing
balance equals stock on hand when the month is the current one.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from ..alerts.norms import effective_norms
from ..catalogue.models import Item
from ..extensions import db
from ..i18n import localized
from ..printing.documents import Column
from ..stock.kinds import BatchStatus, MovementKind
from ..stock.models import Batch, Movement
from . import queries
from .scope import Scope

MONTH_COLUMNS = ("received", "issued", "transferred_in", "transferred_out", "written_off")
EXPIRY_DAYS = 90


@dataclass
class Report:
    """A titled table with its totals: what both file formats print."""

    kind: str
    title: str
    scope_label: str
    period: str
    columns: list
    rows: list = field(default_factory=list)  # lists of cell values, in column order
    totals: list | None = None
    notes: list = field(default_factory=list)
    link: str = ""  # path of the reports page, printed as a QR code on the PDF

    def filename(self, code: str, fmt: str) -> str:
        return f"{self.kind}-{code}-{self.period}.{fmt}"


def parse_month(value: str) -> date:
    return date(int(value[:4]), int(value[5:7]), 1)


@dataclass
class ItemMonth:
    item: Item
    opening: int = 0
    received: int = 0
    issued: int = 0
    transferred_in: int = 0
    transferred_out: int = 0
    written_off: int = 0
    other: int = 0
    closing: int = 0
    norm: int = 0


def month_account(scope: Scope, month: date) -> list[ItemMonth]:
    """Per item, the ledger's account of `month` in scope (one grouped statement over movements)."""
    low, high = queries.local_month_bounds(queries.month_starts(month, 1))
    inside = (Movement.created_at >= low) & (Movement.created_at < high)

    def moved(*kinds, sign=1):
        return func.sum(case((inside & Movement.kind.in_(kinds), sign * Movement.quantity), else_=0))

    named = (
        MovementKind.RECEIPT,
        MovementKind.ISSUE,
        MovementKind.TRANSFER_IN,
        MovementKind.TRANSFER_OUT,
        MovementKind.WRITE_OFF,
    )
    rows = db.session.execute(
        select(
            Movement.item_id,
            func.sum(case((Movement.created_at < low, Movement.quantity), else_=0)),
            moved(MovementKind.RECEIPT),
            moved(MovementKind.ISSUE, sign=-1),
            moved(MovementKind.TRANSFER_IN),
            moved(MovementKind.TRANSFER_OUT, sign=-1),
            moved(MovementKind.WRITE_OFF, sign=-1),
            func.sum(case((inside & Movement.kind.not_in(named), Movement.quantity), else_=0)),
            func.sum(Movement.quantity),
        )
        .where(Movement.created_at < high, scope.depots(Movement.depot_id))
        .group_by(Movement.item_id)
    ).all()
    norms = effective_norms()
    norm_of = dict(
        db.session.execute(
            select(norms.c.item_id, func.sum(norms.c.quantity))
            .where(scope.depots(norms.c.depot_id))
            .group_by(norms.c.item_id)
        ).all()
    )
    items = {i.id: i for i in db.session.scalars(select(Item))}
    account = [
        ItemMonth(items[item_id], *(int(v or 0) for v in values), norm=int(norm_of.get(item_id, 0)))
        for item_id, *values in rows
    ]
    have = {a.item.id for a in account}
    account += [ItemMonth(items[i], norm=int(n)) for i, n in norm_of.items() if i not in have and n]
    return sorted((a for a in account if a.opening or a.closing or a.norm or a.received), key=_sku)


def _sku(row) -> str:
    return row.item.sku


def _pct(have: int, norm: int) -> str:
    return f"{100 * have / norm:.0f}%" if norm else "—"


def monthly_report(scope: Scope, month: date) -> Report:
    account = month_account(scope, month)
    columns = [
        Column(_("SKU"), 22, xlsx_width=16),
        Column(_("Item"), 30, xlsx_width=28),
        Column(_("Unit"), 8, xlsx_width=8),
        Column(_("Opening"), 11, "RIGHT"),
        Column(_("Received"), 11, "RIGHT"),
        Column(_("Issued"), 11, "RIGHT"),
        Column(_("Transferred in"), 11, "RIGHT"),
        Column(_("Transferred out"), 11, "RIGHT"),
        Column(_("Written off"), 11, "RIGHT"),
        Column(_("Other changes"), 11, "RIGHT"),
        Column(_("Closing"), 11, "RIGHT"),
        Column(_("Norm"), 11, "RIGHT"),
        Column(_("Closing / norm"), 11, "RIGHT"),
    ]
    rows = [
        [
            a.item.sku,
            localized(a.item, "name"),
            localized(a.item, "unit"),
            a.opening,
            a.received,
            a.issued,
            a.transferred_in,
            a.transferred_out,
            a.written_off,
            a.other,
            a.closing,
            a.norm or None,
            _pct(a.closing, a.norm),
        ]
        for a in account
    ]
    return Report(
        "monthly",
        _("Monthly reserve report"),
        scope.label,
        f"{month:%Y-%m}",
        columns,
        rows,
        notes=[
            _("Quantities in each item's own unit; opening + movements of the month = closing."),
            _("Closing balances count every status on hand (available, quarantined, expired)."),
        ],
    )


def expiry_report(scope: Scope, today: date, days: int = EXPIRY_DAYS) -> Report:
    """Batches on hand whose expiry date falls within `days` (and those already past it)."""
    batches = db.session.scalars(
        select(Batch)
        .where(
            Batch.quantity > 0,
            Batch.expiry_date <= today + timedelta(days=days),
            Batch.status.in_((*queries.ON_HAND_STATUSES, BatchStatus.EXPIRED)),
            scope.depots(Batch.depot_id),
        )
        .order_by(Batch.expiry_date, Batch.id)
    ).all()
    columns = [
        Column(_("Expiry date"), 18, xlsx_width=12),
        Column(_("Days left"), 12, "RIGHT", 10),
        Column(_("Depot"), 40, xlsx_width=28),
        Column(_("Batch"), 40, xlsx_width=26),
        Column(_("Item"), 36, xlsx_width=28),
        Column(_("Quantity"), 20, "RIGHT", 10),
        Column(_("Status"), 16, xlsx_width=10),
    ]
    rows = [
        [
            b.expiry_date,
            (b.expiry_date - today).days,
            localized(b.depot, "name"),
            b.code,
            localized(b.item, "name"),
            f"{b.quantity:,} {localized(b.item, 'unit')}",
            str(b.status.label),
        ]
        for b in batches
    ]
    return Report(
        "expiry",
        _("Expiry report"),
        scope.label,
        f"{today:%Y-%m-%d}",
        columns,
        rows,
        notes=[
            _("Batches on hand expiring within %(days)d days, and those already past their date.", days=days)
        ],
    )


def shortfall_report(scope: Scope, today: date) -> Report:
    """Every depot and item in scope whose usable stock is below its effective norm."""
    from ..network.models import Depot

    pairs = queries._norm_pairs(scope, today)
    rows = db.session.execute(
        select(Depot, Item, pairs.c.norm, pairs.c.usable)
        .join(Depot, Depot.id == pairs.c.depot_id)
        .join(Item, Item.id == pairs.c.item_id)
        .where(pairs.c.usable < pairs.c.norm)
        .order_by(Depot.path, Item.sku)
    ).all()
    columns = [
        Column(_("Depot"), 52, xlsx_width=30),
        Column(_("Item"), 50, xlsx_width=30),
        Column(_("Norm"), 20, "RIGHT", 10),
        Column(_("Usable"), 20, "RIGHT", 10),
        Column(_("Short"), 20, "RIGHT", 10),
        Column(_("Coverage"), 18, "RIGHT", 10),
    ]
    body = [
        [localized(d, "name"), f"{localized(i, 'name')} ({localized(i, 'unit')})", n, u, n - u, _pct(u, n)]
        for d, i, n, u in rows
    ]
    return Report(
        "shortfall",
        _("Shortfall report"),
        scope.label,
        f"{today:%Y-%m-%d}",
        columns,
        body,
        notes=[
            _(
                "Usable stock: available batches that have not expired. %(n)d depot norms not met.",
                n=len(body),
            )
        ],
    )


REPORTS = ("monthly", "expiry", "shortfall", "emergency")
