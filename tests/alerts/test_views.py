"""Alert pages and API through HTTP: scoped list and filters, acknowledge, run button, norms."""

import secrets
from io import BytesIO

from openpyxl import Workbook
from sqlalchemy import select

from relief_stock.alerts import operations
from relief_stock.alerts.jobs import run_alerts
from relief_stock.alerts.models import Alert, AlertState
from relief_stock.alerts.queries import reserve_floor_map
from relief_stock.database import atomic, local_today
from relief_stock.extensions import db

from .helpers import days, receive


def two_shortfalls(world):
    with atomic():
        for code in ("330102", "330203"):
            operations.set_norm(world.users["admin"], world.items["QUILT"], 10, depot=world.depots[code])
    run_alerts()


def test_list_is_scoped_and_filterable(client, world, login_as):
    two_shortfalls(world)
    receive(world, "330102", "WATER", 3, days(5))
    run_alerts()
    login_as("keeper")
    page = client.get("/alerts/").get_data(as_text=True)
    assert "仓库330102" in page and "仓库330203" not in page
    page = client.get("/alerts/?kind=shortfall").get_data(as_text=True)
    assert "B-" not in page  # the expiring batch is filtered out
    assert client.get("/alerts/?severity=bogus").status_code == 422
    login_as("admin")
    page = client.get("/alerts/?depot=330200").get_data(as_text=True)
    assert "仓库330203" in page and "仓库330102" not in page


def test_acknowledge_through_the_page_and_api(client, world, login_as):
    two_shortfalls(world)
    mine, other = db.session.scalars(select(Alert).order_by(Alert.depot_id)).all()
    login_as("keeper")
    response = client.post(
        f"/alerts/{mine.id}/acknowledge", data={"form_token": secrets.token_hex(8), "note": "补货中"}
    )
    assert response.status_code == 303
    assert client.post(f"/api/v1/alerts/{other.id}/acknowledge", json={}).status_code == 403
    assert client.post("/api/v1/alerts/999999/acknowledge", json={}).status_code == 404
    db.session.expire_all()
    assert (mine.state, mine.note) == (AlertState.ACKNOWLEDGED, "补货中")
    listed = client.get("/api/v1/alerts?state=acknowledged").get_json()
    assert [a["id"] for a in listed] == [mine.id] and listed[0]["acknowledged_by"] == "keeper"


def test_run_button_for_admins(client, world, login_as):
    with atomic():
        operations.set_norm(world.users["admin"], world.items["QUILT"], 10, depot=world.depots["330102"])
    login_as("admin")
    assert client.post("/alerts/run").status_code == 302
    assert db.session.scalar(select(db.func.count(Alert.id))) == 1
    assert client.post("/api/v1/alerts/run").get_json()["created"] == 0


def test_norms_page_form_and_api(client, world, login_as):
    login_as("keeper")
    assert (
        client.post(
            "/alerts/norms",
            data={"form_token": secrets.token_hex(8), "sku": "QUILT", "depot": "330102", "quantity": "25"},
        ).status_code
        == 303
    )
    assert client.get("/alerts/norms").status_code == 200
    response = client.put("/api/v1/norms", json={"sku": "QUILT", "depot": "330102", "quantity": -5})
    assert response.status_code == 422 and "quantity" in response.get_json()["errors"]["json"]
    unknown = client.put("/api/v1/norms", json={"sku": "NOPE", "depot": "330102", "quantity": 5})
    assert unknown.status_code == 422 and "sku" in unknown.get_json()["errors"]
    assert (
        client.put("/api/v1/norms", json={"sku": "WATER", "depot": "330203", "quantity": 5}).status_code
        == 403
    )
    norms = client.get("/api/v1/norms?depot=330102").get_json()
    assert norms == [{"depot": "330102", "sku": "QUILT", "quantity": 25, "source": "depot"}]


def test_xlsx_upload_refused_names_the_row(client, world, login_as):
    book = Workbook()
    for row in (("sku", "depot", "quantity"), ("QUILT", "330102", 5), ("QUILT", "330102", "lots")):
        book.active.append(row)
    data = BytesIO()
    book.save(data)
    data.seek(0)
    login_as("keeper")
    response = client.post(
        "/alerts/norms/import",
        data={"form_token": secrets.token_hex(8), "file": (data, "norms.xlsx")},
        headers={"Referer": "/alerts/norms"},
        follow_redirects=True,
    )
    assert "row 3" in response.get_data(as_text=True) or "第 3 行" in response.get_data(as_text=True)
    assert reserve_floor_map() == {}


def test_cli_run_and_import(runner, world, tmp_path):
    book = Workbook()
    for row in (("sku", "tier", "quantity"), ("QUILT", "county", 5)):
        book.active.append(row)
    path = tmp_path / "norms.xlsx"
    book.save(path)
    result = runner.invoke(args=["alerts", "import-norms", str(path), "--as", "admin"])
    assert result.exit_code == 0 and "1 rows imported" in result.output
    result = runner.invoke(args=["alerts", "import-norms", str(path), "--as", "keeper"])
    assert result.exit_code != 0 and "row 2" in result.output  # tier norms need an administrator
    result = runner.invoke(args=["alerts", "run", "--date", local_today().isoformat()])
    assert result.exit_code == 0 and "3 alerts opened" in result.output  # three counties short of quilts
    assert "0 alerts opened" in runner.invoke(args=["alerts", "run"]).output
