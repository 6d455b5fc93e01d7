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
from . import balances, forms, schemas
from .exports import FORMATS, ExportColumn, export_response
from .kinds import BatchStatus
from .views import bp, expiry_state

BATCH_ROWS_SHOWN = 500  # on screen; exports carry every row
ROWS_PER_PAGE = 100  # depots of one item, items of the province: long lists are paged
EXPIRING_DAYS = 90  # the widest alert horizon: the "expiring" column


def _norms(scope_depot, by: str, item_id=None, subtree=True) -> dict:
    """Norm, shortfall and expiring figures (dashboard.queries.norm_figures) for a stock page."""
    from ..dashboard.queries import norm_figures
    from ..dashboard.scope import Scope, root_depot

    scope = Scope(scope_depot or root_depot(), subtree=subtree)
    return norm_figures(scope, local_today(), EXPIRING_DAYS, by=by, item_id=item_id)


def _norm_columns(figures: dict, key) -> list:
    """Export columns for norm, shortfall and expiring, reading `figures[key(row)]`."""

    def get(row):
        return figures.get(key(row))

    return [
        ExportColumn(_l("Norm"), lambda r: get(r).norm if get(r) else None, 10),
        ExportColumn(_l("Below norm"), lambda r: get(r).short if get(r) else None, 10),
        ExportColumn(_l("Expiring within 90 days"), lambda r: get(r).expiring if get(r) else None, 12),
    ]


def _sorted(rows, sort: str | None, figures: dict, key, name):
    """Rows in the order asked for: by name (default), on hand, shortfall or expiring (largest first)."""
    if sort == "on_hand":
        return sorted(rows, key=lambda r: -r.on_hand)
    if sort in ("shortfall", "expiring"):
        field = "short" if sort == "shortfall" else "expiring"
        return sorted(rows, key=lambda r: -getattr(figures.get(key(r)), field, 0))
    return sorted(rows, key=name)


def _empty_with_norm(rows, figures: dict) -> list:
    """Depots that hold none of the item but must (a norm): the worst shortfalls, listed with 0."""
    from ..dashboard.queries import depots_by_id

    listed = {row.depot.id for row in rows}
    missing = depots_by_id([d for d, f in figures.items() if f.norm and d not in listed])
    return [balances.DepotRow(depot, 0, 0) for depot in missing.values()]


