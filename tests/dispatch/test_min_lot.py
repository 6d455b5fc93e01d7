"""The minimum lot (part of rule 1): which depots a plan draws on, what it holds back, and how the
lines it limits are explained, on small hand-checked scenarios. Pure: no app, no database.

The network: a site 1 km from NEAR; MID about 60 road km away, FAR about 190 and FARTHER about 290
(haversine x 1.3). Tents weigh 55 kg, tarpaulins 5 kg, soap 0.25 kg; KIT has no known weight.
"""

from dataclasses import replace

import pytest

from relief_stock.dispatch.allocation import Limit
from relief_stock.dispatch.geo import haversine_km
from relief_stock.dispatch.min_lot import HeldLot, hold_back
from relief_stock.dispatch.planner import Demand, Depot, Item, Scenario, Stock, plan
from relief_stock.dispatch.substitution import Category, Member

SITE = (30.01, 120.01)
NEAR = Depot("near", 30.00, 120.00, "county")
MID = Depot("mid", 30.30, 120.30, "county")
FAR = Depot("far", 31.00, 121.00, "city")
FARTHER = Depot("farther", 31.50, 121.60, "county")
ITEMS = [
    Item("TENT", 55.0, 0.282),
    Item("TARP", 5.0, 0.02),
    Item("SOAP", 0.25, 0.0003),
    Item("KIT", None, None),
]
SHELTER = Category("SHELTER", (Member("TENT", 1.0), Member("TARP", 0.5)))


def road_km(depot):
    return float(haversine_km(depot.lat, depot.lng, *SITE)) * 1.3


def scenario(stock, demands, **kw):
    return Scenario([NEAR, MID, FAR, FARTHER], ITEMS, stock, demands, **kw)


def need(sku, qty, site="S", priority=1, category=None):
    return Demand(site, *SITE, None if category else sku, qty, priority, category=category)


def sent(result):
    totals = {}
    for s in result.shipments:
        totals[(s.depot, s.sku)] = totals.get((s.depot, s.sku), 0) + s.qty
    return totals


def test_the_distances_the_scenarios_rely_on():
    assert road_km(NEAR) < 2 and 55 < road_km(MID) < 65
    assert 180 < road_km(FAR) < 200 and 280 < road_km(FARTHER) < 300


# (a) the weight of the lot ------------------------------------------------------------------------


def test_a_depot_whose_lot_is_below_the_minimum_is_held_back():
    # near (within 10 km) is drawn on; far: 10 tents above its floor, 550 kg: drawn on too;
    # farther: 8 tents, 440 kg: held back.
    stock = [Stock("near", "TENT", 5), Stock("far", "TENT", 14, 4), Stock("farther", "TENT", 8)]
    result = plan(scenario(stock, [need("TENT", 30)], min_lot_kg=500, min_lot_beyond_km=10))
    assert sent(result) == {("near", "TENT"): 5, ("far", "TENT"): 10}
    (line,) = result.lines
    assert (line.planned, line.limit, line.held_back, line.if_lots_drawn) == (15, Limit.MIN_LOT, 8, 23)
    assert result.lots.lots == (HeldLot("farther", "TENT", 8, 440.0),)
    assert (result.lots.depots, result.lots.weight_kg) == (1, 440.0)


def test_a_lot_of_exactly_the_minimum_is_drawn_on_and_items_add_up():
    # farther: 2 tents (110 kg) + 78 tarpaulins (390 kg) = 500 kg of needed items: drawn on for both;
    # its 10,000 bars of soap do not count, the plan does not need soap.
    stock = [Stock("farther", "TENT", 2), Stock("farther", "TARP", 78), Stock("farther", "SOAP", 10000)]
    demands = [need("TENT", 2), need("TARP", 78)]
    result = plan(scenario(stock, demands, min_lot_kg=500))
    assert sent(result) == {("farther", "TENT"): 2, ("farther", "TARP"): 78}
    assert result.lots.lots == () and all(line.limit is Limit.MET for line in result.lines)
    assert plan(scenario(stock, demands, min_lot_kg=500.01)).shipments == []


