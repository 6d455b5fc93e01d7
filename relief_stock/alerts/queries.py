"""Reads for alert pages, the dashboard panel and dispatch: scoped alert lists, coverage per item,
and reserve floors (`reserve_floor_map`, from norms.py, the name dispatch codes against)."""

from datetime import timedelta

from sqlalchemy import and_, case, func, select

from ..auth.models import Role
from ..extensions import db
from ..network.models import Depot
from ..stock.kinds import BatchStatus
from ..stock.models import Batch
from .models import Alert, AlertState, CheckRun
from .norms import effective_norm_rows, effective_norms, reserve_floor_map  # noqa: F401  (re-exported)

ACTIVE = (AlertState.OPEN, AlertState.ACKNOWLEDGED)


def scope_path(user) -> str | None:
    """The depot-path prefix a user sees, or None for everywhere (admins, auditors)."""
    if user.role in (Role.DISPATCHER, Role.KEEPER):
        return user.depot.path if user.depot is not None else "//nowhere/"
    return None


def scoped_alerts(user, *, states=ACTIVE, severity=None, kind=None, subtree: Depot | None = None):
    """A select of Alert rows in the user's scope, filtered; newest and most severe first."""
    query = select(Alert).join(Depot, Depot.id == Alert.depot_id)
    if user.role is Role.KEEPER:
        query = query.where(Alert.depot_id == (user.depot_id or -1))
    elif (prefix := scope_path(user)) is not None:
        query = query.where(Depot.path.startswith(prefix, autoescape=True))
    if subtree is not None:
        query = query.where(Depot.path.startswith(subtree.path, autoescape=True))
    if states:
        query = query.where(Alert.state.in_(list(states)))
    if severity:
        query = query.where(Alert.severity == severity)
    if kind:
        query = query.where(Alert.kind == kind)
    return query


def latest_run():
    from .checks import JOB_NAME

    return db.session.get(CheckRun, JOB_NAME)


def coverage_by_item(today, horizon_days: int, *, path_prefix: str | None = None):
    """Per item across the province (or a subtree): total norm, usable stock, coverage (usable / norm)
    and the part of the usable stock that expires within `horizon_days` ("at risk").

    Rows: (item_id, norm, usable, at_risk). Only items with a norm somewhere are listed.
    """
    limit = today + timedelta(days=horizon_days)
    usable = (Batch.status == BatchStatus.AVAILABLE) & (
        (Batch.expiry_date.is_(None)) | (Batch.expiry_date >= today)
    )
    risky = usable & (Batch.expiry_date <= limit)
    stock = (
        select(
            Batch.item_id,
            func.sum(Batch.quantity).label("usable"),
            func.sum(case((risky, Batch.quantity), else_=0)).label("at_risk"),
        )
        .join(Depot, Depot.id == Batch.depot_id)
        .where(usable, Batch.quantity > 0)
    )
    norms = effective_norms()
    norm_totals = select(norms.c.item_id, func.sum(norms.c.quantity).label("norm"))
    if path_prefix is not None:
        stock = stock.where(Depot.path.startswith(path_prefix, autoescape=True))
        norm_totals = norm_totals.join(Depot, Depot.id == norms.c.depot_id).where(
            Depot.path.startswith(path_prefix, autoescape=True)
        )
    stock = stock.group_by(Batch.item_id).subquery("stock")
    norm_totals = norm_totals.group_by(norms.c.item_id).subquery("norm_totals")
    return db.session.execute(
        select(
            norm_totals.c.item_id,
            norm_totals.c.norm,
            func.coalesce(stock.c.usable, 0),
            func.coalesce(stock.c.at_risk, 0),
        )
        .outerjoin(stock, and_(stock.c.item_id == norm_totals.c.item_id))
        .order_by(norm_totals.c.item_id)
    ).all()


def items_by_id() -> dict:
    from ..catalogue.models import Item

    return {item.id: item for item in db.session.scalars(select(Item))}
