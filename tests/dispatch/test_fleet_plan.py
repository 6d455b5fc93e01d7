"""The vehicle-aware planner: cheapest vehicle mixes, the MIP against brute force, the proven bound,
and rules 1-3 untouched by vehicles. Pure: no app, no database."""

import itertools
import random

import numpy as np
import pytest

from relief_stock.dispatch import fleet_plan
from relief_stock.dispatch.planner import Demand, Depot, Item, Scenario, Stock, plan
from relief_stock.dispatch.trucks import DEFAULT_VEHICLES, Vehicle, cheapest_mix, mix_cost

VAN = Vehicle("van", 1000, 8, 100, 1.0)
LORRY = Vehicle("lorry", 5000, 30, 250, 2.0)
FLEET = [VAN, LORRY]


def brute_mix_cost(weight, volume, km, fleet):
    best = float("inf")
    for counts in itertools.product(range(14), repeat=len(fleet)):  # 13 of the smallest carry any load here
        if sum(counts) == 0:
            continue
        if sum(c * v.payload_kg for c, v in zip(counts, fleet)) < weight:
            continue
        if sum(c * v.volume_m3 for c, v in zip(counts, fleet)) < volume:
            continue
        best = min(best, sum(c * v.trip_cost(km) for c, v in zip(counts, fleet)))
    return best


@pytest.mark.parametrize("seed", range(5))
def test_cheapest_mix_equals_brute_force(seed):
    rng = random.Random(seed)
    fleet = [
        Vehicle(
            f"t{n}",
            rng.choice((800, 1500, 4000)),
            rng.choice((5, 12, 25)),
            rng.randint(50, 400),
            rng.random() * 3,
        )
        for n in range(3)
    ]
    for _ in range(30):
        weight, volume, km = rng.uniform(1, 9000), rng.uniform(0, 60), rng.uniform(1, 400)
        mix = cheapest_mix(weight, volume, km, fleet)
        assert mix_cost(mix, km, fleet) == pytest.approx(brute_mix_cost(weight, volume, km, fleet))
        by_name = {v.name: v for v in fleet}
        assert sum(n * by_name[t].payload_kg for t, n in mix.items()) >= weight
        assert sum(n * by_name[t].volume_m3 for t, n in mix.items()) >= volume


def test_a_leg_with_weightless_goods_still_needs_a_vehicle():
    assert cheapest_mix(0, 0, 10, FLEET) == {}
    assert cheapest_mix(1e-9, 0, 10, FLEET) == {"van": 1}
    # 6 t at 100 km: a lorry and a van (250 + 200 + 100 + 100) beat two lorries (900).
    assert cheapest_mix(6000, 10, 100, FLEET) == {"van": 1, "lorry": 1}


# Scenarios -------------------------------------------------------------------------------------------


def small_scenario(rng: random.Random, vehicles=None) -> Scenario:
    depots = [Depot(f"D{n}", 30 + rng.uniform(-0.5, 0.5), 120 + rng.uniform(-0.5, 0.5)) for n in range(3)]
    items = [Item("A", rng.choice((300.0, 900.0)), 1.0), Item("B", rng.choice((150.0, 1200.0)), 4.0)]
    stock = [
        Stock(d.id, i.sku, rng.randint(0, 3), rng.randint(0, 1))
        for d in depots
        for i in items
        if rng.random() < 0.8
    ]
    demands = [
        Demand(
            s,
            30 + rng.uniform(-0.5, 0.5),
            120 + rng.uniform(-0.5, 0.5),
            sku,
            rng.randint(0, 3),
            rng.choice((1, 2)),
        )
        for s in ("S1", "S2")
        for sku in ("A", "B")
    ]
    # Sites keep one position however many lines they have.
    where = {d.site: (d.lat, d.lng) for d in demands}
    demands = [Demand(d.site, *where[d.site], d.sku, d.qty, d.priority) for d in demands]
    return Scenario(depots, items, stock, demands, vehicles=vehicles)


def shipment_cost(result, fleet) -> float:
    """The plan's truck cost recomputed from its shipments alone: per leg, the cheapest mix."""
    weights = {}
    for s in result.shipments:
        key = (s.depot, s.site)
        weight, volume, km = weights.get(key, (0.0, 0.0, s.km))
        unit = UNIT[s.sku]
        weights[key] = (weight + s.qty * unit[0], volume + s.qty * unit[1], km)
    return sum(mix_cost(cheapest_mix(w, v, km, fleet), km, fleet) for w, v, km in weights.values())


UNIT = {}


