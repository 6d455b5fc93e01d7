"""A fast check of a scenario file's shape, column by column: the common case, a good file.

`quick_load(data)` returns what `ScenarioSchema().load(data)` would (defaults filled in, numbers as
floats where the schema says Float), or None as soon as anything is unusual. scenario.load then runs
the marshmallow schemas, which name every bad field with their usual messages; so this check may be
stricter than the schemas (it refuses numeric strings, which they would convert) but never looser,
and a file it accepts loads to the same values. On the national preset (150,000 stock rows) it takes
a small fraction of the schemas' time, which matters because validation used to cost more than
planning.
"""

import math

TIERS = frozenset(("province", "city", "county"))
_SECTIONS = {
    "depots": ({"id", "tier", "lat", "lng"}, {"name"}),
    "items": ({"sku"}, {"unit_weight_kg", "unit_volume_m3"}),
    "stock": ({"depot", "sku", "available"}, {"reserve_floor"}),
    "demands": ({"id", "lat", "lng", "sku", "qty", "priority"}, set()),
    "distances": ({"depot", "demand", "km"}, set()),
    "vehicles": ({"type", "capacity_kg", "capacity_m3", "fixed_cost", "cost_per_km"}, set()),
}
_TOP = {"road_factor", "release_reserves", "time_limit_s", *_SECTIONS}


class _Unusual(Exception):
    """Anything the quick check does not vouch for: the schemas take over."""


def quick_load(data: dict) -> dict | None:
    try:
        return _load(data)
    except (_Unusual, KeyError, TypeError, ValueError, OverflowError):
        return None


def _load(data: dict) -> dict:
    if not set(data) <= _TOP:
        raise _Unusual
    out = {
        "road_factor": _number(data.get("road_factor", 1.3), 1, 5),
        "release_reserves": _flag(data.get("release_reserves", False)),
        "time_limit_s": _number(data.get("time_limit_s", 10.0), 0.1, 3600),
    }
    for section in ("depots", "items", "stock", "demands"):
        out[section] = _rows(data[section], section)
    out["distances"] = _rows(data.get("distances", []), "distances")
    out["categories"] = []  # a file with relief categories takes the schemas' path
    vehicles = data.get("vehicles")
    out["vehicles"] = None if vehicles is None else _rows(vehicles, "vehicles")
    if vehicles is not None and not 1 <= len(vehicles) <= 20:
        raise _Unusual

    depots = out["depots"]
    _identifiers(d["id"] for d in depots)
    if not all(type(d["tier"]) is str and d["tier"] in TIERS for d in depots):
        raise _Unusual
    if not all(type(d.get("name", "")) is str for d in depots):
        raise _Unusual

    items = out["items"]
    for row in items:
        if type(row["sku"]) is not str or not 1 <= len(row["sku"]) <= 32:
            raise _Unusual
    out["items"] = [
        {
            "sku": row["sku"],
            "unit_weight_kg": _optional(row.get("unit_weight_kg")),
            "unit_volume_m3": _optional(row.get("unit_volume_m3")),
        }
        for row in items
    ]

    stock = out["stock"]
    _identifiers(r["depot"] for r in stock)
    _strings(r["sku"] for r in stock)
    _quantities(r["available"] for r in stock)
    floors = [r.get("reserve_floor", 0) for r in stock]
    _quantities(floors)
    out["stock"] = [
        {"depot": r["depot"], "sku": r["sku"], "available": r["available"], "reserve_floor": f}
        for r, f in zip(stock, floors)
    ]

    demands = out["demands"] = [dict(d, category=None) for d in out["demands"]]
    _identifiers(d["id"] for d in demands)
    _strings(d["sku"] for d in demands)
    _quantities(d["qty"] for d in demands)
    if not all(type(d["priority"]) is int and d["priority"] in (1, 2, 3) for d in demands):
        raise _Unusual

    distances = out["distances"]
    _identifiers(r["depot"] for r in distances)
    _identifiers(r["demand"] for r in distances)
    out["distances"] = [dict(r, km=_number(r["km"], 0, math.inf)) for r in distances]

    if out["vehicles"] is not None:
        for v in out["vehicles"]:
            if type(v["type"]) is not str or not 1 <= len(v["type"]) <= 64:
                raise _Unusual
        out["vehicles"] = [
            {
                "type": v["type"],
                "capacity_kg": _positive(v["capacity_kg"]),
                "capacity_m3": _positive(v["capacity_m3"]),
                "fixed_cost": _number(v["fixed_cost"], 0, math.inf),
                "cost_per_km": _number(v["cost_per_km"], 0, math.inf),
            }
            for v in out["vehicles"]
        ]
    return out


def _rows(rows, section) -> list[dict]:
    """The section's rows, each a dict with the required keys and nothing unknown."""
    required, optional = _SECTIONS[section]
    allowed = required | optional
    if type(rows) is not list:
        raise _Unusual
    for row in rows:
        if type(row) is not dict:
            raise _Unusual
        keys = row.keys()
        if not (required <= keys <= allowed):
            raise _Unusual
    if section in ("depots", "demands"):
        _coordinates(rows)
        return [dict(row, lat=float(row["lat"]), lng=float(row["lng"])) for row in rows]
    return rows


def _is_number(value) -> bool:
    return (type(value) is int or type(value) is float) and math.isfinite(value)


def _number(value, low, high) -> float:
    if not _is_number(value) or not low <= value <= high:
        raise _Unusual
    return float(value)


def _positive(value) -> float:
    if not _is_number(value) or value <= 0:
        raise _Unusual
    return float(value)


def _optional(value):
    return None if value is None else _number(value, 0, math.inf)


def _flag(value) -> bool:
    if type(value) is not bool:
        raise _Unusual
    return value


def _identifiers(values) -> None:
    for value in values:
        kind = type(value)
        if not (kind is int or (kind is str and value.strip())):
            raise _Unusual


def _strings(values) -> None:
    if not all(type(value) is str for value in values):
        raise _Unusual


def _quantities(values) -> None:
    if not all(type(value) is int and value >= 0 for value in values):
        raise _Unusual


def _coordinates(rows) -> None:
    for row in rows:
        lat, lng = row["lat"], row["lng"]
        if not (_is_number(lat) and _is_number(lng) and -90 <= lat <= 90 and -180 <= lng <= 180):
            raise _Unusual
