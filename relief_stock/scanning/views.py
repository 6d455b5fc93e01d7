"""The scan-first page and the short URLs printed in QR codes.

A USB or Bluetooth scanner types the code into the scan box and presses Enter; a thumb can type it
too; a phone camera opening a label's URL lands on /b/<code>, /l/<code>, /t/<code> or /r/<code>.
All of them resolve the code (`resolve.py`) and redirect to the page of what it is: the batch page,
the stock at a location, the transfer page, the receipt. A mistyped or unknown code comes back to the
scan page with the reason, and the box keeps what was typed so it can be corrected.
"""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.permissions import Action, can, requires
from ..errors import BadInput, NotFound
from . import codes, resolve

bp = Blueprint("scanning", __name__)


def page_for(found) -> str:
    """The URL of the page for a resolved code."""
    kind, obj = found.kind, found.object
    if kind == codes.BATCH:
        return url_for("stock.batch", code=obj.code)
    if kind == codes.RECEIPT:
        return url_for("stock.receipt", receipt_id=obj.id)
    if kind == codes.LOCATION:
        return url_for("stock.depot_stock", code=obj.depot.code, location=obj.code)
    return url_for("dispatch.transfer", number=obj.number)


def _resolve_and_go(raw: str, *, on_error_status: int = 422):
    """Resolve `raw` (a code or a label URL) and redirect to its page; or show the scan page with
    what was wrong."""
    try:  # logged, found or not, by the scan log itself
        found = resolve.resolve(raw, current_user)
    except (BadInput, NotFound) as refused:
        return render_scan(
            code=raw, error=refused.message, status=on_error_status if isinstance(refused, BadInput) else 404
        )
    return redirect(page_for(found))


def render_scan(code: str = "", error: str | None = None, status: int = 200):
    depot = current_user.depot if current_user.is_authenticated else None
    keeper_links = depot is not None and can(current_user, Action.OPERATE_STOCK, depot)
    return render_template(
        "scanning/scan.html", code=code, error=error, depot=depot, keeper_links=keeper_links
    ), status


@bp.get("/scan")
@requires(Action.VIEW)
def scan():
    """The scan box. `?code=` (what the box submits) resolves and redirects."""
    raw = (request.args.get("code") or "").strip()
    if not raw:
        return render_scan()
    return _resolve_and_go(raw)


def _short_url(segment: str, code: str):
    # A stranger's phone camera lands here too: @requires sends it to sign in, then back here.
    return _resolve_and_go(f"/{segment}/{code}", on_error_status=404)


@bp.get("/b/<path:code>")
@requires(Action.VIEW)
def batch_url(code):
    """Printed on batch labels: opens the batch page."""
    return _short_url("b", code)


@bp.get("/l/<path:code>")
@requires(Action.VIEW)
def location_url(code):
    """Printed on location labels: opens the stock at that location."""
    return _short_url("l", code)


@bp.get("/t/<path:code>")
@requires(Action.VIEW)
def transfer_url(code):
    """Printed on transfer manifests: opens the transfer page."""
    return _short_url("t", code)


@bp.get("/r/<path:code>")
@requires(Action.VIEW)
def receipt_url(code):
    """Printed on receipt notes: opens the receipt."""
    return _short_url("r", code)


def register(app):
    from flask_babel import lazy_gettext as _l

    from ..web import add_nav
    from .public_url import public_base_warning

    app.register_blueprint(bp)
    app.jinja_env.globals["public_base_warning"] = public_base_warning
    add_nav("scanning.scan", _l("Scan"), Action.VIEW, order=0)  # a keeper's first move
