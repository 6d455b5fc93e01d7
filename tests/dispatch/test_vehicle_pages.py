"""Plans made with vehicle types: the figures kept beside a plan, the plan page's truck section, and
the administrators' vehicle types page."""

import secrets

from relief_stock.database import atomic
from relief_stock.dispatch import operations, vehicle_types
from relief_stock.dispatch.models import PlanFleet, VehicleType
from relief_stock.dispatch.trucks import DEFAULT_VEHICLES, cheapest_mix, mix_cost
from relief_stock.extensions import db
from tests.dispatch.helpers import emergency, receive

POINT = (30.30, 120.20)


def make_plan(world, e):
    with atomic():
        return operations.make_plan(world.users["dispatcher"], e)


def test_a_plan_keeps_its_truck_cost_bound_and_ton_km_baseline(world):
    receive(world, "330102", "QUILT", 40)
    receive(world, "330106", "QUILT", 40)
    receive(world, "330106", "WATER", 40, expires_in_days=400)
    e = emergency(world, sites=[("school", POINT, {"QUILT": (30, 1), "WATER": (20, 1)})])
    plan = make_plan(world, e)
    run = db.session.scalar(db.select(PlanFleet).filter_by(plan_id=plan.id))
    assert run is not None and run.gap == 0.0 and run.lower_bound <= run.cost + 1e-6
    assert run.cost <= run.baseline_cost + 1e-6
    summary = vehicle_types.summary(plan)
    assert summary.cost == run.cost and summary.run is run and not summary.edited
    # The cost is the cheapest mix of each depot-to-site leg of the plan's lines.
    legs = {}
    for line in plan.lines:
        w, v, km = legs.get(line.from_depot_id, (0.0, 0.0, line.km))
        legs[line.from_depot_id] = (
            w + line.quantity * float(line.item.unit_weight_kg or 0),
            v + line.quantity * float(line.item.unit_volume_m3 or 0),
            km,
        )
    fleet = list(DEFAULT_VEHICLES)
    assert run.cost == sum(
        mix_cost(cheapest_mix(max(w, 1e-9), v, km, fleet), km, fleet) for w, v, km in legs.values()
    )
    assert summary.trucks == sum(n for _, n in summary.by_type) >= len(legs)


def test_without_vehicle_types_plans_are_by_ton_km_and_keep_no_truck_figures(app, world):
    app.config["DISPATCH_VEHICLES"] = []
    receive(world, "330102", "QUILT", 40)
    e = emergency(world, sites=[("school", POINT, {"QUILT": (30, 1)})])
    plan = make_plan(world, e)
    assert db.session.scalar(db.select(PlanFleet).filter_by(plan_id=plan.id)) is None
    assert vehicle_types.summary(plan) is None


def test_plan_page_shows_trucks_cost_gap_and_the_ton_km_comparison(client, world, login_as):
    receive(world, "330102", "QUILT", 40)
    e = emergency(world, sites=[("school", POINT, {"QUILT": (30, 1)})])
    plan = make_plan(world, e)
    login_as("dispatcher")
    client.post("/lang/en")
    page = client.get(f"/dispatch/plans/{plan.id}").get_data(as_text=True)
    assert "Trucks and transport cost" in page and "Vehicle-km" in page
    assert "Shortest-route plan (least ton-km), same quantities" in page
    assert "Proven the cheapest sourcing of these quantities." in page
    client.post("/lang/zh")
    page = client.get(f"/dispatch/plans/{plan.id}").get_data(as_text=True)
    assert "运输成本" in page


def test_admin_adds_changes_and_removes_vehicle_types(client, world, login_as):
    login_as("admin")
    client.post("/lang/en")
    page = client.get("/dispatch/vehicles").get_data(as_text=True)
    assert "configured default" in page and "heavy truck" in page
    row = {
        "name": "van",
        "capacity_kg": "1200",
        "capacity_m3": "6",
        "fixed_cost": "150",
        "cost_per_km": "1.2",
    }
    assert (
        client.post("/dispatch/vehicles", data={**row, "form_token": secrets.token_hex(8)}).status_code == 303
    )
    (van,) = db.session.scalars(db.select(VehicleType)).all()
    assert (van.name, van.capacity_kg, van.cost_per_km) == ("van", 1200, 1.2)
    assert [v.name for v in vehicle_types.fleet()] == ["van"]  # stored types replace the defaults
    client.post(
        "/dispatch/vehicles",
        data=dict(row, vehicle_id=str(van.id), fixed_cost="180", form_token=secrets.token_hex(8)),
    )
    db.session.refresh(van)
    assert van.fixed_cost == 180
    duplicate = client.post(
        "/dispatch/vehicles", data=dict(row, capacity_kg="900", form_token=secrets.token_hex(8))
    )
    assert duplicate.status_code == 409
    bad = client.post(
        "/dispatch/vehicles", data=dict(row, name="truck", capacity_kg="0", form_token=secrets.token_hex(8))
    )
    assert bad.status_code == 422 and "capacity_kg" in bad.get_data(as_text=True)
    assert (
        client.post(
            f"/dispatch/vehicles/{van.id}/delete", data={"form_token": secrets.token_hex(8)}
        ).status_code
        == 303
    )
    assert db.session.scalars(db.select(VehicleType)).all() == []
    assert (
        client.post("/dispatch/vehicles/999/delete", data={"form_token": secrets.token_hex(8)}).status_code
        == 404
    )
