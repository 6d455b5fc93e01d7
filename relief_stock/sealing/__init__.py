"""Tamper evidence for the movement ledger: movements are sealed, after they commit and in id order,
into a hash chain whose heads are signed with the organisation's Ed25519 key (Certificate
Transparency's signed tree heads are the model). `flask ledger verify` recomputes the chain and names
the first broken place; `flask ledger checkpoint` prints the signed head an auditor publishes.

Sealing runs beside the stock writers (a scheduler job, or on demand), never inside their
transactions, so it adds nothing to a receipt or an issue.
"""


def init_app(app):
    from . import cli, models  # noqa: F401  (models registers the tables)

    cli.register(app)
