"""Print endpoints: labels (PDF, ZPL, TSPL), the dispatch manifest, picking list and receipt note.

Thin: schemas read the options, queries load the rows, data.py turns them into plain data and the
renderers draw. Everybody who may see a depot may print its papers (keepers their own depot,
dispatchers their subtree, auditors and admins everything); a manifest is also open to whoever may
see the receiving depot. PDFs open inline, so the browser's viewer is one click from the printer;
ZPL and TSPL download as files for the thermal printer's spooler or a USB copy.
"""

from flask import Blueprint, Response, render_template, request, session
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError

from ..auth.permissions import Action, can, require, requires
from ..errors import BadInput, PermissionDenied
from ..network.queries import depot_by_code
from ..stock import lookups
from . import queries
from .data import (
    label_from_batch,
    label_from_location,
    manifest_from_transfer,
    note_from_receipt,
    picking_from_transfer,
)
from .labels import render_labels
from .layouts import get_layout, layouts
from .manifest import render_manifest
from .picking import render_picking_list
from .receipt_note import render_receipt_note
from .schemas import DocumentOptionsSchema, LabelOptionsSchema, id_list
from .thermal import render_tspl, render_zpl

bp = Blueprint("printing", __name__, url_prefix="/print")

DEFAULT_LAYOUT = {"batch": "a4-3x8", "location": "location-a4-3x8"}
# Content-Type headers whole, charset included once: ZPL is plain ASCII (text travels as bitmaps),
# TSPL carries binary BITMAP data.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "zpl": "text/plain; charset=us-ascii",
    "tspl": "application/octet-stream",
}


def _load(schema, values) -> dict:
    try:
        return schema.load(
            {k: v for k, v in values.items() if k in schema.fields and v != ""}, unknown="exclude"
        )
    except ValidationError as error:
        raise BadInput(_("The print options are not valid."), errors=error.messages) from error


def _lang(options: dict) -> str:
    return options.get("lang") or ("en" if str(get_locale()) == "en" else "zh")


def _layout(options: dict, kind: str):
    """The chosen layout, else the one this browser used last, else the A4 sheet."""
    remembered = f"print_layout_{kind}"
    layout = get_layout(options["layout"] or session.get(remembered) or DEFAULT_LAYOUT[kind], kind)
    if options["layout"]:
        session[remembered] = layout.name
    return layout


def _file(body, fmt: str, stem: str) -> Response:
    response = Response(body, content_type=CONTENT_TYPES[fmt])
    disposition = "inline" if fmt == "pdf" else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{stem}.{fmt}"'
    return response


def _labels(kind: str, labels: list, stem: str) -> Response:
    options = _load(LabelOptionsSchema(), request.values)
    layout, lang, fmt = _layout(options, kind), _lang(options), options["format"]
    if fmt == "pdf":
        body = render_labels(
            layout, labels, lang=lang, copies=options["copies"], start=options["start"], title=stem
        )
    elif fmt == "zpl":
        body = render_zpl(layout, labels, lang=lang, copies=options["copies"])
    else:
        body = render_tspl(layout, labels, lang=lang, copies=options["copies"])
    return _file(body, fmt, f"{stem}-{layout.name}")


@bp.route("/labels/batches", methods=["GET", "POST"])
@requires(Action.VIEW)
def batch_labels():
    """Labels for a selection of batches (`batch_ids`, repeated or comma-separated) on one layout."""
    try:
        ids = id_list(request.values.getlist("batch_ids"))
    except ValidationError as error:
        raise BadInput(_("The print options are not valid."), errors=error.messages) from error
    if not ids:
        raise BadInput(_("Choose at least one label to print."), field="batch_ids")
    batches = queries.batches_by_ids(ids)
    for batch in batches:
        require(current_user, Action.VIEW, batch.depot)
    stem = batches[0].code if len(batches) == 1 else f"labels-{len(batches)}"
    return _labels("batch", [label_from_batch(batch) for batch in batches], stem)


@bp.route("/receipts/<int:receipt_id>/labels", methods=["GET", "POST"])
@requires(Action.VIEW)
def receipt_labels(receipt_id):
    """Labels for every batch a receipt created: the keeper's one click after receiving."""
    receipt = lookups.receipt_by_id(receipt_id, options=queries.RECEIPT_LOADS)
    require(current_user, Action.VIEW, receipt.depot)
    return _labels("batch", [label_from_batch(batch) for batch in receipt.batches], receipt.number)


