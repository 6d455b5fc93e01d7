"""CSRF: with protection on (as in production), a form post without the token is refused with 400,
and so is an API call that rides on a browser session without X-CSRFToken; a bearer-token API call
needs no CSRF token (a script has no page to take it from, and a token is not sent by browsers)."""

import re

import pytest

from relief_stock.auth import operations
from relief_stock.database import atomic
from tests.factories import PASSWORD


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield app
    app.config["WTF_CSRF_ENABLED"] = False


def _token_from(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _form_token_from(page: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


def test_forms_and_session_api_calls_need_the_token(csrf_app, world):
    client = csrf_app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    assert client.post("/login", data={"username": "admin", "password": PASSWORD}).status_code == 400
    response = client.post(
        "/login", data={"username": "admin", "password": PASSWORD, "csrf_token": _token_from(login_page)}
    )
    assert response.status_code == 302

    depot = {
        "code": "330108",
        "tier": "county",
        "parent_code": "330100",
        "name_zh": "滨江",
        "name_en": "Binjiang",
    }
    assert client.post("/depots/new", data=depot).status_code == 400
    form = client.get("/depots/new").get_data(as_text=True)
    token = _token_from(form)
    posted = {**depot, "csrf_token": token, "form_token": _form_token_from(form)}
    assert client.post("/depots/new", data=posted).status_code == 303

    item = {
        "sku": "LAMP",
        "name_zh": "手电筒",
        "name_en": "Torch",
        "category": "lighting_power",
        "unit_zh": "个",
        "unit_en": "piece",
    }
    assert client.post("/api/v1/items/", json=item).status_code == 400
    assert client.post("/api/v1/items/", json=item, headers={"X-CSRFToken": token}).status_code == 201


def test_bearer_token_api_calls_need_no_csrf_token(csrf_app, world):
    with atomic():
        _token, secret = operations.issue_token(world.users["admin"], "script")
    client = csrf_app.test_client()
    response = client.post(
        "/api/v1/depots/",
        headers={"Authorization": f"Bearer {secret}"},
        json={
            "code": "330108",
            "tier": "county",
            "parent_code": "330100",
            "name_zh": "滨江",
            "name_en": "Binjiang",
        },
    )
    assert response.status_code == 201
