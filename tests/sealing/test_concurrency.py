"""PostgreSQL commits concurrent transactions out of id order: the sealer must not seal past a
movement id that is still in an open transaction (it would later look inserted). It waits, without
blocking any writer, and then seals both in id order."""

import threading

import pytest
import sqlalchemy as sa

from relief_stock.auth.models import User
from relief_stock.catalogue.models import Item
from relief_stock.database import atomic
from relief_stock.extensions import db
from relief_stock.network.models import Depot
from relief_stock.sealing.models import SealedMovement
from relief_stock.sealing.operations import seal_ledger
from relief_stock.sealing.verify import verify_ledger
from relief_stock.stock import operations as ops

from .helpers import movement_ids


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_movement_committed_after_a_later_one_is_sealed_in_its_place(app, world, receive_one):
    ready, go, results = threading.Event(), threading.Event(), {}
    # Another depot than the later receipts: they must not wait for its balance row.
    ids = (world.users["admin"].id, world.depots["330100"].id, world.items["QUILT"].id)

    def slow_receipt():  # draws the lower movement id, commits last
        with app.app_context():
            user, depot, item = (
                db.session.get(User, ids[0]),
                db.session.get(Depot, ids[1]),
                db.session.get(Item, ids[2]),
            )
            with atomic():
                ops.receive(user, depot, [ops.ReceiptLine(item, 7)], source_kind="purchase")
                ready.set()
                go.wait(20)

    def sealer():
        with app.app_context():
            try:
                results["seal"] = seal_ledger()
            except Exception as error:  # surfaced by the assertions below
                results["error"] = error

    slow = threading.Thread(target=slow_receipt)
    slow.start()
    assert ready.wait(20)
    receive_one(3)  # a later id, committed first
    sealing = threading.Thread(target=sealer)
    sealing.start()
    sealing.join(0.5)
    assert sealing.is_alive(), results or "the sealer must wait for the open transaction"
    receive_one(4)  # writers are not blocked while it waits
    go.set()
    slow.join(20)
    sealing.join(20)
    assert not sealing.is_alive()

    db.session.expire_all()
    sealed = list(db.session.scalars(sa.select(SealedMovement.movement_id).order_by(SealedMovement.position)))
    assert sealed == movement_ids()[:2]  # the slow one and the one committed first, in id order
    seal_ledger()
    assert verify_ledger().ok


def test_sealing_beside_busy_writers_leaves_no_movement_behind(app, world):
    """Four writers and a sealer at full speed: every movement is sealed once, in id order, and the
    ledger verifies."""
    stop, errors = threading.Event(), []
    admin, quilt = world.users["admin"].id, world.items["QUILT"].id
    depots = [world.depots[code].id for code in ("330102", "330106", "330203", "330100")]

    def writer(depot_id):
        with app.app_context():
            user, depot, item = (
                db.session.get(User, admin),
                db.session.get(Depot, depot_id),
                db.session.get(Item, quilt),
            )
            try:
                for _ in range(15):
                    with atomic():
                        batch = ops.receive(
                            user, depot, [ops.ReceiptLine(item, 10)], source_kind="purchase"
                        ).batches[0]
                    with atomic():
                        ops.issue(user, batch, 1)
            except Exception as error:
                errors.append(error)

    def sealer():
        with app.app_context():
            while not stop.is_set():
                seal_ledger()

    writers = [threading.Thread(target=writer, args=(depot,)) for depot in depots]
    sealing = threading.Thread(target=sealer)
    sealing.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join(120)
    stop.set()
    sealing.join(60)
    assert not errors
    seal_ledger()
    report = verify_ledger()
    assert report.ok, report
    assert report.sealed == len(movement_ids()) == 4 * 15 * 2
