"""Bearer tokens: recorded use, revocation."""

from datetime import timedelta

from relief_stock.auth import operations
from relief_stock.auth.models import ApiToken
from relief_stock.database import atomic
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
