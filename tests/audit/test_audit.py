"""The audit log: every admin and norm change (users, roles, depots and their parents, norms, the
catalogue, relief categories, vehicle types) is recorded with who, before and after, in the same
transaction; auditors and administrators read them. Operations decide access themselves: a caller
that skips the page still cannot change what its user may not."""

import pytest
from sqlalchemy import select

from relief_stock.alerts import operations as alert_ops
from relief_stock.audit.models import AuditEntry
from relief_stock.auth import operations as auth_ops
from relief_stock.auth.models import Role
from relief_stock.database import atomic
from relief_stock.errors import BadInput
from relief_stock.extensions import db
from relief_stock.network import operations as network_ops
from relief_stock.network.models import Tier


def _entries():
    """The entries made by the test (the world's set-up is recorded too, as done by the system)."""
    return [
        (e.user.username if e.user else None, e.action, e.target, e.before, e.after)
        for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.user_id.is_not(None)).order_by(AuditEntry.id)
        )
    ]


def test_norm_role_and_parent_changes_are_recorded(app, world):
    admin, quilt = world.users["admin"], world.items["QUILT"]
    with atomic():
        alert_ops.set_norm(admin, quilt, 40, depot=world.depots["330102"])
        alert_ops.set_norm(admin, quilt, 40, depot=world.depots["330102"])  # no change: no entry
        alert_ops.set_norm(admin, quilt, 500, tier=Tier.COUNTY)
        alert_ops.set_norm(admin, quilt, None, depot=world.depots["330102"])
        auth_ops.update_user_from(
            admin, world.users["keeper"], {"role": "dispatcher", "depot_code": "330100"}
        )
        network_ops.update_depot(admin, world.depots["330106"], parent=world.depots["330200"])
    assert _entries() == [
        ("admin", "norm.set", "QUILT @ 330102", None, "40"),
        ("admin", "norm.set", "QUILT @ county", None, "500"),
        ("admin", "norm.set", "QUILT @ 330102", "40", None),
        ("admin", "user.role", "keeper", "keeper", "dispatcher"),
        ("admin", "user.depot", "keeper", "330102", "330100"),
        ("admin", "depot.parent", "330106", "330100", "330200"),
    ]


def test_a_refused_change_leaves_no_entry(app, world):
    with pytest.raises(BadInput), atomic():
        alert_ops.set_norm(world.users["admin"], world.items["QUILT"], -1, depot=world.depots["330102"])
    assert _entries() == []


def test_auditors_read_the_log_keepers_do_not(client, world, login_as):
    with atomic():
        alert_ops.set_norm(world.users["admin"], world.items["QUILT"], 12, depot=world.depots["330102"])
    login_as("auditor")
    page = client.get("/audit/?action=norm.set").get_data(as_text=True)
    assert "QUILT @ 330102" in page and "admin" in page
    login_as("keeper")
    assert client.get("/audit/").status_code == 403


def test_depot_user_catalogue_category_and_vehicle_changes_are_recorded(app, world):
    from relief_stock.catalogue import importing
    from relief_stock.catalogue import operations as catalogue_ops
    from relief_stock.dispatch import categories, vehicle_types

    admin = world.users["admin"]
    with atomic():
        network_ops.create_depot(
            admin,
            code="330108",
            tier=Tier.COUNTY,
            parent=world.depots["330100"],
            name_zh="滨江",
            name_en="Binjiang",
        )
        network_ops.set_depot_active(admin, world.depots["330106"], False)
        auth_ops.update_user(admin, world.users["keeper"], password="a-new-password")
        catalogue_ops.update_item(
            admin, world.items["QUILT"], unit_weight_kg=3, name_zh=world.items["QUILT"].name_zh
        )
        row = "TARP,篷布,Tarpaulin,shelter,块,piece,2.5,0.01,no,,0,"
        csv = ",".join(importing.COLUMNS) + "\n" + row + "\n"
        importing.import_catalogue(admin, csv.encode(), "tarps.csv")
        truck = vehicle_types.save(
            admin, name="van", capacity_kg=1200, capacity_m3=6, fixed_cost=150, cost_per_km=2
        )
        vehicle_types.save(
            admin,
            vehicle_type=truck,
            name="van",
            capacity_kg=1200,
            capacity_m3=6,
            fixed_cost=180,
            cost_per_km=2,
        )
        vehicle_types.delete(admin, truck)
        categories.import_file(
            admin,
            "code,name_zh,name_en,unit_zh,unit_en,amount,basis,priority,standard_zh,standard_en\n"
            "SLEEP,寝具,Bedding,份,set,1,person,1,每人一份,One per person\n".encode(),
            "relief_categories.csv",
        )
        categories.update_category(
            admin, categories.category_by_code("SLEEP"), amount=2, priority=2, members={}
        )
    entries = _entries()
    assert ("admin", "depot.create", "330108", None, "county @330100") in entries
    assert ("admin", "depot.active", "330106", "True", "False") in entries
    assert ("admin", "user.password", "keeper", None, "*") in entries
    assert ("admin", "item.update", "QUILT", "unit_weight_kg=2.5", "unit_weight_kg=3") in entries
    assert ("admin", "catalogue.import", "tarps.csv", None, "+1 ~0") in entries
    assert ("admin", "vehicle.save", "van", None, "van: 1200 kg, 6 m3, 150 + 2/km") in entries
    assert (
        "admin",
        "vehicle.save",
        "van",
        "van: 1200 kg, 6 m3, 150 + 2/km",
        "van: 1200 kg, 6 m3, 180 + 2/km",
    ) in entries
    assert ("admin", "vehicle.delete", "van", "van: 1200 kg, 6 m3, 180 + 2/km", None) in entries
    assert ("admin", "category.import", "relief_categories.csv", None, "1") in entries
    assert ("admin", "category.set", "SLEEP", "1 per person, P1; ", "2 per person, P2; ") in entries


