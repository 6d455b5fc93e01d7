"""The stock operations, called directly: rules, refusals, and the ledger invariant after each."""

from datetime import date, timedelta

import pytest
from flask_babel import force_locale

from relief_stock.auth.permissions import SYSTEM
from relief_stock.database import atomic, local_today
from relief_stock.errors import BadInput, Conflict, PermissionDenied
from relief_stock.extensions import db
from relief_stock.network import operations as network_ops
from relief_stock.scanning import codes
from relief_stock.stock import operations as ops
from relief_stock.stock.kinds import BatchStatus, MovementKind
from relief_stock.stock.models import Movement, StockLevel
from relief_stock.stock.reconcile import reconcile


def level(world, depot="330102", item="QUILT"):
    row = db.session.get(StockLevel, (world.depots[depot].id, world.items[item].id))
    return (row.on_hand, row.available) if row else (0, 0)


def kinds(batch):
    return [
        m.kind
        for m in db.session.scalars(
            db.select(Movement).where(Movement.batch_id == batch.id).order_by(Movement.id)
        )
    ]


def test_receive_creates_coded_batches_movements_and_levels(world):
    keeper, depot = world.users["keeper"], world.depots["330102"]
    with atomic():
        receipt = ops.receive(
            keeper,
            depot,
            [
                ops.ReceiptLine(world.items["QUILT"], 40),
                ops.ReceiptLine(world.items["WATER"], 10, expiry_date=local_today() + timedelta(days=200)),
            ],
            source_kind="donation",
            supplier="阿里巴巴公益",
            donor_ref="DON-1",
        )
    assert codes.parse(receipt.number).kind == codes.RECEIPT
    quilt, water = receipt.batches
    assert codes.parse(quilt.code).kind == codes.BATCH and quilt.code != water.code
    assert (quilt.quantity, quilt.donor_name, quilt.donor_ref) == (40, "阿里巴巴公益", "DON-1")
    assert level(world) == (40, 40) and level(world, item="WATER") == (10, 10)
    assert kinds(quilt) == [MovementKind.RECEIPT]
    assert reconcile() == []


@pytest.mark.parametrize(
    "line, field",
    [
        (dict(quantity=0), "lines.0.quantity"),
        (dict(quantity=-3), "lines.0.quantity"),
        (dict(quantity=2.5), "lines.0.quantity"),
        (dict(item="WATER", quantity=5), "lines.0.expiry_date"),
        (dict(quantity=5, expiry_date=date(2000, 1, 1)), "lines.0.expiry_date"),
    ],
)
def test_receive_refuses_bad_lines_and_writes_nothing(world, line, field):
    line = dict(line)
    item = world.items[line.pop("item", "QUILT")]
    with pytest.raises(BadInput) as refused, atomic():
        ops.receive(
            world.users["keeper"],
            world.depots["330102"],
            [ops.ReceiptLine(item, **line)],
            source_kind="purchase",
        )
    assert refused.value.field == field
    assert level(world) == (0, 0) and db.session.scalar(db.select(db.func.count(Movement.id))) == 0


def test_keeper_acts_only_in_his_depot(world, receive_one):
    batch = receive_one(10, depot="330203", user="ningbo-keeper")
    with pytest.raises(PermissionDenied), atomic():
        ops.issue(world.users["keeper"], batch, 1)
    with pytest.raises(PermissionDenied), atomic():
        ops.receive(
            world.users["auditor"],
            world.depots["330102"],
            [ops.ReceiptLine(world.items["QUILT"], 1)],
            source_kind="purchase",
        )


def test_issue_refuses_more_than_the_batch_holds(world, receive_one):
    batch = receive_one(10)
    with atomic():
        ops.issue(world.users["keeper"], batch, 7)
    with pytest.raises(Conflict) as refused, atomic():
        ops.issue(world.users["keeper"], batch, 4)
    assert "3" in refused.value.message
    assert batch.quantity == 3 and level(world) == (3, 3) and reconcile() == []


