"""Stock API under /api/v1 (flask-smorest): receive, issue, move, adjust, write off, quarantine,
release, stocktakes, batches and their ledger, stock on hand.

Every write is `@idempotent`: it runs as one unit of work and honours an `Idempotency-Key` header,
so a scanner that resends on a flaky network gets the first answer back and writes nothing twice.
"""

from functools import wraps

from flask_login import current_user
from flask_smorest import Blueprint

from ..auth.permissions import Action, require, requires
from ..catalogue.queries import item_by_sku
from ..idempotency import idempotent
from ..network.queries import depot_by_code
from . import balances, lookups, records
from . import operations as ops
from .commitments import add_committed
from .schemas import (
    AdjustSchema,
    BatchOutSchema,
    CountSchema,
    DepotLevelOutSchema,
    FoundSchema,
    IssueItemRequestSchema,
    IssueSchema,
    LevelOutSchema,
    MovementOutSchema,
    MoveSchema,
    OpenStocktakeRequestSchema,
    ReasonSchema,
    ReceiptOutSchema,
    ReceiveSchema,
    ScopeQuerySchema,
    StocktakeLineOutSchema,
    StocktakeOutSchema,
    TierLevelOutSchema,
    WriteOffSchema,
)
from .stocktake import differences

blp = Blueprint(
    "api_stock",
    __name__,
    url_prefix="/api/v1",
    description="Receipts, issues, moves, stocktakes and stock on hand (the movement ledger).",
)


def batch_scope(view):
    """Refuse (403) a user outside the batch's depot before the body is even validated."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        require(current_user, Action.OPERATE_STOCK, lookups.batch_by_code(kwargs["code"]).depot)
        return view(*args, **kwargs)

    return wrapped


def stocktake_scope(view):
    """Refuse (403) a user outside the counted depot before the body is even validated."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        require(current_user, Action.OPERATE_STOCK, lookups.stocktake_by_id(kwargs["stocktake_id"]).depot)
        return view(*args, **kwargs)

    return wrapped


def _location(depot, code):
    return lookups.location_for_code(depot, code) if code else None


@blp.route("/receipts", methods=["POST"])
@requires(Action.OPERATE_STOCK)
@idempotent
@blp.arguments(ReceiveSchema)
@blp.response(201, ReceiptOutSchema)
def receive(data):
    """Take a delivery in: one receipt, one new coded batch per line."""
    depot = depot_by_code(data.pop("depot"), "depot")
    lines = [
        ops.ReceiptLine(
            item=item_by_sku(line["item"], f"lines.{i}.item"),
            quantity=line["quantity"],
            expiry_date=line["expiry_date"],
            manufactured_date=line["manufactured_date"],
            location=_location(depot, line["location"]),
            donor_name=line["donor_name"],
        )
        for i, line in enumerate(data.pop("lines"))
    ]
    return ops.receive(current_user, depot, lines, **data)


@blp.route("/batches/<code>", methods=["GET"])
@requires(Action.VIEW)
@blp.response(200, BatchOutSchema)
def batch(code):
    """One batch by its code."""
    return lookups.batch_by_code(code)


@blp.route("/batches/<code>/history", methods=["GET"])
@requires(Action.VIEW)
@blp.response(200, MovementOutSchema(many=True))
def batch_history(code):
    """The ledger of one batch, oldest first."""
    return records.batch_history(lookups.batch_by_code(code))


@blp.route("/batches/<code>/issue", methods=["POST"])
@requires(Action.OPERATE_STOCK)
@idempotent
@batch_scope
@blp.arguments(IssueSchema)
@blp.response(201, MovementOutSchema)
def issue(data, code):
    """Issue from one batch (refused from quarantined, expired or empty batches)."""
    return ops.issue(current_user, lookups.batch_by_code(code), data.pop("quantity"), **data)


@blp.route("/issues", methods=["POST"])
@requires(Action.OPERATE_STOCK)
@idempotent
@blp.arguments(IssueItemRequestSchema)
@blp.response(201, MovementOutSchema(many=True))
def issue_item(data):
    """Issue an item at a depot from its batches, first expiry first out."""
    return ops.issue_item(
        current_user,
        depot_by_code(data["depot"], "depot"),
        item_by_sku(data["item"], "item"),
        data["quantity"],
        reason=data["reason"],
    )


@blp.route("/batches/<code>/move", methods=["POST"])
@requires(Action.OPERATE_STOCK)
@idempotent
@batch_scope
@blp.arguments(MoveSchema)
@blp.response(200, BatchOutSchema)
def move(data, code):
    """Move a batch to a location; with a quantity, split that part off as a new batch."""
    found = lookups.batch_by_code(code)
    return ops.move(
        current_user, found, lookups.location_for_code(found.depot, data["location"]), data["quantity"]
    )


@blp.route("/batches/<code>/adjust", methods=["POST"])
@requires(Action.OPERATE_STOCK)
@idempotent
@batch_scope
@blp.arguments(AdjustSchema)
@blp.response(201, MovementOutSchema)
def adjust(data, code):
    """Correct a batch by a signed delta, with a reason."""
    return ops.adjust(current_user, lookups.batch_by_code(code), data["delta"], reason=data["reason"])


