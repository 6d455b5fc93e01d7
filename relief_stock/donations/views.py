"""Public donation trace pages: a lookup form, one donation's path from receipt to distribution, and
the signed ledger checkpoint that the path is covered by."""

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import public
from ..scanning import codes
from ..sealing import keys
from ..sealing.checkpoints import Checkpoint
from ..sealing.queries import coverage, latest_published
from . import queries
from .summary import summary_line

bp = Blueprint("donations", __name__, url_prefix="/donations")


@bp.get("/")
@public
def lookup():
    """Anyone may enter the trace code from a donor's receipt to trace it (signed-in staff also a batch
    code or a donor reference)."""
    code = (request.args.get("code") or "").strip()
    if code:
        # A trace code typed on a phone (lower case, spaces) lands on its one canonical address.
        return redirect(url_for("donations.trace", code=codes.parse_trace_code(code) or code))
    return render_template("donations/lookup.html", code="", message=None)


@bp.get("/<path:code>")
@public
def trace(code):
    """Where the donated goods went: receipts, transfers, depots, sites, and what was distributed."""
    found = queries.find_donation(code, staff=current_user.is_authenticated)
    if found is None:
        message = _("No donation found with the code %(code)s. Check the code on your receipt.", code=code)
        return render_template("donations/lookup.html", code=code, message=message), 404
    return render_template(
        "donations/trace.html",
        trace=found,
        lines=[summary_line(item) for item in found.summary],
        sealed=coverage(found.movement_ids),
    )


@bp.get("/checkpoint.json")
@public
def checkpoint():
    """The newest published checkpoint of the movement ledger, signed, with the key that checks it."""
    seal = latest_published()
    if seal is None:
        return jsonify({"message": _("No checkpoint has been published yet.")}), 404
    try:
        key = keys.public_key()
    except keys.KeyMissing:
        key = None  # a web server without the key: the auditor checks with the published key
    return current_app.response_class(Checkpoint.of(seal, key).to_json(), mimetype="application/json")
