"""Field app endpoints (format: tests/test_permission_matrix.py).

The shell is the keeper's page; its manifest and service worker hold no data and are fetched by the
browser without cookies, so they are public. The depot data is scoped like the depot's stock actions;
the transfer steps it replays are the dispatch API's (tests/dispatch/access.py).
"""

ACCESS = {
    "field.app_shell": "admin keeper",
    "field.manifest": "public",
    "field.service_worker": "public",
    "api_field.snapshot": "admin keeper@depot",
}
URL_ARGS = {}
