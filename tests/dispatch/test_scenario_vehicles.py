"""Scenario files with vehicle types: the optional fields, the added output, and errors naming the
field with exit code 2. A file without them plans exactly as before."""

import copy
import json

import pytest

from relief_stock import create_app
from relief_stock.dispatch import scenario as scenario_io
from relief_stock.dispatch.planner import plan
from relief_stock.dispatch.trucks import Vehicle, cheapest_mix, mix_cost

from .test_scenario import GOOD, write

VEHICLES = [
    {"type": "light", "capacity_kg": 4500, "capacity_m3": 20, "fixed_cost": 400, "cost_per_km": 2.5},
    {"type": "heavy", "capacity_kg": 20000, "capacity_m3": 70, "fixed_cost": 900, "cost_per_km": 6},
]
TWO_ITEMS = dict(
    copy.deepcopy(GOOD),
    items=GOOD["items"] + [{"sku": "WATER", "unit_weight_kg": 13.8, "unit_volume_m3": 0.022}],
    stock=GOOD["stock"]
    + [
        {"depot": 330100, "sku": "WATER", "available": 900, "reserve_floor": 0},
        {"depot": "330102", "sku": "WATER", "available": 100, "reserve_floor": 0},
    ],
    demands=GOOD["demands"]
    + [{"id": "site-1", "lat": 30.3, "lng": 120.2, "sku": "WATER", "qty": 400, "priority": 1}],
)


@pytest.fixture
def cli():
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).test_cli_runner()


def run(cli, tmp_path, data):
    result = cli.invoke(args=["dispatch", "plan", write(tmp_path, data)])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_without_vehicles_the_output_is_as_before(cli, tmp_path):
    out = run(cli, tmp_path, TWO_ITEMS)
    assert set(out) == {"shipments", "unmet", "ton_km"}
    loaded = scenario_io.load(TWO_ITEMS)
    assert loaded.vehicles is None and loaded.time_limit_s == 10


def test_with_vehicles_cost_is_recomputable_from_the_shipments(cli, tmp_path):
    plain = run(cli, tmp_path, TWO_ITEMS)
    out = run(cli, tmp_path, dict(TWO_ITEMS, vehicles=VEHICLES, time_limit_s=5))
    assert set(out) == {"shipments", "unmet", "ton_km", "cost", "trucks", "gap"}
    # Rules 1-3 as without vehicles: the same quantity per line, the same unmet lines.
    assert out["unmet"] == plain["unmet"]

    def per_line(o):
        totals = {}
        for s in o["shipments"]:
            totals[(s["demand"], s["sku"])] = totals.get((s["demand"], s["sku"]), 0) + s["qty"]
        return totals

    assert per_line(out) == per_line(plain)
    assert out["ton_km"] >= plain["ton_km"] - 1e-6
    # cost: per depot-to-site leg, the cheapest vehicles for its weight and volume.
    fleet = [
        Vehicle(v["type"], v["capacity_kg"], v["capacity_m3"], v["fixed_cost"], v["cost_per_km"])
        for v in VEHICLES
    ]
    loaded = scenario_io.load(TWO_ITEMS)
    units = {i.sku: (i.unit_weight_kg, i.unit_volume_m3) for i in loaded.items}
    km = {(s.depot, s.site): s.km for s in plan(loaded).shipments}
    legs = {}
    for s in out["shipments"]:
        w, v = legs.get((s["from"], s["demand"]), (0.0, 0.0))
        legs[(s["from"], s["demand"])] = (
            w + s["qty"] * units[s["sku"]][0],
            v + s["qty"] * units[s["sku"]][1],
        )
    recomputed = sum(
        mix_cost(cheapest_mix(w, v, km[leg], fleet), km[leg], fleet) for leg, (w, v) in legs.items()
    )
    assert out["cost"] == pytest.approx(recomputed)
    assert {(t["from"], t["demand"]) for t in out["trucks"]} == set(legs)
    by_type = {v.name: v for v in fleet}
    assert sum(
        n * by_type[name].trip_cost(km[(t["from"], t["demand"])])
        for t in out["trucks"]
        for name, n in t["vehicles"].items()
    ) == pytest.approx(out["cost"])
    assert out["gap"] == 0.0


@pytest.mark.parametrize(
    "row, field",
    [
        ({"capacity_kg": 0}, "vehicles[1].capacity_kg"),
        ({"capacity_m3": "big"}, "vehicles[1].capacity_m3"),
        ({"fixed_cost": -1}, "vehicles[1].fixed_cost"),
        ({"cost_per_km": None}, "vehicles[1].cost_per_km"),
        ({"type": ""}, "vehicles[1].type"),
        ({"type": "light"}, "vehicles[1].type"),  # a duplicate type
    ],
)
def test_malformed_vehicle_rows_name_the_field_and_exit_2(cli, tmp_path, row, field):
    vehicles = copy.deepcopy(VEHICLES)
    vehicles[1].update(row)
    result = cli.invoke(args=["dispatch", "plan", write(tmp_path, dict(GOOD, vehicles=vehicles))])
    assert result.exit_code == 2
    assert field in result.output


def test_missing_vehicle_field_empty_list_and_bad_time_limit_exit_2(cli, tmp_path):
    vehicles = copy.deepcopy(VEHICLES)
    del vehicles[0]["fixed_cost"]
    for data, field in (
        (dict(GOOD, vehicles=vehicles), "vehicles[0].fixed_cost"),
        (dict(GOOD, vehicles=[]), "vehicles"),
        (dict(GOOD, vehicles=VEHICLES, time_limit_s=0), "time_limit_s"),
    ):
        result = cli.invoke(args=["dispatch", "plan", write(tmp_path, data)])
        assert result.exit_code == 2 and field in result.output, result.output


def test_vehicles_round_trip():
    loaded = scenario_io.load(dict(GOOD, vehicles=VEHICLES, time_limit_s=3))
    assert scenario_io.load(json.loads(json.dumps(scenario_io.scenario_dict(loaded)))) == loaded
