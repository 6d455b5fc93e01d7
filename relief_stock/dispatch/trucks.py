"""Truckloads: shipments from one depot to one site, consolidated by weight and volume.

Vehicle types are data (`DISPATCH_VEHICLES` in the app config overrides `DEFAULT_VEHICLES`); travel
time is road distance / `DISPATCH_SPEED_KMH`. Pure functions: the plan page and the tests call
`load_trucks` on plain numbers.

The loading rule is simple and explainable: as few trucks as the largest type allows for both the
weight and the volume; the last truck is the smallest type that still carries what is left.
"""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Vehicle:
    name: str
    payload_kg: float
    volume_m3: float


DEFAULT_VEHICLES = (
    Vehicle("light truck (4.5 t, 20 m³)", 4500, 20),
    Vehicle("medium truck (10 t, 45 m³)", 10000, 45),
    Vehicle("heavy truck (20 t, 70 m³)", 20000, 70),
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
    """The trucks one depot-to-site shipment needs and how long the drive takes."""
    if weight_kg <= 0 and volume_m3 <= 0:
        return Load([], 0.0, 0.0, km / speed_kmh)
    ordered = sorted(fleet, key=lambda v: (v.payload_kg, v.volume_m3))
    largest = ordered[-1]
    count = max(math.ceil(weight_kg / largest.payload_kg), math.ceil(volume_m3 / largest.volume_m3))
    # count - 1 full large trucks; what is left (never more than one large truck holds) goes in the
    # smallest type that carries it.
    rest_w = max(weight_kg - (count - 1) * largest.payload_kg, 0.0)
    rest_v = max(volume_m3 - (count - 1) * largest.volume_m3, 0.0)
    last = next(v for v in ordered if v.payload_kg >= rest_w and v.volume_m3 >= rest_v)
    trucks = [largest.name] * (count - 1) + [last.name]
    return Load(trucks, weight_kg, volume_m3, km / speed_kmh)
