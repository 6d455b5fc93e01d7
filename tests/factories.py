"""Factories for tests: each builds real rows through the operations modules (never raw inserts),
so a test's data obeys the same rules as a user's."""

from dataclasses import dataclass, field
from decimal import Decimal

from relief_stock.auth import operations as auth_ops
from relief_stock.auth.models import Role
from relief_stock.auth.permissions import SYSTEM
from relief_stock.catalogue import operations as catalogue_ops
from relief_stock.catalogue.models import Category
from relief_stock.database import atomic
from relief_stock.extensions import db
from relief_stock.network import operations as network_ops
from relief_stock.network.models import Tier
from relief_stock.stock import operations as stock_ops

PASSWORD = "password-123"


@dataclass
class World:
    depots: dict = field(default_factory=dict)
    items: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)


class Factories:
    def depot(self, code, tier=Tier.COUNTY, parent=None, **fields):
        fields.setdefault("name_zh", f"仓库{code}")
        fields.setdefault("name_en", f"Depot {code}")
        with atomic():
            return network_ops.create_depot(SYSTEM, code=code, tier=tier, parent=parent, **fields)

    def item(self, sku, **fields):
        fields.setdefault("name_zh", f"物资{sku}")
        fields.setdefault("name_en", f"Item {sku}")
        fields.setdefault("category", Category.BEDDING)
        fields.setdefault("unit_zh", "件")
        fields.setdefault("unit_en", "piece")
        fields.setdefault("unit_weight_kg", Decimal("2.5"))
        fields.setdefault("unit_volume_m3", Decimal("0.02"))
        with atomic():
            return catalogue_ops.create_item(SYSTEM, sku=sku, **fields)

    def user(self, username, role=Role.KEEPER, depot=None, **fields):
        fields.setdefault("display_name", username)
        with atomic():
            return auth_ops.create_user(
                SYSTEM, username=username, password=PASSWORD, role=role, depot=depot, **fields
            )

    def world(self) -> World:
        """Province 330000; cities 330100 (Hangzhou) and 330200 (Ningbo); counties 330102, 330106
        under Hangzhou and 330203 under Ningbo. Items QUILT (no expiry) and WATER (perishable)."""
        w = World()
        d = w.depots
        d["330000"] = self.depot(
            "330000", Tier.PROVINCE, lat=30.2666, lng=120.1526, served_population=64567588
        )
        d["330100"] = self.depot(
            "330100", Tier.CITY, d["330000"], lat=30.2469, lng=120.2098, served_population=11936010
        )
        d["330200"] = self.depot(
            "330200", Tier.CITY, d["330000"], lat=29.8683, lng=121.5440, served_population=9404283
        )
        d["330102"] = self.depot(
            "330102", Tier.COUNTY, d["330100"], lat=30.2425, lng=120.1693, served_population=1323467
        )
        d["330106"] = self.depot(
            "330106", Tier.COUNTY, d["330100"], lat=30.2597, lng=120.1301, served_population=1112992
        )
        d["330203"] = self.depot(
            "330203", Tier.COUNTY, d["330200"], lat=29.8888, lng=121.5546, served_population=1146000
        )
        w.items["QUILT"] = self.item(
            "QUILT", name_zh="棉被", name_en="Cotton quilt", unit_zh="床", unit_en="quilt"
        )
        w.items["WATER"] = self.item(
            "WATER",
            name_zh="瓶装水",
            name_en="Bottled water",
            category=Category.WATER,
            unit_zh="箱",
            unit_en="case",
            unit_weight_kg=Decimal("13.8"),
            is_perishable=True,
            shelf_life_months=12,
            min_remaining_shelf_life_days=60,
        )
        u = w.users
        u["admin"] = self.user("admin", Role.ADMIN)
        u["auditor"] = self.user("auditor", Role.AUDITOR)
        u["dispatcher"] = self.user("dispatcher", Role.DISPATCHER, d["330100"])  # Hangzhou and below
        u["province-dispatcher"] = self.user("province-dispatcher", Role.DISPATCHER, d["330000"])
        u["keeper"] = self.user("keeper", Role.KEEPER, d["330102"])
        u["city-keeper"] = self.user("city-keeper", Role.KEEPER, d["330100"])
        u["ningbo-keeper"] = self.user("ningbo-keeper", Role.KEEPER, d["330203"])
        db.session.expire_all()
        return w


def receive(
    world: World,
    depot_code: str,
    sku: str,
    quantity: int,
    *,
    user: str = "admin",
    source_kind: str = "purchase",
    received_date=None,
    **line,
):
    """One delivery of one line through the stock operations; returns the new batch."""
    with atomic():
        receipt = stock_ops.receive(
            world.users[user],
            world.depots[depot_code],
            [stock_ops.ReceiptLine(world.items[sku], quantity, **line)],
            source_kind=source_kind,
            received_date=received_date,
        )
        return receipt.batches[0]
