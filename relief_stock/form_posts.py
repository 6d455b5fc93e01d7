"""The one way an HTML form post runs, on every page: read the form through its schema, do the work
once, in one transaction, then redirect to the result (303) or show the form again with a message
beside each refused field and the rest under FORM_ERRORS at the top (macro `form_errors`).

Every write form carries a hidden one-time token (`form_token`, macro `hidden_tokens` in _form.html),
made when the form is shown. A user on a slow network who taps twice sends the same token twice:
the first post does the work and stores where it led, the second writes nothing and is sent to the
same place. Tokens are kept by `idempotency.once`, the primitive under the API's Idempotency-Key too.

In a view:

    @bp.route("/things/new", methods=["GET", "POST"])
    @requires(Action.MANAGE_THINGS)
    def create_thing():
        render = lambda errors=None, status=200: (render_template(..., errors=errors or {},
                                                  form_token=new_form_token()), status)
        if request.method == "GET":
            return render()
        return run_form(ThingSchema(), lambda data: (url_for(...), _("Saved.")), render)

A form that is one of several on a page (the emergency, plan and transfer pages) passes no `render`:
its refusal goes to the app's error handler, which flashes it on the page the form was posted from
(or answers JSON to a client that asked for it).
"""

import hashlib
import secrets

from flask import flash, redirect, request
from flask_babel import gettext as _

from .errors import BadInput, PermissionDenied, ReliefError
from .fields import read_form
from .idempotency import MAX_KEY_LENGTH, once

FORM_TOKEN = "form_token"
FORM_ERRORS = "_form"  # the key of messages that belong to no one box (also fields.message_lists)
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
    return error.errors or {FORM_ERRORS: [error.message]}


def run_form(schema, perform, render=None):
    """Handle a posted form: load it through `schema`, then `submit(perform(data))`.

    `render(errors, status)` shows the form again with the messages; without it the refusal is
    raised (see the module's docstring).
    """
    data, errors = read_form(schema, request.form)
    if errors:
        if render is None:
            raise refusal(errors)
        return render(errors, 422)
    return submit(lambda: perform(data), render)


def refusal(errors: dict) -> BadInput:
    """The refused form as one error naming its first bad box (`errors` kept for JSON clients)."""
    name, messages = sorted(errors.items())[0]
    text = " ".join(str(m) for m in (messages if isinstance(messages, list) else [messages]))
    return BadInput(text if name == FORM_ERRORS else f"{name}: {text}", errors=errors)


def submit(work, render=None):
    """Do `work()` (-> (url, message)) once and redirect to its url, flashing its message; a refusal
    shows the form again with the reason beside its field (or is raised, without `render`).
    PermissionDenied propagates (a 403)."""
    try:
        url, message = perform_once(work)
    except PermissionDenied:
        raise
    except ReliefError as error:
        if render is None:
            raise
        return render(error_messages(error), error.status)
    if message:
        flash(message, "success")
    return redirect(url, code=303)


def perform_once(work):
    """Run `work()` (-> (url, message)) in one transaction, at most once per posted form token.

    A replayed token does nothing and answers with the first outcome's url (and no message: nothing
    new happened). Raises BadInput when the form carries no token (a page from before the protection).
    """
    token = (request.form.get(FORM_TOKEN) or "").strip()[: MAX_KEY_LENGTH - len(KEY_PREFIX)]
    if not token:
        raise BadInput(_("This form is out of date. Reload the page and try again."), field=FORM_ERRORS)
    request_hash = hashlib.sha256(f"FORM {request.path}".encode()).hexdigest()
    record, outcome = once(KEY_PREFIX + token, request_hash, work, lambda result: (303, result[0]))
    return (record.response_body, None) if record is not None else outcome
