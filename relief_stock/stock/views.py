"""The keeper's batch pages: a batch with its actions and history, and the short form behind each
action (issue, move, quarantine, release, write off, adjust).

Pages only read (through `queries`) and hand posted forms to the stock operations, the one writer of
stock; `form_posts.run_form` runs each post once, in one transaction. Reading a batch is open to every
signed-in role; acting on it needs OPERATE_STOCK at the batch's depot (a keeper: his own depot).
"""

from datetime import date

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..auth.permissions import Action, can, require, requires
from ..database import local_today
from ..extensions import db
from ..form_posts import new_form_token, run_form, split_errors
from ..i18n import localized
from ..network.queries import locations_of
from . import lookups, operations, records, schemas
from .actions import batch_actions
from .kinds import BatchStatus
from .models import Batch, Receipt, Transfer
from .repeats import CONFIRM_FIELD, refuse_unconfirmed_repeat

bp = Blueprint("stock", __name__)

# Expiry colours on the batch page: red when expired or within URGENT, amber within SOON.
EXPIRY_URGENT_DAYS = 30
EXPIRY_SOON_DAYS = 90


def expiry_state(expiry_date: date | None, today: date | None = None) -> tuple[str, int | None]:
    """('none'|'expired'|'urgent'|'soon'|'ok', days left) for colouring an expiry date."""
    if expiry_date is None:
        return "none", None
    days = (expiry_date - (today or local_today())).days
    if days < 0:
        return "expired", days
    if days <= EXPIRY_URGENT_DAYS:
        return "urgent", days
    if days <= EXPIRY_SOON_DAYS:
        return "soon", days
    return "ok", days


class BatchAction:
    """One thing a keeper may do to a batch: its form, its fields and how it is done."""

    def __init__(self, name, label, schema, fields, perform, style=""):
        self.name, self.label, self.schema, self.fields = name, label, schema, fields
        self.perform, self.style = perform, style


def _done(batch, message):
    return url_for("stock.batch", code=batch.code), message


def _unit(batch):
    return localized(batch.item, "unit")


def _issue(batch, data):
    operations.issue(current_user, batch, data["quantity"], reason=data["reason"])
    return _done(batch, _("Issued %(quantity)s %(unit)s.", quantity=data["quantity"], unit=_unit(batch)))


def _move(batch, data):
    location = lookups.location_for_code(batch.depot, data["location"])
    moved = operations.move(current_user, batch, location, data["quantity"])
    if moved.id != batch.id:
        return _done(
            moved,
            _(
                "Split off as batch %(code)s at %(location)s. Print its label.",
                code=moved.code,
                location=location.code,
            ),
        )
    return _done(batch, _("Moved to %(location)s.", location=location.code))


def _adjust(batch, data):
    operations.adjust(current_user, batch, data["delta"], reason=data["reason"])
    return _done(batch, _("Quantity adjusted by %(delta)+d.", delta=data["delta"]))


def _write_off(batch, data):
    operations.write_off(current_user, batch, data["quantity"], reason=data["reason"])
    return _done(batch, _("Wrote off %(quantity)s %(unit)s.", quantity=data["quantity"], unit=_unit(batch)))


def _quarantine(batch, data):
    operations.quarantine(current_user, batch, reason=data["reason"])
    return _done(batch, _("Batch quarantined: it cannot be issued until released."))


def _release(batch, data):
    operations.release(current_user, batch, reason=data["reason"])
    return _done(batch, _("Batch released: it can be issued again."))


BATCH_ACTIONS = {
    action.name: action
    for action in (
        BatchAction("issue", _l("Issue"), schemas.IssueSchema, ("quantity", "reason"), _issue, "primary"),
        BatchAction("move", _l("Move"), schemas.MoveSchema, ("location", "quantity"), _move),
        BatchAction("quarantine", _l("Quarantine"), schemas.ReasonSchema, ("reason",), _quarantine, "warn"),
        BatchAction("release", _l("Release"), schemas.ReasonSchema, ("reason",), _release, "ok"),
        BatchAction(
            "write_off", _l("Write off"), schemas.WriteOffSchema, ("quantity", "reason"), _write_off, "bad"
        ),
        BatchAction("adjust", _l("Adjust"), schemas.AdjustSchema, ("delta", "reason"), _adjust),
    )
}


