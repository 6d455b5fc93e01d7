"""Security headers on every response, and the one rule for where a sign-in may send the browser.

- Content-Security-Policy: scripts, styles, fonts and frames from this site only (every asset ships
  with the app; no page has an inline script, inline style or style attribute, which
  tests/test_security.py checks), images also as data:/blob: (QR previews, camera frames).
- X-Frame-Options / frame-ancestors: no other site may frame a page (clickjacking a keeper's
  "issue" button). X-Content-Type-Options: nosniff. Referrer-Policy: same-origin, so batch codes
  and donor references in our URLs do not leak to other sites.
- Strict-Transport-Security when the request came over HTTPS (behind a proxy, ProxyFix must say so).
- Cache-Control: no-store on anything a signed-in user or a token got, and on every download, so a
  shared depot PC's browser cache or a proxy keeps no stock list or export.
"""

from urllib.parse import urlsplit

from flask import request
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        # WebAssembly may compile (the shipped QR decoder, for cameras without a native reader);
        # JavaScript eval stays forbidden.
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self' blob:",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HSTS = "max-age=31536000"


def add_security_headers(response):
    """after_request: the headers above (an existing value set by a view wins)."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    private = "Authorization" in request.headers or current_user.is_authenticated
    if private or "attachment" in headers.get("Content-Disposition", ""):
        headers["Cache-Control"] = "no-store"
        headers.add_header("Vary", "Cookie")
    return response


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None.

    Browsers drop tabs and line breaks inside URLs and read a backslash as a slash, so
    "/\\t/evil.example" and "/\\\\evil.example" both mean "//evil.example": another site. Anything with
    a control character, a backslash, a scheme or a host is refused, and so is "//" after cleaning.
    """
    if not target or not target.startswith("/") or "\\" in target:
        return None
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    return target


def init_app(app) -> None:
    app.after_request(add_security_headers)
