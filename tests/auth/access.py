"""Sign-in, "my account", user administration and the users API (format: tests/test_permission_matrix.py)."""

ACCESS = {
    "auth.login": "public",
    "auth.logout": "public",
    "auth.account": "signed-in",
    "auth.set_locale": "signed-in",
    "auth.change_password": "signed-in",
    "auth.create_token": "signed-in",
    "auth.revoke_token": "signed-in",
    "auth.users": "admin",
    "auth.create_user": "admin",
    "auth.edit_user": "admin",
    "auth.reset_password": "admin",
    "api_users.list_users": "admin",
    "api_users.create_user": "admin",
    "api_users.get_user": "admin",
    "api_users.update_user": "admin",
}
