"""The depot network: the province -> city -> county tree, and locations inside each depot."""
from flask_babel import lazy_gettext as _l

from ..auth.permissions import Action
from ..web import add_nav


def init_app(app):
    from . import models  # noqa: F401  (registers the tables)
