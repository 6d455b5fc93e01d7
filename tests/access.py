"""App-wide endpoints (format: tests/test_permission_matrix.py)."""

ACCESS = {
    "static": "public",
    "api-docs.openapi_json": "public",
    "web.index": "public",
    "web.set_language": "public",
    "web.health": "public",
    "dashboard.home": "signed-in",
}
