"""Dispatch pages: emergencies, sites and needs, the plan (table, trucks, map), edits and approval.

Thin views: forms are validated by schemas.py, decisions made in operations.py, and every POST runs
through `form_posts` (one commit, a one-time token against double taps, a redirect); objects in the
URL are loaded and access-checked by `loaders`. Transfer pages (picking, dispatch, receipt) are in
views_transfers.py.
"""

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import Action, can, requires
from ..catalogue.queries import item_by_sku, items_by_sku
from ..errors import BadInput, NotFound
from ..extensions import db
from ..form_posts import run_form, submit
from ..network.queries import depot_by_code
from . import approvals, categories, needs, operations, presenters, queries, vehicle_types
from .loaders import emergency_to_plan, plan_to_approve, plan_to_edit
from .models import EmergencyKind, PlanLine
from .schemas import EmergencyEditSchema, EmergencySchema, LineEditSchema, NeedSchema, PlanSchema, SiteSchema

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

    def perform(data):  # once per form token: a double tap opens one emergency, not two
        scope = depot_by_code(data.pop("scope_depot"), "scope_depot", optional=True)
        emergency = operations.create_emergency(current_user, scope_depot=scope, **data)
        return url_for("dispatch.emergency", emergency_id=emergency.id), None

    return run_form(EmergencySchema(), perform)


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
        min_lot=presenters.min_lot_default(queries.current_plan(e)),
        min_lot_beyond_km=current_app.config["DISPATCH_MIN_LOT_BEYOND_KM"],
        approved=any(p.status.value == "approved" for p in e.plans),
        may_plan=can(current_user, Action.PLAN_DISPATCH, e.scope_depot),
    )


@bp.post("/emergencies/<int:emergency_id>/edit")
@requires(Action.PLAN_DISPATCH)
@emergency_to_plan
def update_emergency(e):
    """Change the response level, days to cover and the sites' population before approval."""

    def perform(data):
        given = {site.id: _whole(f"population_{site.id}") for site in e.sites}
        sites = [
            {"id": site.id, "population": given[site.id]}
            for site in e.sites
            if given[site.id] is not None and given[site.id] != site.population
        ]
        operations.update_emergency(current_user, e, sites=sites, **data)
        return _emergency_url(e), _("Emergency updated: re-estimate the needs and re-plan.")

    return run_form(EmergencyEditSchema(), perform)


def _emergency_url(e, anchor=""):
    return url_for("dispatch.emergency", emergency_id=e.id) + anchor


@bp.post("/emergencies/<int:emergency_id>/close")
@requires(Action.PLAN_DISPATCH)
@emergency_to_plan
def close_emergency(e):
    """Close the emergency: orders not yet dispatched are cancelled and their commitments released."""

    def work():
        cancelled = operations.close_emergency(current_user, e)
        return _emergency_url(e), _("Emergency closed; %(n)d orders cancelled.", n=len(cancelled))

    return submit(work)


@bp.post("/emergencies/<int:emergency_id>/sites")
@requires(Action.PLAN_DISPATCH)
@emergency_to_plan
def add_site(e):
    """Add an affected site: one of our depots, or a point with coordinates."""

    def perform(data):  # once per form token: a double tap adds one site, not two
        depot = depot_by_code(data.pop("depot"), "depot", optional=True)
        operations.add_site(current_user, e, depot=depot, **data)
        return _emergency_url(e), None

    return run_form(SiteSchema(), perform)


@bp.post("/emergencies/<int:emergency_id>/estimate")
@requires(Action.PLAN_DISPATCH)
@emergency_to_plan
def estimate(e):
    """Estimate needs from the standards (lines changed by hand are kept)."""

    def work():
        written = operations.estimate_needs(current_user, e)
        return _emergency_url(e), _("%(n)d need lines estimated.", n=written)

    return submit(work)


@bp.post("/emergencies/<int:emergency_id>/needs")
@requires(Action.PLAN_DISPATCH)
@emergency_to_plan
def set_need(e):
    """Set one need line's quantity and priority (add it when new)."""

    def perform(data):
        site = queries.site_by_id(e, data["site_id"])
        item, category = None, None
        if data["category"]:
            category = categories.category_by_code(data["category"])
            if category is None:
                raise BadInput(_("Unknown category %(code)s.", code=data["category"]), field="category")
        else:
            item = item_by_sku(data["sku"], "sku")
        operations.set_need(current_user, site, item, data["quantity"], data["priority"], category=category)
        return _emergency_url(e, "#needs"), None

    return run_form(NeedSchema(), perform)


@bp.post("/emergencies/<int:emergency_id>/plan")
@requires(Action.PLAN_DISPATCH)
@emergency_to_plan
def make_plan(e):
    """Run the planner on live stock and reserve norms, with the minimum lot the officer chose."""

    def perform(data):  # once per form token: a double tap makes one plan, not two
        plan = operations.make_plan(current_user, e, min_lot_kg=data["min_lot_kg"])
        return url_for("dispatch.plan", plan_id=plan.id), None

    return run_form(PlanSchema(), perform)


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
        held_back=presenters.held_back(p),
        category_text=categories.text,
        may_edit=in_charge,
        may_approve=approvals.can_contribute(current_user, p) or (in_charge and not pending),
    )


@bp.post("/plans/<int:plan_id>/lines/<int:line_id>")
@requires(Action.PLAN_DISPATCH)
@plan_to_edit
def edit_line(p, line_id):
    """Change one shipment; below the reserve floor a reason is required (and a higher approval)."""
    line = db.session.get(PlanLine, line_id)
    if line is None or line.plan_id != p.id:
        raise NotFound(_("No such line in this plan."))

    def perform(data):
        operations.edit_line(current_user, line, data["quantity"], data["reason"])
        return _plan_url(p, "#shipments"), None

    return run_form(LineEditSchema(), perform)


def _plan_url(p, anchor=""):
    return url_for("dispatch.plan", plan_id=p.id) + anchor


@bp.post("/plans/<int:plan_id>/lines")
@requires(Action.PLAN_DISPATCH)
@plan_to_edit
def edit_lines(p):
    """Save every changed shipment of the plan in one submit; any refused line changes nothing."""

    def work():
        quantities = {line.id: _whole(f"quantity_{line.id}") for line in p.lines}
        changes = {
            line_id: (quantity, (request.form.get(f"reason_{line_id}") or "").strip() or None)
            for line_id, quantity in quantities.items()
            if quantity is not None
        }
        n = operations.edit_lines(current_user, p, changes)
        return _plan_url(p, "#shipments"), _("%(n)d shipment lines changed.", n=n)

    return submit(work)


@bp.post("/plans/<int:plan_id>/approve")
@requires(Action.PLAN_DISPATCH)
@plan_to_approve
def approve(p):
    """Approve; the last approval needed creates the transfer orders."""

    def work():  # once per form token: a double tap records one approval
        created = operations.approve(current_user, p, request.form.get("note"))
        if created:
            return _plan_url(p), _("Plan approved: %(n)d transfer orders created.", n=len(created))
        if p.status.value == "approved":
            return _plan_url(p), _("Plan approved.")
        return _plan_url(p), _("Approval recorded; still waiting for other approvals.")

    return submit(work)


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
