"""The dispatch API end to end: emergency -> sites -> needs -> plan -> approval (committed) ->
work list -> pick -> dispatch -> receive, a cancel releasing, Idempotency-Key, errors, OpenAPI."""

import pytest

from relief_stock.auth import operations as auth_ops
from relief_stock.database import atomic
from relief_stock.extensions import db
from relief_stock.stock.models import StockLevel
from tests.dispatch.helpers import receive


@pytest.fixture
def call(client, world):
    tokens = {}

    def request(method, path, user="dispatcher", json=None, key=None):
        if user not in tokens:
            with atomic():
                tokens[user] = auth_ops.issue_token(world.users[user], "api")[1]
        headers = {"Authorization": f"Bearer {tokens[user]}", "Accept-Language": "en"}
        if key:
            headers["Idempotency-Key"] = key
        return client.open(f"/api/v1{path}", method=method, json=json, headers=headers)

    return request


def test_from_new_emergency_to_stock_received(world, call):
    batch = receive(world, "330102", "QUILT", 100)
    created = call(
        "POST", "/emergencies", json={"name": "Flood", "kind": "flood", "level": 3, "days": 2}, key="e-1"
    )
    assert created.status_code == 201, created.json
    again = call(
        "POST", "/emergencies", json={"name": "Flood", "kind": "flood", "level": 3, "days": 2}, key="e-1"
    )
    assert again.headers["Idempotent-Replayed"] == "true" and again.json["id"] == created.json["id"]
    e = created.json["id"]
    assert (created.json["level"], created.json["days"], created.json["scope_depot"]) == (3, 2, "330100")
    site = call(
        "POST", f"/emergencies/{e}/sites", json={"name": "depot", "depot": "330106", "population": 50}
    )
    assert site.status_code == 201 and site.json["depot"] == "330106"
    patched = call(
        "PATCH", f"/emergencies/{e}", json={"level": 2, "sites": [{"id": site.json["id"], "population": 60}]}
    )
    assert patched.json["level"] == 2 and patched.json["sites"][0]["population"] == 60
    needs = call(
        "PUT",
        f"/emergencies/{e}/needs",
        json={"needs": [{"site": site.json["id"], "sku": "QUILT", "qty": 40}]},
    )
    assert [(n["sku"], n["qty"]) for n in needs.json] == [("QUILT", 40)]
    plan = call("POST", f"/emergencies/{e}/plans")
    assert plan.status_code == 201
    assert [(x["from"], x["sku"], x["qty"]) for x in plan.json["lines"]] == [("330102", "QUILT", 40)]
    approved = call("POST", f"/plans/{plan.json['id']}/approve", json={})
    assert approved.json["status"] == "approved" and approved.json["pending_approvals"] == []
    (number,) = approved.json["transfers"]
    stock = call("GET", "/stock/depots/330102", user="auditor").json[0]
    assert (stock["committed"], stock["available_to_promise"]) == (40, 60)
    to_pick = call("GET", "/transfers?depot=330102&state=to_pick", user="keeper").json
    assert [t["number"] for t in to_pick] == [number]
    picked = call("POST", f"/transfers/{number}/pick", user="keeper", json={"code": batch.code})
    assert picked.status_code == 201 and picked.json["lines"][0]["picked"] == 40
    assert call("POST", f"/transfers/{number}/dispatch", user="keeper").json["status"] == "in_transit"
    arriving = call("GET", "/transfers?depot=330106&state=arriving", user="auditor").json
    assert [t["number"] for t in arriving] == [number]
    received = call("POST", f"/transfers/{number}/receive", user="admin", json={})
    assert received.json["status"] == "received"
    assert call("GET", "/stock/depots/330106", user="auditor").json[0]["on_hand"] == 40


def test_category_needs_cancel_and_refusals(world, call):
    receive(world, "330102", "QUILT", 100)
    e = call("POST", "/emergencies", json={"name": "F", "kind": "flood", "level": 3}).json["id"]
    site = call("POST", f"/emergencies/{e}/sites", json={"lat": 30.3, "lng": 120.2, "population": 10}).json
    bad = call(
        "PUT", f"/emergencies/{e}/needs", json={"needs": [{"site": site["id"], "sku": "NOPE", "qty": 1}]}
    )
    assert bad.status_code == 422 and "NOPE" in bad.json["message"]
    neither = call("PUT", f"/emergencies/{e}/needs", json={"needs": [{"site": site["id"], "qty": 1}]})
    assert neither.status_code == 422
    call("PUT", f"/emergencies/{e}/needs", json={"needs": [{"site": site["id"], "sku": "QUILT", "qty": 30}]})
    plan = call("POST", f"/emergencies/{e}/plans").json
    (number,) = call("POST", f"/plans/{plan['id']}/approve", json={}).json["transfers"]
    assert call("POST", f"/transfers/{number}/cancel", user="keeper", json={}).status_code == 403
    cancelled = call("POST", f"/transfers/{number}/cancel", json={"reason": "not needed"})
    assert cancelled.json["status"] == "cancelled"
    db.session.expire_all()
    level = db.session.get(StockLevel, (world.depots["330102"].id, world.items["QUILT"].id))
    assert level.committed == 0
    assert call("PATCH", f"/emergencies/{e}", json={"level": 2}).status_code == 409  # approved already
    assert call("GET", "/transfers?state=to_pick", user="auditor").status_code == 422


