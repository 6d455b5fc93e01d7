"""`flask dispatch export`: the database as a scenario that `flask dispatch plan` reads back."""

import json

from relief_stock.dispatch import scenario as scenario_io
from tests.dispatch.helpers import emergency, norm, receive


def test_export_round_trips_through_plan(runner, world, tmp_path):
    receive(world, "330102", "QUILT", 50)
    norm(world, "330102", "QUILT", 20)
    e = emergency(world, sites=[("school", (30.3, 120.2), {"QUILT": (40, 1)})])
    out = tmp_path / "state.json"
    result = runner.invoke(args=["dispatch", "export", "-o", str(out), "--emergency", str(e.id)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert {"depot": "330102", "sku": "QUILT", "available": 50, "reserve_floor": 20} in data["stock"]
    assert len(data["depots"]) == 6 and data["release_reserves"] is False
    scenario_io.load(data)  # valid
    planned = json.loads(runner.invoke(args=["dispatch", "plan", str(out)]).output)
    assert planned["unmet"] == [{"demand": e.sites[0].id, "sku": "QUILT", "qty": 10}]


def test_export_of_an_unknown_emergency_exits_2(runner, world):
    result = runner.invoke(args=["dispatch", "export", "--emergency", "999"])
    assert result.exit_code == 2 and "999" in result.output
