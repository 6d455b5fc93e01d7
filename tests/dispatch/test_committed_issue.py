"""Committed stock is protected from ordinary issues: a keeper handing stock out locally may take
only what is free (available - committed); the committed order itself still dispatches, and the
facts (quarantine, write-off of damage) still go through."""

import pytest
from flask_babel import force_locale

from relief_stock.database import atomic
from relief_stock.dispatch import transfers
from relief_stock.errors import Conflict
from relief_stock.stock import operations as stock_ops
from relief_stock.stock.reconcile import reconcile
from tests.dispatch.helpers import receive
from tests.dispatch.test_commitments import approve, level, planned


def test_issue_is_refused_above_the_free_quantity_and_allowed_up_to_it(world):
    batch = receive(world, "330102", "QUILT", 100)
    approve(world, planned(world, 80))
    keeper = world.users["keeper"]
    with force_locale("en"), pytest.raises(Conflict) as refused, atomic():
        stock_ops.issue(keeper, batch, 21)
    message = str(refused.value)
    assert "QUILT" in message and "330102" in message and "only 20 free" in message
    assert "committed to approved orders" in message and refused.value.status == 409
    assert (level(world).available, level(world).committed) == (100, 80)  # nothing half-written
    with atomic():
        stock_ops.issue(keeper, batch, 20)
    assert (level(world).available, level(world).committed) == (80, 80)
    assert reconcile() == []


def test_fefo_issue_item_is_guarded_the_same_way(world):
    receive(world, "330102", "QUILT", 30, expires_in_days=100)
    receive(world, "330102", "QUILT", 30, expires_in_days=200)
    approve(world, planned(world, 45))
    keeper, depot, item = world.users["keeper"], world.depots["330102"], world.items["QUILT"]
    with force_locale("en"), pytest.raises(Conflict) as refused, atomic():
        stock_ops.issue_item(keeper, depot, item, 16)
    assert "only 15 free" in str(refused.value)
    assert level(world).available == 60
    with atomic():
        assert len(stock_ops.issue_item(keeper, depot, item, 15)) == 1
    assert (level(world).available, level(world).committed) == (45, 45)
    assert reconcile() == []


def test_the_committed_order_still_dispatches_and_facts_still_post(world):
    batch = receive(world, "330102", "QUILT", 100)
    damaged = receive(world, "330102", "QUILT", 10)
    (transfer,) = approve(world, planned(world, 100))
    keeper = world.users["keeper"]
    with atomic():  # damage and quarantine are facts: they may eat into the promise
        stock_ops.write_off(keeper, damaged, 4, reason="crushed")
        stock_ops.quarantine(keeper, damaged, reason="wet")
    assert (level(world).available, level(world).committed) == (100, 100)
    with pytest.raises(Conflict), atomic():
        stock_ops.issue(keeper, batch, 1)
    with atomic():
        transfers.scan_pick(keeper, transfer, batch.code, quantity=100)
        stock_ops.dispatch_transfer(keeper, transfer)
    assert (level(world).available, level(world).committed) == (0, 0)
    assert reconcile() == []
