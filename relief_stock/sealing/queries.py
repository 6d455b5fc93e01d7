"""Reads of the sealed log for pages: how much of a set of movements is sealed, and whether a published
checkpoint covers them (the public trace shows this beside a donation's timeline)."""

from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from .models import LedgerSeal, SealedMovement


@dataclass(frozen=True)
class Coverage:
    movements: int  # movements asked about
    sealed: int  # of them, sealed into the signed chain
    published: int  # of them, covered by the newest published checkpoint
    checkpoint: LedgerSeal | None  # that checkpoint

    @property
    def complete(self) -> bool:
        return self.movements > 0 and self.published == self.movements


def latest_published() -> LedgerSeal | None:
    return db.session.scalar(
        select(LedgerSeal).where(LedgerSeal.published_at.is_not(None)).order_by(LedgerSeal.id.desc()).limit(1)
    )


def coverage(movement_ids) -> Coverage:
    ids = list(set(movement_ids))
    checkpoint = latest_published()
    sealed = published = 0
    if ids:
        limit = checkpoint.tree_size if checkpoint else 0
        sealed, published = db.session.execute(
            select(
                func.count(),
                func.coalesce(func.sum(db.case((SealedMovement.position <= limit, 1), else_=0)), 0),
            ).where(SealedMovement.movement_id.in_(ids))
        ).one()
    return Coverage(len(ids), sealed, published, checkpoint)
