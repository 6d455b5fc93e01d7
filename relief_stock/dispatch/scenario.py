"""Scenario files: the JSON a planner run reads and writes, for drills, what-if studies and benchmarks.

    {"road_factor": 1.3, "release_reserves": false,
     "depots": [{"id", "tier", "lat", "lng"}], "items": [{"sku", "unit_weight_kg", "unit_volume_m3"}],
     "stock": [{"depot", "sku", "available", "reserve_floor"}],
     "demands": [{"id", "lat", "lng", "sku", "qty", "priority"}],
     "distances": [{"depot", "demand", "km"}]            (optional: measured road distances)
     "vehicles": [{"type", "capacity_kg", "capacity_m3", "fixed_cost", "cost_per_km"}]  (optional)
     "time_limit_s": 10                                   (optional: for the vehicle step)
     "min_lot_kg": 500, "min_lot_beyond_km": 50           (optional: the minimum lot, min_lot.py;
                                                          0 and 0 by default: every depot drawn on)
     "categories": [{"code", "items": [{"sku", "coverage"}]}]}  (optional: relief categories)

A demand names either a `sku` or a `category` (then `qty` is in the category's unit and any of its
items, in the order listed, may fill it; substitution.py). A file without categories plans exactly
as before.

Without `vehicles` a file plans as it always did (the ton-km optimum); with them the same quantities
are sourced for the least truck cost, and the output adds `cost`, `trucks` and `gap`. Without
`min_lot_kg` (or with 0) every depot is drawn on, as before; with it the output adds `held_back`,
the stock of the depots the plan does not draw on.

`load` validates the whole file and names every bad field as a path (`demands[3].priority`);
`plan_output` is the planner's answer in the published shape. The planner itself (planner.py) is the
same one the web flow uses.
"""

import json

from ..errors import BadInput
from .planner import Demand, Depot, Item, Plan, Scenario, Stock
from .scenario_check import consistent, quick_scenario
from .substitution import Category, Member
from .trucks import Vehicle


class ScenarioError(BadInput):
    """A malformed scenario: `errors` maps a field path to its messages."""


def load_file(path) -> Scenario:
    try:
        with open(path, "rb") as handle:
            content = handle.read()
    except OSError as error:
        raise ScenarioError(f"cannot read {path}: {error.strerror}", field="file") from error
    return load_bytes(content)


