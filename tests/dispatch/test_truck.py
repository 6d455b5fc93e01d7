"""The truck that leaves with an order: plate, driver and driver's phone given at dispatch, by the
stock writer, the transfer page and the API; a bad phone or an overlong value refused naming it."""

import secrets

import pytest

from relief_stock.auth import operations as auth_ops
from relief_stock.database import atomic
from relief_stock.dispatch import operations, transfers
from relief_stock.errors import BadInput
from relief_stock.extensions import db
from relief_stock.stock import operations as stock_ops
from relief_stock.stock.kinds import TransferStatus
from relief_stock.stock.models import Transfer
from tests.dispatch.helpers import emergency, receive

TRUCK = {"vehicle_plate": "浙A·D2026", "driver_name": "王师傅", "driver_phone": "+86 139-0000-2222"}


@pytest.fixture
def picked(world):
    """An approved order from 330106 to 330102, picked and ready to leave."""
    batch = receive(world, "330106", "QUILT", 10)
    e = emergency(world, user="admin", sites=[("Shangcheng depot", "330102", {"QUILT": (10, 1)})])
    admin = world.users["admin"]
    with atomic():
        (transfer,) = operations.approve(admin, operations.make_plan(admin, e))
        transfers.scan_pick(admin, transfer, batch.code)
    return transfer


def _stored(transfer):
    db.session.expire_all()
    t = db.session.get(Transfer, transfer.id)
    return t.status, {field: getattr(t, field) for field in TRUCK}


def test_the_writer_records_the_truck_with_the_status_change(world, picked):
    with atomic():
        stock_ops.dispatch_transfer(world.users["admin"], picked, **{k: f" {v} " for k, v in TRUCK.items()})
    assert _stored(picked) == (TransferStatus.IN_TRANSIT, TRUCK)


def test_the_writer_refuses_an_overlong_value_and_writes_nothing(world, picked):
    with pytest.raises(BadInput) as refused, atomic():
        stock_ops.dispatch_transfer(world.users["admin"], picked, driver_name="王" * 65)
    assert refused.value.field == "driver_name"
    assert _stored(picked) == (TransferStatus.DRAFT, dict.fromkeys(TRUCK))


def test_dispatching_without_a_truck_keeps_what_the_order_had(world, picked):
    with atomic():
        picked.vehicle_plate = "浙B·12345"
    with atomic():
        stock_ops.dispatch_transfer(world.users["admin"], picked, vehicle_plate="", driver_name="李师傅")
    assert _stored(picked)[1] == {"vehicle_plate": "浙B·12345", "driver_name": "李师傅", "driver_phone": None}


def test_the_transfer_page_takes_the_truck_and_shows_it(client, world, login_as, picked):
    login_as("admin")
    url = f"/dispatch/transfers/{picked.number}"
    assert 'name="driver_phone"' in client.get(url).get_data(as_text=True)
    bad = client.post(
        f"{url}/dispatch",
        data={"form_token": secrets.token_hex(8), **TRUCK, "driver_phone": "139 0000 2222 转 8"},
        headers={"Accept": "application/json"},
    )
    assert bad.status_code == 422 and "driver_phone" in bad.get_json()["errors"]
    page = client.post(
        f"{url}/dispatch", data={"form_token": secrets.token_hex(8), **TRUCK, "driver_phone": "call me"}
    )
    assert page.status_code == 422 and "driver_phone" in page.get_data(as_text=True)
    assert _stored(picked)[0] is TransferStatus.DRAFT
    assert (
        client.post(f"{url}/dispatch", data={**TRUCK, "form_token": secrets.token_hex(8)}).status_code == 303
    )
    assert _stored(picked) == (TransferStatus.IN_TRANSIT, TRUCK)
    shown = client.get(url).get_data(as_text=True)
    assert all(value in shown for value in TRUCK.values())


def test_the_api_takes_the_truck_and_refuses_a_bad_phone(client, world, picked):
    with atomic():
        token = auth_ops.issue_token(world.users["admin"], "api")[1]
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "zh"}
    url = f"/api/v1/transfers/{picked.number}/dispatch"
    bad = client.post(url, json={**TRUCK, "driver_phone": "13900002222x"}, headers=headers)
    assert bad.status_code == 422 and "driver_phone" in bad.json["errors"]["json"]
    assert "电话" in bad.json["errors"]["json"]["driver_phone"][0]  # the message is translated
    assert _stored(picked)[0] is TransferStatus.DRAFT
    done = client.post(url, json=TRUCK, headers=headers)
    assert done.status_code == 200, done.json
    assert {k: done.json[k] for k in TRUCK} == TRUCK and done.json["status"] == "in_transit"
    assert _stored(picked) == (TransferStatus.IN_TRANSIT, TRUCK)
