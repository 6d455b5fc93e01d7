"""The fast paths of a planner run give the same answers as the slow ones: the typed scenario check
(msgspec, on parsed JSON and on a file's bytes) against the marshmallow schemas, the small-grid vehicle mix against the numpy grid, and
`python -m relief_stock.dispatch plan` (no web app) against `flask dispatch plan`."""

import copy
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from relief_stock.dispatch import scenario as scenario_io
from relief_stock.dispatch import trucks
from relief_stock.dispatch.planner import plan
from relief_stock.dispatch.scenario_check import quick_scenario
from relief_stock.dispatch.trucks import Vehicle, cheapest_mix

from .test_scenario import GOOD
from .test_scenario_vehicles import TWO_ITEMS, VEHICLES

ROOT = Path(__file__).resolve().parents[2]


def generated(seed=1) -> dict:
    rng = random.Random(seed)
    depots = [
        {"id": f"D{n}", "tier": "county", "lat": rng.uniform(20, 40), "lng": rng.uniform(100, 120)}
        for n in range(30)
    ]
    depots[0]["id"], depots[1]["lat"] = 330100, 30  # an integer id, an integer coordinate
    items = [
        {"sku": f"I{k}", "unit_weight_kg": rng.uniform(1, 50), "unit_volume_m3": rng.uniform(0.01, 0.5)}
        for k in range(5)
    ]
    items[0]["unit_volume_m3"] = None
    stock = [
        {
            "depot": d["id"],
            "sku": i["sku"],
            "available": rng.randint(0, 90),
            "reserve_floor": rng.randint(0, 20),
        }
        for d in depots
        for i in items
        if rng.random() < 0.6
    ]
    del stock[0]["reserve_floor"]
    demands = [
        {
            "id": f"S{j}",
            "lat": 25.0 + j,
            "lng": 110,
            "sku": i["sku"],
            "qty": rng.randint(0, 200),
            "priority": rng.choice((1, 2, 3)),
        }
        for j in range(4)
        for i in items
    ]
    distances = [{"depot": "D3", "demand": "S1", "km": 12}]
    return dict(
        depots=depots, items=items, stock=stock, demands=demands, distances=distances, road_factor=1.4
    )


@pytest.mark.parametrize(
    "data",
    [GOOD, TWO_ITEMS, dict(TWO_ITEMS, vehicles=VEHICLES, time_limit_s=3), generated(1), generated(2)],
    ids=["good", "two-items", "vehicles", "generated-1", "generated-2"],
)
def test_quick_check_loads_exactly_what_the_schemas_load(data):
    slow = scenario_io._load(copy.deepcopy(data))  # the schemas' path
    assert quick_scenario(copy.deepcopy(data)) == slow
    assert quick_scenario(json.dumps(data).encode()) == slow
    assert scenario_io.load_bytes(json.dumps(data).encode()) == slow


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["stock"][0].update(available="3"),  # the schema converts, the quick check hands over
        lambda d: d["stock"][0].update(available=True),
        lambda d: d["depots"][0].update(lat="30.1"),
        lambda d: d["demands"][0].update(priority=4),
        lambda d: d["stock"][0].update(colour="red"),
        lambda d: d.update(release_reserves=1),
        lambda d: d.update(vehicles=[]),
        lambda d: d["items"][0].update(unit_weight_kg=float("nan")),
        lambda d: d["depots"][0].update(id="  "),
        lambda d: d["demands"][0].update(id=" "),
        lambda d: d["stock"].append(dict(d["stock"][0])),  # a duplicate (depot, sku)
        lambda d: d["stock"][0].update(depot="nowhere"),
        lambda d: d["demands"][0].update(sku="UNKNOWN"),
        lambda d: d["distances"][0].update(demand="S99"),
        lambda d: d.update(categories=[]),
        lambda d: d.update(vehicles=[VEHICLES[0], VEHICLES[0]]),
        lambda d: d.update(vehicles=[dict(VEHICLES[0], capacity_kg=0)]),
        lambda d: d["items"].append(dict(d["items"][0])),
    ],
)
def test_quick_check_hands_anything_unusual_to_the_schemas(change):
    data = copy.deepcopy(generated(3))
    change(data)
    assert quick_scenario(copy.deepcopy(data)) is None
    assert quick_scenario(json.dumps(data).encode()) is None


def test_small_grid_mix_equals_the_numpy_grid(monkeypatch):
    rng = random.Random(7)
    fleet = [
        Vehicle("a", 900, 6, 120, 1.1),
        Vehicle("b", 3000, 18, 260, 2.0),
        Vehicle("c", 12000, 50, 600, 4.5),
    ]
    loads = [(rng.uniform(1, 30000), rng.uniform(0, 120), rng.uniform(1, 600)) for _ in range(200)]
    small = [cheapest_mix(w, v, km, fleet) for w, v, km in loads]
    monkeypatch.setattr(trucks, "SMALL_GRID", 0)
    assert [cheapest_mix(w, v, km, fleet) for w, v, km in loads] == small


def test_module_command_prints_what_flask_dispatch_plan_prints(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "RELIEF_STOCK_CONFIG": "testing",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
    }

    def run(*command, data):
        path = tmp_path / "s.json"
        path.write_text(json.dumps(data))
        return subprocess.run(
            [sys.executable, "-m", *command, str(path)], cwd=ROOT, env=env, capture_output=True, text=True
        )

    data = dict(TWO_ITEMS, vehicles=VEHICLES)
    fast = run("relief_stock.dispatch", "plan", data=data)
    slow = run("flask", "--app", "wsgi", "dispatch", "plan", data=data)
    assert fast.returncode == slow.returncode == 0, fast.stderr + slow.stderr
    assert json.loads(fast.stdout) == json.loads(slow.stdout)
    refused = run(
        "relief_stock.dispatch", "plan", data=dict(GOOD, vehicles=[dict(VEHICLES[0], capacity_kg=-1)])
    )
    assert refused.returncode == 2 and "vehicles[0].capacity_kg" in refused.stderr and refused.stdout == ""


def test_flask_dispatch_plan_never_builds_the_web_app(tmp_path):
    """`dispatch` is a Flask plugin command (pyproject.toml, recorded in .venv by setup-venv): with
    an app that cannot even be imported, `flask dispatch plan` still plans; `export` needs the app."""
    from importlib import metadata

    if "dispatch" not in {ep.name for ep in metadata.entry_points(group="flask.commands")}:
        reason = "the flask.commands entry point is not recorded: run scripts/setup-venv"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)
    path = tmp_path / "s.json"
    path.write_text(json.dumps(TWO_ITEMS))
    env = {"PATH": "/usr/bin:/bin", "RELIEF_STOCK_CONFIG": "testing"}

    def flask(*args):
        command = [sys.executable, "-m", "flask", "--app", "no_such_module", "dispatch", *args]
        return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)

    planned = flask("plan", str(path))
    assert planned.returncode == 0, planned.stderr
    assert json.loads(planned.stdout) == scenario_io.plan_output(plan(scenario_io.load(TWO_ITEMS)))
    exported = flask("export")
    assert exported.returncode != 0 and "no_such_module" in exported.stderr
