"""The depot tree (province -> city -> county) and storage locations inside a depot."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import Base, TimestampMixin, enum_column


class Tier(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"

    @property
    def label(self):
        return TIER_LABELS[self]

    @property
    def parent_tier(self):
        return {Tier.CITY: Tier.PROVINCE, Tier.COUNTY: Tier.CITY}.get(self)


TIER_LABELS = {Tier.PROVINCE: _l("Province"), Tier.CITY: _l("City"), Tier.COUNTY: _l("County")}


class Depot(TimestampMixin, Base):
    """A reserve depot. `code` is the administrative division code it serves (e.g. 330100).

    `path` is the materialised path of codes from the root ("/330000/330100/"), so "this depot and its
    subtree" is one indexed prefix match; the operations module keeps it in step with `parent`.
    """

    __tablename__ = "depots"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name_zh: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str] = mapped_column(String(128))
    tier: Mapped[Tier] = enum_column(Tier)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("depots.id"), index=True)
    path: Mapped[str] = mapped_column(String(255), index=True)
    lat: Mapped[float | None]
    lng: Mapped[float | None]
    address: Mapped[str | None] = mapped_column(String(255))
    contact_name: Mapped[str | None] = mapped_column(String(64))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    served_population: Mapped[int | None]
    avg_household_size: Mapped[float | None]
    is_active: Mapped[bool] = mapped_column(default=True)

    parent = relationship("Depot", remote_side=[id], back_populates="children")
    children = relationship("Depot", back_populates="parent", order_by="Depot.code")
    locations = relationship("Location", back_populates="depot", order_by="Location.code")

    def __repr__(self):
        return f"<Depot {self.code} {self.name_en}>"

    @property
    def parent_code(self) -> str | None:
        return self.parent.code if self.parent is not None else None

    def covers(self, other: "Depot") -> bool:
        """True when `other` is this depot or lies in its subtree."""
        return other.path.startswith(self.path)


class Location(Base):
    """A bin, shelf or bay inside a depot; its code is unique within the depot (e.g. A-01-03)."""

    __tablename__ = "locations"
    __table_args__ = (UniqueConstraint("depot_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    depot_id: Mapped[int] = mapped_column(ForeignKey("depots.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(128))
    is_active: Mapped[bool] = mapped_column(default=True)

    depot = relationship(Depot, back_populates="locations")
