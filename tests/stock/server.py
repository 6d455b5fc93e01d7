"""A real server for tests and benchmarks: the app under gunicorn with several workers, in a
subprocess, on its own database. Used by the concurrency test and bench/stock_*.py."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(
    database_url: str, workers: int = 4, threads: int = 1, config="testing", extra_env=None, app="wsgi:app"
):
    """Run `app` (default `wsgi:app`) under gunicorn; yields the base URL; stops it (by its own pid)
    afterwards."""
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        RELIEF_STOCK_CONFIG=config,
        PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
        **(extra_env or {}),
    )
    gunicorn_bin = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn_bin),
            "-w",
            str(workers),
            "--threads",
            str(threads),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            app,
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # four workers importing the app on a loaded machine
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def request(method: str, url: str, token: str, body: bytes | None = None, headers=None):
    """(status, body bytes) of one HTTP request with a bearer token; never raises on 4xx/5xx."""
    req = urllib.request.Request(
        url,
        data=body,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
