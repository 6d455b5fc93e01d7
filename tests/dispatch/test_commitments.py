"""Committed stock: approval promises the planned units at the sending depots, the planner plans
only what is left to promise, dispatch consumes, cancel / cut down / close release, reconcile checks
it all, and two approvals racing from two processes never promise more than exists."""

import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select, update

from relief_stock import create_app
from relief_stock.database import atomic
from relief_stock.dispatch import operations, queries, transfers
from relief_stock.errors import Conflict, PermissionDenied
from relief_stock.extensions import db
from relief_stock.stock import operations as stock_ops
from relief_stock.stock.commitments import open_commitment
from relief_stock.stock.kinds import TransferStatus
from relief_stock.stock.models import Commitment, StockLevel
from relief_stock.stock.reconcile import reconcile
from tests.dispatch.helpers import emergency, receive
from tests.factories import Factories

ROOT = Path(__file__).resolve().parents[2]
POINT = (30.30, 120.20)


def level(world, depot="330102", sku="QUILT") -> StockLevel:
    db.session.expire_all()
    return db.session.get(StockLevel, (world.depots[depot].id, world.items[sku].id))


def planned(world, qty, user="dispatcher"):
    e = emergency(world, sites=[("school", POINT, {"QUILT": (qty, 1)})])
    with atomic():
        return operations.make_plan(world.users[user], e)


def approve(world, plan, user="dispatcher"):
    with atomic():
        return operations.approve(world.users[user], plan)


def test_approval_commits_and_the_next_plan_draws_only_what_is_left(world):
    receive(world, "330102", "QUILT", 100)
    (transfer,) = approve(world, planned(world, 80))
    stock = level(world)
    assert (stock.available, stock.committed, stock.available_to_promise) == (100, 80, 20)
    assert open_commitment(transfer.lines[0]) == 80
    second = planned(world, 80)
    assert [line.quantity for line in second.lines] == [20]
    assert reconcile() == []


def test_second_approval_of_stock_already_promised_is_refused_by_name(world):
    receive(world, "330102", "QUILT", 100)
    first, second = planned(world, 80), planned(world, 70)  # both planned from the same 100
    approve(world, first)
    with pytest.raises(Conflict) as refused:
        approve(world, second)
    message = str(refused.value)
    assert "QUILT" in message and "330102" in message and "20" in message
    db.session.expire_all()
    assert second.status.value == "draft" and not second.transfers  # the whole approval rolled back
    assert level(world).committed == 80 and reconcile() == []


def test_dispatch_consumes_what_was_picked_and_releases_the_rest(world):
    batch = receive(world, "330102", "QUILT", 100)
    (transfer,) = approve(world, planned(world, 50))
    keeper = world.users["keeper"]
    with atomic():
        transfers.scan_pick(keeper, transfer, batch.code, quantity=30)
        stock_ops.dispatch_transfer(keeper, transfer)
    stock = level(world)
    assert (stock.on_hand, stock.available, stock.committed) == (70, 70, 0)
    kinds = [
        (c.kind.value, c.quantity) for c in db.session.scalars(select(Commitment).order_by(Commitment.id))
    ]
    assert kinds == [("commit", 50), ("consume", -30), ("release", -20)]
    assert reconcile() == []


def test_cancel_cut_down_and_close_release_the_commitment(world):
    receive(world, "330102", "QUILT", 100)
    (first,) = approve(world, planned(world, 40))
    (second,) = approve(world, planned(world, 30))
    assert level(world).committed == 70
    officer = world.users["dispatcher"]
    with atomic():
        stock_ops.reduce_line(officer, first.lines[0], 25, "site needs less")
    assert level(world).committed == 55 and first.lines[0].quantity == 25
    with atomic():
        stock_ops.cancel_transfer(officer, first, "road closed")
    assert first.status is TransferStatus.CANCELLED and level(world).committed == 30
    with atomic():
        (cancelled,) = operations.close_emergency(officer, queries.plan_of_transfer(second).emergency)
    assert cancelled is second and level(world).committed == 0
    assert reconcile() == []


