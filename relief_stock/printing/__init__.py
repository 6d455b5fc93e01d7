"""Printing (step 7 of the flow, paper): QR labels for batches and locations on any layout in labels/
(PDF, ZPL, TSPL), and the documents that travel with stock: dispatch manifest, picking list, receipt note.

Renderers draw plain data (data.py), so they know nothing of the database; views.py is the only
entry point from the web.
"""


def init_app(app):
    from flask_babel import lazy_gettext as _l

    from ..auth.permissions import Action
    from ..web import add_nav
    from . import views, views_index  # noqa: F401  (views_index adds the Print menu's page to the blueprint)

    app.register_blueprint(views.bp)
    add_nav("printing.index", _l("Print"), Action.VIEW, order=60)
