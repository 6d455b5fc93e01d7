"""Depot pages: the network tree, one depot with its children and locations, and the admin forms
to create, edit and deactivate depots. Thin: schemas read the forms, operations change the rows."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import Action, can, requires
from ..database import atomic
from ..errors import ReliefError
from ..fields import read_form
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
    values, errors = {"is_active": True, **request.args.to_dict()}, {}
    if request.method == "POST":
        values = request.form
        data, errors = read_form(DepotSchema(), request.form)
        if not errors:
            try:
                with atomic():
                    parent = queries.depot_by_code(data.pop("parent_code"), "parent_code", optional=True)
                    created = operations.create_depot(parent=parent, **data)
                flash(_("Depot %(code)s created.", code=created.code), "success")
                return redirect(url_for("network.depot", code=created.code))
            except ReliefError as error:
                errors = error.errors or {"_": [error.message]}
    return _form_page(None, values, errors)


@bp.route("/<code>/edit", methods=["GET", "POST"])
@requires(Action.MANAGE_NETWORK)
def edit_depot(code):
    """Edit a depot's names, place, contact, population and parent (administrators)."""
    depot = queries.depot_by_code(code)
    values, errors = DepotSchema().dump(depot), {}
    if request.method == "POST":
        values = request.form
        data, errors = read_form(DepotUpdateSchema(), request.form)
        if not errors:
            try:
                with atomic():
                    parent = queries.depot_by_code(data.pop("parent_code"), "parent_code", optional=True)
                    active = data.pop("is_active")
                    operations.update_depot(depot, parent=parent, user=current_user, **data)
                    if active != depot.is_active:
                        operations.set_depot_active(depot, active)
                flash(_("Depot %(code)s saved.", code=depot.code), "success")
                return redirect(url_for("network.depot", code=depot.code))
            except ReliefError as error:
                errors = error.errors or {"_": [error.message]}
    return _form_page(depot, values, errors)


def _form_page(depot, values, errors):
    return render_template(
        "network/depot_form.html",
        depot=depot,
        values=values,
        errors=errors,
        tiers=[(tier.value, tier.label) for tier in Tier],
    ), 422 if errors else 200


@bp.post("/<code>/active")
@requires(Action.MANAGE_NETWORK)
def set_active(code):
    """Deactivate or reactivate a depot (never deleted: its history must stay readable)."""
    depot = queries.depot_by_code(code)
    active = request.form.get("active") == "1"
    with atomic():
        operations.set_depot_active(depot, active)
    flash(
        _("Depot %(code)s reactivated.", code=code)
        if active
        else _("Depot %(code)s deactivated.", code=code),
        "success",
    )
    return redirect(url_for("network.depot", code=code))


@bp.post("/<code>/locations")
@requires(Action.VIEW)
def add_location(code):
    """Add a storage location (administrators, or the keeper of this depot)."""
    depot = queries.depot_by_code(code)
    operations.require_location_manager(current_user, depot)
    data, errors = read_form(LocationSchema(), request.form)
    if not errors:
        try:
            with atomic():
                location = operations.create_location(depot, data["code"], data["name"])
            flash(_("Location %(code)s added.", code=location.code), "success")
            return redirect(url_for("network.depot", code=code) + "#locations")
        except ReliefError as error:
            errors = error.errors or {"_": [error.message]}
    return _depot_page(depot, location_errors=errors, status=422)
