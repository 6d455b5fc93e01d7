"""Dispatch writes: emergencies, affected sites, needs, plans, plan edits and approvals.

Each operation checks the acting user's scope (`require(user, PLAN_DISPATCH, depot)`), raises typed
errors, flushes and never commits; the entry point wraps it in `atomic()`. Stock itself is never
touched here: approval creates transfer orders (transfers.py) and the stock operations move stock.
"""

from flask import current_app
from flask_babel import gettext as _

from ..auth.permissions import Action, can, require
from ..catalogue.queries import items_by_sku
from ..database import utcnow
from ..errors import BadInput, Conflict, NotFound, PermissionDenied
from ..extensions import db
from ..network.queries import depots_by_code
from ..quantities import whole_number
from . import allocation, approvals, categories, needs, queries, vehicle_types
from .allocation import Limit
from .models import (
    AffectedSite,
    Emergency,
    EmergencyKind,
    NeedLine,
    Plan,
    PlanApproval,
    PlanLine,
    PlanOutcome,
    PlanStatus,
)
from .planner import MAX_MIN_LOT_KG
from .planner import plan as run_planner


def _home(user, depot=None):
    """The depot an emergency is scoped to: the one given, else the user's own (None: admin, all)."""
    return depot if depot is not None else getattr(user, "depot", None)


def create_emergency(
    user, *, name, kind: EmergencyKind, response_level: int, days_to_cover=3, scope_depot=None, notes=None
) -> Emergency:
    scope_depot = _home(user, scope_depot)
    require(user, Action.PLAN_DISPATCH, scope_depot)
    if not 1 <= int(response_level) <= 4:
        raise BadInput(_("The response level is I, II, III or IV."), field="response_level")
    emergency = Emergency(
        name=name.strip(),
        kind=kind,
        response_level=int(response_level),
        is_drill=kind is EmergencyKind.DRILL,
        days_to_cover=days_to_cover,
        scope_depot=scope_depot,
        created_by_id=user.id,
        notes=notes,
    )
    db.session.add(emergency)
    db.session.flush()
    return emergency


def require_emergency(user, emergency: Emergency) -> None:
    require(user, Action.PLAN_DISPATCH, emergency.scope_depot)


def _households(depot, population: int) -> int:
    """Households from population and the depot's census household size (3 for a plain point)."""
    size = (depot.avg_household_size if depot is not None else None) or 3.0
    return max(1, round(population / size)) if population else 0


def add_site(
    user, emergency: Emergency, *, name, depot=None, lat=None, lng=None, population=0, households=None
) -> AffectedSite:
    """A site is a depot (its coordinates taken) or a point with coordinates."""
    require_emergency(user, emergency)
    if depot is not None:
        lat = depot.lat if lat is None else lat
        lng = depot.lng if lng is None else lng
        name = name or depot.name_zh
    if lat is None or lng is None:
        raise BadInput(_("Give the site's coordinates or choose a depot."), field="lat")
    if households is None:
        households = _households(depot, population)
    site = AffectedSite(
        emergency_id=emergency.id,
        name=name,
        depot=depot,
        lat=lat,
        lng=lng,
        population=population,
        households=households,
    )
    db.session.add(site)
    db.session.flush()
    return site


