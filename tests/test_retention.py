"""Retention: the daily job purges scan events and stored answers past their keep periods, and
nothing else (the ledger stays)."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from relief_stock import retention
from relief_stock.alerts.jobs import purge_logs
from relief_stock.database import atomic, utcnow
from relief_stock.extensions import db
from relief_stock.idempotency import IdempotencyKey
from relief_stock.scanning.models import ScanEvent
from relief_stock.stock.models import Movement


def _log(user, age_days: int, n: int):
    when = utcnow() - timedelta(days=age_days)
    with atomic():
        for i in range(n):
            db.session.add(
                ScanEvent(user_id=user.id, code=f"B-{age_days}-{i}", result="found", created_at=when)
            )
            db.session.add(
                IdempotencyKey(
                    user_id=user.id,
                    key=f"k-{age_days}-{i}",
                    request_hash="x" * 64,
                    status_code=201,
                    response_body="{}",
                    created_at=when,
                )
            )


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_daily_purge_keeps_recent_logs_and_the_ledger(app, world, receive_one):
    receive_one(5)
    keeper = world.users["keeper"]
    _log(keeper, 400, 2)  # older than both periods
    _log(keeper, 30, 3)  # a month old: past the answers' 7 days, within the scans' 365
    _log(keeper, 0, 1)
    purged = purge_logs()
    assert (purged.scan_events, purged.idempotency_keys) == (2, 5)
    assert (_count(ScanEvent), _count(IdempotencyKey), _count(Movement)) == (4, 1, 1)
    assert purge_logs() == retention.Purged(0, 0)  # a second scheduler finds nothing left


def test_keep_periods_come_from_config_and_must_be_positive(app, world):
    _log(world.users["keeper"], 3, 1)
    app.config["IDEMPOTENCY_KEYS_KEEP_DAYS"] = 2
    assert purge_logs().idempotency_keys == 1
    app.config["SCAN_EVENTS_KEEP_DAYS"] = 0
    with pytest.raises(ValueError, match="at least 1 day"):
        purge_logs()
