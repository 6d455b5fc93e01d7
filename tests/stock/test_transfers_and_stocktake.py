"""Transfers (pick, dispatch, in transit, receive with short/damaged) and stocktakes."""

import pytest
from sqlalchemy import select

from relief_stock.database import atomic
from relief_stock.errors import BadInput, Conflict, PermissionDenied
from relief_stock.extensions import db
from relief_stock.stock import balances
from relief_stock.stock import operations as ops
from relief_stock.stock.kinds import MovementKind, SourceKind, TransferStatus
from relief_stock.stock.models import Movement, Transfer, TransferLine, TransferPick
from relief_stock.stock.reconcile import reconcile
from relief_stock.stock.stocktake import differences


def make_transfer(world, quantity, to="330102", drill=False):
    with atomic():
        transfer = Transfer(
            number=f"T-{len(world.items)}-{quantity}",
            is_drill=drill,
            from_depot_id=world.depots["330100"].id,
            to_depot_id=world.depots[to].id if to else None,
            to_site_name=None if to else "安置点",
            created_by_id=world.users["admin"].id,
        )
        db.session.add(transfer)
        db.session.flush()
        line = TransferLine(transfer_id=transfer.id, item_id=world.items["QUILT"].id, quantity=quantity)
        db.session.add(line)
        db.session.flush()
        return transfer, line


def test_dispatch_puts_stock_in_transit_and_receive_writes_off_the_short(world, receive_one):
    source = receive_one(
        50, depot="330100", user="city-keeper", source_kind="donation", donor_name="某基金会"
    )
    transfer, line = make_transfer(world, 30)
    city = world.users["city-keeper"]
    with pytest.raises(BadInput), atomic():
        ops.pick(city, line, source, 31)
    with atomic():
        ops.pick(city, line, source, 30)
        ops.dispatch_transfer(city, transfer)
    assert transfer.status is TransferStatus.IN_TRANSIT and source.quantity == 20
    totals = balances.depot_item_totals(world.depots["330100"])
    assert [(r.on_hand, r.in_transit) for r in totals] == [(20, 30)]
    assert balances.totals_by_item_and_tier()[0].in_transit == 30
    with pytest.raises(Conflict), atomic():
        ops.dispatch_transfer(city, transfer)
    pick_id = line.picks[0].id
    with pytest.raises(BadInput), atomic():  # short without a reason
        ops.receive_transfer(world.users["keeper"], transfer, {pick_id: (27, 1)})
    with atomic():
        movements = ops.receive_transfer(
            world.users["keeper"], transfer, {pick_id: (27, 1)}, reason="运输破损"
        )
    assert [m.kind for m in movements] == [MovementKind.TRANSFER_IN, MovementKind.WRITE_OFF]
    child = line.picks[0].received_batch
    assert (child.quantity, child.parent_id, child.source_kind, child.donor_name) == (
        27,
        source.id,
        SourceKind.TRANSFER,
        "某基金会",
    )
    assert balances.depot_item_totals(world.depots["330100"])[0].in_transit == 0
    assert reconcile() == []


def test_delivery_to_a_site(world, receive_one):
    source = receive_one(5, depot="330100", user="city-keeper")
    transfer, line = make_transfer(world, 5, to=None)
    with atomic():
        ops.pick(world.users["city-keeper"], line, source, 5)
        ops.dispatch_transfer(world.users["city-keeper"], transfer)
        ops.deliver_transfer(world.users["dispatcher"], transfer, note="签收")
    assert transfer.status is TransferStatus.DELIVERED and reconcile() == []


def _movement_kinds(batch):
    return [m.kind for m in db.session.scalars(select(Movement).where(Movement.batch_id == batch.id))]


def test_the_stock_verbs_move_no_stock_for_a_drill(world, receive_one):
    batch = receive_one(20, depot="330100", user="city-keeper")
    transfer, line = make_transfer(world, 5, drill=True)
    city, keeper = world.users["city-keeper"], world.users["keeper"]
    with pytest.raises(Conflict) as refused, atomic():
        ops.pick(city, line, batch, 5)
    assert refused.value.field == "batch" and line.picks == []
    with atomic():  # a pick that reached the table some other way must not move stock either
        db.session.add(TransferPick(line_id=line.id, batch_id=batch.id, quantity=5))
    with atomic():
        assert ops.dispatch_transfer(city, transfer) == []
    assert (transfer.status, transfer.dispatched_by_id) == (TransferStatus.IN_TRANSIT, city.id)
    assert batch.quantity == 20 and _movement_kinds(batch) == [MovementKind.RECEIPT]
    assert [(r.on_hand, r.in_transit) for r in balances.depot_item_totals(world.depots["330100"])] == [
        (20, 0)
    ]
    with pytest.raises(Conflict), atomic():  # the same conditional status change: once only
        ops.dispatch_transfer(city, transfer)
    with atomic():
        assert ops.receive_transfer(keeper, transfer, {line.picks[0].id: (5, 0)}) == []
    assert (transfer.status, transfer.received_by_id) == (TransferStatus.RECEIVED, keeper.id)
    assert balances.depot_item_totals(world.depots["330102"]) == [] and reconcile() == []


def test_a_drill_delivery_changes_only_its_status(world, receive_one):
    batch = receive_one(20, depot="330100", user="city-keeper")
    transfer, _line = make_transfer(world, 5, to=None, drill=True)
    with atomic():
        ops.dispatch_transfer(world.users["city-keeper"], transfer)
    with pytest.raises(PermissionDenied), atomic():  # keeper of another depot
        ops.deliver_transfer(world.users["keeper"], transfer)
    with atomic():
        ops.deliver_transfer(world.users["dispatcher"], transfer)
    assert transfer.status is TransferStatus.DELIVERED and batch.quantity == 20 and reconcile() == []


def test_stocktake_posts_differences_against_the_count_time_quantity(world, receive_one):
    keeper, depot = world.users["keeper"], world.depots["330102"]
    a, b = receive_one(10), receive_one(8)
    with atomic():
        sheet = ops.open_stocktake(keeper, depot)
        ops.record_count(keeper, sheet, a, 9)  # one missing
        ops.record_count(keeper, sheet, b, 8)
        ops.record_found(keeper, sheet, world.items["QUILT"], 4)
        for line in differences(sheet):
            ops.set_reason(keeper, sheet, line, "盘点核对")
    with atomic():
        ops.issue(keeper, a, 2)  # after the count: must not be booked twice
    with atomic():
        movements = ops.post_stocktake(keeper, sheet)
    assert sorted(m.quantity for m in movements) == [-1, 4]
    assert a.quantity == 7 and b.quantity == 8
    found = [m.batch for m in movements if m.quantity == 4][0]
    assert found.source_kind is SourceKind.COUNT
    with pytest.raises(Conflict), atomic():
        ops.post_stocktake(keeper, sheet)
    assert reconcile() == []


def test_stocktake_post_is_all_or_nothing(world, receive_one):
    keeper = world.users["keeper"]
    a, b = receive_one(10), receive_one(3)
    with atomic():
        sheet = ops.open_stocktake(keeper, world.depots["330102"])
        ops.record_count(keeper, sheet, a, 12)
        ops.record_count(keeper, sheet, b, 0)
        for line in differences(sheet):
            ops.set_reason(keeper, sheet, line, "盘点核对")
    with atomic():
        ops.issue(keeper, b, 2)  # only 1 left: the -3 correction can no longer be booked
    with pytest.raises(Conflict), atomic():
        ops.post_stocktake(keeper, sheet)
    db.session.expire_all()
    assert (a.quantity, b.quantity) == (10, 1) and reconcile() == []
