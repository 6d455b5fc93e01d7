"""Scenario files and `flask dispatch plan`: the published formats, defaults, and errors naming the
field with exit code 2. The CLI needs no database, so these tests use an app on an in-memory SQLite."""

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from relief_stock import create_app
from relief_stock.dispatch import scenario as scenario_io
from relief_stock.dispatch import scenario_check
from relief_stock.dispatch.planner import plan

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "depots": [
        {"id": "330102", "tier": "county", "lat": 30.2425, "lng": 120.1693},
        {"id": 330100, "tier": "city", "lat": 30.2469, "lng": 120.2098},
    ],
    "items": [{"sku": "TENT", "unit_weight_kg": 55, "unit_volume_m3": 0.282}],
    "stock": [
        {"depot": "330102", "sku": "TENT", "available": 10, "reserve_floor": 4},
        {"depot": 330100, "sku": "TENT", "available": 30, "reserve_floor": 25},
    ],
    "demands": [{"id": "site-1", "lat": 30.3, "lng": 120.2, "sku": "TENT", "qty": 20, "priority": 1}],
}


@pytest.fixture
def cli():
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).test_cli_runner()


def write(tmp_path, data, name="scenario.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


def test_defaults_and_output_shape(cli, tmp_path):
    result = cli.invoke(args=["dispatch", "plan", write(tmp_path, GOOD)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out) == {"shipments", "unmet", "ton_km"}
    # Reserves held (default): 6 + 5 can ship; ids come back as given (string and integer).
    assert {(s["from"], s["qty"]) for s in out["shipments"]} == {(330100, 5), ("330102", 6)}
    assert out["unmet"] == [{"demand": "site-1", "sku": "TENT", "qty": 9}]
    assert isinstance(out["ton_km"], float) and out["ton_km"] > 0
    loaded = scenario_io.load(GOOD)
    assert loaded.road_factor == 1.3 and loaded.release_reserves is False


def test_release_reserves_and_explain(cli, tmp_path):
    data = dict(GOOD, release_reserves=True)
    out = json.loads(cli.invoke(args=["dispatch", "plan", "--explain", write(tmp_path, data)]).output)
    assert out["unmet"] == [] and sum(s["qty"] for s in out["shipments"]) == 20
    assert out["lines"][0]["limit"] == "met"


def test_road_factor_scales_ton_km(tmp_path):
    base = plan(scenario_io.load(GOOD)).ton_km
    doubled = plan(scenario_io.load(dict(GOOD, road_factor=2.6))).ton_km
    assert doubled == pytest.approx(2 * base)


@pytest.mark.parametrize(
    "path, value, field",
    [
        (("demands", 0, "priority"), 4, "demands[0].priority"),
        (("demands", 0, "qty"), 2.5, "demands[0].qty"),
        (("stock", 0, "available"), -1, "stock[0].available"),
        (("stock", 0, "reserve_floor"), "3", "stock[0].reserve_floor"),
        (("depots", 0, "lat"), 91, "depots[0].lat"),
        (("demands", 0, "lng"), -181, "demands[0].lng"),
        (("depots", 1, "tier"), "village", "depots[1].tier"),
        (("stock", 1, "depot"), "nowhere", "stock[1].depot"),
        (("demands", 0, "sku"), "NOPE", "demands[0].sku"),
        (("depots", 1, "id"), "330102", "depots[1].id"),
        (("stock", 0, "available"), 2**70, "stock[0].available"),  # beyond the planner's 64-bit sums
        (("demands", 0, "qty"), 10**13, "demands[0].qty"),
    ],
)
def test_malformed_files_name_the_field_and_exit_2(cli, tmp_path, path, value, field):
    data = copy.deepcopy(GOOD)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    result = cli.invoke(args=["dispatch", "plan", write(tmp_path, data)])
    assert result.exit_code == 2
    assert field in result.output


def test_duplicate_demand_key_is_an_error(cli, tmp_path):
    data = copy.deepcopy(GOOD)
    data["demands"].append(dict(data["demands"][0], qty=1))
    result = cli.invoke(args=["dispatch", "plan", write(tmp_path, data)])
    assert result.exit_code == 2 and "demands[1].sku" in result.output
    assert "duplicate (id, sku)" in result.output


def test_missing_section_and_bad_json(cli, tmp_path):
    data = {k: v for k, v in GOOD.items() if k != "stock"}
    result = cli.invoke(args=["dispatch", "plan", write(tmp_path, data)])
    assert result.exit_code == 2 and "stock" in result.output
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert cli.invoke(args=["dispatch", "plan", str(bad)]).exit_code == 2


def test_scenario_round_trips():
    loaded = scenario_io.load(GOOD)
    assert scenario_io.load(json.loads(json.dumps(scenario_io.scenario_dict(loaded)))) == loaded


def test_stdout_is_pure_json_in_a_real_process(tmp_path):
    # HiGHS prints a banner on the C-level stdout; the command must swallow it.
    env = {
        "FLASK_APP": "wsgi.py",
        "RELIEF_STOCK_CONFIG": "testing",
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "flask", "dispatch", "plan", write(tmp_path, GOOD)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["unmet"][0]["qty"] == 9


CATEGORISED = copy.deepcopy(GOOD) | {
    "categories": [
        {"code": "SHELTER", "items": [{"sku": "TENT", "coverage": 1}, {"sku": "TARP", "coverage": 0.5}]}
    ]
}
CATEGORISED["items"].append({"sku": "TARP", "unit_weight_kg": 5.28})
CATEGORISED["stock"].append({"depot": "330102", "sku": "TARP", "available": 20})
CATEGORISED["demands"] = [
    {"id": "site-1", "lat": 30.3, "lng": 120.2, "category": "SHELTER", "qty": 20, "priority": 1}
]


def test_category_lines_are_filled_by_substitutes_and_round_trip():
    loaded = scenario_io.load(copy.deepcopy(CATEGORISED))
    output = scenario_io.plan_output(plan(loaded), explain=True)
    # 6 + 5 tents above the floors, then 18 tarpaulins for the 9 households left.
    (line,) = output["lines"]
    assert (line["category"], line["planned"], line["limit"]) == ("SHELTER", 20, "met")
    assert line["filled_by"] == [{"sku": "TENT", "qty": 11}, {"sku": "TARP", "qty": 18}]
    assert scenario_io.load(scenario_io.scenario_dict(loaded)) == loaded


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["demands"][0].update(category="BEDDING"), "demands[0].category"),
        (lambda d: d["demands"][0].update(sku="TENT"), "demands[0].sku"),
        (lambda d: d["demands"][0].pop("category"), "demands[0].sku"),
        (lambda d: d["categories"][0]["items"][1].update(sku="NOPE"), "categories[0].items[1].sku"),
        (lambda d: d["categories"][0]["items"][0].update(coverage=0), "categories[0].items[0].coverage"),
    ],
)
def test_bad_category_lines_name_the_field(change, field):
    data = copy.deepcopy(CATEGORISED)
    change(data)
    with pytest.raises(scenario_io.ScenarioError) as caught:
        scenario_io.load(data)
    assert field in caught.value.errors


