"""Staff downloads of donation reports: the donations of a period by donor and item with their use
and what remains (XLSX), and the feedback letter to one donor (捐赠反馈函, PDF). Signed in; each
user gets the donations of the depots in their scope (reports.donations_in)."""

from flask import Blueprint, Response, abort, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..auth.permissions import Action, requires
from ..errors import BadInput
from ..fields import read_form
from ..i18n import localized
from ..network.queries import depot_by_code
from ..stock.exports import ExportColumn, export_response
from . import lookups, reports

bp = Blueprint("donation_reports", __name__, url_prefix="/donors/reports")


def _options(schema):
    data, errors = read_form(schema, request.args, checkboxes=False)
    if errors:
        field, messages = next(iter(errors.items()))
        raise BadInput(str(messages[0]), field=field)
    under = depot_by_code(data["depot"], "depot") if data.get("depot") else None
    return data, reports.period_of(data), under


def _lang() -> str:
    lang = request.args.get("lang")
    return lang if lang in ("zh", "en") else ("en" if str(get_locale()) == "en" else "zh")


def _figure(name):
    return lambda r: getattr(r.summary, name) if r.summary is not None else None


def _columns():
    return [
        ExportColumn(_l("Donated"), lambda r: r.donation.donated_date, 12),
        ExportColumn(_l("Trace code"), lambda r: r.donation.trace_code, 18),
        ExportColumn(_l("Donor"), lambda r: r.donation.donor.name, 24),
        ExportColumn(_l("Kind of donor"), lambda r: r.donation.donor.kind, 12),
        ExportColumn(
            _l("Named in public"), lambda r: _l("Yes") if r.donation.donor.may_name_publicly else _l("No"), 10
        ),
        ExportColumn(_l("Depot code"), lambda r: r.donation.depot.code, 10),
        ExportColumn(_l("Receiving depot"), lambda r: localized(r.donation.depot, "name"), 24),
        ExportColumn(_l("SKU"), lambda r: r.line.item.sku, 16),
        ExportColumn(_l("Item"), lambda r: localized(r.line.item, "name"), 28),
        ExportColumn(_l("Unit"), lambda r: localized(r.line.item, "unit"), 8),
        ExportColumn(_l("Declared"), lambda r: r.line.declared_quantity, 10),
        ExportColumn(_l("Accepted"), lambda r: r.line.accepted_quantity, 10),
        ExportColumn(
            _l("Not accepted"),
            lambda r: r.line.difference if r.line.accepted_quantity is not None else None,
            10,
        ),
        ExportColumn(_l("Why not accepted"), lambda r: r.line.difference_reason, 14),
        ExportColumn(_l("Distributed"), _figure("distributed"), 11),
        ExportColumn(_l("of which at sites"), _figure("delivered"), 11),
        ExportColumn(
            _l("Distribution sites"), lambda r: ", ".join(r.summary.sites) if r.summary else None, 28
        ),
        ExportColumn(_l("In transit"), _figure("in_transit"), 10),
        ExportColumn(_l("Written off"), _figure("lost"), 10),
        ExportColumn(_l("Stocktake corrections"), _figure("corrected"), 12),
        ExportColumn(_l("In stock"), _figure("in_stock"), 10),
        ExportColumn(_l("of which committed"), _figure("committed"), 11),
        ExportColumn(_l("Committed to"), lambda r: ", ".join(r.emergencies) or None, 24),
    ]


@bp.get("/donations.xlsx")
@requires(Action.VIEW)
def donations_xlsx():
    """Donations received in ?from=..&to=.. (this year by default), optionally ?depot=CODE and below."""
    _data, (start, end), under = _options(reports.ReportPeriod())
    rows = reports.rows_of(reports.donations_in(current_user, start, end, under=under))
    return export_response(
        "xlsx",
        _columns(),
        rows,
        f"donations-{start:%Y%m%d}-{end:%Y%m%d}",
        str(_l("Donations %(start)s to %(end)s", start=start.isoformat(), end=end.isoformat())),
    )


@bp.get("/feedback/<int:donor_id>.pdf")
@requires(Action.VIEW)
def feedback_letter(donor_id):
    """The feedback letter to a donor about their donations in the period (?from, ?to, ?lang,
    ?signed_by): 404 when they made none there that this user may see."""
    from ..printing.feedback_letter import render_feedback_letter

    donor = lookups.donor_by_id(donor_id)
    data, period, under = _options(reports.LetterOptions())
    donations = reports.donations_in(current_user, *period, under=under, donor=donor)
    if not donations:
        abort(404)
    pdf = render_feedback_letter(
        donor, donations, reports.rows_of(donations), period, _lang(), signed_by=data.get("signed_by")
    )
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="feedback-{donor.id}-{period[1]:%Y%m%d}.pdf"'},
    )