def _page(rows, number: int):
    pages = max(1, -(-len(rows) // ROWS_PER_PAGE))
    number = min(number, pages)
    return rows[(number - 1) * ROWS_PER_PAGE : number * ROWS_PER_PAGE], number, pages


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
        ExportColumn(_l("Batch"), lambda b: b.code, 26),
        ExportColumn(_l("SKU"), lambda b: b.item.sku, 16),
        ExportColumn(_l("Item"), lambda b: localized(b.item, "name"), 30),
        ExportColumn(_l("Quantity"), lambda b: b.quantity, 10),
        ExportColumn(_l("Unit"), lambda b: localized(b.item, "unit"), 8),
        ExportColumn(_l("Status"), lambda b: b.status, 10),
        ExportColumn(_l("Expiry date"), lambda b: b.expiry_date, 12),
        ExportColumn(_l("Depot code"), lambda b: b.depot.code, 10),
        ExportColumn(_l("Depot"), lambda b: localized(b.depot, "name"), 30),
        ExportColumn(_l("Location"), lambda b: b.location.code if b.location else None, 12),
        ExportColumn(_l("Source of goods"), lambda b: b.source_kind, 12),
        ExportColumn(_l("Donor"), lambda b: b.donor_name, 20),
        ExportColumn(_l("Received"), lambda b: b.received_date, 12),
    ]


def _level_columns():
    return [
        ExportColumn(_l("SKU"), lambda r: r.item.sku, 16),
        ExportColumn(_l("Item"), lambda r: localized(r.item, "name"), 30),
        ExportColumn(_l("Unit"), lambda r: localized(r.item, "unit"), 8),
        ExportColumn(_l("On hand"), lambda r: r.on_hand, 10),
        ExportColumn(_l("Available"), lambda r: r.available, 10),
        ExportColumn(_l("Not issuable"), lambda r: r.on_hand - r.available, 12),
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
    batches = balances.depot_batches(depot, **_batch_filters(filters))
    if fmt:
        return export_response(
            fmt,
            _batch_columns(),
            batches,
            f"stock-{depot.code}-{local_today():%Y%m%d}",
            localized(depot, "name"),
        )
    levels = balances.depot_item_totals(
        depot,
        subtree=filters.get("subtree", False),
        item=filters.get("item"),
        category=filters.get("category"),
    )
    figures = _norms(depot, "item", subtree=filters.get("subtree", False))
    levels = _sorted(levels, filters.get("sort"), figures, lambda r: r.item.id, lambda r: r.item.sku)
    return render_template(
        "stock/depot_stock.html",
        depot=depot,
        levels=levels,
        figures=figures,
        sort=filters.get("sort"),
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
    return {key: value for key, value in request.args.items() if key not in ("format", "page") and value}


@bp.get("/items/<sku>/stock")
@requires(Action.VIEW)
def item_stock(sku):
    """One item across the depots (or under one depot): on hand, available, and in transit."""

    item = item_by_sku(sku)
    filters, errors = _filters()
    if errors:
        filters = {}
    under = _under(filters)
    rows = balances.item_stock_by_depot(item, under=under)
    figures = _norms(under, "depot", item_id=item.id)
    rows += _empty_with_norm(rows, figures)
    rows = _sorted(rows, filters.get("sort"), figures, lambda r: r.depot.id, lambda r: r.depot.path)
    columns = [
        ExportColumn(_l("Depot code"), lambda r: r.depot.code, 10),
        ExportColumn(_l("Depot"), lambda r: localized(r.depot, "name"), 30),
        ExportColumn(_l("Tier"), lambda r: r.depot.tier, 8),
        ExportColumn(_l("On hand"), lambda r: r.on_hand, 10),
        ExportColumn(_l("Available"), lambda r: r.available, 10),
        ExportColumn(_l("Not issuable"), lambda r: r.on_hand - r.available, 12),
    ] + _norm_columns(figures, lambda r: r.depot.id)
    if _format():
        return export_response(
            _format(), columns, rows, f"stock-{item.sku}-{local_today():%Y%m%d}", localized(item, "name")
        )
    shown, page, pages = _page(rows, filters.get("page", 1))
    return render_template(
        "stock/item_stock.html",
        item=item,
        rows=shown,
        totals={"on_hand": sum(r.on_hand for r in rows), "available": sum(r.available for r in rows)},
        figures=figures,
        page=page,
        pages=pages,
        sort=filters.get("sort"),
        under=under,
        errors=errors,
        values=request.args,
        in_transit=balances.in_transit_total(item, under=under),
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
    rows = balances.totals_by_item_and_tier(
        under=under, item=filters.get("item"), category=filters.get("category")
    )
    figures = _norms(under, "item")
    rows = _sorted(rows, filters.get("sort"), figures, lambda r: r.item.id, lambda r: r.item.sku)
    tiers = list(Tier)
    columns = [
        ExportColumn(_l("SKU"), lambda r: r.item.sku, 16),
        ExportColumn(_l("Item"), lambda r: localized(r.item, "name"), 30),
        ExportColumn(_l("Unit"), lambda r: localized(r.item, "unit"), 8),
    ]
    columns += [ExportColumn(tier.label, lambda r, t=tier: r.by_tier.get(t, 0), 12) for tier in tiers]
    columns += [
        ExportColumn(_l("Total on hand"), lambda r: r.on_hand, 12),
        ExportColumn(_l("Available"), lambda r: r.available, 12),
        ExportColumn(_l("In transit"), lambda r: r.in_transit, 12),
    ] + _norm_columns(figures, lambda r: r.item.id)
    if _format():
        scope = under.code if under else "province"
        return export_response(
            _format(), columns, rows, f"stock-{scope}-{local_today():%Y%m%d}", _("Stock by item and tier")
        )
    shown, page, pages = _page(rows, filters.get("page", 1))
    return render_template(
        "stock/overview.html",
        rows=shown,
        figures=figures,
        page=page,
        pages=pages,
        sort=filters.get("sort"),
        tiers=tiers,
        under=under,
        errors=errors,
        values=request.args,
        categories=list(Category),
        export_args=_export_args(),
    ), 422 if errors else 200


def panel_context(user) -> dict:
    """The dashboard panel: exactly the user's scope (a keeper: his depot alone; a dispatcher: his
    subtree; others: the province), in tonnes and items, since units of different items never add."""
    from ..dashboard.queries import scope_summary
    from ..dashboard.scope import scope_for
    from ..errors import PermissionDenied

    depot = user.depot
    try:
        scope = scope_for(user)
    except PermissionDenied:  # a keeper or dispatcher not yet given a depot sees no figures
        scope = None
    return {
        "depot": depot,
        "scope": scope,
        "summary": scope_summary(scope) if scope else None,
        "may_operate": depot is not None and can(user, Action.OPERATE_STOCK, depot),
    }
