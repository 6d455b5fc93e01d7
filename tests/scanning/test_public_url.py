"""PUBLIC_BASE_URL: printed codes must carry an address phones open, and a label printed for another
server (another port) is not taken as one of ours."""

import importlib
import os

import pytest

from relief_stock import create_app
from relief_stock.scanning.public_url import is_loopback


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:5000", True),
        ("http://localhost:8000", True),
        ("http://[::1]:5000", True),
        ("https://relief.example.org", False),
        ("http://10.3.0.7:8000", False),
    ],
)
def test_loopback_bases_are_recognised(url, loopback):
    assert is_loopback(url) is loopback


def test_default_base_follows_the_port(monkeypatch):
    import config

    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.setenv("PORT", "5311")
    try:
        reloaded = importlib.reload(config)
        assert reloaded.Config.PUBLIC_BASE_URL == "http://127.0.0.1:5311"
    finally:
        monkeypatch.undo()
        importlib.reload(config)
    assert config.Config.PUBLIC_BASE_URL == os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")


def test_label_for_another_port_is_refused_naming_both(app, client, login_as, receive_one):
    batch = receive_one(3)
    login_as("keeper")
    app.config["PUBLIC_BASE_URL"] = "http://127.0.0.1:5311"
    ours = client.get(f"/api/v1/scan/http://127.0.0.1:5311/b/{batch.code}")
    assert ours.status_code == 200 and ours.json["code"] == batch.code
    theirs = client.get(f"/api/v1/scan/http://127.0.0.1:5000/b/{batch.code}")
    assert theirs.status_code == 422
    assert "127.0.0.1:5000" in theirs.json["message"] and "127.0.0.1:5311" in theirs.json["message"]
    # The address the request came to counts as ours too (a keeper typing the URL he sees).
    assert client.get(f"/api/v1/scan/http://localhost/b/{batch.code}").status_code == 200
    # A bare code has no address to check.
    assert client.get(f"/api/v1/scan/{batch.code}").status_code == 200


def test_print_pages_and_admin_start_page_warn_about_a_loopback_base(app, client, login_as, receive_one):
    batch = receive_one(3)
    app.config["PUBLIC_BASE_URL"] = "http://127.0.0.1:5000"
    login_as("admin")
    assert "PUBLIC_BASE_URL" in client.get("/dashboard").get_data(as_text=True)
    login_as("keeper")
    options = client.get(f"/print/labels/options?batch_ids={batch.id}").get_data(as_text=True)
    assert "http://127.0.0.1:5000" in options and "PUBLIC_BASE_URL" in options
    app.config["PUBLIC_BASE_URL"] = "https://relief.example.org"
    assert "PUBLIC_BASE_URL" not in client.get(f"/print/labels/options?batch_ids={batch.id}").get_data(
        as_text=True
    )


def test_a_reachable_base_gives_no_warning():
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": "sqlite://", "PUBLIC_BASE_URL": "https://relief.example.org"}
    )
    with app.test_request_context():
        from relief_stock.scanning.public_url import public_base_warning

        assert public_base_warning() is None