# The minimum lot (min_lot.py): two optional fields, off by default ---------------------------------

FAR_AWAY = copy.deepcopy(GOOD)
FAR_AWAY["depots"].append({"id": "330203", "tier": "county", "lat": 29.8888, "lng": 121.5546})  # Ningbo
FAR_AWAY["stock"].append({"depot": "330203", "sku": "TENT", "available": 4})  # 220 kg, 170 road km


def plan_bytes(cli, tmp_path, data, *options):
    result = cli.invoke(args=["dispatch", "plan", *options, write(tmp_path, data, f"{len(options)}.json")])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("data", [GOOD, FAR_AWAY, CATEGORISED], ids=["good", "far-away", "categories"])
def test_a_file_without_the_fields_plans_exactly_as_before(cli, tmp_path, data):
    without = plan_bytes(cli, tmp_path, data, "--explain")
    assert plan_bytes(cli, tmp_path, dict(data, min_lot_kg=0, min_lot_beyond_km=80), "--explain") == without
    assert "held_back" not in json.loads(without) and "if_lots_drawn" not in without
    loaded = scenario_io.load(copy.deepcopy(data))
    assert (loaded.min_lot_kg, loaded.min_lot_beyond_km) == (0, 0)
    assert "min_lot_kg" not in scenario_io.scenario_dict(loaded)


def test_the_minimum_lot_holds_back_a_far_small_depot(cli, tmp_path):
    every = json.loads(plan_bytes(cli, tmp_path, FAR_AWAY, "--explain"))
    assert {(s["from"], s["qty"]) for s in every["shipments"]} == {("330102", 6), (330100, 5), ("330203", 4)}
    data = dict(FAR_AWAY, min_lot_kg=500, min_lot_beyond_km=50)
    out = json.loads(plan_bytes(cli, tmp_path, data, "--explain"))
    # The two Hangzhou depots are within 50 km of the site; Ningbo's 4 tents (220 kg) are held back.
    assert {(s["from"], s["qty"]) for s in out["shipments"]} == {("330102", 6), (330100, 5)}
    assert out["held_back"] == [{"from": "330203", "sku": "TENT", "qty": 4}]
    (line,) = out["lines"]
    assert (line["planned"], line["limit"], line["if_lots_drawn"]) == (11, "min_lot", 15)
    near = json.loads(plan_bytes(cli, tmp_path, dict(data, min_lot_beyond_km=200)))
    assert near["held_back"] == [] and sum(s["qty"] for s in near["shipments"]) == 15


def test_the_minimum_lot_round_trips_on_both_paths():
    data = dict(copy.deepcopy(FAR_AWAY), min_lot_kg=500, min_lot_beyond_km=50)
    quick = scenario_check.quick_scenario(json.dumps(data).encode())
    assert quick is not None and (quick.min_lot_kg, quick.min_lot_beyond_km) == (500, 50)
    assert scenario_io._load(copy.deepcopy(data)) == quick  # the schemas build the same Scenario
    written = scenario_io.scenario_dict(quick)
    assert (written["min_lot_kg"], written["min_lot_beyond_km"]) == (500, 50)
    assert scenario_io.load(json.loads(json.dumps(written))) == quick


@pytest.mark.parametrize(
    "field, value",
    [
        ("min_lot_kg", -1),
        ("min_lot_kg", 100_001),
        ("min_lot_kg", "heavy"),
        ("min_lot_kg", True),
        ("min_lot_kg", None),
        ("min_lot_beyond_km", -0.5),
        ("min_lot_beyond_km", 5_001),
        ("min_lot_beyond_km", [50]),
    ],
)
def test_bad_minimum_lot_values_name_the_field_and_exit_2(cli, tmp_path, field, value):
    result = cli.invoke(args=["dispatch", "plan", write(tmp_path, dict(GOOD, **{field: value}))])
    assert result.exit_code == 2 and f"  {field}: " in result.output
