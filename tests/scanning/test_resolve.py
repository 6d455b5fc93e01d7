"""GET /api/v1/scan/<code>: what a code is, its state and actions; every scan logged."""

from relief_stock.extensions import db
from relief_stock.scanning import codes
from relief_stock.scanning.models import ScanEvent
from tests.stock.test_api import receive


def test_scan_resolves_codes_and_urls_and_logs_every_scan(client, login_as):
    login_as("keeper")
    code = receive(client, 4).json["batches"][0]["code"]
    found = client.get(f"/api/v1/scan/{code.lower()}")
    assert found.status_code == 200 and found.json["kind"] == "batch"
    assert found.json["state"]["quantity"] == 4 and "issue" in found.json["actions"]
    assert client.get(f"/api/v1/scan/https://relief.example.org/b/{code}").json["code"] == code
    mistyped = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert client.get(f"/api/v1/scan/{mistyped}").status_code == 422
    parsed = codes.parse(code)
    unknown = codes.format_sequenced("batch", parsed.depot_code, parsed.year, 777777)
    assert client.get(f"/api/v1/scan/{unknown}").status_code == 404
    results = [e.result for e in db.session.scalars(db.select(ScanEvent).order_by(ScanEvent.id))]
    assert results == ["found", "found", "invalid", "not_found"]
    login_as("ningbo-keeper")
    assert client.get(f"/api/v1/scan/{code}").json["actions"] == []
