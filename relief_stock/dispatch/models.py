"""Emergencies, their affected sites and needs, plans with their lines, approvals, and the link from
an approved plan to the transfer orders it created.

A plan is a snapshot: its shipment lines keep the quantity the planner proposed (`planned_quantity`)
beside the quantity the officer settled on (`quantity`), with the reason for any edit, so a review can
always tell what the rules said and what people decided.
"""

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import Base, UTCDateTime, enum_column, utcnow
from .allocation import Limit


class EmergencyKind(StrEnum):
    TYPHOON = "typhoon"
    FLOOD = "flood"
    EARTHQUAKE = "earthquake"
    DRILL = "drill"

    @property
    def label(self):
        return {
            EmergencyKind.TYPHOON: _l("Typhoon"),
            EmergencyKind.FLOOD: _l("Flood"),
            EmergencyKind.EARTHQUAKE: _l("Earthquake"),
            EmergencyKind.DRILL: _l("Drill"),
        }[self]


class PlanStatus(StrEnum):
    DRAFT = "draft"  # proposed, being reviewed and edited
    APPROVED = "approved"  # transfer orders created
    SUPERSEDED = "superseded"  # replaced by a newer plan of the same emergency

    @property
    def label(self):
        return {
            PlanStatus.DRAFT: _l("Draft"),
            PlanStatus.APPROVED: _l("Approved"),
            PlanStatus.SUPERSEDED: _l("Superseded"),
        }[self]


