"""Fixtures shared by the whole suite.

Every test that touches the database runs twice: on SQLite and on PostgreSQL. Each run creates what
it needs and leaves nothing behind: the SQLite database is a fresh copy of a migrated template per
test; PostgreSQL gets a new database per test session (migrated once), truncated after each test.
PostgreSQL comes from TEST_DATABASE_URL, which names the server: the tests connect to its `postgres`
maintenance database to create their own, so the database named in the URL need not exist. Without
a reachable server those tests skip with the reason, except under CI (CI=true), where they fail.
"""

import os
import shutil
import uuid

import pytest
from flask.testing import FlaskClient

os.environ["RELIEF_STOCK_CONFIG"] = "testing"

from relief_stock import create_app  # noqa: E402
from relief_stock.extensions import db  # noqa: E402
from tests.factories import Factories, receive  # noqa: E402

BACKENDS = ("sqlite", "postgresql")


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _pg_admin_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return None
    return (
        url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
    )


def _pg_unavailable(reason: str):
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"PostgreSQL is required in CI: {reason}")
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


@pytest.fixture(scope="session")
def pg_server():
    """An admin engine on the PostgreSQL server named by TEST_DATABASE_URL, connected to the server's
    `postgres` database (every server has it), so the database in the URL need not exist."""
    import sqlalchemy as sa

    url = _pg_admin_url()
    if url is None:
        _pg_unavailable("TEST_DATABASE_URL is not set")
    engine = sa.create_engine(sa.engine.make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("select 1"))
    except sa.exc.OperationalError as error:
        _pg_unavailable(f"cannot reach {engine.url.render_as_string(hide_password=True)}: {error.orig}")
    yield engine
    engine.dispose()


def new_pg_database(pg_server, prefix="relief_test") -> str:
    """Create an empty PostgreSQL database with a unique name; returns its URL."""
    import sqlalchemy as sa

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with pg_server.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    return pg_server.url.set(database=name).render_as_string(hide_password=False)


def drop_pg_database(pg_server, url: str) -> None:
    import sqlalchemy as sa

    name = sa.engine.make_url(url).database
    with pg_server.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def pg_migrated(pg_server):
    url = new_pg_database(pg_server)
    _migrate(url)
    yield url
    drop_pg_database(pg_server, url)


@pytest.fixture(params=BACKENDS)
def own_database(request, tmp_path):
    """A migrated database of the test's own, on each backend, for tests whose other processes or
    threads commit for real (schedulers, servers); dropped afterwards."""
    if request.param == "sqlite":
        path = tmp_path / "own.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    pg_server = request.getfixturevalue("pg_server")
    url = new_pg_database(pg_server, prefix="relief_own")
    try:
        _migrate(url)
        yield url
    finally:
        drop_pg_database(pg_server, url)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """A migrated, empty database on each backend in turn."""
    if request.param == "sqlite":
        path = tmp_path / "relief.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("pg_migrated")
    yield url
    _truncate_all(url)


def _truncate_all(url: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as connection:
        # DELETE children first, not TRUNCATE: on a test's few rows it is many times faster (TRUNCATE
        # makes new files for every table); then ids start again at 1, as in a fresh database.
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
        sequences = connection.scalars(
            sa.text("SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public'")
        )
        for sequence in list(sequences):
            connection.execute(sa.text(f'ALTER SEQUENCE "{sequence}" RESTART'))
    engine.dispose()


class FreshContextClient(FlaskClient):
    """Each request gets its own app context, as in production. Without this, requests would share
    the test's app context, and with it `g` (Flask-Login's user, Flask-Babel's locale) and the session."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "PUBLIC_BASE_URL": "https://relief.example.org"}
    )
    app.instance_path = str(tmp_path / "instance")
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def backend(database_url) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgresql"


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app) -> Factories:
    """Factories: `make.depot(...)`, `make.item(...)`, `make.user(...)`, `make.world()`."""
    return Factories()


@pytest.fixture
def world(make):
    """A small network (province, two cities, three counties), a few items and one user per role."""
    return make.world()


class AuthActions:
    def __init__(self, client, world):
        self._client = client
        self._world = world

    def login(self, username: str, password: str = "password-123"):
        return self._client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client, world):
    return AuthActions(client, world)


@pytest.fixture
def login_as(client, world):
    """`login_as("keeper")` signs the test client in as that world user and returns the user."""

    def login(username: str):
        client.post("/login", data={"username": username, "password": "password-123"})
        return world.users[username]

    return login


@pytest.fixture
def receive_one(world):
    """`receive_one(qty, item="QUILT", depot="330102", user="keeper", **line)` -> the new batch.
    Perishable items expire in a year unless the line says otherwise."""
    from datetime import timedelta

    from relief_stock.database import local_today

    def receive_line(quantity, item="QUILT", depot="330102", user="keeper", **line):
        if world.items[item].is_perishable:
            line.setdefault("expiry_date", local_today() + timedelta(days=365))
        return receive(world, depot, item, quantity, user=user, **line)

    return receive_line
