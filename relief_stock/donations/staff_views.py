"""Staff pages of registered donations (signed in, scoped like stock: keepers their depot,
dispatchers their subtree, auditors and administrators everything, read-only for auditors): the
donation list with its filters, registering a donation (捐赠登记), receiving it (accepted against
declared, a reason per difference), one donation's page and the donor's receipt (捐赠收据) as PDF.
Donor pages are in donor_views.py, on the same blueprint; the public pages in views.py.

Thin: schemas read input, donations/operations.py writes, every form runs through `form_posts`.
"""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.permissions import Action, can, requires
from ..catalogue.queries import item_by_sku, list_items
from ..dashboard.scope import scope_for
from ..errors import ReliefError
from ..extensions import db
from ..fields import read_form
from ..form_posts import error_messages, new_form_token, split_errors, submit
from ..network.models import Depot
from ..network.queries import depot_by_code
from ..stock import forms
from ..stock.lookups import location_for_code
from . import lookups, operations
from .loaders import donation_to_receive, donation_to_view
from .models import DifferenceReason, Donation, DonationStatus
from .schemas import AcceptanceSchema, DeclaredLineSchema, DonationFilterSchema, DonationHeaderSchema

bp = Blueprint("donors", __name__, url_prefix="/donors")

LINES_WITHOUT_JS = 5  # declared-line rows on the register form
HEADER_FIELDS = ("depot", *DonationHeaderSchema().fields)
ACCEPTANCE_FIELDS = tuple(AcceptanceSchema().fields)


@bp.get("/donations/")
@requires(Action.VIEW)
def donations():
    """The donations received at depots of the user's scope: by depot (and below it), donor, period
    and status, newest first."""
    filters, errors = read_form(DonationFilterSchema(), request.args, checkboxes=False)
    scope = scope_for(current_user)
    page = None
    if not errors:
        try:
            depot = depot_by_code(filters.get("depot"), "depot", optional=True)
            donor = lookups.donor_by_id(filters["donor"], "donor") if filters.get("donor") else None
        except ReliefError as error:
            errors = error_messages(error)
        else:
            page = lookups.donation_page(
                scope,
                depot=depot,
                donor=donor,
                status=filters.get("status"),
                date_from=filters.get("date_from"),
                date_to=filters.get("date_to"),
                page=filters.get("page", 1),
            )
    return render_template(
        "donations/staff/donations.html",
        page=page,
        scope=scope,
        values=request.args,
        errors=errors,
        donors=lookups.donor_choices(),
        statuses=list(DonationStatus),
        may_register=can(current_user, Action.OPERATE_STOCK),
    ), 422 if errors else 200


def _receiving_depots() -> list[Depot]:
    """The depots where the user may take a donation in (a keeper: his own)."""
    depots = db.session.scalars(select(Depot).where(Depot.is_active).order_by(Depot.path))
    return [depot for depot in depots if can(current_user, Action.OPERATE_STOCK, depot)]


def _declared_lines(formdata) -> tuple[list, dict]:
    """The filled-in declared lines, and messages per box (`lines-<row>-<field>`)."""
    lines, errors = [], {}
    count = max(forms.receive_line_count(formdata), LINES_WITHOUT_JS)
    for index in range(count):
        prefix = f"lines-{index}-"
        if not any((formdata.get(prefix + name) or "").strip() for name in ("item", "quantity")):
            continue
        data, line_errors = forms.load_form(DeclaredLineSchema(), formdata, prefix)
        errors.update(line_errors)
        if line_errors:
            continue
        try:
            lines.append(
                operations.DeclaredLine(item_by_sku(data["item"], prefix + "item"), data["quantity"])
            )
        except ReliefError as error:
            errors.update(error_messages(error))
    if not lines and not errors:
        errors["_form"] = [_("Declare at least one line: an item and its quantity.")]
    return lines, errors


@bp.route("/donations/new", methods=["GET", "POST"])
@requires(Action.OPERATE_STOCK)
def register_donation():
    """Register a donation (捐赠登记): the donor, the receiving depot, the declared lines and the
    documents that came with it. The goods are received afterwards, on the donation's page."""
    depots = _receiving_depots()

    def render(errors=None, status=200):
        count = max(LINES_WITHOUT_JS, forms.receive_line_count(request.form))
        line_names = tuple(f"lines-{i}-{name}" for i in range(count) for name in ("item", "quantity"))
        field_errors, general = split_errors(errors, HEADER_FIELDS + line_names)
        values = request.form if request.method == "POST" else request.args
        return render_template(
            "donations/staff/register.html",
            values=values,
            errors=field_errors,
            general=general,
            line_count=count,
            depots=depots,
            donors=lookups.donor_choices(),
            items=list_items(active=True),
            form_token=new_form_token(),
        ), status

    if request.method == "GET":
        return render()
    header, errors = forms.load_form(DonationHeaderSchema(), request.form)
    lines, line_errors = _declared_lines(request.form)
    errors.update(line_errors)
    if not (request.form.get("depot") or "").strip():
        errors["depot"] = [_("Choose the receiving depot.")]
    if errors:
        return render(errors, 422)

    def work():
        depot = depot_by_code(request.form.get("depot"), "depot")
        donor = lookups.donor_by_id(header.pop("donor"), "donor")
        donation = operations.declare_donation(current_user, donor, depot, lines, **header)
        return (
            url_for("donors.donation", trace_code=donation.trace_code),
            _("Donation %(code)s registered.", code=donation.trace_code),
        )

    return submit(work, render)


