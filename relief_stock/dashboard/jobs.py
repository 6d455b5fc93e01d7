"""The monthly reports, written once a month by the scheduler (and by `flask reports monthly`).

On the first of each month the previous month's reserve report is written for every active depot
(its subtree rolled up: a county's own stock, a city with its counties, the province as a whole),
as XLSX and PDF, in Chinese and English, under `instance/reports/<YYYY-MM>/<depot>/`. The job runs
under the same database lease as the alert checks (`alerts.locks`), so two schedulers write once.
Nothing here changes stock; a rerun rewrites identical files (the ledger is append-only).
"""

import logging
from datetime import date, timedelta
from pathlib import Path

from flask import current_app, url_for
from sqlalchemy import select

from ..alerts import locks
from ..extensions import db
from ..network.models import Depot
from . import report_files, reports
from .scope import Scope

log = logging.getLogger(__name__)
JOB_NAME = "reports-monthly"
LANGUAGES = ("zh", "en")
FORMATS = ("xlsx", "pdf")


def archive_dir() -> Path:
    return Path(current_app.instance_path) / "reports"


def previous_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def write_monthly_reports(month: date, *, codes=None) -> int:
    """Write `month`'s reserve report for every active depot (or those in `codes`); returns files."""
    query = select(Depot).where(Depot.is_active).order_by(Depot.path)
    if codes:
        query = query.where(Depot.code.in_(list(codes)))
    written = 0
    for depot in db.session.scalars(query):
        folder = archive_dir() / f"{month:%Y-%m}" / depot.code
        folder.mkdir(parents=True, exist_ok=True)
        scope = Scope(depot, subtree=True)
        with current_app.test_request_context():  # url_for outside a request: the page the QR opens
            link = url_for("reserve.reports", code=depot.code)
        for lang in LANGUAGES:
            for fmt in FORMATS:
                build = lambda scope=scope: reports.monthly_report(scope, month)  # noqa: E731
                report, body = report_files.render(build, fmt, lang, link)
                stem = report.filename(depot.code, fmt).rsplit(".", 1)[0]
                (folder / f"{stem}-{lang}.{fmt}").write_bytes(body)
                written += 1
    return written


def run_monthly_reports(today: date, *, holder: str | None = None) -> int | None:
    """The scheduled run for the month before `today`, under the lease; None when another process
    has it or has already done that month."""
    month = previous_month(today)
    slot = f"{month:%Y-%m}"
    holder = holder or locks.holder_name()
    if not locks.acquire(JOB_NAME, holder, slot=slot):
        log.info("monthly reports skipped: lease held or %s done", slot)
        return None
    done = None
    try:
        written = write_monthly_reports(month)
        done = slot
    finally:
        db.session.rollback()  # reads only; end the transaction before the lease is released
        locks.release(JOB_NAME, holder, done_slot=done)
    return written


def archived(code: str) -> list[tuple[str, list[str]]]:
    """[(month, [file names])] archived for a depot, newest month first."""
    root = archive_dir()
    if not root.is_dir():
        return []
    found = []
    for month in sorted((p for p in root.iterdir() if p.is_dir()), reverse=True):
        folder = month / code
        if folder.is_dir():
            found.append((month.name, sorted(p.name for p in folder.iterdir() if p.is_file())))
    return found


def add_monthly_job(scheduler, app, holder: str, tz) -> None:
    """Fire on the first of every month at 07:00 local time (after the 06:30 alert run)."""
    from apscheduler.triggers.cron import CronTrigger

    from ..database import local_today

    def monthly():
        with app.app_context():
            written = run_monthly_reports(local_today(), holder=holder)
            print(f"[{holder}] monthly reports: {written if written is not None else 'skipped'}", flush=True)

    scheduler.add_job(
        monthly,
        CronTrigger(day=1, hour=7, minute=0, timezone=tz),
        id="reports-monthly",
        misfire_grace_time=6 * 3600,
        coalesce=True,
        max_instances=1,
    )
