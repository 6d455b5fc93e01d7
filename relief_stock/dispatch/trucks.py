"""Truckloads: shipments from one depot to one site, consolidated by weight and volume.

Vehicle types are data (`DISPATCH_VEHICLES` in the app config overrides `DEFAULT_VEHICLES`); travel
time is road distance / `DISPATCH_SPEED_KMH`. Pure functions: the plan page and the tests call
`load_trucks` and `cheapest_mix` on plain numbers.

`cheapest_mix` is what the plan page shows and what the vehicle-aware planner (fleet_plan.py)
minimises: the set of vehicles whose summed capacity covers a leg's weight and volume at least cost, each vehicle
costing its fixed cost plus its cost per km times the leg's road km. A plan's transport cost is the
sum of `cheapest_mix` over its depot-to-site legs, so anyone can recompute it from the shipments.
"""

import itertools
import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Vehicle:
    """A vehicle type. Costs in yuan: `fixed_cost` per vehicle sent (driver, loading, the day),
    `cost_per_km` per road km (fuel, tolls, wear)."""

    name: str
    payload_kg: float
    volume_m3: float
    fixed_cost: float = 0.0
    cost_per_km: float = 0.0

    def trip_cost(self, km: float) -> float:
        return self.fixed_cost + self.cost_per_km * km


# China's common relief trucks: 4.2 m light truck, 6.8 m medium, 9.6 m heavy. Costs are rough
# hire rates (driver and loading per trip, fuel and expressway tolls per km); set your own.
DEFAULT_VEHICLES = (
    Vehicle("light truck (4.5 t, 20 m³)", 4500, 20, 400, 2.5),
    Vehicle("medium truck (10 t, 45 m³)", 10000, 45, 600, 4.0),
    Vehicle("heavy truck (20 t, 70 m³)", 20000, 70, 900, 6.0),
)
DEFAULT_SPEED_KMH = 50.0


def vehicles(config=None) -> list[Vehicle]:
    configured = (config or {}).get("DISPATCH_VEHICLES")
    if configured is None:
        return list(DEFAULT_VEHICLES)
    return [v if isinstance(v, Vehicle) else Vehicle(**v) for v in configured]


@dataclass(frozen=True)
class Load:
    trucks: list[str]  # vehicle names, one entry per truck
    weight_kg: float
    volume_m3: float
    hours: float


def load_trucks(
    weight_kg: float, volume_m3: float, km: float, fleet: list[Vehicle], speed_kmh: float = DEFAULT_SPEED_KMH
) -> Load:
    """The trucks one depot-to-site shipment needs (its cheapest mix, largest first) and the drive time."""
    mix = cheapest_mix(weight_kg, volume_m3, km, fleet)
    largest_first = sorted(fleet, key=lambda v: (-v.payload_kg, -v.volume_m3))
    trucks = [v.name for v in largest_first for _ in range(mix.get(v.name, 0))]
    return Load(trucks, weight_kg, volume_m3, km / speed_kmh)


# A mix is enumerated over every type but the largest; beyond this many combinations a leg's load
# is too large for a quick exact answer and the caller is told.
MAX_MIX_COMBINATIONS = 4_000_000


def cheapest_mix(weight_kg: float, volume_m3: float, km: float, fleet: list[Vehicle]) -> dict[str, int]:
    """The least-cost {vehicle name: count} whose capacities cover `weight_kg` and `volume_m3`.

    Exact: every count of the smaller types is tried (numpy grid), the largest type takes what
    remains; ties go to fewer vehicles, then to the earlier combination. A leg that carries
    anything gets at least one vehicle, even for goods of no recorded weight or volume.
    """
    if weight_kg <= 0 and volume_m3 <= 0:
        return {}
    fleet = sorted(fleet, key=lambda v: (v.payload_kg, v.volume_m3))
    trips = [v.trip_cost(km) for v in fleet]
    sizes = [_most_worth(t, weight_kg, volume_m3, fleet, trips) + 1 for t in range(len(fleet) - 1)]
    combinations = math.prod(sizes)
    if combinations > MAX_MIX_COMBINATIONS:
        raise ValueError(f"a leg of {weight_kg:.0f} kg is too large to price exactly")
    if combinations <= SMALL_GRID:
        return _small_mix(weight_kg, volume_m3, fleet, trips, sizes)
    grids = np.meshgrid(*[np.arange(n) for n in sizes], indexing="ij") if sizes else []
    counts = [g.ravel() for g in grids]
    shape = counts[0].shape if counts else (1,)
    carried_w = sum((c * v.payload_kg for c, v in zip(counts, fleet)), np.zeros(shape))
    carried_v = sum((c * v.volume_m3 for c, v in zip(counts, fleet)), np.zeros(shape))
    last = fleet[-1]
    rest = np.maximum(
        np.ceil(
            np.maximum((weight_kg - carried_w) / last.payload_kg, (volume_m3 - carried_v) / last.volume_m3)
            - 1e-9
        ),
        0,
    ).astype(np.int64)
    counts.append(rest)
    cost = sum((c * trip for c, trip in zip(counts, trips)), np.zeros(shape))
    total = sum(counts, np.zeros(shape, dtype=np.int64))
    cost = np.where(total > 0, cost, np.inf)
    best = np.lexsort((total, np.round(cost, 6)))[0]
    return {v.name: int(c[best]) for c, v in zip(counts, fleet) if int(c[best])}


SMALL_GRID = 256  # below this many combinations plain Python beats numpy's set-up cost


def _small_mix(weight_kg, volume_m3, fleet, trips, sizes) -> dict[str, int]:
    """cheapest_mix by plain loops, same order and tie-breaks as the numpy grid."""
    last = fleet[-1]
    best = None
    for counts in itertools.product(*[range(n) for n in sizes]):
        carried_w = sum(c * v.payload_kg for c, v in zip(counts, fleet))
        carried_v = sum(c * v.volume_m3 for c, v in zip(counts, fleet))
        rest = max(
            math.ceil(
                max((weight_kg - carried_w) / last.payload_kg, (volume_m3 - carried_v) / last.volume_m3)
                - 1e-9
            ),
            0,
        )
        full = (*counts, rest)
        total = sum(full)
        if not total:
            continue
        key = (round(sum(c * t for c, t in zip(full, trips)), 6), total)
        if best is None or key < best[0]:
            best = (key, full)
    return {v.name: c for c, v in zip(best[1], fleet) if c}


def _most_worth(t: int, weight_kg: float, volume_m3: float, fleet: list[Vehicle], trips: list[float]) -> int:
    """How many vehicles of type t a cheapest mix needs at most. Never more than carry the whole
    load alone; and if m of them cost at least one vehicle u that holds as much as all m, some
    cheapest mix has fewer than m (swap m of t for one u: no dearer, carries no less)."""
    v = fleet[t]
    bound = max(math.ceil(max(weight_kg / v.payload_kg, volume_m3 / v.volume_m3) - 1e-9), 1)
    for u, other in enumerate(fleet):
        if u == t or trips[t] <= 0:
            continue
        m = max(math.ceil(trips[u] / trips[t] - 1e-12), 1)
        if m * v.payload_kg <= other.payload_kg and m * v.volume_m3 <= other.volume_m3 and (m > 1 or u > t):
            bound = min(bound, m - 1)
    return bound


def mix_cost(mix: dict[str, int], km: float, fleet: list[Vehicle]) -> float:
    by_name = {v.name: v for v in fleet}
    return float(sum(n * by_name[name].trip_cost(km) for name, n in mix.items()))
