"""The emergency response report: what went where and when, fill rate per category, times from the
emergency to dispatch and receipt; scoped to the emergency's area."""

import io

from openpyxl import load_workbook

from relief_stock.dashboard.emergency_report import emergency_report
from relief_stock.dashboard.scope import Scope
from relief_stock.database import atomic
from relief_stock.dispatch import operations, transfers
from relief_stock.stock import operations as stock_ops
from tests.dispatch.helpers import emergency, receive

SCHOOL = (30.30, 120.20)


def responded(world):
    """An emergency served by two transfer orders: one received two cases short, one delivered."""
    water = receive(world, "330102", "WATER", 30, expires_in_days=300)
    quilts = receive(world, "330102", "QUILT", 8)
    e = emergency(
        world, sites=[("county depot", "330106", {"WATER": (25, 1)}), ("school", SCHOOL, {"QUILT": (10, 1)})]
    )
    with atomic():
        plan = operations.make_plan(world.users["dispatcher"], e)
    with atomic():
        orders = operations.approve(world.users["dispatcher"], plan)
    keeper = world.users["keeper"]
    by_site = {t.to_depot.code if t.to_depot else "school": t for t in orders}
    with atomic():
        transfers.scan_pick(keeper, by_site["330106"], water.code)
        stock_ops.dispatch_transfer(keeper, by_site["330106"])
        transfers.scan_pick(keeper, by_site["school"], quilts.code)
        stock_ops.dispatch_transfer(keeper, by_site["school"])
    (line,) = by_site["330106"].lines
    with atomic():
        stock_ops.receive_transfer(
            world.users["admin"], by_site["330106"], {line.picks[0].id: (23, 0)}, reason="2 short"
        )
        stock_ops.deliver_transfer(keeper, by_site["school"])
    return e


def test_what_went_where_fill_rates_and_times(world):
    e = responded(world)
    report = emergency_report(Scope(world.depots["330100"], True), e.id)
    rows = {row[2]: row for row in report.rows}
    assert set(rows) == {"仓库330106", "school"}
    assert rows["仓库330106"][4:7] == [25, 25, 23]
    assert rows["school"][4:7] == [8, 8, 8]
    assert all(row[8].endswith(" h") and row[9].endswith(" h") for row in report.rows)
    notes = " ".join(report.notes)
    # Water: 23 of 25 arrived; bedding: 8 quilts of the 10 needed (only 8 in stock).
    assert "92%" in notes and "80%" in notes


def test_the_report_file_and_its_scope(world, client, login_as):
    e = responded(world)
    login_as("dispatcher")
    response = client.get(f"/reserve/330100/reports/emergency?emergency={e.id}&format=xlsx&lang=en")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Emergency response report"
    assert any(r and r[2] == "school" and r[6] == 8 for r in rows)
    assert client.get("/reserve/330100/reports/emergency?format=pdf").status_code == 422
    assert client.get("/reserve/330100/reports/emergency?emergency=999999").status_code == 404
    login_as("keeper")  # a keeper's own depot is no area an emergency covers
    assert client.get(f"/reserve/330102/reports/emergency?emergency={e.id}").status_code == 403
