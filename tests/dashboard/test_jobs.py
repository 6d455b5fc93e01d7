"""The monthly report job: under the lease, once per month however many schedulers fire."""

from datetime import date

from relief_stock.dashboard import jobs


def test_the_monthly_job_runs_once_per_month_under_the_lease(app, world, receive_one):
    receive_one(10)
    first = jobs.run_monthly_reports(date(2026, 12, 1), holder="one")
    assert first == 4 * len([d for d in world.depots.values() if d.is_active])
    assert jobs.run_monthly_reports(date(2026, 12, 1), holder="two") is None  # 2026-11 is done
    files = {name for _month, names in jobs.archived("330102") for name in names}
    assert "monthly-330102-2026-11-en.xlsx" in files and "monthly-330102-2026-11-zh.pdf" in files


def test_the_scheduler_fires_the_monthly_reports_on_the_first(app):
    from relief_stock.alerts.jobs import build_scheduler

    scheduler = build_scheduler(app)
    job = scheduler.get_job("reports-monthly")
    assert job is not None and str(job.trigger.fields[2]) == "1"  # day of month
