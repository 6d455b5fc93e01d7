"""The browser harness: the real app behind a real WSGI server, driven by a real Chromium.

- `live_server`: gunicorn serving wsgi:app on a free 127.0.0.1 port, in a subprocess, on its own
  SQLite database migrated with `flask db upgrade` and filled with `flask demo load` (the Zhejiang
  network, the catalogue and the demo users). One per test session (per pytest-xdist worker, each
  on a copy of one demo database); `live_server.url` is its base.
- `page`: a fresh Playwright page (its own cookies) in Debian's /usr/bin/chromium; nothing is
  downloaded at test time. Without chromium the browser tests skip, saying why; under CI=true they
  fail instead. `page.goto("/depots/")` is relative to the live server.

Mark browser tests `@pytest.mark.browser`; sign in with `sign_in(page, "admin", "admin-demo")`.
The README's screenshots in docs/ are taken by `readme_screenshot(page, name)` only when
RELIEF_SCREENSHOTS=1 (`scripts/screenshots` sets it), so an ordinary test run leaves the tree clean.
"""

import fcntl
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_LIMIT_SECONDS = 60  # a readiness limit, not a speed assertion


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _missing(reason: str):
    if _in_ci():
        pytest.fail(f"browser tests must run in CI: {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    database_url: str


def _flask(env, *args):
    result = subprocess.run(
        [sys.executable, "-m", "flask", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"


def _server_env(database_url: str, **extra) -> dict:
    env = {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "DATABASE_URL": database_url,
        "RELIEF_STOCK_CONFIG": "development",
        "SECRET_KEY": "live-server-tests",
        **extra,
    }
    env.pop("TEST_DATABASE_URL", None)
    return env


def _demo_database(tmp_path_factory) -> Path:
    """A SQLite file migrated with `flask db upgrade` and filled with `flask demo load`, made once per
    test run: pytest-xdist's workers share the first one's (under a lock in the run's common temporary
    folder), since loading the demo costs more than most browser tests."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # each worker's basetemp is a folder of the run's
    demo = root / "demo.sqlite3"
    with open(root / "demo.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not demo.exists():
            building = root / "demo-building.sqlite3"
            building.unlink(missing_ok=True)
            env = _server_env(f"sqlite:///{building}")
            _flask(env, "db", "upgrade")
            _flask(env, "demo", "load")
            os.replace(building, demo)
    return demo


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("live")
    shutil.copy(_demo_database(tmp_path_factory), folder / "live.sqlite3")
    database_url = f"sqlite:///{folder / 'live.sqlite3'}"
    port = _free_port()
    env = _server_env(database_url, PUBLIC_BASE_URL=f"http://127.0.0.1:{port}")
    log = open(folder / "server.log", "w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server, folder / "server.log")
        yield LiveServer(url=url, database_url=database_url)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _wait_until_up(url, server, log_path):
    deadline = time.monotonic() + STARTUP_LIMIT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the live server exited:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the live server did not answer within {STARTUP_LIMIT_SECONDS}s:\n{log_path.read_text()}")


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        _missing(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed (pip install -r requirements-dev.txt)")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
            args=CHROMIUM_ARGS,
        )
    except Exception as error:  # noqa: BLE001  (any launch failure means "no usable browser here")
        playwright.stop()
        _missing(f"chromium did not start: {error}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def browser_context_args():
    """Override in a test module to change the viewport or locale of `page`."""
    return {"viewport": {"width": 1280, "height": 860}, "locale": "zh-CN"}


@pytest.fixture
def page(browser, live_server, browser_context_args):
    context = browser.new_context(base_url=live_server.url, **browser_context_args)
    page = context.new_page()
    yield page
    context.close()


def readme_screenshot(page, name: str, **options) -> None:
    """Save `page` as docs/<name> for the README, only under RELIEF_SCREENSHOTS=1 (scripts/screenshots)."""
    if os.environ.get("RELIEF_SCREENSHOTS") == "1":
        page.screenshot(path=str(ROOT / "docs" / name), **options)


def sign_in(page, username: str, password: str) -> None:
    """Sign in through the real form and wait for the dashboard."""
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].primary")
    page.wait_for_url("**/dashboard")


def wait_until(page, expression: str, timeout: int = 10000) -> None:
    """Poll a JavaScript expression until it is truthy. Playwright's wait_for_function evaluates its
    string inside the page, which the app's Content-Security-Policy (no eval) rightly forbids;
    page.evaluate goes through the debugging protocol, which the policy does not govern."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} ms: {expression}")
        time.sleep(0.1)
