"""Print endpoints over HTTP on both databases: a keeper's receipt to labels in one request, layouts
and formats, bad options refused with 4xx, scope, and a dispatcher's manifest whose totals match."""

import re
from decimal import Decimal

import pytest

from relief_stock.database import atomic
from relief_stock.extensions import db
from relief_stock.scanning.codes import parse, url_for_code
from relief_stock.stock import operations as stock_ops
from relief_stock.stock.models import Batch
from tests.printing.conftest import decode, flat, page_texts, rasterise
from tests.printing.helpers import location, receive, transfer_from


def qr_texts(pdf: bytes) -> list[str]:
    return sorted(result.text for page in rasterise(pdf) for result in decode(page))


def test_keeper_prints_a_fresh_receipt_in_one_request(client, world, login_as):
    receipt = receive(
        world, "330102", [("QUILT", 40), ("WATER", 12)], donor="阿里巴巴公益基金会", user="keeper"
    )
    login_as("keeper")
    response = client.post(f"/print/receipts/{receipt.id}/labels")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert qr_texts(response.data) == sorted(url_for_code(b.code) for b in receipt.batches)
    text = flat(page_texts(response.data)[0])
    assert "棉被" in text and "瓶装水" in text and "捐赠方：阿里巴巴公益基金会" in text
    # What a phone decodes is what the scan box accepts: parse() takes the URL back to the batch code.
    assert sorted(parse(url).code for url in qr_texts(response.data)) == sorted(
        b.code for b in receipt.batches
    )
    water = receipt.batches[1]
    assert f"有效期至{water.expiry_date.isoformat()}" in text and water.code in text


def test_layout_copies_start_and_the_remembered_layout(client, world, login_as):
    first = receive(world, "330102", [("QUILT", 4)]).batches[0]
    second = receive(world, "330102", [("WATER", 6)]).batches[0]
    login_as("keeper")
    response = client.post(
        "/print/labels/batches",
        data={"batch_ids": f"{first.id},{second.id}", "layout": "a4-2x5", "copies": "2", "start": "9"},
    )
    assert response.status_code == 200 and "a4-2x5" in response.headers["Content-Disposition"]
    pages = rasterise(response.data)
    assert len(pages) == 2 and len(decode(pages[0])) == 2 and len(decode(pages[1])) == 2
    again = client.post("/print/labels/batches", data={"batch_ids": [str(first.id)]})
    assert "a4-2x5" in again.headers["Content-Disposition"]  # this browser's last choice


def test_zpl_and_tspl_downloads(client, world, login_as):
    receipt = receive(world, "330102", [("WATER", 12)])
    login_as("keeper")
    url = url_for_code(receipt.batches[0].code)
    zpl = client.get(f"/print/receipts/{receipt.id}/labels?layout=thermal-60x40&format=zpl&copies=2")
    assert zpl.status_code == 200 and zpl.headers["Content-Disposition"].startswith("attachment")
    assert zpl.headers["Content-Type"] == "text/plain; charset=us-ascii"
    body = zpl.get_data(as_text=True)
    assert "^PW480" in body and "^LL320" in body and f"^FDMA,{url}^FS" in body and "^PQ2" in body
    tspl = client.get(f"/print/receipts/{receipt.id}/labels?layout=thermal-100x150&format=tspl")
    assert tspl.status_code == 200 and tspl.data.startswith(b"SIZE 100 mm,150 mm\r\n")
    assert tspl.headers["Content-Type"] == "application/octet-stream"
    assert f'"{url}"'.encode() in tspl.data


@pytest.mark.parametrize(
    "query, status",
    [
        ("layout=a4-9x9", 404),
        ("copies=0", 422),
        ("copies=x", 422),
        ("start=25", 422),
        ("format=pdf2", 422),
        ("layout=a4-3x8&format=zpl", 422),
        ("lang=fr", 422),
        ("layout=location-a4-3x8", 404),
    ],
)
def test_bad_options_answer_4xx(client, world, login_as, query, status):
    receipt = receive(world, "330102", [("QUILT", 4)])
    login_as("keeper")
    response = client.get(
        f"/print/receipts/{receipt.id}/labels?{query}", headers={"Accept": "application/json"}
    )
    assert response.status_code == status, response.get_data(as_text=True)


def test_bad_selections_answer_4xx(client, world, login_as):
    login_as("keeper")
    assert client.post("/print/labels/batches", data={}).status_code == 422
    assert client.post("/print/labels/batches", data={"batch_ids": "1,abc"}).status_code == 422
    assert client.post("/print/labels/batches", data={"batch_ids": "999999"}).status_code == 404
    assert client.get("/print/receipts/999999/labels").status_code == 404
    assert client.get("/print/transfers/T-330102-2026-000099-X/manifest").status_code == 404


def test_out_of_scope_batch_in_a_selection_refuses_the_whole_print(client, world, login_as):
    mine = receive(world, "330102", [("QUILT", 4)]).batches[0]
    theirs = receive(world, "330203", [("QUILT", 4)]).batches[0]
    login_as("keeper")
    response = client.post("/print/labels/batches", data={"batch_ids": f"{mine.id},{theirs.id}"})
    assert response.status_code == 403


def test_location_labels(client, world, login_as):
    for code in ("B-02-01", "A-01-01", "A-01-02"):
        location(world, "330102", code, "一号库房")
    login_as("keeper")
    response = client.get("/print/depots/330102/locations/labels")
    assert response.status_code == 200
    assert [u.rsplit("/", 1)[1][:17] for u in qr_texts(response.data)] == [
        "L-330102-A-01-01-",
        "L-330102-A-01-02-",
        "L-330102-B-02-01-",
    ]


