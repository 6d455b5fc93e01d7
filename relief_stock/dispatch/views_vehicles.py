"""Vehicle types page (admins): the trucks the planner may send, their capacities and costs.

Stored types replace `DISPATCH_VEHICLES` for every plan made afterwards; plans already made keep
their figures. Reads and writes are in vehicle_types.py; each POST is one `atomic()` unit of work.
"""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import Action, requires
from ..database import atomic
from ..errors import NotFound
from ..extensions import db
from . import vehicle_types
from .models import VehicleType
from .schemas import VehicleTypeSchema, load_form
from .trucks import vehicles
from .views import bp


@bp.get("/vehicles")
@requires(Action.MANAGE_NETWORK)
def vehicles_page():
    """The stored vehicle types (or the configured defaults in use) and the form to add one."""
    return render_template(
        "dispatch/vehicles.html", stored=vehicle_types.stored(), defaults=vehicles(current_app.config)
    )


@bp.post("/vehicles")
@requires(Action.MANAGE_NETWORK)
def save_vehicle():
    """Add a vehicle type, or change the one named by `vehicle_id`."""
    data = load_form(VehicleTypeSchema(), request.form)
    vehicle_id = data.pop("vehicle_id", None)
    existing = _vehicle(vehicle_id) if vehicle_id else None
    with atomic():
        vehicle_types.save(current_user, vehicle_type=existing, **data)
    flash(_("Vehicle type saved."), "success")
    return redirect(url_for("dispatch.vehicles_page"))


@bp.post("/vehicles/<int:vehicle_id>/delete")
@requires(Action.MANAGE_NETWORK)
def delete_vehicle(vehicle_id):
    """Remove a vehicle type."""
    vehicle = _vehicle(vehicle_id)
    with atomic():
        vehicle_types.delete(current_user, vehicle)
    flash(_("Vehicle type removed."), "success")
    return redirect(url_for("dispatch.vehicles_page"))


def _vehicle(vehicle_id) -> VehicleType:
    vehicle = db.session.get(VehicleType, vehicle_id)
    if vehicle is None:
        raise NotFound(_("No such vehicle type."))
    return vehicle
