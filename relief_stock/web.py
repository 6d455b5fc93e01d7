"""Application-wide pages: the home redirect, the language switch and a health check."""

from flask import Blueprint, current_app, redirect, request, session, url_for
from flask_login import current_user

from .auth.permissions import public
from .security import safe_next

bp = Blueprint("web", __name__)


@bp.get("/")
@public
def index():
    """Signed-in users land on their dashboard; everybody else on the sign-in page."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    return redirect(url_for("auth.login"))


@bp.post("/lang/<code>")
@public
def set_language(code):
    """Remember the chosen language for this browser (a signed-in user's setting still wins)."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.form.get("next")) or url_for("web.index"))


@bp.get("/healthz")
@public
def health():
    """Liveness for load balancers: answers without touching the database."""
    return {"status": "ok"}


# Main navigation, filled by each domain's init_app in flow order: (endpoint, label, action, order).
_NAV: list[tuple[str, object, object, int]] = []


def add_nav(endpoint: str, label, action, order: int = 100) -> None:
    """Show `endpoint` in the main navigation to users granted `action`.

    Entries appear by `order`, then in registration (flow) order; administration pages use a high
    order so that they come after the daily work."""
    if endpoint not in [entry[0] for entry in _NAV]:
        _NAV.append((endpoint, label, action, order))
        _NAV.sort(key=lambda entry: entry[3])


def nav_items():
    from .auth.permissions import can

    return [(endpoint, label) for endpoint, label, action, _order in _NAV if can(current_user, action)]


def init_app(app):
    app.register_blueprint(bp)
    app.jinja_env.globals["nav_items"] = nav_items
    from .form_posts import new_form_token

    app.jinja_env.globals["new_form_token"] = new_form_token  # {{ hidden_tokens(new_form_token()) }}
