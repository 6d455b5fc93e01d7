"""Reserve norms, per-capita standards, stored alerts, check runs and job locks.

Norms say what a depot must hold (储备定额); the checks in checks.py compare stock against them and
against expiry dates, and keep the `alerts` table in step: one active alert per condition (a partial
unique index on `dedup_key`), resolved automatically when the condition clears.
"""

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import Base, UTCDateTime, enum_column, utcnow
from ..network.models import Tier
from ..stock.models import BigId


class ReserveNorm(Base):
    """The quantity of an item to hold: for every depot of a tier, or for one depot (an override)."""

    __tablename__ = "reserve_norms"
    __table_args__ = (
        CheckConstraint("(tier IS NULL) <> (depot_id IS NULL)", name="tier_or_depot"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        # NULLs are distinct in both backends, so tier rows and depot rows do not collide.
        UniqueConstraint("item_id", "depot_id"),
        UniqueConstraint("item_id", "tier"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    tier: Mapped[Tier | None] = enum_column(Tier, nullable=True)
    depot_id: Mapped[int | None] = mapped_column(ForeignKey("depots.id"), index=True)
    quantity: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    item = relationship("Item", lazy="joined")
    depot = relationship("Depot")


class PerCapitaStandard(Base):
    """`quantity` units of an item per `per_residents` residents served, for depots of one tier.

    A norm derived from it is ceil(served_population * quantity / per_residents); integers on both
    sides keep that exact in SQL on every backend.
    """

    __tablename__ = "per_capita_standards"
    __table_args__ = (
        UniqueConstraint("item_id", "tier"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("per_residents > 0", name="per_residents_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    tier: Mapped[Tier] = enum_column(Tier)
    quantity: Mapped[int]
    per_residents: Mapped[int] = mapped_column(default=1000)
    source: Mapped[str | None] = mapped_column(String(255))

    item = relationship("Item", lazy="joined")


class AlertKind(StrEnum):
    EXPIRING = "expiring"  # a batch expires within the widest horizon
    EXPIRED = "expired"  # a batch past its expiry date still holds stock
    SHORTFALL = "shortfall"  # available stock below the effective norm

    @property
    def label(self):
        return _KIND_LABELS[self]


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"

    @property
    def label(self):
        return _SEVERITY_LABELS[self]


class AlertState(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"

    @property
    def label(self):
        return _STATE_LABELS[self]


class Suggestion(StrEnum):
    """What to do with a batch before it expires (轮换)."""

    TRANSFER = "transfer"  # to a depot short of the item, which will issue it sooner
    DRILL = "drill"  # use in drills or training, then replenish
    DONATE = "donate"  # too close to expiry for anything else

    @property
    def label(self):
        return _SUGGESTION_LABELS[self]


class Alert(Base):
    """One condition seen by the checks. `dedup_key` names the condition (kind + batch, or kind +
    depot + item); at most one alert per key is active (open or acknowledged).

    While active, an alert was last seen by the latest check run (CheckRun.finished_at): storing that
    on every alert would rewrite them all on every run. `last_seen_at` is written once, on resolution.
    """

    __tablename__ = "alerts"
    __table_args__ = (
        Index(
            "uq_alerts_active_dedup_key",
            "dedup_key",
            unique=True,
            sqlite_where=text("state <> 'resolved'"),
            postgresql_where=text("state <> 'resolved'"),
        ),
        Index("ix_alerts_state_depot", "state", "depot_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[AlertKind] = enum_column(AlertKind)
    severity: Mapped[Severity] = enum_column(Severity)
    state: Mapped[AlertState] = enum_column(AlertState, default=AlertState.OPEN)
    depot_id: Mapped[int] = mapped_column(ForeignKey("depots.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    batch_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("batches.id"), index=True)
    quantity: Mapped[int]  # batch quantity, or available stock for a shortfall
    norm: Mapped[int | None]  # shortfall: the effective norm
    expiry_date: Mapped[date | None] = mapped_column(Date)
    suggestion: Mapped[Suggestion | None] = enum_column(Suggestion, nullable=True)
    suggested_depot_id: Mapped[int | None] = mapped_column(ForeignKey("depots.id"))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    depot = relationship("Depot", foreign_keys=[depot_id])
    item = relationship("Item")
    batch = relationship("Batch")
    suggested_depot = relationship("Depot", foreign_keys=[suggested_depot_id])
    acknowledged_by = relationship("User")

    @property
    def is_active(self) -> bool:
        return self.state is not AlertState.RESOLVED


class CheckRun(Base):
    """The record of the latest run of a check job (one row per job name, updated in place)."""

    __tablename__ = "check_runs"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    run_count: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    check_date: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str | None] = mapped_column(String(255))


class JobLock(Base):
    """A lease on a job, taken with one conditional UPDATE so two schedulers never run it together.

    `expires_at` frees the lease of a holder that crashed; `done_slot` records the scheduled slot
    last completed, so a second scheduler firing for the same slot a moment later does not rerun it.
    """

    __tablename__ = "job_locks"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(128))
    acquired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_slot: Mapped[str | None] = mapped_column(String(64))


_KIND_LABELS = {
    AlertKind.EXPIRING: _l("Expiring"),
    AlertKind.EXPIRED: _l("Expired"),
    AlertKind.SHORTFALL: _l("Shortfall"),
}
_SEVERITY_LABELS = {
    Severity.INFO: _l("Notice"),
    Severity.WARNING: _l("Warning"),
    Severity.CRITICAL: _l("Critical"),
}
_STATE_LABELS = {
    AlertState.OPEN: _l("Open"),
    AlertState.ACKNOWLEDGED: _l("Acknowledged"),
    AlertState.RESOLVED: _l("Resolved"),
}
_SUGGESTION_LABELS = {
    Suggestion.TRANSFER: _l("Transfer to a depot that will use it sooner"),
    Suggestion.DRILL: _l("Use in drills or training, then replenish"),
    Suggestion.DONATE: _l("Donate before it expires"),
}
