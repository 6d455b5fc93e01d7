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


def _start_schedulers(own_database, tmp_path, lead_seconds):
    """Two `flask scheduler` processes set to fire `lead_seconds` from now. Returns the processes, their
    log handles and paths, the fire time, and whether both were listening before it (on a loaded
    machine start-up can take longer than the lead; a daily trigger whose time has passed waits a day)."""
    tz = ZoneInfo(os.environ.get("TIMEZONE", "Asia/Shanghai"))
    fire = datetime.now(tz) + timedelta(seconds=lead_seconds)
    fire_at = fire.strftime("%H:%M:%S")
    env = dict(
        os.environ,
        RELIEF_STOCK_CONFIG="testing",
        DATABASE_URL=own_database,
        FLASK_APP="wsgi.py",
        ALERTS_DAILY_AT=fire_at,
        PYTHONUNBUFFERED="1",
    )
    logs = [tmp_path / f"scheduler-{lead_seconds}-{n}.log" for n in (1, 2)]
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
    while datetime.now(tz) < fire - timedelta(seconds=2):
        if all("scheduler: alerts daily at" in log.read_text() for log in logs):
            return processes, handles, logs, fire_at, True
        if any(p.poll() is not None for p in processes):
            break
        time.sleep(0.2)
    return processes, handles, logs, fire_at, False


def _stop(processes, handles):
    for process in processes:
        process.terminate()
        process.wait(timeout=30)
    for handle in handles:
        handle.close()


@pytest.mark.slow
def test_two_schedulers_started_at_once_run_the_job_once(own_database, tmp_path):
    for lead in (12, 30, 60):
        processes, handles, logs, fire_at, ready = _start_schedulers(own_database, tmp_path, lead)
        if ready:
            break
        _stop(processes, handles)
        assert all(p.returncode in (0, -15) for p in processes), [log.read_text() for log in logs]
    else:
        pytest.fail("the schedulers did not start within 60 s")
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
        _stop(processes, handles)
        engine.dispose()
    assert runs == [1]
    assert sorted("skipped" in out for out in outputs) == [False, True], outputs
    assert lock.holder is None and lock.done_slot.endswith(fire_at)
