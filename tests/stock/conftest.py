"""Stock fixtures: `receive_one(...)` takes a delivery in through the operations module."""
from datetime import date, timedelta

import pytest

from relief_stock.database import atomic
from relief_stock.stock import operations as ops


@pytest.fixture
def receive_one(world):
    """`receive_one(qty, item="QUILT", depot="330102", user="keeper", **line)` -> the new batch."""

    def receive(quantity, item="QUILT", depot="330102", user="keeper", source_kind="purchase",
                received_date=None, **line):
        if world.items[item].is_perishable:
            line.setdefault("expiry_date", date.today() + timedelta(days=365))
        with atomic():
            receipt = ops.receive(world.users[user], world.depots[depot],
                                  [ops.ReceiptLine(world.items[item], quantity, **line)],
                                  source_kind=source_kind, received_date=received_date)
            return receipt.batches[0]

    return receive
