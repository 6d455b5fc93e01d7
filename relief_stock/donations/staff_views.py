"""Staff pages of registered donations (signed in, scoped to the receiving depot): the donor's
receipt (捐赠收据) as PDF. The public pages are in views.py."""

from flask import Blueprint, Response, abort, request
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import select

from ..auth.permissions import Action, require, requires
from ..extensions import db
from .models import Donation, DonationStatus

bp = Blueprint("donors", __name__, url_prefix="/donors")


@bp.get("/donations/<trace_code>/receipt.pdf")
@requires(Action.VIEW)
def donation_receipt(trace_code):
    """The donor's receipt, with the trace code and its QR code, once the donation is received."""
    from ..printing.donor_receipt import render_donor_receipt

    donation = db.session.scalar(select(Donation).where(Donation.trace_code == trace_code))
    if donation is None or donation.status is not DonationStatus.RECEIVED:
        abort(404)
    require(current_user, Action.VIEW, donation.depot)
    lang = request.args.get("lang") if request.args.get("lang") in ("zh", "en") else str(get_locale())
    pdf = render_donor_receipt(donation, "en" if lang == "en" else "zh")
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="donation-{trace_code}.pdf"'},
    )
