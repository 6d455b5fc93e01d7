"""From an emergency to stock received: plan on live stock and norms, approval and scope, transfer
orders, FEFO picking, in transit in the totals, receipt with discrepancies, delivery, drills."""

import pytest

from relief_stock.database import atomic
from relief_stock.dispatch import operations, queries, transfers
from relief_stock.dispatch.allocation import Limit
from relief_stock.dispatch.models import EmergencyKind, PlanStatus
from relief_stock.errors import BadInput, PermissionDenied
from relief_stock.stock import balances
from relief_stock.stock import operations as stock_ops
from relief_stock.stock.kinds import TransferStatus
from tests.dispatch.helpers import emergency, norm, receive

POINT = (30.30, 120.20)  # a school used as a shelter, north of Hangzhou


def plan_for(world, e, user="dispatcher", **options):
    with atomic():
        return operations.make_plan(world.users[user], e, **options)


def test_plan_reads_live_stock_and_norms(world):
    receive(world, "330102", "QUILT", 50)
    receive(world, "330106", "QUILT", 30)
    norm(world, "330102", "QUILT", 20)
    e = emergency(world, sites=[("school", POINT, {"QUILT": (70, 1)})])
    plan = plan_for(world, e)
    assert plan.release_reserves is False  # level III holds reserves
    (outcome,) = plan.outcomes
    assert (outcome.requested, outcome.planned, outcome.limited_by) == (70, 60, Limit.RESERVE_FLOOR)
    shipped = {line.from_depot.code: line.quantity for line in plan.lines}
    assert shipped == {"330102": 30, "330106": 30}


def test_level_ii_releases_reserves(world):
    receive(world, "330102", "QUILT", 50)
    norm(world, "330102", "QUILT", 20)
    e = emergency(world, level=2, sites=[("school", POINT, {"QUILT": (50, 1)})])
    plan = plan_for(world, e)
    assert plan.release_reserves and plan.outcomes[0].limited_by is Limit.MET


def test_expiring_stock_is_not_planned(world):
    receive(world, "330102", "WATER", 40, expires_in_days=30)  # WATER needs 60 days left
    receive(world, "330106", "WATER", 10, expires_in_days=400)
    e = emergency(world, sites=[("school", POINT, {"WATER": (40, 1)})])
    plan = plan_for(world, e)
    assert {line.from_depot.code: line.quantity for line in plan.lines} == {"330106": 10}


def approve_all(world, plan, *users):
    created = []
    for user in users:
        with atomic():
            created += operations.approve(world.users[user], plan)
    return created


def test_full_flow_with_fefo_in_transit_and_discrepancies(world):
    late = receive(world, "330102", "WATER", 30, expires_in_days=300)
    early = receive(world, "330102", "WATER", 10, expires_in_days=100)
    e = emergency(world, sites=[("county depot", "330106", {"WATER": (25, 1)})])
    plan = plan_for(world, e)
    (transfer,) = approve_all(world, plan, "dispatcher")
    assert plan.status is PlanStatus.APPROVED and transfer.to_depot.code == "330106"
    assert transfer.number.startswith("T-330102-")
    keeper = world.users["keeper"]
    with pytest.raises(BadInput, match=early.code) as refused:  # "pick <early> before <late>"
        with atomic():
            transfers.scan_pick(keeper, transfer, late.code)
    assert refused.value.field == "code"
    with atomic():
        line, qty = transfers.scan_pick(keeper, transfer, early.code)
    assert qty == 10
    with atomic():
        _, qty = transfers.scan_pick(keeper, transfer, late.code)
    assert qty == 15 and transfers.remaining(line) == 0
    with atomic():
        stock_ops.dispatch_transfer(keeper, transfer)
    assert transfer.status is TransferStatus.IN_TRANSIT
    assert balances.in_transit_total(world.items["WATER"]) == 25
    # The receiving keeper at 330106 records 2 short and 1 damaged on the later batch.
    receiver = world.users["admin"]
    picks = {p.batch_id: p for p in line.picks}
    outcomes = {picks[late.id].id: (12, 1), picks[early.id].id: (10, 0)}
    with pytest.raises(BadInput):
        with atomic():
            stock_ops.receive_transfer(receiver, transfer, outcomes)  # a discrepancy needs a reason
    with atomic():
        movements = stock_ops.receive_transfer(
            receiver, transfer, outcomes, reason="2 cases missing, 1 crushed"
        )
    assert transfer.status is TransferStatus.RECEIVED
    assert balances.in_transit_total(world.items["WATER"]) == 0
    assert sum(m.quantity for m in movements) == 22  # 25 in, 3 written off with the reason


