"""Many keepers issuing from one batch at the same moment, through a real multi-worker server.

The app runs under gunicorn (4 worker processes) on its own fresh database; 8 client threads send
issues of 3 units at a batch of 200 until well past empty. The books must balance exactly: units
issued + final balance = 200, the final balance is below 3, the ledger sums to the balance, every
request got 201 or 409 (never a 500, never a lost update), and reconcile finds nothing.
"""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from relief_stock import create_app
from relief_stock.auth import operations as auth_ops
from relief_stock.database import atomic
from relief_stock.extensions import db
from relief_stock.stock import operations as ops
from relief_stock.stock.models import Batch, Movement, StockLevel
from relief_stock.stock.reconcile import reconcile
from tests.factories import Factories
from tests.stock.server import gunicorn, request

pytestmark = pytest.mark.slow

START, EACH, THREADS, PER_THREAD = 200, 3, 8, 12  # 288 units asked for 200 on the shelf


def seed(url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        world = Factories().world()
        with atomic():
            keeper = world.users["keeper"]
            receipt = ops.receive(
                keeper,
                world.depots["330102"],
                [ops.ReceiptLine(world.items["QUILT"], START)],
                source_kind="purchase",
            )
            code = receipt.batches[0].code
            _token, secret = auth_ops.issue_token(keeper, "hammer")
        db.session.remove()
        db.engine.dispose()
    return app, code, secret


def test_issues_from_many_workers_never_oversell(own_database):
    app, code, token = seed(own_database)
    with gunicorn(own_database, workers=4) as base:

        def hammer(_thread):
            return [
                request(
                    "POST",
                    f"{base}/api/v1/batches/{code}/issue",
                    token,
                    json.dumps({"quantity": EACH}).encode(),
                )[0]
                for _ in range(PER_THREAD)
            ]

        with ThreadPoolExecutor(THREADS) as pool:
            statuses = [s for batch in pool.map(hammer, range(THREADS)) for s in batch]
    issued, refused = statuses.count(201), statuses.count(409)
    assert issued + refused == THREADS * PER_THREAD, sorted(set(statuses))
    with app.app_context():
        try:
            check_books(code, issued)
        finally:
            db.session.remove()
            db.engine.dispose()


def check_books(code, issued):
    batch = db.session.scalar(db.select(Batch).where(Batch.code == code))
    ledger = db.session.scalar(db.select(db.func.sum(Movement.quantity)).where(Movement.batch_id == batch.id))
    issues = db.session.scalar(
        db.select(db.func.count(Movement.id)).where(Movement.batch_id == batch.id, Movement.kind == "issue")
    )
    level = db.session.get(StockLevel, (batch.depot_id, batch.item_id))
    assert batch.quantity == START - EACH * issued == ledger == level.on_hand == level.available
    assert 0 <= batch.quantity < EACH and issues == issued == START // EACH
    assert reconcile() == []
