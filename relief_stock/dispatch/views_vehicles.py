"""Vehicle types page (admins): the trucks the planner may send, their capacities and costs.

Stored types replace `DISPATCH_VEHICLES` for every plan made afterwards; plans already made keep
their figures. Reads and writes are in vehicle_types.py; each POST runs through `form_posts`.
"""

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import Action, requires
from ..errors import NotFound
from ..extensions import db
from ..form_posts import run_form, submit
from . import vehicle_types
from .models import VehicleType
from .schemas import VehicleTypeSchema
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

    def perform(data):
        vehicle_id = data.pop("vehicle_id", None)
        existing = _vehicle(vehicle_id) if vehicle_id else None
        vehicle_types.save(current_user, vehicle_type=existing, **data)
        return url_for("dispatch.vehicles_page"), _("Vehicle type saved.")

    return run_form(VehicleTypeSchema(), perform)


@bp.post("/vehicles/<int:vehicle_id>/delete")
@requires(Action.MANAGE_NETWORK)
def delete_vehicle(vehicle_id):
    """Remove a vehicle type."""
    vehicle = _vehicle(vehicle_id)

    def work():
        vehicle_types.delete(current_user, vehicle)
        return url_for("dispatch.vehicles_page"), _("Vehicle type removed.")

    return submit(work)


def _vehicle(vehicle_id) -> VehicleType:
    vehicle = db.session.get(VehicleType, vehicle_id)
    if vehicle is None:
        raise NotFound(_("No such vehicle type."))
    return vehicle
