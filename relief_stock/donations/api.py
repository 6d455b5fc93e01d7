"""Donors and donations API under /api/v1: donors (list, register, read) and donations (list,
register, read, receive). Reads are scoped like the staff pages; every write is `@idempotent`."""

from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint

from ..auth.permissions import Action, require, requires
from ..catalogue.queries import item_by_sku
from ..dashboard.scope import scope_for
from ..errors import BadInput
from ..idempotency import idempotent
from ..network.queries import depot_by_code
from ..stock.lookups import location_for_code
from . import lookups, operations
from .loaders import donation_to_receive, donation_to_view
from .schemas import (
    DeclareSchema,
    DonationFilterSchema,
    DonationOutSchema,
    DonorOutSchema,
    DonorQuerySchema,
    DonorSchema,
    ReceiveDonationSchema,
)

blp = Blueprint(
    "api_donations",
    __name__,
    url_prefix="/api/v1",
    description="Donors and donations (捐赠登记): declared, then received through the stock operations.",
)


@blp.route("/donors", methods=["GET"])
@requires(Action.VIEW)
@blp.arguments(DonorQuerySchema, location="query")
@blp.response(200, DonorOutSchema(many=True))
def list_donors(args):
    """Donors by name (50 a page), searched in the name, contact person, phone and e-mail."""
    return lookups.donor_page(**args).rows


@blp.route("/donors", methods=["POST"])
@requires(Action.OPERATE_STOCK)
@idempotent
@blp.arguments(DonorSchema)
@blp.response(201, DonorOutSchema)
def create_donor(data):
    """Register a donor; unless `may_name_publicly`, the public sees an anonymous donor."""
    return operations.register_donor(current_user, **data)


@blp.route("/donors/<int:donor_id>", methods=["GET"])
@requires(Action.VIEW)
@blp.response(200, DonorOutSchema)
def get_donor(donor_id):
    """One donor by id."""
    return lookups.donor_by_id(donor_id)


@blp.route("/donations", methods=["GET"])
@requires(Action.VIEW)
@blp.arguments(DonationFilterSchema, location="query")
@blp.response(200, DonationOutSchema(many=True))
def list_donations(args):
    """Donations to depots of the caller's scope (50 a page, newest first), by depot (and below
    it), donor, status and donation date (`date_from`, `date_to`)."""
    depot = depot_by_code(args.pop("depot"), "depot", optional=True)
    donor_id = args.pop("donor")
    donor = lookups.donor_by_id(donor_id, "donor") if donor_id else None
    return lookups.donation_page(scope_for(current_user), depot=depot, donor=donor, **args).rows


@blp.route("/donations", methods=["POST"])
@requires(Action.OPERATE_STOCK)
@idempotent
@blp.arguments(DeclareSchema)
@blp.response(201, DonationOutSchema)
def create_donation(data):
    """Register a donation: donor, receiving depot, declared lines; it gets its trace code."""
    depot = depot_by_code(data.pop("depot"), "depot")
    require(current_user, Action.OPERATE_STOCK, depot)
    donor = lookups.donor_by_id(data.pop("donor"), "donor")
    lines = [
        operations.DeclaredLine(item_by_sku(line["item"], f"lines.{i}.item"), line["quantity"])
        for i, line in enumerate(data.pop("lines"))
    ]
    return operations.declare_donation(current_user, donor, depot, lines, **data)


@blp.route("/donations/<trace_code>", methods=["GET"])
@requires(Action.VIEW)
@donation_to_view
@blp.response(200, DonationOutSchema)
def get_donation(donation):
    """One donation by its trace code, with declared and accepted lines and the batches made."""
    return donation


@blp.route("/donations/<trace_code>/receive", methods=["POST"])
@requires(Action.OPERATE_STOCK)
@idempotent
@donation_to_receive
@blp.arguments(ReceiveDonationSchema)
@blp.response(200, DonationOutSchema)
def receive_donation(data, donation):
    """Receive a declared donation: for every line (by id) the quantity accepted, and a reason
    (damaged, expired, refused, short) for any difference. 409 when it was already received."""
    accepted, known = {}, {line.id for line in donation.lines}
    for i, line in enumerate(data["lines"]):
        if line["line"] not in known:
            raise BadInput(
                _(
                    "Line %(id)d is not a line of donation %(code)s.",
                    id=line["line"],
                    code=donation.trace_code,
                ),
                field=f"lines.{i}.line",
            )
        code = line.pop("location")
        location = location_for_code(donation.depot, code, f"lines.{i}.location") if code else None
        line_id = line.pop("line")
        accepted[line_id] = operations.Acceptance(**line, location=location)
    return operations.receive_donation(current_user, donation, accepted, received_date=data["received_date"])


def register(app):
    from ..extensions import api

    api.register_blueprint(blp)
