"""The audit log: who changed the rules of the network (users, roles and scopes, depots and their
parents, reserve norms and per-capita standards, which set dispatch floors, the catalogue, relief
categories and vehicle types), when, from what to what. Auditors and
administrators read it; nothing else in the app depends on it."""

from flask_babel import lazy_gettext as _l

from ..auth.permissions import Action
from ..web import add_nav


def init_app(app):
    from . import models, views  # noqa: F401  (models registers the table)

    app.register_blueprint(views.bp)
    add_nav("audit.index", _l("Audit log"), Action.VIEW_AUDIT, order=950)
