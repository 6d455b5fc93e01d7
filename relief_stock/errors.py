"""The error family every rule raises, and how each becomes a 4xx answer (JSON or HTML).

Operations raise these instead of returning False, so a refusal always names its reason. API clients
get `{"code", "status", "message", "errors"}`; browsers get the page again with the message flashed
(for form posts) or an error page.
"""

# Flask is imported where a request is handled, not here: `python -m relief_stock.dispatch plan`
# raises these errors without starting the web app.


class ReliefError(Exception):
    """Base of every refusal the application explains to its user."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or ({field: [message]} if field else None)


class BadInput(ReliefError):
    """Input that is well-formed HTTP but not acceptable data (a bad file row, a malformed code)."""

    status = 422


class NotFound(ReliefError):
    status = 404


class PermissionDenied(ReliefError):
    status = 403


class Conflict(ReliefError):
    """The request is valid but the current state refuses it (insufficient stock, duplicate code)."""

    status = 409


def unknown(message: str, field: str | None = None) -> ReliefError:
    """What a lookup raises when an identifier names nothing: bad input on the form or JSON field
    that carried it (422), or a missing page when it came in the URL path (404)."""
    return BadInput(message, field=field) if field else NotFound(message)


def wants_json() -> bool:
    from flask import request

    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _json_error(status: int, message: str, errors=None):
    from flask import jsonify

    body = {"code": status, "status": _status_name(status), "message": message}
    if errors:
        body["errors"] = errors
    return jsonify(body), status


def _status_name(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def handle_relief_error(error: ReliefError):
    from flask import flash, redirect, render_template, request

    if wants_json():
        return _json_error(error.status, error.message, error.errors)
    if request.method == "POST" and error.status in (409, 422, 400) and request.referrer:
        # A refused form: back to the form, with the reason where the keeper is looking.
        flash(error.message, "error")
        return redirect(request.referrer)
    return render_template("error.html", status=error.status, message=error.message), error.status


def handle_http_error(error):
    from flask import render_template

    # The exception's own headers carry meaning: Allow on a 405, Retry-After on a 429 or 503.
    headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
    if wants_json():
        errors = None
        data = getattr(error, "data", None)  # webargs/marshmallow validation messages
        if isinstance(data, dict) and "messages" in data:
            errors = data["messages"]
        body, status = _json_error(error.code or 500, error.description or error.name, errors)
        return body, status, headers
    return render_template("error.html", status=error.code, message=error.description), error.code, headers


def handle_data_error(error):
    """A value the database cannot hold that no check caught (a number out of a column's range,
    a malformed value): the input's fault, so 422, and the unit of work is already rolled back."""
    from flask_babel import gettext as _

    from .extensions import db

    db.session.rollback()
    return handle_relief_error(BadInput(_("A value is out of range or malformed.")))


def init_app(app):
    from sqlalchemy.exc import DataError
    from werkzeug.exceptions import HTTPException

    app.register_error_handler(ReliefError, handle_relief_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(DataError, handle_data_error)
