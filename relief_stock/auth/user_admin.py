"""User administration pages (administrators): list, create, edit role, scope, language and active
flag, and reset a password. Registered on the auth blueprint; every post runs through `form_posts`."""

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..form_posts import FORM_ERRORS, run_form
from . import operations, queries
from .models import Role
from .permissions import Action, requires
from .schemas import PasswordResetSchema, UserSchema, UserUpdateSchema
from .views import bp


@bp.get("/users")
@requires(Action.MANAGE_USERS)
def users():
    """Every user with role, scope, language, last sign-in and active flag."""
    return render_template("auth/users.html", users=queries.list_users())


@bp.route("/users/new", methods=["GET", "POST"])
@requires(Action.MANAGE_USERS)
def create_user():
    """Add a user; keepers and dispatchers need a depot as scope."""

    def render(errors=None, status=200):
        return _form_page(
            None, request.form if request.method == "POST" else {"is_active": True}, errors, status
        )

    def perform(data):
        user = operations.create_user_from(current_user, data)
        return url_for("auth.users"), _("User %(name)s created.", name=user.username)

    return render() if request.method == "GET" else run_form(UserSchema(), perform, render)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@requires(Action.MANAGE_USERS)
def edit_user(user_id):
    """Change a user's name, role, scope, language, phone or active flag."""
    user = queries.user_by_id(user_id)

    def render(errors=None, status=200):
        return _form_page(
            user, request.form if request.method == "POST" else UserSchema().dump(user), errors, status
        )

    def perform(data):
        operations.update_user_from(current_user, user, data)
        return url_for("auth.users"), _("User %(name)s saved.", name=user.username)

    if request.method == "GET":
        return render()
    return run_form(UserUpdateSchema(exclude=("password",)), perform, render)


def _form_page(user, values, errors, status):
    return render_template(
        "auth/user_form.html",
        user=user,
        values=values,
        errors=errors or {},
        roles=[(role.value, role.label) for role in Role],
    ), status


@bp.post("/users/<int:user_id>/password")
@requires(Action.MANAGE_USERS)
def reset_password(user_id):
    """Set a new password for a user who forgot his (tell it to him in person)."""
    user = queries.user_by_id(user_id)

    def render(errors, status):
        if FORM_ERRORS not in errors:  # the password's own message, beside the password box
            errors = {"new_password": [m for messages in errors.values() for m in messages]}
        return _form_page(user, UserSchema().dump(user), errors, status)

    def perform(data):
        operations.update_user(current_user, user, password=data["new_password"])
        return url_for("auth.edit_user", user_id=user.id), _(
            "Password of %(name)s reset.", name=user.username
        )

    return run_form(PasswordResetSchema(), perform, render)
