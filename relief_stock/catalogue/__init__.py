"""The relief item catalogue, with CSV and XLSX import and export."""

from flask_babel import lazy_gettext as _l

from ..auth.permissions import Action
from ..web import add_nav


def init_app(app):
    from ..extensions import api
    from . import api as item_api
    from . import models, views  # noqa: F401  (models registers the tables)

    app.register_blueprint(views.bp)
    api.register_blueprint(item_api.blp)
    add_nav("catalogue.index", _l("Catalogue"), Action.VIEW)