def test_keepers_may_not_cancel_and_dispatched_orders_cannot_be(world):
    batch = receive(world, "330102", "QUILT", 100)
    (transfer,) = approve(world, planned(world, 10))
    with pytest.raises(PermissionDenied):
        with atomic():
            stock_ops.cancel_transfer(world.users["keeper"], transfer)
    with atomic():
        transfers.scan_pick(world.users["keeper"], transfer, batch.code)
        stock_ops.dispatch_transfer(world.users["keeper"], transfer)
    with pytest.raises(Conflict):
        with atomic():
            stock_ops.cancel_transfer(world.users["dispatcher"], transfer)


def test_reconcile_names_a_committed_balance_that_disagrees(world):
    receive(world, "330102", "QUILT", 100)
    approve(world, planned(world, 10))
    with atomic():
        db.session.execute(update(StockLevel).where(StockLevel.committed > 0).values(committed=7))
    (mismatch,) = reconcile()
    assert mismatch.check == "committed vs commitments" and (mismatch.expected, mismatch.actual) == (10, 7)


RACER = """
import sys, time, pathlib
from relief_stock import create_app
from relief_stock.database import atomic
from relief_stock.dispatch import operations, queries
from relief_stock.auth.models import User
from relief_stock.errors import Conflict, PermissionDenied
from relief_stock.extensions import db
url, plan_id, user_id, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), pathlib.Path(sys.argv[4])
app = create_app({"SQLALCHEMY_DATABASE_URI": url})
with app.app_context(), app.test_request_context():
    user = db.session.get(User, user_id)
    while not go.exists():
        time.sleep(0.005)
    try:
        with atomic():
            created = operations.approve(user, queries.plan_by_id(plan_id))
        print("approved", len(created))
    except Conflict as error:
        print("refused", error)
"""


@pytest.mark.slow
def test_two_processes_racing_to_approve_never_commit_more_than_exists(own_database, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": own_database})
    with app.app_context(), app.test_request_context():
        world = Factories().world()
        receive(world, "330102", "QUILT", 100)
        plans = [planned(world, 70).id for _ in range(2)]
        user_id = world.users["dispatcher"].id
        db.session.remove()
        db.engine.dispose()
    go = tmp_path / "go"
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, own_database, str(plan_id), str(user_id), str(go)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for plan_id in plans
    ]
    time.sleep(3)  # both have started their app and wait at the line
    go.touch()
    outputs = [racer.communicate(timeout=120) for racer in racers]
    answers = sorted(out.strip().splitlines()[-1] for out, _err in outputs)
    assert answers[0].startswith("approved 1"), outputs
    assert answers[1].startswith("refused") and "QUILT" in answers[1] and "330102" in answers[1], outputs
    with app.app_context():
        stock = db.session.scalar(select(StockLevel).where(StockLevel.committed > 0))
        assert (stock.available, stock.committed) == (100, 70)
        assert reconcile() == []
        db.session.remove()
        db.engine.dispose()


def test_stock_answers_carry_committed_and_available_to_promise(world, client):
    from relief_stock.auth import operations as auth_ops

    receive(world, "330102", "QUILT", 100)
    approve(world, planned(world, 80))
    with atomic():
        _token, secret = auth_ops.issue_token(world.users["auditor"], "read")
    headers = {"Authorization": f"Bearer {secret}"}
    (row,) = client.get("/api/v1/stock/depots/330102", headers=headers).get_json()
    assert (row["available"], row["committed"], row["available_to_promise"]) == (100, 80, 20)
    (row,) = client.get("/api/v1/stock/items/QUILT", headers=headers).get_json()
    assert (row["depot"], row["committed"], row["available_to_promise"]) == ("330102", 80, 20)
    (row,) = client.get("/api/v1/stock/province?under=330100", headers=headers).get_json()
    assert (row["committed"], row["available_to_promise"]) == (80, 20)
