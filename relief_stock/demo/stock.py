"""Demo stock: fills the demo depots through the stock operations, so the ledger is real.

Scale: the province depot holds about twice the Shanghai Red Cross standing stock (常备救灾物资目录
2021: 1500 quilts, 100 tents, 1500 blankets, 1000 family kits, 500 jackets, 200 folding beds, 5000
masks); city and county depots hold stock in proportion to the population they serve, counties
thinner than cities. Some batches are near expiry, some expired, some quarantined, some donated
(with donor names and references); a few counties lack some items; two transfers are in transit.
Every depot has storage locations (so location labels and `/l/` codes can be tried) with its
purchased stock shelved on them, and the Shangcheng county depot has an order to pick.
"""

import random
from datetime import date, timedelta

from sqlalchemy import select

from ..auth.models import User
from ..catalogue.models import Item
from ..database import local_today
from ..extensions import db
from ..network.models import Depot, Tier
from ..network.operations import create_location
from ..scanning import codes
from ..stock import operations as ops
from ..stock.models import Transfer, TransferLine

# SKU -> units at the province depot (Shanghai standing stock x 2; masks in boxes of 50).
PROVINCE_STOCK = {
    "BED-QUILT": 3000,
    "SHL-TENT-12S": 200,
    "BED-BLKT-W30": 3000,
    "HH-FAMILYKIT": 2000,
    "CLO-JACKET": 1000,
    "BED-FOLDBED": 400,
    "MED-MASK-50": 200,
    "WAT-BOTTLE-24": 600,
    "FOD-BISCUIT": 400,
    "MED-FAK": 300,
    "HYG-SOAP-250": 1000,
    "SHL-TARP-4X6": 300,
}
# Stock per served person relative to the province depot: cities hold more per head than counties.
TIER_DEPTH = {Tier.PROVINCE: 1.0, Tier.CITY: 0.6, Tier.COUNTY: 0.25}
# Storage locations of every demo depot: a receiving area and shelves (code, Chinese name).
LOCATIONS = (("RCV", "收货区"), ("A-01", "A区1号货架"), ("A-02", "A区2号货架"), ("B-01", "B区1号货架"))
PICKING_DEPOT = "330102"  # Shangcheng: its keeper (sc-keeper) finds an order to pick
DONORS = (
    ("浙商爱心联盟", "ZJ-DON-2025-031"),
    ("社会爱心人士（匿名）", "ZJ-DON-2025-047"),
    ("杭州某科技公司", "ZJ-DON-2026-002"),
)


def _expiry(item, rng, today):
    if not item.shelf_life_months:
        return None
    return today + timedelta(days=rng.randint(90, item.shelf_life_months * 30))


def _quantity(base, depot, province_population, rng):
    if depot.tier is Tier.PROVINCE:
        share = 1.0
    else:
        share = TIER_DEPTH[depot.tier] * 8 * (depot.served_population or 0) / province_population
    return max(int(base * share * rng.uniform(0.7, 1.3)), 0)


def load_stock(today: date | None = None) -> str:
    today = today or local_today()
    rng = random.Random(2026)
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    items = {i.sku: i for i in db.session.scalars(select(Item).where(Item.sku.in_(PROVINCE_STOCK)))}
    depots = list(db.session.scalars(select(Depot).order_by(Depot.path)))
    province_population = max((d.served_population or 0) for d in depots) or 1
    batches = 0
    for index, depot in enumerate(depots):
        shelves = [create_location(depot, code, name) for code, name in LOCATIONS][1:]
        lines = []
        for sku, base in PROVINCE_STOCK.items():
            short = depot.tier is Tier.COUNTY and index % 7 == 3 and sku in ("SHL-TENT-12S", "BED-QUILT")
            quantity = _quantity(base, depot, province_population, rng)
            if sku in items and quantity > 0 and not short:
                lines.append(
                    ops.ReceiptLine(
                        items[sku],
                        quantity,
                        expiry_date=_expiry(items[sku], rng, today),
                        location=shelves[len(lines) % len(shelves)],
                    )
                )
        if lines:
            ops.receive(
                admin,
                depot,
                lines,
                source_kind="purchase",
                received_date=today - timedelta(days=60),
                supplier="省级财政采购",
                delivery_note_ref=f"CG-{depot.code}-01",
            )
            batches += len(lines)
        batches += _extras(admin, depot, index, items, rng, today)
    _transfers_in_transit(admin, depots, items)
    _order_to_pick(admin, depots, items)
    return f"{batches} batches of demo stock"


