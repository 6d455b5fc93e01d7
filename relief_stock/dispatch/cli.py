"""`flask dispatch ...`: plan from a scenario file, and export the database as a scenario.

flask dispatch plan SCENARIO.json [--explain]   plan with the same planner as the web flow;
                                                JSON on stdout; a malformed file exits with 2
                                                (also `python -m relief_stock.dispatch plan`)
flask dispatch export [-o FILE] [--emergency ID] [--release-reserves]

`dispatch` is a plain click group, not an AppGroup: `plan` needs no app, and only `export` loads
one (with_appcontext). pyproject.toml names the group as a Flask plugin command
(`flask.commands`), which Flask finds without loading the app, so `flask dispatch plan` never
builds the web app (on the national preset that cost more than planning); scripts/setup-venv
records the entry point in the venv. Without it the group is found on the app's command line.
"""

import json
import sys

import click
from flask.cli import with_appcontext

from .plan_command import run as plan_run

dispatch = click.Group("dispatch", help="Dispatch planning.")


@dispatch.command("plan")
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--explain", is_flag=True, help="Also list every demand line with the rule that limited it.")
def plan_command(path, explain):
    """Plan shipments for the scenario in PATH ("-" reads stdin)."""
    code = plan_run(path, explain, stdout=_Echo(err=False), stderr=_Echo(err=True))
    if code:
        sys.exit(code)


class _Echo:
    """A file-like target for print() that goes through click (so the test runner captures it)."""

    def __init__(self, err: bool):
        self.err = err

    def write(self, text):
        if text:
            click.echo(text, err=self.err, nl=False)

    def flush(self):
        pass


@dispatch.command("export")
@click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="Write here instead of stdout.",
)
@click.option("--emergency", "emergency_id", type=int, help="Take the demands from this emergency.")
@click.option(
    "--release-reserves",
    is_flag=True,
    help="Release reserves (default: as the emergency's response level says; without one, no).",
)
@with_appcontext
def export_command(output, emergency_id, release_reserves):
    """Write the current database state (depots, items, dispatchable stock, reserve floors) as a scenario."""
    from ..errors import ReliefError
    from . import queries
    from . import scenario as scenario_io

    try:
        scenario = queries.scenario_from_database(
            emergency_id=emergency_id, release_reserves=release_reserves or None
        )
    except ReliefError as error:
        click.echo(f"error: {error.message}", err=True)
        sys.exit(2)
    json.dump(scenario_io.scenario_dict(scenario), output, ensure_ascii=False, indent=1)
    output.write("\n")


def register(app):
    app.cli.add_command(dispatch)
