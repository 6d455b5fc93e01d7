"""The stock API over HTTP: validation, refusals as 4xx, and idempotent replays."""

import pytest

from relief_stock.extensions import db
from relief_stock.stock.models import Movement
from relief_stock.stock.reconcile import reconcile


@pytest.fixture(autouse=True)
def english(client):
    """Messages are asserted in English (Chinese is the default locale)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def movement_count():
    return db.session.scalar(db.select(db.func.count(Movement.id)))


def receive(client, quantity=20, **headers):
    return client.post(
        "/api/v1/receipts",
        headers=headers,
        json={
            "depot": "330102",
            "source_kind": "donation",
            "supplier": "某爱心企业",
            "donor_ref": "D-9",
            "lines": [{"item": "QUILT", "quantity": quantity}],
        },
    )


def test_receive_then_issue_and_history(client, login_as):
    login_as("keeper")
    response = receive(client)
    assert response.status_code == 201, response.json
    code = response.json["batches"][0]["code"]
    assert response.json["batches"][0]["url"].endswith(f"/b/{code}")
    issued = client.post(f"/api/v1/batches/{code}/issue", json={"quantity": 5, "reason": "安置点"})
    assert issued.status_code == 201 and issued.json["balance_after"] == 15
    history = client.get(f"/api/v1/batches/{code}/history").json
    assert [m["kind"] for m in history] == ["receipt", "issue"]
    stock = client.get("/api/v1/stock/depots/330102").json
    assert stock == [
        {
            "item": "QUILT",
            "on_hand": 15,
            "available": 15,
            "in_transit": 0,
            "committed": 0,
            "available_to_promise": 15,
        }
    ]
    province = client.get("/api/v1/stock/province").json
    assert province[0]["by_tier"] == {"county": 15}


def test_bad_input_and_refusals_are_4xx_naming_the_field(client, login_as):
    login_as("keeper")
    bad = client.post("/api/v1/receipts", json={"depot": "330102", "source_kind": "gift", "lines": []})
    assert bad.status_code == 422 and {"source_kind", "lines"} <= set(bad.json["errors"]["json"])
    code = receive(client, 3).json["batches"][0]["code"]
    too_many = client.post(f"/api/v1/batches/{code}/issue", json={"quantity": 4})
    assert too_many.status_code == 409 and "3" in too_many.json["message"]
    assert (
        client.post(f"/api/v1/batches/{code}/write-off", json={"quantity": 1, "reason": " "}).status_code
        == 422
    )
    mistyped = code[:-1] + ("0" if code[-1] != "0" else "1")
    # A code in the path that names nothing is a missing page, mistyped or not; in a body it is 422.
    assert client.get(f"/api/v1/batches/{mistyped}").status_code == 404
    assert client.get("/api/v1/batches/B-330102-2026-999999-" + "X").status_code == 404
    unknown_item = client.post("/api/v1/issues", json={"depot": "330102", "item": "NOPE", "quantity": 1})
    assert unknown_item.status_code == 422 and "item" in unknown_item.json["errors"]
    other = client.post("/api/v1/issues", json={"depot": "330203", "item": "QUILT", "quantity": 1})
    assert other.status_code == 403


def test_idempotent_replay_returns_the_first_answer_and_writes_nothing(client, login_as):
    login_as("keeper")
    first = receive(client, 10, **{"Idempotency-Key": "k-1"})
    before = movement_count()
    again = receive(client, 10, **{"Idempotency-Key": "k-1"})
    assert (again.status_code, again.json) == (first.status_code, first.json)
    assert again.headers["Idempotent-Replayed"] == "true" and movement_count() == before
    code = first.json["batches"][0]["code"]
    refused = client.post(
        f"/api/v1/batches/{code}/issue", json={"quantity": 99}, headers={"Idempotency-Key": "k-2"}
    )
    assert refused.status_code == 409
    assert (
        client.post(
            f"/api/v1/batches/{code}/issue", json={"quantity": 99}, headers={"Idempotency-Key": "k-2"}
        ).json
        == refused.json
    )
    reused = receive(client, 11, **{"Idempotency-Key": "k-1"})
    assert reused.status_code == 422 and "different request" in reused.json["message"]
    assert movement_count() == before and reconcile() == []
