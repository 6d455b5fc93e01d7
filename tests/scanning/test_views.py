"""The scan page and the short URLs printed in QR codes, through the test client."""

from relief_stock.auth.permissions import SYSTEM
from relief_stock.database import atomic
from relief_stock.extensions import db
from relief_stock.network import operations as network_ops
from relief_stock.scanning import codes
from relief_stock.scanning.models import ScanEvent


def test_scan_page_has_a_box_that_submits_on_enter(client, world, login_as):
    login_as("keeper")
    page = client.get("/scan").get_data(as_text=True)
    assert 'name="code"' in page and "autofocus" in page and 'method="get"' in page
    assert "/depots/330102/receive" in page  # the keeper's quick links


def test_scanning_a_batch_code_or_its_url_opens_the_batch_page(client, world, login_as, receive_one):
    batch = receive_one(5)
    login_as("keeper")
    response = client.get("/scan", query_string={"code": batch.code})
    assert response.status_code == 302 and response.location.endswith(f"/batches/{batch.code}")
    # What a phone camera or a scanner reading the QR code types: the label URL, any case, stray spaces.
    url = f" https://relief.example.org/b/{batch.code.lower()} "
    response = client.get("/scan", query_string={"code": url})
    assert response.status_code == 302 and response.location.endswith(f"/batches/{batch.code}")
    assert client.get(response.location).status_code == 200


def test_mistyped_code_comes_back_with_the_reason_and_what_was_typed(client, world, login_as, receive_one):
    batch = receive_one(5)
    login_as("keeper")
    typo = batch.code[:-4] + batch.code[-3] + batch.code[-4] + batch.code[-2:]  # 000001 -> 000010
    response = client.get("/scan", query_string={"code": typo})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "校验位不符" in page and f'value="{typo}"' in page
    response = client.get("/scan", query_string={"code": "hello"})
    assert response.status_code == 422 and "无法识别的编码类型" in response.get_data(as_text=True)
    unknown = codes.format_sequenced(codes.BATCH, "330102", 2026, 999999)
    response = client.get("/scan", query_string={"code": unknown})
    assert response.status_code == 404 and "系统中没有此编码" in response.get_data(as_text=True)
    # Every scan is logged, the refused ones too.
    results = sorted(e.result for e in db.session.scalars(db.select(ScanEvent)))
    assert results == ["invalid", "invalid", "not_found"]


def test_short_urls_resolve_and_redirect(client, world, login_as, receive_one):
    with atomic():
        shelf = network_ops.create_location(SYSTEM, world.depots["330102"], "A-01")
    batch = receive_one(5, location=shelf)
    login_as("auditor")
    response = client.get(f"/b/{batch.code}")
    assert response.status_code == 302 and response.location.endswith(f"/batches/{batch.code}")
    response = client.get(f"/r/{batch.receipt.number}")
    assert response.status_code == 302 and response.location.endswith(f"/receipts/{batch.receipt_id}")
    location_code = codes.location_code("330102", "A-01")
    response = client.get(f"/l/{location_code}")
    assert response.status_code == 302 and "/depots/330102/stock?location=A-01" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert batch.code in page and "盘点库位 A-01" not in page  # the auditor may look, not count
    mistyped = batch.code[:-1] + ("A" if batch.code[-1] != "A" else "B")
    response = client.get(f"/b/{mistyped}")
    assert response.status_code == 404 and "校验位不符" in response.get_data(as_text=True)
    assert client.get(f"/l/{batch.code}").status_code == 404  # a batch code under the location prefix


def test_a_stranger_scanning_a_label_is_asked_to_sign_in_and_comes_back(client, world, receive_one):
    batch = receive_one(5)
    response = client.get(f"/b/{batch.code}")
    assert response.status_code == 302 and "/login" in response.location and batch.code in response.location
    response = client.post(response.location, data={"username": "keeper", "password": "password-123"})
    assert response.location.endswith(f"/b/{batch.code}")


def test_a_transfer_code_opens_the_transfer_page(client, world, login_as):
    from tests.stock.test_transfers_and_stocktake import make_transfer

    transfer, _line = make_transfer(world, 5)
    login_as("dispatcher")
    # make_transfer numbers its transfers freely; printed transfer codes are T-<depot>-<year>-<seq>-<check>.
    code = codes.format_sequenced(codes.TRANSFER, "330100", 2026, 1)
    with atomic():
        db.session.get(type(transfer), transfer.id).number = code
    response = client.get(f"/t/{code}")
    assert response.status_code == 302 and response.location.endswith(f"/dispatch/transfers/{code}")
