"""The start page: panels that each domain contributes (stock, alerts, dispatch), in flow order."""

from flask_babel import lazy_gettext as _l

from ..auth.permissions import Action
from ..web import add_nav


def init_app(app):
    from . import views

    app.register_blueprint(views.bp)
    add_nav("dashboard.home", _l("Overview"), Action.VIEW, order=0)
