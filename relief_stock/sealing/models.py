"""The sealed log: one signed seal per sealing run, and each sealed movement's place in the chain.

`SealedMovement` deliberately has no foreign key to `movements`: it is evidence kept beside the ledger,
so a movement deleted through raw SQL leaves its sealed entry behind for `verify` to find.
"""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Base, UTCDateTime

BigId = BigInteger().with_variant(Integer(), "sqlite")


class LedgerSeal(Base):
    """A signed head: the chain over the first `tree_size` movements (every movement with an id up to
    `last_movement_id`), linked to the previous seal's head. Numbered 1, 2, 3 ... without gaps."""

    __tablename__ = "ledger_seals"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    tree_size: Mapped[int] = mapped_column(BigId)
    last_movement_id: Mapped[int] = mapped_column(BigId)
    previous_head: Mapped[str] = mapped_column(String(64))
    head: Mapped[str] = mapped_column(String(64))
    sealed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    key_id: Mapped[str] = mapped_column(String(16))
    signature: Mapped[str] = mapped_column(String(128))  # Ed25519, hex
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # printed as a checkpoint
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # chain.COVERED: what a leaf covers


class SealedMovement(Base):
    """Where one movement sits in the chain and the chain value after it (so verify names the movement)."""

    __tablename__ = "sealed_movements"

    movement_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    position: Mapped[int] = mapped_column(BigId, unique=True)
    seal_id: Mapped[int] = mapped_column(ForeignKey("ledger_seals.id"), index=True)
    chain: Mapped[str] = mapped_column(String(64))
