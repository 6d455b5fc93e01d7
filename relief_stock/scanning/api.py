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
    try:
        with atomic():  # the scan is logged
            relaxed_commit()
            found = resolve.resolve(code, current_user)
            return found
    finally:
        strict_commits()


def relaxed_commit():
    """This unit of work writes only the scan log (and the token's last use), so it need not wait
    for the log to reach the disk: a crash could lose the last few log rows, never stock.
    PostgreSQL: synchronous_commit off for this transaction. SQLite (WAL): synchronous NORMAL for
    this connection, set back to FULL by `strict_commits` before it serves anything else; the
    commit then costs no fsync, and the database stays consistent whatever happens."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    elif dialect == "sqlite":
        db.session.connection().exec_driver_sql("PRAGMA synchronous=NORMAL")


def strict_commits():
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.connection().exec_driver_sql("PRAGMA synchronous=FULL")


def register(app):
    from ..extensions import api

    api.register_blueprint(blp)
