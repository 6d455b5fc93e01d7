"""The scan log (`scan_events`), written in batches: a scan itself writes nothing to the database.

A scanner sends a request a second; a transaction and a commit per scan for one log row would cost
more than the scan. So each process keeps the rows of its scans in memory and a thread of its own
writes them, every `SCAN_LOG_FLUSH_SECONDS` (default 2), in one transaction, on a connection of its
own (never inside a request's unit of work). Rows left when the process stops are written at exit.
A crash (kill -9, power cut) loses at most the last few seconds of this process's log, never stock.
`SCAN_LOG_FLUSH_SECONDS = 0` writes each row at once, as the tests (which read the log) do.
"""

import atexit
import logging
import os
import threading

from flask import current_app

from ..extensions import db
from .models import ScanEvent

EXTENSION = "relief_scan_log"
KEEP_AT_MOST = 50_000  # rows held while the database refuses them, before the oldest are dropped

log = logging.getLogger(__name__)


class ScanLog:
    def __init__(self, app, seconds: float):
        self.app = app
        self.seconds = seconds
        self.rows: list[dict] = []
        self.lock = threading.Lock()
        self.flusher_pid = None  # threads do not survive a fork: one per worker process
        self.stopping = threading.Event()

    def record(self, row: dict) -> None:
        if self.seconds <= 0 or self.stopping.is_set():
            self._write([row])
            return
        with self.lock:
            self.rows.append(row)
            if len(self.rows) > KEEP_AT_MOST:
                del self.rows[: len(self.rows) - KEEP_AT_MOST]
            if self.flusher_pid != os.getpid():
                self.flusher_pid = os.getpid()
                threading.Thread(target=self._flush_every, name="scan-log", daemon=True).start()
                atexit.register(self.close)

    def flush(self) -> int:
        """Write the rows held so far; how many were written."""
        with self.lock:
            rows, self.rows = self.rows, []
        if not rows:
            return 0
        try:
            with self.app.app_context():
                self._write(rows)
        except Exception:
            log.exception("scan log: %d rows not written yet", len(rows))
            with self.lock:
                self.rows[:0] = rows
            return 0
        return len(rows)

    def _write(self, rows: list[dict]) -> None:
        with db.engine.begin() as connection:
            connection.execute(ScanEvent.__table__.insert(), rows)

    def close(self) -> None:
        """Stop the writer thread and write what is left (at exit)."""
        self.stopping.set()
        self.flush()

    def _flush_every(self):
        while not self.stopping.wait(self.seconds):
            self.flush()


def scan_log() -> ScanLog:
    return current_app.extensions[EXTENSION]


def init_app(app):
    app.extensions[EXTENSION] = ScanLog(app, float(app.config.get("SCAN_LOG_FLUSH_SECONDS", 2)))
