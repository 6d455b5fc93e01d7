"""Field app endpoints (format: tests/test_permission_matrix.py).

The shell is the keeper's page; its manifest and service worker hold no data and are fetched by the
browser without cookies, so they are public. The depot data is scoped like the depot's stock actions;
the transfer steps are scoped to the sending (pick) or receiving (receipt) depot.
"""

from tests.dispatch.access import _inbound, _transfer

ACCESS = {
    "field.app_shell": "admin keeper",
    "field.manifest": "public",
    "field.service_worker": "public",
    "api_field.snapshot": "admin keeper@depot",
    "api_field.pick": "admin keeper@depot",
    "api_field.receive_transfer": "admin keeper@depot",
}
URL_ARGS = {
    "api_field.pick": lambda ctx: {"number": _transfer(ctx).number},
    "api_field.receive_transfer": lambda ctx: {"number": _inbound(ctx).number},
}
