"""Users, their role and scope, and API tokens for scanners and scripts."""

import hashlib
import secrets
from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..database import Base, TimestampMixin, UTCDateTime, enum_column, utcnow


class Role(StrEnum):
    ADMIN = "admin"
    DISPATCHER = "dispatcher"  # scope: a depot and its subtree
    KEEPER = "keeper"  # scope: one depot
    AUDITOR = "auditor"  # read-only, everywhere

    @property
    def label(self):
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.DISPATCHER: _l("Dispatch officer"),
    Role.KEEPER: _l("Depot keeper"),
    Role.AUDITOR: _l("Auditor"),
}

SCOPED_ROLES = (Role.DISPATCHER, Role.KEEPER)


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = enum_column(Role)
    depot_id: Mapped[int | None] = mapped_column(ForeignKey("depots.id"), index=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    phone: Mapped[str | None] = mapped_column(String(32))
    is_active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Part of the id in every session and remember cookie (`get_id`): raising it on sign-out and on
    # a password change makes every cookie issued before worthless, copied ones included.
    session_version: Mapped[int] = mapped_column(default=0, server_default=text("0"))

    depot = relationship("Depot", lazy="joined")

    def set_password(self, password: str) -> None:
        from flask import current_app

        self.password_hash = generate_password_hash(
            password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        )
        self.end_sessions()

    def end_sessions(self) -> None:
        """Sign this user out everywhere: cookies issued so far no longer load the user."""
        self.session_version = (self.session_version or 0) + 1

    def get_id(self) -> str:
        return f"{self.id}.{self.session_version or 0}"

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def depot_code(self) -> str | None:
        return self.depot.code if self.depot is not None else None

    def __repr__(self):
        return f"<User {self.username} {self.role}>"


class ApiToken(Base):
    """A bearer token. Only its SHA-256 is stored; the token itself is shown once, at creation."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user = relationship(User, lazy="joined")

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "rs_" + secrets.token_urlsafe(32)
