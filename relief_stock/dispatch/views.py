"""Dispatch pages: emergencies, sites and needs, the plan (table, trucks, map), edits and approval.

Thin views: forms are validated by schemas.py, decisions made in operations.py, each POST is one
`atomic()` unit of work. Transfer pages (picking, dispatch, receipt) are in views_transfers.py.
"""

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import Action, can, requires
from ..catalogue.queries import item_by_sku, items_by_sku
from ..database import atomic
from ..errors import BadInput, NotFound
from ..extensions import db
from ..form_posts import perform_once
from ..network.queries import depot_by_code
from . import approvals, categories, needs, operations, presenters, queries, vehicle_types
from .models import EmergencyKind, PlanLine
from .schemas import EmergencyEditSchema, EmergencySchema, LineEditSchema, NeedSchema, SiteSchema, load_form

bp = Blueprint("dispatch", __name__, url_prefix="/dispatch")


@bp.get("/")
@requires(Action.VIEW)
def index():
    """Emergencies (real ones and drills listed apart) and the form to open a new one."""
    return render_template(
        "dispatch/index.html",
        real=queries.emergencies(drills=False),
        drills=queries.emergencies(drills=True),
        kinds=list(EmergencyKind),
        depots=queries.depot_choices(),
        may_plan=can(current_user, Action.PLAN_DISPATCH),
    )


@bp.post("/emergencies")
@requires(Action.PLAN_DISPATCH)
def create_emergency():
    """Open an emergency (or a drill) in the officer's scope."""
    data = load_form(EmergencySchema(), request.form)
    scope = depot_by_code(data.pop("scope_depot"), "scope_depot", optional=True)

    def work():  # once per form token: a double tap opens one emergency, not two
        emergency = operations.create_emergency(current_user, scope_depot=scope, **data)
        return url_for("dispatch.emergency", emergency_id=emergency.id), None

    return redirect(perform_once(work)[0])


