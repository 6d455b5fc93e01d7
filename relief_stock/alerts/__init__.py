"""Alerts (5): reserve norms, expiry and shortfall checks, stored alerts, notifications and the
scheduler that runs the checks daily (`flask scheduler`, never inside create_app)."""

import os

from flask_babel import lazy_gettext as _l

# Settings read from the environment unless the app's config sets them (see README, "Alerts").
ENV_SETTINGS = {
    "ALERTS_SMTP_HOST": None,
    "ALERTS_SMTP_PORT": "25",
    "ALERTS_SMTP_USER": None,
    "ALERTS_SMTP_PASSWORD": None,
    "ALERTS_SMTP_STARTTLS": None,
    "ALERTS_EMAIL_FROM": None,
    "ALERTS_EMAIL_TO": None,
    "ALERTS_WEBHOOK_URL": None,
    "ALERTS_WEBHOOK_SECRET": None,
    "ALERTS_WEBHOOK_ATTEMPTS": "5",
    "ALERTS_WEBHOOK_BACKOFF": "2.0",
}


def init_app(app):
    from ..auth.permissions import Action
    from ..dashboard.panels import register_panel
    from ..web import add_nav
    from . import api, cli, models, views  # noqa: F401  (models registers the tables)
    from .panel import connect_sign_in_digest, panel_context

    for key, default in ENV_SETTINGS.items():
        app.config.setdefault(key, os.environ.get(key, default))
    horizons = os.environ.get("ALERTS_HORIZONS", "90,30,7")
    app.config.setdefault("ALERTS_HORIZONS", tuple(int(h) for h in horizons.split(",") if h.strip()))
    app.register_blueprint(views.bp)
    api.register(app)
    cli.register(app)
    add_nav("alerts.index", _l("Alerts"), Action.VIEW)
    register_panel("alerts", "alerts/_panel.html", panel_context)
    connect_sign_in_digest(app)
