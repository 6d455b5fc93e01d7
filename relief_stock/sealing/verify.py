"""Verification: recompute the whole chain from the movements and report the first broken place.

Walks the seals in order and, inside each, the sealed entries beside the movements (both in id order,
streamed). It catches a movement edited, deleted, inserted into the sealed range or moved to another
id; sealed entries or seals rewritten to match (the signature no longer verifies); and, given a
checkpoint an auditor published earlier, a rewrite by someone who also holds the key.
"""

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..stock.models import Movement
from . import chain, keys
from .checkpoints import Checkpoint
from .models import LedgerSeal, SealedMovement
from .operations import message_of

movements = Movement.__table__
entries = SealedMovement.__table__
STREAM = 5_000


@dataclass(frozen=True)
class Break:
    """The first place where the ledger and its seals disagree."""

    message: str
    seal: int | None = None
    movement_id: int | None = None
    position: int | None = None

    def __str__(self):
        return self.message


@dataclass(frozen=True)
class Report:
    seals: int
    sealed: int  # movements covered by the seals
    unsealed: int  # movements after the last seal (not yet sealed, nothing to check them against)
    broken: Break | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None

    def __str__(self):
        if self.broken:
            return f"BROKEN: {self.broken}"
        return (
            f"ledger intact: {self.sealed} movements in {self.seals} signed seals;"
            f" {self.unsealed} movements not sealed yet"
        )


def _stream(statement):
    return db.session.execute(statement.execution_options(yield_per=STREAM))


def verify_ledger(public_key=None, checkpoint: Checkpoint | None = None) -> Report:
    """Recompute every seal over the movements; with `checkpoint`, also require its head."""
    public_key = public_key or keys.public_key()
    seals = list(db.session.scalars(select(LedgerSeal).order_by(LedgerSeal.id)))
    walker = _Walk(seals, public_key, checkpoint)
    broken = walker.run()
    unsealed = db.session.scalar(
        select(db.func.count())
        .select_from(movements)
        .where(movements.c.id > (seals[-1].last_movement_id if seals else 0))
    )
    return Report(len(seals), walker.position, unsealed, broken)


class _Walk:
    def __init__(self, seals, public_key, checkpoint):
        self.seals, self.public_key, self.checkpoint = seals, public_key, checkpoint
        self.position = self.number = 0
        self.head = chain.GENESIS

    def run(self) -> Break | None:
        if self.checkpoint is not None and not self.checkpoint.verifies(self.public_key):
            return Break("the checkpoint's signature does not verify with this key")
        rows = _stream(select(movements).order_by(movements.c.id))
        sealed = _stream(select(entries).order_by(entries.c.position))
        try:
            return self._walk(iter(rows), iter(sealed))
        finally:  # a break stops the walk early: close the server-side cursors it leaves open
            rows.close()
            sealed.close()

    def _walk(self, rows, sealed) -> Break | None:
        self.rows = rows
        self.movement = next(rows, None)
        entry = next(sealed, None)
        for seal in self.seals:
            broken = self._check_seal_header(seal)
            if broken:
                return broken
            while entry is not None and entry.seal_id == seal.id:
                broken = self._check_entry(seal, entry)
                if broken:
                    return broken
                entry = next(sealed, None)
            if self.position != seal.tree_size or self.head != seal.head:
                return Break(
                    f"seal {seal.id}: its entries give {self.position} movements and head"
                    f" {self.head[:16]}..., the seal says {seal.tree_size} and {seal.head[:16]}...:"
                    " sealed entries were removed or rewritten",
                    seal=seal.id,
                )
        if entry is not None:
            return Break(
                f"sealed entry at position {entry.position} belongs to no seal (seal {entry.seal_id})",
                position=entry.position,
            )
        last = self.seals[-1].last_movement_id if self.seals else 0
        if self.movement is not None and self.movement.id <= last:
            return self._inserted(self.movement, last)
        if self.checkpoint is not None and self.checkpoint.tree_size > self.position:
            return Break(
                f"the published checkpoint covers {self.checkpoint.tree_size} movements, the log only"
                f" {self.position}: sealed history was removed"
            )
        return None

    def _check_seal_header(self, seal) -> Break | None:
        self.number += 1
        if seal.id != self.number:
            return Break(f"seal {self.number} is missing (the next seal is {seal.id})", seal=self.number)
        if seal.version not in chain.COVERED:
            return Break(f"seal {seal.id} names chain version {seal.version}, which this code does not know")
        if seal.previous_head != self.head:
            return Break(
                f"seal {seal.id} does not continue the previous seal's head: the log was cut or spliced",
                seal=seal.id,
            )
        if not keys.verifies(self.public_key, seal.signature, message_of(seal)):
            return Break(
                f"seal {seal.id} (movements {self.position + 1}..{seal.tree_size}): its signature does"
                " not verify: the seal was rewritten",
                seal=seal.id,
            )
        return None

    def _check_entry(self, seal, entry) -> Break | None:
        if entry.position != self.position + 1:
            return Break(
                f"seal {seal.id}: sealed position {self.position + 1} is missing (next is {entry.position})",
                seal=seal.id,
                position=self.position + 1,
            )
        movement = self.movement
        if movement is not None and movement.id < entry.movement_id:
            return self._inserted(movement, seal.last_movement_id)
        if movement is None or movement.id > entry.movement_id:
            return Break(
                f"movement {entry.movement_id} (position {entry.position}, seal {seal.id}) was deleted",
                seal=seal.id,
                movement_id=entry.movement_id,
                position=entry.position,
            )
        self.position += 1
        self.head = chain.link(self.head, chain.leaf(movement._mapping, seal.version))
        if self.head != entry.chain:
            return Break(
                f"movement {movement.id} (position {entry.position}, seal {seal.id}) differs from what"
                " was sealed: it was edited, or moved from another id",
                seal=seal.id,
                movement_id=movement.id,
                position=entry.position,
            )
        if self.checkpoint is not None and self.position == self.checkpoint.tree_size:
            if self.head != self.checkpoint.head:
                return Break(
                    f"the log up to movement {movement.id} differs from the published checkpoint"
                    f" (seal {self.checkpoint.seal}, {self.checkpoint.tree_size} movements): history"
                    " was rewritten and re-signed",
                    seal=seal.id,
                    movement_id=movement.id,
                    position=self.position,
                )
        self.movement = next(self.rows, None)
        return None

    def _inserted(self, movement, last) -> Break:
        return Break(
            f"movement {movement.id} is not in the sealed log although every id up to {last} was"
            " sealed: it was inserted afterwards",
            movement_id=movement.id,
        )
