"""Vehicle-aware sourcing: given rules 1-3's quantities, the sources that need the cheapest trucks.

The planner (planner.py) calls `solve` after rule 4 when vehicle types are known. Rules 1-3 have fixed
how much each demand line gets; here every line must still get exactly that much from depots that
hold it, but the objective is the money the trucks cost: for every depot-to-site leg, the cheapest
set of vehicles whose summed capacity covers the weight and the volume of everything on the leg,
each vehicle costing its fixed cost plus its cost per km times the leg's road km (trucks.py). All
items share the trucks of a leg, so items no longer decouple: a fixed-charge transportation problem.

The model (a HiGHS MIP, every variable integer): x[a] units on arc a (a stock row of an item to a
demand line of that item), y[l, t] vehicles of type t on leg l (a depot and a site), minimise
sum y[l, t] * trip_cost(t, km[l]) subject to
    sum_a x[a] over a line's arcs = the line's quantity        sum_a x[a] over a row's arcs <= supply
    sum_a weight * x[a] <= sum_t payload_t * y[l, t]           (and the same for volume)
    x[a] <= sum_t min(quantity, supply, payload_t / weight) * y[l, t]   (a leg that carries goods has
                                                                         a truck)
    sum trip_cost * y[l, t] over depot d's legs >= forced(d)    (what d must send costs at least the
                                                                 cheapest mix at its nearest site)
The last two kinds of rows are redundant for the integers but make the relaxation, hence the bound,
much tighter: with the per-depot rows the Zhejiang typhoon with a minimum lot (27 depots) is solved
to optimality in seconds, where without them HiGHS was still 4% off after a minute.

Exact where small: with every arc in the model, HiGHS's dual bound is a bound on the true optimum.
Larger networks get the arcs worth considering (each line's nearest holders, the depots holding most
of a site's needs, and the ton-km plan's own arcs) and a time limit; the bound then comes from a
relaxation of the whole problem that is solved exactly: a leg's trucks cost at least its weight
times the cheapest cost per kg of any type (and likewise per m3), which is a per-unit cost, so the
relaxation is one min-cost flow per item over every arc (transport.py); and what short items force
out of each depot costs at least one cheapest mix per depot (forced_bound), and, with few sites, a
Lagrangian relaxation of the sites' quantities charges the extra legs they force (split_bound). The plan reports the
gap between its cost and the best of these bounds. The ton-km plan, costed the same way, is the
starting solution: the answer is never dearer than it. A restricted model too large to build and
search within the time limit (MIP_MAX_ARCS) is not started: the plan is then the ton-km plan, with
its gap to the bound reported.

Hub routing (trucks meeting at a city depot to reload) is not modelled: every shipment drives
straight from its depot to its site.
"""

import functools
import itertools
import time
from dataclasses import dataclass, field, replace

import numpy as np

from . import transport
from .trucks import Vehicle, cheapest_mix, mix_cost

FULL_MODEL_MAX_ARCS = 40_000  # up to here every arc goes into the MIP and its bound is exact
COVER = 2  # restricted model: each line's nearest holders of twice its quantity
HUBS_PER_SITE = 4  # ... and the depots that could fill most of a site's tonnage
MIP_REL_GAP = 1e-4
MIP_MAX_ARCS = 60_000  # a restricted model beyond this is not worth starting within seconds
MIP_MIN_SECONDS = 0.5
SPLIT_SHARE = 0.1  # of the time limit, for split_bound's subgradient ascent


@dataclass
class ItemProblem:
    """One item as rule 4 saw it: stock rows at `depots` (indices into km's rows) with `supply`,
    demand lines at `sites` (km's columns) owed `demand`, and rule 4's flows [(row, line, qty)]."""

    weight_kg: float
    volume_m3: float
    depots: np.ndarray
    supply: np.ndarray
    sites: np.ndarray
    demand: np.ndarray
    start: list = field(default_factory=list)


