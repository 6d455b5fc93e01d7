"""Whose picture a page shows: a depot alone (a keeper's) or a depot and its subtree (a dispatcher's,
or the whole province for admins and auditors), and the areas it breaks down into.

`scope_for(user, depot)` is the one place the dashboard, the map and the reports decide what they
show; access itself is decided by `auth.permissions` (`require`), which this calls.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, func, literal, select
from sqlalchemy.orm import aliased

from ..auth.models import Role
from ..auth.permissions import Action, require
from ..errors import NotFound
from ..extensions import db
from ..network.models import Depot


@dataclass(frozen=True)
class Scope:
    depot: Depot
    subtree: bool  # False: the depot's own stock only

    @property
    def is_province(self) -> bool:
        return self.subtree and self.depot.parent_id is None

    @property
    def label(self) -> str:
        """What the figures cover, in words: 全省 / 杭州市仓库及下辖仓库 / 上城区仓库 (本仓)."""
        from ..i18n import localized

        name = localized(self.depot, "name")
        if self.is_province:
            return _("Whole province (%(name)s and every depot below it)", name=name)
        if self.subtree and self.depot.children:
            return _("%(name)s and the depots below it", name=name)
        return _("%(name)s only", name=name)

    def depots(self, depot_column):
        """A WHERE clause: `depot_column` is a depot inside this scope."""
        if not self.subtree:
            return depot_column == self.depot.id
        inside = select(Depot.id).where(Depot.path.startswith(self.depot.path))
        return depot_column.in_(inside)

    def with_area(self, query, depot_column):
        """Join `query` so that it can group by area: the scope's child depot whose subtree holds
        the row (or the scope's own depot for its own stock). Returns (query, area id column)."""
        depot = aliased(Depot)
        query = query.join(depot, depot.id == depot_column)
        if not self.subtree:
            return query.where(depot.id == self.depot.id), literal(self.depot.id)
        area = aliased(Depot)
        query = query.outerjoin(
            area, and_(area.parent_id == self.depot.id, depot.path.startswith(area.path))
        ).where(depot.path.startswith(self.depot.path))
        return query, func.coalesce(area.id, self.depot.id)

    def areas(self) -> list[Depot]:
        """The rows of a breakdown: the scope's own depot first, then its direct children by code."""
        if not self.subtree:
            return [self.depot]
        children = db.session.scalars(
            select(Depot).where(Depot.parent_id == self.depot.id).order_by(Depot.code)
        ).all()
        return [self.depot, *children]


def root_depot() -> Depot:
    depot = db.session.scalar(select(Depot).where(Depot.parent_id.is_(None)).order_by(Depot.id))
    if depot is None:
        raise NotFound(_("There is no depot yet."))
    return depot


def scope_for(user, depot: Depot | None = None) -> Scope:
    """The scope `user` sees at `depot` (default: his own area). PermissionDenied outside his scope.

    Keepers see their depot alone; every other role sees a depot with its subtree."""
    if depot is None:
        depot = user.depot if user.role in (Role.KEEPER, Role.DISPATCHER) and user.depot else root_depot()
    require(user, Action.VIEW, depot)
    return Scope(depot, subtree=user.role is not Role.KEEPER)
