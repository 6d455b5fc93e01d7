"""Scheduled jobs: the daily alert run, under a database lease, and the scheduler that fires it.

`flask scheduler` runs `build_scheduler(app)` in its own process (never inside create_app: every web
worker would otherwise run the checks). The lease in locks.py makes a second scheduler, started by
mistake or for redundancy, skip a slot the first one has taken or done.
"""

import logging
from datetime import datetime

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from flask_babel import get_timezone

from .. import retention
from ..database import atomic
from . import locks, notify
from .checks import JOB_NAME, RunSummary, run_checks

log = logging.getLogger(__name__)


def parse_daily_at(value: str) -> tuple[int, int, int]:
    """ "HH:MM" or "HH:MM:SS" -> (hour, minute, second); a clear error otherwise."""
    parts = value.strip().split(":")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        numbers = []
    if len(numbers) not in (2, 3) or not (0 <= numbers[0] < 24 and all(0 <= n < 60 for n in numbers[1:])):
        raise ValueError(f"ALERTS_DAILY_AT must be HH:MM or HH:MM:SS, not {value!r}")
    return numbers[0], numbers[1], numbers[2] if len(numbers) == 3 else 0


def run_alerts(*, today=None, slot: str | None = None, holder: str | None = None) -> RunSummary | None:
    """Run the checks under the lease and send notifications for the alerts it opened.

    Returns None (and changes nothing) when another process holds the lease or already did `slot`.
    """
    holder = holder or locks.holder_name()
    if not locks.acquire(JOB_NAME, holder, slot=slot):
        log.info("alerts run skipped: lease held by another process or slot %s done", slot)
        return None
    done = None
    try:
        with atomic():
            summary = run_checks(today)
        done = slot
    finally:
        locks.release(JOB_NAME, holder, done_slot=done)
    if summary.created:
        notify.notify_new_alerts(summary)
    return summary


def purge_logs() -> retention.Purged:
    """The daily purge of the scan log and stored form/API answers past their keep periods. Run by
    every scheduler without the lease: a second purge finds nothing left to delete."""
    with atomic():
        return retention.purge_expired()


def scheduled_slot(app, now: datetime | None = None) -> str:
    """The slot a daily fire belongs to: today's local date and the configured time."""
    tz = get_timezone()
    local = (now or datetime.now(tz)).astimezone(tz)
    return f"{local.date().isoformat()} {app.config['ALERTS_DAILY_AT']}"


def build_scheduler(app) -> BlockingScheduler:
    """A blocking scheduler with the daily alert run at ALERTS_DAILY_AT (the app's time zone)."""
    with app.app_context():
        tz = get_timezone()
    hour, minute, second = parse_daily_at(app.config["ALERTS_DAILY_AT"])
    holder = locks.holder_name()

    def daily():
        with app.app_context():
            summary = run_alerts(slot=scheduled_slot(app), holder=holder)
            print(
                f"[{holder}] alerts: {summary if summary else 'skipped (another scheduler has it)'}",
                flush=True,
            )
            print(f"[{holder}] retention: {purge_logs()}", flush=True)

    scheduler = BlockingScheduler(timezone=tz)
    scheduler.add_job(
        daily,
        CronTrigger(hour=hour, minute=minute, second=second, timezone=tz),
        id="alerts-daily",
        misfire_grace_time=3600,
        coalesce=True,
        max_instances=1,
    )
    from ..sealing.jobs import add_jobs as add_sealing_jobs

    add_sealing_jobs(scheduler, app, tz)
    from ..dashboard.jobs import add_monthly_job  # the monthly reserve reports, same lease table

    add_monthly_job(scheduler, app, holder, tz)
    return scheduler
