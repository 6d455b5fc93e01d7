"""The dispatch planner: which depot sends how much of which item to which site, and why.

A pure function over plain data (no app, no database): `plan(Scenario) -> Plan`. The web flow loads
a Scenario from live stock and reserve norms (dispatch/queries.py), `flask dispatch plan` loads one
from a JSON file (dispatch/scenario.py), and the benchmark generates them; all run this same code.

Per item: rule 1 (reserve floors, and the minimum lot: which depots the plan draws on at all,
min_lot.py) decides what each depot may ship; rules 2 and 3 (priority classes, proportional shares)
decide each demand line's quantity on the supply of the whole network (allocation.py); rule 4 then
routes those quantities at least ton-km, solved to optimality as min-cost flows (transport.py).
Each line records the rule that limited it.

With vehicle types (`Scenario.vehicles`), the same quantities are then sourced for the least truck
cost instead (fleet_plan.py); rule 4's ton-km plan is kept as its starting point and comparison.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Annotated

import msgspec
import numpy as np

from . import allocation, fleet_plan, min_lot, substitution, transport
from .allocation import DemandLine, Limit
from .geo import DEFAULT_ROAD_FACTOR, road_km_matrix


@dataclass(frozen=True)
class Depot:
    id: object
    lat: float
    lng: float
    tier: str | None = None


@dataclass(frozen=True)
class Item:
    sku: str
    unit_weight_kg: float | None = None
    unit_volume_m3: float | None = None


# The largest quantity one scenario row may give: the planner sums rows in 64-bit integers (numpy),
# and 150,000 rows of this size still fit with room to spare.
MAX_QUANTITY = 10**12
# The minimum lot (min_lot.py) and its radius: a lot above five heavy truckloads, or a radius across
# the whole country, would only be a typing mistake.
MAX_MIN_LOT_KG = 100_000
MAX_MIN_LOT_BEYOND_KM = 5_000


class Stock(msgspec.Struct, frozen=True, gc=False, forbid_unknown_fields=True):
    """What one depot holds of one item. A msgspec struct: a national scenario has 150,000 of them,
    and a scenario file's stock rows decode straight into it (scenario_check.py), checked as they
    are parsed against the constraints below."""

    depot: int | str
    sku: str
    available: Annotated[int, msgspec.Meta(ge=0, le=MAX_QUANTITY)]
    reserve_floor: Annotated[int, msgspec.Meta(ge=0, le=MAX_QUANTITY)] = 0


@dataclass(frozen=True)
class Demand:
    """One line of need: `site` needs `qty` of `sku` at priority 1 (life-saving), 2 or 3; or, for a
    `category` line (sku None), `qty` of the category's unit, from any of its items."""

    site: object
    lat: float
    lng: float
    sku: str | None
    qty: int
    priority: int = 1
    category: str | None = None


@dataclass
class Scenario:
    depots: list[Depot]
    items: list[Item]
    stock: list[Stock]
    demands: list[Demand]
    road_factor: float = DEFAULT_ROAD_FACTOR
    release_reserves: bool = False
    distances: dict | None = None  # (depot id, site id) -> road km, overriding the estimate
    categories: list = field(default_factory=list)  # substitution.Category, for category lines
    vehicles: list | None = None  # trucks.Vehicle types: source for the least truck cost
    time_limit_s: float = 10.0  # for the vehicle step
    min_lot_kg: float = 0.0  # min_lot.py: depots with a smaller lot of the needed items are held back
    min_lot_beyond_km: float = 0.0  # ... unless this close to a site


class Shipment(msgspec.Struct, frozen=True, gc=False):
    """A struct, built in C: a national plan has 50,000 shipments."""

    depot: object
    site: object
    sku: str
    qty: int
    km: float
    ton_km: float


@dataclass(frozen=True)
class LineOutcome:
    site: object
    sku: str | None
    priority: int
    requested: int
    planned: int
    limit: Limit
    category: str | None = None  # a category line: quantities in the category's unit
    fills: tuple = ()  # substitution.Fill per item that filled a category line
    held_in_reserve: int = 0  # category lines: coverage held below reserve floors, network-wide
    if_released: int = 0  # category lines: what releasing reserves would have given
    held_back: int = 0  # units (category lines: coverage) the minimum lot held back, network-wide
    if_lots_drawn: int | None = None  # with a minimum lot: what drawing on the held-back lots gives

    @property
    def unmet(self) -> int:
        return self.requested - self.planned