@dataclass
class Leg:
    depot: object  # km row while solving; the depot id in a Plan
    site: object  # km column while solving; the site id in a Plan
    km: float
    weight_kg: float
    volume_m3: float
    vehicles: dict  # {vehicle name: count}
    cost: float


@dataclass
class FleetSolution:
    flows: list  # per item: [(row, line, qty)]
    legs: list[Leg]
    cost: float
    lower_bound: float
    exact_model: bool  # every arc was in the MIP
    baseline: list[Leg]  # rule 4's ton-km plan, costed the same way
    seconds: float

    @property
    def gap(self) -> float:
        """Relative gap between the cost and the proven lower bound (0: proven optimal)."""
        if self.cost <= 0:
            return 0.0
        return max(self.cost - self.lower_bound, 0.0) / self.cost


def with_ids(solution: FleetSolution, depot_ids: list, site_ids: list) -> FleetSolution:
    """The solution with its legs naming depots and sites by id instead of km row and column."""

    def named(legs):
        return [replace(leg, depot=depot_ids[leg.depot], site=site_ids[leg.site]) for leg in legs]

    return replace(solution, legs=named(solution.legs), baseline=named(solution.baseline))


def price_legs(items: list[ItemProblem], flows: list, km: np.ndarray, fleet: list[Vehicle]) -> list[Leg]:
    """Every depot-to-site leg of `flows` with its load and cheapest vehicle mix."""
    load: dict[tuple, list] = {}
    for item, item_flows in zip(items, flows):
        for row, line, qty in item_flows:
            if qty <= 0:
                continue
            key = (int(item.depots[row]), int(item.sites[line]))
            entry = load.setdefault(key, [0.0, 0.0])
            entry[0] += qty * item.weight_kg
            entry[1] += qty * item.volume_m3
    legs = []
    for (i, j), (weight, volume) in sorted(load.items()):
        distance = float(km[i, j])
        # A leg of goods with no recorded weight or volume still needs a vehicle.
        mix = cheapest_mix(max(weight, 1e-9), volume, distance, fleet)
        legs.append(Leg(i, j, distance, weight, volume, mix, mix_cost(mix, distance, fleet)))
    return legs


def solve(items: list[ItemProblem], km: np.ndarray, fleet: list[Vehicle], time_limit_s: float = 10.0):
    """The least-cost sourcing of the fixed quantities, its proven lower bound, and the baseline."""
    started = time.perf_counter()
    fleet = list(fleet)
    baseline = price_legs(items, [item.start for item in items], km, fleet)
    full_size = sum(int((i.supply > 0).sum()) * int((i.demand > 0).sum()) for i in items)
    exact_model = full_size <= FULL_MODEL_MAX_ARCS
    best_flows, legs = [item.start for item in items], baseline
    # Both valid always; the exact model's own bound is usually better, but not within seconds.
    bound = max(linear_bound(items, km, fleet), forced_bound(items, km, fleet))
    upper = sum(leg.cost for leg in baseline)
    bound = max(bound, split_bound(items, km, fleet, upper, SPLIT_SHARE * time_limit_s))
    arcs = _arcs(items, km, restricted=not exact_model)
    budget = time_limit_s - (time.perf_counter() - started)
    # A model too large to build and search in what is left of the time limit is not started: the
    # plan is then the ton-km plan, and the gap says how far from optimal it may be.
    if len(arcs.item) and len(arcs.item) <= MIP_MAX_ARCS and budget > MIP_MIN_SECONDS:
        flows, mip_bound = _mip(items, arcs, km, fleet, budget, baseline)
        if exact_model:
            bound = max(bound, mip_bound)
        if flows is not None and _feasible(items, flows):
            found = price_legs(items, flows, km, fleet)
            if sum(leg.cost for leg in found) < sum(leg.cost for leg in legs):
                best_flows, legs = flows, found
    cost = sum(leg.cost for leg in legs)
    return FleetSolution(
        best_flows, legs, cost, min(bound, cost), exact_model, baseline, time.perf_counter() - started
    )


