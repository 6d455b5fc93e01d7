"""User administration, "my account" (language, password, tokens) and the users API."""

import re
import secrets

from relief_stock.auth.models import User
from relief_stock.extensions import db


def test_admin_creates_edits_and_resets_a_user(client, login_as, world):
    login_as("admin")
    response = client.post(
        "/users/new",
        data={
            "form_token": secrets.token_hex(8),
            "username": "nb-keeper",
            "display_name": "宁波保管员",
            "password": "long-enough-1",
            "role": "keeper",
            "depot_code": "330203",
            "is_active": "1",
        },
    )
    assert response.status_code == 303
    user = db.session.scalar(db.select(User).where(User.username == "nb-keeper"))
    assert user.depot.code == "330203" and user.is_active
    response = client.post(
        f"/users/{user.id}/edit",
        data={
            "form_token": secrets.token_hex(8),
            "display_name": "宁波保管员",
            "role": "keeper",
            "depot_code": "",
            "is_active": "1",
        },
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422 and "needs a depot as scope" in response.get_data(as_text=True)
    response = client.post(
        f"/users/{user.id}/edit",
        data={
            "form_token": secrets.token_hex(8),
            "display_name": "审计",
            "role": "auditor",
            "depot_code": "330203",
            "locale": "en",
        },
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert user.role.value == "auditor" and user.depot is None and user.locale == "en" and not user.is_active
    assert (
        client.post(
            f"/users/{user.id}/password", data={"form_token": secrets.token_hex(8), "new_password": "short"}
        ).status_code
        == 422
    )
    assert (
        client.post(
            f"/users/{user.id}/password",
            data={"form_token": secrets.token_hex(8), "new_password": "a-new-password"},
        ).status_code
        == 303
    )
    page = client.get("/users").get_data(as_text=True)
    assert "nb-keeper" in page and "keeper" in page


def test_my_account_language_password_and_tokens(client, login_as, world):
    login_as("keeper")
    assert (
        client.post(
            "/account/language", data={"form_token": secrets.token_hex(8), "locale": "en"}
        ).status_code
        == 303
    )
    assert "My account" in client.get("/account").get_data(as_text=True)
    response = client.post(
        "/account/password",
        data={
            "form_token": secrets.token_hex(8),
            "current_password": "wrong",
            "new_password": "new-pass-123",
            "confirm_password": "new-pass-123",
        },
    )
    assert response.status_code == 422 and "The current password is wrong." in response.get_data(as_text=True)
    response = client.post(
        "/account/password",
        data={
            "form_token": secrets.token_hex(8),
            "current_password": "password-123",
            "new_password": "new-pass-123",
            "confirm_password": "other",
        },
    )
    assert response.status_code == 422 and "The two passwords differ." in response.get_data(as_text=True)
    response = client.post(
        "/account/password",
        data={
            "form_token": secrets.token_hex(8),
            "current_password": "password-123",
            "new_password": "new-pass-123",
            "confirm_password": "new-pass-123",
        },
    )
    assert response.status_code == 303

    page = client.post(
        "/account/tokens", data={"form_token": secrets.token_hex(8), "name": "scanner 1"}
    ).get_data(as_text=True)
    secret = re.search(r'id="new-token">(rs_[^<]+)<', page).group(1)
    assert secret not in client.get("/account").get_data(as_text=True)  # shown once
    api = client.application.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    assert api.get("/api/v1/depots/330102", headers=headers).status_code == 200
    token_id = int(
        re.search(r"/account/tokens/(\d+)/revoke", client.get("/account").get_data(as_text=True)).group(1)
    )
    assert (
        client.post(
            f"/account/tokens/{token_id}/revoke", data={"form_token": secrets.token_hex(8)}
        ).status_code
        == 303
    )
    assert api.get("/api/v1/depots/330102", headers=headers).status_code == 401


def test_cannot_revoke_someone_elses_token(client, login_as, world):
    from relief_stock.auth import operations
    from relief_stock.database import atomic

    with atomic():
        token, _secret = operations.issue_token(world.users["admin"], "admin script")
        token_id = token.id
    login_as("keeper")
    assert (
        client.post(
            f"/account/tokens/{token_id}/revoke", data={"form_token": secrets.token_hex(8)}
        ).status_code
        == 404
    )


def test_users_api(client, login_as, world):
    login_as("admin")
    response = client.post(
        "/api/v1/users/",
        json={
            "username": "d2",
            "display_name": "D2",
            "password": "pass-word-9",
            "role": "dispatcher",
            "depot_code": "330200",
        },
    )
    assert response.status_code == 201
    created = response.json
    assert created["depot_code"] == "330200" and "password" not in created
    assert (
        client.post(
            "/api/v1/users/",
            json={"username": "d2", "display_name": "D2", "password": "pass-word-9", "role": "auditor"},
        ).status_code
        == 409
    )
    response = client.post("/api/v1/users/", json={"username": "x", "role": "boss"})
    assert response.status_code == 422 and {"username", "role", "password"} <= set(
        response.json["errors"]["json"]
    )
    response = client.post(
        "/api/v1/users/",
        json={"username": "k9", "display_name": "K", "password": "pass-word-9", "role": "keeper"},
    )
    assert response.status_code == 422 and "depot_code" in response.json["errors"]
    response = client.patch(f"/api/v1/users/{created['id']}", json={"is_active": False, "locale": "en"})
    assert response.status_code == 200 and response.json["is_active"] is False
    assert client.get("/api/v1/users/99999").status_code == 404
    assert len(client.get("/api/v1/users/").json) == len(world.users) + 1


def test_admin_cannot_lock_himself_out(client, login_as, world):
    admin = login_as("admin")
    response = client.patch(f"/api/v1/users/{admin.id}", json={"is_active": False})
    assert response.status_code == 409
    response = client.post(
        f"/users/{admin.id}/edit",
        data={
            "form_token": secrets.token_hex(8),
            "display_name": "admin",
            "role": "auditor",
            "is_active": "1",
        },
    )
    assert response.status_code == 409  # the same refusal as the API's
    assert client.get("/users").status_code == 200  # still an administrator
