"""GET /api/v1/scan/<code>: what a scanned code (or label URL) is, its state, and your actions."""

from flask import request
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import text

from ..auth.permissions import Action, requires
from ..database import atomic
from ..extensions import db
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
    with atomic():  # the scan is logged
        relaxed_commit()
        found = resolve.resolve(code, current_user)
        return found


def relaxed_commit():
    """PostgreSQL: this unit of work writes only the scan log (and the token's last use), so it need
    not wait for the WAL to reach the disk: a crash could lose the last few log rows, never stock."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))


def register(app):
    from ..extensions import api

    api.register_blueprint(blp)
