"""The vehicle types plans are made with, and the trucks a plan sends: reads, admin writes, figures.

The fleet is what an administrator stored on *调度 → 车辆类型* (`vehicle_types`), or, while nothing is
stored, `DISPATCH_VEHICLES` (default: trucks.DEFAULT_VEHICLES, China's light, medium and heavy
trucks). `operations.make_plan` hands it to the planner, which then sources rules 1-3's quantities
for the least truck cost (fleet_plan.py); `record` keeps that run's cost, bound and ton-km baseline
beside the plan, and `summary` gives the plan page its truck figures from the plan's current lines.
Writes flush and leave the commit to the caller.
"""

from collections import Counter
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ..audit import operations as audit
from ..auth.permissions import Action, require
from ..errors import Conflict
from ..extensions import db
from .models import PlanFleet, VehicleType
from .trucks import Vehicle, cheapest_mix, mix_cost, vehicles


def stored() -> list[VehicleType]:
    return list(db.session.scalars(select(VehicleType).order_by(VehicleType.capacity_kg, VehicleType.name)))


def fleet() -> list[Vehicle]:
    """The vehicle types to plan with: the stored ones, else the configured ones ([]: ton-km only)."""
    rows = stored()
    if rows:
        return [Vehicle(r.name, r.capacity_kg, r.capacity_m3, r.fixed_cost, r.cost_per_km) for r in rows]
    return vehicles(current_app.config)


def save(user, *, name, capacity_kg, capacity_m3, fixed_cost, cost_per_km, vehicle_type=None) -> VehicleType:
    """Add a vehicle type, or change `vehicle_type`. Conflict when another type has the name."""
    require(user, Action.MANAGE_NETWORK)
    same = db.session.scalar(select(VehicleType).where(VehicleType.name == name))
    if same is not None and same is not vehicle_type:
        raise Conflict(_("A vehicle type named %(name)s exists already.", name=name), field="name")
    before = _figures(vehicle_type) if vehicle_type is not None else None
    if vehicle_type is None:
        vehicle_type = VehicleType(name=name)
        db.session.add(vehicle_type)
    vehicle_type.name = name
    vehicle_type.capacity_kg, vehicle_type.capacity_m3 = capacity_kg, capacity_m3
    vehicle_type.fixed_cost, vehicle_type.cost_per_km = fixed_cost, cost_per_km
    db.session.flush()
    audit.record(user, "vehicle.save", name, before, _figures(vehicle_type))
    return vehicle_type


def _figures(vehicle_type: VehicleType) -> str:
    """A vehicle type as the audit log shows it: `Light truck: 1500 kg, 8 m3, 300 + 3/km`."""
    v = vehicle_type
    return f"{v.name}: {v.capacity_kg:g} kg, {v.capacity_m3:g} m3, {v.fixed_cost:g} + {v.cost_per_km:g}/km"


def delete(user, vehicle_type: VehicleType) -> None:
    """Remove a vehicle type (plans already made keep their figures)."""
    require(user, Action.MANAGE_NETWORK)
    audit.record(user, "vehicle.delete", vehicle_type.name, _figures(vehicle_type), None)
    db.session.delete(vehicle_type)
    db.session.flush()


def record(plan, result) -> PlanFleet | None:
    """Keep the planner's transport figures for `plan` (None when it planned without vehicles)."""
    solution = result.fleet
    if solution is None:
        return None
    baseline = solution.baseline
    row = PlanFleet(
        plan_id=plan.id,
        cost=solution.cost,
        lower_bound=solution.lower_bound,
        gap=solution.gap,
        baseline_cost=sum(leg.cost for leg in baseline),
        baseline_trucks=sum(sum(leg.vehicles.values()) for leg in baseline),
        baseline_vehicle_km=sum(sum(leg.vehicles.values()) * leg.km for leg in baseline),
        baseline_ton_km=sum(leg.weight_kg / 1000 * leg.km for leg in baseline),
    )
    db.session.add(row)
    return row


@dataclass
class FleetSummary:
    by_type: list[tuple[str, int]]  # (vehicle type, count), most first
    trucks: int
    vehicle_km: float
    tonnes: float
    cost: float
    ton_km: float
    run: PlanFleet | None  # the planner's own figures, when it planned with vehicles
    edited: bool  # the officer changed quantities since

    @property
    def saving(self) -> float | None:
        """What the plan saves against the ton-km plan of the same quantities, as a share of it."""
        if self.run is None or self.run.baseline_cost <= 0:
            return None
        return 1 - self.cost / self.run.baseline_cost


def summary(plan) -> FleetSummary | None:
    """The trucks of the plan's current lines (cheapest mix per depot-to-site leg), with the run's
    gap and the ton-km comparison. None without vehicle types."""
    fleet_now = fleet()
    if not fleet_now:
        return None
    legs: dict[tuple, list] = {}
    for line in plan.lines:
        if line.quantity > 0:
            entry = legs.setdefault((line.from_depot_id, line.site_id), [0.0, 0.0, line.km])
            entry[0] += line.quantity * float(line.item.unit_weight_kg or 0)
            entry[1] += line.quantity * float(line.item.unit_volume_m3 or 0)
    counts, vehicle_km, cost = Counter(), 0.0, 0.0
    for weight, volume, km in legs.values():
        mix = cheapest_mix(max(weight, 1e-9), volume, km, fleet_now)
        counts.update(mix)
        vehicle_km += sum(mix.values()) * km
        cost += mix_cost(mix, km, fleet_now)
    return FleetSummary(
        by_type=counts.most_common(),
        trucks=sum(counts.values()),
        vehicle_km=vehicle_km,
        tonnes=sum(w for w, _v, _k in legs.values()) / 1000,
        cost=cost,
        ton_km=sum(w / 1000 * km for w, _v, km in legs.values()),
        run=db.session.scalar(select(PlanFleet).where(PlanFleet.plan_id == plan.id)),
        edited=any(line.quantity != line.planned_quantity for line in plan.lines),
    )