class Emergency(Base):
    """An emergency response (or a drill, 演练, which moves no real stock)."""

    __tablename__ = "emergencies"
    __table_args__ = (
        CheckConstraint("response_level BETWEEN 1 AND 4", name="response_level_range"),
        CheckConstraint("days_to_cover > 0", name="days_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[EmergencyKind] = enum_column(EmergencyKind)
    response_level: Mapped[int]  # 1 (I, gravest) .. 4 (IV)
    is_drill: Mapped[bool] = mapped_column(default=False)
    days_to_cover: Mapped[int] = mapped_column(default=3)
    scope_depot_id: Mapped[int | None] = mapped_column(ForeignKey("depots.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    notes: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # closing releases commitments

    scope_depot = relationship("Depot")
    created_by = relationship("User")
    sites = relationship("AffectedSite", back_populates="emergency", order_by="AffectedSite.id")
    plans = relationship("Plan", back_populates="emergency", order_by="Plan.id")

    @property
    def level_label(self) -> str:
        return ("I", "II", "III", "IV")[self.response_level - 1]


class AffectedSite(Base):
    """A place that needs relief: a depot of ours, or a point (a school used as a shelter...)."""

    __tablename__ = "affected_sites"
    __table_args__ = (CheckConstraint("population >= 0 AND households >= 0", name="counts_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    emergency_id: Mapped[int] = mapped_column(ForeignKey("emergencies.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    depot_id: Mapped[int | None] = mapped_column(ForeignKey("depots.id"))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    population: Mapped[int] = mapped_column(default=0)
    households: Mapped[int] = mapped_column(default=0)

    emergency = relationship(Emergency, back_populates="sites")
    depot = relationship("Depot")
    needs = relationship("NeedLine", back_populates="site", order_by="NeedLine.id")


class ReliefCategory(Base):
    """A relief need measured in its own unit (households sheltered, blanket-equivalents, litres of
    drinking water ...), its standard per person, household or day, and the items that meet it."""

    __tablename__ = "relief_categories"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("priority BETWEEN 1 AND 3", name="priority_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    unit_zh: Mapped[str] = mapped_column(String(32))  # the unit of need: 户, 条当量, 升 ...
    unit_en: Mapped[str] = mapped_column(String(32))
    amount: Mapped[float] = mapped_column(Float)  # need units per basis unit
    basis: Mapped[str] = mapped_column(String(16))  # needs.BASES
    priority: Mapped[int] = mapped_column(Integer, default=1)
    standard_zh: Mapped[str] = mapped_column(String(255))
    standard_en: Mapped[str] = mapped_column(String(255))
    source: Mapped[str | None] = mapped_column(Text)  # where the standard comes from
    position: Mapped[int] = mapped_column(default=0)  # display and planning order

    members = relationship("CategoryMember", back_populates="category", order_by="CategoryMember.rank")


class CategoryMember(Base):
    """An item that meets a category, how much of the need one unit covers, and its preference rank."""

    __tablename__ = "category_members"
    __table_args__ = (
        UniqueConstraint("category_id", "item_id"),
        CheckConstraint("coverage > 0", name="coverage_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("relief_categories.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    coverage: Mapped[float] = mapped_column(Float)
    rank: Mapped[int] = mapped_column(default=1)  # 1 = preferred
    source: Mapped[str | None] = mapped_column(String(255))  # why one unit covers that much

    category = relationship(ReliefCategory, back_populates="members")
    item = relationship("Item", lazy="joined")


class NeedLine(Base):
    """What one site needs of one item, or of one relief category (then in the category's unit), the
    standard it was estimated from, and its priority class."""

    __tablename__ = "need_lines"
    __table_args__ = (
        UniqueConstraint("site_id", "item_id"),
        UniqueConstraint("site_id", "category_id"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("priority BETWEEN 1 AND 3", name="priority_range"),
        CheckConstraint(
            "(item_id IS NULL AND category_id IS NOT NULL) OR (item_id IS NOT NULL AND category_id IS NULL)",
            name="item_or_category",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("affected_sites.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("relief_categories.id"))
    quantity: Mapped[int]
    estimated_quantity: Mapped[int | None]  # what the standard gave (None: added by hand)
    priority: Mapped[int] = mapped_column(Integer, default=1)
    standard: Mapped[str | None] = mapped_column(String(255))  # e.g. "Sphere: 15 L/person/day"

    site = relationship(AffectedSite, back_populates="needs")
    item = relationship("Item", lazy="joined")
    category = relationship(ReliefCategory, lazy="joined")


class Plan(Base):
    """A dispatch plan for one emergency, computed by the planner from live stock and norms."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    emergency_id: Mapped[int] = mapped_column(ForeignKey("emergencies.id"), index=True)
    status: Mapped[PlanStatus] = enum_column(PlanStatus, default=PlanStatus.DRAFT)
    release_reserves: Mapped[bool] = mapped_column(default=False)
    road_factor: Mapped[float] = mapped_column(Float, default=1.3)
    ton_km: Mapped[float] = mapped_column(Float, default=0.0)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The minimum lot it was made with (dispatch/min_lot.py; 0: every depot drawn on) and what that
    # held back: [{"depot", "sku", "units", "kg"}] by depot and item (None: nothing held back).
    min_lot_kg: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    min_lot_beyond_km: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    held_back: Mapped[list | None] = mapped_column(JSON)

    emergency = relationship(Emergency, back_populates="plans")
    created_by = relationship("User")
    outcomes = relationship("PlanOutcome", back_populates="plan", order_by="PlanOutcome.id")
    lines = relationship("PlanLine", back_populates="plan", order_by="PlanLine.id")
    approvals = relationship("PlanApproval", back_populates="plan", order_by="PlanApproval.id")
    transfers = relationship("PlanTransfer", back_populates="plan", order_by="PlanTransfer.id")

    @property
    def held_back_lots(self) -> list:
        return self.held_back or []


class PlanOutcome(Base):
    """Per need line: requested, planned, and the rule that limited it; for a category line, the
    items that filled it, the coverage held back below reserve floors and what releasing them gives;
    for any line of a plan with a minimum lot, what the lot held back and what drawing on it gives."""

    __tablename__ = "plan_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("affected_sites.id"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("relief_categories.id"))
    priority: Mapped[int]
    requested: Mapped[int]
    planned: Mapped[int]
    limited_by: Mapped[Limit] = enum_column(Limit)
    fills: Mapped[list | None] = mapped_column(JSON)  # [{"sku", "units", "coverage"}] in preference order
    held_in_reserve: Mapped[int] = mapped_column(default=0, server_default="0")
    if_released: Mapped[int | None]
    held_back: Mapped[int] = mapped_column(default=0, server_default="0")  # by the minimum lot
    if_lots_drawn: Mapped[int | None]  # what drawing on the held-back lots would give (None: no lot)

    plan = relationship(Plan, back_populates="outcomes")
    site = relationship(AffectedSite)
    item = relationship("Item", lazy="joined")
    category = relationship(ReliefCategory, lazy="joined")


class PlanLine(Base):
    """One shipment: a depot sends an item to a site. Edits keep the planner's quantity and a reason."""

    __tablename__ = "plan_lines"
    __table_args__ = (CheckConstraint("quantity >= 0", name="quantity_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    from_depot_id: Mapped[int] = mapped_column(ForeignKey("depots.id"))
    site_id: Mapped[int] = mapped_column(ForeignKey("affected_sites.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[int]
    planned_quantity: Mapped[int]
    km: Mapped[float] = mapped_column(Float)
    limited_by: Mapped[Limit] = enum_column(Limit)  # the rule that limited the need line it serves
    category_id: Mapped[int | None] = mapped_column(ForeignKey("relief_categories.id"))  # its need line's
    below_floor: Mapped[bool] = mapped_column(default=False)  # an edit took the depot under its reserve
    edit_reason: Mapped[str | None] = mapped_column(String(255))
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    plan = relationship(Plan, back_populates="lines")
    from_depot = relationship("Depot")
    site = relationship(AffectedSite)
    item = relationship("Item", lazy="joined")
    category = relationship(ReliefCategory, lazy="joined")
    edited_by = relationship("User")


class PlanApproval(Base):
    """A dispatcher's approval of a plan; the approvals needed are worked out in approvals.py."""

    __tablename__ = "plan_approvals"
    __table_args__ = (UniqueConstraint("plan_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    note: Mapped[str | None] = mapped_column(String(255))

    plan = relationship(Plan, back_populates="approvals")
    user = relationship("User", lazy="joined")


class PlanTransfer(Base):
    """The transfer orders an approved plan created (one per depot and site)."""

    __tablename__ = "plan_transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("affected_sites.id"))

    plan = relationship(Plan, back_populates="transfers")
    transfer = relationship("Transfer")
    site = relationship(AffectedSite)


class PlanFleet(Base):
    """The trucks of a plan made with vehicle types: its transport cost when the planner made it, the
    proven lower bound and gap, and the ton-km plan of the same quantities costed the same way."""

    __tablename__ = "plan_fleets"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), unique=True)
    cost: Mapped[float] = mapped_column(Float)
    lower_bound: Mapped[float] = mapped_column(Float)
    gap: Mapped[float] = mapped_column(Float)
    baseline_cost: Mapped[float] = mapped_column(Float)
    baseline_trucks: Mapped[int]
    baseline_vehicle_km: Mapped[float] = mapped_column(Float)
    baseline_ton_km: Mapped[float] = mapped_column(Float)

    plan = relationship(Plan)


class VehicleType(Base):
    """A vehicle type the planner may send (admin page); when none is stored, DISPATCH_VEHICLES."""

    __tablename__ = "vehicle_types"
    __table_args__ = (
        CheckConstraint("capacity_kg > 0 AND capacity_m3 > 0", name="capacity_positive"),
        CheckConstraint("fixed_cost >= 0 AND cost_per_km >= 0", name="cost_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    capacity_kg: Mapped[float] = mapped_column(Float)
    capacity_m3: Mapped[float] = mapped_column(Float)
    fixed_cost: Mapped[float] = mapped_column(Float)
    cost_per_km: Mapped[float] = mapped_column(Float)
