"""The start page's panels, and the province's picture (全省底数): dashboard, map, drill-down lists
and reports. Reads only; every figure comes from the balances or the ledger."""

from flask_babel import lazy_gettext as _l

from ..auth.permissions import Action
from ..web import add_nav


def init_app(app):
    from . import cli, views, views_reserve

    app.register_blueprint(views.bp)
    app.register_blueprint(views_reserve.bp)
    cli.register(app)
    add_nav("dashboard.home", _l("Overview"), Action.VIEW, order=0)
    add_nav("reserve.picture", _l("Reserve picture"), Action.VIEW, order=1)