def actions_for(user, batch) -> list[BatchAction]:
    """The batch actions this user may take now, in page order. Which ones apply is decided by
    `stock.actions` (the same list the scan API answers), so page and API never disagree."""
    allowed = set(batch_actions(batch, user))
    return [action for name, action in BATCH_ACTIONS.items() if name in allowed]


def document_link(movement) -> tuple[str, str] | None:
    """(label, url) of the paper a ledger row belongs to, when it has a page."""
    kind, doc_id = movement.document_type, movement.document_id
    if kind == "receipt":
        receipt = db.session.get(Receipt, doc_id)
        return (receipt.number, url_for("stock.receipt", receipt_id=doc_id)) if receipt else None
    if kind == "stocktake" and can(current_user, Action.OPERATE_STOCK, movement.batch.depot):
        return _("Count %(id)d", id=doc_id), url_for("stock.stocktake", stocktake_id=doc_id)
    if kind == "transfer":
        transfer = db.session.get(Transfer, doc_id)
        return (transfer.number, url_for("dispatch.transfer", number=transfer.number)) if transfer else None
    if kind == "batch" and doc_id != movement.batch_id:
        other = db.session.get(Batch, doc_id)
        return (other.code, url_for("stock.batch", code=other.code)) if other else None
    return None


def prefill(action: BatchAction, batch) -> dict:
    """Sensible starting values: writing off an expired batch usually means all of it."""
    if action.name == "write_off" and batch.status is BatchStatus.EXPIRED:
        return {"quantity": batch.quantity}
    return {}


@bp.get("/batches/<code>")
@requires(Action.VIEW)
def batch(code):
    """A batch: what, how much, its expiry, where, from whom; the actions the user may take; its ledger."""
    found = lookups.batch_by_code(code)
    return render_template(
        "stock/batch.html",
        batch=found,
        expiry=expiry_state(found.expiry_date),
        actions=actions_for(current_user, found),
        history=records.batch_history(found),
        may_print=can(current_user, Action.OPERATE_STOCK, found.depot),
        document_link=document_link,
    )


@bp.route("/batches/<code>/<action>", methods=["GET", "POST"])
@requires(Action.OPERATE_STOCK)
def batch_action(code, action):
    """The short form behind one batch action, prefilled for this batch."""
    chosen = BATCH_ACTIONS.get(action)
    if chosen is None:
        abort(404)
    found = lookups.batch_by_code(code)
    require(current_user, Action.OPERATE_STOCK, found.depot)

    def render(errors=None, status=200):
        field_errors, general = split_errors(errors, chosen.fields)
        values = request.form if request.method == "POST" else prefill(chosen, found)
        return render_template(
            "stock/batch_action.html",
            batch=found,
            action=chosen,
            errors=field_errors,
            general=general,
            values=values,
            needs_confirm=CONFIRM_FIELD in (errors or {}),
            expiry=expiry_state(found.expiry_date),
            form_token=new_form_token(),
            locations=locations_of(found.depot, active_only=True) if action == "move" else (),
        ), status

    if request.method == "GET":
        return render()

    def perform(data):
        if not (action == "move" and data.get("quantity") is None):  # a whole move cannot repeat
            refuse_unconfirmed_repeat(current_user, action, request.form, batch=found)
        return chosen.perform(found, data)

    return run_form(chosen.schema(), perform, render)


def register(app):
    """Register the stock pages (views*.py), their navigation entry and the dashboard panel."""
    from ..dashboard.panels import register_panel
    from ..web import add_nav
    from . import views_count, views_onhand, views_receive  # noqa: F401  (their routes join `bp`)

    app.register_blueprint(bp)
    add_nav("stock.overview", _l("Stock"), Action.VIEW, order=10)
    register_panel("stock", "stock/panel.html", views_onhand.panel_context)
