"""What the plan page shows besides the rows themselves: trucks and ETA per site, the map, and what
the minimum lot held back.

Plain computations over a Plan's rows; the view passes the results to the template.
"""

from collections import Counter
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l

from .allocation import Limit
from .trucks import DEFAULT_SPEED_KMH, load_trucks, vehicles
from .vehicle_names import vehicle_label

LIMIT_TEXT = {
    Limit.MET: _l("fully met"),
    Limit.PROPORTIONAL_SHARE: _l("limited by supply: proportional share"),
    Limit.PRIORITY: _l("blocked by priority: a higher class is short"),
    Limit.RESERVE_FLOOR: _l("reserve floor: stock held back as reserve"),
    Limit.MIN_LOT: _l("minimum lot: small lots of far depots held back"),
    Limit.NO_STOCK: _l("no stock anywhere"),
    Limit.EDITED: _l("edited by hand"),
}
LIMIT_BADGE = {
    Limit.MET: "ok",
    Limit.PROPORTIONAL_SHARE: "warn",
    Limit.PRIORITY: "bad",
    Limit.RESERVE_FLOOR: "warn",
    Limit.MIN_LOT: "warn",
    Limit.NO_STOCK: "bad",
    Limit.EDITED: "",
}


@dataclass
class SiteTrucks:
    site: object
    trucks: list = field(default_factory=list)
    tonnes: float = 0.0
    hours: float = 0.0

    @property
    def summary(self) -> list[tuple[str, int]]:
        """(vehicle type in the reader's language, count), largest count first."""
        return [(vehicle_label(name), count) for name, count in Counter(self.trucks).most_common()]


def trucks_by_site(plan) -> list[SiteTrucks]:
    """Per site: the trucks of every depot-to-site leg, total tonnes, and the ETA of the last leg."""
    fleet = vehicles(current_app.config)
    speed = current_app.config.get("DISPATCH_SPEED_KMH", DEFAULT_SPEED_KMH)
    legs: dict[tuple, list] = {}
    for line in plan.lines:
        if line.quantity > 0:
            legs.setdefault((line.site_id, line.from_depot_id), []).append(line)
    sites: dict[int, SiteTrucks] = {}
    for (site_id, _depot), lines in sorted(legs.items()):
        weight = sum(line.quantity * float(line.item.unit_weight_kg or 0) for line in lines)
        volume = sum(line.quantity * float(line.item.unit_volume_m3 or 0) for line in lines)
        load = load_trucks(weight, volume, lines[0].km, fleet, speed)
        entry = sites.setdefault(site_id, SiteTrucks(lines[0].site))
        entry.trucks += load.trucks
        entry.tonnes += weight / 1000
        entry.hours = max(entry.hours, load.hours)
    return list(sites.values())


def map_geometry(plan):
    """The plan's map: the county outlines of the cities involved, sending depots and affected sites
    by name, and one flow per depot-site leg (width by quantity); drawn by dashboard/_map.html."""
    from ..dashboard import geo
    from ..dashboard.maps import place_label

    depots = {line.from_depot.id: line.from_depot for line in plan.lines if line.quantity > 0}
    sites = {site.id: site for site in plan.emergency.sites}
    cities = {geo.city_of(d.code) for d in depots.values()}
    counties = [c for c in geo.counties_under(None) if geo.city_of(c) in cities]
    points = [(d.lat, d.lng) for d in depots.values() if d.lat is not None]
    points += [(s.lat, s.lng) for s in sites.values()]
    svg = geo.SvgMap.of(counties, extra_points=points)
    flows: dict[tuple, int] = {}
    for line in plan.lines:
        if line.quantity > 0:
            key = (line.from_depot_id, line.site_id)
            flows[key] = flows.get(key, 0) + line.quantity
    biggest = max(flows.values(), default=1)
    for (depot_id, site_id), quantity in flows.items():
        depot, site = depots[depot_id], sites[site_id]
        if depot.lat is None:
            continue
        svg.flows.append(
            geo.Flow(
                svg.point(depot.lat, depot.lng),
                svg.point(site.lat, site.lng),
                round(1 + 5 * quantity / biggest, 1),
                f"{place_label(depot)} → {site.name}: {quantity:,}",
            )
        )
    for depot in depots.values():
        if depot.lat is not None:
            x, y = svg.point(depot.lat, depot.lng)
            svg.markers.append(geo.Marker(x, y, place_label(depot), 5, "depot", depot.code, square=True))
    for site in sites.values():
        x, y = svg.point(site.lat, site.lng)
        svg.markers.append(geo.Marker(x, y, site.name, 7, "site", site.name))
    return svg


@dataclass
class Summary:
    orders: int
    trucks: int
    tonnes: float
    depots: int
    below_floor: int


