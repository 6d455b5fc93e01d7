"""Taking goods in and handing them out by item: the receive form (one delivery note, several lines),
the receipt page with its new batches and labels, and issue by item with the FEFO suggestion shown
before the keeper confirms.

The views read the form and show results; `operations.receive` and `operations.issue_item` decide.
"""

from typing import NamedTuple

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import Action, can, require, requires
from ..catalogue.queries import item_by_sku, list_items
from ..errors import ReliefError
from ..form_posts import error_messages, new_form_token, run_form, split_errors, submit
from ..network.queries import depot_by_code, locations_of
from . import balances, forms, lookups, operations, schemas
from .kinds import SourceKind
from .operations import ReceiptLine
from .repeats import CONFIRM_FIELD, refuse_unconfirmed_repeat
from .views import bp, expiry_state

# What a keeper can receive from outside: transfers and stocktake finds arrive by other paths.
RECEIVABLE_SOURCES = (SourceKind.PURCHASE, SourceKind.ALLOCATION, SourceKind.DONATION)
HEADER_FIELDS = tuple(schemas.ReceiveHeaderSchema().fields)


class IssuePreview(NamedTuple):
    """What an issue by item would take: the item, the total asked, the FEFO batches, the shortfall."""

    item: object
    quantity: int
    batches: list  # (batch, quantity to take)
    shortfall: int

    @property
    def covered(self) -> int:
        return self.quantity - self.shortfall


def _read_lines(formdata, depot) -> tuple[list, list, dict]:
    """The filled-in lines as ReceiptLine values, the form row of each, and messages per line field
    (`lines-<row>-<field>`). Blank rows are skipped, so line i need not be row i."""
    lines, rows, errors = [], [], {}
    for index in range(forms.receive_line_count(formdata)):
        if forms.line_is_blank(formdata, index):
            continue
        prefix = f"lines-{index}-"
        data, line_errors = forms.load_form(schemas.ReceiveLineSchema(), formdata, prefix)
        errors.update(line_errors)
        if line_errors:
            continue
        try:
            item = item_by_sku(data["item"], prefix + "item")
            location = (
                lookups.location_for_code(depot, data["location"], field=prefix + "location")
                if data["location"]
                else None
            )
        except ReliefError as error:  # an unknown SKU or location, named on its box
            errors.update(error_messages(error))
            continue
        rows.append(index)
        lines.append(
            ReceiptLine(
                item=item,
                quantity=data["quantity"],
                expiry_date=data["expiry_date"],
                manufactured_date=data["manufactured_date"],
                location=location,
                donor_name=data["donor_name"],
            )
        )
    if not lines and not errors:
        errors["_form"] = [_("Fill in at least one line: an item and its quantity.")]
    return lines, rows, errors


def _on_form_rows(errors: dict, rows: list[int]) -> dict:
    """The operation names line fields `lines.<i>.<field>` (i-th line); the form names its rows."""
    mapped = {}
    for name, messages in errors.items():
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit() and int(parts[1]) < len(rows):
            name = f"lines-{rows[int(parts[1])]}-{parts[2]}"
        mapped[name] = messages
    return mapped


@bp.route("/depots/<code>/receive", methods=["GET", "POST"])
@requires(Action.OPERATE_STOCK)
def receive(code):
    """One delivery note, several lines; each line becomes a batch with its own code and label."""
    depot = depot_by_code(code)
    require(current_user, Action.OPERATE_STOCK, depot)

    def render(errors=None, status=200):
        line_fields = [
            f"lines-{i}-{name}" for i in range(forms.MAX_RECEIVE_LINES) for name in forms.RECEIVE_LINE_FIELDS
        ]
        field_errors, general = split_errors(errors, HEADER_FIELDS + tuple(line_fields))
        line_count = max(
            forms.RECEIVE_LINES_WITHOUT_JS,
            forms.receive_line_count(request.form) if request.method == "POST" else 0,
        )
        return render_template(
            "stock/receive.html",
            depot=depot,
            errors=field_errors,
            general=general,
            values=request.form if request.method == "POST" else {"source_kind": SourceKind.PURCHASE.value},
            line_count=line_count,
            sources=RECEIVABLE_SOURCES,
            items=list_items(active=True),
            locations=locations_of(depot, active_only=True),
            form_token=new_form_token(),
        ), status

    if request.method == "GET":
        return render()
    header, errors = forms.load_form(schemas.ReceiveHeaderSchema(), request.form)
    lines, rows, line_errors = _read_lines(request.form, depot)
    errors.update(line_errors)
    if errors:
        return render(errors, 422)

    def work():
        receipt = operations.receive(current_user, depot, lines, **header)
        return (
            url_for("stock.receipt", receipt_id=receipt.id),
            _("Received %(lines)d lines as receipt %(number)s.", lines=len(lines), number=receipt.number),
        )

    return submit(work, lambda errors, status: render(_on_form_rows(errors, rows), status))


@bp.get("/receipts/<int:receipt_id>")
@requires(Action.VIEW)
def receipt(receipt_id):
    """A receipt (入库单) and the batches it created, with the button that prints their labels."""
    found = lookups.receipt_by_id(receipt_id)
    require(current_user, Action.VIEW, found.depot)  # scoped like its printed note
    return render_template(
        "stock/receipt.html",
        receipt=found,
        expiry_state=expiry_state,
        may_print=can(current_user, Action.OPERATE_STOCK, found.depot),
    )


@bp.route("/depots/<code>/issue", methods=["GET", "POST"])
@requires(Action.OPERATE_STOCK)
def issue_item(code):
    """Issue an item from a depot: the FEFO batches are shown first, then the keeper confirms."""
    depot = depot_by_code(code)
    require(current_user, Action.OPERATE_STOCK, depot)
    fields = ("item", "quantity", "reason")

    def render(errors=None, status=200, preview=None):
        field_errors, general = split_errors(errors, fields)
        values = request.form if request.method == "POST" else request.args
        return render_template(
            "stock/issue_item.html",
            depot=depot,
            errors=field_errors,
            general=general,
            preview=preview,
            needs_confirm=CONFIRM_FIELD in (errors or {}),
            values=values,
            change_url=url_for(
                "stock.issue_item", code=depot.code, **{name: values.get(name) for name in fields}
            ),
            items=[row for row in balances.depot_item_totals(depot) if row.available > 0],
            form_token=new_form_token(),
            expiry_state=expiry_state,
        ), status

    def preview_or_errors(errors=None, status=200):
        """The FEFO preview of the posted request (item, total, unit, batches), or the form again."""
        data, form_errors = forms.load_form(schemas.IssueItemSchema(), request.form)
        if form_errors:
            return render(form_errors, 422)
        try:
            item = item_by_sku(data["item"], "item")
            batches, shortfall = balances.fefo_suggestion(depot, item, data["quantity"])
        except ReliefError as error:
            return render(error_messages(error), error.status)
        preview = IssuePreview(item, data["quantity"], batches, shortfall)
        return render(errors, status, preview=preview)

    if request.method == "GET":
        return render()
    if request.form.get("confirm") != "1":
        return preview_or_errors()

    def perform(data):
        item = item_by_sku(data["item"], "item")
        refuse_unconfirmed_repeat(current_user, "issue", request.form, depot=depot, item=item)
        movements = operations.issue_item(current_user, depot, item, data["quantity"], reason=data["reason"])
        return (
            url_for("stock.depot_stock", code=depot.code, item=item.sku),
            _("Issued %(quantity)s from %(n)d batches.", quantity=data["quantity"], n=len(movements)),
        )

    return run_form(schemas.IssueItemSchema(), perform, preview_or_errors)
