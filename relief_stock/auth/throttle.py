"""Throttling of guesses: sign-in, bearer tokens and the public donation trace (429 + Retry-After).

Built on `limits` (the library under Flask-Limiter), with its moving-window strategy. Storage is
in-process by default (`RATELIMIT_STORAGE_URI=memory://`: each gunicorn worker counts on its own,
which still bounds a guesser to a few dozen tries a minute); point it at
`redis://host:6379` to count across workers and servers.

- Sign-in: every failed attempt counts against the client address and against the username; past
  either limit the sign-in is refused even with the right password, until the window moves on.
- Bearer tokens: a request with an unknown token counts against the client address.
- Donation trace (`donations.*`, anonymous): every request counts against the client address, so
  references and batch codes cannot be enumerated at speed.
"""

import time

from flask import current_app, request
from flask_babel import gettext as _
from limits import parse, storage, strategies
from werkzeug.exceptions import TooManyRequests

DEFAULTS = {
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_LOGIN_FAILURES_PER_ADDRESS": "20/10 minutes",
    "RATELIMIT_LOGIN_FAILURES_PER_USER": "10/15 minutes",
    "RATELIMIT_BAD_TOKENS_PER_ADDRESS": "20/minute",
    "RATELIMIT_PUBLIC_TRACE": "30/minute",
}


def _limiter():
    extension = current_app.extensions["relief_throttle"]
    if extension.get("limiter") is None:
        backend = storage.storage_from_string(current_app.config["RATELIMIT_STORAGE_URI"])
        extension["limiter"] = strategies.MovingWindowRateLimiter(backend)
    return extension["limiter"]


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _address() -> str:
    return request.remote_addr or "-"


def _refuse(limit, *keys):
    reset = _limiter().get_window_stats(limit, *keys).reset_time
    raise TooManyRequests(
        _("Too many attempts. Wait a few minutes and try again."),
        retry_after=max(1, int(reset - time.time()) + 1),
    )


def check(kind: str, *keys: str) -> None:
    """Raise 429 if the `kind` limit for `keys` is used up (without counting this request)."""
    if not _enabled():
        return
    limit = parse(current_app.config[f"RATELIMIT_{kind}"])
    if not _limiter().test(limit, kind, *keys):
        _refuse(limit, kind, *keys)


def count(kind: str, *keys: str) -> None:
    """Count one attempt against the `kind` limit for `keys`."""
    if _enabled():
        _limiter().hit(parse(current_app.config[f"RATELIMIT_{kind}"]), kind, *keys)


def before_sign_in(username: str) -> None:
    check("LOGIN_FAILURES_PER_ADDRESS", _address())
    check("LOGIN_FAILURES_PER_USER", username.lower())


def failed_sign_in(username: str) -> None:
    count("LOGIN_FAILURES_PER_ADDRESS", _address())
    count("LOGIN_FAILURES_PER_USER", username.lower())


def before_token() -> None:
    check("BAD_TOKENS_PER_ADDRESS", _address())


def bad_token() -> None:
    count("BAD_TOKENS_PER_ADDRESS", _address())


def throttle_public_trace() -> None:
    """before_request: the anonymous donation trace, whatever its pages are called."""
    if (request.endpoint or "").startswith("donations."):
        check("PUBLIC_TRACE", _address())
        count("PUBLIC_TRACE", _address())


def init_app(app) -> None:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.extensions["relief_throttle"] = {"limiter": None}
    app.before_request(throttle_public_trace)