@dataclass
class _Arcs:
    item: np.ndarray  # index into items
    row: np.ndarray
    line: np.ndarray
    depot: np.ndarray  # km row
    site: np.ndarray  # km column


def _arcs(items: list[ItemProblem], km: np.ndarray, restricted: bool) -> _Arcs:
    """The MIP's arcs: all of them, or the restricted set described in the module docstring."""
    hubs = _site_depots(items, km) if restricted else None
    parts = []
    for k, item in enumerate(items):
        rows = np.flatnonzero(item.supply > 0)
        lines = np.flatnonzero(item.demand > 0)
        if not len(rows) or not len(lines):
            continue
        if restricted:
            keep = hubs[np.ix_(item.sites[lines], item.depots[rows])].T  # (rows, lines)
            position = {int(r): n for n, r in enumerate(rows)}
            column = {int(p): n for n, p in enumerate(lines)}
            for r, p, q in item.start:
                if q > 0:
                    keep[position[r], column[p]] = True
            # Each line's nearest holders of COVER times its quantity.
            distance = km[np.ix_(item.depots[rows], item.sites[lines])]
            order = np.argsort(distance, axis=0, kind="stable")
            held = np.cumsum(item.supply[rows][order], axis=0)
            for n, p in enumerate(lines):
                cut = min(int(np.searchsorted(held[:, n], COVER * int(item.demand[p]))) + 1, len(rows))
                keep[order[:cut, n], n] = True
            at_r, at_l = np.nonzero(keep)
            grid_r, grid_l = rows[at_r], lines[at_l]
        else:
            grid_r, grid_l = (g.ravel() for g in np.meshgrid(rows, lines, indexing="ij"))
        parts.append((np.full(len(grid_r), k), grid_r, grid_l, item.depots[grid_r], item.sites[grid_l]))
    if not parts:
        empty = np.empty(0, dtype=np.int64)
        return _Arcs(empty, empty, empty, empty, empty)
    return _Arcs(*(np.concatenate([p[n] for p in parts]).astype(np.int64) for n in range(5)))


def _site_depots(items: list[ItemProblem], km: np.ndarray) -> np.ndarray:
    """(sites, depots) mask: per site, the HUBS_PER_SITE depots that could send it most tonnes per km."""
    tonnes = np.zeros((km.shape[1], km.shape[0]))
    for item in items:
        weight = max(item.weight_kg, 1e-6)
        for p in np.flatnonzero(item.demand > 0):
            np.add.at(tonnes[item.sites[p]], item.depots, np.minimum(item.supply, item.demand[p]) * weight)
    score = tonnes / (km.T + 10.0)
    top = np.argsort(-score, axis=1, kind="stable")[:, :HUBS_PER_SITE]
    mask = np.zeros_like(score, dtype=bool)
    np.put_along_axis(mask, top, True, axis=1)
    return mask & (tonnes > 0)


