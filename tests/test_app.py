"""The application factory and its app-wide behaviour."""

import pytest

from relief_stock import create_app


def test_config_by_name_and_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    app = create_app({"PUBLIC_BASE_URL": "https://x.example"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    assert app.config["PUBLIC_BASE_URL"] == "https://x.example"
    with pytest.raises(ValueError, match="unknown config"):
        create_app("nonsense")


def test_secret_key_is_generated_once_per_instance(tmp_path, monkeypatch):
    from config import Config

    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = Config(str(tmp_path)).SECRET_KEY
    assert len(first) == 64 and Config(str(tmp_path)).SECRET_KEY == first
    assert Config(str(tmp_path / "other")).SECRET_KEY != first


def test_health(client):
    assert client.get("/healthz").json == {"status": "ok"}


def test_home_redirects_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.location


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.json["code"] == 404
