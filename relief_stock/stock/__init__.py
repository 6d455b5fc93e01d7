"""Stock: batches, the movement ledger and balances, and the operations that are its only writer."""


def init_app(app):
    from . import models  # noqa: F401  (registers the tables)