def test_wrong_batch_is_refused(world):
    receive(world, "330102", "WATER", 30, expires_in_days=300)
    quilt = receive(world, "330102", "QUILT", 5)
    elsewhere = receive(world, "330106", "WATER", 5, expires_in_days=300)
    e = emergency(world, sites=[("school", POINT, {"WATER": (10, 1)})])
    (transfer,) = approve_all(world, plan_for(world, e), "dispatcher")
    for code in (quilt.code, elsewhere.code):
        with pytest.raises(BadInput, match=code) as refused:
            with atomic():
                transfers.scan_pick(world.users["keeper"], transfer, code)
        assert refused.value.field == "code"


def test_delivery_to_a_site_that_is_no_depot(world):
    batch = receive(world, "330102", "QUILT", 8)
    e = emergency(world, sites=[("school", POINT, {"QUILT": (8, 1)})])
    (transfer,) = approve_all(world, plan_for(world, e), "dispatcher")
    keeper = world.users["keeper"]
    with atomic():
        transfers.scan_pick(keeper, transfer, batch.code)
        stock_ops.dispatch_transfer(keeper, transfer)
    with atomic():
        stock_ops.deliver_transfer(keeper, transfer, note="handed to the township")
    assert transfer.status is TransferStatus.DELIVERED and transfer.to_site_name == "school"


def test_plan_outside_scope_needs_the_covering_dispatcher(world):
    receive(world, "330203", "QUILT", 40)  # Ningbo: outside the Hangzhou dispatcher's scope
    e = emergency(world, sites=[("school", POINT, {"QUILT": (10, 1)})])
    plan = plan_for(world, e, min_lot_kg=0)  # 40 quilts in Ningbo are far below the minimum lot
    assert {line.from_depot.code for line in plan.lines} == {"330203"}
    with pytest.raises(PermissionDenied):
        with atomic():
            operations.approve(world.users["dispatcher"], plan)
    created = approve_all(world, plan, "province-dispatcher")
    assert len(created) == 1 and plan.status is PlanStatus.APPROVED


def test_dispatcher_cannot_plan_outside_his_scope(world):
    e = emergency(world, user="province-dispatcher", scope="330200")
    with pytest.raises(PermissionDenied):
        with atomic():
            operations.make_plan(world.users["dispatcher"], e)


def test_edit_below_floor_needs_reason_and_the_tier_above(world):
    receive(world, "330102", "QUILT", 50)
    norm(world, "330102", "QUILT", 40)
    e = emergency(world, sites=[("school", POINT, {"QUILT": (30, 1)})])
    plan = plan_for(world, e)
    (line,) = plan.lines
    assert line.quantity == 10
    with pytest.raises(BadInput) as refused:
        with atomic():
            operations.edit_line(world.users["dispatcher"], line, 25)
    assert refused.value.field == "reason"
    with atomic():
        operations.edit_line(
            world.users["dispatcher"], line, 25, reason="flood cut the road to the city depot"
        )
    assert line.below_floor and line.limited_by is Limit.EDITED and line.planned_quantity == 10
    assert approve_all(world, plan, "dispatcher") == []  # 330102's parent is 330100: he is not above it
    assert len(approve_all(world, plan, "province-dispatcher")) == 1


def test_drill_moves_no_stock(world):
    batch = receive(world, "330102", "QUILT", 20)
    e = emergency(world, kind=EmergencyKind.DRILL, sites=[("county depot", "330106", {"QUILT": (5, 1)})])
    (transfer,) = approve_all(world, plan_for(world, e), "dispatcher")
    assert transfer.is_drill
    keeper = world.users["keeper"]
    with atomic():
        transfers.scan_pick(keeper, transfer, batch.code)
        stock_ops.dispatch_transfer(keeper, transfer)
    assert balances.in_transit_total(world.items["QUILT"]) == 0
    with atomic():
        stock_ops.receive_transfer(world.users["admin"], transfer, {})
    assert transfer.status is TransferStatus.RECEIVED and batch.quantity == 20
    assert queries.emergencies(drills=True) == [e] and queries.emergencies(drills=False) == []
