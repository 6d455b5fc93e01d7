"""Reads of the depot network: one depot by code, filtered lists, and the whole tree in one query."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import or_, select

from ..errors import unknown
from ..extensions import db
from .models import Depot, Location


def depot_by_code(code: str | None, field: str | None = None, *, optional: bool = False) -> Depot | None:
    """The depot with `code` (surrounding blanks ignored). An unknown code is bad input on `field`
    (422) when a form or body named it, a missing page (404) otherwise; a blank code gives None when
    `optional`, else the same error."""
    code = (code or "").strip()
    if not code and optional:
        return None
    depot = db.session.scalar(select(Depot).where(Depot.code == code)) if code else None
    if depot is None:
        raise unknown(_("No depot with code %(code)s.", code=code or "-"), field)
    return depot


def depots_by_code(codes) -> dict[str, Depot]:
    """The depots with these codes, by code (unknown codes are simply absent)."""
    return {d.code: d for d in db.session.scalars(select(Depot).where(Depot.code.in_(list(codes))))}


def list_depots(*, tier=None, parent=None, under=None, active=None, q=None) -> list[Depot]:
    """Depots in code order. `parent`: direct children of that code; `under`: the whole subtree."""
    query = select(Depot).order_by(Depot.path)
    if tier is not None:
        query = query.where(Depot.tier == tier)
    if parent:
        query = query.where(Depot.parent_id == depot_by_code(parent).id)
    if under:
        query = query.where(Depot.path.startswith(depot_by_code(under).path))
    if active is not None:
        query = query.where(Depot.is_active == active)
    if q:
        pattern = f"%{q}%"
        query = query.where(
            or_(Depot.code.like(pattern), Depot.name_zh.like(pattern), Depot.name_en.ilike(pattern))
        )
    return list(db.session.scalars(query))


@dataclass
class TreeNode:
    depot: Depot
    children: list["TreeNode"] = field(default_factory=list)

    @property
    def size(self) -> int:
        """Depots in this subtree, this one included."""
        return 1 + sum(child.size for child in self.children)


def depot_tree() -> list[TreeNode]:
    """Every depot as a forest of nodes (normally one root, the province), children in code order.

    One query ordered by path: each depot's parent comes before it, so one pass builds the tree.
    """
    nodes: dict[int, TreeNode] = {}
    roots: list[TreeNode] = []
    for depot in db.session.scalars(select(Depot).order_by(Depot.path)):
        node = nodes[depot.id] = TreeNode(depot)
        parent = nodes.get(depot.parent_id)
        (parent.children if parent else roots).append(node)
    return roots


def locations_of(depot: Depot, *, active_only: bool = False) -> list[Location]:
    query = select(Location).where(Location.depot_id == depot.id).order_by(Location.code)
    if active_only:
        query = query.where(Location.is_active.is_(True))
    return list(db.session.scalars(query))
