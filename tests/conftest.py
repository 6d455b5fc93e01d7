"""Fixtures shared by the whole suite.

Every test that touches the database runs twice: on SQLite and on PostgreSQL. Each run creates what
it needs and leaves nothing behind: the SQLite database is a fresh copy of a migrated template per
test; PostgreSQL gets a new database per test session (migrated once), emptied after each test.
What costs more than a test is built once per session and handed back as new: one app per backend
(settings put back before each test) and the `world`'s rows (restored from a snapshot).
PostgreSQL comes from TEST_DATABASE_URL, which names the server: the tests connect to its `postgres`
maintenance database to create their own, so the database named in the URL need not exist. Without
a reachable server those tests skip with the reason, except under CI (CI=true), where they fail.
"""

import os
import shutil
import uuid

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

os.environ["RELIEF_STOCK_CONFIG"] = "testing"

from relief_stock import create_app  # noqa: E402
from relief_stock.auth.models import User  # noqa: E402
from relief_stock.catalogue.models import Item  # noqa: E402
from relief_stock.extensions import db  # noqa: E402
from relief_stock.network.models import Depot  # noqa: E402
from tests.factories import Factories, World, receive  # noqa: E402

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
    if url in _EMPTYING:
        _EMPTYING.pop(url)[0].dispose()
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


@pytest.fixture(scope="session")
def sqlite_live(tmp_path_factory):
    """The one SQLite file the suite's shared SQLite app is bound to (see `database_url`)."""
    return tmp_path_factory.mktemp("live") / "relief.sqlite3"