@dataclass
class Plan:
    shipments: list[Shipment] = field(default_factory=list)
    lines: list[LineOutcome] = field(default_factory=list)
    fleet: "fleet_plan.FleetSolution | None" = None  # with vehicles: legs, cost, bound, baseline
    lots: "min_lot.Lots | None" = None  # with a minimum lot: the depots and stock held back

    @property
    def ton_km(self) -> float:
        return float(sum(s.ton_km for s in self.shipments))

    @property
    def unmet(self) -> list[LineOutcome]:
        return [line for line in self.lines if line.unmet > 0]


def plan(scenario: Scenario, prune: bool = True) -> Plan:
    """Apply rules 1-4 to every item of the scenario (see the module docstring). Category lines are
    first turned into lines per item (substitution.py) and folded back into the answer. The minimum
    lot is decided once, on the whole scenario (its category items included), and holds for both."""
    lots = min_lot.hold_back(scenario)
    expansion = substitution.expand(scenario, lots)
    if expansion is not None:
        result = expansion.fold(_plan_items(expansion.scenario, prune, lots))
    else:
        result = _plan_items(scenario, prune, lots)
    result.lots = lots
    return result


def _plan_items(scenario: Scenario, prune: bool, lots: "min_lot.Lots | None") -> Plan:
    """Rules 1-4 on a scenario whose lines all name an item."""
    depot_index = {d.id: i for i, d in enumerate(scenario.depots)}
    sites = _sites(scenario.demands)
    site_index = {site_id: j for j, (site_id, _, _) in enumerate(sites)}
    km = road_km_matrix(
        [(d.id, d.lat, d.lng) for d in scenario.depots], sites, scenario.road_factor, scenario.distances
    )
    weights = {item.sku: float(item.unit_weight_kg or 0) for item in scenario.items}

    rows_of, depot_of, shippable, released = _stock_columns(scenario, depot_index)
    every_lot = shippable  # what rule 1 allows with every depot drawn on
    anywhere = released  # NO_STOCK: nothing anywhere, whatever reserves or lots
    if lots is not None:
        stock_depots = [r.depot for r in scenario.stock]
        shippable = np.where(min_lot.drawn_mask(stock_depots, lots.held), shippable, 0)
        released = np.where(min_lot.drawn_mask(stock_depots, lots.held_if_released), released, 0)
    lines_by_sku = defaultdict(list)
    for position, demand in enumerate(scenario.demands):
        lines_by_sku[demand.sku].append(position)

    outcomes: dict[int, LineOutcome] = {}
    problems, routing = [], []
    for sku, positions in lines_by_sku.items():
        rows = rows_of.get(sku, _NO_ROWS)
        supply = shippable[rows]
        lines = [DemandLine(p, scenario.demands[p].qty, scenario.demands[p].priority) for p in positions]
        given, short_class = allocation.allocate(int(supply.sum()), lines)
        total_released = int(released[rows].sum())
        given_released = None
        if not scenario.release_reserves:
            given_released, _ = allocation.allocate(total_released, lines)
        held_back, given_lots = 0, None
        if lots is not None:
            held_back = int(every_lot[rows].sum()) - int(supply.sum())
            given_lots, _ = allocation.allocate(int(every_lot[rows].sum()), lines)
        limits = allocation.explain(
            lines, given, short_class, given_released, int(anywhere[rows].sum()), given_lots
        )
        for p in positions:
            d = scenario.demands[p]
            outcomes[p] = LineOutcome(
                d.site,
                d.sku,
                d.priority,
                d.qty,
                given[p],
                limits[p],
                held_back=held_back,
                if_lots_drawn=given_lots[p] if given_lots is not None else None,
            )

        depots = depot_of[rows].tolist()
        line_sites = [site_index[scenario.demands[p].site] for p in positions]
        demand = np.array([given[p] for p in positions], dtype=np.int64)
        problems.append(transport.TransportProblem(supply, demand, km[np.ix_(depots, line_sites)]))
        routing.append((sku, depots, line_sites))

    result = Plan(lines=[outcomes[p] for p in range(len(scenario.demands))])
    flows = transport.solve(problems, prune=prune)
    if scenario.vehicles:
        volumes = {item.sku: float(item.unit_volume_m3 or 0) for item in scenario.items}
        items = [
            fleet_plan.ItemProblem(
                weights.get(sku, 0.0),
                volumes.get(sku, 0.0),
                np.asarray(depots, dtype=np.int64),
                problem.supply,
                np.asarray(line_sites, dtype=np.int64),
                problem.demand,
                item_flows,
            )
            for (sku, depots, line_sites), problem, item_flows in zip(routing, problems, flows)
        ]
        solution = fleet_plan.solve(items, km, scenario.vehicles, scenario.time_limit_s)
        result.fleet = fleet_plan.with_ids(solution, [d.id for d in scenario.depots], [s[0] for s in sites])
        flows = solution.flows
    result.shipments = _shipments(scenario, sites, km, weights, routing, flows)
    return result