def test_what_is_held_back_is_the_needed_stock_above_floors():
    stock = [Stock("farther", "TENT", 6, 2), Stock("farther", "SOAP", 400, 0), Stock("far", "TENT", 20)]
    result = plan(scenario(stock, [need("TENT", 10), need("SOAP", 100)], min_lot_kg=500))
    # farther may ship 4 tents and 400 soap: 220 + 100 = 320 kg, held back; far's 1,100 kg ships.
    assert result.lots.lots == (HeldLot("farther", "SOAP", 400, 100.0), HeldLot("farther", "TENT", 4, 220.0))
    soap = next(line for line in result.lines if line.sku == "SOAP")
    assert (soap.planned, soap.limit, soap.held_back, soap.if_lots_drawn) == (0, Limit.MIN_LOT, 400, 100)


# (b) near a site ------------------------------------------------------------------------------------


def test_a_depot_near_a_site_is_drawn_on_whatever_its_lot():
    stock = [Stock("mid", "TENT", 1), Stock("far", "TENT", 1), Stock("farther", "TENT", 1)]
    within = plan(scenario(stock, [need("TENT", 3)], min_lot_kg=500, min_lot_beyond_km=road_km(FAR) + 1))
    assert sent(within) == {("mid", "TENT"): 1, ("far", "TENT"): 1}
    assert [lot.depot for lot in within.lots.lots] == ["farther"]
    beyond = plan(scenario(stock, [need("TENT", 3)], min_lot_kg=500, min_lot_beyond_km=road_km(MID) - 1))
    assert sent(beyond) == {} and beyond.lines[0].limit is Limit.MIN_LOT


def test_the_depot_at_a_site_is_always_drawn_on():
    at_near = Demand("at-near", NEAR.lat, NEAR.lng, "SOAP", 3)
    result = plan(scenario([Stock("near", "SOAP", 3)], [at_near], min_lot_kg=500, min_lot_beyond_km=0))
    assert sent(result) == {("near", "SOAP"): 3}


def test_measured_distances_decide_nearness():
    stock = [Stock("farther", "TENT", 1)]
    measured = {("farther", "S"): 40.0}
    result = plan(
        scenario(stock, [need("TENT", 1)], min_lot_kg=500, min_lot_beyond_km=50, distances=measured)
    )
    assert sent(result) == {("farther", "TENT"): 1}


# Items of unknown weight -------------------------------------------------------------------------


def test_a_depot_holding_an_item_of_unknown_weight_is_not_held_back():
    stock = [Stock("farther", "TENT", 1), Stock("farther", "KIT", 1)]
    result = plan(scenario(stock, [need("TENT", 1), need("KIT", 1)], min_lot_kg=500))
    assert sent(result) == {("farther", "TENT"): 1, ("farther", "KIT"): 1} and result.lots.lots == ()


def test_unknown_weight_counts_only_when_needed_and_shippable():
    below_floor = [Stock("farther", "TENT", 1), Stock("farther", "KIT", 3, 3)]
    result = plan(scenario(below_floor, [need("TENT", 1), need("KIT", 1)], min_lot_kg=500))
    assert sent(result) == {} and [lot.sku for lot in result.lots.lots] == ["TENT"]
    not_needed = [Stock("farther", "TENT", 1), Stock("farther", "KIT", 3)]
    assert plan(scenario(not_needed, [need("TENT", 1)], min_lot_kg=500)).shipments == []


# Released reserves ------------------------------------------------------------------------------------


def test_released_reserves_weigh_the_whole_stock():
    # farther: 12 tents, floor 4. Held: 8 may ship, 440 kg: held back. Released: 660 kg, drawn on.
    stock = [Stock("farther", "TENT", 12, 4)]
    held = plan(scenario(stock, [need("TENT", 12)], min_lot_kg=500))
    assert sent(held) == {} and held.lines[0].limit is Limit.MIN_LOT
    assert held.lots.held == {"farther"} and held.lots.held_if_released == frozenset()
    released = plan(scenario(stock, [need("TENT", 12)], min_lot_kg=500, release_reserves=True))
    assert sent(released) == {("farther", "TENT"): 12} and released.lines[0].limit is Limit.MET


def test_the_reserve_floor_still_explains_lines_the_lot_does_not_limit():
    # Only far holds tents (1,100 kg, drawn on); its floor keeps 10 of them.
    result = plan(scenario([Stock("far", "TENT", 20, 10)], [need("TENT", 15)], min_lot_kg=500))
    (line,) = result.lines
    assert (line.planned, line.limit, line.held_back, line.if_lots_drawn) == (10, Limit.RESERVE_FLOOR, 0, 10)