def _whole(field) -> int | None:
    """A whole number from a form box of many (None when left empty), or BadInput naming the box."""
    raw = (request.form.get(field) or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise BadInput(_("Quantity must be a whole number, zero or more."), field=field)
    return int(raw)


def _depot(code):
    return depot_by_code(code, "depot", optional=True)


@bp.get("/emergencies/<int:emergency_id>")
@requires(Action.VIEW)
def emergency(emergency_id):
    """Sites, their needs with the standard used, and the plan button."""
    e = queries.emergency_by_id(emergency_id)
    return render_template(
        "dispatch/emergency.html",
        e=e,
        lines=queries.need_lines(e),
        plan=queries.current_plan(e),
        depots=queries.depot_choices(),
        items=sorted(items_by_sku().values(), key=lambda i: i.sku),
        standards=needs.standards(current_app.config),
        categories=categories.all_categories(),
        category_text=categories.text,
        releases=queries.releases_reserves(e),
        approved=any(p.status.value == "approved" for p in e.plans),
        may_plan=can(current_user, Action.PLAN_DISPATCH, e.scope_depot),
    )


@bp.post("/emergencies/<int:emergency_id>/edit")
@requires(Action.PLAN_DISPATCH)
def update_emergency(emergency_id):
    """Change the response level, days to cover and the sites' population before approval."""
    e = queries.emergency_by_id(emergency_id)
    operations.require_emergency(current_user, e)
    data = load_form(EmergencyEditSchema(), request.form)
    given = {site.id: _whole(f"population_{site.id}") for site in e.sites}
    sites = [
        {"id": site.id, "population": given[site.id]}
        for site in e.sites
        if given[site.id] is not None and given[site.id] != site.population
    ]
    with atomic():
        operations.update_emergency(current_user, e, sites=sites, **data)
    flash(_("Emergency updated: re-estimate the needs and re-plan."), "success")
    return redirect(url_for("dispatch.emergency", emergency_id=e.id))


@bp.post("/emergencies/<int:emergency_id>/close")
@requires(Action.PLAN_DISPATCH)
def close_emergency(emergency_id):
    """Close the emergency: orders not yet dispatched are cancelled and their commitments released."""
    e = queries.emergency_by_id(emergency_id)
    with atomic():
        cancelled = operations.close_emergency(current_user, e)
    flash(_("Emergency closed; %(n)d orders cancelled.", n=len(cancelled)), "success")
    return redirect(url_for("dispatch.emergency", emergency_id=e.id))


@bp.post("/emergencies/<int:emergency_id>/sites")
@requires(Action.PLAN_DISPATCH)
def add_site(emergency_id):
    """Add an affected site: one of our depots, or a point with coordinates."""
    e = queries.emergency_by_id(emergency_id)
    operations.require_emergency(current_user, e)
    data = load_form(SiteSchema(), request.form)
    depot = depot_by_code(data.pop("depot"), "depot", optional=True)

    def work():  # once per form token: a double tap adds one site, not two
        operations.add_site(current_user, e, depot=depot, **data)
        return url_for("dispatch.emergency", emergency_id=e.id), None

    return redirect(perform_once(work)[0])


@bp.post("/emergencies/<int:emergency_id>/estimate")
@requires(Action.PLAN_DISPATCH)
def estimate(emergency_id):
    """Estimate needs from the standards (lines changed by hand are kept)."""
    e = queries.emergency_by_id(emergency_id)
    with atomic():
        written = operations.estimate_needs(current_user, e)
    flash(_("%(n)d need lines estimated.", n=written), "success")
    return redirect(url_for("dispatch.emergency", emergency_id=e.id))


@bp.post("/emergencies/<int:emergency_id>/needs")
@requires(Action.PLAN_DISPATCH)
def set_need(emergency_id):
    """Set one need line's quantity and priority (add it when new)."""
    e = queries.emergency_by_id(emergency_id)
    operations.require_emergency(current_user, e)
    data = load_form(NeedSchema(), request.form)
    site = queries.site_by_id(e, data["site_id"])
    item, category = None, None
    if data["category"]:
        category = categories.category_by_code(data["category"])
        if category is None:
            raise BadInput(_("Unknown category %(code)s.", code=data["category"]), field="category")
    else:
        item = item_by_sku(data["sku"], "sku")
    with atomic():
        operations.set_need(current_user, site, item, data["quantity"], data["priority"], category=category)
    return redirect(url_for("dispatch.emergency", emergency_id=e.id) + "#needs")


@bp.post("/emergencies/<int:emergency_id>/plan")
@requires(Action.PLAN_DISPATCH)
def make_plan(emergency_id):
    """Run the planner on live stock and reserve norms."""
    e = queries.emergency_by_id(emergency_id)
    with atomic():
        plan = operations.make_plan(current_user, e)
    return redirect(url_for("dispatch.plan", plan_id=plan.id))


@bp.get("/plans/<int:plan_id>")
@requires(Action.VIEW)
def plan(plan_id):
    """The plan: outcome per need line with its limiting rule, shipments, trucks, map, approvals."""
    p = queries.plan_by_id(plan_id)
    pending = approvals.pending(p)
    in_charge = can(current_user, Action.PLAN_DISPATCH, p.emergency.scope_depot)
    mine, groups = approvals.grouped_pending(p, current_user)
    trucks = presenters.trucks_by_site(p)
    return render_template(
        "dispatch/plan.html",
        plan=p,
        e=p.emergency,
        pending=pending,
        mine=mine,
        groups=groups,
        summary=presenters.approval_summary(p, trucks) if p.status.value == "draft" else None,
        trucks=trucks,
        fleet=vehicle_types.summary(p),
        geo=presenters.map_geometry(p),
        limit_text=presenters.LIMIT_TEXT,
        limit_badge=presenters.LIMIT_BADGE,
        outcome_notes=presenters.outcome_notes,
        category_text=categories.text,
        may_edit=in_charge,
        may_approve=approvals.can_contribute(current_user, p) or (in_charge and not pending),
    )


@bp.post("/plans/<int:plan_id>/lines/<int:line_id>")
@requires(Action.PLAN_DISPATCH)
def edit_line(plan_id, line_id):
    """Change one shipment; below the reserve floor a reason is required (and a higher approval)."""
    p = queries.plan_by_id(plan_id)
    line = db.session.get(PlanLine, line_id)
    if line is None or line.plan_id != p.id:
        raise NotFound(_("No such line in this plan."))
    operations.require_emergency(current_user, p.emergency)
    data = load_form(LineEditSchema(), request.form)
    with atomic():
        operations.edit_line(current_user, line, data["quantity"], data["reason"])
    return redirect(url_for("dispatch.plan", plan_id=p.id) + "#shipments")


@bp.post("/plans/<int:plan_id>/lines")
@requires(Action.PLAN_DISPATCH)
def edit_lines(plan_id):
    """Save every changed shipment of the plan in one submit; any refused line changes nothing."""
    p = queries.plan_by_id(plan_id)
    operations.require_emergency(current_user, p.emergency)
    quantities = {line.id: _whole(f"quantity_{line.id}") for line in p.lines}
    changes = {
        line_id: (quantity, (request.form.get(f"reason_{line_id}") or "").strip() or None)
        for line_id, quantity in quantities.items()
        if quantity is not None
    }
    with atomic():
        n = operations.edit_lines(current_user, p, changes)
    flash(_("%(n)d shipment lines changed.", n=n), "success")
    return redirect(url_for("dispatch.plan", plan_id=p.id) + "#shipments")


@bp.post("/plans/<int:plan_id>/approve")
@requires(Action.PLAN_DISPATCH)
def approve(plan_id):
    """Approve; the last approval needed creates the transfer orders."""
    p = queries.plan_by_id(plan_id)
    with atomic():
        created = operations.approve(current_user, p, request.form.get("note"))
    if created:
        flash(_("Plan approved: %(n)d transfer orders created.", n=len(created)), "success")
    elif p.status.value == "approved":
        flash(_("Plan approved."), "success")
    else:
        flash(_("Approval recorded; still waiting for other approvals."), "success")
    return redirect(url_for("dispatch.plan", plan_id=p.id))


@bp.get("/plans/<int:plan_id>/<any(manifests, picking_lists):kind>.pdf")
@requires(Action.VIEW)
def plan_documents(plan_id, kind):
    """Every manifest (or every picking list, for orders still being picked) of a plan, one PDF."""
    from ..printing import bundle
    from ..stock.kinds import TransferStatus

    p = queries.plan_by_id(plan_id)
    orders = [link.transfer for link in p.transfers if link.transfer.status is not TransferStatus.CANCELLED]
    if kind == "picking_lists":
        orders = [t for t in orders if t.status is TransferStatus.DRAFT]
    if not orders:
        raise NotFound(_("This plan has no transfer orders to print."))
    lang = "en" if str(get_locale()) == "en" else "zh"
    body = bundle.manifests(orders, lang) if kind == "manifests" else bundle.picking_lists(orders, lang)
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="plan-{p.id}-{kind}.pdf"'},
    )


def init_app(app):
    from . import views_categories, views_transfers, views_vehicles  # noqa: F401  (add their pages to bp)

    app.register_blueprint(bp)
