"""Transfer pages: the live shipment page the manifest's QR code opens, and the keepers' actions on it.

Issuing keeper: scan the picked batches (FEFO; a wrong batch is refused), then dispatch. Receiving
keeper: scan the manifest at the destination depot and record what arrived, short or damaged.
A delivery to a site that is no depot is confirmed as distributed there.
"""

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import Action, can, requires
from ..errors import BadInput
from ..form_posts import run_form, submit
from ..network.queries import depot_by_code
from ..stock import operations as stock_ops
from ..stock.actions import transfer_actions
from ..stock.kinds import TransferStatus
from ..stock.lookups import transfer_by_number
from . import queries, transfers
from . import worklist as worklist_module
from .api_schemas import DispatchInSchema
from .loaders import order_to_deliver, order_to_pick, order_to_plan, order_to_receive
from .schemas import CutLineSchema, PickSchema
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
@order_to_plan
def cut_line(t, line_id):
    """Cut an order line down before dispatch; what it held committed beyond the new quantity is freed."""
    line = transfers.line_of(t, line_id)

    def perform(data):
        stock_ops.reduce_line(current_user, line, data["quantity"], data["reason"])
        message = _("Line %(sku)s cut down to %(n)d.", sku=line.item.sku, n=data["quantity"])
        return _url(t), message

    return run_form(
        CutLineSchema(), perform, lambda errors=None, status=200: _page(t, errors, status, line.id)
    )


def _url(t):
    return url_for("dispatch.transfer", number=t.number)


@bp.post("/transfers/<number>/pick")
@requires(Action.OPERATE_STOCK)
@order_to_pick
def pick(t):
    """Scan one batch for this order; wrong item, depot, unissuable or not first-expiry: refused."""

    def perform(data):
        line, quantity = transfers.scan_pick(current_user, t, data["code"], data["quantity"])
        return _url(t), _("Picked %(n)d × %(sku)s.", n=quantity, sku=line.item.sku)

    if not request.form.get("code"):  # no code scanned: the picking rule says what is expected
        return submit(lambda: perform({"code": "", "quantity": None}))
    return run_form(PickSchema(), perform)


@bp.post("/transfers/<number>/cancel")
@requires(Action.PLAN_DISPATCH)
@order_to_plan
def cancel_transfer(t):
    """Cancel an approved order that has not left; what it held committed is released."""

    def work():
        stock_ops.cancel_transfer(current_user, t, request.form.get("reason"))
        return _url(t), _("Transfer %(number)s cancelled; its stock is free again.", number=t.number)

    return submit(work)


@bp.post("/transfers/<number>/dispatch")
@requires(Action.OPERATE_STOCK)
@order_to_pick
def dispatch(t):
    """The truck leaves: the picked stock is in transit, with its plate, driver and phone if given."""

    def perform(truck):
        stock_ops.dispatch_transfer(current_user, t, **truck)
        return _url(t), _("Transfer %(number)s dispatched: in transit.", number=t.number)

    return run_form(DispatchInSchema(), perform)


@bp.post("/transfers/<number>/receive")
@requires(Action.OPERATE_STOCK)
@order_to_receive
def receive(t):
    """Receive at the destination depot: per pick, received and damaged; the rest is short."""

    def work():
        outcomes = {}
        for line in t.lines:
            for p in line.picks:
                outcomes[p.id] = (_count(f"received_{p.id}", p.quantity), _count(f"damaged_{p.id}", 0))
        stock_ops.receive_transfer(current_user, t, outcomes, reason=request.form.get("reason"))
        return _url(t), _("Transfer %(number)s received.", number=t.number)

    return submit(work)


def _count(field, default):
    raw = (request.form.get(field) or "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise BadInput(_("Quantities must be whole numbers, zero or more."), field=field)
    return int(raw)


@bp.post("/transfers/<number>/deliver")
@requires(Action.VIEW)  # the sending depot's keepers and the dispatchers covering it (`may_deliver`)
@order_to_deliver
def deliver(t):
    """Confirm the goods were handed out at a site that is no depot."""

    def work():
        stock_ops.deliver_transfer(current_user, t, note=(request.form.get("note") or "").strip() or None)
        return _url(t), _(
            "Transfer %(number)s recorded as distributed at %(site)s.", number=t.number, site=t.to_site_name
        )

    return submit(work)
