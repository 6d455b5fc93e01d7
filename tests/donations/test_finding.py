"""Finding donated goods: the stock lists (a depot's batches, the reserve batch list) and the stock
API filter by how the goods came in (purchase, allocation, donation; a batch received on a transfer
keeps the source it came with) and by donor; and the donations API itself."""

import pytest

from relief_stock.auth import operations as auth_ops
from relief_stock.database import atomic
from relief_stock.donations import operations as donation_ops
from relief_stock.stock import balances
from relief_stock.stock import operations as ops

from .helpers import transfer_order


@pytest.fixture
def stocked(world, receive_one):
    """A purchase and an allocation at Shangcheng; a donation received at Hangzhou of which 15
    quilts went on to Shangcheng by transfer; a second donor's donation at Shangcheng."""
    admin, city_keeper = world.users["admin"], world.users["city-keeper"]
    bought = receive_one(10)
    allocated = receive_one(7, source_kind="allocation")
    with atomic():
        giver = donation_ops.register_donor(
            admin, kind="organisation", name="浙商爱心联盟", may_name_publicly=True
        )
        other = donation_ops.register_donor(admin, kind="individual", name="王秀英")
        gift = donation_ops.declare_donation(
            admin, giver, world.depots["330100"], [donation_ops.DeclaredLine(world.items["QUILT"], 40)]
        )
        donation_ops.receive_donation(admin, gift, {gift.lines[0].id: donation_ops.Acceptance(40)})
        small = donation_ops.declare_donation(
            admin, other, world.depots["330102"], [donation_ops.DeclaredLine(world.items["QUILT"], 3)]
        )
        donation_ops.receive_donation(admin, small, {small.lines[0].id: donation_ops.Acceptance(3)})
    with atomic():
        order, line = transfer_order(world, city_keeper, to_depot=world.depots["330102"], quantity=15)
        ops.pick(city_keeper, line, gift.lines[0].batch, 15)
        ops.dispatch_transfer(city_keeper, order)
    with atomic():
        ops.receive_transfer(world.users["keeper"], order, {line.picks[0].id: (15, 0)})
    moved_on = line.picks[0].received_batch
    return {
        "bought": bought,
        "allocated": allocated,
        "gift": gift,
        "small": small,
        "giver": giver,
        "other": other,
        "moved_on": moved_on,
    }


def _codes(batches):
    return {batch.code for batch in batches}


def test_depot_batches_by_source_follow_a_transfer_to_its_origin(world, stocked):
    shangcheng = world.depots["330102"]
    assert stocked["moved_on"].source_kind == "transfer"
    donated = _codes(balances.depot_batches(shangcheng, source="donation"))
    assert donated == {stocked["moved_on"].code, stocked["small"].lines[0].batch.code}
    assert _codes(balances.depot_batches(shangcheng, source="purchase")) == {stocked["bought"].code}
    assert _codes(balances.depot_batches(shangcheng, source="allocation")) == {stocked["allocated"].code}
    by_giver = _codes(balances.depot_batches(None, donor=stocked["giver"].id))
    assert by_giver == {stocked["moved_on"].code, stocked["gift"].lines[0].batch.code}
    assert _codes(balances.depot_batches(shangcheng, donor=stocked["other"].id)) == {
        stocked["small"].lines[0].batch.code
    }


def test_the_depot_page_and_the_reserve_list_filter_by_source_and_donor(client, world, stocked, login_as):
    login_as("keeper")
    moved_on, bought = stocked["moved_on"].code, stocked["bought"].code
    page = client.get("/depots/330102/stock?source=donation").get_data(as_text=True)
    assert moved_on in page and bought not in page
    page = client.get(f"/depots/330102/stock?donor={stocked['giver'].id}").get_data(as_text=True)
    assert moved_on in page and stocked["small"].lines[0].batch.code not in page and bought not in page
    assert client.get("/depots/330102/stock?source=transfer").status_code == 422
    reserve = client.get("/reserve/330102/batches?source=purchase").get_data(as_text=True)
    assert bought in reserve and moved_on not in reserve
    reserve = client.get(f"/reserve/330102/batches?donor={stocked['giver'].id}").get_data(as_text=True)
    assert moved_on in reserve and bought not in reserve
    assert client.get("/reserve/330102/batches?donor=abc").status_code == 422


def _bearer(world, username):
    with atomic():
        _token, secret = auth_ops.issue_token(world.users[username], "test")
    return {"Authorization": f"Bearer {secret}"}


