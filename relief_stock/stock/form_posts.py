"""How a keeper's form post runs: read the form, do the work once, in one transaction, and either
redirect to the result or show the form again with a message beside each refused field.

Every write form carries a hidden one-time token (`form_token`), made when the form is shown. A keeper
on a slow network who taps twice sends the same token twice: the first post does the work and stores
where it led, the second writes nothing and is sent to the same place. The token is stored with the
API's Idempotency-Key records (one store for both).
"""

import hashlib
import secrets

from flask import flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..database import atomic
from ..errors import BadInput, PermissionDenied, ReliefError
from ..extensions import db
from ..idempotency import MAX_KEY_LENGTH, IdempotencyKey
from .forms import load_form

FORM_TOKEN = "form_token"
KEY_PREFIX = "form:"  # keeps form tokens apart from API Idempotency-Keys in the shared table


def new_form_token() -> str:
    return secrets.token_urlsafe(18)


def split_errors(errors: dict | None, fields) -> tuple[dict, list]:
    """(messages per shown field, the remaining messages for the top of the form)."""
    by_field, general = {}, []
    for name, messages in (errors or {}).items():
        messages = messages if isinstance(messages, list) else [messages]
        flat = [str(m) for m in messages if not isinstance(m, dict)]
        if name in fields:
            by_field[name] = flat
        else:
            general.extend(flat)
    return by_field, general


def error_messages(error: ReliefError) -> dict:
    return error.errors or {"_form": [error.message]}


def run_form(schema, perform, render):
    """Handle a posted form: load it through `schema`, then `submit(perform(data))`.

    `render(errors, status)` shows the form again with the messages.
    """
    data, errors = load_form(schema, request.form)
    if errors:
        return render(errors, 422)
    return submit(lambda: perform(data), render)


def submit(work, render):
    """Do `work()` (-> (url, message)) once and redirect to its url, flashing its message; a refusal
    shows the form again with the reason beside its field. PermissionDenied propagates (a 403)."""
    try:
        url, message = perform_once(work)
    except PermissionDenied:
        raise
    except ReliefError as error:
        return render(error_messages(error), error.status)
    if message:
        flash(message, "success")
    return redirect(url, code=303)


def perform_once(work):
    """Run `work()` (-> (url, message)) in one transaction, at most once per posted form token.

    A replayed token does nothing and answers with the first outcome's url (and no message: nothing
    new happened). A twin post racing this one loses on the key's unique constraint and is rolled
    back whole. Raises BadInput when the form carries no token (a page from before the protection).
    """
    token = (request.form.get(FORM_TOKEN) or "").strip()[: MAX_KEY_LENGTH - len(KEY_PREFIX)]
    if not token:
        raise BadInput(_("This form is out of date. Reload the page and try again."), field="_form")
    key = KEY_PREFIX + token
    previous = _outcome(key)
    if previous is not None:
        return previous, None
    try:
        with atomic():
            url, message = work()
            db.session.add(
                IdempotencyKey(
                    user_id=current_user.id,
                    key=key,
                    request_hash=_form_hash(),
                    status_code=303,
                    response_body=url,
                )
            )
            db.session.flush()
    except IntegrityError:
        previous = _outcome(key)
        if previous is None:
            raise
        return previous, None
    return url, message


def _outcome(key: str) -> str | None:
    return db.session.scalar(
        select(IdempotencyKey.response_body).where(
            IdempotencyKey.user_id == current_user.id, IdempotencyKey.key == key
        )
    )


def _form_hash() -> str:
    return hashlib.sha256(f"FORM {request.path}".encode()).hexdigest()
