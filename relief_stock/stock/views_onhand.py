"""Stock on hand: by depot (with its batches), by item across depots, and the province-wide totals
by item and tier (全省底数) with stock in transit shown apart; each filterable and exportable to
XLSX and CSV; and the dashboard panel with the user's own figures.

Totals come from the balance tables (never a sum over the ledger); the pages only shape them.
Every signed-in role may read stock anywhere (the province must see its whole reserve); acting on
it is what the depot scope restricts.
"""

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..auth.permissions import Action, can, requires
from ..catalogue.models import Category
from ..catalogue.queries import item_by_sku
from ..database import local_today
from ..form_posts import new_form_token
from ..i18n import localized
from ..network.models import Tier
from ..network.queries import depot_by_code
from . import forms, queries, schemas
from .exports import FORMATS, Column, export_response
from .kinds import BatchStatus
from .views import bp, expiry_state

BATCH_ROWS_SHOWN = 500  # on screen; exports carry every row


def _filters():
    """The filter box's values from the query string, and the messages for bad ones."""
    data, errors = forms.load_form(schemas.StockFilterSchema(), request.args)
    return data, errors


def _format():
    fmt = request.args.get("format")
    if fmt is not None and fmt not in FORMATS:
        abort(404)
    return fmt


def _batch_columns():
    return [
        Column(_l("Batch"), lambda b: b.code, 26),
        Column(_l("SKU"), lambda b: b.item.sku, 16),
        Column(_l("Item"), lambda b: localized(b.item, "name"), 30),
        Column(_l("Quantity"), lambda b: b.quantity, 10),
        Column(_l("Unit"), lambda b: localized(b.item, "unit"), 8),
        Column(_l("Status"), lambda b: b.status, 10),
        Column(_l("Expiry date"), lambda b: b.expiry_date, 12),
        Column(_l("Depot code"), lambda b: b.depot.code, 10),
        Column(_l("Depot"), lambda b: localized(b.depot, "name"), 30),
        Column(_l("Location"), lambda b: b.location.code if b.location else None, 12),
        Column(_l("Source of goods"), lambda b: b.source_kind, 12),
        Column(_l("Donor"), lambda b: b.donor_name, 20),
        Column(_l("Received"), lambda b: b.received_date, 12),
    ]


def _level_columns():
    return [
        Column(_l("SKU"), lambda r: r.item.sku, 16),
        Column(_l("Item"), lambda r: localized(r.item, "name"), 30),
        Column(_l("Unit"), lambda r: localized(r.item, "unit"), 8),
        Column(_l("On hand"), lambda r: r.on_hand, 10),
        Column(_l("Available"), lambda r: r.available, 10),
        Column(_l("Not issuable"), lambda r: r.on_hand - r.available, 12),
    ]


@bp.get("/depots/<code>/stock")
@requires(Action.VIEW)
def depot_stock(code):
    """What a depot holds (optionally with the depots under it): totals per item and the batches."""
    depot = depot_by_code(code)
    filters, errors = _filters()
    fmt = _format()
    status = 422 if errors else 200
    if errors:
        filters = {}
    batches = queries.stock_batches(depot, **_batch_filters(filters))
    if fmt:
        return export_response(
            fmt,
            _batch_columns(),
            batches,
            f"stock-{depot.code}-{local_today():%Y%m%d}",
            localized(depot, "name"),
        )
    levels = queries.depot_item_totals(
        depot,
        subtree=filters.get("subtree", False),
        item=filters.get("item"),
        category=filters.get("category"),
    )
    return render_template(
        "stock/depot_stock.html",
        depot=depot,
        levels=levels,
        batches=batches[:BATCH_ROWS_SHOWN],
        batch_count=len(batches),
        shown=BATCH_ROWS_SHOWN,
        filters=filters,
        errors=errors,
        values=request.args,
        categories=list(Category),
        statuses=list(BatchStatus),
        expiry_state=expiry_state,
        may_operate=can(current_user, Action.OPERATE_STOCK, depot),
        export_args=_export_args(),
        form_token=new_form_token(),
    ), status


def _batch_filters(filters: dict) -> dict:
    keys = ("subtree", "item", "category", "status", "expiring", "location")
    return {key: filters.get(key) for key in keys if filters.get(key) is not None}


def _export_args() -> dict:
    return {key: value for key, value in request.args.items() if key != "format" and value}


@bp.get("/items/<sku>/stock")
@requires(Action.VIEW)
def item_stock(sku):
    """One item across the depots (or under one depot): on hand, available, and in transit."""

    item = item_by_sku(sku)
    filters, errors = _filters()
    under = _under(filters)
    rows = queries.item_stock_by_depot(item, under=under)
    columns = [
        Column(_l("Depot code"), lambda r: r.depot.code, 10),
        Column(_l("Depot"), lambda r: localized(r.depot, "name"), 30),
        Column(_l("Tier"), lambda r: r.depot.tier, 8),
        Column(_l("On hand"), lambda r: r.on_hand, 10),
        Column(_l("Available"), lambda r: r.available, 10),
        Column(_l("Not issuable"), lambda r: r.on_hand - r.available, 12),
    ]
    if _format():
        return export_response(
            _format(), columns, rows, f"stock-{item.sku}-{local_today():%Y%m%d}", localized(item, "name")
        )
    return render_template(
        "stock/item_stock.html",
        item=item,
        rows=rows,
        under=under,
        errors=errors,
        values=request.args,
        in_transit=queries.in_transit_total(item, under=under),
        export_args=_export_args(),
    ), 422 if errors else 200


def _under(filters):
    return depot_by_code(filters.get("under"), "under", optional=True)


@bp.get("/stock")
@requires(Action.VIEW)
def overview():
    """Province-wide totals by item and tier, in transit apart; filter by depot subtree or category."""
    filters, errors = _filters()
    if errors:
        filters = {}
    under = _under(filters)
    rows = queries.totals_by_item_and_tier(
        under=under, item=filters.get("item"), category=filters.get("category")
    )
    tiers = list(Tier)
    columns = [
        Column(_l("SKU"), lambda r: r.item.sku, 16),
        Column(_l("Item"), lambda r: localized(r.item, "name"), 30),
        Column(_l("Unit"), lambda r: localized(r.item, "unit"), 8),
    ]
    columns += [Column(tier.label, lambda r, t=tier: r.by_tier.get(t, 0), 12) for tier in tiers]
    columns += [
        Column(_l("Total on hand"), lambda r: r.on_hand, 12),
        Column(_l("Available"), lambda r: r.available, 12),
        Column(_l("In transit"), lambda r: r.in_transit, 12),
    ]
    if _format():
        scope = under.code if under else "province"
        return export_response(
            _format(), columns, rows, f"stock-{scope}-{local_today():%Y%m%d}", _("Stock by item and tier")
        )
    return render_template(
        "stock/overview.html",
        rows=rows,
        tiers=tiers,
        under=under,
        errors=errors,
        values=request.args,
        categories=list(Category),
        export_args=_export_args(),
    ), 422 if errors else 200


def panel_context(user) -> dict:
    """The dashboard panel: the user's scope (his depot, or the whole province) in three figures."""
    depot = user.depot
    totals = queries.scope_totals(depot)
    return {
        "depot": depot,
        "totals": totals,
        "may_operate": depot is not None and can(user, Action.OPERATE_STOCK, depot),
    }
