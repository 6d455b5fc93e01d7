"""Stock for alert tests, received through the stock operations (the one writer of stock)."""
from datetime import date, timedelta

from relief_stock.database import atomic, local_today
from relief_stock.stock import operations as stock_ops
from relief_stock.stock.operations import ReceiptLine


def receive(world, depot_code, item_key, quantity, expiry_date=None, *, received_date=None):
    """One batch of `quantity` at the depot, received a year ago (so any later expiry is acceptable)."""
    with atomic():
        receipt = stock_ops.receive(world.users["admin"], world.depots[depot_code],
                                    [ReceiptLine(world.items[item_key], quantity, expiry_date=expiry_date)],
                                    source_kind="purchase",
                                    received_date=received_date or local_today() - timedelta(days=365))
        return receipt.batches[0]


def days(n: int) -> date:
    return local_today() + timedelta(days=n)
