"""Dispatch planner benchmark: planning time, ton-km against a greedy baseline, time against the floor.

    .venv/bin/python bench/dispatch_bench.py [--quick] [--seed N]

Scenarios (generated, reproducible by seed):
  zhejiang  the 102 depots of relief_stock/demo/data/zhejiang_divisions.csv, 40 catalogue items,
            10 affected sites inside the province;
  national  3,000 depots over mainland China, 200 items, 100 sites; each depot stocks a quarter of
            the items, each site needs 20 items; stock mostly suffices. (--quick: a tenth of the size)
  nat-scarce  the same network with three times the demand: about half the items run short, so
            rules 2-3 bite and almost every depot ships (the hard case for rule 4).
Figures, all measured in this run:
  plan      relief_stock.dispatch.planner.plan end to end (rules 1-3, distances, pruning, HiGHS, output)
  greedy    nearest-depot-first baseline routing the same quantities (each line in priority order
            takes from its nearest depot with stock left): time and ton-km
  floor     the same min-cost flows given straight to HiGHS: per item one LP with every
            depot-site arc, models prebuilt, timing only passModel + run
Targets (issue 6): national plan < 3 s end to end, and plan / floor <= 1.5 (the ratio is taken on
CPU seconds, which a machine shared with other work inflates less than wall-clock seconds).

Whole processes, on each scenario written to a file (best of the repeats, CPU seconds of the process):
  or-tools floor  bench/dispatch_floor.py: start, JSON load, a bare OR-Tools min-cost flow over every
                  depot-site arc of every item; nothing else
  flask           `flask --app wsgi dispatch plan FILE` (start, load, validate, plan, write; the
                  dispatch group is a Flask plugin command, so the web app is never built)
  module          `python -m relief_stock.dispatch plan FILE` (the same without Flask's command line)
Target (issue 11): flask / floor <= 1 on the national preset, on CPU seconds (the machine's other
work inflates wall-clock seconds far more); the scarce variant under 3 s.

Vehicles (default fleet, trucks.DEFAULT_VEHICLES): the three-site typhoon on the Zhejiang demo
(bench/typhoon.py) with the web flow's minimum lot (500 kg beyond 50 km: what its export carries),
the same typhoon with min lot 0 (every depot drawn on, as before issue 11), and the national preset,
each planned by truck cost against the ton-km plan of the same quantities, costed the same way:
trucks (and by type), vehicle-km, tonnes, cost, gap to the proven lower bound, seconds, and the
ratios. Target (issue 11): the typhoon with the web defaults in under 10 s with a gap under 1%,
far fewer trucks than 105 and cheaper than its ton-km plan; national within its time limit.
Results also go to bench/results/dispatch_bench.json.
"""

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from relief_stock.dispatch import allocation, transport  # noqa: E402
from relief_stock.dispatch import scenario as scenario_io  # noqa: E402
from relief_stock.dispatch.geo import road_km_matrix  # noqa: E402
from relief_stock.dispatch.planner import Demand, Depot, Item, Scenario, Stock, plan  # noqa: E402
from relief_stock.dispatch.trucks import DEFAULT_VEHICLES  # noqa: E402

DATA = ROOT / "relief_stock" / "demo" / "data"


