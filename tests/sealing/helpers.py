"""Stock history for the sealing tests, written through the stock operations, and raw-SQL tampering."""

import sqlalchemy as sa

from relief_stock.database import atomic
from relief_stock.extensions import db
from relief_stock.stock import operations as ops


def history(world, receive_one, receipts=3):
    """A few receipts at the Shangcheng depot, each followed by an issue and a write-off."""
    keeper = world.users["keeper"]
    for number in range(receipts):
        batch = receive_one(50 + number)
        with atomic():
            ops.issue(keeper, batch, 5)
            ops.write_off(keeper, batch, 1, reason="受潮")


def movement_ids() -> list[int]:
    return list(db.session.scalars(sa.text("SELECT id FROM movements ORDER BY id")))


def raw(sql: str, **params) -> None:
    """Tamper as someone with database access would: plain SQL, committed, no application code."""
    with db.engine.begin() as connection:
        connection.execute(sa.text(sql), params)
    db.session.expire_all()
