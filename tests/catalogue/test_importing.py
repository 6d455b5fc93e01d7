"""Catalogue import and export: good files, bad files with row errors, all or nothing, round trips,
on both backends, through the importer and through the page and API."""

import io
import secrets

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from relief_stock.auth.permissions import SYSTEM
from relief_stock.catalogue import importing
from relief_stock.catalogue.models import Category, Item
from relief_stock.database import atomic
from relief_stock.extensions import db

HEADER = ",".join(importing.COLUMNS[:-1])  # the demo file's columns (no is_active)
GOOD_CSV = f"""{HEADER}
TENT-12,救灾帐篷12㎡,Relief tent 12 m2,shelter,顶,tent,41.3,0.21,no,,0,steel frame
WATER,瓶装水（新）,Bottled water 24 x 550 ml,water,箱,case,13.8,0.022,yes,24,90,
""".encode()


@pytest.fixture(autouse=True)
def english(app):
    """Messages in English, as a request with Accept-Language: en gets them."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _count():
    return db.session.scalar(select(func.count(Item.id)))


def test_good_csv_creates_new_and_updates_existing_items(app, world):
    with atomic():
        result = importing.import_catalogue(SYSTEM, GOOD_CSV, "catalogue.csv")
    assert (result.created, result.updated) == (1, 1)
    db.session.expire_all()
    water = db.session.scalar(select(Item).where(Item.sku == "WATER"))
    assert water.name_zh == "瓶装水（新）" and water.shelf_life_months == 24
    assert water.min_remaining_shelf_life_days == 90 and water.category is Category.WATER
    tent = db.session.scalar(select(Item).where(Item.sku == "TENT-12"))
    assert str(tent.unit_weight_kg).startswith("41.3") and tent.is_perishable is False
    assert tent.is_active is True  # the column is optional


def test_gb18030_csv_from_chinese_excel_is_read(app, world):
    with atomic():
        result = importing.import_catalogue(SYSTEM, GOOD_CSV.decode().encode("gb18030"), "catalogue.csv")
    assert result.created == 1
    assert db.session.scalar(select(Item.name_zh).where(Item.sku == "TENT-12")) == "救灾帐篷12㎡"


def test_bad_file_reports_every_row_and_column_and_imports_nothing(app, world):
    bad = f"""{HEADER}