def _extras(admin, depot, index, items, rng, today) -> int:
    """Donations, near-expiry, expired and quarantined batches at some depots."""
    made = 0
    if index % 5 == 0:
        donor, ref = DONORS[index % len(DONORS)]
        ops.receive(
            admin,
            depot,
            [ops.ReceiptLine(items["BED-BLKT-W30"], rng.randint(50, 300), donor_name=donor)],
            source_kind="donation",
            supplier=donor,
            donor_ref=ref,
            received_date=today - timedelta(days=20),
        )
        made += 1
    if index % 4 == 1:  # water that expires within the month
        ops.receive(
            admin,
            depot,
            [
                ops.ReceiptLine(
                    items["WAT-BOTTLE-24"],
                    rng.randint(20, 80),
                    expiry_date=today + timedelta(days=rng.randint(5, 25)),
                )
            ],
            source_kind="allocation",
            received_date=today - timedelta(days=340),
        )
        made += 1
    if index % 6 == 2:  # biscuits past their date, caught by the expiry check
        receipt = ops.receive(
            admin,
            depot,
            [
                ops.ReceiptLine(
                    items["FOD-BISCUIT"],
                    rng.randint(10, 40),
                    expiry_date=today - timedelta(days=rng.randint(1, 30)),
                )
            ],
            source_kind="purchase",
            received_date=today - timedelta(days=700),
        )
        ops.expire(receipt.batches[0], today=today)
        made += 1
    if index % 9 == 4:
        receipt = ops.receive(
            admin,
            depot,
            [
                ops.ReceiptLine(
                    items["MED-MASK-50"], rng.randint(10, 40), expiry_date=today + timedelta(days=400)
                )
            ],
            source_kind="purchase",
            received_date=today - timedelta(days=10),
        )
        ops.quarantine(admin, receipt.batches[0], reason="包装受潮，待检验")
        made += 1
    return made


def _transfers_in_transit(admin, depots, items):
    province = next(d for d in depots if d.tier is Tier.PROVINCE)
    cities = [d for d in depots if d.tier is Tier.CITY][:2]
    for city in cities:
        transfer = Transfer(
            number=codes.next_code(codes.TRANSFER, province.code),
            from_depot_id=province.id,
            to_depot_id=city.id,
            created_by_id=admin.id,
            vehicle_plate="浙A·D2026",
            driver_name="王师傅",
            notes="演示：省库向市库补充棉被",
        )
        db.session.add(transfer)
        db.session.flush()
        line = TransferLine(transfer_id=transfer.id, item_id=items["BED-QUILT"].id, quantity=200)
        db.session.add(line)
        db.session.flush()
        batch = next(b for b in province_batches(province, items["BED-QUILT"]))
        ops.pick(admin, line, batch, 200)
        ops.dispatch_transfer(admin, transfer)


def _order_to_pick(admin, depots, items):
    """A draft order from the Shangcheng depot to Hangzhou: blankets, waiting to be picked."""
    sender = next((d for d in depots if d.code == PICKING_DEPOT), None)
    if sender is None or sender.parent is None:
        return
    transfer = Transfer(
        number=codes.next_code(codes.TRANSFER, sender.code),
        from_depot_id=sender.id,
        to_depot_id=sender.parent.id,
        created_by_id=admin.id,
        notes="演示：县库向市库调出毛毯",
    )
    db.session.add(transfer)
    db.session.flush()
    db.session.add(TransferLine(transfer_id=transfer.id, item_id=items["BED-BLKT-W30"].id, quantity=20))
    db.session.flush()


def province_batches(depot, item):
    from ..stock.balances import depot_batches

    return depot_batches(depot, item=item.sku)
