"""The checks: horizon boundaries, expiry through the ledger, shortfalls, rotation, lifecycle, reruns."""

from sqlalchemy import func, select

from relief_stock.alerts import operations
from relief_stock.alerts.checks import run_checks
from relief_stock.alerts.models import Alert, AlertKind, AlertState, CheckRun, Severity, Suggestion
from relief_stock.database import atomic, local_today
from relief_stock.extensions import db
from relief_stock.stock import operations as stock_ops
from relief_stock.stock.kinds import BatchStatus, MovementKind
from relief_stock.stock.models import Movement

from .helpers import days, receive


def run(today=None):
    with atomic():
        return run_checks(today or local_today())


def alert_for(batch, kind):
    return db.session.scalar(
        select(Alert).where(
            Alert.batch_id == batch.id, Alert.kind == kind, Alert.state != AlertState.RESOLVED
        )
    )


def test_horizon_boundaries(world):
    at_90 = receive(world, "330102", "WATER", 5, days(90))
    beyond = receive(world, "330102", "WATER", 5, days(91))
    at_30 = receive(world, "330102", "WATER", 5, days(30))
    at_7 = receive(world, "330102", "WATER", 5, days(7))
    today = receive(world, "330102", "WATER", 5, days(0))
    yesterday = receive(world, "330102", "WATER", 5, days(-1))
    run()
    assert alert_for(at_90, AlertKind.EXPIRING).severity is Severity.INFO
    assert alert_for(beyond, AlertKind.EXPIRING) is None
    assert alert_for(at_30, AlertKind.EXPIRING).severity is Severity.WARNING
    assert alert_for(at_7, AlertKind.EXPIRING).severity is Severity.CRITICAL
    assert alert_for(today, AlertKind.EXPIRING).severity is Severity.CRITICAL  # last usable day
    assert alert_for(yesterday, AlertKind.EXPIRING) is None
    assert alert_for(yesterday, AlertKind.EXPIRED).severity is Severity.CRITICAL


def test_expired_batch_goes_through_the_ledger_and_stops_being_issuable(world):
    batch = receive(world, "330102", "WATER", 8, days(-1))
    summary = run()
    assert summary.expired_batches == 1
    db.session.expire_all()
    assert batch.status is BatchStatus.EXPIRED
    kinds = db.session.scalars(select(Movement.kind).where(Movement.batch_id == batch.id)).all()
    assert kinds == [MovementKind.RECEIPT, MovementKind.EXPIRE]
    import pytest

    from relief_stock.errors import Conflict

    with pytest.raises(Conflict):
        stock_ops.issue(world.users["admin"], batch, 1)


def test_shortfall_counts_only_usable_stock(world):
    admin, water = world.users["admin"], world.items["WATER"]
    depot = world.depots["330102"]
    with atomic():
        operations.set_norm(admin, water, 100, depot=depot)
    receive(world, "330102", "WATER", 40, days(200))
    quarantined = receive(world, "330102", "WATER", 100, days(200))
    receive(world, "330102", "WATER", 100, days(-3))  # expired: does not count
    with atomic():
        stock_ops.quarantine(admin, quarantined, reason="wet cartons")
    run()
    alert = db.session.scalar(select(Alert).where(Alert.kind == AlertKind.SHORTFALL))
    assert (alert.depot_id, alert.quantity, alert.norm) == (depot.id, 40, 100)
    assert alert.severity is Severity.CRITICAL  # under half the norm


def test_rotation_suggests_transfer_to_a_depot_short_of_the_item(world):
    admin, water = world.users["admin"], world.items["WATER"]
    with atomic():
        operations.set_norm(admin, water, 50, depot=world.depots["330203"])
    far = receive(world, "330102", "WATER", 30, days(60))
    near = receive(world, "330102", "WATER", 30, days(20))
    last_days = receive(world, "330102", "WATER", 30, days(3))
    run()
    far_alert = alert_for(far, AlertKind.EXPIRING)
    assert far_alert.suggestion is Suggestion.TRANSFER
    assert far_alert.suggested_depot_id == world.depots["330203"].id
    assert alert_for(near, AlertKind.EXPIRING).suggestion is Suggestion.DRILL
    assert alert_for(last_days, AlertKind.EXPIRING).suggestion is Suggestion.DONATE


def test_lifecycle_open_acknowledged_resolved_and_reopened(world):
    admin, keeper, quilt = world.users["admin"], world.users["keeper"], world.items["QUILT"]
    depot = world.depots["330102"]
    with atomic():
        operations.set_norm(admin, quilt, 100, depot=depot)
    first = run()
    alert = db.session.scalar(select(Alert).where(Alert.kind == AlertKind.SHORTFALL))
    assert (first.created, alert.state, alert.quantity) == (1, AlertState.OPEN, 0)

    with atomic():
        operations.acknowledge(keeper, alert, "ordered 100 from the city depot")
    receive(world, "330102", "QUILT", 60)
    second = run()
    db.session.expire_all()
    assert (second.created, second.updated) == (0, 1)
    assert (alert.state, alert.quantity, alert.severity) == (AlertState.ACKNOWLEDGED, 60, Severity.WARNING)
    assert alert.acknowledged_by_id == keeper.id and alert.note.startswith("ordered")

    receive(world, "330102", "QUILT", 40)
    third = run()
    db.session.expire_all()
    assert third.resolved == 1
    assert alert.state is AlertState.RESOLVED and alert.resolved_at is not None
    assert alert.last_seen_at is not None

    with atomic():
        operations.set_norm(admin, quilt, 500, depot=depot)
    run()
    keys = (
        db.session.execute(select(Alert.state).where(Alert.kind == AlertKind.SHORTFALL).order_by(Alert.id))
        .scalars()
        .all()
    )
    assert keys == [AlertState.RESOLVED, AlertState.OPEN]  # a new alert: a new occurrence


def table_snapshot():
    alerts = db.session.execute(select(Alert.__table__)).all()
    movements = db.session.scalar(select(func.count(Movement.id)))
    return alerts, movements


def test_rerun_creates_no_duplicates_and_writes_nothing(world):
    admin = world.users["admin"]
    with atomic():
        operations.set_norm(admin, world.items["QUILT"], 10, depot=world.depots["330102"])
    receive(world, "330102", "WATER", 5, days(10))
    receive(world, "330106", "WATER", 5, days(-2))
    first = run()
    assert first.created == 3 and first.expired_batches == 1
    before = table_snapshot()
    second = run()
    assert second.changed == 0
    db.session.expire_all()
    assert table_snapshot() == before
    assert db.session.get(CheckRun, "alerts").run_count == 2  # the run record is the only write
