"""Sealing: append the movements committed since the last seal to the chain and sign the new head.

The only writer of `ledger_seals` and `sealed_movements`. Run by the scheduler every
LEDGER_SEAL_EVERY_SECONDS and on demand (`flask ledger seal`, `flask ledger checkpoint`). It reads the
new movements and hashes them outside any write lock, then inserts its rows in one short transaction
of its own; stock writers never wait for it. Two sealers racing both compute seal n+1; the primary
key lets one commit and the other roll back.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..database import atomic, utcnow
from ..extensions import db
from ..stock.models import Movement
from . import chain, keys
from .checkpoints import Checkpoint
from .horizon import sealable_horizon
from .models import LedgerSeal, SealedMovement

movements = Movement.__table__
MAX_PER_SEAL = 20_000  # bounds one sealing transaction; a backlog is sealed in several seals


@dataclass(frozen=True)
class SealResult:
    seals: list  # the LedgerSeal rows written, oldest first (empty when there was nothing new)
    pending: int = 0  # movements left past the horizon or beyond this run

    def __str__(self):
        if not self.seals:
            return "nothing new to seal"
        last = self.seals[-1]
        return f"{len(self.seals)} seal(s) written; seal {last.id} covers {last.tree_size} movements"


def latest_seal() -> LedgerSeal | None:
    return db.session.scalar(select(LedgerSeal).order_by(LedgerSeal.id.desc()).limit(1))


def seal_ledger(*, max_per_seal: int = MAX_PER_SEAL, horizon: int | None = None) -> SealResult:
    """Seal every movement up to the horizon, in id order, in seals of at most `max_per_seal`.

    Commits each seal itself (it is an entry point, like a job). Returns what it wrote; raises
    horizon.HorizonTimeout when a long transaction keeps the horizon from being known."""
    key = keys.signing_key()
    public = key.public_key()
    key_id = keys.key_id(public)
    version = chain.version_for(movements.c.keys())  # refuses a column no version covers
    horizon = sealable_horizon() if horizon is None else horizon
    written = []
    while True:
        previous = latest_seal()
        after = previous.last_movement_id if previous else 0
        rows = db.session.execute(
            select(movements)
            .where(movements.c.id > after, movements.c.id <= horizon)
            .order_by(movements.c.id)
            .limit(max_per_seal)
        ).all()
        db.session.rollback()  # end the read (SQLite: release the snapshot before taking the write lock)
        if not rows:
            break
        covered = horizon if len(rows) < max_per_seal else rows[-1].id
        seal, entries = _seal(previous, rows, covered, key, key_id, version)
        try:
            with atomic():
                db.session.add(seal)
                db.session.flush()
                db.session.execute(
                    SealedMovement.__table__.insert(),
                    [dict(entry, seal_id=seal.id) for entry in entries],
                )
        except IntegrityError:
            break  # another sealer wrote this seal first; its run covers these movements
        written.append(seal)
    return SealResult(written)


def _seal(
    previous: LedgerSeal | None, rows, covered: int, key, key_id, version: int
) -> tuple[LedgerSeal, list]:
    """The next seal over `rows`, covering every id up to `covered`, and its chain entries."""
    head = previous.head if previous else chain.GENESIS
    position = previous.tree_size if previous else 0
    entries = []
    for row in rows:
        position += 1
        head = chain.link(head, chain.leaf(row._mapping, version))
        entries.append({"movement_id": row.id, "position": position, "chain": head})
    seal = LedgerSeal(
        id=(previous.id if previous else 0) + 1,
        tree_size=position,
        last_movement_id=covered,
        previous_head=previous.head if previous else chain.GENESIS,
        head=head,
        sealed_at=utcnow().replace(microsecond=0),
        key_id=key_id,
        version=version,
    )
    seal.signature = key.sign(message_of(seal)).hex()
    return seal, entries


def message_of(seal: LedgerSeal) -> bytes:
    """The bytes a seal's signature covers: the same as its checkpoint states."""
    return Checkpoint.of(seal).message()


def publish_checkpoint() -> LedgerSeal | None:
    """Seal what is pending and mark the newest seal as published (the head an auditor publishes)."""
    seal_ledger()
    seal = latest_seal()
    if seal is not None and seal.published_at is None:
        with atomic():
            seal.published_at = utcnow()
    return seal