def test_changes_from_the_command_line_are_recorded_as_the_system(app, world):
    from relief_stock.auth.permissions import SYSTEM

    with atomic():
        auth_ops.create_user(
            SYSTEM, username="ops", display_name="ops", password="password-123", role=Role.ADMIN
        )
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.target == "ops"))
    assert (entry.user_id, entry.action, entry.after) == (None, "user.create", "admin")


def test_auditors_see_admin_changes_with_who_made_them(client, world, login_as):
    from relief_stock.dispatch import vehicle_types

    with atomic():
        vehicle_types.save(
            world.users["admin"], name="van", capacity_kg=1200, capacity_m3=6, fixed_cost=150, cost_per_km=2
        )
    login_as("auditor")
    page = client.get("/audit/?action=vehicle.save", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Vehicle type added or changed" in page and "van: 1200 kg" in page and "admin" in page
    page = client.get("/audit/?action=depot.create").get_data(as_text=True)
    assert "新建仓库" in page and "系统（命令行）" in page  # the world was set up by the system


@pytest.mark.parametrize(
    "who, change",
    [
        (
            "keeper",
            lambda w: network_ops.create_depot(
                w.users["keeper"], code="330109", tier=Tier.COUNTY, parent=w.depots["330100"]
            ),
        ),
        (
            "dispatcher",
            lambda w: network_ops.set_depot_active(w.users["dispatcher"], w.depots["330106"], False),
        ),
        ("keeper", lambda w: network_ops.create_location(w.users["keeper"], w.depots["330203"], "X-01")),
        ("dispatcher", lambda w: _catalogue().create_item(w.users["dispatcher"], sku="TARP", name_zh="篷布")),
        ("keeper", lambda w: _catalogue().update_item(w.users["keeper"], w.items["QUILT"], notes="x")),
        ("keeper", lambda w: auth_ops.update_user(w.users["keeper"], w.users["dispatcher"], locale="en")),
        ("keeper", lambda w: auth_ops.update_user(w.users["keeper"], w.users["keeper"], role=Role.ADMIN)),
        ("keeper", lambda w: auth_ops.issue_token(w.users["keeper"], "x", for_user=w.users["admin"])),
        ("dispatcher", lambda w: _categories().import_file(w.users["dispatcher"], b"code\n", "x.csv")),
        (
            "dispatcher",
            lambda w: _vehicles().save(
                w.users["dispatcher"], name="v", capacity_kg=1, capacity_m3=1, fixed_cost=0, cost_per_km=0
            ),
        ),
    ],
)
def test_operations_decide_access_themselves(app, world, who, change):
    """Called without any page in front (a script, a new API endpoint), an operation still refuses
    a user who may not make the change, and writes nothing."""
    from relief_stock.errors import PermissionDenied

    with pytest.raises(PermissionDenied), atomic():
        change(world)
    assert _entries() == []


def test_a_user_changes_his_own_language_but_nothing_else_of_his_account(app, world):
    keeper = world.users["keeper"]
    with atomic():
        auth_ops.update_user(keeper, keeper, locale="en")
    assert keeper.locale == "en" and _entries() == []


def _catalogue():
    from relief_stock.catalogue import operations

    return operations


def _categories():
    from relief_stock.dispatch import categories

    return categories


def _vehicles():
    from relief_stock.dispatch import vehicle_types

    return vehicle_types
