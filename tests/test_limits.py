"""Input limits at the edge (relief_stock/limits.py, fields.py, spreadsheets.py): hostile input gets
a 4xx naming the problem, never a 500, and never half-writes data, on both backends."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from relief_stock.extensions import db
from relief_stock.stock.checks import MAX_QUANTITY
from relief_stock.stock.models import Batch, StockLevel
from tests.catalogue.test_importing import _xlsx

HEADER = ["sku", "name_zh", "name_en", "category", "unit_zh", "unit_en", "unit_weight_kg"]
HEADER += ["unit_volume_m3", "is_perishable", "shelf_life_months", "min_remaining_shelf_life_days", "notes"]


def _item_row(sku, name_en="Tent"):
    return [sku, "帐篷", name_en, "shelter", "顶", "tent", "40", "0.2", "no", "", "", ""]


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member, content if member.filename == name else source.read(member))
    return out.getvalue()


def _import(client, data, name="items.xlsx"):
    return client.post(
        "/api/v1/items/import", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def test_nul_and_control_characters_are_422_everywhere(client, login_as, receive_one):
    login_as("keeper")
    batch = receive_one(10)
    answer = client.post(f"/api/v1/batches/{batch.code}/issue", json={"quantity": 1, "reason": "a\x00b"})
    assert answer.status_code == 422 and "reason" in answer.json["errors"]
    assert client.get("/api/v1/items/?q=%00").status_code == 422
    assert (
        client.post(f"/api/v1/batches/{batch.code}/issue", json={"quantity": 1, "reason": "a\nb"}).status_code
        == 201
    )
    db.session.expire_all()
    assert db.session.get(Batch, batch.id).quantity == 9


def test_nul_in_a_path_is_404_even_on_public_pages(client, world):
    assert client.get("/donations/R-%00").status_code == 404
    assert client.get("/api/v1/batches/B%00/history").status_code in (401, 404)


def test_json_nested_too_deep_is_a_4xx(client, login_as):
    login_as("admin")
    deep = b"[" * 100_000 + b"]" * 100_000
    answer = client.post("/api/v1/issues", data=deep, content_type="application/json")
    assert 400 <= answer.status_code < 500
    nested = "x"
    for _ in range(40):
        nested = [nested]
    answer = client.post("/api/v1/issues", json={"depot": nested})
    assert answer.status_code == 422


def test_ids_out_of_range_are_404(client, login_as):
    login_as("admin")
    assert client.get(f"/api/v1/users/{2**31}").status_code == 404
    assert client.get(f"/api/v1/users/{2**63}").status_code == 404


def test_balances_hold_sums_beyond_32_bits(client, login_as, world, receive_one):
    """Two deliveries of the largest quantity a line may carry, and an adjustment on top."""
    login_as("keeper")
    first = receive_one(MAX_QUANTITY)
    receive_one(MAX_QUANTITY)
    answer = client.post(
        f"/api/v1/batches/{first.code}/adjust", json={"delta": MAX_QUANTITY, "reason": "recount"}
    )
    assert answer.status_code == 201
    level = db.session.get(StockLevel, (first.depot_id, first.item_id))
    db.session.refresh(level)
    assert level.on_hand == 3 * MAX_QUANTITY
    assert (
        client.post(f"/api/v1/batches/{first.code}/issue", json={"quantity": MAX_QUANTITY + 1}).status_code
        == 422
    )


def test_integers_beyond_the_columns_are_422(client, login_as, receive_one):
    login_as("keeper")
    batch = receive_one(5)
    answer = client.post(
        f"/api/v1/batches/{batch.code}/issue",
        json={"quantity": 1, "document_type": "receipt", "document_id": 2**40},
    )
    assert answer.status_code == 422


def test_zip_bomb_xlsx_is_refused_before_it_is_unpacked(client, login_as):
    login_as("admin")
    data = _xlsx([HEADER, _item_row("TENT-1")])
    bomb = _replace_member(data, "docProps/app.xml", b"<x>" + b" " * (40 * 1024 * 1024) + b"</x>")
    assert len(bomb) < 1024 * 1024
    answer = _import(client, bomb)
    assert answer.status_code == 422 and "MB" in str(answer.json["errors"])


@pytest.mark.parametrize(
    "content",
    [
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><x>&b;</x>',
        b"<worksheet><sheetData><row><c r=",
    ],
    ids=["entity-expansion", "malformed"],
)
def test_hostile_or_broken_xlsx_xml_is_422(client, login_as, content):
    login_as("admin")
    data = _replace_member(_xlsx([HEADER, _item_row("TENT-1")]), "xl/worksheets/sheet1.xml", content)
    answer = _import(client, data)
    assert answer.status_code == 422, answer.data[:300]


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def rows_with_formulas():
    return [
        HEADER,
        _item_row("F-1", '=HYPERLINK("http://x")'),
        _item_row("F-2", "+cmd|' /C calc'!A0"),
        _item_row("F-3", "@SUM(A1:A2)"),
    ]


def test_csv_with_a_nul_is_refused_by_row(client, login_as):
    login_as("admin")
    answer = _import(client, _csv([HEADER, _item_row("TENT-1", "Te\x00nt")]), "items.csv")
    assert answer.status_code == 422 and "name_en" in str(answer.json["errors"])


def test_exports_neutralise_formulas(client, login_as):
    login_as("admin")
    assert _import(client, _csv(rows_with_formulas()), "items.csv").status_code == 200
    exported = client.get("/api/v1/items/export?format=csv").data.decode("utf-8-sig")
    names = {row[0]: row[2] for row in csv.reader(io.StringIO(exported))}
    assert names["F-1"].startswith("'=") and names["F-2"].startswith("'+") and names["F-3"].startswith("'@")
    book = load_workbook(io.BytesIO(client.get("/api/v1/items/export?format=xlsx").data))
    cells = {row[0].value: row[2] for row in book.active.iter_rows(min_row=2)}
    assert cells["F-1"].value == '=HYPERLINK("http://x")' and cells["F-1"].data_type == "s"


def test_a_bodiless_request_with_a_json_content_type_is_fine(client, login_as):
    login_as("keeper")
    assert client.get("/api/v1/items/", content_type="application/json").status_code == 200