@blp.route("/batches/<code>/write-off", methods=["POST"])
@requires(Action.OPERATE_STOCK)
@idempotent
@batch_scope
@blp.arguments(WriteOffSchema)
@blp.response(201, MovementOutSchema)
def write_off(data, code):
    """Write off part or all of a batch, with a reason (报损)."""
    return ops.write_off(current_user, lookups.batch_by_code(code), data["quantity"], reason=data["reason"])


@blp.route("/batches/<code>/quarantine", methods=["POST"])
@requires(Action.OPERATE_STOCK)
@idempotent
@batch_scope
@blp.arguments(ReasonSchema)
@blp.response(201, MovementOutSchema)
def quarantine(data, code):
    """Freeze a batch (冻结), with a reason."""
    return ops.quarantine(current_user, lookups.batch_by_code(code), reason=data["reason"])


@blp.route("/batches/<code>/release", methods=["POST"])
@requires(Action.OPERATE_STOCK)
@idempotent
@batch_scope
@blp.arguments(ReasonSchema)
@blp.response(201, MovementOutSchema)
def release(data, code):
    """Release a quarantined batch."""
    return ops.release(current_user, lookups.batch_by_code(code), reason=data["reason"])


@blp.route("/stocktakes", methods=["POST"])
@requires(Action.OPERATE_STOCK)
@idempotent
@blp.arguments(OpenStocktakeRequestSchema)
@blp.response(201, StocktakeOutSchema)
def open_stocktake(data):
    """Open a count of a depot (or one location in it)."""
    depot = depot_by_code(data["depot"], "depot")
    return ops.open_stocktake(current_user, depot, _location(depot, data["location"]))


@blp.route("/stocktakes/<int:stocktake_id>", methods=["GET"])
@requires(Action.VIEW)
@blp.response(200, StocktakeOutSchema)
def stocktake(stocktake_id):
    """A count with its lines and the batches not yet counted."""
    return lookups.stocktake_by_id(stocktake_id)


@blp.route("/stocktakes/<int:stocktake_id>/counts", methods=["POST"])
@requires(Action.OPERATE_STOCK)
@idempotent
@stocktake_scope
@blp.arguments(CountSchema)
@blp.response(201, StocktakeLineOutSchema)
def record_count(data, stocktake_id):
    """Record the counted quantity of a batch (recounting replaces the line)."""
    return ops.record_count(
        current_user,
        lookups.stocktake_by_id(stocktake_id),
        lookups.batch_by_code(data["batch"], field="batch"),
        data["counted"],
    )


@blp.route("/stocktakes/<int:stocktake_id>/found", methods=["POST"])
@requires(Action.OPERATE_STOCK)
@idempotent
@stocktake_scope
@blp.arguments(FoundSchema)
@blp.response(201, StocktakeLineOutSchema)
def record_found(data, stocktake_id):
    """Record goods found that no batch accounts for; posting makes them a new batch."""
    sheet = lookups.stocktake_by_id(stocktake_id)
    return ops.record_found(
        current_user,
        sheet,
        item_by_sku(data["item"], "item"),
        data["counted"],
        expiry_date=data["expiry_date"],
        location=_location(sheet.depot, data["location"]),
    )


@blp.route("/stocktakes/<int:stocktake_id>/differences", methods=["GET"])
@requires(Action.VIEW)
@blp.response(200, StocktakeLineOutSchema(many=True))
def stocktake_differences(stocktake_id):
    """The counted lines that differ from the system quantity at counting time."""
    return differences(lookups.stocktake_by_id(stocktake_id))


@blp.route("/stocktakes/<int:stocktake_id>/post", methods=["POST"])
@requires(Action.OPERATE_STOCK)
@idempotent
@stocktake_scope
@blp.response(201, MovementOutSchema(many=True))
def post_stocktake(stocktake_id):
    """Book every difference as a count correction, all or nothing."""
    return ops.post_stocktake(current_user, lookups.stocktake_by_id(stocktake_id))


@blp.route("/stock/depots/<code>", methods=["GET"])
@requires(Action.VIEW)
@blp.response(200, LevelOutSchema(many=True))
def depot_stock(code):
    """Stock on hand at one depot, per item, with what it has shipped that is still in transit, what
    is committed to approved orders and what is left to promise."""
    depot = depot_by_code(code)
    return add_committed(balances.depot_item_totals(depot), depot=depot)


@blp.route("/stock/items/<sku>", methods=["GET"])
@requires(Action.VIEW)
@blp.arguments(ScopeQuerySchema, location="query")
@blp.response(200, DepotLevelOutSchema(many=True))
def item_stock(args, sku):
    """One item across depots (under one depot's subtree, if `under` is given)."""
    under = depot_by_code(args["under"], "under", optional=True)
    item = item_by_sku(sku)
    return add_committed(balances.item_stock_by_depot(item, under=under), item=item)


@blp.route("/stock/province", methods=["GET"])
@requires(Action.VIEW)
@blp.arguments(ScopeQuerySchema, location="query")
@blp.response(200, TierLevelOutSchema(many=True))
def province_stock(args):
    """Province-wide stock on hand by item and tier (全省底数), with stock in transit."""
    under = depot_by_code(args["under"], "under", optional=True)
    return add_committed(balances.totals_by_item_and_tier(under=under), under=under)


def register(app):
    from ..extensions import api

    api.register_blueprint(blp)