def test_manifest_and_picking_list_for_a_transfer(client, world, login_as):
    shelf_b, shelf_a = location(world, "330102", "B-01"), location(world, "330102", "A-01")
    receive(
        world, "330102", [("WATER", 20, shelf_b, 200), ("WATER", 20, shelf_a, 100), ("QUILT", 50, shelf_b)]
    )
    transfer = transfer_from(world, "330102", {"WATER": 25, "QUILT": 30})
    login_as("dispatcher")
    picking = client.get(f"/print/transfers/{transfer.number}/picking-list")
    assert picking.status_code == 200
    text = flat(page_texts(picking.data)[0])
    # FEFO: the batch expiring in 100 days (on A-01) gives 20, the later one 5; rows by location.
    assert text.index("A-01") < text.index("B-01")
    assert re.search(r"A-01B-\d{6}-2026-\d{6}-\w瓶装水.*?20箱", text)

    with atomic():
        water_line = next(line for line in transfer.lines if line.item.sku == "WATER")
        quilt_line = next(line for line in transfer.lines if line.item.sku == "QUILT")
        batches = db.session.scalars(
            db.select(Batch).where(Batch.depot_id == transfer.from_depot_id).order_by(Batch.expiry_date)
        ).all()
        water = [b for b in batches if b.item_id == water_line.item_id]
        quilt = next(b for b in batches if b.item_id == quilt_line.item_id)
        stock_ops.pick(world.users["keeper"], water_line, water[0], 20)
        stock_ops.pick(world.users["keeper"], water_line, water[1], 5)
        stock_ops.pick(world.users["keeper"], quilt_line, quilt, 30)
    response = client.get(f"/print/transfers/{transfer.number}/manifest")
    assert response.status_code == 200
    assert qr_texts(response.data) == [url_for_code(transfer.number)]
    text = flat("".join(page_texts(response.data)))
    weight = Decimal("13.8") * 25 + Decimal("2.5") * 30
    volume = Decimal("0.02") * 55
    assert f"{weight:,.1f}" in text and f"{volume:,.3f}" in text and "共3行" in text
    assert all(b.code in text for b in water + [quilt])
    english = client.get(f"/print/transfers/{transfer.number}/manifest?lang=en")
    assert "Dispatchmanifest" in flat(page_texts(english.data)[0])


def test_manifest_prints_the_truck_given_at_dispatch(client, world, login_as):
    receive(world, "330102", [("QUILT", 30)])
    transfer = transfer_from(world, "330102", {"QUILT": 30})
    keeper = world.users["keeper"]
    truck = {"vehicle_plate": "浙A·D2026", "driver_name": "王师傅", "driver_phone": "+86 139-0000-2222"}
    with atomic():
        (line,) = transfer.lines
        batch = db.session.scalars(db.select(Batch).where(Batch.depot_id == transfer.from_depot_id)).one()
        stock_ops.pick(keeper, line, batch, 30)
        stock_ops.dispatch_transfer(keeper, transfer, **truck)
    login_as("keeper")
    response = client.get(f"/print/transfers/{transfer.number}/manifest")
    assert response.status_code == 200
    text = flat("".join(page_texts(response.data)))
    assert all(flat(value) in text for value in truck.values())


def test_receipt_note_shows_quantities_received(client, world, login_as):
    receipt = receive(world, "330102", [("QUILT", 40), ("WATER", 12)])
    login_as("keeper")
    response = client.get(f"/print/receipts/{receipt.id}/note")
    assert response.status_code == 200
    text = flat(page_texts(response.data)[0])
    assert "物资入库单" in text and receipt.number in text and "40床、12箱" in text  # totals by unit
    # The date of receipt is the one the batches' labels print.
    assert f"入库时间：{receipt.batches[0].received_date.isoformat()}" in text
    label_text = flat(page_texts(client.get(f"/print/receipts/{receipt.id}/labels").data)[0])
    assert f"入库{receipt.batches[0].received_date.isoformat()}" in label_text
    assert qr_texts(response.data) == [url_for_code(receipt.number)]


def test_options_page(client, world, login_as):
    receipt = receive(world, "330102", [("QUILT", 4)])
    login_as("keeper")
    page = client.get(f"/print/labels/options?receipt_id={receipt.id}").get_data(as_text=True)
    assert "A4 标签纸 3×8" in page and "热敏标签 60×40 mm" in page and receipt.number in page


def test_two_clicks_from_the_receipt_page_and_the_transfer_page(client, world, login_as):
    """The receipt page's button posts straight to the labels PDF; the transfer page links the manifest."""
    from flask import url_for

    receipt = receive(world, "330102", [("QUILT", 8)], user="keeper")
    login_as("keeper")
    with client.application.test_request_context():
        receipt_page, labels_url = (
            url_for("stock.receipt", receipt_id=receipt.id),
            url_for("printing.receipt_labels", receipt_id=receipt.id),
        )
    page = client.get(receipt_page).get_data(as_text=True)
    assert f'action="{labels_url}"' in page
    pdf = client.post(labels_url)
    assert pdf.mimetype == "application/pdf" and qr_texts(pdf.data) == [url_for_code(receipt.batches[0].code)]

    transfer = transfer_from(world, "330102", {"QUILT": 5})
    login_as("dispatcher")
    with client.application.test_request_context():
        transfer_page = url_for("dispatch.transfer", number=transfer.number)
        manifest_url = url_for("printing.manifest", number=transfer.number)
    assert f'href="{manifest_url}"' in client.get(transfer_page).get_data(as_text=True)
    assert client.get(manifest_url).mimetype == "application/pdf"
