"""Printing (step 7 of the flow, paper): QR labels for batches and locations on any layout in labels/
(PDF, ZPL, TSPL), and the documents that travel with stock: dispatch manifest, picking list, receipt note.

Renderers draw plain data (data.py), so they know nothing of the database; views.py is the only
entry point from the web.
"""


def init_app(app):
    from . import views

    app.register_blueprint(views.bp)
