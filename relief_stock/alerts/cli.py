"""`flask alerts run | import-norms` and `flask scheduler`, the one process that fires daily jobs."""

import click
from flask import current_app
from flask.cli import AppGroup

from ..database import atomic
from ..errors import ReliefError

alerts = AppGroup("alerts", help="Expiry and shortfall alerts against reserve norms.")


@alerts.command("run")
@click.option(
    "--date",
    "on_date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Check as of this date (default: today in the configured time zone).",
)
def run(on_date):
    """Run every check now (under the same lease as the scheduler) and print what changed."""
    from . import jobs

    try:
        summary = jobs.run_alerts(today=on_date.date() if on_date else None)
    except ReliefError as error:
        raise click.ClickException(error.message) from error
    if summary is None:
        raise click.ClickException("another process is running the checks; try again later")
    click.echo(str(summary))


@alerts.command("import-norms")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "username", required=True, help="The user the import acts as (permissions apply).")
def import_norms_command(path, username):
    """Import reserve norms from an XLSX sheet (columns sku, depot or tier, quantity); all or nothing."""
    from ..auth.models import User
    from ..extensions import db
    from .imports import import_norms

    user = db.session.scalar(db.select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"no user {username}")
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        with atomic():
            count = import_norms(user, data)
    except ReliefError as error:
        for row, messages in (error.errors or {}).items():
            click.echo(f"{row}: {'; '.join(messages)}", err=True)
        raise click.ClickException(error.message) from error
    click.echo(f"{count} rows imported")


@click.command("scheduler")
def scheduler():
    """Run the scheduler in the foreground (one per installation; a lease makes extra ones harmless).

    Fires the alert checks daily at ALERTS_DAILY_AT in the configured time zone."""
    from .jobs import build_scheduler

    app = current_app._get_current_object()
    click.echo(f"scheduler: alerts daily at {app.config['ALERTS_DAILY_AT']}", err=True)
    build_scheduler(app).start()


def register(app):
    app.cli.add_command(alerts)
    app.cli.add_command(scheduler)