def test_releasing_reserves_counts_the_depots_it_would_draw_on():
    # far ships its 10 tents above the floor; farther (8 of 12 above its floor: 440 kg) is held
    # back, but with reserves released its 12 tents weigh 660 kg and it would be drawn on.
    stock = [Stock("far", "TENT", 10), Stock("farther", "TENT", 12, 4)]
    result = plan(scenario(stock, [need("TENT", 30)], min_lot_kg=500))
    (line,) = result.lines
    assert (line.planned, line.limit, line.if_lots_drawn) == (10, Limit.MIN_LOT, 18)


# Category lines ----------------------------------------------------------------------------------


def test_category_items_make_up_the_lot_and_are_held_back_together():
    # farther: 4 tents and 40 tarpaulins = 420 kg of shelter items: held back; far: 10 tents, 550 kg.
    stock = [Stock("far", "TENT", 10), Stock("farther", "TENT", 4), Stock("farther", "TARP", 40)]
    demands = [need(None, 40, category="SHELTER")]
    result = plan(scenario(stock, demands, categories=[SHELTER], min_lot_kg=500))
    assert sent(result) == {("far", "TENT"): 10}
    (line,) = result.lines
    # Coverage: 10 from far; held back 4 + 40 x 0.5 = 24; drawing on it gives 34 of the 40.
    assert (line.planned, line.limit, line.held_back, line.if_lots_drawn) == (10, Limit.MIN_LOT, 24, 34)
    assert [(lot.sku, lot.units) for lot in result.lots.lots] == [("TARP", 40), ("TENT", 4)]
    added = replace(scenario(stock, demands, categories=[SHELTER]), min_lot_kg=400)
    assert plan(added).lines[0].planned == 34


def test_an_item_line_and_a_category_line_share_the_held_back_depots():
    stock = [Stock("far", "TENT", 10), Stock("farther", "TENT", 4), Stock("farther", "TARP", 40)]
    demands = [need("TENT", 5, site="A"), need(None, 40, site="B", category="SHELTER")]
    result = plan(scenario(stock, demands, categories=[SHELTER], min_lot_kg=500))
    assert sent(result) == {("far", "TENT"): 10}
    tent, shelter = result.lines
    assert (tent.planned, tent.limit) == (5, Limit.MET)
    assert (shelter.planned, shelter.limit, shelter.if_lots_drawn) == (5, Limit.MIN_LOT, 29)


# Off by default ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kg", [0, 0.0])
def test_no_minimum_lot_draws_on_every_depot_as_before(kg):
    stock = [Stock("near", "TENT", 5), Stock("far", "TENT", 14, 4), Stock("farther", "TENT", 8)]
    before = plan(scenario(stock, [need("TENT", 30)]))
    after = plan(scenario(stock, [need("TENT", 30)], min_lot_kg=kg, min_lot_beyond_km=100))
    assert after.lots is None and hold_back(scenario(stock, [], min_lot_kg=kg)) is None
    assert after.shipments == before.shipments and after.lines == before.lines
    assert before.lines[0].limit is Limit.RESERVE_FLOOR and before.lines[0].if_lots_drawn is None


def test_the_vehicle_step_sources_from_the_depots_drawn_on_only():
    from relief_stock.dispatch.trucks import DEFAULT_VEHICLES

    stock = [Stock("mid", "TENT", 12), Stock("far", "TENT", 14), Stock("farther", "TENT", 8)]
    trucks = dict(vehicles=list(DEFAULT_VEHICLES), time_limit_s=2.0)
    result = plan(scenario(stock, [need("TENT", 40)], min_lot_kg=500, **trucks))
    # mid (660 kg) and far (770 kg) are drawn on; farther's 440 kg are held back: the same plan as
    # a network where farther holds nothing.
    without = plan(scenario(stock[:2], [need("TENT", 40)], **trucks))
    assert {leg.depot for leg in result.fleet.legs} == {"mid", "far"}
    assert result.fleet.cost == pytest.approx(without.fleet.cost) and result.fleet.gap < 1e-3
    assert result.shipments == without.shipments
