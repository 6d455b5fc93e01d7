"""Code sequences (the numbers inside printed codes) and the log of every scan.

A sequence row is bumped with one atomic `INSERT ... ON CONFLICT DO UPDATE ... RETURNING`, so two
keepers receiving at the same moment never get the same batch number, on SQLite or PostgreSQL.
"""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import Base, UTCDateTime, utcnow

BigId = BigInteger().with_variant(Integer(), "sqlite")


class CodeSequence(Base):
    """The last number handed out for one code series, e.g. "B-330100-2026"."""

    __tablename__ = "code_sequences"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class ScanEvent(Base):
    """One scan: who scanned what, when, and what it resolved to (InvenTree keeps the same log)."""

    __tablename__ = "scan_events"
    __table_args__ = (
        Index("ix_scan_events_user_created", "user_id", "created_at"),
        Index("ix_scan_events_created_at", "created_at"),  # the daily purge (retention.py)
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    code: Mapped[str] = mapped_column(String(300))  # what was scanned, as received (trimmed)
    result: Mapped[str] = mapped_column(String(16))  # found, not_found, invalid
    object_type: Mapped[str | None] = mapped_column(String(16))  # batch, location, transfer, receipt
    object_id: Mapped[int | None] = mapped_column(BigId)

    user = relationship("User")
