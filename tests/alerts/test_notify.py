"""Notifications: the e-mail digest through a local SMTP server, the signed webhook with retries,
and the digest shown on sign-in."""

import hashlib
import hmac
import json
from email import message_from_bytes

import pytest

from relief_stock.alerts import notify, operations
from relief_stock.alerts.jobs import run_alerts
from relief_stock.database import atomic

from .helpers import days, receive
from .receivers import FlakyHttpReceiver, SmtpReceiver, serve


@pytest.fixture
def smtp():
    server = serve(SmtpReceiver())
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def flaky_hook():
    server = serve(FlakyHttpReceiver(failures=2))
    yield server
    server.shutdown()
    server.server_close()


def shortfall(world):
    with atomic():
        operations.set_norm(world.users["admin"], world.items["QUILT"], 100, depot=world.depots["330102"])


def test_run_mails_a_digest_and_posts_a_signed_webhook_after_retries(app, world, smtp, flaky_hook):
    app.config.update(
        ALERTS_SMTP_HOST="127.0.0.1",
        ALERTS_SMTP_PORT=smtp.port,
        ALERTS_EMAIL_TO="duty@redcross.example, store@redcross.example",
        ALERTS_EMAIL_FROM="relief@redcross.example",
        ALERTS_WEBHOOK_URL=flaky_hook.url,
        ALERTS_WEBHOOK_SECRET="s3cret",
        ALERTS_WEBHOOK_ATTEMPTS=4,
        ALERTS_WEBHOOK_BACKOFF=0.01,
    )
    shortfall(world)
    receive(world, "330106", "WATER", 5, days(10))
    summary = run_alerts()
    assert summary.created == 2

    assert len(smtp.messages) == 1
    mail = smtp.messages[0]
    assert mail["to"] == ["duty@redcross.example", "store@redcross.example"]
    text = message_from_bytes(mail["data"]).get_payload(decode=True).decode()
    assert "330102: 1" in text and "330106: 1" in text and "shortfall QUILT qty 0 norm 100" in text

    assert len(flaky_hook.requests) == 3  # two 503s, then delivered
    last = flaky_hook.requests[-1]
    timestamp = last["headers"]["X-Relief-Timestamp"]
    expected = hmac.new(b"s3cret", timestamp.encode() + b"." + last["body"], hashlib.sha256).hexdigest()
    assert last["headers"]["X-Relief-Signature"] == f"sha256={expected}"
    payload = json.loads(last["body"])
    assert payload["event"] == "alerts.opened" and payload["opened"] == 2
    assert payload["depots"]["330102"][0]["kind"] == "shortfall"

    assert run_alerts().created == 0  # nothing new: nothing sent
    assert len(smtp.messages) == 1 and len(flaky_hook.requests) == 3


def test_webhook_gives_up_after_the_configured_attempts(app):
    server = serve(FlakyHttpReceiver(failures=10))
    try:
        app.config.update(ALERTS_WEBHOOK_ATTEMPTS=3, ALERTS_WEBHOOK_BACKOFF=0.01, ALERTS_WEBHOOK_SECRET="k")
        assert notify.post_webhook(server.url, {"event": "test"}) == 3
        assert len(server.requests) == 3
    finally:
        server.shutdown()
        server.server_close()


def test_sign_in_shows_the_digest_of_the_users_scope(client, world, auth):
    shortfall(world)
    with atomic():
        operations.set_norm(world.users["admin"], world.items["QUILT"], 100, depot=world.depots["330203"])
    run_alerts()
    response = auth.login("keeper")
    page = client.get(response.location, follow_redirects=True).get_data(as_text=True)
    assert "1 open alerts" in page or "1 条未处理预警" in page
    auth.logout()
    auth.login("province-dispatcher")
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'id="alerts-panel"' in page
    assert digest_total(world.users["province-dispatcher"]) == 2
    assert digest_total(world.users["dispatcher"]) == 1  # Hangzhou's subtree only


def digest_total(user):
    return notify.digest_for(user)["total"]