def update_emergency(user, emergency: Emergency, *, sites=(), **changes) -> Emergency:
    """Change an emergency's name, response level, days to cover or notes, and its sites' population
    and households, until a plan is approved. Draft plans stay as they were: re-estimate (hand edits
    are kept) and re-plan to see the change."""
    require_emergency(user, emergency)
    _require_open(emergency)
    if any(p.status is PlanStatus.APPROVED for p in emergency.plans):
        raise Conflict(_("This emergency already has an approved plan."))
    allowed = {"name", "response_level", "days_to_cover", "notes"}
    unknown = set(changes) - allowed
    if unknown:
        raise BadInput(_("Unknown field %(field)s.", field=sorted(unknown)[0]), field=sorted(unknown)[0])
    if "response_level" in changes and not 1 <= int(changes["response_level"]) <= 4:
        raise BadInput(_("The response level is I, II, III or IV."), field="response_level")
    for name, value in changes.items():
        setattr(emergency, name, value.strip() if isinstance(value, str) else value)
    by_id = {site.id: site for site in emergency.sites}
    for n, change in enumerate(sites):
        site = by_id.get(change["id"])
        if site is None:
            raise NotFound(
                _("No affected site %(id)s in this emergency.", id=change["id"]), field=f"sites.{n}.id"
            )
        if "population" in change:
            site.population = change["population"]
            if "households" not in change:
                site.households = _households(site.depot, site.population)
        if "households" in change:
            site.households = change["households"]
    db.session.flush()
    return emergency


def estimate_needs(user, emergency: Emergency) -> int:
    """(Re)estimate every site's needs from the relief categories (or, where none are defined, the
    per-item standards in force); lines changed by hand are kept. Returns the lines written."""
    require_emergency(user, emergency)
    in_force = categories.all_categories()
    if in_force:
        estimates = [
            (
                site,
                {"category_id": c.id},
                categories.estimate(c, site.population, site.households, emergency.days_to_cover),
                c.priority,
                categories.text(c, "standard"),
            )
            for site in emergency.sites
            for c in in_force
        ]
    else:
        standards = needs.standards(current_app.config)
        items = items_by_sku([s.sku for s in standards])
        estimates = [
            (site, {"item_id": items[est.sku].id}, est.quantity, est.priority, est.standard)
            for site in emergency.sites
            for est in needs.estimate(
                site.population, site.households, emergency.days_to_cover, standards, items
            )
        ]
    written = 0
    for site, key, quantity, priority, standard in estimates:
        ((column, value),) = key.items()
        line = next((n for n in site.needs if getattr(n, column) == value), None)
        if line is None:
            line = NeedLine(site_id=site.id, **key)
            db.session.add(line)
        elif line.estimated_quantity is not None and line.quantity != line.estimated_quantity:
            continue  # the officer changed it: his number stands
        line.quantity, line.estimated_quantity = quantity, quantity
        line.priority, line.standard = priority, standard
        written += 1
    db.session.flush()
    return written


def set_need(user, site: AffectedSite, item, quantity: int, priority: int, category=None) -> NeedLine:
    """Add or change one need line, for an item or (item None) a relief category (the officer's
    number; the standard stays shown beside it)."""
    require_emergency(user, site.emergency)
    whole_number(quantity, "quantity", _("Quantity must be a whole number, zero or more."), low=0)
    if priority not in allocation.PRIORITIES:
        raise BadInput(_("Priority is 1, 2 or 3."), field="priority")
    if category is not None:
        line = next((n for n in site.needs if n.category_id == category.id), None)
    else:
        line = next((n for n in site.needs if n.item_id == item.id), None)
    if line is None:
        line = NeedLine(
            site_id=site.id,
            item_id=None if category is not None else item.id,
            category_id=category.id if category is not None else None,
            estimated_quantity=None,
        )
        db.session.add(line)
    line.quantity, line.priority = quantity, priority
    db.session.flush()
    return line