def zhejiang(rng: random.Random) -> Scenario:
    with open(DATA / "zhejiang_divisions.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    depots = [Depot(r["adcode"], float(r["lat"]), float(r["lng"]), r["level"]) for r in rows]
    with open(DATA / "catalogue.csv", encoding="utf-8") as handle:
        catalogue = list(csv.DictReader(handle))[:40]
    items = [
        Item(c["sku"], float(c["unit_weight_kg"] or 1.0), float(c["unit_volume_m3"] or 0.01))
        for c in catalogue
    ]
    scale = {"province": 20, "city": 5, "county": 1}
    stock = [
        Stock(d.id, i.sku, rng.randint(0, 400) * scale[d.tier], rng.randint(0, 80) * scale[d.tier])
        for d in depots
        for i in items
        if rng.random() < 0.7
    ]
    counties = [d for d in depots if d.tier == "county"]
    demands = []
    for n, centre in enumerate(rng.sample(counties, 10)):
        lat, lng = centre.lat + rng.uniform(-0.05, 0.05), centre.lng + rng.uniform(-0.05, 0.05)
        for item in rng.sample(items, 25):
            demands.append(
                Demand(f"site-{n + 1}", lat, lng, item.sku, rng.randint(200, 6000), rng.choice((1, 1, 2, 3)))
            )
    return Scenario(depots, items, stock, demands)


def national(
    rng: random.Random, n_depots=3000, n_items=200, n_sites=100, per_site=20, max_qty=12000
) -> Scenario:
    depots = [
        Depot(f"D{k:04d}", rng.uniform(21.0, 45.0), rng.uniform(98.0, 124.0), "county")
        for k in range(n_depots)
    ]
    items = [
        Item(f"I{k:03d}", round(rng.uniform(0.2, 120.0), 2), round(rng.uniform(0.001, 0.6), 4))
        for k in range(n_items)
    ]
    stock = []
    for depot in depots:
        for item in rng.sample(items, n_items // 4):
            stock.append(Stock(depot.id, item.sku, rng.randint(0, 600), rng.randint(0, 150)))
    demands = []
    for n in range(n_sites):
        lat, lng = rng.uniform(22.0, 42.0), rng.uniform(100.0, 122.0)
        for item in rng.sample(items, per_site):
            # max_qty 12,000: stock mostly suffices; 36,000: about half the items run short (rules 2-3).
            demands.append(
                Demand(f"S{n:03d}", lat, lng, item.sku, rng.randint(500, max_qty), rng.choice((1, 1, 2, 3)))
            )
    return Scenario(depots, items, stock, demands)


def greedy(scenario: Scenario, planned: dict) -> float:
    """Nearest-depot-first: lines in priority order each take from their nearest depots. Ton-km."""
    depots = [(d.id, d.lat, d.lng) for d in scenario.depots]
    sites = list({d.site: (d.site, d.lat, d.lng) for d in scenario.demands}.values())
    km = road_km_matrix(depots, sites, scenario.road_factor)
    d_index = {d[0]: i for i, d in enumerate(depots)}
    s_index = {s[0]: j for j, s in enumerate(sites)}
    left = {
        (r.depot, r.sku): allocation.shippable(r.available, r.reserve_floor, scenario.release_reserves)
        for r in scenario.stock
    }
    by_sku = {}
    for r in scenario.stock:
        by_sku.setdefault(r.sku, []).append(d_index[r.depot])
    weight = {i.sku: i.unit_weight_kg or 0 for i in scenario.items}
    total = 0.0
    for d in sorted(scenario.demands, key=lambda d: d.priority):
        need, j = planned[(d.site, d.sku)], s_index[d.site]
        holders = by_sku.get(d.sku, [])
        for i in sorted(holders, key=lambda i: km[i, j]):
            if need == 0:
                break
            take = min(need, left[(depots[i][0], d.sku)])
            if take:
                left[(depots[i][0], d.sku)] -= take
                need -= take
                total += take * weight[d.sku] / 1000 * km[i, j]
    return total


def floor_problems(scenario: Scenario, planned: dict):
    """The same per-item transportation problems the planner solves, built outside the timing."""
    depots = [(d.id, d.lat, d.lng) for d in scenario.depots]
    sites = list({d.site: (d.site, d.lat, d.lng) for d in scenario.demands}.values())
    km = road_km_matrix(depots, sites, scenario.road_factor)
    d_index = {d[0]: i for i, d in enumerate(depots)}
    s_index = {s[0]: j for j, s in enumerate(sites)}
    problems = []
    for sku in sorted({d.sku for d in scenario.demands}):
        rows = [r for r in scenario.stock if r.sku == sku]
        lines = [d for d in scenario.demands if d.sku == sku]
        supply = np.array([allocation.shippable(r.available, r.reserve_floor, False) for r in rows])
        demand = np.array([planned[(d.site, d.sku)] for d in lines])
        cost = km[np.ix_([d_index[r.depot] for r in rows], [s_index[d.site] for d in lines])]
        problems.append(transport.TransportProblem(supply, demand, cost))
    return problems


def floor_time(problems) -> tuple[float, float, int]:
    """Wall and CPU seconds HiGHS takes on the same transportation problems, each given whole (every
    depot-site arc, models built before the clock starts), and the number of arcs."""
    models = [transport.full_lp(p) for p in problems if np.asarray(p.demand).sum() > 0]
    wall = cpu = 0.0
    for lp in models:
        highs = transport.new_highs()
        highs.setOptionValue("solver", "simplex")
        started, started_cpu = time.perf_counter(), time.process_time()
        highs.passModel(lp)
        highs.run()
        wall += time.perf_counter() - started
        cpu += time.process_time() - started_cpu
    return wall, cpu, sum(lp.num_col_ - len(p.demand) for lp, p in zip(models, problems))


def timed(fn, repeat):
    """Best wall-clock seconds of `repeat` runs, the CPU seconds of that run, and the result."""
    best, cpu, value = float("inf"), 0.0, None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        value = fn()
        if time.perf_counter() - started < best:
            best, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    return best, cpu, value


def run(name, scenario, repeat):
    plan_s, plan_cpu, result = timed(lambda: plan(scenario), repeat)
    planned = {(line.site, line.sku): line.planned for line in result.lines}
    greedy_s, _, greedy_tkm = timed(lambda: greedy(scenario, planned), 1)
    floor_s, floor_cpu, arcs = min(floor_time(floor_problems(scenario, planned)) for _ in range(repeat))
    limits = {}
    for line in result.lines:
        limits[line.limit.value] = limits.get(line.limit.value, 0) + 1
    return {
        "scenario": name,
        "depots": len(scenario.depots),
        "items": len(scenario.items),
        "sites": len({d.site for d in scenario.demands}),
        "demand_lines": len(scenario.demands),
        "stock_rows": len(scenario.stock),
        "full_arcs": arcs,
        "shipments": len(result.shipments),
        "plan_s": plan_s,
        "plan_cpu_s": plan_cpu,
        "floor_s": floor_s,
        "floor_cpu_s": floor_cpu,
        "plan_over_floor": plan_cpu / floor_cpu,
        "greedy_s": greedy_s,
        "ton_km": result.ton_km,
        "greedy_ton_km": greedy_tkm,
        "greedy_over_optimal": greedy_tkm / result.ton_km if result.ton_km else 1.0,
        "limits": limits,
    }


def process_time(command, repeat) -> tuple[float, float, str]:
    """Best wall-clock seconds of a whole process, its CPU seconds (user + system), its stdout."""
    best = (float("inf"), 0.0, "")
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=_ENV)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode:
            raise SystemExit(f"{' '.join(command)} failed: {done.stderr}")
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        if wall < best[0]:
            best = (wall, cpu, done.stdout)
    return best


_ENV = {
    **os.environ,
    "RELIEF_STOCK_CONFIG": "testing",
    "DATABASE_URL": "sqlite://",
}


def whole_process(name, scenario, repeat) -> dict:
    """The floor, `flask dispatch plan` and `python -m relief_stock.dispatch plan` on one file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.json"
        path.write_text(json.dumps(scenario_io.scenario_dict(scenario)))
        python = sys.executable
        floor_s, floor_cpu, floor_out = process_time([python, "bench/dispatch_floor.py", str(path)], repeat)
        flask_s, flask_cpu, _ = process_time(
            [python, "-m", "flask", "--app", "wsgi", "dispatch", "plan", str(path)], repeat
        )
        module_s, module_cpu, out = process_time(
            [python, "-m", "relief_stock.dispatch", "plan", str(path)], repeat
        )
    return {
        "scenario": name,
        "floor_arcs": json.loads(floor_out)["arcs"],
        "floor_s": floor_s,
        "floor_cpu_s": floor_cpu,
        "flask_s": flask_s,
        "flask_cpu_s": flask_cpu,
        "module_s": module_s,
        "module_cpu_s": module_cpu,
        "module_over_floor": module_cpu / floor_cpu,
        "flask_over_floor": flask_cpu / floor_cpu,
        "ton_km": json.loads(out)["ton_km"],
    }


def vehicle_run(name, scenario, time_limit_s=10.0) -> dict:
    """Plan by truck cost with the default fleet; figures against the ton-km plan, costed the same."""
    scenario.vehicles, scenario.time_limit_s = list(DEFAULT_VEHICLES), time_limit_s
    started = time.perf_counter()
    result = plan(scenario)
    seconds = time.perf_counter() - started
    fleet = result.fleet

    def figures(legs):
        return (
            sum(sum(leg.vehicles.values()) for leg in legs),
            sum(sum(leg.vehicles.values()) * leg.km for leg in legs),
            sum(leg.cost for leg in legs),
            sum(leg.weight_kg for leg in legs) / 1000,
            len(legs),
        )

    def by_type(legs):
        counts = {}
        for leg in legs:
            for vehicle, n in leg.vehicles.items():
                counts[vehicle.split(" (")[0]] = counts.get(vehicle.split(" (")[0], 0) + n
        return counts

    trucks, vkm, cost, tonnes, legs = figures(fleet.legs)
    base_trucks, base_vkm, base_cost, _, base_legs = figures(fleet.baseline)
    return {
        "scenario": name,
        "min_lot_kg": scenario.min_lot_kg,
        "min_lot_beyond_km": scenario.min_lot_beyond_km,
        "held_back_depots": result.lots.depots if result.lots else 0,
        "held_back_tonnes": result.lots.weight_kg / 1000 if result.lots else 0.0,
        "trucks_by_type": by_type(fleet.legs),
        "tonkm_trucks_by_type": by_type(fleet.baseline),
        "plan_s": seconds,
        "time_limit_s": time_limit_s,
        "tonnes": tonnes,
        "legs": legs,
        "trucks": trucks,
        "vehicle_km": vkm,
        "cost": cost,
        "gap": fleet.gap,
        "exact_model": fleet.exact_model,
        "tonkm_legs": base_legs,
        "tonkm_trucks": base_trucks,
        "tonkm_vehicle_km": base_vkm,
        "tonkm_cost": base_cost,
        "cost_over_tonkm": cost / base_cost if base_cost else 1.0,
        "trucks_over_tonkm": trucks / base_trucks if base_trucks else 1.0,
        # Every depot whose whole shippable stock of some short item must go (rule 3 gives it all
        # away) sends at least one truck: a floor on the truck count that no sourcing can beat.
        "forced_depots": _forced_depots(scenario, result),
    }


def _forced_depots(scenario, result) -> int:
    """Depots holding shippable stock of an item the plan gives away entirely (rules 1-3: it is
    short): each must send at least one truck, whatever the sourcing. Counted on the planned
    quantities per item, so category lines count through the items that filled them; depots the
    minimum lot held back ship nothing and are not counted."""
    planned, supply, holders = {}, {}, {}
    held = result.lots.held if result.lots else frozenset()
    for s in result.shipments:
        planned[s.sku] = planned.get(s.sku, 0) + s.qty
    for r in scenario.stock:
        if r.depot in held:
            continue
        units = allocation.shippable(r.available, r.reserve_floor, scenario.release_reserves)
        if units > 0:
            supply[r.sku] = supply.get(r.sku, 0) + units
            holders.setdefault(r.sku, set()).add(r.depot)
    short = [sku for sku, units in planned.items() if units >= supply.get(sku, 0)]
    return len(set().union(*(holders[sku] for sku in short)))


def typhoon(min_lot_kg=None) -> Scenario:
    """The typhoon as bench/typhoon.py exports it (the web flow's minimum lot), or with `min_lot_kg`."""
    from typhoon import typhoon_scenario

    data = typhoon_scenario()
    if min_lot_kg is not None:
        data["min_lot_kg"] = min_lot_kg
    return scenario_io.load(data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a national scenario a tenth the size")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    size = dict(n_depots=300, n_items=40, n_sites=20, per_site=10) if args.quick else {}
    repeat = 1 if args.quick else 3
    scenarios = {
        "zhejiang": zhejiang(rng),
        "national": national(rng, **size),
        "nat-scarce": national(rng, max_qty=36000, **size),
    }
    results = [
        run(name, scenario, 3 if name == "zhejiang" else repeat) for name, scenario in scenarios.items()
    ]
    processes = [whole_process(name, scenarios[name], repeat) for name in ("national", "nat-scarce")]
    vehicles = [
        vehicle_run("typhoon", typhoon()),
        vehicle_run("typh-lot-0", typhoon(min_lot_kg=0)),
        vehicle_run("national", scenarios["national"]),
    ]
    head = (
        "scenario",
        "depots",
        "items",
        "sites",
        "lines",
        "arcs",
        "ships",
        "plan s",
        "plan cpu s",
        "floor s",
        "floor cpu s",
        "plan/floor",
        "greedy s",
        "ton-km",
        "greedy t-km",
        "greedy/opt",
    )
    print(" ".join(f"{h:>11}" for h in head))
    for r in results:
        cells = (
            r["scenario"],
            r["depots"],
            r["items"],
            r["sites"],
            r["demand_lines"],
            r["full_arcs"],
            r["shipments"],
            f"{r['plan_s']:.3f}",
            f"{r['plan_cpu_s']:.3f}",
            f"{r['floor_s']:.3f}",
            f"{r['floor_cpu_s']:.3f}",
            f"{r['plan_over_floor']:.2f}",
            f"{r['greedy_s']:.3f}",
            f"{r['ton_km']:.0f}",
            f"{r['greedy_ton_km']:.0f}",
            f"{r['greedy_over_optimal']:.3f}",
        )
        print(" ".join(f"{c:>11}" for c in cells))
    for r in results:
        print(f"{r['scenario']}: limiting rules {r['limits']}")
    print(
        f"load average while measuring: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
        f"on {os.cpu_count()} CPUs (wall-clock figures include waiting for a CPU)"
    )
    for r in results[1:] if not args.quick else ():
        fast, close = r["plan_s"] < 3, r["plan_over_floor"] <= 1.5
        print(
            f"targets, {r['scenario']}: plan {r['plan_s']:.2f} s (< 3 s: {'yes' if fast else 'NO'}), "
            f"plan/floor {r['plan_over_floor']:.2f} (<= 1.5: {'yes' if close else 'NO'})"
        )
    print()
    head = ("scenario", "arcs", "floor s", "floor cpu", "flask s", "flask cpu", "module s", "module cpu")
    print(" ".join(f"{h:>11}" for h in head + ("module/flr", "flask/flr")))
    for r in processes:
        cells = (r["scenario"], r["floor_arcs"]) + tuple(
            f"{r[k]:.2f}"
            for k in ("floor_s", "floor_cpu_s", "flask_s", "flask_cpu_s", "module_s", "module_cpu_s")
        )
        cells += (f"{r['module_over_floor']:.2f}", f"{r['flask_over_floor']:.2f}")
        print(" ".join(f"{c:>11}" for c in cells))
    for r in processes if not args.quick else ():
        print(
            f"targets, {r['scenario']}: flask dispatch plan / OR-Tools floor {r['flask_over_floor']:.2f} "
            f"(<= 1: {'yes' if r['flask_over_floor'] <= 1 else 'NO'}), {r['flask_cpu_s']:.2f} CPU s, "
            f"{r['flask_s']:.2f} s wall (< 3 s: {'yes' if r['flask_cpu_s'] < 3 else 'NO'})"
        )
    print()
    head = (
        "vehicles",
        "plan s",
        "tonnes",
        "legs",
        "trucks",
        "veh-km",
        "cost",
        "gap",
        "t-km legs",
        "t-km trucks",
    )
    head += ("t-km veh-km", "t-km cost", "cost/t-km", "trucks/t-km", "forced")
    print(" ".join(f"{h:>11}" for h in head))
    for r in vehicles:
        cells = (r["scenario"], f"{r['plan_s']:.1f}", f"{r['tonnes']:.0f}", r["legs"], r["trucks"])
        cells += (f"{r['vehicle_km']:.0f}", f"{r['cost']:.0f}", f"{100 * r['gap']:.2f}%", r["tonkm_legs"])
        cells += (r["tonkm_trucks"], f"{r['tonkm_vehicle_km']:.0f}", f"{r['tonkm_cost']:.0f}")
        cells += (f"{r['cost_over_tonkm']:.3f}", f"{r['trucks_over_tonkm']:.3f}", r["forced_depots"])
        print(" ".join(f"{c:>11}" for c in cells))
    print("forced: depots that must send all their stock of a short item (a floor on the truck count)")
    for r in vehicles:
        lot = (
            f"min lot {r['min_lot_kg']:g} kg beyond {r['min_lot_beyond_km']:g} km"
            if r["min_lot_kg"]
            else "no min lot"
        )
        print(
            f"{r['scenario']}: {lot}, held back {r['held_back_depots']} depots {r['held_back_tonnes']:.1f} t; "
            f"trucks {r['trucks_by_type']}, ton-km plan {r['tonkm_trucks_by_type']}"
        )
    for r in vehicles[:1]:
        fast, close = r["plan_s"] < 10, r["gap"] < 0.01
        print(
            f"targets, typhoon (web defaults): {r['plan_s']:.1f} s (< 10 s: {'yes' if fast else 'NO'}), "
            f"gap {100 * r['gap']:.2f}% (< 1%: {'yes' if close else 'NO'}), {r['trucks']} trucks "
            f"(ton-km plan {r['tonkm_trucks']}), cost / ton-km plan {r['cost_over_tonkm']:.3f}"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    payload = {"planner": results, "whole_process": processes, "vehicles": vehicles}
    (out / "dispatch_bench.json").write_text(json.dumps(payload, indent=1))


if __name__ == "__main__":
    main()
