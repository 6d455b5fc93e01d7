"""Stock views: by depot (with filters), by item, province-wide by item and tier with stock in
transit apart, their XLSX and CSV exports, and the dashboard panel."""

import csv
import io
from datetime import date, timedelta

from openpyxl import load_workbook

from relief_stock.database import atomic, local_today
from relief_stock.stock import operations as ops
from tests.stock.test_transfers_and_stocktake import make_transfer


def test_depot_stock_filters(client, world, login_as, receive_one):
    soon = receive_one(5, item="WATER", expiry_date=local_today() + timedelta(days=10))
    late = receive_one(7, item="WATER", expiry_date=local_today() + timedelta(days=400))
    quilt = receive_one(20)
    with atomic():
        ops.quarantine(world.users["keeper"], quilt, reason="受潮")
    login_as("auditor")  # every role may read stock
    page = client.get("/depots/330102/stock").get_data(as_text=True)
    assert all(b.code in page for b in (soon, late, quilt))
    page = client.get("/depots/330102/stock?expiring=30").get_data(as_text=True)
    assert soon.code in page and late.code not in page and quilt.code not in page
    page = client.get("/depots/330102/stock?status=quarantined").get_data(as_text=True)
    assert quilt.code in page and soon.code not in page
    page = client.get("/depots/330102/stock?category=water&item=WATER").get_data(as_text=True)
    assert soon.code in page and quilt.code not in page
    response = client.get("/depots/330102/stock?expiring=soon")
    assert response.status_code == 422 and "请输入整数" in response.get_data(as_text=True)
    # The city depot sees its counties' stock with "include the depots below".
    assert soon.code not in client.get("/depots/330100/stock").get_data(as_text=True)
    assert soon.code in client.get("/depots/330100/stock?subtree=1").get_data(as_text=True)


def test_depot_stock_exports_in_chinese(client, world, login_as, receive_one):
    batch = receive_one(12, item="WATER", expiry_date=date(2031, 5, 1), donor_name="某基金会")
    login_as("keeper")
    response = client.get("/depots/330102/stock?format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0][:4] == ["批次", "物资编码", "物资", "数量"]
    assert rows[1][:4] == [batch.code, "WATER", "瓶装水", "12"] and "2031-05-01" in rows[1]
    response = client.get("/depots/330102/stock?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    values = list(sheet.values)
    assert values[0][:3] == ("批次", "物资编码", "物资") and values[1][3] == 12
    assert values[1][6].date() == date(2031, 5, 1)
    assert client.get("/depots/330102/stock?format=pdf").status_code == 404


def test_english_exports_have_english_headers(client, world, login_as, receive_one):
    receive_one(3)
    login_as("keeper")
    client.post("/lang/en")
    response = client.get("/stock?format=csv", headers={"Accept-Language": "en"})
    header = next(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert header[:2] == ["SKU", "Item"] and "County" in header


def test_province_totals_by_item_and_tier_with_transit_apart(client, world, login_as, receive_one):
    receive_one(10)  # county 330102
    city = receive_one(30, depot="330100", user="city-keeper")  # city
    receive_one(100, depot="330000", user="admin")  # province
    receive_one(5, depot="330203", user="ningbo-keeper")  # another county
    transfer, line = make_transfer(world, 10)  # 10 of the city's 30 leave on a truck
    with atomic():
        ops.pick(world.users["city-keeper"], line, city, 10)
        ops.dispatch_transfer(world.users["city-keeper"], transfer)
    login_as("dispatcher")
    response = client.get("/stock?format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.get_data())).active.values)
    header, quilt = rows[0], rows[1]
    assert header[3:9] == ("省级", "市级", "县级", "库存合计", "可用", "在途")
    assert quilt[:1] == ("QUILT",) and quilt[3:9] == (100, 20, 15, 135, 135, 10)
    # Hangzhou and below only.
    rows = list(
        load_workbook(io.BytesIO(client.get("/stock?format=xlsx&under=330100").get_data())).active.values
    )
    assert rows[1][3:7] == (0, 20, 10, 30)
    page = client.get("/stock").get_data(as_text=True)
    assert "棉被" in page and "135" in page
    assert client.get("/stock?under=999999").status_code == 422  # a named filter that names nothing


def test_item_stock_by_depot(client, world, login_as, receive_one):
    receive_one(10)
    receive_one(5, depot="330203", user="ningbo-keeper")
    login_as("auditor")
    page = client.get("/items/QUILT/stock").get_data(as_text=True)
    assert "仓库330102" in page and "仓库330203" in page
    page = client.get("/items/QUILT/stock?under=330100").get_data(as_text=True)
    assert "仓库330102" in page and "仓库330203" not in page
    rows = list(
        csv.reader(io.StringIO(client.get("/items/QUILT/stock?format=csv").get_data().decode("utf-8-sig")))
    )
    assert [r[0] for r in rows[1:]] == ["330102", "330203"]


def test_dashboard_panel_shows_the_keepers_depot_and_the_way_to_scan(client, world, login_as, receive_one):
    receive_one(10)
    receive_one(4, item="WATER", expiry_date=local_today() + timedelta(days=15))
    login_as("keeper")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "/scan" in page and "/depots/330102/receive" in page
    # His depot alone, in tonnes (10 quilts x 2.5 kg + 4 cases x 13.8 kg), never units of two items added.
    assert "（仅本仓）" in page and "0.1 t" in page and '<strong class="big-number">2</strong>' in page
    assert page.index('href="/scan"') < page.index('href="/dashboard"')  # scan comes first in the menu
