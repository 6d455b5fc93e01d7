"""Dispatch API under /api/v1 (flask-smorest): emergencies, sites, needs, plans, approval, and the
transfer steps (pick, unpick, dispatch, receive, cancel).

The same rules as the pages: reads for every signed-in role; planning needs PLAN_DISPATCH inside
the emergency's scope; picking and dispatch OPERATE_STOCK at the sending depot, receipt at the
receiving one, cancelling PLAN_DISPATCH over the sending depot. Scope is checked before the body
is validated (a stranger gets 403, not 422). Every write is `@idempotent`: one unit of work, and an
`Idempotency-Key` makes a resend answer the first response without writing twice.
"""

from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from ..auth.permissions import Action, requires
from ..catalogue.queries import item_by_sku
from ..errors import BadInput
from ..extensions import db
from ..idempotency import idempotent
from ..network.queries import depot_by_code
from ..stock import operations as stock_ops
from ..stock.kinds import TransferStatus
from ..stock.lookups import transfer_by_number
from ..stock.models import Transfer, TransferPick
from . import categories, operations, queries, transfers, worklist
from .api_schemas import (
    ApproveInSchema,
    CutLineInSchema,
    DispatchInSchema,
    EmergencyInSchema,
    EmergencyOutSchema,
    EmergencyPatchSchema,
    NeedOutSchema,
    NeedsInSchema,
    PickInSchema,
    PlanOutSchema,
    ReasonInSchema,
    ReceiveInSchema,
    SiteInSchema,
    SiteOutSchema,
    TransferOutSchema,
    TransferQuerySchema,
    UnpickInSchema,
)
from .loaders import emergency_to_plan, order_to_pick, order_to_plan, order_to_receive, plan_to_approve
from .schemas import PlanSchema

blp = Blueprint(
    "api_dispatch",
    __name__,
    url_prefix="/api/v1",
    description="Emergencies, needs, plans, approval and transfer orders (dispatch).",
)


@blp.route("/emergencies", methods=["POST"])
@requires(Action.PLAN_DISPATCH)
@idempotent
@blp.arguments(EmergencyInSchema)
@blp.response(201, EmergencyOutSchema)
def create_emergency(data):
    """Open an emergency (or a drill) in the officer's scope (or `scope_depot`)."""
    scope = depot_by_code(data["scope_depot"]) if data["scope_depot"] else None
    return operations.create_emergency(
        current_user,
        name=data["name"],
        kind=data["kind"],
        response_level=data["level"],
        days_to_cover=data["days"],
        scope_depot=scope,
        notes=data["notes"],
    )


@blp.route("/emergencies/<int:emergency_id>", methods=["GET"])
@requires(Action.VIEW)
@blp.response(200, EmergencyOutSchema)
def emergency(emergency_id):
    """One emergency with its sites."""
    return queries.emergency_by_id(emergency_id)


@blp.route("/emergencies/<int:emergency_id>", methods=["PATCH"])
@requires(Action.PLAN_DISPATCH)
@idempotent
@emergency_to_plan
@blp.arguments(EmergencyPatchSchema)
@blp.response(200, EmergencyOutSchema)
def update_emergency(data, e):
    """Change name, level, days, notes or sites' population before a plan is approved."""
    names = {"level": "response_level", "days": "days_to_cover"}
    changes = {names.get(k, k): v for k, v in data.items() if k != "sites"}
    return operations.update_emergency(current_user, e, sites=data.get("sites", []), **changes)


@blp.route("/emergencies/<int:emergency_id>/sites", methods=["POST"])
@requires(Action.PLAN_DISPATCH)
@idempotent
@emergency_to_plan
@blp.arguments(SiteInSchema)
@blp.response(201, SiteOutSchema)
def add_site(data, e):
    """Add an affected site: a depot (by code) or a point (lat, lng)."""
    code = data.pop("depot")
    return operations.add_site(current_user, e, depot=depot_by_code(code) if code else None, **data)