def brute_force_cost(scenario: Scenario, planned: dict, fleet) -> float:
    """Every integral sourcing of the planned quantities, costed leg by leg."""
    from relief_stock.dispatch.allocation import shippable
    from relief_stock.dispatch.geo import road_km_matrix

    sites = list({d.site: (d.site, d.lat, d.lng) for d in scenario.demands}.values())
    km = road_km_matrix([(d.id, d.lat, d.lng) for d in scenario.depots], sites, scenario.road_factor)
    d_index = {d.id: i for i, d in enumerate(scenario.depots)}
    s_index = {s[0]: j for j, s in enumerate(sites)}
    weights = {i.sku: (i.unit_weight_kg, i.unit_volume_m3) for i in scenario.items}
    per_item = []
    for sku in sorted({d.sku for d in scenario.demands}):
        rows = [
            (d_index[r.depot], shippable(r.available, r.reserve_floor, False))
            for r in scenario.stock
            if r.sku == sku
        ]
        lines = [(s_index[d.site], planned[(d.site, sku)]) for d in scenario.demands if d.sku == sku]
        options = []
        # Each line takes its quantity from the rows: all splits, then keep those within supply.
        splits = [
            [c for c in itertools.product(range(q + 1), repeat=len(rows)) if sum(c) == q] for _, q in lines
        ]
        for choice in itertools.product(*splits):
            sent = [sum(c[n] for c in choice) for n in range(len(rows))]
            if all(s <= cap for s, (_, cap) in zip(sent, rows)):
                options.append(
                    [
                        (rows[n][0], lines[p][0], sku, c[n])
                        for p, c in enumerate(choice)
                        for n in range(len(rows))
                        if c[n]
                    ]
                )
        per_item.append(options)
    best = float("inf")
    for combo in itertools.product(*per_item):
        legs = {}
        for flows in combo:
            for i, j, sku, qty in flows:
                w, v = legs.get((i, j), (0.0, 0.0))
                legs[(i, j)] = (w + qty * weights[sku][0], v + qty * weights[sku][1])
        best = min(
            best,
            sum(
                mix_cost(cheapest_mix(w, v, km[i, j], fleet), km[i, j], fleet)
                for (i, j), (w, v) in legs.items()
            ),
        )
    return 0.0 if best == float("inf") else best


@pytest.mark.parametrize("seed", range(8))
def test_mip_equals_brute_force_and_rules_1_to_3_are_untouched(seed):
    rng = random.Random(seed)
    without = plan(small_scenario(random.Random(seed)))
    scenario = small_scenario(rng, vehicles=FLEET)
    with_vehicles = plan(scenario)
    UNIT.update({i.sku: (i.unit_weight_kg, i.unit_volume_m3) for i in scenario.items})
    # Rules 1-3: the same quantity and the same limiting rule for every line.
    assert [(o.site, o.sku, o.planned, o.limit) for o in with_vehicles.lines] == [
        (o.site, o.sku, o.planned, o.limit) for o in without.lines
    ]
    planned = {(o.site, o.sku): o.planned for o in with_vehicles.lines}
    fleet = with_vehicles.fleet
    assert fleet.exact_model
    assert fleet.cost == pytest.approx(brute_force_cost(scenario, planned, FLEET))
    assert fleet.cost == pytest.approx(shipment_cost(with_vehicles, FLEET))
    assert fleet.gap == pytest.approx(0.0, abs=1e-3)
    assert fleet.cost <= sum(leg.cost for leg in fleet.baseline) + 1e-6
    # The baseline is rule 4's ton-km plan of the same quantities, costed the same way.
    assert sum(leg.cost for leg in fleet.baseline) == pytest.approx(shipment_cost(without, FLEET))
    assert without.ton_km <= with_vehicles.ton_km + 1e-9


def test_one_truck_from_the_depot_that_holds_both_items():
    # `near` holds only tents; `both` (a little farther) holds tents and water. By ton-km the tent
    # comes from `near` and the water from `both`: two trucks. One truck from `both` is cheaper.
    near, both = Depot("near", 30.00, 120.00), Depot("both", 30.05, 120.05)
    items = [Item("TENT", 55.0, 0.28), Item("WATER", 13.8, 0.02)]
    stock = [Stock("near", "TENT", 10), Stock("both", "TENT", 10), Stock("both", "WATER", 10)]
    demands = [Demand("S", 30.02, 120.01, "TENT", 4), Demand("S", 30.02, 120.01, "WATER", 4)]
    ton_km = plan(Scenario([near, both], items, stock, demands))
    assert {(s.depot, s.sku) for s in ton_km.shipments} == {("near", "TENT"), ("both", "WATER")}
    result = plan(Scenario([near, both], items, stock, demands, vehicles=FLEET))
    assert {(s.depot, s.sku, s.qty) for s in result.shipments} == {("both", "TENT", 4), ("both", "WATER", 4)}
    (leg,) = result.fleet.legs
    assert (leg.depot, leg.site, leg.vehicles) == ("both", "S", {"van": 1})
    assert len(result.fleet.baseline) == 2 and result.fleet.cost < sum(
        leg.cost for leg in result.fleet.baseline
    )
    assert result.fleet.gap == 0.0


