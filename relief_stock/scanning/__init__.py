"""Scanning: every printed code (codes.py), what a scanned code is (resolve.py), the scan API."""


def init_app(app):
    from . import api, log, models  # noqa: F401  (models registers the tables)

    log.init_app(app)
    api.register(app)
    from . import views  # the scan page and the short URLs in printed QR codes

    views.register(app)
