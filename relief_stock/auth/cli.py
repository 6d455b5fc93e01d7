"""`flask users ...`: create users and tokens from the command line (first admin, scripted installs)."""

import click
from flask.cli import AppGroup

from ..database import atomic
from ..errors import ReliefError
from ..extensions import db
from ..network.models import Depot
from . import operations
from .models import Role, User
from .permissions import SYSTEM

users = AppGroup("users", help="Manage users and API tokens.")


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--depot", "depot_code", help="Depot code of the scope (keepers and dispatchers).")
@click.option("--name", "display_name", help="Display name (defaults to the username).")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user(username, role, depot_code, display_name, password):
    """Create a user."""
    try:
        with atomic():
            depot = _depot(depot_code)
            user = operations.create_user(
                SYSTEM,
                username=username,
                display_name=display_name or username,
                password=password,
                role=Role(role),
                depot=depot,
            )
    except ReliefError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"created {user.username} ({user.role.value})")


@users.command("token")
@click.argument("username")
@click.option("--name", default="cli", help="What the token is for (e.g. the scanner's name).")
def create_token(username, name):
    """Issue an API token and print it (it is shown only once)."""
    with atomic():
        user = db.session.scalar(db.select(User).where(User.username == username))
        if user is None:
            raise click.ClickException(f"no user named {username!r}")
        _, secret = operations.issue_token(SYSTEM, name, for_user=user)
    click.echo(secret)


def _depot(code):
    if not code:
        return None
    depot = db.session.scalar(db.select(Depot).where(Depot.code == code))
    if depot is None:
        raise click.ClickException(f"no depot with code {code!r}")
    return depot


def register(app):
    app.cli.add_command(users)
