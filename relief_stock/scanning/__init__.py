"""Scanning: every printed code (codes.py), what a scanned code is (resolve.py), the scan API."""


def init_app(app):
    from . import models  # noqa: F401  (registers the tables)
    from . import views  # the scan page and the short URLs in printed QR codes (B2)

    views.register(app)
