"""User administration pages (administrators): list, create, edit role, scope, language and active
flag, and reset a password. Registered on the auth blueprint."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..database import atomic
from ..errors import ReliefError
from ..fields import read_form
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
    values, errors = {"is_active": True}, {}
    if request.method == "POST":
        values = request.form
        data, errors = read_form(UserSchema(), request.form)
        if not errors:
            try:
                with atomic():
                    user = operations.create_user_from(data, actor=current_user)
                    name = user.username
                flash(_("User %(name)s created.", name=name), "success")
                return redirect(url_for("auth.users"))
            except ReliefError as error:
                errors = error.errors or {"_": [error.message]}
    return _form_page(None, values, errors)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@requires(Action.MANAGE_USERS)
def edit_user(user_id):
    """Change a user's name, role, scope, language, phone or active flag."""
    user = queries.user_by_id(user_id)
    values, errors = UserSchema().dump(user), {}
    if request.method == "POST":
        values = request.form
        data, errors = read_form(UserUpdateSchema(exclude=("password",)), request.form)
        if not errors:
            try:
                with atomic():
                    operations.update_user_from(user, data, actor=current_user)
                flash(_("User %(name)s saved.", name=user.username), "success")
                return redirect(url_for("auth.users"))
            except ReliefError as error:
                errors = error.errors or {"_": [error.message]}
    return _form_page(user, values, errors)


def _form_page(user, values, errors, status=None):
    return render_template(
        "auth/user_form.html",
        user=user,
        values=values,
        errors=errors,
        roles=[(role.value, role.label) for role in Role],
    ), status or (422 if errors else 200)


@bp.post("/users/<int:user_id>/password")
@requires(Action.MANAGE_USERS)
def reset_password(user_id):
    """Set a new password for a user who forgot his (tell it to him in person)."""
    user = queries.user_by_id(user_id)
    data, errors = read_form(PasswordResetSchema(), request.form)
    if not errors:
        try:
            with atomic():
                operations.update_user(user, password=data["new_password"])
            flash(_("Password of %(name)s reset.", name=user.username), "success")
            return redirect(url_for("auth.edit_user", user_id=user.id))
        except ReliefError as error:
            errors = {"new_password": [error.message]}
    return _form_page(user, UserSchema().dump(user), errors, status=422)
