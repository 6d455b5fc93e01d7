"""The address printed in every QR code (`PUBLIC_BASE_URL`) and whether phones can open it.

Labels outlive the server that printed them, so a wrong base is expensive: a sheet of labels that
say `http://127.0.0.1:5000/b/...` opens nothing on a phone. The print pages and the administrator's
start page show `public_base_warning()` when the base is a loopback address, and a scanned label URL
is accepted only if it points at this server (the printed base or the address the request came to),
so a label printed for port 5000 is not taken as ours by a server on port 5311.
"""

import ipaddress
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request
from flask_babel import gettext as _

from ..errors import BadInput

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = (parts.scheme or "http").lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


def is_loopback(url: str) -> bool:
    host = _origin(url)[1]
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def public_base() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def public_base_warning() -> str | None:
    """A plain warning when printed codes would carry an address no phone can reach, else None."""
    base = public_base()
    if not is_loopback(base):
        return None
    return _(
        "Printed QR codes carry %(base)s, which only this computer can open: phones cannot. "
        "Set PUBLIC_BASE_URL to the address phones reach (for example https://relief.example.org) "
        "before printing labels.",
        base=base,
    )


def check_label_origin(url: str) -> None:
    """Refuse (BadInput) a scanned label URL that points at another server than this one."""
    scheme, host, port = _origin(url)
    ours = {_origin(public_base())[1:]}
    if has_request_context():
        ours.add(_origin(request.host_url)[1:])
    if (host, port) not in ours:
        raise BadInput(
            _(
                "This label points at %(origin)s, not at this server (%(ours)s).",
                origin=f"{scheme}://{host}{f':{port}' if port else ''}",
                ours=public_base(),
            ),
            field="code",
        )
