"""The depot network: the province -> city -> county tree, and locations inside each depot."""

from flask_babel import lazy_gettext as _l

from ..auth.permissions import Action
from ..web import add_nav


def init_app(app):
    from ..extensions import api
    from . import api as depot_api
    from . import models, views  # noqa: F401  (models registers the tables)

    app.register_blueprint(views.bp)
    api.register_blueprint(depot_api.blp)
    add_nav("network.tree", _l("Depots"), Action.VIEW)