@bp.get("/donations/<trace_code>")
@requires(Action.VIEW)
@donation_to_view
def donation(donation):
    """One donation: its donor, depot and documents, declared against accepted lines with the
    reason for every difference, the batches made, and links to the receipt, its PDF and the trace."""
    return render_template(
        "donations/staff/donation.html",
        donation=donation,
        may_receive=donation.status is DonationStatus.DECLARED
        and can(current_user, Action.OPERATE_STOCK, donation.depot),
    )


def _acceptances(donation: Donation, formdata) -> tuple[dict, dict]:
    """{line id: Acceptance} from the receive form, and messages per box (`lines-<id>-<field>`)."""
    accepted, errors = {}, {}
    for line in donation.lines:
        prefix = f"lines-{line.id}-"
        data, line_errors = forms.load_form(AcceptanceSchema(), formdata, prefix)
        if not line_errors and data["location"]:
            try:
                data["location"] = location_for_code(donation.depot, data["location"], prefix + "location")
            except ReliefError as error:
                line_errors = error_messages(error)
        errors.update(line_errors)
        if not line_errors:
            accepted[line.id] = operations.Acceptance(**data)
    return accepted, errors


def _on_line_boxes(donation: Donation, errors: dict) -> dict:
    """The operation names line `lines.<n>` (n from 1); the form names its boxes by line id."""
    mapped = {}
    for name, messages in errors.items():
        head, _dot, number = name.partition(".")
        if head == "lines" and number.isdigit() and 1 <= int(number) <= len(donation.lines):
            name = f"lines-{donation.lines[int(number) - 1].id}-accepted"
        mapped[name] = messages
    return mapped


@bp.route("/donations/<trace_code>/receive", methods=["GET", "POST"])
@requires(Action.OPERATE_STOCK)
@donation_to_receive
def receive_donation(donation):
    """Take a declared donation into stock: what was accepted of each line, and why any difference
    (damaged, expired, refused, short). The accepted units become batches carrying the trace code."""

    def render(errors=None, status=200):
        names = tuple(f"lines-{line.id}-{name}" for line in donation.lines for name in ACCEPTANCE_FIELDS)
        field_errors, general = split_errors(errors, names)
        values = (
            request.form
            if request.method == "POST"
            else {f"lines-{line.id}-accepted": line.declared_quantity for line in donation.lines}
        )
        return render_template(
            "donations/staff/receive.html",
            donation=donation,
            values=values,
            errors=field_errors,
            general=general,
            reasons=[(reason.value, reason.label) for reason in DifferenceReason],
            form_token=new_form_token(),
        ), status

    if request.method == "GET":
        if donation.status is not DonationStatus.DECLARED:
            flash(_("Donation %(code)s was already received.", code=donation.trace_code), "info")
            return redirect(url_for("donors.donation", trace_code=donation.trace_code), code=303)
        return render()
    accepted, errors = _acceptances(donation, request.form)
    if errors:
        return render(errors, 422)

    def work():
        operations.receive_donation(current_user, donation, accepted)
        return (
            url_for("donors.donation", trace_code=donation.trace_code),
            _("Donation %(code)s received into stock.", code=donation.trace_code),
        )

    return submit(work, lambda errors, status: render(_on_line_boxes(donation, errors), status))


@bp.get("/donations/<trace_code>/receipt.pdf")
@requires(Action.VIEW)
@donation_to_view
def donation_receipt(donation):
    """The donor's receipt, with the trace code and its QR code, once the donation is received."""
    from ..printing.donor_receipt import render_donor_receipt

    if donation.status is not DonationStatus.RECEIVED:
        abort(404)
    lang = request.args.get("lang") if request.args.get("lang") in ("zh", "en") else str(get_locale())
    pdf = render_donor_receipt(donation, "en" if lang == "en" else "zh")
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="donation-{donation.trace_code}.pdf"'},
    )
