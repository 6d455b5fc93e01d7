"""Reads of users and tokens."""

from flask_babel import gettext as _
from sqlalchemy import select

from ..errors import NotFound
from ..extensions import db
from .models import ApiToken, User


def user_by_id(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No user with id %(id)d.", id=user_id))
    return user


def list_users() -> list[User]:
    """Active users first, then by role and username."""
    return list(db.session.scalars(select(User).order_by(User.is_active.desc(), User.role, User.username)))


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens, newest first (revoked ones stay listed, marked)."""
    return list(
        db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc()))
    )
