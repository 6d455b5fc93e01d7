"""Every API write honours `Idempotency-Key` (the README promises it to scanner and script
authors), including the endpoints added later: the check walks the app's URL map."""

from relief_stock.catalogue.models import Item
from relief_stock.extensions import db

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# Running the checks is idempotent by nature (a second run finds nothing new and writes nothing),
# and it commits under its own lease, outside any one unit of work.
EXEMPT = {"api_alerts.run_checks_now"}


def test_every_api_write_is_idempotent(app):
    missing = sorted(
        f"{sorted(rule.methods & WRITES)} {rule.rule} ({rule.endpoint})"
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        and rule.methods & WRITES
        and rule.endpoint not in EXEMPT
        and not getattr(app.view_functions[rule.endpoint], "is_idempotent", False)
    )
    assert missing == []


ITEM = {
    "sku": "TENT-12",
    "name_zh": "帐篷",
    "name_en": "Family tent",
    "category": "shelter",
    "unit_zh": "顶",
    "unit_en": "tent",
    "unit_weight_kg": "40",
    "unit_volume_m3": "0.2",
}


def test_a_resent_item_creation_writes_once(client, login_as):
    login_as("admin")
    headers = {"Idempotency-Key": "item-tent-12"}
    first = client.post("/api/v1/items/", json=ITEM, headers=headers)
    again = client.post("/api/v1/items/", json=ITEM, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true" and again.json == first.json
    assert db.session.scalar(db.select(db.func.count(Item.id)).where(Item.sku == "TENT-12")) == 1
