"""`flask reports monthly [--month YYYY-MM] [--depot CODE ...]`: write the monthly reserve reports
now, exactly as the scheduler does on the first of the month."""

import re

import click
from flask.cli import AppGroup

from ..database import local_today
from . import jobs, reports

group = AppGroup("reports", help="Periodic reserve reports.")


@group.command("monthly")
@click.option("--month", help="YYYY-MM (default: last month)")
@click.option("--depot", "codes", multiple=True, help="only these depots (repeatable)")
def monthly(month, codes):
    """Write a month's reserve report for every depot (XLSX and PDF, Chinese and English)."""
    if month is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise click.BadParameter("enter a month as YYYY-MM", param_hint="--month")
    first = reports.parse_month(month) if month else jobs.previous_month(local_today())
    written = jobs.write_monthly_reports(first, codes=codes or None)
    click.echo(f"{written} report files for {first:%Y-%m} in {jobs.archive_dir()}")


def register(app):
    app.cli.add_command(group)
