"""Users, roles and scopes; sign-in for browsers, bearer tokens for scanners and scripts."""

from datetime import timedelta

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..database import utcnow
from ..errors import wants_json
from ..extensions import csrf, db, login_manager
from ..limits import MAX_ID
from . import throttle, token_cache
from .models import ApiToken, User
from .permissions import Action, authenticated_by_token, enforce_declared_access

TOKEN_USE_RESOLUTION = timedelta(minutes=5)


@login_manager.user_loader
def load_user(user_id: str):
    """`<id>.<session version>` from the session or remember cookie; a cookie from before the
    user's last sign-out or password change (an older version) loads nobody."""
    user_pk, _dot, version = user_id.partition(".")
    if not (user_pk.isdigit() and version.isdigit()) or int(user_pk) > MAX_ID:
        return None
    user = db.session.get(User, int(user_pk))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


@login_manager.request_loader
def load_user_from_token(req):
    """`Authorization: Bearer <token>`: the scanner and script way in."""
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    token_hash = ApiToken.hash(header[7:].strip())
    tokens = token_cache.cache()
    entry = tokens.get(token_hash)
    if entry is not None:  # verified by this process seconds ago: no guess, nothing to throttle
        user = token_cache.user_for(entry, db.session)
    else:
        throttle.before_token()
        token = db.session.scalar(
            db.select(ApiToken).where(ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None))
        )
        if token is None or not token.user.is_active:
            throttle.bad_token()
            return None
        entry, user = tokens.put(token_hash, token), token.user
    g.authenticated_by_token = True
    _record_use(entry)
    return user


def _record_use(entry: token_cache.Entry) -> None:
    """Recorded to the minute-ish, not per request: a scanner sends a request a second, and an UPDATE
    on every one would double the cost of a scan for a figure nobody reads at that precision."""
    now = utcnow()
    if entry.last_used_at is None or now - entry.last_used_at > TOKEN_USE_RESOLUTION:
        # Its own tiny commit, before the request's work starts: read-only requests commit nothing.
        # A plain UPDATE rather than an ORM change: it does not empty the token cache.
        db.session.execute(
            ApiToken.__table__.update().where(ApiToken.id == entry.token_id).values(last_used_at=now)
        )
        db.session.commit()
        entry.last_used_at = now


@login_manager.unauthorized_handler
def unauthorized():
    from flask import jsonify, redirect, url_for

    if wants_json():
        return jsonify(code=401, status="Unauthorized", message="Sign in or send a bearer token."), 401
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def protect_against_csrf():
    """before_request: every unsafe request brings the CSRF token (a form field, or the X-CSRFToken
    header for scripts on our pages), except API calls made with a bearer token, which a browser
    never sends by itself, and anonymous API calls, which are answered 401 anyway.

    This replaces Flask-WTF's blanket check (WTF_CSRF_CHECK_DEFAULT is off) so that the exemption
    follows how the caller authenticated, not which blueprint it called.
    """
    if request.method in ("GET", "HEAD", "OPTIONS") or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if request.path.startswith("/api/") and (not current_user.is_authenticated or authenticated_by_token()):
        return
    csrf.protect()


def init_app(app):
    from ..web import add_nav
    from . import api, cli, user_admin, views  # noqa: F401  (user_admin adds its pages to views.bp)

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    throttle.init_app(app)
    token_cache.init_app(app)
    app.before_request(enforce_declared_access)
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False  # protect_against_csrf decides instead
    app.before_request(protect_against_csrf)
    app.register_blueprint(views.bp)
    api.register(app)
    cli.register(app)
    add_nav("auth.users", _l("Users"), Action.MANAGE_USERS, order=900)