def make_plan(user, emergency: Emergency, min_lot_kg: float | None = None) -> Plan:
    """Run the planner on live stock and norms; the new plan supersedes earlier drafts. `min_lot_kg`
    is the minimum lot the officer chose (None: DISPATCH_MIN_LOT_KG; 0: every depot drawn on)."""
    require_emergency(user, emergency)
    _require_open(emergency)
    if any(p.status is PlanStatus.APPROVED for p in emergency.plans):
        raise Conflict(_("This emergency already has an approved plan."))
    if min_lot_kg is not None and not 0 <= min_lot_kg <= MAX_MIN_LOT_KG:
        raise BadInput(
            _("The minimum lot is between 0 and %(max)s kg.", max=f"{MAX_MIN_LOT_KG:,}"), field="min_lot_kg"
        )
    scenario = queries.scenario_from_database(emergency.id, min_lot_kg=min_lot_kg)
    if not scenario.demands:
        raise BadInput(_("Estimate or enter the needs first."), field="needs")
    scenario.vehicles = vehicle_types.fleet() or None
    scenario.time_limit_s = current_app.config.get("DISPATCH_TIME_LIMIT_S", 10.0)
    result = run_planner(scenario)
    for old in emergency.plans:
        if old.status is PlanStatus.DRAFT:
            old.status = PlanStatus.SUPERSEDED
    plan = Plan(
        emergency_id=emergency.id,
        release_reserves=scenario.release_reserves,
        road_factor=scenario.road_factor,
        ton_km=result.ton_km,
        created_by_id=user.id,
        min_lot_kg=scenario.min_lot_kg,
        min_lot_beyond_km=scenario.min_lot_beyond_km,
        held_back=[
            {"depot": lot.depot, "sku": lot.sku, "units": lot.units, "kg": round(lot.weight_kg, 3)}
            for lot in result.lots.lots
        ]
        if result.lots is not None and result.lots.lots
        else None,
    )
    db.session.add(plan)
    db.session.flush()
    items = items_by_sku({d.sku for d in scenario.demands} | {s.sku for s in result.shipments})
    category_ids = {c.code: c.id for c in categories.all_categories()}
    depots = depots_by_code({s.depot for s in result.shipments})
    limits, serves = {}, {}
    for line in result.lines:
        category_id = category_ids.get(line.category)
        if line.category is None:
            limits[(line.site, line.sku)] = line.limit
        for fill in line.fills:
            limits.setdefault((line.site, fill.sku), line.limit)
            serves.setdefault((line.site, fill.sku), category_id)
        db.session.add(
            PlanOutcome(
                plan_id=plan.id,
                site_id=line.site,
                item_id=items[line.sku].id if line.sku else None,
                category_id=category_id,
                priority=line.priority,
                requested=line.requested,
                planned=line.planned,
                limited_by=line.limit,
                fills=[{"sku": f.sku, "units": f.units, "coverage": f.coverage} for f in line.fills]
                if line.category
                else None,
                held_in_reserve=line.held_in_reserve,
                if_released=line.if_released if line.category else None,
                held_back=line.held_back,
                if_lots_drawn=line.if_lots_drawn,
            )
        )
    for s in result.shipments:
        db.session.add(
            PlanLine(
                plan_id=plan.id,
                from_depot_id=depots[s.depot].id,
                site_id=s.site,
                item_id=items[s.sku].id,
                quantity=s.qty,
                planned_quantity=s.qty,
                km=s.km,
                limited_by=limits[(s.site, s.sku)],
                category_id=serves.get((s.site, s.sku)),
            )
        )
    vehicle_types.record(plan, result)
    db.session.flush()
    db.session.refresh(plan)
    return plan


def _require_open(emergency: Emergency):
    if emergency.closed_at is not None:
        raise Conflict(_("This emergency is closed."))


def _require_draft(plan: Plan):
    _require_open(plan.emergency)
    if plan.status is not PlanStatus.DRAFT:
        raise Conflict(_("This plan is %(status)s and can no longer change.", status=plan.status.label))


