"""User API under /api/v1/users (administrators): list, read, create, and change role, scope,
language, active flag or password."""

from flask_login import current_user
from flask_smorest import Blueprint

from ..idempotency import idempotent
from . import operations, queries
from .permissions import Action, requires
from .schemas import UserSchema, UserUpdateSchema

blp = Blueprint(
    "api_users",
    __name__,
    url_prefix="/api/v1/users",
    description="Users, their roles and depot scopes (administrators only).",
)


@blp.route("/", methods=["GET"])
@requires(Action.MANAGE_USERS)
@blp.response(200, UserSchema(many=True))
def list_users():
    """Every user."""
    return queries.list_users()


@blp.route("/", methods=["POST"])
@requires(Action.MANAGE_USERS)
@idempotent
@blp.arguments(UserSchema)
@blp.response(201, UserSchema)
def create_user(data):
    """Create a user; keepers and dispatchers need `depot_code` (their scope). 409 on a taken name."""
    return operations.create_user_from(current_user, data)


@blp.route("/<int:user_id>", methods=["GET"])
@requires(Action.MANAGE_USERS)
@blp.response(200, UserSchema)
def get_user(user_id):
    """One user by id."""
    return queries.user_by_id(user_id)


@blp.route("/<int:user_id>", methods=["PATCH"])
@requires(Action.MANAGE_USERS)
@idempotent
@blp.arguments(UserUpdateSchema(partial=True))
@blp.response(200, UserSchema)
def update_user(data, user_id):
    """Change a user (a `password` here resets it)."""
    user = queries.user_by_id(user_id)
    return operations.update_user_from(current_user, user, data)


def register(app):
    from ..extensions import api

    api.register_blueprint(blp)
    # Document both ways in: a bearer token (scanners, scripts) or the browser's session cookie
    # (which must then send the X-CSRFToken header on unsafe methods).
    api.spec.components.security_scheme("bearerToken", {"type": "http", "scheme": "bearer"})
    api.spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie", "name": "session"})
    api.spec.options["security"] = [{"bearerToken": []}, {"session": []}]
