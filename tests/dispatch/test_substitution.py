"""Relief categories with substitutes in the pure planner: lines filled from any item of their
category in preference order, fair shares on coverage, reserve floors in coverage, item lines first."""

from relief_stock.dispatch.allocation import Limit
from relief_stock.dispatch.planner import Demand, Depot, Item, Scenario, Stock, plan
from relief_stock.dispatch.substitution import Category, Member

DEPOTS = [Depot("A", 30.0, 120.0, "city"), Depot("B", 29.0, 121.0, "county")]
ITEMS = [Item("TENT", 41.3), Item("TARP", 5.28), Item("BLANKET", 2.0), Item("QUILT", 3.0)]
SHELTER = Category("SHELTER", (Member("TENT", 1.0), Member("TARP", 0.5)))
BEDDING = Category("BEDDING", (Member("BLANKET", 1.0), Member("QUILT", 2.0)))


def site(site_id, qty, category="SHELTER", priority=1, where=(27.7, 120.6)):
    return Demand(site_id, *where, None, qty, priority, category=category)


def run(stock, demands, release=False):
    scenario = Scenario(
        DEPOTS, ITEMS, stock, demands, release_reserves=release, categories=[SHELTER, BEDDING]
    )
    return plan(scenario)


def shipped(result, site_id):
    total = {}
    for s in result.shipments:
        if s.site == site_id:
            total[s.sku] = total.get(s.sku, 0) + s.qty
    return total


def test_preferred_item_first_then_substitute():
    result = run([Stock("A", "TENT", 30), Stock("B", "TARP", 100)], [site("s1", 50)])
    (line,) = result.lines
    assert (line.category, line.requested, line.planned, line.limit) == ("SHELTER", 50, 50, Limit.MET)
    assert [(f.sku, f.units) for f in line.fills] == [("TENT", 30), ("TARP", 40)]
    assert shipped(result, "s1") == {"TENT": 30, "TARP": 40}


def test_two_sites_short_get_the_same_fill_rate_whatever_the_mix():
    # 60 tents + 40 tarpaulins cover 80 households out of 150 asked: 53.3 % for each site.
    result = run([Stock("A", "TENT", 60), Stock("B", "TARP", 40)], [site("s1", 100), site("s2", 50)])
    rates = [line.planned / line.requested for line in result.lines]
    assert [line.planned for line in result.lines] == [53, 27]
    assert abs(rates[0] - rates[1]) < 0.02
    assert all(line.limit is Limit.PROPORTIONAL_SHARE for line in result.lines)
    # Both sites get tents and tarpaulins in the same proportion, not all tents to one of them.
    assert shipped(result, "s1") == {"TENT": 40, "TARP": 26}  # 40 + 13 = 53 households
    assert shipped(result, "s2") == {"TENT": 20, "TARP": 14}  # 20 + 7 = 27
    assert sum(s.qty for s in result.shipments if s.sku == "TENT") == 60
    assert sum(s.qty for s in result.shipments if s.sku == "TARP") == 40


def test_quilt_counts_as_two_blankets():
    result = run([Stock("A", "BLANKET", 10), Stock("A", "QUILT", 100)], [site("s1", 40, "BEDDING")])
    (line,) = result.lines
    assert [(f.sku, f.units, f.coverage) for f in line.fills] == [("BLANKET", 10, 10), ("QUILT", 15, 30)]
    assert line.planned == 40


def test_reserve_floor_in_coverage_and_what_release_adds():
    stock = [Stock("A", "TENT", 50, reserve_floor=30), Stock("B", "TARP", 20, reserve_floor=20)]
    held = run(stock, [site("s1", 60)])
    (line,) = held.lines
    assert (line.planned, line.limit) == (20, Limit.RESERVE_FLOOR)
    assert line.held_in_reserve == 30 + 10  # 30 tents and 20 tarpaulins (10 households)
    assert line.if_released == 60
    released = run(stock, [site("s1", 60)], release=True)
    assert (released.lines[0].planned, released.lines[0].limit) == (60, Limit.MET)


def test_no_stock_of_any_item_of_the_category():
    (line,) = run([Stock("A", "BLANKET", 5)], [site("s1", 10)]).lines
    assert (line.planned, line.limit, line.fills) == (0, Limit.NO_STOCK, ())


def test_lines_naming_an_item_take_it_first_and_priorities_hold():
    stock = [Stock("A", "TENT", 40), Stock("A", "TARP", 0)]
    demands = [
        Demand("s1", 27.7, 120.6, "TENT", 30, 2),  # asked by name
        site("s2", 20, priority=1),
    ]
    result = run(stock, demands)
    named, category = result.lines
    assert (named.sku, named.planned, named.limit) == ("TENT", 30, Limit.MET)
    assert (category.planned, category.limit) == (10, Limit.PROPORTIONAL_SHARE)
    assert sum(s.qty for s in result.shipments if s.sku == "TENT") == 40


def test_a_scenario_without_categories_plans_exactly_as_before():
    stock = [Stock("A", "TENT", 10), Stock("B", "TENT", 10)]
    demands = [Demand("s1", 27.7, 120.6, "TENT", 12, 1), Demand("s2", 30.1, 120.1, "TENT", 12, 1)]
    with_field = plan(Scenario(DEPOTS, ITEMS, stock, demands, categories=[SHELTER]))
    without = plan(Scenario(DEPOTS, ITEMS, stock, demands))
    assert with_field.shipments == without.shipments and with_field.lines == without.lines
    assert [line.planned for line in without.lines] == [10, 10]
