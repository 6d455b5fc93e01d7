"""Sign-in pages, the user's own settings and API tokens, and user administration."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..database import atomic
from ..extensions import db
from ..web import safe_next
from . import operations
from .models import User
from .permissions import Action, public, requires

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Sign in with username and password; a wrong pair gets one message that reveals neither."""
    error = None
    if request.method == "POST":
        username = (request.form.get("username") or "").strip()
        user = db.session.scalar(db.select(User).where(User.username == username))
        if user is None or not user.is_active or not user.check_password(request.form.get("password", "")):
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
    """Sign out (a POST, so that a link on another site cannot sign a keeper out)."""
    logout_user()
    return redirect(url_for("auth.login"))
