"""Signing in and out, and the session cookie's settings."""


def test_login_and_logout(client, auth, world):
    response = auth.login("keeper")
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
    auth.logout()
    assert client.get("/dashboard").status_code == 302


def test_wrong_password_names_no_detail(client, auth, world):
    response = auth.login("keeper", "wrong-password")
    assert response.status_code == 401
    assert "Wrong username or password" in response.get_data(
        as_text=True
    ) or "用户名或密码错误" in response.get_data(as_text=True)


def test_open_redirect_refused(client, world):
    response = client.post(
        "/login?next=//evil.example/x", data={"username": "keeper", "password": "password-123"}
    )
    assert response.status_code == 302 and "evil.example" not in response.location


def test_session_cookie_flags(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