def load_bytes(content: bytes) -> Scenario:
    """A validated Scenario from a file's bytes: decoded and checked in one pass when all is well."""
    scenario = quick_scenario(content)
    if scenario is not None:
        return scenario
    try:
        data = json.loads(content.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ScenarioError(f"not valid JSON: {error}", field="file") from error
    return _load(data)


def load(data) -> Scenario:
    """A validated Scenario from parsed JSON, or ScenarioError naming every bad field."""
    if isinstance(data, dict):
        scenario = quick_scenario(data)
        if scenario is not None:
            return scenario
    return _load(data)


def _load(data) -> Scenario:
    """The schemas' path, for anything the quick check does not vouch for: names every bad field."""
    if not isinstance(data, dict):
        raise ScenarioError("a scenario is a JSON object", field="$")
    from marshmallow import ValidationError

    from .schemas import ScenarioSchema

    try:
        raw = ScenarioSchema().load(data)
    except ValidationError as error:
        raise _error(_flatten(error.messages)) from error
    errors = _cross_check(raw)
    if errors:
        raise _error(errors)
    sites = {}
    for row in raw["demands"]:
        sites.setdefault(row["id"], (row["lat"], row["lng"]))
    return Scenario(
        depots=[Depot(d["id"], d["lat"], d["lng"], d["tier"]) for d in raw["depots"]],
        items=[Item(i["sku"], i["unit_weight_kg"], i["unit_volume_m3"]) for i in raw["items"]],
        stock=[Stock(s["depot"], s["sku"], s["available"], s["reserve_floor"]) for s in raw["stock"]],
        demands=[
            Demand(d["id"], *sites[d["id"]], d["sku"], d["qty"], d["priority"], category=d["category"])
            for d in raw["demands"]
        ],
        categories=[
            Category(c["code"], tuple(Member(m["sku"], m["coverage"]) for m in c["items"]))
            for c in raw["categories"]
        ],
        road_factor=raw["road_factor"],
        release_reserves=raw["release_reserves"],
        distances={(r["depot"], r["demand"]): r["km"] for r in raw["distances"]} or None,
        vehicles=[
            Vehicle(v["type"], v["capacity_kg"], v["capacity_m3"], v["fixed_cost"], v["cost_per_km"])
            for v in raw["vehicles"]
        ]
        if raw["vehicles"]
        else None,
        time_limit_s=raw["time_limit_s"],
        min_lot_kg=raw["min_lot_kg"],
        min_lot_beyond_km=raw["min_lot_beyond_km"],
    )


def _cross_check(raw) -> dict:
    if not raw["categories"] and _consistent(raw):  # category lines take the row-by-row checks
        return {}
    errors: dict[str, list[str]] = {}

    def fail(path, message):
        errors.setdefault(path, []).append(message)

    depots = _unique(raw["depots"], lambda d: d["id"], "depots", "id", "duplicate depot id", fail)
    skus = _unique(raw["items"], lambda i: i["sku"], "items", "sku", "duplicate sku", fail)
    _unique(raw["stock"], lambda s: (s["depot"], s["sku"]), "stock", "sku", "duplicate (depot, sku)", fail)
    categories = _unique(raw["categories"], lambda c: c["code"], "categories", "code", "duplicate code", fail)
    for n, category in enumerate(raw["categories"]):
        for m, member in enumerate(category["items"]):
            if member["sku"] not in skus:
                fail(f"categories[{n}].items[{m}].sku", f"unknown sku {member['sku']!r}")
    _unique(
        raw["demands"],
        lambda d: (d["id"], d["sku"] or d["category"]),
        "demands",
        "sku",
        "duplicate (id, sku)",
        fail,
    )
    for n, row in enumerate(raw["stock"]):
        if row["depot"] not in depots:
            fail(f"stock[{n}].depot", f"unknown depot {row['depot']!r}")
        if row["sku"] not in skus:
            fail(f"stock[{n}].sku", f"unknown sku {row['sku']!r}")
    where = {}
    for n, row in enumerate(raw["demands"]):
        if row["category"] is not None:
            if row["sku"] is not None:
                fail(f"demands[{n}].sku", "give a sku or a category, not both")
            elif row["category"] not in categories:
                fail(f"demands[{n}].category", f"unknown category {row['category']!r}")
        elif row["sku"] is None:
            fail(f"demands[{n}].sku", "Missing data for required field.")
        elif row["sku"] not in skus:
            fail(f"demands[{n}].sku", f"unknown sku {row['sku']!r}")
        first = where.setdefault(row["id"], (row["lat"], row["lng"]))
        if first != (row["lat"], row["lng"]):
            fail(f"demands[{n}].lat", f"site {row['id']!r} was given other coordinates before")
    _unique(raw["vehicles"] or [], lambda v: v["type"], "vehicles", "type", "duplicate vehicle type", fail)
    for n, row in enumerate(raw["distances"]):
        if row["depot"] not in depots:
            fail(f"distances[{n}].depot", f"unknown depot {row['depot']!r}")
        if row["demand"] not in where:
            fail(f"distances[{n}].demand", f"unknown demand id {row['demand']!r}")
    return errors


def _consistent(raw) -> bool:
    vehicles = raw["vehicles"] or []
    return consistent(
        [d["id"] for d in raw["depots"]],
        [i["sku"] for i in raw["items"]],
        [s["depot"] for s in raw["stock"]],
        [s["sku"] for s in raw["stock"]],
        [(d["id"], d["sku"]) for d in raw["demands"]],
        [(d["id"], d["lat"], d["lng"]) for d in raw["demands"]],
        [v["type"] for v in vehicles],
        [(r["depot"], r["demand"]) for r in raw["distances"]],
    )


def _unique(rows, key, section, field, message, fail) -> set:
    seen = set()
    for n, row in enumerate(rows):
        k = key(row)
        if k in seen:
            fail(f"{section}[{n}].{field}", f"{message} {k!r}")
        seen.add(k)
    return seen


def _flatten(messages, prefix="") -> dict:
    """marshmallow's nested {"demands": {3: {"priority": [...]}}} -> {"demands[3].priority": [...]}."""
    flat = {}
    for key, value in messages.items():
        path = f"{prefix}[{key}]" if isinstance(key, int) else (f"{prefix}.{key}" if prefix else str(key))
        if isinstance(value, dict):
            flat.update(_flatten(value, path))
        else:
            flat[path] = list(value)
    return flat


def _error(errors: dict) -> ScenarioError:
    summary = "; ".join(f"{path}: {' '.join(messages)}" for path, messages in sorted(errors.items()))
    return ScenarioError(f"invalid scenario: {summary}", errors=errors)


def plan_output(result: Plan, explain: bool = False) -> dict:
    """The published answer: integer shipments and unmet quantities, and the total ton-km."""
    output = {
        "shipments": [
            {"from": s.depot, "demand": s.site, "sku": s.sku, "qty": s.qty} for s in result.shipments
        ],
        "unmet": [_line_key(line) | {"qty": line.unmet} for line in result.unmet],
        "ton_km": round(result.ton_km, 6),
    }
    if result.fleet is not None:
        output["cost"] = round(result.fleet.cost, 6)
        output["trucks"] = [
            {"from": leg.depot, "demand": leg.site, "vehicles": leg.vehicles} for leg in result.fleet.legs
        ]
        output["gap"] = round(result.fleet.gap, 6)
    if result.lots is not None:
        output["held_back"] = [
            {"from": lot.depot, "sku": lot.sku, "qty": lot.units} for lot in result.lots.lots
        ]
    if explain:
        output["lines"] = [
            _line_key(line)
            | {
                "priority": line.priority,
                "requested": line.requested,
                "planned": line.planned,
                "limit": line.limit.value,
            }
            | ({} if line.if_lots_drawn is None else {"if_lots_drawn": line.if_lots_drawn})
            for line in result.lines
        ]
    return output


def _line_key(line) -> dict:
    """Which need line: its site and item, or its site and category with the items that filled it."""
    if line.category is None:
        return {"demand": line.site, "sku": line.sku}
    fills = [{"sku": f.sku, "qty": f.units} for f in line.fills]
    return {"demand": line.site, "category": line.category, "filled_by": fills}


def scenario_dict(scenario: Scenario) -> dict:
    """The JSON form of a Scenario (what `flask dispatch export` writes and `load` reads back)."""
    data = {
        "road_factor": scenario.road_factor,
        "release_reserves": scenario.release_reserves,
        "depots": [{"id": d.id, "tier": d.tier, "lat": d.lat, "lng": d.lng} for d in scenario.depots],
        "items": [
            {"sku": i.sku, "unit_weight_kg": i.unit_weight_kg, "unit_volume_m3": i.unit_volume_m3}
            for i in scenario.items
        ],
        "stock": [
            {"depot": s.depot, "sku": s.sku, "available": s.available, "reserve_floor": s.reserve_floor}
            for s in scenario.stock
        ],
        "demands": [
            {"id": d.site, "lat": d.lat, "lng": d.lng, "qty": d.qty, "priority": d.priority}
            | ({"category": d.category} if d.category else {"sku": d.sku})
            for d in scenario.demands
        ],
    }
    if scenario.vehicles:
        data["vehicles"] = [
            {
                "type": v.name,
                "capacity_kg": v.payload_kg,
                "capacity_m3": v.volume_m3,
                "fixed_cost": v.fixed_cost,
                "cost_per_km": v.cost_per_km,
            }
            for v in scenario.vehicles
        ]
        data["time_limit_s"] = scenario.time_limit_s
    if scenario.min_lot_kg or scenario.min_lot_beyond_km:
        data["min_lot_kg"] = scenario.min_lot_kg
        data["min_lot_beyond_km"] = scenario.min_lot_beyond_km
    if scenario.categories:
        data["categories"] = [
            {"code": c.code, "items": [{"sku": m.sku, "coverage": m.coverage} for m in c.members]}
            for c in scenario.categories
        ]
    if scenario.distances:
        data["distances"] = [
            {"depot": depot, "demand": site, "km": km} for (depot, site), km in scenario.distances.items()
        ]
    return data
