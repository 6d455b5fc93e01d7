"""Reserve norms: resolution order (depot > tier > population), derived norms, XLSX import."""

from io import BytesIO

import pytest
from openpyxl import Workbook

from relief_stock.alerts import operations
from relief_stock.alerts.imports import import_norms
from relief_stock.alerts.models import ReserveNorm
from relief_stock.alerts.queries import reserve_floor_map
from relief_stock.database import atomic
from relief_stock.errors import BadInput, PermissionDenied
from relief_stock.extensions import db
from relief_stock.network.models import Tier


def ids(world, depot, item):
    return world.depots[depot].id, world.items[item].id


def test_norm_from_population_rounds_up(world):
    admin = world.users["admin"]
    with atomic():  # 3 quilts per 1,000 residents at county depots
        operations.set_standard(admin, world.items["QUILT"], Tier.COUNTY, 3, per_residents=1000)
    floors = reserve_floor_map()
    assert floors[ids(world, "330102", "QUILT")] == 3971  # ceil(1,323,467 * 3 / 1000)
    assert floors[ids(world, "330203", "QUILT")] == 3438  # 1,146,000 * 3 / 1000 exactly
    assert ids(world, "330100", "QUILT") not in floors  # the standard is for counties only


def test_depot_override_beats_tier_beats_population(world):
    admin, quilt = world.users["admin"], world.items["QUILT"]
    with atomic():
        operations.set_standard(admin, quilt, Tier.COUNTY, 3)
        operations.set_norm(admin, quilt, 500, tier=Tier.COUNTY)
        operations.set_norm(admin, quilt, 40, depot=world.depots["330106"])
    floors = reserve_floor_map(item_ids=[quilt.id])
    assert floors[ids(world, "330102", "QUILT")] == 500
    assert floors[ids(world, "330106", "QUILT")] == 40
    with atomic():
        operations.set_norm(admin, quilt, None, tier=Tier.COUNTY)  # remove the tier norm
    floors = reserve_floor_map(depot_ids=[world.depots["330102"].id])
    assert floors == {ids(world, "330102", "QUILT"): 3971}


def test_keeper_sets_own_depot_norm_only(world):
    keeper, quilt = world.users["keeper"], world.items["QUILT"]
    with atomic():
        operations.set_norm(keeper, quilt, 12, depot=world.depots["330102"])
    with pytest.raises(PermissionDenied):
        operations.set_norm(keeper, quilt, 12, depot=world.depots["330106"])
    with pytest.raises(PermissionDenied):
        operations.set_norm(keeper, quilt, 12, tier=Tier.COUNTY)
    with pytest.raises(BadInput):
        operations.set_norm(keeper, quilt, -1, depot=world.depots["330102"])


def sheet(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_import_all_or_nothing_with_row_numbers(world):
    admin = world.users["admin"]
    good = sheet(
        ("sku", "depot", "tier", "quantity"), ("QUILT", "330102", None, 10), ("WATER", None, "county", 20)
    )
    with atomic():
        assert import_norms(admin, good) == 2
    assert reserve_floor_map()[ids(world, "330203", "WATER")] == 20

    bad = sheet(
        ("sku", "depot", "tier", "quantity"),
        ("QUILT", "330106", None, 7),
        ("NOPE", "330102", None, 1),
        ("QUILT", "330102", "county", 1),
        ("QUILT", "999999", None, 1),
        ("QUILT", "330102", None, "many"),
    )
    with pytest.raises(BadInput) as refused:
        with atomic():
            import_norms(admin, bad)
    assert sorted(refused.value.errors) == ["row 3", "row 4", "row 5", "row 6"]
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(ReserveNorm.id))) == 2  # row 2 was not kept


def test_xlsx_import_refuses_non_workbook(world):
    with pytest.raises(BadInput):
        import_norms(world.users["admin"], b"sku,depot,quantity\n")
