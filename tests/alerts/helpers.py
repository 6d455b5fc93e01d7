"""Stock for alert tests, received through the stock operations (the one writer of stock)."""

from datetime import date, timedelta

from relief_stock.database import local_today
from tests import factories


def receive(world, depot_code, item_key, quantity, expiry_date=None, *, received_date=None):
    """One batch of `quantity` at the depot, received a year ago (so any later expiry is acceptable)."""
    return factories.receive(
        world,
        depot_code,
        item_key,
        quantity,
        expiry_date=expiry_date,
        received_date=received_date or local_today() - timedelta(days=365),
    )


def days(n: int) -> date:
    return local_today() + timedelta(days=n)
