"""The field app's API under /api/v1: the depot data it keeps on the phone, and the two transfer steps
it replays (pick a batch for an order, receive an order). Everything else it replays goes to the stock
API as it is (receipts, issues, moves, counts). Writes are `@idempotent` like every API write.
"""

from functools import wraps

from flask_login import current_user
from flask_smorest import Blueprint

from ..auth.permissions import Action, require, requires
from ..dispatch import transfers
from ..idempotency import idempotent
from ..network.queries import depot_by_code
from ..stock import operations as stock_ops
from ..stock.queries import transfer_by_number
from .schemas import PickOutSchema, PickSchema, TransferReceiptSchema, TransferStateOutSchema
from .snapshot import depot_snapshot

blp = Blueprint("api_field", __name__, url_prefix="/api/v1", description="The keeper's field app.")


def transfer_scope(side: str):
    """Refuse (403) a user outside the order's sending (or receiving) depot before reading the body."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            transfer = transfer_by_number(kwargs["number"])
            depot = transfer.from_depot if side == "from" else (transfer.to_depot or transfer.from_depot)
            require(current_user, Action.OPERATE_STOCK, depot)
            return view(*args, **kwargs)

        return wrapped

    return decorate


@blp.route("/field/depots/<code>", methods=["GET"])
@requires(Action.OPERATE_STOCK)
@blp.response(200)
def snapshot(code):
    """The depot's batches, items, locations, open orders and counts, with the time they were read."""
    depot = depot_by_code(code)
    require(current_user, Action.OPERATE_STOCK, depot)
    return depot_snapshot(depot)


@blp.route("/transfers/<number>/picks", methods=["POST"])
@requires(Action.OPERATE_STOCK)
@idempotent
@transfer_scope("from")
@blp.arguments(PickSchema)
@blp.response(201, PickOutSchema)
def pick(data, number):
    """Pick a scanned batch for an order (right item, sending depot, first expiry first out)."""
    transfer = transfer_by_number(number)
    line, quantity = transfers.scan_pick(current_user, transfer, data["batch"], data["quantity"])
    return {"transfer": transfer.number, "item": line.item.sku, "quantity": quantity}


@blp.route("/transfers/<number>/receipt", methods=["POST"])
@requires(Action.OPERATE_STOCK)
@idempotent
@transfer_scope("to")
@blp.arguments(TransferReceiptSchema)
@blp.response(201, TransferStateOutSchema)
def receive_transfer(data, number):
    """Receive an order at its destination: per pick, what arrived and what was damaged."""
    transfer = transfer_by_number(number)
    given = {row["pick"]: (row["received"], row["damaged"]) for row in data["picks"]}
    outcomes = {p.id: given.get(p.id, (p.quantity, 0)) for line in transfer.lines for p in line.picks}
    stock_ops.receive_transfer(current_user, transfer, outcomes, reason=data["reason"])
    return {"transfer": transfer.number, "status": transfer.status.value}


def register(app):
    from ..extensions import api

    api.register_blueprint(blp)