@pytest.fixture(params=BACKENDS)
def database_url(request):
    """A migrated, empty database on each backend in turn.

    Always the same URL per backend, so that one app per backend serves the whole session
    (`shared_apps`); what differs per test is the content: SQLite gets a fresh copy of the migrated
    template under the same name, PostgreSQL is emptied after the test."""
    if request.param == "sqlite":
        path = request.getfixturevalue("sqlite_live")
        _replace_file(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("pg_migrated")
    yield url
    _truncate_all(url)


def _replace_file(source, path) -> None:
    """Put a copy of `source` at `path` under a new inode: a connection a test left open keeps
    the old file, so it can neither see nor spoil the next test's database."""
    for leftover in (f"{path}-wal", f"{path}-shm", f"{path}-journal"):
        if os.path.exists(leftover):
            os.unlink(leftover)
    staged = f"{path}.new"
    shutil.copy(source, staged)
    os.replace(staged, path)


_EMPTYING = {}


def _truncate_all(url: str) -> None:
    """Empty every table and restart every sequence, in one round trip on an engine kept per URL."""
    if url not in _EMPTYING:
        engine = sa.create_engine(url)
        with engine.connect() as connection:
            sequences = connection.scalars(
                sa.text(
                    "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public'"
                )
            ).all()
        # DELETE children first, not TRUNCATE: on a test's few rows it is many times faster (TRUNCATE
        # makes new files for every table); then ids start again at 1, as in a fresh database.
        statements = [f'DELETE FROM "{table.name}"' for table in reversed(db.metadata.sorted_tables)]
        statements += [f'ALTER SEQUENCE "{sequence}" RESTART' for sequence in sequences]
        _EMPTYING[url] = engine, ";\n".join(statements)
    engine, script = _EMPTYING[url]
    with engine.begin() as connection:
        connection.exec_driver_sql(script)


class FreshContextClient(FlaskClient):
    """Each request gets its own app context, as in production. Without this, requests would share
    the test's app context, and with it `g` (Flask-Login's user, Flask-Babel's locale) and the session."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def shared_apps():
    """One app per database URL for the whole session, built on first use.

    Building an app (800-odd URL rules compiled, the OpenAPI document assembled) costs more than
    most tests; `app` hands each test the shared one with its settings and throttle counters put
    back to how they were built, so what one test changes cannot reach the next."""
    apps = {}
    yield apps
    for app, _config in apps.values():
        with app.app_context():
            db.engine.dispose()


def _shared_app(apps, database_url):
    if database_url not in apps:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": database_url, "PUBLIC_BASE_URL": "https://relief.example.org"}
        )
        app.test_client_class = FreshContextClient
        apps[database_url] = (app, dict(app.config))
    app, config = apps[database_url]
    app.config.clear()
    app.config.update(config)
    app.extensions["relief_throttle"]["limiter"] = None  # counts of in-memory storage start at zero
    return app


@pytest.fixture
def app(database_url, shared_apps, tmp_path):
    app = _shared_app(shared_apps, database_url)
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        yield app
        db.session.remove()
        if database_url.startswith("sqlite"):
            db.engine.dispose()  # the next test's database replaces the file


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


@pytest.fixture(scope="session")
def world_snapshots():
    """The `world` fixture's rows, built once per backend and put back for each test that asks.
    Nothing to clean up: they live in the session's databases and temporary folders."""
    return {}


@pytest.fixture
def world(make, app, database_url, world_snapshots, tmp_path_factory):
    """A small network (province, two cities, three counties), a few items and one user per role.

    Built through the factories once per backend; after that its rows are put back from a snapshot
    (same ids, same sequences), which costs a fraction of building it again."""
    snapshot = world_snapshots.get(database_url)
    if not _is_empty():  # a fixture wrote first: build on top of it, as the factories always did
        return make.world()
    if snapshot is None:
        make.world()
        db.session.remove()
        world_snapshots[database_url] = _WorldSnapshot.save(database_url, tmp_path_factory)
    else:
        db.session.remove()
        snapshot.restore()
    return World(
        depots={d.code: d for d in db.session.scalars(sa.select(Depot))},
        items={i.sku: i for i in db.session.scalars(sa.select(Item))},
        users={u.username: u for u in db.session.scalars(sa.select(User))},
    )


def _is_empty() -> bool:
    """No row in any table (the migrations add none), in one query."""
    tables = db.metadata.sorted_tables
    return not db.session.scalar(sa.select(sa.or_(*(sa.exists().select_from(t) for t in tables))))


class _WorldSnapshot:
    """SQLite: the database file copied aside. PostgreSQL: the non-empty tables copied into a
    `world` schema beside them, with every sequence's position (DELETE and INSERT of a few dozen
    rows take milliseconds; cloning a database takes seconds)."""

    def __init__(self, url, saved=None, tables=(), sequences=()):
        self.url, self.saved, self.tables, self.sequences = url, saved, tables, sequences

    @classmethod
    def save(cls, url, tmp_path_factory):
        if url.startswith("sqlite"):
            db.engine.dispose()
            saved = tmp_path_factory.mktemp("world") / "world.sqlite3"
            shutil.copy(sa.engine.make_url(url).database, saved)
            return cls(url, saved=saved)
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA IF EXISTS world CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA world"))
            tables = [
                table.name
                for table in db.metadata.sorted_tables
                if connection.scalar(sa.select(sa.exists().select_from(table)))
            ]
            for name in tables:
                connection.execute(sa.text(f'CREATE TABLE world."{name}" AS TABLE public."{name}"'))
            sequences = connection.execute(
                sa.text(
                    "SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences"
                    " WHERE schemaname = 'public' AND last_value IS NOT NULL"
                )
            ).all()
        return cls(url, tables=tables, sequences=sequences)

    def restore(self):
        if self.saved is not None:
            db.engine.dispose()
            _replace_file(self.saved, sa.engine.make_url(self.url).database)
            return
        with db.engine.begin() as connection:
            for name in self.tables:  # parents first, so every foreign key holds on insert
                connection.execute(sa.text(f'INSERT INTO public."{name}" SELECT * FROM world."{name}"'))
            for sequence, last_value in self.sequences:
                connection.execute(sa.select(sa.func.setval(sequence, last_value)))


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
