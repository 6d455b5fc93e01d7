"""The reserve map: counties and depots of a scope coloured by coverage of norms for the chosen
items, with shortfalls and expiring stock as marker layers, and links that drill down
province -> city -> county -> depot (-> its batches). Builds a `geo.SvgMap` from the figures in
`queries`; the template `dashboard/_map.html` draws it.
"""

from dataclasses import dataclass
from math import sqrt

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..i18n import localized
from ..network.models import Depot, Tier
from . import geo, queries
from .scope import Scope

EXPIRY_DAYS = 90  # the widest alert horizon: what a keeper can still rotate
FILL_CLASSES = ((0.5, "fill-low"), (0.8, "fill-mid"), (1.0, "fill-high"))  # below each bound


def fill_class(fill: float | None) -> str:
    if fill is None:
        return "fill-none"
    for bound, css in FILL_CLASSES:
        if fill < bound:
            return css
    return "fill-full"


@dataclass
class MapFigures:
    """The map and the rows of the table beside it (one per depot shown)."""

    svg: geo.SvgMap
    rows: list  # (depot, Fill | None, (batches, units) expiring): the scope depot and the next level


def _depots(scope: Scope) -> list[Depot]:
    query = select(Depot).where(Depot.is_active, scope.depots(Depot.id))
    return list(db.session.scalars(query.order_by(Depot.path)))


def _drill(scope: Scope, depot: Depot, item_args: dict) -> str:
    """Where a click on a depot leads: its own map (the next level down), or, for the depot the
    map is about, the list of its batches."""
    if scope.subtree and depot.id != scope.depot.id:
        return url_for("reserve.map", code=depot.code, **item_args)
    return url_for("reserve.batches", code=depot.code, own=1, **_batch_args(item_args))


def _child_toward(scope: Scope, depot: Depot, by_code: dict) -> Depot:
    """The scope's direct child on the way down to `depot` (or `depot` itself, or the scope)."""
    codes = [c for c in depot.path.split("/") if c]
    if scope.depot.code in codes:
        below = codes[codes.index(scope.depot.code) + 1 :]
        if below and below[0] in by_code:
            return by_code[below[0]]
    return scope.depot


def _batch_args(item_args: dict) -> dict:
    return {k: v for k, v in item_args.items() if k in ("item", "category")}


def reserve_map(scope: Scope, today, item_ids, item_args: dict, layers: dict) -> MapFigures:
    """The map of `scope`: county outlines under the scope's division, depots at their seats."""
    depots = _depots(scope)
    fills = queries.depot_fill(scope, today, item_ids)
    expiring = queries.expiring_by_depot(scope, today, EXPIRY_DAYS, item_ids)
    located = [d for d in depots if d.lat is not None and d.lng is not None]
    codes = geo.counties_under(scope.depot.code)
    svg = geo.SvgMap.of(codes, extra_points=[(d.lat, d.lng) for d in located] if not codes else ())
    by_code = {d.code: d for d in depots}
    for area in svg.areas:
        depot = by_code.get(area.code)
        fill = fills.get(depot.id) if depot else None
        area.css = fill_class(fill.fill if fill else None)
        name = localized(depot, "name") if depot else geo.outlines()[area.code]["name"]
        area.title = f"{name}: {_describe(fill)}"
        if depot is not None:
            # On the province map a county click opens its city's map; on a city's, the county's.
            area.href = _drill(scope, _child_toward(scope, depot, by_code), item_args)
    shortfall_layer, expiring_layer = [], []
    for depot in located:
        x, y = svg.point(depot.lat, depot.lng)
        fill = fills.get(depot.id)
        # The scope's depot and the next level get a name, a tooltip and a link; depots further
        # down are coloured dots (their county outline carries the tooltip and the link), which
        # keeps the page light when the network has thousands of depots. Names, never codes.
        near = depot.id == scope.depot.id or depot.parent_id == scope.depot.id
        svg.markers.append(
            geo.Marker(
                x,
                y,
                label=place_label(depot) if near else "",
                radius={Tier.PROVINCE: 7, Tier.CITY: 6}.get(depot.tier, 4),
                css=f"depot {fill_class(fill.fill if fill else None)}",
                title=f"{localized(depot, 'name')}: {_describe(fill)}" if near else "",
                href=_drill(scope, depot, item_args) if near else None,
                square=depot.tier is not Tier.COUNTY,
            )
        )
        # Layer rings take no pointer events (the depot under them does), so they carry no text.
        if layers.get("shortfall") and fill and fill.short:
            css = "shortfall critical" if fill.critical else "shortfall"
            shortfall_layer.append(geo.Marker(x, y, radius=3 + 1.6 * sqrt(fill.short), css=css))
        if layers.get("expiring") and depot.id in expiring:
            batches, _units = expiring[depot.id]
            expiring_layer.append(geo.Marker(x, y, radius=3 + 1.2 * sqrt(batches), css="expiring"))
    svg.layers = {"shortfall": shortfall_layer, "expiring": expiring_layer}
    shown = [d for d in depots if d.id == scope.depot.id or d.parent_id == scope.depot.id]
    rows = [(d, fills.get(d.id), expiring.get(d.id, (0, 0))) for d in shown]
    return MapFigures(svg, rows)


def place_label(depot: Depot) -> str:
    """A depot's place name for labels and table heads: 上城区 rather than the depot's full name."""
    from flask_babel import get_locale

    language = "en" if str(get_locale()) == "en" else "zh"
    return geo.place_name(depot.code, language, localized(depot, "name"))


def _describe(fill) -> str:
    if fill is None:
        return _("no norm")
    return _(
        "%(fill)d%% of norm, %(short)d items below norm (%(critical)d under half)",
        fill=round(fill.fill * 100),
        short=fill.short,
        critical=fill.critical,
    )