def test_the_stock_api_lists_batches_by_origin(client, world, stocked):
    headers = _bearer(world, "auditor")
    donated = client.get("/api/v1/batches?depot=330102&source=donation", headers=headers)
    assert donated.status_code == 200
    assert {b["code"] for b in donated.json} == {
        stocked["moved_on"].code,
        stocked["small"].lines[0].batch.code,
    }
    gift = stocked["gift"].trace_code
    by_code = client.get(f"/api/v1/batches?donation={gift.lower()}", headers=headers).json
    assert {b["code"] for b in by_code} == {stocked["moved_on"].code, stocked["gift"].lines[0].batch.code}
    assert client.get(f"/api/v1/batches?donor={stocked['other'].id}", headers=headers).json[0][
        "donor_ref"
    ] == (stocked["small"].trace_code)
    assert client.get("/api/v1/batches?depot=999999", headers=headers).status_code == 422
    assert client.get("/api/v1/batches?source=transfer", headers=headers).status_code == 422


def test_the_donations_api_registers_and_receives(client, world):
    keeper = _bearer(world, "keeper")
    donor = client.post(
        "/api/v1/donors",
        json={"kind": "individual", "name": "李明", "phone": "13700000000"},
        headers={**keeper, "Idempotency-Key": "donor-1"},
    )
    assert donor.status_code == 201 and donor.json["public_name"] != "李明"
    replay = client.post(
        "/api/v1/donors",
        json={"kind": "individual", "name": "李明", "phone": "13700000000"},
        headers={**keeper, "Idempotency-Key": "donor-1"},
    )
    assert replay.headers.get("Idempotent-Replayed") == "true" and replay.json["id"] == donor.json["id"]
    assert client.get("/api/v1/donors?q=李", headers=keeper).json[0]["id"] == donor.json["id"]
    assert client.get(f"/api/v1/donors/{donor.json['id']}", headers=keeper).status_code == 200
    assert client.get("/api/v1/donors/999999", headers=keeper).status_code == 404

    body = {"donor": donor.json["id"], "depot": "330102", "lines": [{"item": "QUILT", "quantity": 12}]}
    declared = client.post("/api/v1/donations", json=body, headers={**keeper, "Idempotency-Key": "d-1"})
    assert declared.status_code == 201 and declared.json["status"] == "declared"
    code, line_id = declared.json["trace_code"], declared.json["lines"][0]["id"]
    elsewhere = client.post("/api/v1/donations", json={**body, "depot": "330203"}, headers=keeper)
    assert elsewhere.status_code == 403
    unknown_item = client.post(
        "/api/v1/donations", json={**body, "lines": [{"item": "NOPE", "quantity": 1}]}, headers=keeper
    )
    assert unknown_item.status_code == 422 and "lines.0.item" in unknown_item.json["errors"]

    url = f"/api/v1/donations/{code}/receive"
    no_reason = client.post(url, json={"lines": [{"line": line_id, "accepted": 10}]}, headers=keeper)
    assert no_reason.status_code == 422
    stranger = client.post(url, json={"lines": [{"line": line_id + 999, "accepted": 10}]}, headers=keeper)
    assert stranger.status_code == 422 and "lines.0.line" in stranger.json["errors"]
    good = {"lines": [{"line": line_id, "accepted": 10, "reason": "refused", "note": "无合格证"}]}
    received = client.post(url, json=good, headers={**keeper, "Idempotency-Key": "r-1"})
    assert received.status_code == 200, received.json
    assert (
        received.json["status"] == "received" and received.json["lines"][0]["difference_reason"] == "refused"
    )
    assert received.json["lines"][0]["batch"].startswith("B-")
    assert client.post(url, json=good, headers={**keeper, "Idempotency-Key": "r-1"}).status_code == 200
    assert client.post(url, json=good, headers=keeper).status_code == 409

    listed = client.get("/api/v1/donations?status=received", headers=keeper).json
    assert [d["trace_code"] for d in listed] == [code]
    assert client.get(f"/api/v1/donations?donor={donor.json['id']}&depot=330100", headers=keeper).json == [
        d for d in listed
    ]
    assert client.get(f"/api/v1/donations/{code}", headers=_bearer(world, "auditor")).status_code == 200
    ningbo_keeper = _bearer(world, "keeper")  # Shangcheng's keeper, asking about a Ningbo donation
    with atomic():
        ningbo = donation_ops.declare_donation(
            world.users["admin"],
            donation_ops.register_donor(world.users["admin"], kind="organisation", name="宁波企业"),
            world.depots["330203"],
            [donation_ops.DeclaredLine(world.items["QUILT"], 1)],
        )
    assert client.get(f"/api/v1/donations/{ningbo.trace_code}", headers=ningbo_keeper).status_code == 403
    assert (
        client.post(
            f"/api/v1/donations/{ningbo.trace_code}/receive", json={}, headers=ningbo_keeper
        ).status_code
        == 403
    )
