"""The relief item catalogue, with CSV and XLSX import and export."""


def init_app(app):
    from . import models  # noqa: F401  (registers the tables)
