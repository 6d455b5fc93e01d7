"""Depot pages: the network tree, one depot with its children and locations, and the admin forms
to create, edit and deactivate depots. Thin: schemas read the forms, operations change the rows,
and every post runs through `form_posts` (one commit, a one-time token, a redirect)."""

from flask import Blueprint, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import Action, can, requires
from ..errors import ReliefError
from ..form_posts import run_form, submit
from . import operations, queries
from .models import Tier
from .schemas import DepotSchema, DepotUpdateSchema, LocationSchema

bp = Blueprint("network", __name__, url_prefix="/depots")


@bp.get("/")
@requires(Action.VIEW)
def tree():
    """The province -> city -> county tree; the user's own depot is opened and marked."""
    roots = queries.depot_tree()
    own_path = current_user.depot.path if current_user.depot else None
    return render_template(
        "network/tree.html",
        roots=roots,
        own_path=own_path,
        depot_count=sum(root.size for root in roots),
        can_manage=can(current_user, Action.MANAGE_NETWORK),
    )


@bp.get("/<code>")
@requires(Action.VIEW)
def depot(code):
    """One depot: its details, the depots under it and its storage locations."""
    return _depot_page(queries.depot_by_code(code))


def _depot_page(depot, *, location_errors=None, status=200):
    return render_template(
        "network/depot.html",
        depot=depot,
        locations=queries.locations_of(depot),
        location_errors=location_errors or {},
        may_manage_network=can(current_user, Action.MANAGE_NETWORK),
        may_add_location=_may_add_location(depot),
        may_print=can(current_user, Action.OPERATE_STOCK, depot),
    ), status


def _may_add_location(depot) -> bool:
    try:
        operations.require_location_manager(current_user, depot)
    except ReliefError:
        return False
    return True


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.MANAGE_NETWORK)
def create_depot():
    """Add a depot to the network (administrators)."""

    def render(errors=None, status=200):
        values = request.form if request.method == "POST" else {"is_active": True, **request.args.to_dict()}
        return _form_page(None, values, errors, status)

    def perform(data):
        parent = queries.depot_by_code(data.pop("parent_code"), "parent_code", optional=True)
        created = operations.create_depot(current_user, parent=parent, **data)
        return url_for("network.depot", code=created.code), _("Depot %(code)s created.", code=created.code)

    return render() if request.method == "GET" else run_form(DepotSchema(), perform, render)


@bp.route("/<code>/edit", methods=["GET", "POST"])
@requires(Action.MANAGE_NETWORK)
def edit_depot(code):
    """Edit a depot's names, place, contact, population and parent (administrators)."""
    depot = queries.depot_by_code(code)

    def render(errors=None, status=200):
        values = request.form if request.method == "POST" else DepotSchema().dump(depot)
        return _form_page(depot, values, errors, status)

    def perform(data):
        parent = queries.depot_by_code(data.pop("parent_code"), "parent_code", optional=True)
        active = data.pop("is_active")
        operations.update_depot(current_user, depot, parent=parent, **data)
        if active != depot.is_active:
            operations.set_depot_active(current_user, depot, active)
        return url_for("network.depot", code=depot.code), _("Depot %(code)s saved.", code=depot.code)

    return render() if request.method == "GET" else run_form(DepotUpdateSchema(), perform, render)


def _form_page(depot, values, errors, status):
    return render_template(
        "network/depot_form.html",
        depot=depot,
        values=values,
        errors=errors or {},
        tiers=[(tier.value, tier.label) for tier in Tier],
    ), status


@bp.post("/<code>/active")
@requires(Action.MANAGE_NETWORK)
def set_active(code):
    """Deactivate or reactivate a depot (never deleted: its history must stay readable)."""
    depot = queries.depot_by_code(code)
    active = request.form.get("active") == "1"

    def work():
        operations.set_depot_active(current_user, depot, active)
        done = (
            _("Depot %(code)s reactivated.", code=code)
            if active
            else _("Depot %(code)s deactivated.", code=code)
        )
        return url_for("network.depot", code=code), done

    return submit(work, lambda errors, status: _refused(depot, errors, status))


def _refused(depot, errors, status):
    """A refused depot action: the depot page again, the reason at the top."""
    for messages in errors.values():
        for message in messages:
            flash(str(message), "error")
    return _depot_page(depot, status=status)


@bp.post("/<code>/locations")
@requires(Action.VIEW)
@operations.depot_for_locations
def add_location(depot):
    """Add a storage location (administrators, or the keeper of this depot)."""

    def perform(data):
        location = operations.create_location(current_user, depot, data["code"], data["name"])
        return url_for("network.depot", code=depot.code) + "#locations", _(
            "Location %(code)s added.", code=location.code
        )

    return run_form(
        LocationSchema(),
        perform,
        lambda errors, status: _depot_page(depot, location_errors=errors, status=status),
    )
