"""Database builders for the print endpoint tests, all through the operations: stock received by
stock.operations, transfers created by the dispatch flow (emergency -> plan -> approval)."""

from datetime import timedelta

from relief_stock.auth.permissions import SYSTEM
from relief_stock.database import atomic, local_today
from relief_stock.dispatch import operations as dispatch_ops
from relief_stock.dispatch.models import EmergencyKind
from relief_stock.network import operations as network_ops
from relief_stock.stock import operations as stock_ops
from relief_stock.stock.kinds import SourceKind

SITE = (30.30, 120.20)  # a school used as a shelter, north of Hangzhou


def receive(world, depot_code: str, lines: list[tuple], *, donor: str | None = None, user="admin"):
    """A receipt at `depot_code` of [(sku, quantity[, location, days to expiry])], donated when `donor`
    is given. Perishable items expire in 300 days unless the line says otherwise."""
    depot = world.depots[depot_code]
    receipt_lines = []
    for sku, quantity, *rest in lines:
        location = rest[0] if rest else None
        days = rest[1] if len(rest) > 1 else (300 if world.items[sku].is_perishable else None)
        receipt_lines.append(
            stock_ops.ReceiptLine(
                world.items[sku],
                quantity,
                location=location,
                expiry_date=local_today() + timedelta(days=days) if days else None,
            )
        )
    with atomic():
        return stock_ops.receive(
            world.users[user],
            depot,
            receipt_lines,
            source_kind=SourceKind.DONATION if donor else SourceKind.PURCHASE,
            supplier=donor,
            donor_ref="DON-2026-001" if donor else None,
        )


def transfer_from(world, depot_code: str, needs: dict[str, int]):
    """A transfer order from `depot_code` (which must hold the stock) to a site, via an approved plan."""
    admin = world.users["admin"]
    with atomic():
        emergency = dispatch_ops.create_emergency(
            admin, name="台风演练", kind=EmergencyKind.FLOOD, response_level=3, scope_depot=None
        )
        site = dispatch_ops.add_site(
            admin, emergency, name="城北小学安置点", lat=SITE[0], lng=SITE[1], population=100
        )
        for sku, quantity in needs.items():
            dispatch_ops.set_need(admin, site, world.items[sku], quantity, 1)
    with atomic():  # every depot drawn on (min lot 0): the order must come from `depot_code`
        plan = dispatch_ops.make_plan(admin, emergency, min_lot_kg=0)
    with atomic():
        transfers = dispatch_ops.approve(admin, plan)
    (transfer,) = [t for t in transfers if t.from_depot.code == depot_code]
    return transfer


def location(world, depot_code: str, code: str, name: str | None = None):
    with atomic():
        return network_ops.create_location(SYSTEM, world.depots[depot_code], code, name)
