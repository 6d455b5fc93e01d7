"""The dashboard page."""

from flask import Blueprint, render_template
from flask_login import current_user

from ..auth.permissions import Action, requires
from .panels import PANELS

bp = Blueprint("dashboard", __name__)


@bp.get("/dashboard")
@requires(Action.VIEW)
def home():
    """The signed-in start page: one panel per domain, each scoped to the user."""
    panels = [(panel.template, panel.context(current_user)) for panel in PANELS]
    return render_template("dashboard/home.html", panels=panels)