def test_openapi_documents_the_dispatch_schemas(call):
    spec = call("GET", "/openapi.json", user="auditor").json
    assert "/api/v1/emergencies/{emergency_id}/needs/estimate" in spec["paths"]
    assert "/api/v1/transfers/{number}/pick" in spec["paths"]
    assert {"EmergencyIn", "PlanOut", "TransferOut"} <= set(spec["components"]["schemas"])


def test_a_stranger_is_refused_before_the_body_is_read_and_an_unknown_order_is_404(world, make, call, client):
    """Load, check access, act: the transfer in the path is found (404 when unknown), the user's
    scope checked (403), and only then the body validated (422) - on the API and the pages alike."""
    world.users["stranger"] = make.user("stranger", depot=world.depots["330203"])
    receive(world, "330102", "QUILT", 100)
    e = call("POST", "/emergencies", json={"name": "F", "kind": "flood", "level": 3}).json["id"]
    site = call("POST", f"/emergencies/{e}/sites", json={"depot": "330106", "population": 10}).json
    call("PUT", f"/emergencies/{e}/needs", json={"needs": [{"site": site["id"], "sku": "QUILT", "qty": 5}]})
    plan = call("POST", f"/emergencies/{e}/plans").json
    (number,) = call("POST", f"/plans/{plan['id']}/approve", json={}).json["transfers"]
    bad_body = {"qty": "many", "pick": "x", "outcomes": "x"}
    sender = {"pick": 422, "unpick": 422, "dispatch": 422, "receive": 403}  # 330106 receives, not 330102
    for step, answer in sender.items():
        assert call("POST", f"/transfers/{number}/{step}", user="stranger", json=bad_body).status_code == 403
        assert call("POST", f"/transfers/{number}/{step}", user="keeper", json=bad_body).status_code == answer
        assert call("POST", f"/transfers/NOPE-1/{step}", user="keeper", json={}).status_code == 404
    client.post("/login", data={"username": "stranger", "password": "password-123"})
    assert client.post(f"/dispatch/transfers/{number}/pick", data={"quantity": "many"}).status_code == 403
    assert client.post("/dispatch/transfers/NOPE-1/pick", data={}).status_code == 404


def test_a_plan_takes_the_minimum_lot_and_lists_what_it_held_back(world, call):
    receive(world, "330102", "QUILT", 10)
    receive(world, "330203", "QUILT", 40)  # Ningbo, 100 kg: below the default minimum lot of 500 kg
    e = call(
        "POST", "/emergencies", json={"name": "F", "kind": "flood", "level": 3}, user="province-dispatcher"
    )
    e = e.json["id"]
    site = call(
        "POST",
        f"/emergencies/{e}/sites",
        json={"lat": 30.3, "lng": 120.2, "population": 10},
        user="province-dispatcher",
    ).json
    needs = {"needs": [{"site": site["id"], "sku": "QUILT", "qty": 50}]}
    call("PUT", f"/emergencies/{e}/needs", json=needs, user="province-dispatcher")

    default = call("POST", f"/emergencies/{e}/plans", user="province-dispatcher")
    assert default.status_code == 201
    assert (default.json["min_lot_kg"], default.json["min_lot_beyond_km"]) == (500, 50)
    assert default.json["held_back"] == [{"from": "330203", "sku": "QUILT", "qty": 40, "kg": 100.0}]
    (outcome,) = default.json["outcomes"]
    assert (outcome["planned"], outcome["limit"], outcome["held_back"], outcome["if_lots_drawn"]) == (
        10,
        "min_lot",
        40,
        50,
    )
    refused = call("POST", f"/emergencies/{e}/plans", json={"min_lot_kg": -1}, user="province-dispatcher")
    assert refused.status_code == 422 and "min_lot_kg" in str(refused.json)
    every = call("POST", f"/emergencies/{e}/plans", json={"min_lot_kg": 0}, user="province-dispatcher")
    assert every.status_code == 201 and every.json["held_back"] == [] and every.json["min_lot_kg"] == 0
    assert sorted(line["from"] for line in every.json["lines"]) == ["330102", "330203"]
    assert call("GET", f"/plans/{every.json['id']}").json["outcomes"][0]["if_lots_drawn"] is None
    assert call("GET", f"/plans/{default.json['id']}").json["held_back"] == default.json["held_back"]


def test_openapi_documents_the_minimum_lot(call):
    spec = call("GET", "/openapi.json", user="auditor").json
    operation = spec["paths"]["/api/v1/emergencies/{emergency_id}/plans"]["post"]
    assert "min_lot_kg" in operation["description"] and operation["requestBody"]["required"] is False
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert spec["components"]["schemas"][body]["properties"]["min_lot_kg"]["maximum"] == 100_000
    plan = spec["components"]["schemas"]["PlanOut"]["properties"]
    assert {"min_lot_kg", "min_lot_beyond_km", "held_back"} <= set(plan)
    assert {"held_back", "if_lots_drawn"} <= set(spec["components"]["schemas"]["OutcomeOut"]["properties"])