def _mip(items, arcs: _Arcs, km, fleet, time_limit_s, baseline):
    """Build and solve the MIP over `arcs`; the flows found (or None) and HiGHS's dual bound."""
    import highspy

    built = time.perf_counter()
    n_x, n_t = len(arcs.item), len(fleet)
    legs, leg_of = np.unique(np.column_stack([arcs.depot, arcs.site]), axis=0, return_inverse=True)
    leg_of = leg_of.ravel()
    n_legs = len(legs)
    weight = np.array([items[k].weight_kg for k in arcs.item], dtype=float)
    volume = np.array([items[k].volume_m3 for k in arcs.item], dtype=float)
    supply = np.array([items[k].supply[r] for k, r in zip(arcs.item, arcs.row)], dtype=float)
    demand = np.array([items[k].demand[p] for k, p in zip(arcs.item, arcs.line)], dtype=float)
    upper = np.minimum(supply, demand)

    # Rows: one per (item, line), one per (item, row), weight and volume per leg, one link per arc.
    line_key, line_row = np.unique(np.column_stack([arcs.item, arcs.line]), axis=0, return_inverse=True)
    stock_key, stock_row = np.unique(np.column_stack([arcs.item, arcs.row]), axis=0, return_inverse=True)
    line_row, stock_row = line_row.ravel(), stock_row.ravel()
    n_lines, n_stock = len(line_key), len(stock_key)
    base_w = n_lines + n_stock
    base_v, base_link = base_w + n_legs, base_w + 2 * n_legs
    n_rows = base_link + n_x

    arc_cols = np.arange(n_x)
    rows = [line_row, n_lines + stock_row, base_w + leg_of, base_v + leg_of, base_link + arc_cols]
    cols = [arc_cols] * 5
    vals = [np.ones(n_x), np.ones(n_x), weight, volume, np.ones(n_x)]
    y_cols = n_x + np.arange(n_legs * n_t).reshape(n_legs, n_t)
    payload = np.array([v.payload_kg for v in fleet], dtype=float)
    capacity = np.array([v.volume_m3 for v in fleet], dtype=float)
    for t in range(n_t):
        # A truck of type t takes at most payload / weight units of the arc's item (the rest of the
        # leg's load rides on the other trucks), and the arc carries at most `upper`.
        with np.errstate(divide="ignore"):
            fits = payload[t] / weight
        rows += [base_w + np.arange(n_legs), base_v + np.arange(n_legs), base_link + arc_cols]
        cols += [y_cols[:, t], y_cols[:, t], y_cols[leg_of, t]]
        vals += [np.full(n_legs, -payload[t]), np.full(n_legs, -capacity[t]), -np.minimum(upper, fits)]
    rows, cols, vals = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
    order = np.argsort(cols, kind="stable")
    n_cols = n_x + n_legs * n_t

    leg_km = km[legs[:, 0], legs[:, 1]]
    trip = np.array([[v.trip_cost(d) for v in fleet] for d in leg_km]).reshape(n_legs, n_t)
    leg_weight = np.bincount(leg_of, weights=upper * weight, minlength=n_legs)
    leg_volume = np.bincount(leg_of, weights=upper * volume, minlength=n_legs)
    y_upper = np.ceil(np.maximum(leg_weight[:, None] / payload, leg_volume[:, None] / capacity))
    y_upper = np.maximum(y_upper, 1.0)
    # A type whose single trip costs more than the cheapest mix for the most a leg could ever carry
    # is never needed on that leg.
    most = np.array(
        [
            mix_cost(cheapest_mix(max(w, 1e-9), v, d, fleet), d, fleet)
            for w, v, d in zip(leg_weight, leg_volume, leg_km)
        ]
    )
    y_upper[trip > most[:, None] + 1e-9] = 0.0

    line_qty = np.array([items[k].demand[p] for k, p in line_key], dtype=float)
    stock_qty = np.array([items[k].supply[r] for k, r in stock_key], dtype=float)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_cols, n_rows
    lp.col_cost_ = np.concatenate([np.zeros(n_x), trip.ravel()])
    lp.col_lower_ = np.zeros(n_cols)
    lp.col_upper_ = np.concatenate([upper, y_upper.ravel()])
    inf = highspy.kHighsInf
    lp.row_lower_ = np.concatenate([line_qty, np.full(n_rows - n_lines, -inf)])
    lp.row_upper_ = np.concatenate([line_qty, stock_qty, np.zeros(2 * n_legs + n_x)])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.searchsorted(cols[order], np.arange(n_cols + 1)).astype(np.int32)
    lp.a_matrix_.index_ = rows[order].astype(np.int32)
    lp.a_matrix_.value_ = vals[order]
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_cols

    highs = transport.new_highs()
    highs.setOptionValue("time_limit", max(float(time_limit_s) - (time.perf_counter() - built), 0.1))
    highs.setOptionValue("mip_rel_gap", MIP_REL_GAP)
    highs.passModel(lp)
    for depot, (weight_kg, volume_m3) in _forced_loads(items).items():
        # forced_bound's argument, one depot at a time, as a row the relaxation must respect.
        mine = np.flatnonzero(legs[:, 0] == depot)
        if not len(mine):
            continue
        nearest = float(leg_km[mine].min())
        try:
            least = mix_cost(cheapest_mix(max(weight_kg, 1e-9), volume_m3, nearest, fleet), nearest, fleet)
        except ValueError:  # too large to price exactly: no row (the model stays valid)
            continue
        columns = y_cols[mine].ravel()
        highs.addRow(least, highspy.kHighsInf, len(columns), columns.astype(np.int32), trip[mine].ravel())
    start = _start_values(items, arcs, legs, baseline, fleet, n_cols)
    if start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = start
        solution.value_valid = True
        highs.setSolution(solution)
    if highs.run() == highspy.HighsStatus.kError:
        raise transport.SolverError("HiGHS could not solve the vehicle model")
    info = highs.getInfo()
    bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else 0.0
    if highs.getInfo().primal_solution_status != 2:  # 2: a feasible solution is known
        return None, bound
    x = np.rint(np.asarray(highs.getSolution().col_value)[:n_x]).astype(np.int64)
    flows = [[] for _ in items]
    for n in np.flatnonzero(x > 0):
        flows[arcs.item[n]].append((int(arcs.row[n]), int(arcs.line[n]), int(x[n])))
    return flows, bound


