"""A fast check of a scenario file, by typed decoding: the common case, a good file.

`quick_scenario(source)` takes the file's bytes (or its parsed JSON) and returns the Scenario that
`scenario.load` would build through the marshmallow schemas, or None as soon as anything is unusual.
msgspec decodes straight into the typed rows below and checks types and ranges as it parses, in C;
what remains (non-blank ids, finite numbers, duplicate keys, unknown references) is set arithmetic
over columns. On None, scenario.load runs the schemas, which name every bad field with their usual
messages; so this check may be stricter than the schemas (it refuses numeric strings, which they
would convert, and files with relief categories) but never looser, and a file it accepts becomes the
same Scenario. On the national preset (150,000 stock rows) decoding and checking take less time
than json.load alone, which matters because validation used to cost more than planning.
"""

import math
from typing import Annotated, Literal

import msgspec
import numpy as np
from msgspec import Meta, Struct

from .planner import MAX_MIN_LOT_BEYOND_KM, MAX_MIN_LOT_KG, MAX_QUANTITY, Demand, Depot, Item, Scenario, Stock
from .trucks import Vehicle

Identifier = int | str  # non-blank strings: checked after decoding (see _blank)
Latitude = Annotated[float, Meta(ge=-90, le=90)]
Longitude = Annotated[float, Meta(ge=-180, le=180)]
Quantity = Annotated[int, Meta(ge=0, le=MAX_QUANTITY)]
NonNegative = Annotated[float, Meta(ge=0)]
Positive = Annotated[float, Meta(gt=0)]


class _Row(Struct, forbid_unknown_fields=True, gc=False):
    """A row: unknown keys are unusual (the schemas name them)."""


class _Depot(_Row):
    id: Identifier
    tier: Literal["province", "city", "county"]
    lat: Latitude
    lng: Longitude
    name: str = ""


class _Item(_Row):
    sku: Annotated[str, Meta(min_length=1, max_length=32)]
    unit_weight_kg: NonNegative | None = None
    unit_volume_m3: NonNegative | None = None


class _Demand(_Row):
    id: Identifier
    lat: Latitude
    lng: Longitude
    sku: str
    qty: Quantity
    priority: Literal[1, 2, 3]


class _Distance(_Row):
    depot: Identifier
    demand: Identifier
    km: NonNegative


class _Vehicle(_Row):
    type: Annotated[str, Meta(min_length=1, max_length=64)]
    capacity_kg: Positive
    capacity_m3: Positive
    fixed_cost: NonNegative
    cost_per_km: NonNegative


class _File(Struct, forbid_unknown_fields=True):
    depots: list[_Depot]
    items: list[_Item]
    stock: list[Stock]  # the planner's own rows, constrained there
    demands: list[_Demand]
    distances: list[_Distance] = []
    vehicles: Annotated[list[_Vehicle], Meta(min_length=1, max_length=20)] | None = None
    road_factor: Annotated[float, Meta(ge=1, le=5)] = 1.3
    release_reserves: bool = False
    time_limit_s: Annotated[float, Meta(ge=0.1, le=3600)] = 10.0
    min_lot_kg: Annotated[float, Meta(ge=0, le=MAX_MIN_LOT_KG)] = 0.0
    min_lot_beyond_km: Annotated[float, Meta(ge=0, le=MAX_MIN_LOT_BEYOND_KM)] = 0.0


_DECODER = msgspec.json.Decoder(_File)


def quick_scenario(source: bytes | dict) -> Scenario | None:
    """The Scenario of a good file (its bytes, or the parsed JSON), else None."""
    try:
        if isinstance(source, (bytes, bytearray, memoryview)):
            data = _DECODER.decode(source)
        else:
            data = msgspec.convert(source, _File)
    except (msgspec.ValidationError, msgspec.DecodeError, TypeError, ValueError):
        return None
    if not _usual(data):
        return None
    sites = {}
    for row in data.demands:
        sites.setdefault(row.id, (row.lat, row.lng))
    return Scenario(
        depots=[Depot(d.id, d.lat, d.lng, d.tier) for d in data.depots],
        items=[Item(i.sku, i.unit_weight_kg, i.unit_volume_m3) for i in data.items],
        stock=data.stock,
        demands=[Demand(d.id, *sites[d.id], d.sku, d.qty, d.priority) for d in data.demands],
        road_factor=data.road_factor,
        release_reserves=data.release_reserves,
        distances={(r.depot, r.demand): r.km for r in data.distances} or None,
        vehicles=[
            Vehicle(v.type, v.capacity_kg, v.capacity_m3, v.fixed_cost, v.cost_per_km) for v in data.vehicles
        ]
        if data.vehicles
        else None,
        time_limit_s=data.time_limit_s,
        min_lot_kg=data.min_lot_kg,
        min_lot_beyond_km=data.min_lot_beyond_km,
    )


def _usual(data: _File) -> bool:
    """What typed decoding leaves: ids not blank, numbers finite, and `consistent`."""
    numbers = [x for i in data.items for x in (i.unit_weight_kg, i.unit_volume_m3) if x is not None]
    numbers += [r.km for r in data.distances]
    numbers += [x for v in data.vehicles or () for x in (v.fixed_cost, v.cost_per_km, v.capacity_kg)]
    numbers += [v.capacity_m3 for v in data.vehicles or ()]
    numbers += [data.min_lot_kg, data.min_lot_beyond_km]
    if not all(map(math.isfinite, numbers)):
        return False
    depot_ids = [d.id for d in data.depots]
    site_ids = [d.id for d in data.demands]
    if _blank(depot_ids) or _blank(site_ids):
        return False
    return consistent(
        depot_ids,
        [i.sku for i in data.items],
        [s.depot for s in data.stock],
        [s.sku for s in data.stock],
        [(d.id, d.sku) for d in data.demands],
        [(d.id, d.lat, d.lng) for d in data.demands],
        [v.type for v in data.vehicles or ()],
        [(r.depot, r.demand) for r in data.distances],
    )


def _blank(ids) -> bool:
    return any(type(value) is str and not value.strip() for value in ids)


def consistent(
    depot_ids, skus, stock_depots, stock_skus, demand_keys, places, vehicle_types, distance_keys
) -> bool:
    """The common case in set arithmetic: no duplicate key, no unknown reference, one place per
    site. False sends the file through the row-by-row checks that name each problem. Stock comes
    as two columns (a national file has 150,000 rows): its duplicates are found by sorting codes."""
    depots = {depot: n for n, depot in enumerate(depot_ids)}
    items = {sku: n for n, sku in enumerate(skus)}
    demands, places = set(demand_keys), set(places)
    sites = {site for site, _, _ in places}
    if not (
        len(depots) == len(depot_ids)
        and len(items) == len(skus)
        and len(demands) == len(demand_keys)
        and len(places) == len(sites)
        and len(set(vehicle_types)) == len(vehicle_types)
        and set(stock_depots) <= depots.keys()
        and set(stock_skus) | {sku for _, sku in demands} <= items.keys()
        and {depot for depot, _ in distance_keys} <= depots.keys()
        and {site for _, site in distance_keys} <= sites
    ):
        return False
    n = len(stock_depots)
    rows = np.fromiter(map(depots.__getitem__, stock_depots), dtype=np.int64, count=n) * len(items)
    rows += np.fromiter(map(items.__getitem__, stock_skus), dtype=np.int64, count=n)
    rows.sort()
    return bool((rows[1:] != rows[:-1]).all())
