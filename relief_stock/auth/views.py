"""Sign-in pages and "my account": language, password and API tokens of the signed-in user.

User administration (admins) is in auth/user_admin.py, on the same blueprint. Every post of the
account page runs through `form_posts` (one commit, a one-time token, a redirect); signing in and out
are not form writes: they commit the sign-in stamp or the end of the sessions themselves.
"""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..database import atomic
from ..fields import read_form
from ..form_posts import perform_once, run_form, submit
from ..security import safe_next
from . import operations, queries, throttle
from .permissions import Action, authenticated_by_token, public, requires
from .schemas import LanguageSchema, PasswordChangeSchema, TokenSchema

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Sign in with username and password; a wrong pair gets one message that reveals neither."""
    error = None
    if request.method == "POST":
        username = (request.form.get("username") or "").strip()
        throttle.before_sign_in(username)
        user = operations.authenticate(username, request.form.get("password", ""))
        if user is None:
            throttle.failed_sign_in(username)
            error = _("Wrong username or password.")
        else:
            with atomic():
                operations.record_login(user)
            login_user(user, remember=bool(request.form.get("remember")))
            return redirect(safe_next(request.args.get("next")) or url_for("web.index"))
    return render_template("auth/login.html", error=error), 401 if error else 200


@bp.post("/logout")
@public
def logout():
    """Sign out (a POST, so that a link on another site cannot sign a keeper out) everywhere: a
    session or remember cookie copied before stops working too."""
    if current_user.is_authenticated and not authenticated_by_token():
        with atomic():
            operations.end_sessions(current_user)
    logout_user()
    return redirect(url_for("auth.login"))


@bp.get("/account")
@requires(Action.VIEW)
def account():
    """The signed-in user's own settings: language, password, API tokens."""
    return _account_page()


def _account_page(*, errors=None, new_token=None, status=200):
    return render_template(
        "auth/account.html", tokens=queries.tokens_of(current_user), errors=errors or {}, new_token=new_token
    ), status


@bp.post("/account/language")
@requires(Action.VIEW)
def set_locale():
    """Save the interface language (empty: follow the browser)."""

    def perform(data):
        operations.update_user(current_user, current_user, locale=data["locale"])
        return url_for("auth.account"), _("Language saved.")

    return run_form(LanguageSchema(), perform, _refused)


def _refused(errors, status):
    return _account_page(errors=errors, status=status)


@bp.post("/account/password")
@requires(Action.VIEW)
def change_password():
    """Change one's own password (the current one is asked for)."""

    def perform(data):
        operations.change_own_password(current_user, data["current_password"], data["new_password"])
        # Every other session ended with the old password; this one goes on under the new one.
        login_user(current_user._get_current_object())
        return url_for("auth.account"), _("Password changed.")

    return run_form(PasswordChangeSchema(), perform, lambda errors, status: _refused(errors, 422))


@bp.post("/account/tokens")
@requires(Action.VIEW)
def create_token():
    """Issue an API token for a scanner or script; the page shows it this once."""
    data, errors = read_form(TokenSchema(), request.form)
    if errors:
        return _refused(errors, 422)

    def work():  # the secret rides where a message would: it is shown on this answer, never kept
        token, secret = operations.issue_token(current_user, data["name"])
        return url_for("auth.account"), {"name": token.name, "secret": secret}

    url, new_token = perform_once(work)
    if new_token is None:  # a double tap: one token was issued, and its secret shown once
        return redirect(url, code=303)
    return _account_page(new_token=new_token, status=201)


@bp.post("/account/tokens/<int:token_id>/revoke")
@requires(Action.VIEW)
def revoke_token(token_id):
    """Revoke one of one's own tokens; it stops working at once."""

    def work():
        token = operations.revoke_token(current_user, token_id)
        return url_for("auth.account"), _("Token %(name)s revoked.", name=token.name)

    return submit(work, _refused)
