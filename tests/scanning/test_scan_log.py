"""The scan log as a depot server writes it: rows held in memory, written in batches by a thread of
the process, and what is left at exit; a scan itself opens no write transaction."""

import time

import sqlalchemy as sa

from relief_stock.auth import operations as auth_ops
from relief_stock.database import atomic
from relief_stock.extensions import db
from relief_stock.scanning import log as scan_log
from relief_stock.scanning.models import ScanEvent


def _logged():
    db.session.expire_all()
    return sorted((e.code, e.result) for e in db.session.scalars(sa.select(ScanEvent)))


def _batched(app, seconds):
    writer = scan_log.ScanLog(app, seconds)
    app.extensions[scan_log.EXTENSION] = writer
    return writer


def _token(world):
    with atomic():
        _token, secret = auth_ops.issue_token(world.users["keeper"], "scanner")
    return {"Authorization": f"Bearer {secret}"}


def test_scans_are_written_in_batches_by_the_writer_thread(app, client, world, receive_one):
    batch = receive_one(5)
    headers = _token(world)
    writer = _batched(app, 0.3)
    writes = []

    def statements(_conn, _cursor, statement, *_rest):
        writes.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", statements)
    try:
        assert client.get(f"/api/v1/scan/{batch.code}", headers=headers).status_code == 200
        assert client.get("/api/v1/scan/B-330102-2026-00000X", headers=headers).status_code == 422
        during_scans = [w for w in writes if not w.lstrip().upper().startswith("SELECT")]
        # Nothing written by the scans themselves (the token's first use is, once per few minutes).
        assert not [w for w in during_scans if "scan_events" in w or "INSERT" in w.upper()], during_scans
        deadline = time.monotonic() + 10
        while len(_logged()) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _logged() == sorted([(batch.code, "found"), ("B-330102-2026-00000X", "invalid")])
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", statements)
        writer.close()


def test_rows_left_at_exit_are_written_and_none_twice(app, client, world, receive_one):
    batch = receive_one(5)
    headers = _token(world)
    writer = _batched(app, 3600)  # the thread would wait an hour: only close() writes them
    for _ in range(3):
        assert client.get(f"/api/v1/scan/{batch.code}", headers=headers).status_code == 200
    assert _logged() == []
    writer.close()
    assert _logged() == [(batch.code, "found")] * 3
    assert writer.flush() == 0
    # After close, a scan is written at once.
    assert client.get(f"/api/v1/scan/{batch.code}", headers=headers).status_code == 200
    assert len(_logged()) == 4