@pytest.mark.parametrize("seed", range(3))
def test_the_large_network_method_keeps_a_valid_bound(seed, monkeypatch):
    rng = random.Random(100 + seed)
    scenario = small_scenario(rng, vehicles=FLEET)
    exact = plan(scenario).fleet
    monkeypatch.setattr(fleet_plan, "FULL_MODEL_MAX_ARCS", 0)
    approximate = plan(scenario).fleet
    assert not approximate.exact_model
    assert approximate.lower_bound <= exact.cost + 1e-6  # a bound on the true optimum
    assert approximate.cost >= exact.cost - 1e-6
    assert 0.0 <= approximate.gap <= 1.0


def test_linear_bound_is_below_the_optimum_on_random_networks():
    for seed in range(6):
        scenario = small_scenario(random.Random(200 + seed), vehicles=list(DEFAULT_VEHICLES))
        result = plan(scenario)
        problems = result.fleet  # the exact model's optimum
        items = _items(scenario, result)
        assert fleet_plan.linear_bound(items, _km(scenario), list(DEFAULT_VEHICLES)) <= problems.cost + 1e-6


def _km(scenario):
    from relief_stock.dispatch.geo import road_km_matrix

    sites = list({d.site: (d.site, d.lat, d.lng) for d in scenario.demands}.values())
    return road_km_matrix([(d.id, d.lat, d.lng) for d in scenario.depots], sites, scenario.road_factor)


def _items(scenario, result):
    from relief_stock.dispatch.allocation import shippable

    sites = list({d.site: None for d in scenario.demands})
    d_index = {d.id: i for i, d in enumerate(scenario.depots)}
    planned = {(o.site, o.sku): o.planned for o in result.lines}
    units = {i.sku: i for i in scenario.items}
    items = []
    for sku in sorted({d.sku for d in scenario.demands}):
        rows = [r for r in scenario.stock if r.sku == sku]
        lines = [d for d in scenario.demands if d.sku == sku]
        items.append(
            fleet_plan.ItemProblem(
                units[sku].unit_weight_kg,
                units[sku].unit_volume_m3,
                np.array([d_index[r.depot] for r in rows], dtype=np.int64),
                np.array([shippable(r.available, r.reserve_floor, False) for r in rows], dtype=np.int64),
                np.array([sites.index(d.site) for d in lines], dtype=np.int64),
                np.array([planned[(d.site, sku)] for d in lines], dtype=np.int64),
            )
        )
    return items


def test_forced_bound_is_below_the_optimum_and_counts_what_short_items_force_out():
    tight = 0
    for seed in range(12):
        scenario = small_scenario(random.Random(300 + seed), vehicles=list(DEFAULT_VEHICLES))
        result = plan(scenario)
        items = _items(scenario, result)
        forced = fleet_plan.forced_bound(items, _km(scenario), list(DEFAULT_VEHICLES))
        assert forced <= result.fleet.cost + 1e-6  # the exact model's optimum
        assert result.fleet.lower_bound <= result.fleet.cost + 1e-6
        tight += forced > 0
    assert tight  # some of these networks are short of an item, so the bound says something


def test_forced_bound_of_one_depot_holding_a_short_item():
    fleet = [Vehicle("small", 1000, 10, 100, 1.0), Vehicle("big", 5000, 50, 300, 2.0)]
    depots = [Depot("D", 30.0, 120.0), Depot("E", 31.0, 121.0)]
    scenario = Scenario(
        depots,
        [Item("A", 10.0, 0.01)],
        [Stock("D", "A", 300)],  # 3,000 kg, all of it needed
        [Demand("S1", 30.1, 120.0, "A", 200), Demand("S2", 30.2, 120.0, "A", 200)],
        vehicles=fleet,
    )
    result = plan(scenario)
    km = _km(scenario)
    nearest = float(km[0].min())
    expected = mix_cost(cheapest_mix(3000, 3, nearest, fleet), nearest, fleet)
    assert fleet_plan.forced_bound(_items(scenario, result), km, fleet) == pytest.approx(expected)
    assert result.fleet.cost >= expected - 1e-6
