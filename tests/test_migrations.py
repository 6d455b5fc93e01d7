"""The schema comes from migrations only: `flask db upgrade` on an empty database gives exactly the
models' schema (Alembic's autogenerate comparison finds nothing), and `flask db downgrade base`
removes it again, on SQLite and on PostgreSQL (a fresh database of its own)."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from relief_stock import create_app
from relief_stock.extensions import db
from tests.conftest import drop_pg_database, new_pg_database


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    pg_server = request.getfixturevalue("pg_server")
    url = new_pg_database(pg_server, prefix="relief_migrations")
    yield url
    drop_pg_database(pg_server, url)


def _differences(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_gives_the_models_schema_and_downgrade_removes_it(empty_database):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database})
    runner = app.test_cli_runner()
    with app.app_context():
        try:
            result = runner.invoke(args=["db", "upgrade"])
            assert result.exit_code == 0, result.output
            assert _differences(app) == []
            tables = set(sa.inspect(db.engine).get_table_names())
            assert {"depots", "items", "users", "batches", "movements"} <= tables

            result = runner.invoke(args=["db", "downgrade", "base"])
            assert result.exit_code == 0, result.output
            assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        finally:
            db.session.remove()
            db.engine.dispose()
