"""Batches, the append-only movement ledger, and the balances kept beside it.

The signed movements are the truth. `Batch.quantity` and `StockLevel` are caches that the stock
operations update in the same transaction as the movement, so stock-on-hand never sums the ledger;
`reconcile` proves them equal. Nothing outside `stock.operations` writes any of these quantities.
"""

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import Base, Quantity, UTCDateTime, enum_column, utcnow
from .kinds import BatchStatus, CommitmentKind, MovementKind, SourceKind, StocktakeStatus, TransferStatus

# SQLite only auto-increments INTEGER PRIMARY KEY; BigInteger elsewhere for a ledger of many millions.
BigId = BigInteger().with_variant(Integer(), "sqlite")
# Balances add up many deliveries of up to MAX_QUANTITY each: 64-bit, so no sum overflows a column
# (SQLite's INTEGER already is).
BigQuantity = Quantity()


class Receipt(Base):
    """One delivery taken in at a depot (入库单): its lines are the batches it created."""

    __tablename__ = "receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    depot_id: Mapped[int] = mapped_column(ForeignKey("depots.id"), index=True)
    source_kind: Mapped[SourceKind] = enum_column(SourceKind)
    supplier: Mapped[str | None] = mapped_column(String(200))  # supplier, allocating body or donor
    donor_ref: Mapped[str | None] = mapped_column(String(64))
    delivery_note_ref: Mapped[str | None] = mapped_column(String(64))
    received_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    notes: Mapped[str | None] = mapped_column(Text)

    depot = relationship("Depot")
    received_by = relationship("User")
    batches = relationship("Batch", back_populates="receipt", order_by="Batch.id")


