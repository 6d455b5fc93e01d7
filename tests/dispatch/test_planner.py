"""The planner's four rules on small hand-checked scenarios, and rule 4's optimality against brute
force and against the unpruned LP. Pure: no app, no database."""

import itertools
import random
from fractions import Fraction

import pytest

from relief_stock.dispatch.allocation import DemandLine, Limit, allocate, shippable
from relief_stock.dispatch.geo import haversine_km
from relief_stock.dispatch.planner import Demand, Depot, Item, Scenario, Stock, plan

NEAR, FAR = Depot("near", 30.00, 120.00, "county"), Depot("far", 31.00, 121.00, "city")
TENT = Item("TENT", 55.0, 0.282)


def site(name, qty, priority=1, sku="TENT", lat=30.01, lng=120.01):
    return Demand(name, lat, lng, sku, qty, priority)


def scenario(stock, demands, **kw):
    return Scenario([NEAR, FAR], [TENT, Item("WATER", 13.8, 0.022)], stock, demands, **kw)


def by_site(result):
    return {line.site: line for line in result.lines}


# Rule 1: reserve floors -----------------------------------------------------------------------------


def test_only_stock_above_the_reserve_floor_ships():
    result = plan(scenario([Stock("near", "TENT", 10, 4)], [site("S", 8)]))
    assert [(s.depot, s.qty) for s in result.shipments] == [("near", 6)]
    assert by_site(result)["S"].limit is Limit.RESERVE_FLOOR
    assert by_site(result)["S"].unmet == 2


def test_a_floor_above_available_ships_nothing():
    result = plan(scenario([Stock("near", "TENT", 3, 5), Stock("far", "TENT", 4, 0)], [site("S", 5)]))
    assert [(s.depot, s.qty) for s in result.shipments] == [("far", 4)]


def test_released_reserves_ship_everything():
    result = plan(scenario([Stock("near", "TENT", 10, 4)], [site("S", 8)], release_reserves=True))
    assert [(s.depot, s.qty) for s in result.shipments] == [("near", 8)]
    assert by_site(result)["S"].limit is Limit.MET


def test_shippable():
    assert shippable(10, 4, False) == 6 and shippable(3, 5, False) == 0 and shippable(3, 5, True) == 3


# Rule 2: priority classes in order --------------------------------------------------------------------


def test_lower_class_gets_nothing_while_a_higher_class_is_short():
    demands = [site("P3", 5, 3), site("P1", 8, 1), site("P2", 5, 2)]
    result = plan(scenario([Stock("far", "TENT", 10, 0)], demands))
    lines = by_site(result)
    assert (lines["P1"].planned, lines["P2"].planned, lines["P3"].planned) == (8, 2, 0)
    assert lines["P1"].limit is Limit.MET
    assert lines["P2"].limit is Limit.PROPORTIONAL_SHARE
    assert lines["P3"].limit is Limit.PRIORITY


def test_priority_ignores_geography():
    # The class-2 site sits on the depot, the class-1 site far away: class 1 is still served first.
    demands = [site("close-p2", 5, 2, lat=30.0, lng=120.0), site("remote-p1", 5, 1, lat=32.0, lng=122.0)]
    result = plan(scenario([Stock("near", "TENT", 5, 0)], demands))
    assert by_site(result)["remote-p1"].planned == 5 and by_site(result)["close-p2"].planned == 0


# Rule 3: proportional shares, largest remainder ------------------------------------------------------


def test_hand_checked_proportional_shares():
    # 10 left for a class demanding 3 + 4 + 6 = 13: exact shares 30/13, 40/13, 60/13
    # = 2.31, 3.08, 4.62; floors 2, 3, 4 (9); the one unit left goes to the largest remainder (4.62).
    lines = [DemandLine("a", 3, 1), DemandLine("b", 4, 1), DemandLine("c", 6, 1)]
    given, short_class = allocate(10, lines)
    assert given == {"a": 2, "b": 3, "c": 5} and short_class == 1


def test_shares_are_floor_or_ceiling_and_the_class_total_is_exact():
    rng = random.Random(7)
    for _ in range(500):
        lines = [DemandLine(k, rng.randint(0, 50), rng.choice((1, 2, 3))) for k in range(rng.randint(1, 9))]
        supply = rng.randint(0, 200)
        given, short = allocate(supply, lines)
        assert sum(given.values()) == min(supply, sum(line.qty for line in lines))
        for line in lines:
            assert 0 <= given[line.key] <= line.qty
        if short is None:
            continue
        above = sum(line.qty for line in lines if line.priority < short)
        members = [line for line in lines if line.priority == short and line.qty > 0]
        left, demand = supply - above, sum(line.qty for line in members)
        assert sum(given[line.key] for line in members) == left
        for line in members:
            exact = Fraction(line.qty * left, demand)
            floor, ceiling = exact.numerator // exact.denominator, -(-exact.numerator // exact.denominator)
            assert given[line.key] in (floor, ceiling)
        assert all(given[line.key] == 0 for line in lines if line.priority > short)


def test_fill_rates_are_decided_before_geography():
    # Both sites are class 1 and supply covers half: each gets half, although one sits on the depot.
    demands = [site("on-depot", 10, lat=30.0, lng=120.0), site("remote", 10, lat=31.5, lng=121.5)]
    result = plan(scenario([Stock("near", "TENT", 10, 0)], demands))
    assert by_site(result)["on-depot"].planned == 5 and by_site(result)["remote"].planned == 5


