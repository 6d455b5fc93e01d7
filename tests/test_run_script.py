"""`scripts/run` serves like a depot PC runs it for real: gunicorn workers plus the one scheduler,
on the port asked for, and SIGTERM (what Ctrl-C and systemd send) stops both."""

import os
import signal
import subprocess
import time
import urllib.request

import pytest

from relief_stock import create_app
from relief_stock.extensions import db
from relief_stock.network.models import Tier
from tests.factories import Factories
from tests.stock.server import ROOT, free_port

pytestmark = pytest.mark.slow


def _children(pid: int) -> dict[int, str]:
    out = subprocess.run(["ps", "--ppid", str(pid), "-o", "pid=,args="], capture_output=True, text=True)
    return {int(line.split()[0]): line for line in out.stdout.splitlines() if line.strip()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_run_serves_with_gunicorn_and_the_scheduler_and_stops_both(sqlite_template, tmp_path):
    path = tmp_path / "run.sqlite3"
    path.write_bytes(sqlite_template.read_bytes())
    url = f"sqlite:///{path}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():  # a depot already set up: the demo is not loaded over it
        Factories().depot("330000", Tier.PROVINCE)
        db.session.remove()
        db.engine.dispose()
    port = free_port()
    env = dict(os.environ, DATABASE_URL=url, PORT=str(port), WORKERS="2", RELIEF_STOCK_CONFIG="testing")
    run = subprocess.Popen(["bash", "scripts/run"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
                break
            except OSError:
                assert run.poll() is None and time.monotonic() < deadline, "scripts/run did not serve"
                time.sleep(0.5)
        children = _children(run.pid)
        assert any("gunicorn" in args and "--workers 2" in args for args in children.values()), children
        assert any("flask scheduler" in args for args in children.values()), children
        run.send_signal(signal.SIGTERM)
        assert run.wait(timeout=40) == 0
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(pid) for pid in children)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
