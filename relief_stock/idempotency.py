"""Idempotent API writes: a scanner on a flaky network may send the same request twice.

A write endpoint decorated with `@idempotent` accepts an `Idempotency-Key` header. The first request
with a key runs in one unit of work that also stores the key with its response; a replay (same user,
same key, same request) gets the stored status and body back and writes nothing. The same key with a
different request is refused (422) naming the problem. Refusals (4xx from a ReliefError) are stored
too, so a replay of a refused request is answered the same way even if stock changed meanwhile.
"""

import hashlib
import json
from copy import deepcopy
from datetime import datetime
from functools import wraps

from flask import make_response, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from .database import Base, UTCDateTime, atomic, utcnow
from .errors import BadInput, ReliefError, handle_relief_error
from .extensions import db

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 128
OPENAPI_PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": "Send the same key again to get the first answer back without writing twice.",
    "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH},
}


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("user_id", "key"),
        Index("ix_idempotency_keys_created_at", "created_at"),  # the daily purge (retention.py)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def _request_hash() -> str:
    """Method, path and body; a JSON body is compared by content, not by key order or spacing."""
    body = request.get_json(silent=True)
    payload = json.dumps(body, sort_keys=True) if body is not None else request.get_data(as_text=True)
    return hashlib.sha256(f"{request.method} {request.full_path}\n{payload}".encode()).hexdigest()


def _stored(key: str):
    return db.session.scalar(
        select(IdempotencyKey).where(IdempotencyKey.user_id == current_user.id, IdempotencyKey.key == key)
    )


def _replay(record: IdempotencyKey, request_hash: str):
    if record.request_hash != request_hash:
        raise BadInput(
            _("Idempotency-Key %(key)s was already used for a different request.", key=record.key),
            field=HEADER,
        )
    response = make_response(record.response_body, record.status_code)
    response.mimetype = "application/json"
    response.headers["Idempotent-Replayed"] = "true"
    return response


def once(key: str, request_hash: str, work, keep):
    """Run `work()` in one transaction at most once per (signed-in user, `key`): the store-and-replay
    primitive under both API writes and form posts.

    Returns `(None, result)` when it ran, or `(record, None)` when the key was used before (nothing
    ran; `record` holds what was kept). `keep(result)` gives the (status code, body) to keep for
    replays, stored in the same transaction, or None to keep nothing. A twin request racing this one
    loses on the key's unique constraint, is rolled back whole and gets the first outcome.
    """
    record = _stored(key)
    if record is not None:
        return record, None
    try:
        with atomic():
            result = work()
            kept = keep(result)
            if kept is not None:
                status_code, body = kept
                db.session.add(
                    IdempotencyKey(
                        user_id=current_user.id,
                        key=key,
                        request_hash=request_hash,
                        status_code=status_code,
                        response_body=body,
                    )
                )
                db.session.flush()
    except IntegrityError:
        db.session.rollback()
        record = _stored(key)
        if record is None:
            raise
        return record, None
    return None, result


def _kept_response(response):
    """What a replay of an API write answers: its status and JSON body (5xx are never kept)."""
    return (response.status_code, response.get_data(as_text=True)) if response.status_code < 500 else None


def idempotent(view):
    """Run the view as one unit of work, stored under the request's Idempotency-Key (if any)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        key = (request.headers.get(HEADER) or "").strip()
        if not key:
            with atomic():
                return make_response(view(*args, **kwargs))
        if len(key) > MAX_KEY_LENGTH:
            raise BadInput(
                _("Idempotency-Key is longer than %(n)d characters.", n=MAX_KEY_LENGTH), field=HEADER
            )
        request_hash = _request_hash()
        try:
            record, response = once(
                key, request_hash, lambda: make_response(view(*args, **kwargs)), _kept_response
            )
        except ReliefError as error:  # a refusal is kept too: its replay is refused the same way
            refusal = make_response(handle_relief_error(error))
            record, response = once(key, request_hash, lambda: refusal, _kept_response)
        return _replay(record, request_hash) if record is not None else response

    wrapped.is_idempotent = True  # copied outward by functools.wraps: tests find it on the endpoint
    # Documented in the OpenAPI operation (flask-smorest reads `_apidoc` from the view function).
    apidoc = deepcopy(getattr(view, "_apidoc", {}))
    parameters = apidoc.setdefault("manual_doc", {}).setdefault("parameters", [])
    parameters.append(OPENAPI_PARAMETER)
    wrapped._apidoc = apidoc
    return wrapped