def test_no_stock_anywhere():
    result = plan(scenario([], [site("S", 3)]))
    assert by_site(result)["S"].limit is Limit.NO_STOCK and result.shipments == []


# Rule 4: minimum ton-km --------------------------------------------------------------------------------


def test_nearest_depot_ships_and_ton_km_is_weight_times_road_distance():
    result = plan(scenario([Stock("near", "TENT", 10, 0), Stock("far", "TENT", 10, 0)], [site("S", 4)]))
    (shipment,) = result.shipments
    km = float(haversine_km(30.0, 120.0, 30.01, 120.01)) * 1.3
    assert shipment.depot == "near" and shipment.km == pytest.approx(km)
    assert result.ton_km == pytest.approx(4 * 55.0 / 1000 * km)


def test_loaded_distance_matrix_overrides_the_estimate():
    distances = {("near", "S"): 500.0, ("far", "S"): 10.0}
    result = plan(
        scenario(
            [Stock("near", "TENT", 10, 0), Stock("far", "TENT", 10, 0)], [site("S", 4)], distances=distances
        )
    )
    assert [(s.depot, s.km) for s in result.shipments] == [("far", 10.0)]


def test_greedy_nearest_first_is_not_optimal_but_the_planner_is():
    # Classic trap: site A grabs the depot nearest to both; B then has to fetch from far away.
    depots = [Depot("D1", 30.0, 120.0), Depot("D2", 30.0, 120.30), Depot("D3", 30.0, 121.5)]
    demands = [Demand("A", 30.0, 120.14, "TENT", 5, 1), Demand("B", 30.0, 120.05, "TENT", 5, 1)]
    stock = [Stock("D1", "TENT", 5), Stock("D2", "TENT", 5), Stock("D3", "TENT", 5)]
    result = plan(Scenario(depots, [TENT], stock, demands))
    assert {(s.depot, s.site) for s in result.shipments} == {("D1", "B"), ("D2", "A")}


def _brute_force_cost(supply, demand, cost):
    """Cheapest integral flow by enumerating every split of every sink's demand over the sources."""
    best = None
    splits = [[c for c in itertools.product(range(d + 1), repeat=len(supply)) if sum(c) == d] for d in demand]
    for choice in itertools.product(*splits):
        if all(sum(col[i] for col in choice) <= supply[i] for i in range(len(supply))):
            total = sum(col[i] * cost[i][j] for j, col in enumerate(choice) for i in range(len(supply)))
            best = total if best is None else min(best, total)
    return best


def test_rule_4_matches_brute_force_on_random_small_networks():
    rng = random.Random(11)
    for _ in range(25):
        depots = [Depot(f"D{i}", rng.uniform(29, 31), rng.uniform(119, 122)) for i in range(3)]
        sites = [(f"S{j}", rng.uniform(29, 31), rng.uniform(119, 122)) for j in range(3)]
        stock = [Stock(d.id, "TENT", rng.randint(0, 5)) for d in depots]
        demands = [Demand(s, lat, lng, "TENT", rng.randint(0, 4), 1) for s, lat, lng in sites]
        result = plan(Scenario(depots, [Item("TENT", 1000.0)], stock, demands))
        planned = [line.planned for line in result.lines]
        cost = [[float(haversine_km(d.lat, d.lng, lat, lng)) * 1.3 for _, lat, lng in sites] for d in depots]
        best = _brute_force_cost([s.available for s in stock], planned, cost)
        assert result.ton_km == pytest.approx(best, rel=1e-9, abs=1e-9)
        assert all(isinstance(s.qty, int) and s.qty > 0 for s in result.shipments)


def test_pruned_arcs_give_the_same_optimum_as_the_full_programme():
    rng = random.Random(3)
    depots = [Depot(f"D{i}", rng.uniform(27, 31), rng.uniform(118, 123)) for i in range(60)]
    items = [Item(f"I{k}", rng.uniform(0.5, 60)) for k in range(6)]
    stock = [
        Stock(d.id, i.sku, rng.randint(0, 300), rng.randint(0, 50))
        for d in depots
        for i in items
        if rng.random() < 0.5
    ]
    demands = [
        Demand(
            f"S{j}",
            rng.uniform(27, 31),
            rng.uniform(118, 123),
            i.sku,
            rng.randint(50, 900),
            rng.choice((1, 2, 3)),
        )
        for j in range(12)
        for i in items
        if rng.random() < 0.7
    ]
    full = plan(Scenario(depots, items, stock, demands), prune=False)
    pruned = plan(Scenario(depots, items, stock, demands))
    assert pruned.ton_km == pytest.approx(full.ton_km, rel=1e-9)
    assert [line.planned for line in pruned.lines] == [line.planned for line in full.lines]
    shipped = {}
    for s in pruned.shipments:
        shipped[(s.site, s.sku)] = shipped.get((s.site, s.sku), 0) + s.qty
    assert all(shipped.get((line.site, line.sku), 0) == line.planned for line in pruned.lines)
    out = {}
    for s in pruned.shipments:
        out[(s.depot, s.sku)] = out.get((s.depot, s.sku), 0) + s.qty
    assert all(out.get((r.depot, r.sku), 0) <= shippable(r.available, r.reserve_floor, False) for r in stock)
