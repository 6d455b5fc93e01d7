"""The province's picture (全省底数) pages: the dashboard of figures, the map, and the lists of
batches and movements behind every figure.

Each page is scoped by `scope_for` (a keeper: his depot; a dispatcher: his subtree; admins and
auditors: the province) and refuses a depot outside that scope. The figures come from `queries`,
the map from `maps`; the views only read the query string and shape the answer.
"""

from datetime import timedelta

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.permissions import Action, requires
from ..catalogue.models import Category, Item
from ..catalogue.queries import item_by_sku
from ..database import local_today
from ..donations.lookups import donor_choices
from ..errors import BadInput, NotFound
from ..extensions import db
from ..i18n import localized
from ..network.queries import depot_by_code
from ..stock.schemas import ORIGINS
from . import charts, maps, queries
from .committed import committed_stock
from .schemas import BatchListSchema, MapFilterSchema, MovementListSchema, ReportSchema, load_args
from .scope import Scope, scope_for

bp = Blueprint("reserve", __name__)


def _flow_labels():
    return {
        "received": _("Received"),
        "issued": _("Issued"),
        "transferred_out": _("Transferred out"),
        "transferred_in": _("Transferred in"),
        "written_off": _("Written off"),
    }


def _scope(code) -> Scope:
    return scope_for(current_user, depot_by_code(code) if code else None)


def _own(scope: Scope, own: bool) -> Scope:
    return Scope(scope.depot, subtree=False) if own else scope


@bp.get("/reserve", defaults={"code": None}, endpoint="picture")
@bp.get("/reserve/<code>", endpoint="picture")
@requires(Action.VIEW)
def reserve(code):
    """The leader's questions, answered for the user's scope: what exists where, what is short and
    where, what expires when, what is on the road, what is committed to emergencies, and how stock
    moved per month."""
    scope = _scope(code)
    today = local_today()
    areas = scope.areas()
    stock = queries.stock_by_category(scope)
    coverage = queries.coverage_matrix(scope, today)
    expired, timeline = queries.expiry_timeline(scope, today)
    transit, transit_count, transit_tonnes = queries.in_transit(scope)
    flows = queries.monthly_flows(scope, today)
    return render_template(
        "dashboard/reserve.html",
        scope=scope,
        areas=areas,
        stock=stock,
        coverage=coverage,
        categories=[c for c in Category if any((None, c) == k for k in coverage)],
        expired=expired,
        timeline=timeline,
        expiry_chart=_expiry_chart(scope, timeline),
        transit=transit,
        transit_count=transit_count,
        transit_tonnes=transit_tonnes,
        flows=flows,
        flow_labels=_flow_labels(),
        flow_chart=_flow_chart(scope, flows),
        fill_class=maps.fill_class,
        place=maps.place_label,
        total_tonnes=sum(c.tonnes for c in stock),
        committed=committed_stock(scope),
    )


def _expiry_chart(scope: Scope, timeline) -> charts.Chart:
    present = [c for c in Category if any(c in b.tonnes for b in timeline)]
    columns = [
        (
            f"{b.start:%m}",
            {
                c: (
                    b.tonnes[c],
                    f"{b.key} · {c.label}: {b.tonnes[c]:.1f} t",
                    url_for("reserve.batches", code=scope.depot.code, expiry_month=b.key, category=c.value),
                )
                for c in present
                if c in b.tonnes
            },
        )
        for b in timeline
    ]
    return charts.bar_chart(columns, [(c, c.label) for c in present])


def _flow_chart(scope: Scope, flows) -> charts.Chart:
    labels = _flow_labels()
    columns = [
        (
            f"{m.start:%m}",
            {
                name: (
                    m.tonnes[name],
                    f"{m.key} · {labels[name]}: {m.tonnes[name]:.1f} t",
                    url_for("reserve.movements", code=scope.depot.code, month=m.key, flow=name),
                )
                for name in queries.FLOW_KINDS
                if name in m.tonnes
            },
        )
        for m in flows
    ]
    return charts.bar_chart(columns, list(labels.items()), grouped=True)


def _selection(filters) -> tuple[list[int] | None, dict, Item | None]:
    """The items a map or list is about: one item, a category's items, or all (None)."""
    if filters.get("item"):
        item = item_by_sku(filters["item"], "item")
        return [item.id], {"item": item.sku}, item
    if filters.get("category"):
        category = filters["category"]
        ids = list(db.session.scalars(select(Item.id).where(Item.category == category)))
        return ids, {"category": category.value}, None
    return None, {}, None


@bp.get("/map", defaults={"code": None}, endpoint="map")
@bp.get("/map/<code>", endpoint="map")
@requires(Action.VIEW)
def reserve_map(code):
    """The map: counties and depots coloured by coverage of norms for the chosen item or category,
    shortfalls and expiring stock as layers; a click drills down to the next level, then to batches."""
    scope = _scope(code)
    filters = load_args(MapFilterSchema(), request.args)
    item_ids, item_args, item = _selection(filters)
    submitted = filters.get("layers") is not None
    layers = {
        "shortfall": filters["shortfall"] if submitted else True,
        "expiring": filters["expiring"] if submitted else True,
    }
    figures = maps.reserve_map(scope, local_today(), item_ids, item_args, layers)
    return render_template(
        "dashboard/map.html",
        scope=scope,
        figures=figures,
        item=item,
        filters=filters,
        item_args=item_args,
        layers=layers,
        items=list(db.session.scalars(select(Item).where(Item.is_active).order_by(Item.sku))),
        categories=list(Category),
        crumbs=_crumbs(scope, "reserve.map", item_args),
        fill_class=maps.fill_class,
        expiry_days=maps.EXPIRY_DAYS,
    )