def test_no_issue_from_quarantined_expired_or_past_expiry(world, receive_one):
    keeper = world.users["keeper"]
    frozen = receive_one(5)
    with atomic():
        ops.quarantine(keeper, frozen, reason="受潮")
    assert level(world) == (5, 0)
    with pytest.raises(Conflict), atomic():
        ops.issue(keeper, frozen, 1)
    with pytest.raises(BadInput), atomic():
        ops.quarantine(keeper, receive_one(1), reason=" ")
    old = receive_one(
        5,
        item="WATER",
        received_date=local_today() - timedelta(days=30),
        expiry_date=local_today() - timedelta(days=1),
    )
    with force_locale("en"), pytest.raises(Conflict) as refused, atomic():
        ops.issue(keeper, old, 1)
    assert "expired" in refused.value.message
    with atomic():
        ops.expire(old)  # the job: no user
    assert old.status is BatchStatus.EXPIRED and level(world, item="WATER") == (5, 0)
    with pytest.raises(Conflict), atomic():
        ops.release(keeper, old, reason="x")
    with atomic():
        ops.release(keeper, frozen)
    assert level(world) == (6, 6) and reconcile() == []


def test_issue_item_uses_first_expiry_first(world, receive_one):
    today = local_today()
    late = receive_one(10, item="WATER", expiry_date=today + timedelta(days=300))
    early = receive_one(4, item="WATER", expiry_date=today + timedelta(days=100))
    with atomic():
        movements = ops.issue_item(world.users["keeper"], world.depots["330102"], world.items["WATER"], 6)
    assert [(m.batch_id, m.quantity) for m in movements] == [(early.id, -4), (late.id, -2)]
    with pytest.raises(Conflict) as refused, atomic():
        ops.issue_item(world.users["keeper"], world.depots["330102"], world.items["WATER"], 9)
    assert "8" in refused.value.message
    assert reconcile() == []


def test_move_whole_batch_or_split_a_child(world, receive_one):
    keeper, depot = world.users["keeper"], world.depots["330102"]
    with atomic():
        shelf = network_ops.create_location(SYSTEM, depot, "a-01")
        elsewhere = network_ops.create_location(SYSTEM, world.depots["330203"], "B-01")
    batch = receive_one(10)
    with atomic():
        child = ops.move(keeper, batch, shelf, 4)
    assert (batch.quantity, child.quantity, child.parent_id, child.location_id) == (6, 4, batch.id, shelf.id)
    with atomic():
        same = ops.move(keeper, batch, shelf)
    assert same is batch and batch.location_id == shelf.id
    with pytest.raises(BadInput), atomic():
        ops.move(keeper, batch, elsewhere)
    assert level(world) == (10, 10) and reconcile() == []


def test_adjust_and_write_off_need_reasons(world, receive_one):
    keeper = world.users["keeper"]
    batch = receive_one(10)
    for call in (
        lambda: ops.adjust(keeper, batch, -1, reason=""),
        lambda: ops.write_off(keeper, batch, 1, reason=None),
        lambda: ops.adjust(keeper, batch, 0, reason="x"),
    ):
        with pytest.raises(BadInput), atomic():
            call()
    with atomic():
        ops.adjust(keeper, batch, 2, reason="点错")
        ops.write_off(keeper, batch, 12, reason="水浸")
    assert (batch.quantity, batch.status) == (0, BatchStatus.WRITTEN_OFF)
    assert level(world) == (0, 0) and reconcile() == []


def test_reconcile_names_a_tampered_balance(world, receive_one, runner):
    batch = receive_one(10)
    assert runner.invoke(args=["stock", "reconcile"]).exit_code == 0
    with atomic():
        db.session.execute(db.text("UPDATE batches SET quantity = 11 WHERE id = :id"), {"id": batch.id})
        db.session.execute(db.text("UPDATE stock_levels SET available = 3"))
    found = {m.check for m in reconcile()}
    assert found == {"batch vs ledger", "batch vs last movement", "stock level vs batches"}
    result = runner.invoke(args=["stock", "reconcile"])
    assert result.exit_code == 1 and batch.code in result.output