def _start_values(items, arcs, legs, baseline, fleet, n_cols):
    """Rule 4's flows and their cheapest mixes as a MIP start (None if an arc is not in the model)."""
    index = {(int(k), int(r), int(p)): n for n, (k, r, p) in enumerate(zip(arcs.item, arcs.row, arcs.line))}
    leg_index = {(int(i), int(j)): n for n, (i, j) in enumerate(legs)}
    values = np.zeros(n_cols)
    n_x = len(arcs.item)
    for k, item in enumerate(items):
        for r, p, q in item.start:
            if q > 0:
                if (k, r, p) not in index:
                    return None
                values[index[(k, r, p)]] = q
    names = [v.name for v in fleet]
    for leg in baseline:
        n = leg_index[(leg.depot, leg.site)]
        for name, count in leg.vehicles.items():
            values[n_x + n * len(fleet) + names.index(name)] += count
    return values


def _feasible(items: list[ItemProblem], flows: list) -> bool:
    """Every line gets exactly its quantity and no row ships more than its supply, in integers."""
    for item, item_flows in zip(items, flows):
        got = np.zeros(len(item.demand), dtype=np.int64)
        sent = np.zeros(len(item.supply), dtype=np.int64)
        for r, p, q in item_flows:
            if q < 0:
                return False
            got[p] += q
            sent[r] += q
        if (got != item.demand).any() or (sent > np.maximum(item.supply, 0)).any():
            return False
    return True


def forced_bound(items: list[ItemProblem], km: np.ndarray, fleet: list[Vehicle]) -> float:
    """A proven lower bound from what must leave each depot, whatever the sourcing.

    When rules 1-3 allot an item all its shippable stock (it is short), every row holding some
    ships all of it: depot d carries at least W_d kg and V_d m3 in every plan. Its legs together
    then cost at least the cheapest mix for (W_d, V_d) at its distance to the nearest site: a mix's
    cost grows with the km, and the vehicles of several legs together are one mix covering their
    summed load, so no cheaper than the cheapest for it. Depots' legs are disjoint: the sum bounds
    the plan. On the Zhejiang typhoon (every depot holds short blankets and soap) this beats the
    MIP's own bound at its time limit.
    """
    load = _forced_loads(items)
    sites = np.unique(np.concatenate([item.sites for item in items])) if items else []
    total = 0.0
    for depot, (weight, volume) in load.items():
        nearest = float(km[depot, sites].min())
        try:
            total += mix_cost(cheapest_mix(max(weight, 1e-9), volume, nearest, fleet), nearest, fleet)
        except ValueError:  # too large to price exactly: this depot contributes nothing (still a bound)
            continue
    return total


