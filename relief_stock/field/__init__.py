"""The keeper's field app (an installable, offline-capable page under /field/).

Flow: the app loads its depot's reference data (`snapshot.py`) and keeps it on the phone; every
operation the keeper does is queued on the phone with its own Idempotency-Key and replayed, in order,
through the ordinary JSON API (/api/v1) when the network is there. `offline_rules.py` states (and
enforces on the server) what an operation prepared on old data may still do.
"""


def init_app(app):
    from . import api, offline_rules, views

    offline_rules.init_app(app)
    api.register(app)
    views.register(app)
