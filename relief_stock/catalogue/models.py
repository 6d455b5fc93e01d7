"""The relief item catalogue: what can be stocked, in which unit, how heavy and how perishable."""

from decimal import Decimal
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Base, TimestampMixin, enum_column


class Category(StrEnum):
    SHELTER = "shelter"
    BEDDING = "bedding"
    CLOTHING = "clothing"
    HOUSEHOLD = "household"
    WATER = "water"
    FOOD = "food"
    MEDICAL = "medical"
    HYGIENE = "hygiene"
    LIGHTING_POWER = "lighting_power"
    RESCUE = "rescue"
    TOOLS = "tools"
    VECTOR_CONTROL = "vector_control"

    @property
    def label(self):
        return CATEGORY_LABELS[self]


CATEGORY_LABELS = {
    Category.SHELTER: _l("Shelter"),
    Category.BEDDING: _l("Bedding"),
    Category.CLOTHING: _l("Clothing"),
    Category.HOUSEHOLD: _l("Household"),
    Category.WATER: _l("Water"),
    Category.FOOD: _l("Food"),
    Category.MEDICAL: _l("Medical"),
    Category.HYGIENE: _l("Hygiene"),
    Category.LIGHTING_POWER: _l("Lighting and power"),
    Category.RESCUE: _l("Rescue"),
    Category.TOOLS: _l("Tools"),
    Category.VECTOR_CONTROL: _l("Vector control"),
}


class Item(TimestampMixin, Base):
    """A catalogue item. Weights and volumes are per unit of issue and may be unknown (None)."""

    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    category: Mapped[Category] = enum_column(Category)
    unit_zh: Mapped[str] = mapped_column(String(16))
    unit_en: Mapped[str] = mapped_column(String(32))
    unit_weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    unit_volume_m3: Mapped[Decimal | None] = mapped_column(Numeric(12, 6))
    is_perishable: Mapped[bool] = mapped_column(default=False)
    shelf_life_months: Mapped[int | None]
    min_remaining_shelf_life_days: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self):
        return f"<Item {self.sku}>"
