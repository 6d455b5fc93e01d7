"""Alerts and reserve norms API under /api/v1/alerts and /api/v1/norms (flask-smorest)."""

from flask_login import current_user
from flask_smorest import Blueprint

from ..auth.permissions import Action, requires
from ..catalogue.queries import item_by_sku
from ..errors import Conflict
from ..extensions import api, db
from ..idempotency import idempotent
from ..network.queries import depot_by_code
from . import operations, queries
from .lookups import alert_by_id
from .models import Alert
from .schemas import (
    AcknowledgeSchema,
    AlertFilterSchema,
    AlertOutSchema,
    EffectiveNormSchema,
    NormQuerySchema,
    NormSchema,
)

blp = Blueprint(
    "api_alerts",
    __name__,
    url_prefix="/api/v1",
    description="Expiry and shortfall alerts, and reserve norms (储备定额).",
)
PAGE_SIZE = 500


@blp.route("/alerts", methods=["GET"])
@requires(Action.VIEW)
@blp.arguments(AlertFilterSchema, location="query")
@blp.response(200, AlertOutSchema(many=True))
def list_alerts(filters):
    """Alerts in your scope; filter by severity, kind, state (active, all, open, ...) and depot subtree."""
    from .views import states_for

    query = queries.scoped_alerts(
        current_user,
        states=states_for(filters["state"]),
        severity=filters["severity"],
        kind=filters["kind"],
        subtree=depot_by_code(filters["depot"], "depot", optional=True),
    )
    return db.session.scalars(
        query.order_by(Alert.id).limit(PAGE_SIZE).offset((filters["page"] - 1) * PAGE_SIZE)
    ).all()


@blp.route("/alerts/<int:alert_id>/acknowledge", methods=["POST"])
@requires(Action.MANAGE_ALERTS)
@idempotent
@blp.arguments(AcknowledgeSchema)
@blp.response(200, AlertOutSchema)
def acknowledge_alert(data, alert_id):
    """Acknowledge an alert with a note; it still resolves by itself when the condition clears."""
    return operations.acknowledge(current_user, alert_by_id(alert_id), data["note"])


@blp.route("/alerts/run", methods=["POST"])
@requires(Action.RUN_JOBS)
@blp.response(200)
def run_checks_now():
    """Run every check now (administrators); 409 while another process runs them."""
    from .jobs import run_alerts

    # The lease is taken on a connection of its own: end this request's transaction first (a token's
    # last-used stamp), so that it holds no SQLite write lock the lease would wait for.
    db.session.commit()
    summary = run_alerts()
    if summary is None:
        raise Conflict("The checks are running in another process.")
    return {
        "check_date": summary.check_date.isoformat(),
        "expired_batches": summary.expired_batches,
        "created": summary.created,
        "updated": summary.updated,
        "resolved": summary.resolved,
    }


@blp.route("/norms", methods=["GET"])
@requires(Action.VIEW)
@blp.arguments(NormQuerySchema, location="query")
@blp.response(200, EffectiveNormSchema(many=True))
def list_norms(filters):
    """Effective norms (depot override > tier > population-derived), optionally of one depot or item."""
    depot = depot_by_code(filters["depot"], "depot", optional=True)
    item = item_by_sku(filters["sku"], "sku", optional=True)
    items = queries.items_by_id()
    codes = dict(db.session.execute(db.select(queries.Depot.id, queries.Depot.code)).all())
    rows = queries.effective_norm_rows([depot.id] if depot else None, [item.id] if item else None)
    return [{"depot": codes[d], "sku": items[i].sku, "quantity": q, "source": s} for d, i, q, s in rows]


@blp.route("/norms", methods=["PUT"])
@requires(Action.MANAGE_ALERTS)
@idempotent
@blp.arguments(NormSchema)
@blp.response(204)
def put_norm(data):
    """Set (quantity) or clear (quantity null) a depot's norm, or a tier's norm (administrators)."""
    operations.set_norm_from(current_user, data)


def register(app):
    api.register_blueprint(blp)
