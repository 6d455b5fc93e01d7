"""The one place that decides who may do what, and where.

A role grants actions; scoped roles act only inside their scope (a keeper: his depot; a dispatcher:
his depot and its subtree). Every view declares its access with `@public` or `@requires(action)`;
an endpoint that declares nothing is refused (see `enforce_declared_access`), so a forgotten
decorator fails closed. Operations call `require(user, action, depot)` for the depot-level check.
"""

from enum import StrEnum
from functools import wraps

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import PermissionDenied
from .models import Role


class Action(StrEnum):
    VIEW = "view"  # read depots, catalogue, stock, ledgers: every signed-in role
    MANAGE_NETWORK = "manage_network"
    MANAGE_CATALOGUE = "manage_catalogue"
    MANAGE_USERS = "manage_users"
    OPERATE_STOCK = "operate_stock"  # receive, issue, move, count, quarantine ... (scoped)
    PLAN_DISPATCH = "plan_dispatch"  # emergencies, plans, transfer orders (scoped)
    MANAGE_ALERTS = "manage_alerts"  # acknowledge alerts, set reserve norms (scoped)
    RUN_JOBS = "run_jobs"  # start scheduled checks by hand
    VIEW_AUDIT = "view_audit"  # read the audit log of roles, depot parents and norms


GRANTS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.DISPATCHER: frozenset({Action.VIEW, Action.PLAN_DISPATCH, Action.MANAGE_ALERTS}),
    Role.KEEPER: frozenset({Action.VIEW, Action.OPERATE_STOCK, Action.MANAGE_ALERTS}),
    Role.AUDITOR: frozenset({Action.VIEW, Action.VIEW_AUDIT}),
}

PUBLIC = "public"
ACCESS_ATTR = "_relief_access"
# Endpoints of Flask and its extensions, which cannot carry our decorator.
FRAMEWORK_PUBLIC_ENDPOINTS = {"static", "api-docs.openapi_json"}


class SystemActor:
    """The acting user of the command line, the demo loader and scripted installs: an administrator
    nobody signs in as. Operations decide access for it like for anyone (it is granted everything);
    the audit log records its changes with no user."""

    id = None
    username = "system"
    role = Role.ADMIN
    depot = None
    depot_id = None
    is_authenticated = True
    is_active = True


SYSTEM = SystemActor()


def in_scope(user, depot) -> bool:
    """True when `depot` lies inside the user's scope. Unscoped roles see everything."""
    if user.role not in (Role.DISPATCHER, Role.KEEPER):
        return True
    if user.depot is None or depot is None:
        return False
    if user.role is Role.KEEPER:
        return depot.id == user.depot_id
    return user.depot.covers(depot)


def can(user, action: Action, depot=None) -> bool:
    """May `user` perform `action` (at `depot`, when given)?"""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if action not in GRANTS.get(user.role, ()):
        return False
    return depot is None or in_scope(user, depot)


def require(user, action: Action, depot=None) -> None:
    """Raise PermissionDenied unless `can(user, action, depot)`."""
    if not can(user, action, depot):
        if depot is not None and action in GRANTS.get(getattr(user, "role", None), ()):
            raise PermissionDenied(_("Depot %(code)s is outside your scope.", code=depot.code))
        raise PermissionDenied(_("You are not allowed to do this."))


def may_deliver(user, transfer) -> bool:
    """May `user` confirm that `transfer` was handed out at a site that is no depot? The keepers of
    the sending depot and the dispatchers covering it (the truck may leave no keeper at the site)."""
    return can(user, Action.OPERATE_STOCK, transfer.from_depot) or can(
        user, Action.PLAN_DISPATCH, transfer.from_depot
    )


def require_deliver(user, transfer) -> None:
    """Raise PermissionDenied unless `may_deliver(user, transfer)`, naming the depot when out of scope."""
    if not may_deliver(user, transfer):
        action = (
            Action.PLAN_DISPATCH if getattr(user, "role", None) is Role.DISPATCHER else Action.OPERATE_STOCK
        )
        require(user, action, transfer.from_depot)
        raise PermissionDenied(_("You are not allowed to do this."))


def require_receive(user, transfer) -> None:
    """Who may record an order's arrival: a keeper of the receiving depot; for a site that is no
    depot, whoever may confirm the delivery there (`may_deliver`)."""
    if transfer.to_depot is None:
        require_deliver(user, transfer)
    else:
        require(user, Action.OPERATE_STOCK, transfer.to_depot)


def at_sender(action: Action):
    """A `loads` check: `action` at the sending depot of a transfer order."""
    return lambda user, transfer: require(user, action, transfer.from_depot)


def at_depot(action: Action):
    """A `loads` check: `action` at the object's own depot (a donation's receiving depot)."""
    return lambda user, obj: require(user, action, obj.depot)


def loads(param: str, lookup, check=None, *, into: str | None = None):
    """Load, check access, act, for a view whose URL names an object (a transfer by number, an
    emergency by id, a depot by code): `lookup(value)` finds it (a 404 when it names nothing),
    `check(current_user, obj)` refuses a stranger (403) before any form or body is read, and the
    view is called with the object under `into` (default: `param`) in place of the identifier.

    Stack it under `@requires` (and under `@idempotent` on the API, so the refusal is kept too)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            obj = lookup(kwargs.pop(param))
            if check is not None:
                check(current_user, obj)
            kwargs[into or param] = obj
            return view(*args, **kwargs)

        return wrapped

    return decorator


def public(view):
    """Mark a view as open to everybody, signed in or not."""
    setattr(view, ACCESS_ATTR, PUBLIC)
    return view


def requires(action: Action):
    """Mark a view as needing a signed-in user granted `action` (scope is checked by the view)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            require(current_user, action)
            return view(*args, **kwargs)

        setattr(wrapped, ACCESS_ATTR, action)
        return wrapped

    return decorator


def declared_access(app, endpoint: str):
    """The access an endpoint declared: PUBLIC, an Action, or None."""
    if endpoint in FRAMEWORK_PUBLIC_ENDPOINTS:
        return PUBLIC
    view = app.view_functions.get(endpoint)
    access = getattr(view, ACCESS_ATTR, None)
    if access is None and hasattr(view, "view_class"):
        # A class-based view declares on each method handler; it is enforced there.
        methods = [getattr(view.view_class, m.lower(), None) for m in view.view_class.methods or ()]
        declared = {getattr(m, ACCESS_ATTR, None) for m in methods if m is not None}
        if None not in declared and declared:
            access = "per-method"
    return access


def enforce_declared_access():
    """before_request: refuse any endpoint that forgot to declare who may use it (fail closed)."""
    if request.endpoint is None:
        return None  # 404s and 405s are answered by Flask itself
    if declared_access(current_app, request.endpoint) is None:
        current_app.logger.error("endpoint %s declares no access; refused", request.endpoint)
        raise PermissionDenied(_("You are not allowed to do this."))
    return None


def authenticated_by_token() -> bool:
    return bool(g.get("authenticated_by_token"))