class Batch(Base):
    """A lot of one item at one depot (and optionally one location), with its own printed code."""

    __tablename__ = "batches"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        Index("ix_batches_depot_item_expiry", "depot_id", "item_id", "expiry_date"),
        Index("ix_batches_status_expiry", "status", "expiry_date"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    depot_id: Mapped[int] = mapped_column(ForeignKey("depots.id"))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), index=True)
    quantity: Mapped[int] = mapped_column(BigQuantity, default=0)
    status: Mapped[BatchStatus] = enum_column(BatchStatus, default=BatchStatus.AVAILABLE)
    manufactured_date: Mapped[date | None] = mapped_column(Date)
    expiry_date: Mapped[date | None] = mapped_column(Date)
    received_date: Mapped[date] = mapped_column(Date)
    source_kind: Mapped[SourceKind] = enum_column(SourceKind)
    source_ref: Mapped[str | None] = mapped_column(String(64))
    donor_name: Mapped[str | None] = mapped_column(String(200))
    donor_ref: Mapped[str | None] = mapped_column(String(64))
    receipt_id: Mapped[int | None] = mapped_column(ForeignKey("receipts.id"), index=True)
    # A batch split off another (moved part, or received on a transfer) keeps its lineage for tracing.
    parent_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("batches.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    item = relationship("Item", lazy="joined")
    depot = relationship("Depot")
    location = relationship("Location")
    receipt = relationship(Receipt, back_populates="batches")
    parent = relationship("Batch", remote_side=[id])

    def __repr__(self):
        return f"<Batch {self.code} qty={self.quantity} {self.status}>"


class Movement(Base):
    """One signed change to one batch. Append-only: rows are never updated or deleted."""

    __tablename__ = "movements"
    __table_args__ = (
        Index("ix_movements_batch_id_id", "batch_id", "id"),
        Index("ix_movements_depot_created", "depot_id", "created_at"),
        Index("ix_movements_document", "document_type", "document_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[MovementKind] = enum_column(MovementKind)
    batch_id: Mapped[int] = mapped_column(BigId, ForeignKey("batches.id"))
    depot_id: Mapped[int] = mapped_column(ForeignKey("depots.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[int] = mapped_column(BigQuantity)  # signed change (0 for status changes)
    balance_after: Mapped[int] = mapped_column(BigQuantity)
    status_after: Mapped[BatchStatus] = enum_column(BatchStatus)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: a scheduled job
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reason: Mapped[str | None] = mapped_column(String(255))
    document_type: Mapped[str | None] = mapped_column(String(24))  # receipt, transfer, stocktake, ...
    document_id: Mapped[int | None] = mapped_column(BigId)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))  # where a move put it

    batch = relationship(Batch)
    location = relationship("Location")
    user = relationship("User")


class StockLevel(Base):
    """Balance per depot and item: everything on hand, the part that can be issued now, and the part
    of it promised to approved transfer orders (`committed`, the sum of the commitment ledger)."""

    __tablename__ = "stock_levels"
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("available >= 0 AND available <= on_hand", name="available_within_on_hand"),
        CheckConstraint("committed >= 0", name="committed_not_negative"),
    )

    depot_id: Mapped[int] = mapped_column(ForeignKey("depots.id"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True, index=True)
    on_hand: Mapped[int] = mapped_column(BigQuantity, default=0)
    available: Mapped[int] = mapped_column(BigQuantity, default=0)
    committed: Mapped[int] = mapped_column(BigQuantity, default=0, server_default="0")

    @property
    def available_to_promise(self) -> int:
        """What a new plan may still draw on (never negative: stock quarantined after commitment)."""
        return max(self.available - self.committed, 0)


class Commitment(Base):
    """One signed change to what a transfer line holds promised at its sending depot. Append-only:
    commit (+) on approval, release (-) on cancel or edit down, consume (-) when the truck leaves."""

    __tablename__ = "commitments"
    __table_args__ = (Index("ix_commitments_depot_item", "depot_id", "item_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[CommitmentKind] = enum_column(CommitmentKind)
    transfer_line_id: Mapped[int] = mapped_column(ForeignKey("transfer_lines.id"), index=True)
    depot_id: Mapped[int] = mapped_column(ForeignKey("depots.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[int] = mapped_column(BigQuantity)  # signed
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reason: Mapped[str | None] = mapped_column(String(255))

    user = relationship("User")


class Transfer(Base):
    """A transfer order (调拨单) from one depot to another depot or to a distribution site.

    Its stock leaves the sending depot on dispatch (TRANSFER_OUT) and is *in transit* until received
    (TRANSFER_IN at a depot) or delivered (a site that is not a depot).
    """

    __tablename__ = "transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    from_depot_id: Mapped[int] = mapped_column(ForeignKey("depots.id"), index=True)
    to_depot_id: Mapped[int | None] = mapped_column(ForeignKey("depots.id"), index=True)
    to_site_name: Mapped[str | None] = mapped_column(String(200))  # when the destination is no depot
    to_lat: Mapped[float | None]
    to_lng: Mapped[float | None]
    status: Mapped[TransferStatus] = enum_column(TransferStatus, default=TransferStatus.DRAFT)
    is_drill: Mapped[bool] = mapped_column(default=False)
    vehicle_plate: Mapped[str | None] = mapped_column(String(32))
    driver_name: Mapped[str | None] = mapped_column(String(64))
    driver_phone: Mapped[str | None] = mapped_column(String(32))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    dispatched_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    notes: Mapped[str | None] = mapped_column(Text)

    from_depot = relationship("Depot", foreign_keys=[from_depot_id])
    to_depot = relationship("Depot", foreign_keys=[to_depot_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    dispatched_by = relationship("User", foreign_keys=[dispatched_by_id])
    received_by = relationship("User", foreign_keys=[received_by_id])
    lines = relationship("TransferLine", back_populates="transfer", order_by="TransferLine.id")


class TransferLine(Base):
    """One item on a transfer order and the quantity ordered."""

    __tablename__ = "transfer_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[int]

    transfer = relationship(Transfer, back_populates="lines")
    item = relationship("Item", lazy="joined")
    picks = relationship("TransferPick", back_populates="line", order_by="TransferPick.id")


class TransferPick(Base):
    """A batch picked for a transfer line, what was shipped and what arrived.

    `received_quantity` + `damaged_quantity` + short = `quantity`; the short and damaged parts are
    written off at the receiving end with a reason, so nothing vanishes from the ledger.
    """

    __tablename__ = "transfer_picks"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("transfer_lines.id"), index=True)
    batch_id: Mapped[int] = mapped_column(BigId, ForeignKey("batches.id"), index=True)
    quantity: Mapped[int]
    received_quantity: Mapped[int | None]
    damaged_quantity: Mapped[int | None]
    received_batch_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("batches.id"))

    line = relationship(TransferLine, back_populates="picks")
    batch = relationship(Batch, foreign_keys=[batch_id])
    received_batch = relationship(Batch, foreign_keys=[received_batch_id])


class Stocktake(Base):
    """A count (盘点) of a depot, or of one location in it.

    Each counted line keeps the system quantity *at the moment it was counted*; posting applies
    `counted - system_quantity` to the live balance, so stock that moved between the count and the
    post (an issue after the shelf was counted) is neither lost nor counted twice.
    """

    __tablename__ = "stocktakes"

    id: Mapped[int] = mapped_column(primary_key=True)
    depot_id: Mapped[int] = mapped_column(ForeignKey("depots.id"), index=True)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    status: Mapped[StocktakeStatus] = enum_column(StocktakeStatus, default=StocktakeStatus.OPEN)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    posted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    is_blind: Mapped[bool] = mapped_column(default=False)  # counters do not see the book quantity
    # The second person who approved the differences above the threshold (stocktake.py).
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    depot = relationship("Depot")
    location = relationship("Location")
    opened_by = relationship("User", foreign_keys=[opened_by_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])
    lines = relationship("StocktakeLine", back_populates="stocktake", order_by="StocktakeLine.id")


class StocktakeLine(Base):
    """What was found for one batch (or, with no batch, goods found that the system did not know)."""

    __tablename__ = "stocktake_lines"
    __table_args__ = (
        CheckConstraint("counted_quantity >= 0", name="counted_not_negative"),
        Index("ix_stocktake_lines_stocktake_batch", "stocktake_id", "batch_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stocktake_id: Mapped[int] = mapped_column(ForeignKey("stocktakes.id"))
    batch_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("batches.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    system_quantity: Mapped[int] = mapped_column(
        BigQuantity
    )  # the batch's balance when this line was counted (0 for found goods)
    counted_quantity: Mapped[int]
    expiry_date: Mapped[date | None] = mapped_column(Date)  # found goods only
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))  # found goods only
    counted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reason: Mapped[str | None] = mapped_column(String(255))  # why the count differs (required to post)
    # A batch found on the counted location but booked to this other one: posting moves it here.
    misplaced_from_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))

    stocktake = relationship(Stocktake, back_populates="lines")
    batch = relationship(Batch)
    misplaced_from = relationship("Location", foreign_keys=[misplaced_from_id])
    counted_by = relationship("User", foreign_keys=[counted_by_id])
    item = relationship("Item", lazy="joined")

    @property
    def difference(self) -> int:
        return self.counted_quantity - self.system_quantity
