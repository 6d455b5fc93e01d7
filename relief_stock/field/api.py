"""The field app's API under /api/v1: the depot data it keeps on the phone. What it replays goes to
the stock and dispatch APIs as they are (receipts, issues, moves, counts; picking and receiving
orders), `@idempotent` like every API write.
"""

from flask_login import current_user
from flask_smorest import Blueprint

from ..auth.permissions import Action, require, requires
from ..network.queries import depot_by_code
from .snapshot import depot_snapshot

blp = Blueprint("api_field", __name__, url_prefix="/api/v1", description="The keeper's field app.")


@blp.route("/field/depots/<code>", methods=["GET"])
@requires(Action.OPERATE_STOCK)
@blp.response(200)
def snapshot(code):
    """The depot's batches, items, locations, open orders and counts, with the time they were read."""
    depot = depot_by_code(code)
    require(current_user, Action.OPERATE_STOCK, depot)
    return depot_snapshot(depot)


def register(app):
    from ..extensions import api

    api.register_blueprint(blp)
