"""Transfer pages: the live shipment page the manifest's QR code opens, and the keepers' actions on it.

Issuing keeper: scan the picked batches (FEFO; a wrong batch is refused), then dispatch. Receiving
keeper: scan the manifest at the destination depot and record what arrived, short or damaged.
A delivery to a site that is no depot is confirmed as distributed there.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import Action, can, require, requires
from ..database import atomic
from ..errors import BadInput
from ..form_posts import run_form
from ..network.queries import depot_by_code
from ..stock import operations as stock_ops
from ..stock.actions import transfer_actions
from ..stock.kinds import TransferStatus
from ..stock.lookups import transfer_by_number
from . import queries, transfers
from . import worklist as worklist_module
from .api_schemas import DispatchInSchema
from .schemas import CutLineSchema, PickSchema, load_form
from .views import bp


@bp.get("/depots/<code>/work")
@requires(Action.VIEW)
def worklist(code):
    """A depot's orders to pick, to dispatch and arriving (with ETA): the keeper's day."""
    return render_template("dispatch/worklist.html", work=worklist_module.work_list(depot_by_code(code)))


@bp.get("/transfers/<number>")
@requires(Action.VIEW)
def transfer(number):
    """Status, lines, picks and the next step for whoever opened it (picker, receiver, dispatcher)."""
    return _page(transfer_by_number(number))


def _page(t, errors=None, status=200, cut_line_id=None):
    actions = transfer_actions(t, current_user)
    picking = "pick" in actions
    suggestions = {line.id: transfers.fefo_candidates(line) for line in t.lines} if picking else {}
    return render_template(
        "dispatch/transfer.html",
        t=t,
        plan=queries.plan_of_transfer(t),
        picking=picking,
        suggestions=suggestions,
        remaining=transfers.remaining,
        receiving="receive" in actions,
        delivering="deliver" in actions,
        cancelling=t.status is TransferStatus.DRAFT and can(current_user, Action.PLAN_DISPATCH, t.from_depot),
        errors=errors or {},
        cut_line_id=cut_line_id,
    ), status


@bp.post("/transfers/<number>/lines/<int:line_id>")
@requires(Action.PLAN_DISPATCH)
def cut_line(number, line_id):
    """Cut an order line down before dispatch; what it held committed beyond the new quantity is freed."""
    t = transfer_by_number(number)
    require(current_user, Action.PLAN_DISPATCH, t.from_depot)
    line = transfers.line_of(t, line_id)

    def perform(data):
        stock_ops.reduce_line(current_user, line, data["quantity"], data["reason"])
        message = _("Line %(sku)s cut down to %(n)d.", sku=line.item.sku, n=data["quantity"])
        return url_for("dispatch.transfer", number=t.number), message

    return run_form(
        CutLineSchema(), perform, lambda errors=None, status=200: _page(t, errors, status, line.id)
    )


@bp.post("/transfers/<number>/pick")
@requires(Action.OPERATE_STOCK)
def pick(number):
    """Scan one batch for this order; wrong item, depot, unissuable or not first-expiry: refused."""
    t = transfer_by_number(number)
    data = load_form(PickSchema(), request.form) if request.form.get("code") else None
    with atomic():
        line, quantity = transfers.scan_pick(
            current_user, t, data["code"] if data else "", data["quantity"] if data else None
        )
    flash(_("Picked %(n)d × %(sku)s.", n=quantity, sku=line.item.sku), "success")
    return redirect(url_for("dispatch.transfer", number=t.number))


@bp.post("/transfers/<number>/cancel")
@requires(Action.PLAN_DISPATCH)
def cancel_transfer(number):
    """Cancel an approved order that has not left; what it held committed is released."""
    t = transfer_by_number(number)
    with atomic():
        stock_ops.cancel_transfer(current_user, t, request.form.get("reason"))
    flash(_("Transfer %(number)s cancelled; its stock is free again.", number=t.number), "success")
    return redirect(url_for("dispatch.transfer", number=t.number))


@bp.post("/transfers/<number>/dispatch")
@requires(Action.OPERATE_STOCK)
def dispatch(number):
    """The truck leaves: the picked stock is in transit, with its plate, driver and phone if given."""
    t = transfer_by_number(number)
    truck = load_form(DispatchInSchema(), request.form)
    with atomic():
        stock_ops.dispatch_transfer(current_user, t, **truck)
    flash(_("Transfer %(number)s dispatched: in transit.", number=t.number), "success")
    return redirect(url_for("dispatch.transfer", number=t.number))


@bp.post("/transfers/<number>/receive")
@requires(Action.OPERATE_STOCK)
def receive(number):
    """Receive at the destination depot: per pick, received and damaged; the rest is short."""
    t = transfer_by_number(number)
    outcomes = {}
    for line in t.lines:
        for p in line.picks:
            outcomes[p.id] = (_count(f"received_{p.id}", p.quantity), _count(f"damaged_{p.id}", 0))
    with atomic():
        stock_ops.receive_transfer(current_user, t, outcomes, reason=request.form.get("reason"))
    flash(_("Transfer %(number)s received.", number=t.number), "success")
    return redirect(url_for("dispatch.transfer", number=t.number))


def _count(field, default):
    raw = (request.form.get(field) or "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise BadInput(_("Quantities must be whole numbers, zero or more."), field=field)
    return int(raw)


@bp.post("/transfers/<number>/deliver")
@requires(Action.VIEW)  # keepers of the sending depot and dispatchers: checked by the operation
def deliver(number):
    """Confirm the goods were handed out at a site that is no depot."""
    t = transfer_by_number(number)
    with atomic():
        stock_ops.deliver_transfer(current_user, t, note=(request.form.get("note") or "").strip() or None)
    flash(
        _("Transfer %(number)s recorded as distributed at %(site)s.", number=t.number, site=t.to_site_name),
        "success",
    )
    return redirect(url_for("dispatch.transfer", number=t.number))
