"""`flask demo load`: fill an empty database with the Zhejiang demo; `flask demo users`: who can sign in."""

import click
from flask.cli import AppGroup

from ..database import atomic
from . import loader

demo = AppGroup("demo", help="Demo data.")


@demo.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when depots exist already.")
def load(if_empty):
    """Load the Zhejiang network, the catalogue and demo users (and demo stock)."""
    if loader.has_data():
        if if_empty:
            click.echo("database already holds data; demo not loaded")
            return
        raise click.ClickException("the database already holds depots; demo data goes into an empty one")
    with atomic():
        summary = loader.load_all()
    for line in summary:
        click.echo(line)
    # The users are listed once, by `demo users`: scripts/run prints them in its start banner.
    click.echo("`flask demo users` lists who can sign in")


@demo.command("users")
def users():
    """List the demo users and their passwords (the start banner of scripts/run)."""
    click.echo("sign in with one of:")
    for username, password, what in loader.DEMO_USERS_HELP:
        click.echo(f"  {username:<14} {password:<14} {what}")


def register(app):
    app.cli.add_command(demo)
