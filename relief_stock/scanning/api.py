"""GET /api/v1/scan/<code>: what a scanned code (or label URL) is, its state, and your actions."""

from flask import request
from flask_login import current_user
from flask_smorest import Blueprint

from ..auth.permissions import Action, requires
from ..stock.schemas import ScanOutSchema
from . import resolve

blp = Blueprint("api_scanning", __name__, url_prefix="/api/v1", description="Resolve scanned codes.")


@blp.route("/scan/<path:code>", methods=["GET"])
@requires(Action.VIEW)
@blp.response(200, ScanOutSchema)
def scan(code):
    """Resolve a batch, location, transfer or receipt code, or a full label URL (URL-encoded).
    404 for a code nobody issued, 422 for a mistyped one (the check character does not match)."""
    if request.query_string:  # a label URL passed unencoded may carry its own query string
        code = f"{code}?{request.query_string.decode()}"
    # No unit of work: a scan only reads, and its log row is written in the background (log.py).
    return resolve.resolve(code, current_user)


def register(app):
    from ..extensions import api

    api.register_blueprint(blp)
