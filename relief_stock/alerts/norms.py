"""Effective reserve norms (储备定额): which quantity of each item every depot must hold.

Resolution, most specific first: a depot's own norm (override) > the norm for its tier > the norm
derived from the population it serves times the per-capita standard for its tier. All of it is one
SQL selectable (`effective_norms`), so the checks join it set-wise and dispatch reads floors from it.
"""

from sqlalchemy import BigInteger, and_, case, cast, func, literal, select, union
from sqlalchemy.orm import aliased

from ..extensions import db
from ..network.models import Depot
from .models import PerCapitaStandard, ReserveNorm

NORM_SOURCES = ("depot", "tier", "population")


def effective_norms(depot_ids=None, item_ids=None):
    """A subquery (depot_id, item_id, quantity, source) of every active depot's effective norms."""
    override = aliased(ReserveNorm)
    by_tier = aliased(ReserveNorm)
    standard = aliased(PerCapitaStandard)
    depots = Depot.__table__
    pairs = union(
        select(override.depot_id.label("depot_id"), override.item_id.label("item_id")).where(
            override.depot_id.is_not(None)
        ),
        select(depots.c.id, by_tier.item_id).join(by_tier, by_tier.tier == depots.c.tier),
        select(depots.c.id, standard.item_id)
        .join(standard, standard.tier == depots.c.tier)
        .where(depots.c.served_population.is_not(None)),
    ).subquery("norm_pairs")
    derived = (
        cast(depots.c.served_population, BigInteger) * standard.quantity + standard.per_residents - 1
    ) // standard.per_residents  # ceil, in integers
    query = (
        select(
            pairs.c.depot_id,
            pairs.c.item_id,
            cast(func.coalesce(override.quantity, by_tier.quantity, derived), BigInteger).label("quantity"),
            case(
                (override.quantity.is_not(None), literal("depot")),
                (by_tier.quantity.is_not(None), literal("tier")),
                else_=literal("population"),
            ).label("source"),
        )
        .join(depots, depots.c.id == pairs.c.depot_id)
        .outerjoin(override, and_(override.depot_id == pairs.c.depot_id, override.item_id == pairs.c.item_id))
        .outerjoin(by_tier, and_(by_tier.tier == depots.c.tier, by_tier.item_id == pairs.c.item_id))
        .outerjoin(standard, and_(standard.tier == depots.c.tier, standard.item_id == pairs.c.item_id))
        .where(depots.c.is_active.is_(True))
    )
    if depot_ids is not None:
        query = query.where(pairs.c.depot_id.in_(list(depot_ids)))
    if item_ids is not None:
        query = query.where(pairs.c.item_id.in_(list(item_ids)))
    return query.subquery("effective_norms")


def reserve_floor_map(depot_ids=None, item_ids=None) -> dict[tuple[int, int], int]:
    """{(depot_id, item_id): effective norm}: the reserve each depot keeps back (dispatch's floor).

    Pairs without any norm are absent (floor 0). A stable name: dispatch codes against it.
    """
    norms = effective_norms(depot_ids, item_ids)
    rows = db.session.execute(select(norms.c.depot_id, norms.c.item_id, norms.c.quantity))
    return {(depot_id, item_id): int(quantity) for depot_id, item_id, quantity in rows}


def effective_norm_rows(depot_ids=None, item_ids=None):
    """[(depot_id, item_id, quantity, source)] for pages and the API."""
    norms = effective_norms(depot_ids, item_ids)
    return db.session.execute(
        select(norms.c.depot_id, norms.c.item_id, norms.c.quantity, norms.c.source).order_by(
            norms.c.depot_id, norms.c.item_id
        )
    ).all()
