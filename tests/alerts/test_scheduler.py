"""One runner: the job lease, and two `flask scheduler` processes started at once on each backend."""

import os
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from relief_stock.alerts import locks
from relief_stock.alerts.jobs import parse_daily_at, run_alerts
from relief_stock.alerts.models import CheckRun, JobLock
from relief_stock.database import utcnow
from relief_stock.extensions import db

ROOT = Path(__file__).resolve().parents[2]


def test_lease_is_exclusive_until_released_or_expired(app):
    assert locks.acquire("job", "a")
    assert not locks.acquire("job", "b")
    locks.release("job", "b")  # not the holder: no effect
    assert not locks.acquire("job", "b")
    locks.release("job", "a")
    assert locks.acquire("job", "b")
    later = utcnow() + locks.LEASE + timedelta(minutes=1)
    assert locks.acquire("job", "c", now=later)  # b crashed: its lease lapsed


def test_a_done_slot_is_not_run_again(app):
    assert locks.acquire("job", "a", slot="2026-01-01 06:30")
    locks.release("job", "a", done_slot="2026-01-01 06:30")
    assert not locks.acquire("job", "b", slot="2026-01-01 06:30")
    assert locks.acquire("job", "b", slot="2026-01-02 06:30")


def test_run_skips_while_another_process_holds_the_lease(app, world):
    assert locks.acquire("alerts", "someone-else")
    assert run_alerts() is None
    assert db.session.get(CheckRun, "alerts") is None
    locks.release("alerts", "someone-else")
    assert run_alerts() is not None


def test_daily_at_is_validated():
    assert parse_daily_at("06:30") == (6, 30, 0)
    assert parse_daily_at("23:59:59") == (23, 59, 59)
    for bad in ("6", "24:00", "06:60", "x:y", "06:30:00:00"):
        with pytest.raises(ValueError):
            parse_daily_at(bad)


@pytest.mark.slow
def test_two_schedulers_started_at_once_run_the_job_once(own_database, tmp_path):
    tz = ZoneInfo(os.environ.get("TIMEZONE", "Asia/Shanghai"))
    fire_at = (datetime.now(tz) + timedelta(seconds=12)).strftime("%H:%M:%S")
    env = dict(
        os.environ,
        RELIEF_STOCK_CONFIG="testing",
        DATABASE_URL=own_database,
        FLASK_APP="wsgi.py",
        ALERTS_DAILY_AT=fire_at,
        PYTHONUNBUFFERED="1",
    )
    logs = [tmp_path / f"scheduler-{n}.log" for n in (1, 2)]
    handles = [log.open("w") for log in logs]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "flask", "scheduler"],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        for handle in handles
    ]
    engine = sa.create_engine(own_database)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            outputs = [log.read_text() for log in logs]
            if all("alerts:" in out for out in outputs):
                break
            assert all(p.poll() is None for p in processes), outputs
            time.sleep(0.5)
        outputs = [log.read_text() for log in logs]
        with engine.connect() as connection:
            runs = connection.execute(sa.select(CheckRun.run_count)).scalars().all()
            lock = connection.execute(sa.select(JobLock.holder, JobLock.done_slot)).one()
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        for handle in handles:
            handle.close()
        engine.dispose()
    assert runs == [1]
    assert sorted("skipped" in out for out in outputs) == [False, True], outputs
    assert lock.holder is None and lock.done_slot.endswith(fire_at)
