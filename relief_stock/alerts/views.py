"""Alert pages: the filterable list with acknowledge, the run button, and reserve norms.

Views only parse input (schemas), call operations and render; every post runs through `form_posts`
(one commit, a one-time token, a redirect). Scope is enforced by the queries (what a user sees) and
by the operations (what a user may change).
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy import case, select

from ..auth.permissions import Action, can, loads, require, requires
from ..catalogue.queries import item_by_sku
from ..errors import BadInput, Conflict
from ..extensions import db
from ..form_posts import run_form, submit
from ..network.models import Depot, Tier
from ..network.queries import depot_by_code
from . import operations, queries
from .imports import import_norms
from .lookups import alert_by_id
from .models import Alert, AlertKind, AlertState, PerCapitaStandard, ReserveNorm, Severity
from .schemas import AcknowledgeSchema, AlertFilterSchema, NormFormSchema, StandardSchema

bp = Blueprint("alerts", __name__, url_prefix="/alerts")
PAGE_SIZE = 100


def load(schema, data) -> dict:
    """Validate form input; a bad field becomes a 422 naming it (flashed back to the form)."""
    present = {key: value for key, value in data.items() if value.strip() != ""}  # empty = not given
    try:
        return schema.load(present, unknown="exclude")
    except ValidationError as error:
        field, messages = next(iter(error.messages.items()))
        raise BadInput(f"{field}: {' '.join(map(str, messages))}", errors=error.messages) from error


def states_for(value: str):
    if value == "all":
        return None
    return queries.ACTIVE if value == "active" else (AlertState(value),)


@bp.get("/")
@requires(Action.VIEW)
def index():
    """Alerts in the user's scope, filterable by severity, kind, depot subtree and state."""
    filters = load(AlertFilterSchema(), request.args)
    subtree = depot_by_code(filters["depot"], "depot", optional=True)
    query = queries.scoped_alerts(
        current_user,
        states=states_for(filters["state"]),
        severity=filters["severity"],
        kind=filters["kind"],
        subtree=subtree,
    )
    order = case({"critical": 0, "warning": 1, "info": 2}, value=Alert.severity)
    alerts = db.session.scalars(
        query.order_by(order, Alert.expiry_date, Alert.id)
        .limit(PAGE_SIZE + 1)
        .offset((filters["page"] - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "alerts/index.html",
        alerts=alerts[:PAGE_SIZE],
        has_more=len(alerts) > PAGE_SIZE,
        filters=filters,
        severities=list(Severity),
        kinds=list(AlertKind),
        states=list(AlertState),
        run=queries.latest_run(),
        can_run=can(current_user, Action.RUN_JOBS),
        can_ack=lambda alert: can(current_user, Action.MANAGE_ALERTS, alert.depot),
    )


@bp.post("/<int:alert_id>/acknowledge")
@requires(Action.MANAGE_ALERTS)
@loads(
    "alert_id",
    alert_by_id,
    lambda user, alert: require(user, Action.MANAGE_ALERTS, alert.depot),
    into="alert",
)
def acknowledge(alert):
    """Acknowledge an alert with a note (the depot must be in the user's scope)."""

    def perform(data):
        operations.acknowledge(current_user, alert, data["note"])
        return request.referrer or url_for("alerts.index"), _("Alert acknowledged.")

    return run_form(AcknowledgeSchema(), perform)


@bp.post("/run")
@requires(Action.RUN_JOBS)
def run_now():
    """Run every check now (administrators), under the scheduler's lease."""
    from .jobs import run_alerts

    # The lease is taken on a connection of its own: end this request's transaction first (a token's
    # last-used stamp), so that it holds no SQLite write lock the lease would wait for.
    db.session.commit()
    summary = run_alerts()
    if summary is None:
        raise Conflict(_("The checks are running in another process; try again in a moment."))
    flash(
        _(
            "Checks done: %(expired)d batches expired, %(created)d alerts opened, %(resolved)d resolved.",
            expired=summary.expired_batches,
            created=summary.created,
            resolved=summary.resolved,
        ),
        "success",
    )
    return redirect(url_for("alerts.index"))


@bp.get("/norms")
@requires(Action.VIEW)
def norms():
    """Effective norms of one depot (yours by default), tier norms and per-capita standards."""
    depot = depot_by_code(request.args.get("depot"), "depot", optional=True) or current_user.depot
    if depot is None:
        depot = db.session.scalar(select(Depot).where(Depot.parent_id.is_(None)).order_by(Depot.code))
    rows = queries.effective_norm_rows([depot.id]) if depot else []
    return render_template(
        "alerts/norms.html",
        depot=depot,
        rows=rows,
        items=queries.items_by_id(),
        tier_norms=db.session.scalars(
            db.select(ReserveNorm)
            .where(ReserveNorm.tier.is_not(None))
            .order_by(ReserveNorm.tier, ReserveNorm.item_id)
        ).all(),
        standards=db.session.scalars(
            db.select(PerCapitaStandard).order_by(PerCapitaStandard.tier, PerCapitaStandard.item_id)
        ).all(),
        tiers=list(Tier),
        can_edit=depot is not None and can(current_user, Action.MANAGE_ALERTS, depot),
        can_edit_tiers=can(current_user, Action.MANAGE_NETWORK),
    )


@bp.post("/norms")
@requires(Action.MANAGE_ALERTS)
def set_norm():
    """Set or clear a depot's own norm (or, for administrators, a tier's norm)."""

    def perform(data):
        operations.set_norm_from(current_user, data)
        return request.referrer or url_for("alerts.norms", depot=data["depot"]), _("Norm saved.")

    return run_form(NormFormSchema(), perform)


@bp.post("/standards")
@requires(Action.MANAGE_NETWORK)
def set_standard():
    """Set or clear a per-capita standard (units per N residents, per tier)."""

    def perform(data):
        operations.set_standard(
            current_user,
            item_by_sku(data["sku"], "sku"),
            Tier(data["tier"]),
            data["quantity"],
            per_residents=data["per_residents"],
            source=data["source"],
        )
        return url_for("alerts.norms"), _("Standard saved.")

    return run_form(StandardSchema(), perform)


@bp.post("/norms/import")
@requires(Action.MANAGE_ALERTS)
def import_xlsx():
    """Import norms from an XLSX sheet: all rows or none; bad rows are listed by number."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise BadInput(_("Choose an .xlsx file to import."), field="file")

    def work():
        count = import_norms(current_user, upload.read())
        return url_for("alerts.norms"), _("%(count)d norms imported.", count=count)

    return submit(work)
