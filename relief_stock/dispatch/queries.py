"""Reads for dispatch: the planner's Scenario from live stock and reserve norms, emergencies, plans.

Stock comes from stock.balances.available_for_dispatch (available batches, not quarantined, with
enough shelf life left at arrival: DISPATCH_ARRIVAL_DAYS plus the item's own minimum) less what is
committed to approved orders (available to promise), floors from
alerts.norms.reserve_floor_map (the effective reserve norms). Depot ids in a Scenario are depot codes;
site ids are AffectedSite ids.
"""

from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ..alerts.norms import reserve_floor_map
from ..catalogue.models import Item
from ..database import local_today
from ..errors import NotFound
from ..extensions import db
from ..network.models import Depot
from ..stock.balances import available_for_dispatch
from ..stock.commitments import committed_map
from ..stock.models import Transfer
from . import categories
from .geo import DEFAULT_ROAD_FACTOR
from .models import AffectedSite, Emergency, NeedLine, Plan, PlanStatus, PlanTransfer
from .planner import Demand, Scenario, Stock
from .planner import Depot as PlanDepot
from .planner import Item as PlanItem


def config(key, default):
    return current_app.config.get(key, default)


def releases_reserves(emergency: Emergency) -> bool:
    """Response levels I and II release reserves unless DISPATCH_RELEASE_LEVELS says otherwise."""
    return emergency.response_level in config("DISPATCH_RELEASE_LEVELS", (1, 2))


def scenario_from_database(
    emergency_id=None, release_reserves=None, today: date | None = None, min_lot_kg: float | None = None
) -> Scenario:
    """The live state as a planner Scenario (the demands of `emergency_id`, or none), with the minimum
    lot given (None: DISPATCH_MIN_LOT_KG) and DISPATCH_MIN_LOT_BEYOND_KM."""
    emergency = emergency_by_id(emergency_id) if emergency_id is not None else None
    if release_reserves is None:
        release_reserves = releases_reserves(emergency) if emergency else False
    depots = list(
        db.session.scalars(
            select(Depot)
            .where(Depot.is_active.is_(True), Depot.lat.is_not(None), Depot.lng.is_not(None))
            .order_by(Depot.code)
        )
    )
    items = list(db.session.scalars(select(Item).where(Item.is_active.is_(True)).order_by(Item.sku)))
    arrival = (today or local_today()) + timedelta(days=config("DISPATCH_ARRIVAL_DAYS", 1))
    available = available_for_dispatch(today=arrival)
    committed = committed_map()  # promised to approved orders: not there to plan again
    floors = reserve_floor_map()
    code_of = {d.id: d.code for d in depots}
    sku_of = {i.id: i.sku for i in items}
    stock = [
        Stock(code_of[d], sku_of[i], max(units - committed.get((d, i), 0), 0), floors.get((d, i), 0))
        for (d, i), units in sorted(available.items())
        if d in code_of and i in sku_of
    ]
    demands, used_categories = [], {}
    if emergency is not None:
        for site in emergency.sites:
            for need in site.needs:
                if need.category is not None:
                    used_categories.setdefault(need.category.code, need.category)
                    demands.append(
                        Demand(
                            site.id,
                            site.lat,
                            site.lng,
                            None,
                            need.quantity,
                            need.priority,
                            need.category.code,
                        )
                    )
                    continue
                demands.append(
                    Demand(site.id, site.lat, site.lng, need.item.sku, need.quantity, need.priority)
                )
    return Scenario(
        depots=[PlanDepot(d.code, d.lat, d.lng, d.tier.value) for d in depots],
        items=[PlanItem(i.sku, _float(i.unit_weight_kg), _float(i.unit_volume_m3)) for i in items],
        stock=stock,
        demands=demands,
        road_factor=config("DISPATCH_ROAD_FACTOR", DEFAULT_ROAD_FACTOR),
        release_reserves=bool(release_reserves),
        categories=categories.for_planner(sorted(used_categories.values(), key=lambda c: (c.position, c.id))),
        # defaults for both: dispatch/__init__.py
        min_lot_kg=float(current_app.config["DISPATCH_MIN_LOT_KG"] if min_lot_kg is None else min_lot_kg),
        min_lot_beyond_km=float(current_app.config["DISPATCH_MIN_LOT_BEYOND_KM"]),
    )


def _float(value):
    return None if value is None else float(value)


def emergency_by_id(emergency_id) -> Emergency:
    emergency = db.session.get(Emergency, emergency_id)
    if emergency is None:
        raise NotFound(_("No emergency %(id)s.", id=emergency_id))
    return emergency


def site_by_id(emergency: Emergency, site_id) -> AffectedSite:
    site = db.session.get(AffectedSite, site_id)
    if site is None or site.emergency_id != emergency.id:
        raise NotFound(_("No affected site %(id)s in this emergency.", id=site_id))
    return site


def plan_by_id(plan_id) -> Plan:
    plan = db.session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(_("No plan %(id)s.", id=plan_id))
    return plan


def plan_of_transfer(transfer: Transfer) -> Plan | None:
    link = db.session.scalar(select(PlanTransfer).where(PlanTransfer.transfer_id == transfer.id))
    return link.plan if link else None


def emergencies(drills: bool | None = None) -> list[Emergency]:
    query = select(Emergency).order_by(Emergency.created_at.desc())
    if drills is not None:
        query = query.where(Emergency.is_drill.is_(drills))
    return list(db.session.scalars(query))


def current_plan(emergency: Emergency) -> Plan | None:
    plans = [p for p in emergency.plans if p.status is not PlanStatus.SUPERSEDED]
    return plans[-1] if plans else None


def need_lines(emergency: Emergency) -> list[NeedLine]:
    return list(
        db.session.scalars(
            select(NeedLine)
            .join(AffectedSite)
            .where(AffectedSite.emergency_id == emergency.id)
            .order_by(AffectedSite.id, NeedLine.priority, NeedLine.category_id, NeedLine.id)
        )
    )


def depot_choices() -> list[Depot]:
    return list(db.session.scalars(select(Depot).where(Depot.is_active.is_(True)).order_by(Depot.path)))
