"""`flask ledger seal | verify | checkpoint | public-key`: the tamper evidence of the movement ledger."""

from pathlib import Path

import click
from flask.cli import AppGroup

ledger = AppGroup("ledger", help="Seal and verify the movement ledger (signed hash chain).")


@ledger.command("seal")
def seal_command():
    """Seal every movement committed since the last seal."""
    from .horizon import HorizonTimeout
    from .operations import seal_ledger

    try:
        click.echo(str(seal_ledger()))
    except HorizonTimeout as error:
        raise click.ClickException(f"not sealed now: {error}; try again later") from error


@ledger.command("verify")
@click.option(
    "--checkpoint",
    "checkpoint_path",
    type=click.Path(exists=True, dir_okay=False),
    help="A checkpoint published earlier (JSON from `flask ledger checkpoint`): the log must still contain it.",
)
@click.option(
    "--public-key",
    "key_path",
    type=click.Path(exists=True, dir_okay=False),
    help="The organisation's published public key (PEM); default: this install's key.",
)
def verify_command(checkpoint_path, key_path):
    """Recompute the whole chain and every signature; exit 1 naming the first broken place."""
    from . import keys
    from .checkpoints import BadCheckpoint, Checkpoint
    from .verify import verify_ledger

    try:
        public_key = keys.load_public_key(Path(key_path).read_bytes()) if key_path else keys.public_key()
        checkpoint = Checkpoint.from_json(Path(checkpoint_path).read_text()) if checkpoint_path else None
    except (keys.KeyMissing, BadCheckpoint, ValueError) as error:
        raise click.ClickException(str(error)) from error
    report = verify_ledger(public_key, checkpoint)
    if not report.ok:
        click.echo(str(report), err=True)
        raise SystemExit(1)
    click.echo(str(report))


@ledger.command("checkpoint")
def checkpoint_command():
    """Seal what is pending, mark the newest seal published and print it as a signed checkpoint."""
    from . import keys
    from .checkpoints import Checkpoint
    from .operations import publish_checkpoint

    seal = publish_checkpoint()
    if seal is None:
        raise click.ClickException("the ledger is empty: nothing to checkpoint")
    click.echo(Checkpoint.of(seal, keys.public_key()).to_json())


@ledger.command("public-key")
def public_key_command():
    """Print the public key (PEM) that auditors use to check seals and checkpoints."""
    from . import keys

    click.echo(keys.public_key_pem(keys.signing_key().public_key()), nl=False)


def register(app):
    app.cli.add_command(ledger)
