"""Dispatch: emergencies, needs, the optimal and fair plan, and the transfer orders it becomes.

Flow: emergency -> affected sites -> needs (needs.py) -> plan (planner.py over a Scenario built by
queries.py) -> approval -> transfer orders (transfers.py) -> picking, dispatch, receipt (stock ops).
"""


def init_app(app):
    from flask_babel import lazy_gettext as _l

    from ..auth.permissions import Action
    from ..web import add_nav
    from . import api, cli, models, views  # noqa: F401  (models registers the tables)

    app.config.setdefault("DISPATCH_RELEASE_LEVELS", (1, 2))  # response levels that release reserves
    app.config.setdefault("DISPATCH_ROAD_FACTOR", 1.3)
    app.config.setdefault("DISPATCH_SPEED_KMH", 50.0)
    app.config.setdefault("DISPATCH_ARRIVAL_DAYS", 1)  # shelf life must last past arrival
    app.config.setdefault("DISPATCH_TIME_LIMIT_S", 10.0)  # for sourcing by truck cost
    # The minimum lot (min_lot.py): a depot whose needed stock weighs less is not drawn on, unless
    # it is this near a site. The officer may change the lot when making a plan (0: every depot).
    app.config.setdefault("DISPATCH_MIN_LOT_KG", 500.0)
    app.config.setdefault("DISPATCH_MIN_LOT_BEYOND_KM", 50.0)
    views.init_app(app)
    cli.register(app)
    api.register(app)
    add_nav("dispatch.index", _l("Dispatch"), Action.VIEW)
    from ..dashboard.panels import register_panel
    from .worklist import panel_context

    register_panel("worklist", "dispatch/_panel.html", panel_context)
    add_nav("dispatch.vehicles_page", _l("Vehicle types"), Action.MANAGE_NETWORK, order=850)