@bp.route("/depots/<code>/locations/labels", methods=["GET", "POST"])
@requires(Action.VIEW)
def location_labels(code):
    """Labels for a depot's bins and shelves: all active ones, or the chosen `location_ids`."""
    depot = depot_by_code(code)
    require(current_user, Action.VIEW, depot)
    try:
        ids = id_list(request.values.getlist("location_ids"), field="location_ids")
    except ValidationError as error:
        raise BadInput(_("The print options are not valid."), errors=error.messages) from error
    locations = queries.locations_for_labels(depot, ids)
    if not locations:
        raise BadInput(_("Depot %(code)s has no locations to label.", code=depot.code), field="location_ids")
    return _labels(
        "location", [label_from_location(location) for location in locations], f"locations-{depot.code}"
    )


@bp.get("/labels/options")
@requires(Action.VIEW)
def label_options():
    """Choose layout, copies, start position and format, then print a receipt's or a selection's labels."""
    receipt_id = request.args.get("receipt_id", type=int)
    receipt = lookups.receipt_by_id(receipt_id, options=queries.RECEIPT_LOADS) if receipt_id else None
    if receipt is not None:
        require(current_user, Action.VIEW, receipt.depot)
    return render_template(
        "printing/options.html",
        receipt=receipt,
        batch_ids=request.args.get("batch_ids", ""),
        layouts=layouts("batch"),
        lang=_lang({}),
        chosen=session.get("print_layout_batch") or DEFAULT_LAYOUT["batch"],
    )


def _transfer_in_scope(number: str, sending_only: bool = False):
    transfer = lookups.transfer_by_number(number, options=queries.TRANSFER_LOADS)
    depots = [transfer.from_depot] + ([transfer.to_depot] if transfer.to_depot and not sending_only else [])
    if not any(can(current_user, Action.VIEW, depot) for depot in depots):
        raise PermissionDenied(_("Transfer %(number)s is outside your scope.", number=transfer.number))
    return transfer


@bp.get("/transfers/<number>/manifest")
@requires(Action.VIEW)
def manifest(number):
    """The dispatch manifest (调拨单) PDF, in the UI language or ?lang=zh|en."""
    transfer = _transfer_in_scope(number)
    lang = _lang(_load(DocumentOptionsSchema(), request.args))
    return _file(
        render_manifest(manifest_from_transfer(transfer), lang), "pdf", f"manifest-{transfer.number}"
    )


@bp.get("/transfers/<number>/picking-list")
@requires(Action.VIEW)
def picking_list(number):
    """The picking list for the sending depot: recorded picks, else the FEFO proposal, by location."""
    transfer = _transfer_in_scope(number, sending_only=True)
    lang = _lang(_load(DocumentOptionsSchema(), request.args))
    document = picking_from_transfer(transfer, queries.issuable_batches(transfer))
    return _file(render_picking_list(document, lang), "pdf", f"picking-{transfer.number}")


@bp.get("/receipts/<int:receipt_id>/note")
@requires(Action.VIEW)
def receipt_note(receipt_id):
    """The receipt note (入库单) PDF, with the quantities the receipt took in."""
    receipt = lookups.receipt_by_id(receipt_id, options=queries.RECEIPT_LOADS)
    require(current_user, Action.VIEW, receipt.depot)
    lang = _lang(_load(DocumentOptionsSchema(), request.args))
    document = note_from_receipt(receipt, queries.received_quantities(receipt))
    body = render_receipt_note(document, lang, received_by=receipt.received_by.display_name)
    return _file(body, "pdf", f"receipt-{receipt.number}")


@bp.get("/counts/<int:stocktake_id>/sheet")
@requires(Action.OPERATE_STOCK)
def count_sheet(stocktake_id):
    """The count sheet (盘点表) PDF of a stocktake: every batch it covers, a box for the count."""
    from ..stock import stocktake as counting
    from ..stock.lookups import stocktake_by_id
    from .count_sheet import render_count_sheet
    from .data import count_sheet_from_stocktake

    sheet = stocktake_by_id(stocktake_id)
    require(current_user, Action.OPERATE_STOCK, sheet.depot)
    lang = _lang(_load(DocumentOptionsSchema(), request.args))
    with force_locale(lang):
        document = count_sheet_from_stocktake(sheet, counting.counted_batches(sheet))
    return _file(render_count_sheet(document, lang), "pdf", f"count-{sheet.id}")
