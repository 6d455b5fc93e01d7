"""`flask stock ...`: reconcile the balances with the ledger."""

import click
from flask.cli import AppGroup

from .reconcile import reconcile

stock = AppGroup("stock", help="Stock ledger tools.")


@stock.command("reconcile")
def reconcile_command():
    """Check every balance against the ledger; exit 1 naming each mismatch."""
    mismatches = reconcile()
    for mismatch in mismatches:
        click.echo(str(mismatch), err=True)
    if mismatches:
        raise SystemExit(1)
    click.echo("ledger and balances agree")


def register(app):
    app.cli.add_command(stock)
