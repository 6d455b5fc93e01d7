"""One row per administrative change, appended by `audit.operations.record` in the same transaction
as the change itself (a change that is rolled back leaves no entry)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import Base, UTCDateTime, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: a job or import script
    action: Mapped[str] = mapped_column(String(40))  # see operations.ACTIONS
    target: Mapped[str] = mapped_column(
        String(120)
    )  # what changed, as people name it: "keeper", "QUILT @ 330102"
    before: Mapped[str | None] = mapped_column(String(200))
    after: Mapped[str | None] = mapped_column(String(200))

    user = relationship("User")
