"""The scheduler seals the ledger on an interval and publishes a checkpoint daily."""

from relief_stock.alerts.jobs import build_scheduler
from relief_stock.sealing import jobs
from relief_stock.sealing.operations import latest_seal, seal_ledger

from .helpers import history


def test_the_scheduler_carries_the_sealing_jobs(app):
    app.config.update(LEDGER_SEAL_EVERY_SECONDS=15, LEDGER_CHECKPOINT_DAILY_AT="00:10")
    scheduler = build_scheduler(app)
    by_id = {job.id: job for job in scheduler.get_jobs()}
    assert by_id["ledger-seal"].trigger.interval.total_seconds() == 15
    assert "hour='0', minute='10'" in str(by_id["ledger-checkpoint"].trigger)


def test_the_jobs_seal_and_publish(app, world, receive_one):
    history(world, receive_one, receipts=1)
    jobs._run(app, seal_ledger)
    assert latest_seal().tree_size == 3 and latest_seal().published_at is None
    jobs._run(app, jobs.publish_checkpoint)
    assert latest_seal().published_at is not None
