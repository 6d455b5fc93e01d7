"""The Zhejiang demo (network, catalogue, stock through the operations, norms and alerts) loaded
once per backend into a database of this package's own: the dashboard tests only read, so they
share it, and the demo's dozen seconds of loading are paid once rather than per test."""

import pytest

from relief_stock import create_app
from relief_stock.database import atomic
from relief_stock.demo import loader
from relief_stock.extensions import db
from tests.conftest import BACKENDS, _migrate, _shared_app, drop_pg_database, new_pg_database


@pytest.fixture(scope="package", params=BACKENDS)
def demo_url(request, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}"
        _migrate(url)
        _load(url)
        yield url
        return
    pg_server = request.getfixturevalue("pg_server")
    url = new_pg_database(pg_server, prefix="relief_demo")
    try:
        _migrate(url)
        _load(url)
        yield url
    finally:
        drop_pg_database(pg_server, url)


def _load(url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        with atomic():
            loader.load_all()
        db.engine.dispose()


@pytest.fixture
def demo(demo_url, shared_apps, tmp_path):
    """The session's app on the shared demo database, its context pushed (tests must not write)."""
    app = _shared_app(shared_apps, demo_url)
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        yield app
        db.session.rollback()
        db.session.remove()


@pytest.fixture
def demo_client(demo):
    return demo.test_client()


@pytest.fixture
def sign_in(demo_client):
    """`sign_in("sc-keeper")` signs the demo client in as a demo user."""
    passwords = {username: password for username, password, _what in loader.DEMO_USERS_HELP}

    def login(username):
        response = demo_client.post("/login", data={"username": username, "password": passwords[username]})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return demo_client

    return login