GOOD-1,好的,Good one,bedding,床,quilt,3,0.03,no,,0,
BAD 1,坏的,Bad sku,bedding,床,quilt,3,0.03,no,,0,
BAD-2,,No Chinese name,weapons,床,quilt,heavy,0.03,no,,0,
BAD-3,坏的,Perishable without shelf life,food,箱,case,3,0.03,yes,,-5,
GOOD-1,重复,Duplicate,bedding,床,quilt,3,0.03,no,,0,
""".encode()
    before = _count()
    with pytest.raises(importing.ImportRejected) as raised:
        with atomic():
            importing.import_catalogue(SYSTEM, bad, "bad.csv")
    problems = raised.value.problems
    assert raised.value.status == 422
    assert any(p.startswith("row 3, column sku:") for p in problems)
    assert any(p.startswith("row 4, column name_zh:") for p in problems)
    assert any(p.startswith("row 4, column category:") for p in problems)
    assert any(p.startswith("row 4, column unit_weight_kg:") for p in problems)
    assert any(p.startswith("row 5, column shelf_life_months:") for p in problems)
    assert any(p.startswith("row 5, column min_remaining_shelf_life_days:") for p in problems)
    assert any(p.startswith("row 6, column sku:") and "row 2" in p for p in problems)
    assert not any(p.startswith("row 2,") for p in problems)
    assert _count() == before  # GOOD-1 was valid, yet nothing at all was written
    assert db.session.scalar(select(Item).where(Item.sku == "GOOD-1")) is None


def test_header_is_checked(app, world):
    with pytest.raises(importing.ImportRejected) as raised:
        importing.import_catalogue(SYSTEM, b"sku,name,colour\nX,y,red\n", "x.csv")
    problems = raised.value.problems
    assert "Missing column name_zh." in problems and "Unknown column colour." in problems
    with pytest.raises(importing.ImportRejected):
        importing.import_catalogue(SYSTEM, b"", "empty.csv")
    with pytest.raises(importing.ImportRejected):
        importing.import_catalogue(SYSTEM, b"PK\x03\x04not really a zip", "broken.xlsx")


def test_xlsx_import_with_numbers_and_errors(app, world):
    rows = [
        list(importing.COLUMNS),
        ["LAMP", "手电筒", "Torch", "lighting_power", "个", "piece", 0.3, 0.001, "no", None, 0, None, "yes"],
        ["BADNUM", "坏", "Bad", "tools", "把", "piece", -1, 0.001, "no", None, 0, None, "maybe"],
    ]
    with pytest.raises(importing.ImportRejected) as raised:
        importing.import_catalogue(SYSTEM, _xlsx(rows), "c.xlsx")
    assert any(p.startswith("row 3, column unit_weight_kg:") for p in raised.value.problems)
    assert any(p.startswith("row 3, column is_active:") for p in raised.value.problems)
    with atomic():
        result = importing.import_catalogue(SYSTEM, _xlsx(rows[:2]), "c.xlsx")
    assert result.created == 1


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_round_trips_through_import(app, world, kind):
    with atomic():
        importing.import_catalogue(SYSTEM, GOOD_CSV, "catalogue.csv")
    items = list(db.session.scalars(select(Item).order_by(Item.sku)))
    exported = importing.export_csv(items) if kind == "csv" else importing.export_xlsx(items)
    before = importing.export_csv(items)
    with atomic():
        result = importing.import_catalogue(SYSTEM, exported, f"export.{kind}")
    assert (result.created, result.updated) == (0, len(items))
    db.session.expire_all()
    after = importing.export_csv(list(db.session.scalars(select(Item).order_by(Item.sku))))
    assert after == before


def test_demo_catalogue_loads_through_the_importer(app):
    from relief_stock.demo import loader

    with atomic():
        count = loader.load_catalogue()
    assert count == _count() > 40


def test_import_page_lists_problems_and_api_answers_422(client, login_as, world):
    login_as("admin")
    bad = f"{HEADER}\nX Y,坏,Bad,nothing,件,piece,1,1,no,,0,\n".encode()
    response = client.post(
        "/items/import",
        data={"form_token": secrets.token_hex(8), "file": (io.BytesIO(bad), "bad.csv")},
        headers={"Accept-Language": "en"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert (
        "Nothing was imported" in page and "row 2, column sku:" in page and "row 2, column category:" in page
    )

    response = client.post(
        "/api/v1/items/import", data={"file": (io.BytesIO(bad), "bad.csv")}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 422
    body = response.json
    assert set(body) == {"code", "status", "message", "errors"} and body["code"] == 422
    assert any(line.startswith("row 2, column category:") for line in body["errors"]["file"])

    response = client.post("/api/v1/items/import", data={"file": (io.BytesIO(GOOD_CSV), "good.csv")})
    assert response.status_code == 200 and response.json == {"created": 1, "updated": 1}
    response = client.post(
        "/items/import",
        data={
            "form_token": secrets.token_hex(8),
        },
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422 and "Choose a CSV or XLSX file." in response.get_data(as_text=True)


def test_export_downloads(client, login_as, world):
    login_as("auditor")
    response = client.get("/items/export.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [cell.value for cell in sheet[1]] == list(importing.COLUMNS)
    response = client.get("/api/v1/items/export?format=csv")
    assert response.status_code == 200 and response.data.decode("utf-8-sig").startswith("sku,name_zh")
    assert client.get("/api/v1/items/export?format=pdf").status_code == 422
