"""Who must approve a plan before it becomes transfer orders.

Two kinds of requirement, worked out from the plan itself (nothing is stored but the approvals):
- scope: every depot the plan draws on must lie inside the scope of an approving dispatcher, so a
  county dispatcher's plan that takes stock from the city depot needs the city's (or the
  province's) approval;
- reserve: a line edited below the depot's reserve floor needs another dispatcher, of the tier
  above the one who edited it (his scope covers the editor's parent depot) and covering the depot:
  nobody signs off his own dip into the reserve.
An administrator satisfies every requirement.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..auth.models import Role
from ..auth.permissions import Action, can


@dataclass(frozen=True)
class Requirement:
    kind: str  # "scope" or "reserve"
    depot: object
    editor: object = None  # who took the depot below its floor (reserve requirements)

    @property
    def label(self):
        if self.kind == "scope":
            return _l("a dispatcher whose scope covers %(depot)s", depot=self.depot.code)
        return _l(
            "a dispatcher of the tier above %(user)s covering %(depot)s (reserve floor)",
            user=self.editor.display_name,
            depot=self.depot.code,
        )


def satisfies(user, requirement: Requirement) -> bool:
    if user.role is Role.ADMIN:
        return True
    if not can(user, Action.PLAN_DISPATCH, requirement.depot):
        return False
    if requirement.kind == "scope":
        return True
    editor = requirement.editor
    above = editor.depot.parent if editor is not None and editor.depot is not None else None
    return user.id != editor.id and above is not None and user.depot is not None and user.depot.covers(above)


def requirements(plan) -> list[Requirement]:
    depots = {line.from_depot.id: line.from_depot for line in plan.lines if line.quantity > 0}
    below = {
        (line.from_depot.id, line.edited_by.id): (line.from_depot, line.edited_by)
        for line in plan.lines
        if line.quantity > 0 and line.below_floor
    }
    found = [Requirement("scope", d) for _, d in sorted(depots.items())]
    found += [Requirement("reserve", d, editor) for _, (d, editor) in sorted(below.items())]
    return found


def pending(plan) -> list[Requirement]:
    """Requirements no recorded approval satisfies yet."""
    approvers = [approval.user for approval in plan.approvals]
    return [r for r in requirements(plan) if not any(satisfies(u, r) for u in approvers)]


def can_contribute(user, plan) -> bool:
    """Would `user`'s approval satisfy anything still pending?"""
    return any(satisfies(user, r) for r in pending(plan))


@dataclass
class ApprovalGroup:
    """Approvals still needed that the same dispatchers can give."""

    approvers: tuple  # display names of the active dispatchers who satisfy them ("" if nobody)
    depots: list  # codes of the depots concerned
    reserve: bool  # reserve-floor approvals (the tier above the editor)


def grouped_pending(plan, user) -> tuple[int, list[ApprovalGroup]]:
    """(how many pending requirements `user`'s own approval would cover, the others grouped by the
    dispatchers who can give them), so a province officer who approves alone sees nothing to chase."""
    from sqlalchemy import select

    from ..auth.models import User
    from ..extensions import db

    left = pending(plan)
    mine = [r for r in left if satisfies(user, r)]
    others = [r for r in left if not satisfies(user, r)]
    if not others:
        return len(mine), []
    dispatchers = list(
        db.session.scalars(
            select(User).where(User.role == Role.DISPATCHER, User.is_active.is_(True)).order_by(User.id)
        )
    )
    groups: dict[tuple, ApprovalGroup] = {}
    for r in others:
        names = tuple(u.display_name for u in dispatchers if satisfies(u, r))
        group = groups.setdefault((names, r.kind), ApprovalGroup(names, [], r.kind == "reserve"))
        group.depots.append(r.depot.code)
    return len(mine), list(groups.values())
