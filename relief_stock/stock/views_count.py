"""Stocktake pages (盘点): open a count for a depot or a location, enter (or scan) what is on the
shelf batch by batch, see the differences, and post them as count corrections in one step.

The counting rules (system quantity kept at counting time, partial counts, found goods) live in
`stocktake.py`; these pages only collect the numbers and show the sheet.
"""

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import Action, can, require, requires
from ..catalogue.queries import item_by_sku, list_items
from ..errors import BadInput
from ..form_posts import new_form_token, run_form, split_errors, submit
from ..network.queries import depot_by_code, locations_of
from . import lookups, operations, records, schemas
from . import stocktake as counting
from .kinds import StocktakeStatus
from .views import bp, expiry_state

COUNT_PREFIX = "count-"  # count-<batch id> on the count sheet
REASON_PREFIX = "reason-"  # reason-<line id> beside each difference


@bp.route("/depots/<code>/counts", methods=["GET", "POST"])
@requires(Action.OPERATE_STOCK)
def stocktakes(code):
    """The depot's counts, open and recent, and the form that opens a new one."""
    depot = depot_by_code(code)
    require(current_user, Action.OPERATE_STOCK, depot)

    def render(errors=None, status=200):
        field_errors, general = split_errors(errors, ("location",))
        return render_template(
            "stock/stocktakes.html",
            depot=depot,
            counts=records.depot_stocktakes(depot),
            locations=locations_of(depot, active_only=True),
            errors=field_errors,
            general=general,
            values=request.form,
            form_token=new_form_token(),
        ), status

    if request.method == "GET":
        return render()

    def perform(data):
        location = (
            lookups.location_for_code(depot, data["location"], field="location") if data["location"] else None
        )
        opened = operations.open_stocktake(current_user, depot, location, is_blind=data["is_blind"])
        return url_for("stock.stocktake", stocktake_id=opened.id), _("Count opened. Enter what you find.")

    return run_form(schemas.OpenStocktakeSchema(), perform, render)


def _sheet_rows(stocktake):
    """(batch, line or None) for every batch in scope, then batches counted here that left scope."""
    lines = {line.batch_id: line for line in stocktake.lines if line.batch_id is not None}
    rows = [(batch, lines.pop(batch.id, None)) for batch in counting.counted_batches(stocktake)]
    rows += [(line.batch, line) for line in lines.values()]
    return rows


def _render_sheet(stocktake, errors=None, status=200):
    field_errors, general = split_errors(
        errors, ("code", "counted", "item", "found_counted", "expiry_date", "location")
    )
    rows = _sheet_rows(stocktake)
    return render_template(
        "stock/stocktake.html",
        stocktake=stocktake,
        rows=rows,
        expiry_state=expiry_state,
        found=[line for line in stocktake.lines if line.batch_id is None],
        differences=counting.differences(stocktake),
        needs_approval=counting.needs_approval,
        awaiting_approval=bool(counting.lines_needing_approval(stocktake))
        and stocktake.approved_by_id is None,
        may_approve=counting.may_approve(current_user, stocktake),
        approval_units=counting.approval_units(),
        blind=stocktake.is_blind and stocktake.status is StocktakeStatus.OPEN,
        uncounted=counting.uncounted(stocktake),
        is_open=stocktake.status is StocktakeStatus.OPEN,
        errors=field_errors,
        general=general,
        values=request.form,
        items=list_items(active=True),
        form_token=new_form_token(),
        count_prefix=COUNT_PREFIX,
        reason_prefix=REASON_PREFIX,
    ), status


@bp.route("/counts/<int:stocktake_id>", methods=["GET", "POST"])
@requires(Action.OPERATE_STOCK)
def stocktake(stocktake_id):
    """The count sheet: every batch in scope with a box for what is there; a scan box jumps to (or
    records) one batch; found goods without a label are added by item."""
    sheet = lookups.stocktake_by_id(stocktake_id)
    require(current_user, Action.OPERATE_STOCK, sheet.depot)
    if request.method == "GET":
        return _render_sheet(sheet)
    render = lambda errors=None, status=200: _render_sheet(sheet, errors, status)  # noqa: E731
    what = request.form.get("record")
    if what == "scan":
        return run_form(schemas.ScanCountSchema(), lambda data: _record_scanned(sheet, data), render)
    if what == "found":
        return run_form(schemas.FoundCountSchema(), lambda data: _record_found(sheet, data), render)
    return submit(lambda: _record_sheet(sheet), render)


