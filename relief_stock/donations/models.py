"""Donors and donations (捐赠登记): who gave what to which depot, what was declared and what was
accepted, and the unguessable trace code printed on the donor's receipt.

A donation's stock is received through the stock operations; every batch it creates carries the
trace code as its `donor_ref`, and so does every batch later split or transferred off them, which is
how the public trace follows the goods.
"""

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import Base, UTCDateTime, enum_column, utcnow

BigId = BigInteger().with_variant(Integer(), "sqlite")


class DonorKind(StrEnum):
    ORGANISATION = "organisation"
    INDIVIDUAL = "individual"

    @property
    def label(self):
        return {DonorKind.ORGANISATION: _l("Organisation"), DonorKind.INDIVIDUAL: _l("Individual")}[self]


class DifferenceReason(StrEnum):
    """Why fewer units were accepted than declared."""

    DAMAGED = "damaged"
    EXPIRED = "expired"
    REFUSED = "refused"  # not suitable (wrong item, no certificate, near expiry ...)
    SHORT = "short"  # fewer arrived than declared

    @property
    def label(self):
        return {
            DifferenceReason.DAMAGED: _l("Damaged"),
            DifferenceReason.EXPIRED: _l("Expired"),
            DifferenceReason.REFUSED: _l("Refused"),
            DifferenceReason.SHORT: _l("Short delivery"),
        }[self]


class DonationStatus(StrEnum):
    DECLARED = "declared"
    RECEIVED = "received"

    @property
    def label(self):
        return {
            DonationStatus.DECLARED: _l("Declared, not yet received"),
            DonationStatus.RECEIVED: _l("Received into stock"),
        }[self]


class Donor(Base):
    """An organisation or a person who gives. Named in public only with consent."""

    __tablename__ = "donors"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DonorKind] = enum_column(DonorKind)
    name: Mapped[str] = mapped_column(String(200), index=True)
    contact_name: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(255))
    may_name_publicly: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    donations = relationship("Donation", back_populates="donor", order_by="Donation.donated_date.desc()")

    @property
    def public_name(self):
        """The name the public sees: the donor's own with consent, else 爱心人士 / anonymous donor."""
        return self.name if self.may_name_publicly else _l("Anonymous donor")


class Donation(Base):
    """One gift: its declared lines, then (once received) the receipt and batches it became."""

    __tablename__ = "donations"

    id: Mapped[int] = mapped_column(primary_key=True)
    trace_code: Mapped[str] = mapped_column(String(16), unique=True)
    donor_id: Mapped[int] = mapped_column(ForeignKey("donors.id"), index=True)
    depot_id: Mapped[int] = mapped_column(ForeignKey("depots.id"), index=True)  # receiving depot
    donated_date: Mapped[date] = mapped_column(Date)
    status: Mapped[DonationStatus] = enum_column(DonationStatus, default=DonationStatus.DECLARED)
    receipt_id: Mapped[int | None] = mapped_column(ForeignKey("receipts.id"), unique=True)
    documents: Mapped[str | None] = mapped_column(String(255))  # deed, invoices, certificates (refs)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    donor = relationship(Donor, back_populates="donations")
    depot = relationship("Depot")
    receipt = relationship("Receipt")
    lines = relationship("DonationLine", back_populates="donation", order_by="DonationLine.id")


class DonationLine(Base):
    """One declared item, what was accepted of it and why the rest was not."""

    __tablename__ = "donation_lines"
    __table_args__ = (
        CheckConstraint("declared_quantity > 0", name="declared_positive"),
        CheckConstraint(
            "accepted_quantity IS NULL OR (accepted_quantity >= 0 AND accepted_quantity <= declared_quantity)",
            name="accepted_within_declared",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    donation_id: Mapped[int] = mapped_column(ForeignKey("donations.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    declared_quantity: Mapped[int]
    accepted_quantity: Mapped[int | None]
    difference_reason: Mapped[DifferenceReason | None] = enum_column(DifferenceReason, nullable=True)
    difference_note: Mapped[str | None] = mapped_column(String(255))  # staff only, never public
    batch_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("batches.id"))

    donation = relationship(Donation, back_populates="lines")
    item = relationship("Item", lazy="joined")
    batch = relationship("Batch")

    @property
    def difference(self) -> int:
        return self.declared_quantity - (self.accepted_quantity or 0)