def _crumbs(scope: Scope, endpoint: str, args: dict):
    """Province > city > county links above the scope, as far as the user may see."""
    from ..auth.permissions import can

    crumbs = []
    depot = scope.depot.parent
    while depot is not None and can(current_user, Action.VIEW, depot):
        crumbs.insert(0, (localized(depot, "name"), url_for(endpoint, code=depot.code, **args)))
        depot = depot.parent
    return crumbs


@bp.get("/reserve/<code>/batches", endpoint="batches")
@requires(Action.VIEW)
def batch_list(code):
    """The batches behind a figure: in the depot (and below it unless `own`), by item or category
    and expiry month; with the count, tonnes (and units of one item) over every page."""
    filters = load_args(BatchListSchema(), request.args)
    scope = _own(_scope(code), filters["own"])
    _ids, item_args, item = _selection(filters)
    page = queries.batch_page(
        scope,
        local_today(),
        item_id=item.id if item else None,
        category=filters.get("category"),
        expiry_month=filters.get("expiry_month"),
        source=filters.get("source"),
        donor=filters.get("donor"),
        page=filters["page"],
    )
    return render_template(
        "dashboard/batches.html",
        scope=scope,
        page=page,
        item=item,
        filters=filters,
        args=_list_args(),
        sources=ORIGINS,
        donors=donor_choices(),
    )


@bp.get("/reserve/<code>/movements", endpoint="movements")
@requires(Action.VIEW)
def movement_list(code):
    """The ledger rows behind a figure: by flow (received, issued, ...), month, item or category."""
    filters = load_args(MovementListSchema(), request.args)
    scope = _own(_scope(code), filters["own"])
    _ids, item_args, item = _selection(filters)
    page = queries.movement_page(
        scope,
        flow=filters.get("flow"),
        month=filters.get("month"),
        item_id=item.id if item else None,
        category=filters.get("category"),
        page=filters["page"],
    )
    return render_template(
        "dashboard/movements.html",
        scope=scope,
        page=page,
        item=item,
        filters=filters,
        flow_labels=_flow_labels(),
        args=_list_args(),
    )


def _list_args() -> dict:
    return {key: value for key, value in request.args.items() if key != "page" and value}


@bp.get("/reserve/<code>/reports")
@requires(Action.VIEW)
def reports(code):
    """The reports of a depot (rolled up over its subtree for dispatchers and the province): pick a
    month, a format and a language; the monthly files the scheduler archived are listed too."""
    from . import jobs

    scope = _scope(code)
    today = local_today()
    months = [m for m in reversed(queries.month_starts(today.replace(day=1) - timedelta(days=365), 12))]
    from .emergency_report import emergencies_in_scope

    return render_template(
        "dashboard/reports.html",
        scope=scope,
        months=[f"{m:%Y-%m}" for m in months[:13]],
        archived=jobs.archived(scope.depot.code),
        emergencies=emergencies_in_scope(scope),
    )


@bp.get("/reserve/<code>/reports/<kind>")
@requires(Action.VIEW)
def report_file(code, kind):
    """One report as XLSX or PDF (?month=YYYY-MM for the monthly report, ?lang=zh|en)."""
    from . import report_files
    from . import reports as built

    scope = _scope(code)
    if kind not in built.REPORTS:
        raise NotFound(_("No report %(kind)s.", kind=kind))
    options = load_args(ReportSchema(), request.args)
    lang = options.get("lang") or ("en" if str(get_locale()) == "en" else "zh")
    today = local_today()
    month = built.parse_month(options["month"]) if options.get("month") else today.replace(day=1)
    if month > today:
        raise BadInput(_("month: %(month)s has not begun.", month=options["month"]), field="month")
    if kind == "emergency" and not options.get("emergency"):
        raise BadInput(_("emergency: choose the emergency to report on."), field="emergency")
    from .emergency_report import emergency_report

    makers = {
        "monthly": lambda: built.monthly_report(scope, month),
        "expiry": lambda: built.expiry_report(scope, today),
        "shortfall": lambda: built.shortfall_report(scope, today),
        "emergency": lambda: emergency_report(scope, options["emergency"]),
    }
    link = url_for("reserve.reports", code=scope.depot.code)
    report, body = report_files.render(makers[kind], options["format"], lang, link)
    response = Response(body, mimetype=report_files.FORMATS[options["format"]])
    name = report.filename(scope.depot.code, options["format"])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/reserve/<code>/reports/archive/<month>/<name>")
@requires(Action.VIEW)
def archived_report(code, month, name):
    """A file the monthly job wrote (see jobs.py), for a depot in the user's scope."""
    from flask import send_from_directory

    from . import jobs

    scope = _scope(code)
    folder = jobs.archive_dir() / month / scope.depot.code
    return send_from_directory(folder, name, as_attachment=True)