def _shipments(scenario, sites, km, weights, routing, flows) -> list[Shipment]:
    """The flows as shipments, ordered by item, then site and depot as text (a national plan has
    50,000: items in sorted order, each item's flows ordered by precomputed ranks, no global sort)."""
    depot_ids, site_ids = [d.id for d in scenario.depots], [site for site, _, _ in sites]
    depot_rank, site_rank = _text_ranks(depot_ids), _text_ranks(site_ids)
    shipments = []
    for n in sorted(range(len(routing)), key=lambda n: routing[n][0]):
        (sku, depots, line_sites), item_flows = routing[n], flows[n]
        if not item_flows:
            continue
        source, sink, qty = (np.asarray(column, dtype=np.int64) for column in zip(*item_flows))
        depot, site = np.asarray(depots, dtype=np.int64)[source], np.asarray(line_sites, dtype=np.int64)[sink]
        order = np.lexsort((depot_rank[depot], site_rank[site]))
        depot, site, qty = depot[order], site[order], qty[order]
        distance = km[depot, site]
        tonnes_km = qty * (weights.get(sku, 0.0) / 1000) * distance
        shipments += map(
            Shipment,
            [depot_ids[i] for i in depot.tolist()],
            [site_ids[j] for j in site.tolist()],
            [sku] * len(qty),
            qty.tolist(),
            distance.tolist(),
            tonnes_km.tolist(),
        )
    return shipments


def _text_ranks(ids: list) -> np.ndarray:
    """Each id's position in the ids sorted as text (ties keep their order)."""
    ranks = np.empty(len(ids), dtype=np.int64)
    ranks[sorted(range(len(ids)), key=lambda n: str(ids[n]))] = np.arange(len(ids))
    return ranks


_NO_ROWS = np.empty(0, dtype=np.int64)


def _stock_columns(scenario: Scenario, depot_index: dict):
    """The stock rows as columns: {sku: row numbers in file order}, each row's depot index, what
    it may ship under rule 1 (allocation.shippable, vectorised) and what it holds with reserves
    released. A national scenario has 150,000 rows: one pass each, no Python per-row arithmetic."""
    stock = scenario.stock
    n = len(stock)
    depot_of = np.fromiter(map(depot_index.__getitem__, [r.depot for r in stock]), dtype=np.int64, count=n)
    available = np.array([r.available for r in stock], dtype=np.int64)
    floor = np.array([r.reserve_floor for r in stock], dtype=np.int64)
    released = np.maximum(available, 0)
    shippable = released if scenario.release_reserves else np.maximum(available - np.maximum(floor, 0), 0)
    skus = [r.sku for r in stock]
    codes = {sku: k for k, sku in enumerate(dict.fromkeys(skus))}  # in order of first appearance
    sku_of = np.fromiter(map(codes.__getitem__, skus), dtype=np.int64, count=n)
    order = np.argsort(sku_of, kind="stable")  # file order within an item, as before
    bounds = np.searchsorted(sku_of[order], np.arange(len(codes) + 1))
    rows_of = {sku: order[bounds[k] : bounds[k + 1]] for sku, k in codes.items()}
    return rows_of, depot_of, shippable, released


def _sites(demands: list[Demand]) -> list[tuple]:
    """The distinct sites (id, lat, lng) in the order they first appear."""
    seen = {}
    for d in demands:
        seen.setdefault(d.site, (d.site, d.lat, d.lng))
    return list(seen.values())
