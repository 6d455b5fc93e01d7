"""Security at the door: headers and a CSP the pages pass, safe redirects after sign-in, throttled
guessing, sign-in that does not reveal usernames, and sessions that end when the user signs out."""

import re
import secrets

import pytest
import werkzeug.security

from relief_stock.security import CONTENT_SECURITY_POLICY, safe_next


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/path",
        "/\t/evil.example/path",
        "/\\evil.example",
        "/\r\nLocation: http://evil.example",
        "https://evil.example",
        "javascript:alert(1)",
        "",
        None,
    ],
)
def test_safe_next_refuses_every_way_off_the_site(target):
    assert safe_next(target) is None


def test_safe_next_keeps_our_own_paths():
    assert safe_next("/depots/330102/stock?item=QUILT") == "/depots/330102/stock?item=QUILT"


def test_sign_in_never_redirects_to_another_site(client, world):
    answer = client.post(
        "/login?next=%2F%09%2Fevil.example%2Fpath", data={"username": "keeper", "password": "password-123"}
    )
    assert answer.status_code == 302 and "evil" not in answer.headers["Location"]
    answer = client.post("/login?next=%2F%0D%0AX:1", data={"username": "keeper", "password": "x"})
    assert answer.status_code < 500


def test_headers_on_public_and_private_pages(client, login_as):
    public = client.get("/login")
    assert public.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert public.headers["X-Frame-Options"] == "DENY"
    assert public.headers["X-Content-Type-Options"] == "nosniff"
    assert public.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in public.headers
    login_as("keeper")
    private = client.get("/depots/330102/stock")
    assert private.status_code == 200 and private.headers["Cache-Control"] == "no-store"
    export = client.get("/depots/330102/stock?format=csv")
    assert export.headers["Cache-Control"] == "no-store"
    assert client.get("/login", base_url="https://localhost").headers["Strict-Transport-Security"]


INLINE = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>|<style[\s>]|\sstyle=|\son[a-z]+=", re.IGNORECASE)


@pytest.mark.parametrize(
    "user, path",
    [
        (None, "/login"),
        (None, "/donations/"),
        ("keeper", "/scan"),
        ("keeper", "/depots/330102/stock"),
        ("keeper", "/depots/330102/issue"),
        ("keeper", "/depots/330102/receive"),
        ("admin", "/depots/"),
        ("admin", "/items/"),
        ("dispatcher", "/dispatch/"),
        ("admin", "/alerts/"),
    ],
)
def test_pages_pass_the_csp(client, login_as, world, user, path):
    """The policy allows no inline script, inline style, style attribute or event handler."""
    if user:
        login_as(user)
    page = client.get(path, follow_redirects=True)
    assert page.status_code == 200, path
    assert INLINE.findall(page.get_data(as_text=True)) == []


def test_an_unknown_username_costs_a_password_check(client, world, monkeypatch):
    checks = []
    real = werkzeug.security.check_password_hash
    monkeypatch.setattr(werkzeug.security, "check_password_hash", lambda *a: checks.append(a) or real(*a))
    assert client.post("/login", data={"username": "nobody", "password": "x"}).status_code == 401
    assert len(checks) == 1


def test_wrong_passwords_are_throttled_even_before_the_right_one(app, client, world):
    app.config.update(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN_FAILURES_PER_USER="5/minute")
    for _ in range(5):
        assert client.post("/login", data={"username": "keeper", "password": "wrong"}).status_code == 401
    answer = client.post("/login", data={"username": "keeper", "password": "password-123"})
    assert answer.status_code == 429 and int(answer.headers["Retry-After"]) > 0


def test_bad_bearer_tokens_are_throttled(app, client, world):
    app.config.update(RATELIMIT_ENABLED=True, RATELIMIT_BAD_TOKENS_PER_ADDRESS="3/minute")
    statuses = [
        client.get("/api/v1/items/", headers={"Authorization": f"Bearer guess-{n}"}).status_code
        for n in range(5)
    ]
    assert statuses == [401, 401, 401, 429, 429]


def test_public_trace_is_throttled(app, client, world):
    app.config.update(RATELIMIT_ENABLED=True, RATELIMIT_PUBLIC_TRACE="4/minute")
    statuses = [client.get(f"/donations/R-330102-2026-{n:06d}-X").status_code for n in range(6)]
    assert statuses[:4] != [429] * 4 and statuses[4:] == [429, 429]


def _cookies(client):
    return {cookie.key: cookie.value for cookie in client._cookies.values()}


def test_a_cookie_copied_before_sign_out_stops_working(app, client, world):
    client.post("/login", data={"username": "keeper", "password": "password-123", "remember": "1"})
    copied = _cookies(client)
    assert {"session", "remember_token"} <= copied.keys()
    client.post("/logout")
    thief = app.test_client()
    for name, value in copied.items():
        thief.set_cookie(name, value)
    assert thief.get("/scan").status_code == 302  # to the sign-in page
    only_remember = app.test_client()
    only_remember.set_cookie("remember_token", copied["remember_token"])
    assert only_remember.get("/scan").status_code == 302


def test_a_password_change_ends_other_sessions_but_not_this_one(app, client, world):
    other = app.test_client()
    for browser in (client, other):
        browser.post("/login", data={"username": "keeper", "password": "password-123"})
    answer = client.post(
        "/account/password",
        data={
            "current_password": "password-123",
            "new_password": "new-password-456",
            "confirm_password": "new-password-456",
            "form_token": secrets.token_hex(8),
        },
    )
    assert answer.status_code == 303
    assert client.get("/scan").status_code == 200
    assert other.get("/scan").status_code == 302


def test_an_issue_cannot_be_tagged_with_another_depots_document(client, login_as, world, receive_one):
    ningbo = receive_one(5, depot="330203", user="ningbo-keeper")
    login_as("keeper")
    own = receive_one(10)
    for document in (
        {"document_type": "receipt", "document_id": ningbo.receipt_id},
        {"document_type": "receipt", "document_id": 999999},
        {"document_type": "invoice", "document_id": 1},
    ):
        answer = client.post(f"/api/v1/batches/{own.code}/issue", json={"quantity": 1, **document})
        assert answer.status_code == 422, document
    answer = client.post(
        f"/api/v1/batches/{own.code}/issue",
        json={"quantity": 1, "document_type": "receipt", "document_id": own.receipt_id},
    )
    assert answer.status_code == 201


def test_receipt_pages_are_scoped_like_their_notes(client, login_as, world, receive_one):
    ningbo = receive_one(5, depot="330203", user="ningbo-keeper")
    login_as("keeper")
    assert client.get(f"/receipts/{ningbo.receipt_id}").status_code == 403
    assert client.get(f"/print/receipts/{ningbo.receipt_id}/note").status_code == 403


def test_scan_accepts_only_this_installations_label_urls(client, login_as, receive_one):
    login_as("keeper")
    batch = receive_one(3)
    ours = client.get(f"/api/v1/scan/https://relief.example.org/b/{batch.code}")
    assert ours.status_code == 200
    for url in (f"https://evil.example/b/{batch.code}", f"ftp://relief.example.org/b/{batch.code}"):
        assert client.get(f"/api/v1/scan/{url}").status_code == 422, url


def test_receipts_cannot_be_dated_before_2000(client, login_as, world):
    login_as("keeper")
    answer = client.post(
        "/api/v1/receipts",
        json={
            "depot": "330102",
            "source_kind": "purchase",
            "received_date": "0001-01-01",
            "lines": [{"item": "QUILT", "quantity": 1}],
        },
    )
    assert answer.status_code == 422 and "received_date" in answer.json["errors"]