def _back(sheet, message):
    return url_for("stock.stocktake", stocktake_id=sheet.id), message


def _record_sheet(sheet):
    counts = {}
    for key, value in request.form.items():
        if key.startswith(COUNT_PREFIX) and value.strip():
            batch_id = key[len(COUNT_PREFIX) :]
            if not batch_id.isdigit() or not value.strip().isdigit():
                raise BadInput(_("Enter counted quantities as whole numbers, zero or more."), field=key)
            counts[int(batch_id)] = int(value.strip())
    if not counts:
        raise BadInput(_("Enter at least one counted quantity."))
    batches = lookups.batches_by_id(counts)
    for batch_id, counted in counts.items():
        if batch_id not in batches:
            raise BadInput(_("Unknown batch on the sheet; reload the page."))
        operations.record_count(current_user, sheet, batches[batch_id], counted)
    return _back(sheet, _("Recorded %(n)d counts.", n=len(counts)))


def _record_scanned(sheet, data):
    batch = lookups.batch_by_code(data["batch"], field="code")
    operations.record_count(current_user, sheet, batch, data["counted"])
    return _back(sheet, _("%(code)s: counted %(n)d.", code=batch.code, n=data["counted"]))


def _record_found(sheet, data):
    item = item_by_sku(data["item"], "item")
    location = (
        lookups.location_for_code(sheet.depot, data["location"], field="location")
        if data["location"]
        else None
    )
    operations.record_found(
        current_user, sheet, item, data["counted"], expiry_date=data["expiry_date"], location=location
    )
    return _back(sheet, _("Recorded found goods: %(n)d of %(item)s.", n=data["counted"], item=item.sku))


@bp.post("/counts/<int:stocktake_id>/post")
@requires(Action.OPERATE_STOCK)
def post_stocktake(stocktake_id):
    """Book every difference as a count correction, all at once."""
    sheet = lookups.stocktake_by_id(stocktake_id)
    require(current_user, Action.OPERATE_STOCK, sheet.depot)

    def work():
        _save_reasons(sheet)
        if request.form.get("step") == "reasons":
            return _back(sheet, _("Reasons saved."))
        movements = operations.post_stocktake(current_user, sheet)
        return _back(sheet, _("Count posted: %(n)d corrections booked.", n=len(movements)))

    return submit(work, lambda errors=None, status=200: _render_sheet(sheet, errors, status))


def _save_reasons(sheet):
    lines = {str(line.id): line for line in sheet.lines}
    for key, value in request.form.items():
        if key.startswith(REASON_PREFIX):
            line = lines.get(key[len(REASON_PREFIX) :])
            if line is None:
                raise BadInput(_("Unknown line on the sheet; reload the page."), field=key)
            operations.set_reason(current_user, sheet, line, value)


@bp.route("/counts/<int:stocktake_id>/approve", methods=["GET", "POST"])
@requires(Action.VIEW)  # keepers of the depot and dispatchers covering it: checked below and by the operation
def approve_stocktake(stocktake_id):
    """The second person's page: the differences with their reasons, and the button that approves them
    so that the count can be posted."""
    sheet = lookups.stocktake_by_id(stocktake_id)
    if not (
        can(current_user, Action.OPERATE_STOCK, sheet.depot)
        or can(current_user, Action.PLAN_DISPATCH, sheet.depot)
    ):
        require(current_user, Action.OPERATE_STOCK, sheet.depot)

    def render(errors=None, status=200):
        _fields, general = split_errors(errors, ())
        return render_template(
            "stock/stocktake_approval.html",
            stocktake=sheet,
            differences=counting.differences(sheet),
            needs_approval=counting.needs_approval,
            approval_units=counting.approval_units(),
            may_approve=counting.may_approve(current_user, sheet),
            is_open=sheet.status is StocktakeStatus.OPEN,
            general=general,
            form_token=new_form_token(),
        ), status

    if request.method == "GET":
        return render()

    def work():
        operations.approve_stocktake(current_user, sheet)
        return url_for("stock.approve_stocktake", stocktake_id=sheet.id), _(
            "Count approved: it can be posted now."
        )

    return submit(work, render)