@blp.route("/emergencies/<int:emergency_id>/needs/estimate", methods=["POST"])
@requires(Action.PLAN_DISPATCH)
@idempotent
@emergency_to_plan
@blp.response(200, NeedOutSchema(many=True))
def estimate_needs(e):
    """Estimate every site's needs from the standards (lines changed by hand are kept)."""
    operations.estimate_needs(current_user, e)
    db.session.expire(e)
    return queries.need_lines(e)


@blp.route("/emergencies/<int:emergency_id>/needs", methods=["GET"])
@requires(Action.VIEW)
@blp.response(200, NeedOutSchema(many=True))
def needs(emergency_id):
    """The need lines of every site, with the standard each was estimated from."""
    return queries.need_lines(queries.emergency_by_id(emergency_id))


@blp.route("/emergencies/<int:emergency_id>/needs", methods=["PUT"])
@requires(Action.PLAN_DISPATCH)
@idempotent
@emergency_to_plan
@blp.arguments(NeedsInSchema)
@blp.response(200, NeedOutSchema(many=True))
def set_needs(data, e):
    """Set need lines (add or change; all or nothing): `site`, `sku` or `category`, `qty`, `priority`."""
    for n, row in enumerate(data["needs"]):
        site = queries.site_by_id(e, row["site"])
        item, category = None, None
        if row["category"]:
            category = categories.category_by_code(row["category"])
            if category is None:
                raise BadInput(
                    _("Unknown category %(code)s.", code=row["category"]), field=f"needs.{n}.category"
                )
        else:
            item = item_by_sku(row["sku"], f"needs.{n}.sku")
        operations.set_need(current_user, site, item, row["qty"], row["priority"], category=category)
    db.session.expire(e)
    return queries.need_lines(e)


@blp.route("/emergencies/<int:emergency_id>/plans", methods=["POST"])
@requires(Action.PLAN_DISPATCH)
@idempotent
@emergency_to_plan
@blp.arguments(PlanSchema, required=False)  # the plan form's schema: one per action
@blp.response(201, PlanOutSchema)
def make_plan(data, e):
    """Run the planner on live stock (available to promise) and reserve norms.

    The body is optional. `min_lot_kg` is the minimum lot for this plan: a depot whose needed stock
    (above reserve floors) weighs less is not drawn on unless it lies within DISPATCH_MIN_LOT_BEYOND_KM
    of a site (default DISPATCH_MIN_LOT_KG, 500 kg; 0: every depot). The answer's `held_back` lists
    the stock of the depots not drawn on; `outcomes[].if_lots_drawn` what each line would get with it.
    """
    return operations.make_plan(current_user, e, min_lot_kg=data["min_lot_kg"])


@blp.route("/plans/<int:plan_id>", methods=["GET"])
@requires(Action.VIEW)
@blp.response(200, PlanOutSchema)
def plan(plan_id):
    """A plan: outcome per need line (with the items that filled it), shipment lines, approvals."""
    return queries.plan_by_id(plan_id)


@blp.route("/plans/<int:plan_id>/approve", methods=["POST"])
@requires(Action.PLAN_DISPATCH)
@idempotent
@plan_to_approve
@blp.arguments(ApproveInSchema)
@blp.response(200, PlanOutSchema)
def approve(data, p):
    """Approve; the last approval needed creates the transfer orders and commits their stock."""
    operations.approve(current_user, p, data["note"])
    db.session.refresh(p)
    return p


@blp.route("/transfers", methods=["GET"])
@requires(Action.VIEW)
@blp.arguments(TransferQuerySchema, location="query")
@blp.response(200, TransferOutSchema(many=True))
def list_transfers(args):
    """Transfer orders, newest first; `depot` (sending or receiving) and `state`: a status, or a
    work-list state (`to_pick`, `to_dispatch`, `arriving`, which need `depot`)."""
    state, code = args["state"], args["depot"]
    if state in ("to_pick", "to_dispatch", "arriving"):
        if not code:
            raise BadInput(_("Give a depot with state=%(state)s.", state=state), field="depot")
        work = worklist.work_list(depot_by_code(code))
        return [row[0] for row in work.arriving] if state == "arriving" else getattr(work, state)
    query = select(Transfer).order_by(Transfer.created_at.desc(), Transfer.id.desc()).limit(500)
    if code:
        depot = depot_by_code(code)
        query = query.where((Transfer.from_depot_id == depot.id) | (Transfer.to_depot_id == depot.id))
    if state:
        query = query.where(Transfer.status == TransferStatus(state))
    return list(db.session.scalars(query))


