"""Stock: batches, the movement ledger and balances, and the operations that are its only writer."""


def init_app(app):
    from .. import idempotency  # noqa: F401  (its table: every API write may carry a key)
    from . import api, cli, models  # noqa: F401  (models registers the tables)

    cli.register(app)
    api.register(app)
    from . import views  # the keeper's pages

    views.register(app)