def approval_summary(plan, trucks: list[SiteTrucks]) -> Summary:
    """What approving commits to: orders (one per sending depot and site), trucks, tonnage, depots
    drawn on, and lines taken below a reserve floor."""
    sending = [line for line in plan.lines if line.quantity > 0]
    return Summary(
        orders=len({(line.from_depot_id, line.site_id) for line in sending}),
        trucks=sum(len(s.trucks) for s in trucks),
        tonnes=sum(s.tonnes for s in trucks),
        depots=len({line.from_depot_id for line in sending}),
        below_floor=sum(1 for line in sending if line.below_floor),
    )


def outcome_notes(outcome, category_members=None) -> list[str]:
    """Why a need line got what it got, in numbers: the items that filled a category line (and that
    the preferred one ran short), what reserve floors held back and what releasing them would give,
    and what the minimum lot held back and what drawing on those depots would give."""
    from ..i18n import localized
    from .categories import text

    notes = []
    if outcome.if_lots_drawn is not None and outcome.if_lots_drawn > outcome.planned:
        unit = (
            text(outcome.category, "unit")
            if outcome.category is not None
            else localized(outcome.item, "unit")
        )
        notes.append(
            _l(
                "the minimum lot held back %(n)s %(unit)s across the network; drawing on those depots "
                "would add %(m)s %(unit)s",
                n=format(outcome.held_back, ","),
                m=format(outcome.if_lots_drawn - outcome.planned, ","),
                unit=unit,
            )
        )
    if outcome.category is not None:
        unit = text(outcome.category, "unit")
        fills = outcome.fills or []
        members = [m.item.sku for m in outcome.category.members]
        if fills:
            notes.append(
                _l("filled by %(items)s", items=", ".join(f"{f['sku']} × {f['units']:,}" for f in fills))
            )
        if fills and members and fills[0]["sku"] != members[0]:
            notes.append(_l("preferred item %(sku)s short: substitutes used", sku=members[0]))
        elif len(fills) > 1:
            notes.append(_l("%(sku)s short: substitutes used", sku=fills[0]["sku"]))
        if outcome.held_in_reserve and not outcome.plan.release_reserves:
            notes.append(
                _l(
                    "%(n)s %(unit)s held back as reserve across the network",
                    n=format(outcome.held_in_reserve, ","),
                    unit=unit,
                )
            )
        if outcome.if_released is not None and outcome.if_released > outcome.planned:
            notes.append(
                _l(
                    "releasing reserves (level I/II) would add %(n)s %(unit)s",
                    n=format(outcome.if_released - outcome.planned, ","),
                    unit=unit,
                )
            )
    return [str(n) for n in notes]


def min_lot_default(plan) -> float:
    """The minimum lot the plan form offers: the one of the emergency's current plan, else the
    configured DISPATCH_MIN_LOT_KG."""
    if plan is not None:
        return plan.min_lot_kg
    return float(current_app.config["DISPATCH_MIN_LOT_KG"])  # its default: dispatch/__init__.py


@dataclass
class HeldItem:
    item: object  # catalogue Item (None if it left the catalogue since)
    sku: str
    units: int
    tonnes: float
    depots: int


@dataclass
class HeldBack:
    """What a plan's minimum lot held back: depots, tonnes, and by item."""

    depots: list  # depot codes, in order
    tonnes: float
    items: list[HeldItem]


def held_back(plan) -> HeldBack | None:
    """The plan's held-back stock summed by item (None when its minimum lot held nothing back)."""
    if not plan.held_back:
        return None
    from ..catalogue.queries import items_by_sku

    catalogue = items_by_sku({lot["sku"] for lot in plan.held_back})
    by_sku: dict[str, list] = {}
    for lot in plan.held_back:
        entry = by_sku.setdefault(lot["sku"], [0, 0.0, set()])
        entry[0] += lot["units"]
        entry[1] += lot["kg"]
        entry[2].add(lot["depot"])
    items = [
        HeldItem(catalogue.get(sku), sku, units, kg / 1000, len(depots))
        for sku, (units, kg, depots) in sorted(by_sku.items(), key=lambda pair: -pair[1][1])
    ]
    return HeldBack(
        depots=sorted({lot["depot"] for lot in plan.held_back}),
        tonnes=sum(lot["kg"] for lot in plan.held_back) / 1000,
        items=items,
    )


def fill_rates(plan) -> list[tuple]:
    """(category or item label, requested, planned, fill rate) over all sites, in plan order."""
    from .categories import text

    totals: dict = {}
    for o in plan.outcomes:
        label = text(o.category, "name") if o.category is not None else o.item.sku
        entry = totals.setdefault(label, [0, 0])
        entry[0] += o.requested
        entry[1] += o.planned
    return [(label, r, p, (p / r if r else 1.0)) for label, (r, p) in totals.items()]
