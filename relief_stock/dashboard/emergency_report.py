"""The emergency response report: what went where and when for one emergency, the fill rate per
category (what arrived against what the sites needed), and the time from the emergency to the first
dispatch and to the first and last receipt. Reads the dispatch plan's transfer orders; writes
nothing. Rendered like the other reports (`report_files`).

Arrived counts what the receiving depot took in (damaged and short units excluded) or, for a site
that is no depot, what was handed over; a shipment still on the road counts as shipped, not arrived.
"""

from collections import defaultdict
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from ..dispatch.models import AffectedSite, Emergency, NeedLine, Plan, PlanTransfer
from ..errors import NotFound, PermissionDenied
from ..extensions import db
from ..i18n import localized
from ..printing.documents import Column
from ..stock.kinds import TransferStatus
from ..stock.models import Transfer
from .reports import Report
from .scope import Scope


def emergency_in_scope(scope: Scope, emergency_id: int) -> Emergency:
    """The emergency, if the scope covers it (its scope depot, or the province for none)."""
    emergency = db.session.get(Emergency, emergency_id)
    if emergency is None:
        raise NotFound(_("No emergency %(id)s.", id=emergency_id), field="emergency")
    covered = emergency.scope_depot if emergency.scope_depot is not None else None
    if (
        not scope.subtree
        or (covered is None and not scope.is_province)
        or (covered is not None and not scope.depot.covers(covered))
    ):
        raise PermissionDenied(_("Emergency %(id)s is outside this report's area.", id=emergency_id))
    return emergency


def _hours(start: datetime, end: datetime | None) -> str:
    return f"{(end - start).total_seconds() / 3600:.1f} h" if end else "—"


def emergency_report(scope: Scope, emergency_id: int) -> Report:
    emergency = emergency_in_scope(scope, emergency_id)
    transfers = db.session.scalars(
        select(Transfer)
        .join(PlanTransfer, PlanTransfer.transfer_id == Transfer.id)
        .join(Plan, Plan.id == PlanTransfer.plan_id)
        .where(Plan.emergency_id == emergency.id, Transfer.status != TransferStatus.CANCELLED)
        .order_by(Transfer.dispatched_at, Transfer.id)
    ).all()
    needs = db.session.scalars(
        select(NeedLine)
        .join(AffectedSite, AffectedSite.id == NeedLine.site_id)
        .where(AffectedSite.emergency_id == emergency.id)
    ).all()
    requested, arrived, shipped = defaultdict(int), defaultdict(int), defaultdict(int)
    items = {}
    for need in needs:
        requested[need.item_id] += need.quantity
        items[need.item_id] = need.item
    rows = []
    for transfer in transfers:
        for line in transfer.lines:
            items[line.item_id] = line.item
            sent = sum(p.quantity for p in line.picks)
            got = _arrived(transfer, line)
            shipped[line.item_id] += sent
            arrived[line.item_id] += got
            rows.append(
                [
                    transfer.number,
                    localized(transfer.from_depot, "name"),
                    localized(transfer.to_depot, "name") if transfer.to_depot else transfer.to_site_name,
                    localized(line.item, "name"),
                    line.quantity,
                    sent,
                    got,
                    str(transfer.status.label),
                    _hours(emergency.created_at, transfer.dispatched_at),
                    _hours(emergency.created_at, transfer.received_at),
                ]
            )
    columns = [
        Column(_("Transfer order"), 30, xlsx_width=24),
        Column(_("From"), 26, xlsx_width=26),
        Column(_("To"), 26, xlsx_width=26),
        Column(_("Item"), 28, xlsx_width=26),
        Column(_("Ordered"), 11, "RIGHT"),
        Column(_("Shipped"), 11, "RIGHT"),
        Column(_("Arrived"), 11, "RIGHT"),
        Column(_("Status"), 13, xlsx_width=10),
        Column(_("Time to dispatch"), 13, "RIGHT"),
        Column(_("Time to arrival"), 13, "RIGHT"),
    ]
    dispatched = [t.dispatched_at for t in transfers if t.dispatched_at]
    received = [t.received_at for t in transfers if t.received_at]
    notes = [
        _(
            "%(name)s, level %(level)d, opened %(when)s.",
            name=emergency.name,
            level=emergency.response_level,
            when=emergency.created_at.strftime("%Y-%m-%d %H:%M UTC"),
        ),
        _(
            "Time from the emergency to the first dispatch: %(d)s; to the first receipt: %(r1)s; to the last: %(r2)s.",
            d=_hours(emergency.created_at, min(dispatched)) if dispatched else "—",
            r1=_hours(emergency.created_at, min(received)) if received else "—",
            r2=_hours(emergency.created_at, max(received)) if received else "—",
        ),
    ]
    for category, fill in fill_by_category(requested, arrived, items).items():
        notes.append(
            _(
                "Fill rate, %(category)s: %(fill)d%% of the need arrived.",
                category=category.label,
                fill=round(fill * 100),
            )
        )
    return Report(
        "emergency",
        _("Emergency response report"),
        scope.label,
        f"E{emergency.id}",
        columns,
        rows,
        notes=notes,
    )


def _arrived(transfer: Transfer, line) -> int:
    if transfer.status is TransferStatus.RECEIVED:
        return sum(p.received_quantity or 0 for p in line.picks)
    if transfer.status is TransferStatus.DELIVERED:
        return sum(p.quantity for p in line.picks)
    return 0


def fill_by_category(requested: dict, arrived: dict, items: dict) -> dict:
    """{category: mean over its needed items of min(arrived / requested, 1)}: units never added
    across items."""
    fills = defaultdict(list)
    for item_id, need in requested.items():
        if need > 0:
            fills[items[item_id].category].append(min(arrived.get(item_id, 0) / need, 1.0))
    return {category: sum(values) / len(values) for category, values in fills.items()}


def emergencies_in_scope(scope: Scope, limit: int = 50) -> list[Emergency]:
    """The latest emergencies this scope may report on, newest first."""
    from ..network.models import Depot

    if not scope.subtree:
        return []
    query = select(Emergency).outerjoin(Depot, Depot.id == Emergency.scope_depot_id)
    if not scope.is_province:
        query = query.where(Depot.path.startswith(scope.depot.path))
    return list(db.session.scalars(query.order_by(Emergency.id.desc()).limit(limit)))
