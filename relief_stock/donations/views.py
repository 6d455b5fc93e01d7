"""Public donation trace pages: a lookup form, and one donation's path from receipt to distribution."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.permissions import public
from . import queries

bp = Blueprint("donations", __name__, url_prefix="/donations")


@bp.get("/")
@public
def lookup():
    """Anyone may enter a donation code (from the donor's receipt, or a batch label) to trace it."""
    code = (request.args.get("code") or "").strip()
    if code:
        return redirect(url_for("donations.trace", code=code))
    return render_template("donations/lookup.html", code="", message=None)


@bp.get("/<path:code>")
@public
def trace(code):
    """Where the donated goods went: receipts, transfers, depots, sites, and what was distributed."""
    found = queries.find_donation(code)
    if found is None:
        message = _("No donation found with the code %(code)s. Check the code on your receipt.", code=code)
        return render_template("donations/lookup.html", code=code, message=message), 404
    return render_template("donations/trace.html", trace=found)
