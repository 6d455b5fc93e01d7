"""The dispatch pages over HTTP: a dispatch officer from a new emergency to approved transfer orders,
and the keepers' picking, dispatch and receipt on the transfer page (Chinese and English)."""

import re
import secrets

from relief_stock.dispatch.models import Emergency
from relief_stock.extensions import db
from relief_stock.stock.kinds import TransferStatus
from relief_stock.stock.models import Transfer
from tests.dispatch.helpers import receive


def test_officer_goes_from_emergency_to_transfer_orders(client, world, login_as):
    receive(world, "330102", "QUILT", 100)
    water = receive(world, "330102", "WATER", 500, expires_in_days=300)
    login_as("dispatcher")
    page = client.get("/dispatch/").get_data(as_text=True)
    assert "新建突发事件" in page or "New emergency" in page
    response = client.post(
        "/dispatch/emergencies",
        data={
            "name": "台风烟花",
            "kind": "typhoon",
            "response_level": "3",
            "days_to_cover": "2",
            "form_token": "emergency-1",
        },
    )
    assert response.status_code == 303
    again = client.post(  # a double tap on a slow network: the same token opens no second emergency
        "/dispatch/emergencies",
        data={"name": "台风烟花", "kind": "typhoon", "response_level": "3", "form_token": "emergency-1"},
    )
    assert again.status_code == 303 and again.location == response.location
    assert len(db.session.scalars(db.select(Emergency)).all()) == 1
    e = db.session.scalar(db.select(Emergency))
    url = f"/dispatch/emergencies/{e.id}"
    assert (
        client.post(
            f"{url}/sites",
            data={
                "name": "体育馆安置点",
                "lat": "30.30",
                "lng": "120.20",
                "population": "60",
                "households": "20",
                "form_token": secrets.token_hex(8),
            },
        ).status_code
        == 303
    )
    site_id = e.sites[0].id
    assert (
        client.post(
            f"{url}/needs",
            data={
                "form_token": secrets.token_hex(8),
                "site_id": site_id,
                "sku": "QUILT",
                "quantity": "40",
                "priority": "1",
            },
        ).status_code
        == 303
    )
    assert (
        client.post(
            f"{url}/needs",
            data={
                "form_token": secrets.token_hex(8),
                "site_id": site_id,
                "sku": "WATER",
                "quantity": "30",
                "priority": "1",
            },
        ).status_code
        == 303
    )
    page = client.get(url).get_data(as_text=True)
    assert "体育馆安置点" in page and "手工录入" in page
    response = client.post(f"{url}/plan", data={"form_token": secrets.token_hex(8)})
    assert response.status_code == 303
    plan_url = response.headers["Location"]
    page = client.get(plan_url).get_data(as_text=True)
    assert "<svg" in page and "完全满足" in page and "330102" in page
    response = client.post(
        f"{plan_url}/approve",
        data={"form_token": secrets.token_hex(8), "note": "同意"},
        follow_redirects=True,
    )
    assert "调拨单" in response.get_data(as_text=True)
    (transfer,) = db.session.scalars(db.select(Transfer)).all()
    # The issuing keeper scans the water batch; a made-up code is refused with a 422-style flash.
    client.post("/logout")
    login_as("keeper")
    number = transfer.number
    refused = client.post(
        f"/dispatch/transfers/{number}/pick",
        data={"form_token": secrets.token_hex(8), "code": "B-330102-2026-999999-X"},
        headers={"Referer": f"/dispatch/transfers/{number}"},
    )
    assert refused.status_code == 302
    assert (
        client.post(
            f"/dispatch/transfers/{number}/pick",
            data={"form_token": secrets.token_hex(8), "code": water.code},
        ).status_code
        == 303
    )
    quilt = db.session.scalar(db.select(Transfer).where(Transfer.id == transfer.id)).lines
    page = client.get(f"/dispatch/transfers/{number}").get_data(as_text=True)
    batch_code = re.search(r"(B-330102-\d{4}-\d{6}-[0-9A-Z])", page.split("先到期先出")[-1])
    assert batch_code, "the picking page suggests the next batch"
    client.post(
        f"/dispatch/transfers/{number}/pick",
        data={"form_token": secrets.token_hex(8), "code": batch_code.group(1)},
    )
    assert (
        client.post(
            f"/dispatch/transfers/{number}/dispatch", data={"form_token": secrets.token_hex(8)}
        ).status_code
        == 303
    )
    db.session.expire_all()
    assert db.session.get(Transfer, transfer.id).status is TransferStatus.IN_TRANSIT
    assert quilt  # two lines: quilts and water
    # The site is no depot: the dispatcher records the delivery.
    client.post("/logout")
    login_as("dispatcher")
    delivered = {"form_token": secrets.token_hex(8), "note": "已发放"}
    assert client.post(f"/dispatch/transfers/{number}/deliver", data=delivered).status_code == 303
    db.session.expire_all()
    assert db.session.get(Transfer, transfer.id).status is TransferStatus.DELIVERED


