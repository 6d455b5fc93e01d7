"""Bearer tokens resolved from memory for a few seconds, so that a scanner's request a second does
not look its token and user up in the database every time.

Each process keeps, per token hash, a detached copy of the token's user (and the user's depot) for
`TOKEN_CACHE_SECONDS` (default 30; 0 switches the cache off). A request merges that copy into its
session without a query (`merge(load=False)`), so the user behaves as one loaded by the request.

Staying correct: any change to a user or a token committed through this process (revocation,
deactivation, a new role, scope or password, a sign-out everywhere) empties this process's cache at
once. A change made through another worker process or server is seen here when the entry expires:
a revoked token, or a deactivated user, keeps working for at most `TOKEN_CACHE_SECONDS` there.
"""

import threading
import time
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, make_transient_to_detached

from .models import ApiToken, User

EXTENSION = "relief_token_cache"


@dataclass
class Entry:
    expires: float  # time.monotonic()
    token_id: int
    user: User  # detached, never attached to any session: requests merge a copy
    last_used_at: datetime | None


class TokenCache:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.entries: dict[str, Entry] = {}
        self.lock = threading.Lock()

    def get(self, token_hash: str) -> Entry | None:
        entry = self.entries.get(token_hash)
        if entry is None:
            return None
        if entry.expires < time.monotonic():
            self.entries.pop(token_hash, None)
            return None
        return entry

    def put(self, token_hash: str, token: ApiToken) -> Entry:
        """Remember `token` (just loaded, with its user) for `seconds`; the entry either way."""
        entry = Entry(
            time.monotonic() + self.seconds, token.id, _detached_copy(token.user), token.last_used_at
        )
        if self.seconds > 0:
            with self.lock:
                self.entries[token_hash] = entry
        return entry

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


def cache() -> TokenCache:
    return current_app.extensions[EXTENSION]


def _column_values(obj) -> dict:
    mapper = inspect(obj).mapper
    return {attr.key: getattr(obj, attr.key) for attr in mapper.column_attrs}


def _detached_copy(user: User) -> User:
    """A copy of `user` and its depot that belongs to no session, with every column loaded, as if
    freshly read: merging it into a session issues no query and marks nothing as changed."""
    copy = User(**_column_values(user))
    if user.depot is not None:
        depot = type(user.depot)(**_column_values(user.depot))  # network.models.Depot
        make_transient_to_detached(depot)
        copy.depot = depot
    make_transient_to_detached(copy)
    return copy


def user_for(entry: Entry, session) -> User:
    """The cached user, as an object of `session` (no query)."""
    return session.merge(entry.user, load=False)


def _changes_users_or_tokens(session) -> bool:
    return any(isinstance(obj, User | ApiToken) for obj in (*session.new, *session.dirty, *session.deleted))


@event.listens_for(Session, "after_flush")
def _empty_on_flush(session, _context):
    """Emptied as soon as a change to a user or token is flushed, so that no request of this
    process reads the old copy while the change commits, and again after the commit (a request may
    have cached the old state between the two)."""
    if _changes_users_or_tokens(session) and has_app_context() and EXTENSION in current_app.extensions:
        session.info["relief_users_changed"] = True
        cache().clear()


@event.listens_for(Session, "after_commit")
def _empty_on_commit(session):
    if session.info.pop("relief_users_changed", False) and has_app_context():
        cache().clear()


def init_app(app):
    app.extensions[EXTENSION] = TokenCache(float(app.config.get("TOKEN_CACHE_SECONDS", 30)))
