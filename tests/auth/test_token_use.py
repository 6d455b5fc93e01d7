"""Bearer tokens: recorded use, revocation, the in-process cache and how soon it forgets."""

import time
from datetime import timedelta

import sqlalchemy as sa

from relief_stock.auth import operations, token_cache
from relief_stock.auth.models import ApiToken
from relief_stock.database import atomic, utcnow
from relief_stock.extensions import db


def _token(world):
    with atomic():
        token, secret = operations.issue_token(world.users["keeper"], "scanner")
    return token.id, {"Authorization": f"Bearer {secret}"}


def test_last_use_is_recorded_at_most_every_few_minutes(client, world):
    token_id, headers = _token(world)
    assert client.get("/api/v1/depots/", headers=headers).status_code == 200
    db.session.expire_all()
    first = db.session.get(ApiToken, token_id).last_used_at
    assert first is not None
    client.get("/api/v1/depots/", headers=headers)
    db.session.expire_all()
    assert db.session.get(ApiToken, token_id).last_used_at == first
    with atomic():
        db.session.get(ApiToken, token_id).last_used_at = first - timedelta(minutes=6)
    client.get("/api/v1/depots/", headers=headers)
    db.session.expire_all()
    assert db.session.get(ApiToken, token_id).last_used_at > first


def test_revoked_token_is_refused(client, world):
    token_id, headers = _token(world)
    with atomic():
        operations.revoke_token(world.users["keeper"], token_id)
    assert client.get("/api/v1/depots/", headers=headers).status_code == 401


def test_a_cached_token_is_used_without_looking_it_up(client, world):
    _token_id, headers = _token(world)
    assert client.get("/api/v1/depots/", headers=headers).status_code == 200  # looked up, cached
    statements = []

    def record(_conn, _cursor, statement, *_rest):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get("/api/v1/depots/", headers=headers).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert statements and not [s for s in statements if "api_tokens" in s or "FROM users" in s], statements


def test_a_change_made_here_ends_the_cached_token_at_once(client, world):
    _token_id, headers = _token(world)
    assert client.get("/api/v1/depots/", headers=headers).status_code == 200
    with atomic():
        world.users["keeper"].is_active = False
    assert client.get("/api/v1/depots/", headers=headers).status_code == 401


def test_a_token_revoked_by_another_worker_stops_working_within_the_cache_time(app, client, world):
    token_id, headers = _token(world)
    token_cache.cache().seconds = 0.5
    assert client.get("/api/v1/depots/", headers=headers).status_code == 200
    # Another process revokes it: this one hears nothing of it.
    other = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with other.begin() as connection:
        connection.execute(
            ApiToken.__table__.update().where(ApiToken.id == token_id).values(revoked_at=utcnow())
        )
    other.dispose()
    assert client.get("/api/v1/depots/", headers=headers).status_code == 200  # the documented window
    time.sleep(0.6)
    assert client.get("/api/v1/depots/", headers=headers).status_code == 401
