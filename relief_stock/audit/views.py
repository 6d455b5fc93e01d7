"""The audit page: the latest administrative changes, newest first, filterable by kind of change."""

from flask import Blueprint, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..auth.permissions import Action, requires
from ..extensions import db
from .models import AuditEntry
from .operations import ACTIONS

bp = Blueprint("audit", __name__, url_prefix="/audit")
PAGE_SIZE = 200


@bp.get("/")
@requires(Action.VIEW_AUDIT)
def index():
    """Who changed which user, depot, norm, item, category or vehicle type, when, from what to what."""
    action = request.args.get("action") if request.args.get("action") in ACTIONS else None
    query = select(AuditEntry).options(joinedload(AuditEntry.user)).order_by(AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action == action)
    entries = db.session.scalars(query.limit(PAGE_SIZE)).all()
    return render_template("audit/index.html", entries=entries, actions=ACTIONS, chosen=action)