def test_english_plan_page(client, world, login_as):
    receive(world, "330102", "QUILT", 10)
    login_as("dispatcher")
    client.post("/lang/en")
    client.post(
        "/dispatch/emergencies",
        data={"name": "Flood drill", "kind": "drill", "response_level": "4", "form_token": "drill-1"},
    )
    e = db.session.scalar(db.select(Emergency))
    client.post(
        f"/dispatch/emergencies/{e.id}/sites",
        data={"depot": "330106", "population": "30", "form_token": "site-1"},
    )
    client.post(
        f"/dispatch/emergencies/{e.id}/needs",
        data={
            "form_token": secrets.token_hex(8),
            "site_id": e.sites[0].id,
            "sku": "QUILT",
            "quantity": "20",
            "priority": "1",
        },
    )
    plan_url = client.post(
        f"/dispatch/emergencies/{e.id}/plan", data={"form_token": secrets.token_hex(8)}
    ).headers["Location"]
    page = client.get(plan_url).get_data(as_text=True)
    assert "reserves held" in page and "Drill" in page and "limited by supply: proportional share" in page
    assert "Trucks and arrival" in page


def test_bad_form_input_is_refused_with_the_field_named(client, world, login_as):
    login_as("dispatcher")
    response = client.post(
        "/dispatch/emergencies",
        data={"form_token": secrets.token_hex(8), "name": "x", "kind": "meteor", "response_level": "9"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 422 and "kind" in response.get_json()["errors"]


def test_receiving_keeper_scans_the_manifest_qr_and_records_a_shortage(client, world, login_as):
    from relief_stock.database import atomic
    from relief_stock.dispatch import operations, transfers
    from relief_stock.stock import operations as stock_ops
    from tests.dispatch.helpers import emergency

    batch = receive(world, "330106", "QUILT", 10)
    e = emergency(world, user="admin", sites=[("Shangcheng depot", "330102", {"QUILT": (10, 1)})])
    admin = world.users["admin"]
    with atomic():
        (transfer,) = operations.approve(admin, operations.make_plan(admin, e))
        transfers.scan_pick(admin, transfer, batch.code)
        stock_ops.dispatch_transfer(admin, transfer)
    number = transfer.number
    login_as("keeper")  # the keeper of 330102, the receiving depot
    landed = client.get(f"/t/{number}", follow_redirects=True)
    assert f"/dispatch/transfers/{number}" in landed.request.path
    assert 'name="reason"' in landed.get_data(as_text=True)
    pick_id = transfer.lines[0].picks[0].id
    response = client.post(
        f"/dispatch/transfers/{number}/receive",
        data={
            "form_token": secrets.token_hex(8),
            f"received_{pick_id}": "8",
            f"damaged_{pick_id}": "1",
            "reason": "淋雨受潮1床，短少1床",
        },
    )
    assert response.status_code == 303
    db.session.expire_all()
    received = db.session.get(Transfer, transfer.id)
    assert received.status is TransferStatus.RECEIVED
    pick = received.lines[0].picks[0]
    assert (pick.received_quantity, pick.damaged_quantity, pick.received_batch.quantity) == (8, 1, 8)


def test_the_officer_sets_the_minimum_lot_and_sees_what_it_held_back(client, world, login_as):
    from relief_stock.dispatch.models import Plan
    from tests.dispatch.helpers import emergency

    receive(world, "330102", "QUILT", 10)  # Hangzhou: within 50 km of the site
    receive(world, "330203", "QUILT", 40)  # Ningbo: 100 kg, some 180 road km away
    e = emergency(world, user="province-dispatcher", sites=[("gym", (30.3, 120.2), {"QUILT": (50, 1)})])
    login_as("province-dispatcher")
    url = f"/dispatch/emergencies/{e.id}"
    form = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'name="min_lot_kg"' in form and 'value="500"' in form and "within 50 km of a site" in form

    made = client.post(f"{url}/plan", data={"form_token": secrets.token_hex(8), "min_lot_kg": "500"})
    plan = db.session.get(Plan, int(made.headers["Location"].rsplit("/", 1)[1]))
    assert (plan.min_lot_kg, plan.min_lot_beyond_km) == (500, 50)
    assert plan.held_back == [{"depot": "330203", "sku": "QUILT", "units": 40, "kg": 100.0}]
    assert {line.from_depot.code for line in plan.lines} == {"330102"}
    (outcome,) = plan.outcomes
    assert (outcome.planned, outcome.limited_by.value, outcome.held_back, outcome.if_lots_drawn) == (
        10,
        "min_lot",
        40,
        50,
    )
    page = client.get(made.headers["Location"], headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "minimum lot 500 kg beyond 50 km of a site" in page and "Held back by the minimum lot" in page
    assert "1 depots hold less than 500 kg" in page and "0.1 t" in page and "330203" in page
    assert "minimum lot: small lots of far depots held back" in page
    assert "held back 40 quilt across the network; drawing on those depots would add 40 quilt" in page
    assert "second wave as a new emergency" in page
    zh = client.get(made.headers["Location"], headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "因最小起运量未调用的库存" in zh and "最小起运量 500 千克" in zh and "第二批" in zh

    refused = client.post(
        f"{url}/plan",
        data={"form_token": secrets.token_hex(8), "min_lot_kg": "-5"},
        headers={"Accept": "application/json"},
    )
    assert refused.status_code == 422 and "min_lot_kg" in refused.get_json()["errors"]
    assert len(e.plans) == 1

    again = client.post(f"{url}/plan", data={"form_token": secrets.token_hex(8), "min_lot_kg": "0"})
    every = db.session.get(Plan, int(again.headers["Location"].rsplit("/", 1)[1]))
    assert (every.min_lot_kg, every.held_back) == (0, None)
    assert {line.from_depot.code for line in every.lines} == {"330102", "330203"}
    page = client.get(again.headers["Location"], headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "every depot drawn on" in page and "Held back by the minimum lot" not in page
    form = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'name="min_lot_kg" type="number" min="0" max="100000" step="any" value="0"' in form