def edit_line(user, line: PlanLine, quantity: int, reason: str | None = None) -> PlanLine:
    """Change a shipment's quantity. Taking the depot below its reserve floor (when reserves are not
    released) needs a reason, and then the approval of a dispatcher of the tier above."""
    plan = line.plan
    require_emergency(user, plan.emergency)
    _require_draft(plan)
    whole_number(quantity, "quantity", _("Quantity must be a whole number, zero or more."), low=0)
    stock = {(r.depot, r.sku): r for r in queries.scenario_from_database(plan.emergency_id).stock}
    row = stock.get((line.from_depot.code, line.item.sku))
    others = sum(
        other.quantity
        for other in plan.lines
        if other.id != line.id and other.from_depot_id == line.from_depot_id and other.item_id == line.item_id
    )
    available = row.available if row else 0
    if others + quantity > available:
        raise BadInput(
            _("%(depot)s has only %(n)d available.", depot=line.from_depot.code, n=available),
            field="quantity",
        )
    shippable = allocation.shippable(available, row.reserve_floor if row else 0, plan.release_reserves)
    below = others + quantity > shippable
    reason = (reason or "").strip()
    if below and not reason:
        raise BadInput(
            _("This takes %(depot)s below its reserve floor: give a reason.", depot=line.from_depot.code),
            field="reason",
        )
    line.quantity, line.below_floor = quantity, below
    line.edit_reason, line.edited_by_id = (reason[:255] or None), user.id
    line.limited_by = Limit.EDITED if quantity != line.planned_quantity else line.limited_by
    db.session.flush()
    return line


def edit_lines(user, plan: Plan, changes: dict) -> int:
    """Several shipment edits in one go ({line id: (quantity, reason)}), all or nothing: the entry
    point's atomic() rolls every one back when one is refused. Cuts go first, so stock freed by one
    line can go to another of the same depot. Returns the lines changed."""
    by_id = {line.id: line for line in plan.lines}
    unknown = [line_id for line_id in changes if line_id not in by_id]
    if unknown:
        raise NotFound(_("No such line in this plan."), field=f"quantity_{unknown[0]}")
    changed = [
        (by_id[line_id], quantity, reason)
        for line_id, (quantity, reason) in changes.items()
        if quantity != by_id[line_id].quantity or (reason or None) != by_id[line_id].edit_reason
    ]
    for line, quantity, reason in sorted(changed, key=lambda c: (c[1] - c[0].quantity, c[0].id)):
        try:
            edit_line(user, line, quantity, reason)
        except BadInput as error:
            error.field = f"{error.field or 'quantity'}_{line.id}"
            raise
    return len(changed)


def require_approver(user, plan: Plan) -> None:
    """May `user` approve `plan`? When his approval covers something still pending, or when he is in
    charge of the emergency and nothing is pending any more. PermissionDenied otherwise."""
    in_charge = can(user, Action.PLAN_DISPATCH, plan.emergency.scope_depot)
    if not approvals.can_contribute(user, plan) and not (in_charge and not approvals.pending(plan)):
        raise PermissionDenied(_("Your approval covers nothing this plan still needs."))


def approve(user, plan: Plan, note: str | None = None):
    """Record `user`'s approval; when nothing is pending any more, create the transfer orders.
    Returns the transfers created (empty while approvals are still missing)."""
    from .transfers import create_transfers

    _require_draft(plan)
    require_approver(user, plan)
    if all(a.user_id != user.id for a in plan.approvals):
        note = (note or "").strip()[:255] or None
        db.session.add(PlanApproval(plan_id=plan.id, user_id=user.id, note=note))
        db.session.flush()
        db.session.refresh(plan)
    if approvals.pending(plan):
        return []
    plan.status, plan.approved_at = PlanStatus.APPROVED, utcnow()
    return create_transfers(user, plan)


def close_emergency(user, emergency: Emergency, note: str | None = None) -> list:
    """Close an emergency: its orders not yet dispatched are cancelled and their commitments
    released. Returns the transfers cancelled."""
    from ..stock import operations as stock_ops
    from ..stock.kinds import TransferStatus

    require_emergency(user, emergency)
    if emergency.closed_at is not None:
        raise Conflict(_("This emergency is closed already."))
    cancelled = []
    for plan in emergency.plans:
        for link in plan.transfers:
            if link.transfer.status is TransferStatus.DRAFT:
                stock_ops.cancel_transfer(user, link.transfer, note or _("emergency closed"))
                cancelled.append(link.transfer)
    emergency.closed_at = utcnow()
    db.session.flush()
    return cancelled