def _forced_loads(items: list[ItemProblem]) -> dict[int, list]:
    """{depot (km row): [kg, m3]} that must leave it in every plan: its whole stock of the items
    rules 1-3 give away entirely."""
    load: dict[int, list] = {}
    for item in items:
        rows = np.flatnonzero(item.supply > 0)
        if not len(rows) or int(item.demand.sum()) < int(item.supply[rows].sum()):
            continue
        for depot, units in zip(item.depots[rows].tolist(), item.supply[rows].tolist()):
            entry = load.setdefault(depot, [0.0, 0.0])
            entry[0] += units * item.weight_kg
            entry[1] += units * item.volume_m3
    return load


def linear_bound(items: list[ItemProblem], km: np.ndarray, fleet: list[Vehicle]) -> float:
    """A proven lower bound on the least transport cost, over every arc of the whole problem.

    On a leg of d km, any vehicles covering W kg cost at least W * min_t(trip_cost_t(d) / payload_t),
    and likewise for the volume; so pricing each unit at its weight (or its volume) times that rate
    under-estimates every plan. Priced so, items decouple into min-cost flows, solved exactly.
    """
    best = 0.0
    for by in ("weight", "volume"):
        capacity = np.array([v.payload_kg if by == "weight" else v.volume_m3 for v in fleet], dtype=float)
        fixed = np.array([v.fixed_cost for v in fleet], dtype=float)
        per_km = np.array([v.cost_per_km for v in fleet], dtype=float)
        total = 0.0
        problems = []
        for item in items:
            size = item.weight_kg if by == "weight" else item.volume_m3
            sub = km[np.ix_(item.depots, item.sites)]
            rate = np.min(
                (fixed[:, None, None] + per_km[:, None, None] * sub[None]) / capacity[:, None, None], axis=0
            )
            problems.append(transport.TransportProblem(item.supply.copy(), item.demand.copy(), rate * size))
        for problem, flows in zip(problems, transport.solve(problems)):
            total += sum(q * problem.cost[r, p] for r, p, q in flows)
        best = max(best, total)
    return best


SPLIT_MAX_SITES = 6  # the depot subproblem enumerates every set of sites a depot may serve
SPLIT_ITERATIONS = 400