@blp.route("/transfers/<number>", methods=["GET"])
@requires(Action.VIEW)
@blp.response(200, TransferOutSchema)
def transfer(number):
    """One transfer order with its lines and picks."""
    return transfer_by_number(number)


@blp.route("/transfers/<number>/pick", methods=["POST"])
@requires(Action.OPERATE_STOCK)
@idempotent
@order_to_pick
@blp.arguments(PickInSchema)
@blp.response(201, TransferOutSchema)
def pick(data, t):
    """Scan a batch for the order (first expiry first out; a wrong batch is refused with the reason)."""
    transfers.scan_pick(current_user, t, data["code"], data["qty"])
    return t


@blp.route("/transfers/<number>/unpick", methods=["POST"])
@requires(Action.OPERATE_STOCK)
@idempotent
@order_to_pick
@blp.arguments(UnpickInSchema)
@blp.response(200, TransferOutSchema)
def unpick(data, t):
    """Take a pick off an order that has not left."""
    picked = db.session.get(TransferPick, data["pick"])
    if picked is None or picked.line.transfer_id != t.id:
        raise BadInput(
            _("Pick %(id)d is not on transfer %(number)s.", id=data["pick"], number=t.number), field="pick"
        )
    stock_ops.unpick(current_user, picked)
    return t


@blp.route("/transfers/<number>/dispatch", methods=["POST"])
@requires(Action.OPERATE_STOCK)
@idempotent
@order_to_pick
@blp.arguments(DispatchInSchema)
@blp.response(200, TransferOutSchema)
def dispatch(data, t):
    """The truck leaves: picked stock is in transit, the order's commitment consumed; the body may
    name the truck (`vehicle_plate`, `driver_name`, `driver_phone`) for the manifest."""
    stock_ops.dispatch_transfer(current_user, t, **data)
    return t


@blp.route("/transfers/<number>/receive", methods=["POST"])
@requires(Action.VIEW)  # the receiving keeper, or for a site the sender or a dispatcher
@idempotent
@order_to_receive
@blp.arguments(ReceiveInSchema)
@blp.response(200, TransferOutSchema)
def receive(data, t):
    """Receive at the destination depot (per pick: received, damaged; the rest short, with a
    `reason`), or, for a site that is no depot, confirm it was handed out."""
    if t.to_depot is None:
        stock_ops.deliver_transfer(current_user, t, note=data["reason"])
        return t
    outcomes = {row["pick"]: (row["received"], row["damaged"]) for row in data["outcomes"]}
    stock_ops.receive_transfer(current_user, t, outcomes, reason=data["reason"])
    return t


@blp.route("/transfers/<number>/cancel", methods=["POST"])
@requires(Action.PLAN_DISPATCH)
@idempotent
@order_to_plan
@blp.arguments(ReasonInSchema)
@blp.response(200, TransferOutSchema)
def cancel(data, t):
    """Cancel an approved order until it is dispatched; its commitment is released."""
    stock_ops.cancel_transfer(current_user, t, data["reason"])
    return t


@blp.route("/transfers/<number>/lines/<int:line_id>", methods=["POST"])
@requires(Action.PLAN_DISPATCH)
@idempotent
@order_to_plan
@blp.arguments(CutLineInSchema)
@blp.response(200, TransferOutSchema)
def cut_line(data, t, line_id):
    """Cut an order line down before dispatch (not below what is picked); the difference is released."""
    line = transfers.line_of(t, line_id)
    try:
        stock_ops.reduce_line(current_user, line, data["qty"], data["reason"])
    except BadInput as error:
        raise BadInput(error.message, field="qty") from None
    return t


def register(app):
    from ..extensions import api

    api.register_blueprint(blp)
