"""User and token operations: create, update, deactivate, issue and revoke tokens. They flush; the
caller commits through `atomic()`. Each takes the acting user first and decides access itself (the
command line passes `permissions.SYSTEM`), so no caller can skip it."""

import secrets

from flask_babel import gettext as _

from ..audit import operations as audit
from ..database import utcnow
from ..errors import BadInput, Conflict, NotFound
from ..extensions import db
from .models import SCOPED_ROLES, ApiToken, Role, User
from .permissions import Action, require

MIN_PASSWORD_LENGTH = 8


def _check_scope(role: Role, depot) -> None:
    if role in SCOPED_ROLES and depot is None:
        raise BadInput(_("A %(role)s needs a depot as scope.", role=role.label), field="depot_code")


def create_user(
    actor,
    *,
    username: str,
    display_name: str,
    password: str,
    role: Role,
    depot=None,
    locale: str | None = None,
    phone: str | None = None,
    is_active: bool = True,
) -> User:
    """Add a user. Raises Conflict on a taken username, BadInput on a weak password or missing scope;
    the audit log records who gave which role where."""
    require(actor, Action.MANAGE_USERS)
    if db.session.scalar(db.select(User.id).where(User.username == username)) is not None:
        raise Conflict(_("The username %(name)s is taken.", name=username), field="username")
    _check_scope(role, depot)
    _check_password(password)
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        depot=depot if role in SCOPED_ROLES else None,
        locale=locale,
        phone=phone,
        is_active=is_active,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", user.username, None, _role_at(user))
    return user


SELF_SERVICE = frozenset({"locale"})  # what a user may change of his own account (and his password)


def update_user(actor, user: User, **changes) -> User:
    """Change a user's name, role, scope, language, phone, active flag or password (administrators;
    a user his own language). Role, scope, active flag and a reset password go to the audit log.

    An administrator cannot deactivate himself or give up his own role: the last admin would lock
    everybody out of user administration. Raises Conflict then.
    """
    own = getattr(actor, "id", None) is not None and actor.id == user.id
    if not (own and set(changes) <= SELF_SERVICE):
        require(actor, Action.MANAGE_USERS)
    if own and (changes.get("is_active") is False or changes.get("role", user.role) is not user.role):
        raise Conflict(_("You cannot deactivate yourself or change your own role."), field="role")
    before = _standing(user)
    _apply(user, **changes)
    for action, old, new in zip(
        ("user.role", "user.depot", "user.active"), before, _standing(user), strict=True
    ):
        audit.record(actor, action, user.username, old, new)
    if changes.get("password"):
        audit.record(actor, "user.password", user.username, None, "*")
    return user


def _standing(user: User) -> tuple:
    return (user.role, user.depot.code if user.depot else None, user.is_active)


def _apply(user: User, **changes) -> None:
    password = changes.pop("password", None)
    for field, value in changes.items():
        setattr(user, field, value)
    _check_scope(user.role, user.depot)
    if user.role not in SCOPED_ROLES:
        user.depot = None
    if password:
        _check_password(password)
        user.set_password(password)
    db.session.flush()


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise BadInput(
            _("The password needs at least %(n)d characters.", n=MIN_PASSWORD_LENGTH), field="password"
        )


def issue_token(actor, name: str, *, for_user: User | None = None) -> tuple[ApiToken, str]:
    """Create an API token for the acting user (or, by an administrator, `for_user`). Returns the
    record and the token, which is never shown again."""
    user = for_user or actor
    if user is not actor:
        require(actor, Action.MANAGE_USERS)
    secret = ApiToken.generate()
    token = ApiToken(user=user, name=name or "token", token_hash=ApiToken.hash(secret), prefix=secret[:8])
    db.session.add(token)
    db.session.flush()
    return token, secret


def revoke_token(user: User, token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_("No such token."))
    token.revoked_at = token.revoked_at or utcnow()
    db.session.flush()
    return token


_DUMMY_HASHES: dict[str, str] = {}


def authenticate(username: str, password: str) -> User | None:
    """The active user with this username and password, or None.

    An unknown username costs a password check too (against a dummy hash made with the same
    method), so the time of the answer does not tell which usernames exist."""
    from flask import current_app
    from werkzeug.security import check_password_hash, generate_password_hash

    user = db.session.scalar(db.select(User).where(User.username == username))
    if user is None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        if method not in _DUMMY_HASHES:
            _DUMMY_HASHES[method] = generate_password_hash(secrets.token_hex(16), method=method)
        check_password_hash(_DUMMY_HASHES[method], password)
        return None
    password_ok = user.check_password(password)
    return user if password_ok and user.is_active else None


def end_sessions(user: User) -> None:
    """Sign `user` out on every browser (sign-out, a password change by an administrator)."""
    user.end_sessions()
    db.session.flush()


def record_login(user: User) -> None:
    user.last_login_at = utcnow()
    db.session.flush()


def create_user_from(actor, data: dict) -> User:
    """Create a user from loaded UserSchema data (the scope given as `depot_code`)."""
    from ..network.queries import depot_by_code

    data = dict(data)
    depot = depot_by_code(data.pop("depot_code", None), "depot_code", optional=True)
    return create_user(actor, depot=depot, **data)


def _role_at(user: User) -> str:
    return f"{user.role.value} @{user.depot.code}" if user.depot else user.role.value


def update_user_from(actor, user: User, data: dict) -> User:
    """Apply loaded UserUpdateSchema data (possibly partial) to `user`."""
    from ..network.queries import depot_by_code

    data = dict(data)
    if "depot_code" in data:
        data["depot"] = depot_by_code(data.pop("depot_code"), "depot_code", optional=True)
    return update_user(actor, user, **data)


def change_own_password(user: User, current: str, new: str) -> None:
    """A user changes his own password; the current one must be given (a borrowed phone is not enough)."""
    if not user.check_password(current):
        raise BadInput(_("The current password is wrong."), field="current_password")
    try:
        _apply(user, password=new)
    except BadInput as error:
        raise BadInput(error.message, field="new_password") from error