def split_bound(items: list[ItemProblem], km: np.ndarray, fleet: list[Vehicle], upper: float, seconds: float):
    """A proven lower bound by Lagrangian relaxation of what each site gets of each item.

    Relax the equation "site j gets D[k, j] of item k" with a price lam[k, j]. What is left
    decouples by depot: depot d chooses the set S of sites its legs go to; a short item's stock
    ships in full (rules 1-3 give all of it away), another item's only where its price pays. Each
    leg of S needs one vehicle at least, and all of them together must cover d's short load, so
    its trucks cost at least: one first vehicle per leg at that leg's km, plus the cheapest mix
    for what those do not hold at S's nearest km (a mix's cost grows with the km). Everything a
    depot sends goes to S's dearest-priced sites for the item, each taking no more than it needs
    in all (_fill): a relaxation, so
    sum lam * D + sum_d min_S (truck floor - what its units earn) is below every plan's cost for
    every lam. Subgradient ascent (steps towards `upper`, the best known cost) within `seconds`.
    Where forced_bound sends every depot to its nearest site, this one charges the trucks that
    the sites' exact quantities force: a second leg, or a farther site. No bound (0) for many sites.
    """
    started = time.perf_counter()
    sites = np.unique(np.concatenate([item.sites for item in items])) if items else []
    if not len(sites) or len(sites) > SPLIT_MAX_SITES:
        return 0.0
    column = {int(s): n for n, s in enumerate(sites)}
    depots = np.unique(np.concatenate([item.depots[item.supply > 0] for item in items]))
    if not len(depots):
        return 0.0
    row = {int(d): n for n, d in enumerate(depots)}
    n_items, n_sites, n_depots = len(items), len(sites), len(depots)
    units = np.zeros((n_depots, n_items))
    demand = np.zeros((n_items, n_sites))
    for k, item in enumerate(items):
        held = item.supply > 0
        np.add.at(units[:, k], [row[int(d)] for d in item.depots[held]], item.supply[held])
        np.add.at(demand[k], [column[int(s)] for s in item.sites], item.demand)
    short = demand.sum(axis=1) >= units.sum(axis=0)
    weight = units[:, short] @ np.array([i.weight_kg for i in items])[short]
    volume = units[:, short] @ np.array([i.volume_m3 for i in items])[short]
    subsets = [s for size in range(1, n_sites + 1) for s in itertools.combinations(range(n_sites), size)]
    floor = np.array(
        [
            [_trucks_floor(weight[d], volume[d], km[depots[d], sites[list(s)]], fleet) for s in subsets]
            for d in range(n_depots)
        ]
    )
    may_stay = (weight <= 0) & (volume <= 0) & ~(units[:, short] > 0).any(axis=1)
    lam, best, step = np.zeros((n_items, n_sites)), 0.0, 1.0
    for iteration in range(SPLIT_ITERATIONS):
        gain, sent_by = _fill(units, demand, short, lam, subsets)
        value = floor - gain  # (depots, subsets)
        choice = value.argmin(axis=1)
        chosen = value[np.arange(n_depots), choice]
        stays = may_stay & (chosen > 0)
        dual = float((lam * demand).sum() + np.where(stays, 0.0, chosen).sum())
        best = max(best, dual)
        sent = np.zeros((n_items, n_sites))
        for n in np.unique(choice[~stays]):
            sent += sent_by[n][(choice == n) & ~stays].sum(axis=0)
        slope = demand - sent
        norm = float((slope * slope).sum())
        if norm == 0 or upper <= dual or time.perf_counter() - started > seconds:
            break
        lam = lam + step * (upper - dual) / norm * slope
        if iteration % 50 == 49:
            step *= 0.7
    return best


def _fill(units, demand, short, lam, subsets):
    """Per depot and set of sites S, the most its units earn at prices `lam` when each site j of S
    takes at most D[k, j] of item k (no plan sends more), dearest first; a short item must ship
    in full (-inf where S cannot take it), another only where the price pays. Also what goes where."""
    n_depots, n_items = units.shape
    gain = np.zeros((n_depots, len(subsets)))
    sent_by = []
    for n, s in enumerate(subsets):
        sent = np.zeros((n_depots, n_items, demand.shape[1]))
        for k in range(n_items):
            left = units[:, k].copy()
            for j in sorted(s, key=lambda j: -lam[k, j]):
                if not short[k] and lam[k, j] <= 0:
                    break
                take = np.minimum(left, demand[k, j])
                sent[:, k, j] = take
                gain[:, n] += take * lam[k, j]
                left -= take
            if short[k]:
                gain[left > 0, n] = -np.inf
        sent_by.append(sent)
    return gain, sent_by


def _trucks_floor(weight: float, volume: float, leg_km: np.ndarray, fleet: list[Vehicle]) -> float:
    """Least cost of vehicles on every leg of `leg_km` (one at least each) covering the load together."""
    nearest = float(leg_km.min())
    best = np.inf
    for firsts in itertools.product(range(len(fleet)), repeat=len(leg_km)):
        cost = sum(fleet[t].trip_cost(float(d)) for t, d in zip(firsts, leg_km))
        rest_w = weight - sum(fleet[t].payload_kg for t in firsts)
        rest_v = volume - sum(fleet[t].volume_m3 for t in firsts)
        if rest_w > 1e-9 or rest_v > 1e-9:
            cost += _rest_cost(round(max(rest_w, 1e-9), 6), round(max(rest_v, 0.0), 6), nearest, tuple(fleet))
        best = min(best, cost)
    return best


@functools.lru_cache(maxsize=65536)
def _rest_cost(weight: float, volume: float, km: float, fleet: tuple) -> float:
    return mix_cost(cheapest_mix(weight, volume, km, list(fleet)), km, list(fleet))
