"""The speed floor for `flask dispatch plan`: a bare OR-Tools min-cost flow over every arc of a file.

    .venv/bin/python bench/dispatch_floor.py SCENARIO.json

Everything a planner cannot skip and nothing more: start Python, load the JSON, estimate road km
(haversine x road factor) for every depot-site pair, and per item give OR-Tools' SimpleMinCostFlow
every arc from a depot holding it to a site needing it (supplies above the reserve floor, demands as
requested; the largest flow at least cost, so a short item is fine). No validation, no fairness rules,
no output. dispatch_bench.py runs it as its own process and compares whole-process times.
Prints the total cost in ton-km and the number of arcs.
"""

import json
import sys

import numpy as np
from ortools.graph.python import min_cost_flow

EARTH_RADIUS_KM = 6371.0088
COST_SCALE = 1e4


def main(path):
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    factor = data.get("road_factor", 1.3)
    depot_row = {d["id"]: n for n, d in enumerate(data["depots"])}
    site_col, sites = {}, []
    for d in data["demands"]:
        if d["id"] not in site_col:
            site_col[d["id"]] = len(sites)
            sites.append((d["lat"], d["lng"]))
    lat1, lng1 = (np.radians([[d[k]] for d in data["depots"]]) for k in ("lat", "lng"))
    lat2, lng2 = (np.radians([[s[n] for s in sites]]) for n in (0, 1))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lng2 - lng1) / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1))) * factor
    weight = {i["sku"]: i.get("unit_weight_kg") or 0.0 for i in data["items"]}
    holders, needs = {}, {}
    for s in data["stock"]:
        holders.setdefault(s["sku"], []).append(
            (depot_row[s["depot"]], s["available"] - s.get("reserve_floor", 0))
        )
    for d in data["demands"]:
        needs.setdefault(d["sku"], []).append((site_col[d["id"]], d["qty"]))
    total, arcs = 0.0, 0
    for sku, lines in needs.items():
        rows = [(r, q) for r, q in holders.get(sku, []) if q > 0]
        if not rows:
            continue
        src = np.array([r for r, _ in rows])
        dst = np.array([j for j, _ in lines])
        n_src = len(rows)
        tails = np.repeat(np.arange(n_src), len(lines))
        heads = np.tile(n_src + np.arange(len(lines)), n_src)
        cost = np.rint(km[np.ix_(src, dst)].ravel() * COST_SCALE).astype(np.int64)
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(tails, heads, np.full(len(tails), 10**9), cost)
        supplies = np.concatenate([[q for _, q in rows], [-q for _, q in lines]])
        flow.set_nodes_supplies(np.arange(len(supplies)), supplies)
        if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
            raise SystemExit(f"{sku}: min-cost flow failed")
        total += flow.optimal_cost() / COST_SCALE * weight[sku] / 1000
        arcs += len(tails)
    print(json.dumps({"ton_km": total, "arcs": arcs}))


if __name__ == "__main__":
    main(sys.argv[1])
