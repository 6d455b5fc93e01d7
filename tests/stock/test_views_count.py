"""Stocktake pages: open a count, enter counts on the sheet and by scanning, see the differences,
post them in one step."""

import uuid

from relief_stock.auth.permissions import SYSTEM
from relief_stock.database import atomic
from relief_stock.extensions import db
from relief_stock.network import operations as network_ops
from relief_stock.stock.kinds import MovementKind, StocktakeStatus
from relief_stock.stock.models import Batch, Movement, Stocktake
from relief_stock.stock.reconcile import reconcile


def token():
    return uuid.uuid4().hex


def test_count_a_depot_and_post_the_differences(client, world, login_as, receive_one):
    first, second, third = receive_one(10), receive_one(5), receive_one(7)
    login_as("keeper")
    response = client.post("/depots/330102/counts", data={"form_token": token()})
    count = db.session.scalar(db.select(Stocktake))
    assert response.status_code == 303 and response.location.endswith(f"/counts/{count.id}")
    sheet = client.get(response.location).get_data(as_text=True)
    assert all(b.code in sheet for b in (first, second, third))
    # The sheet: one batch short, one as expected; the third is scanned (a label URL, lower case).
    client.post(
        f"/counts/{count.id}",
        data={"form_token": token(), f"count-{first.id}": "8", f"count-{second.id}": "5"},
    )
    url = f"https://relief.example.org/b/{third.code.lower()}"
    response = client.post(
        f"/counts/{count.id}", data={"form_token": token(), "record": "scan", "code": url, "counted": "9"}
    )
    assert response.status_code == 303
    sheet = client.get(f"/counts/{count.id}").get_data(as_text=True)
    assert "-2" in sheet and "+2" in sheet and "2 处差异" in sheet
    lines = {line.batch_id: line.id for line in db.session.get(Stocktake, count.id).lines}
    reasons = {f"reason-{lines[first.id]}": "受潮报损未登记", f"reason-{lines[third.id]}": "入库时少点"}
    refused = client.post(f"/counts/{count.id}/post", data={"form_token": token()})
    assert refused.status_code == 422 and first.code in refused.get_data(as_text=True)  # no reasons yet
    response = client.post(f"/counts/{count.id}/post", data={"form_token": token(), **reasons})
    assert response.status_code == 303
    db.session.expire_all()
    assert [db.session.get(Batch, b.id).quantity for b in (first, second, third)] == [8, 5, 9]
    corrections = db.session.scalars(
        db.select(Movement).where(Movement.kind == MovementKind.COUNT_CORRECTION)
    )
    assert sorted(m.quantity for m in corrections) == [-2, 2]
    assert db.session.get(Stocktake, count.id).status is StocktakeStatus.POSTED
    assert reconcile() == []
    # A posted count takes no more numbers.
    response = client.post(f"/counts/{count.id}", data={"form_token": token(), f"count-{first.id}": "1"})
    assert response.status_code == 409


def test_count_of_one_location_and_bad_entries(client, world, login_as, receive_one):
    with atomic():
        shelf = network_ops.create_location(SYSTEM, world.depots["330102"], "A-01")
    on_shelf, elsewhere = receive_one(4, location=shelf), receive_one(6)
    login_as("keeper")
    assert "盘点库位 A-01" in client.get("/depots/330102/stock?location=A-01").get_data(as_text=True)
    client.post("/depots/330102/counts", data={"form_token": token(), "location": "A-01"})
    count = db.session.scalar(db.select(Stocktake))
    assert count.location_id == shelf.id
    sheet = client.get(f"/counts/{count.id}").get_data(as_text=True)
    assert on_shelf.code in sheet and elsewhere.code not in sheet
    response = client.post(
        f"/counts/{count.id}",
        data={"form_token": token(), "record": "scan", "code": on_shelf.code[:-1] + "#", "counted": "1"},
    )
    assert response.status_code == 422
    response = client.post(f"/counts/{count.id}", data={"form_token": token(), f"count-{on_shelf.id}": "-1"})
    assert response.status_code == 422
    response = client.post("/depots/330102/counts", data={"form_token": token(), "location": "NOWHERE"})
    assert response.status_code == 422 and "NOWHERE" in response.get_data(as_text=True)


def test_found_goods_become_a_batch_when_posted(client, world, login_as):
    login_as("keeper")
    client.post("/depots/330102/counts", data={"form_token": token()})
    count = db.session.scalar(db.select(Stocktake))
    response = client.post(
        f"/counts/{count.id}",
        data={"form_token": token(), "record": "found", "item": "QUILT", "found_counted": "3"},
    )
    assert response.status_code == 303
    line = db.session.scalar(db.select(Stocktake)).lines[0]
    client.post(f"/counts/{count.id}/post", data={"form_token": token(), f"reason-{line.id}": "无标签"})
    found = db.session.scalar(db.select(Batch))
    assert found.quantity == 3 and found.item.sku == "QUILT"
