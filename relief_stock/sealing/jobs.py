"""Scheduled sealing: seal new movements every LEDGER_SEAL_EVERY_SECONDS and publish a checkpoint
daily at LEDGER_CHECKPOINT_DAILY_AT, in the one scheduler process (`flask scheduler`).

Sealing often keeps the unsealed tail short; the daily checkpoint is the head an auditor copies to the
public site. Two schedulers are harmless: the second sealer's seal number collides and rolls back.
"""

import logging

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from ..alerts.jobs import parse_daily_at
from .horizon import HorizonTimeout
from .operations import publish_checkpoint, seal_ledger

log = logging.getLogger(__name__)


def _run(app, job):
    with app.app_context():
        try:
            return job()
        except HorizonTimeout as error:
            log.warning("ledger not sealed this time: %s", error)
            return None


def add_jobs(scheduler, app, tz) -> None:
    """Add the sealing and the daily checkpoint to `scheduler`."""
    every = int(app.config.get("LEDGER_SEAL_EVERY_SECONDS", 60))
    hour, minute, second = parse_daily_at(app.config.get("LEDGER_CHECKPOINT_DAILY_AT", "00:05"))
    scheduler.add_job(
        _run,
        IntervalTrigger(seconds=every),
        args=(app, seal_ledger),
        id="ledger-seal",
        coalesce=True,
        max_instances=1,
    )
    scheduler.add_job(
        _run,
        CronTrigger(hour=hour, minute=minute, second=second, timezone=tz),
        args=(app, publish_checkpoint),
        id="ledger-checkpoint",
        misfire_grace_time=3600,
        coalesce=True,
        max_instances=1,
    )
