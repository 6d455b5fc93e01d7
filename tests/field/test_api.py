"""The field app's server side: the depot data it keeps, the stale-data rules, and the transfer steps
it replays, each applied exactly once under its Idempotency-Key."""

from datetime import timedelta

import pytest

from relief_stock.auth.permissions import SYSTEM
from relief_stock.database import atomic, utcnow
from relief_stock.extensions import db
from relief_stock.network import operations as network_ops
from relief_stock.stock import operations as ops
from relief_stock.stock.kinds import MovementKind, TransferStatus
from relief_stock.stock.models import Batch, Movement, Transfer
from relief_stock.stock.reconcile import reconcile
from tests.dispatch.access import _transfer
from tests.test_permission_matrix import Context


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def stamp(hours_ago=0) -> str:
    return (utcnow() - timedelta(hours=hours_ago)).isoformat()


def quantity(batch) -> int:
    db.session.expire_all()
    return db.session.get(Batch, batch.id).quantity


def test_snapshot_holds_batches_items_locations_orders_and_counts(client, world, login_as, receive_one):
    with atomic():
        network_ops.create_location(SYSTEM, world.depots["330102"], "A-01", "货架")
    batch = receive_one(12)
    login_as("keeper")
    data = client.get("/api/v1/field/depots/330102").json
    assert data["depot"]["code"] == "330102" and data["generated_at"]
    (row,) = [b for b in data["batches"] if b["code"] == batch.code]
    assert row["quantity"] == 12 and row["item"] == "QUILT" and row["issuable"] is True
    assert {"sku": "QUILT", "name": "Cotton quilt", "unit": "quilt", "is_perishable": False} in data["items"]
    assert data["locations"] == [{"code": "A-01", "name": "货架"}]
    assert data["stocktakes"] == []
    with atomic():
        blind = ops.open_stocktake(world.users["keeper"], world.depots["330102"], is_blind=True)
    counts = client.get("/api/v1/field/depots/330102").json["stocktakes"]
    assert counts == [{"id": blind.id, "location": None, "is_blind": True}]  # the app hides quantities
    assert client.get("/api/v1/field/depots/330203").status_code == 403  # another keeper's depot


def test_stale_data_refuses_issue_but_accepts_receipt(client, world, login_as, receive_one):
    batch = receive_one(10)
    login_as("keeper")
    old = {"X-Prepared-At": stamp(hours_ago=30), "Idempotency-Key": "k-stale-issue"}
    refused = client.post(f"/api/v1/batches/{batch.code}/issue", json={"quantity": 2}, headers=old)
    assert refused.status_code == 409 and "30 hours" in refused.json["message"] and quantity(batch) == 10
    fresh = {"X-Prepared-At": stamp(hours_ago=2), "Idempotency-Key": "k-fresh-issue"}
    assert (
        client.post(f"/api/v1/batches/{batch.code}/issue", json={"quantity": 2}, headers=fresh).status_code
        == 201
    )
    receipt = client.post(
        "/api/v1/receipts",
        json={"depot": "330102", "source_kind": "purchase", "lines": [{"item": "QUILT", "quantity": 3}]},
        headers={"X-Prepared-At": stamp(hours_ago=300), "Idempotency-Key": "k-old-receipt"},
    )
    assert receipt.status_code == 201  # goods arriving are always recorded
    bad = client.post(
        f"/api/v1/batches/{batch.code}/issue", json={"quantity": 1}, headers={"X-Prepared-At": "yesterday"}
    )
    assert bad.status_code == 422 and "X-Prepared-At" in bad.json["message"]


def test_a_resend_of_an_applied_operation_is_answered_however_old(client, world, login_as, receive_one, app):
    batch = receive_one(10)
    login_as("keeper")
    headers = {"X-Prepared-At": stamp(hours_ago=20), "Idempotency-Key": "k-resend"}
    first = client.post(f"/api/v1/batches/{batch.code}/issue", json={"quantity": 4}, headers=headers)
    app.config["FIELD_MAX_DATA_AGE_HOURS"] = 12  # the limit shrank meanwhile: the resend is no new issue
    again = client.post(f"/api/v1/batches/{batch.code}/issue", json={"quantity": 4}, headers=headers)
    assert first.status_code == again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert quantity(batch) == 6


def test_pick_and_receive_an_order_exactly_once(client, world, login_as, make, app, receive_one):
    ctx = Context(world=world, depot=world.depots["330102"], make=make, app=app)
    transfer = _transfer(ctx)
    batch = db.session.scalar(
        db.select(Batch)
        .where(Batch.depot_id == transfer.from_depot_id, Batch.quantity > 0)
        .order_by(Batch.id)
    )
    login_as("keeper")
    headers = {"Idempotency-Key": "k-pick", "X-Prepared-At": stamp()}
    first = client.post(
        f"/api/v1/transfers/{transfer.number}/pick", json={"code": batch.code}, headers=headers
    )
    again = client.post(
        f"/api/v1/transfers/{transfer.number}/pick", json={"code": batch.code}, headers=headers
    )
    assert first.status_code == again.status_code == 201 and first.json == again.json
    db.session.expire_all()
    order = db.session.get(Transfer, transfer.id)
    assert len(order.lines[0].picks) == 1
    wrong = client.post(f"/api/v1/transfers/{transfer.number}/pick", json={"code": "B-330102-2026-000999-0"})
    assert wrong.status_code == 422
    login_as("ningbo-keeper")
    assert (
        client.post(f"/api/v1/transfers/{transfer.number}/pick", json={"code": batch.code}).status_code == 403
    )


def test_receive_order_through_the_api(client, world, login_as, make, app):
    from tests.dispatch.access import _inbound

    ctx = Context(world=world, depot=world.depots["330102"], make=make, app=app)
    transfer = _inbound(ctx)
    admin = world.users["admin"]
    from relief_stock.dispatch import transfers as dispatch_transfers
    from relief_stock.stock import operations as stock_ops

    with atomic():
        for line in transfer.lines:
            batch = db.session.scalar(
                db.select(Batch).where(
                    Batch.depot_id == transfer.from_depot_id, Batch.item_id == line.item_id
                )
            )
            dispatch_transfers.scan_pick(admin, transfer, batch.code)
        stock_ops.dispatch_transfer(admin, transfer)
    login_as("keeper")
    headers = {"Idempotency-Key": "k-receive"}
    first = client.post(f"/api/v1/transfers/{transfer.number}/receive", json={}, headers=headers)
    again = client.post(f"/api/v1/transfers/{transfer.number}/receive", json={}, headers=headers)
    assert first.status_code == again.status_code == 200 and first.json["status"] == "received"
    ins = db.session.scalars(db.select(Movement).where(Movement.kind == MovementKind.TRANSFER_IN)).all()
    assert len(ins) == sum(len(line.picks) for line in transfer.lines)
    db.session.expire_all()
    assert db.session.get(Transfer, transfer.id).status is TransferStatus.RECEIVED
    assert reconcile() == []


def test_shell_manifest_and_worker(client, world, login_as):
    login_as("keeper")
    page = client.get("/field/").get_data(as_text=True)
    assert 'rel="manifest"' in page and 'data-depot="330102"' in page and "zxing_reader.wasm" in page
    manifest = client.get("/field/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json" and manifest.json["start_url"] == "/field/"
    worker = client.get("/field/sw.js")
    body = worker.get_data(as_text=True)
    assert (
        worker.mimetype == "text/javascript" and "/static/js/field/app.js" in body and "relief-field-" in body
    )
