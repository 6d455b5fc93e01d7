"""Depot and location API under /api/v1/depots (flask-smorest: validated, documented in OpenAPI).

Depots are addressed by their code, as on the pages and on printed labels.
"""

from flask_login import current_user
from flask_smorest import Blueprint

from ..auth.permissions import Action, requires
from ..idempotency import idempotent
from . import operations, queries
from .schemas import DepotQuerySchema, DepotSchema, DepotUpdateSchema, LocationSchema

blp = Blueprint(
    "api_depots",
    __name__,
    url_prefix="/api/v1/depots",
    description="The depot network (province -> city -> county) and storage locations.",
)


@blp.route("/", methods=["GET"])
@requires(Action.VIEW)
@blp.arguments(DepotQuerySchema, location="query")
@blp.response(200, DepotSchema(many=True))
def list_depots(filters):
    """List depots in tree order, filtered by tier, parent, subtree (`under`), active flag or text."""
    return queries.list_depots(**filters)


@blp.route("/", methods=["POST"])
@requires(Action.MANAGE_NETWORK)
@idempotent
@blp.arguments(DepotSchema)
@blp.response(201, DepotSchema)
def create_depot(data):
    """Create a depot (administrators)."""
    parent = queries.depot_by_code(data.pop("parent_code"), "parent_code", optional=True)
    return operations.create_depot(current_user, parent=parent, **data)


@blp.route("/<code>", methods=["GET"])
@requires(Action.VIEW)
@blp.response(200, DepotSchema)
def get_depot(code):
    """One depot by code."""
    return queries.depot_by_code(code)


@blp.route("/<code>", methods=["PATCH"])
@requires(Action.MANAGE_NETWORK)
@idempotent
@blp.arguments(DepotUpdateSchema(partial=True))
@blp.response(200, DepotSchema)
def update_depot(data, code):
    """Change a depot's details, parent or active flag (administrators). Code and tier are fixed."""
    depot = queries.depot_by_code(code)
    active = data.pop("is_active", None)
    if "parent_code" in data:
        data["parent"] = queries.depot_by_code(data.pop("parent_code"), "parent_code", optional=True)
    operations.update_depot(current_user, depot, **data)
    if active is not None and active != depot.is_active:
        operations.set_depot_active(current_user, depot, active)
    return depot


@blp.route("/<code>/locations", methods=["GET"])
@requires(Action.VIEW)
@blp.response(200, LocationSchema(many=True))
def list_locations(code):
    """The storage locations of a depot."""
    return queries.locations_of(queries.depot_by_code(code))


@blp.route("/<code>/locations", methods=["POST"])
@requires(Action.VIEW)
@idempotent
@operations.depot_for_locations
@blp.arguments(LocationSchema)
@blp.response(201, LocationSchema)
def create_location(data, depot):
    """Add a storage location (administrators, or a keeper for a depot in his scope)."""
    return operations.create_location(current_user, depot, data["code"], data["name"])
