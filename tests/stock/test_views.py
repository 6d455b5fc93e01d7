"""The keeper's stock pages through the test client: receive, batch page and its actions, issue by
item with the FEFO suggestion, double-submit protection and depot scope."""

import re
import uuid
from datetime import timedelta

from relief_stock.auth.permissions import SYSTEM
from relief_stock.database import atomic, local_today
from relief_stock.extensions import db
from relief_stock.network import operations as network_ops
from relief_stock.stock.kinds import BatchStatus, MovementKind
from relief_stock.stock.models import Batch, Movement, Receipt
from relief_stock.stock.reconcile import reconcile


def token() -> str:
    return uuid.uuid4().hex


def text(response) -> str:
    return response.get_data(as_text=True)


def movements(batch, kind=None):
    query = db.select(Movement).where(Movement.batch_id == batch.id)
    if kind is not None:
        query = query.where(Movement.kind == kind)
    return list(db.session.scalars(query))


def fresh(batch) -> Batch:
    db.session.expire_all()
    return db.session.get(Batch, batch.id)


def add_location(world, code, depot="330102"):
    with atomic():
        return network_ops.create_location(SYSTEM, world.depots[depot], code)


def test_receive_several_lines_then_receipt_with_labels_button(client, world, login_as):
    login_as("keeper")
    add_location(world, "A-01")
    expiry = (local_today() + timedelta(days=300)).isoformat()
    form = {
        "form_token": token(),
        "source_kind": "donation",
        "supplier": "浙江某公司",
        "donor_ref": "DON-2026-7",
        "delivery_note_ref": "DN-88",
        "lines-0-item": "QUILT",
        "lines-0-quantity": "120",
        "lines-0-location": "a-01",
        "lines-1-item": "",
        "lines-1-quantity": "",  # a spare row left blank
        "lines-2-item": "WATER",
        "lines-2-quantity": "30",
        "lines-2-expiry_date": expiry,
        "lines-2-manufactured_date": "2026-01-05",
    }
    response = client.post("/depots/330102/receive", data=form)
    assert response.status_code == 303
    receipt = db.session.scalar(db.select(Receipt))
    assert response.location.endswith(f"/receipts/{receipt.id}")
    quilt, water = receipt.batches
    assert (quilt.quantity, quilt.location.code, quilt.donor_name) == (120, "A-01", "浙江某公司")
    assert (water.quantity, water.expiry_date.isoformat()) == (30, expiry)
    page = text(client.get(response.location))
    assert quilt.code in page and water.code in page and "DON-2026-7" in page
    assert f'action="/print/receipts/{receipt.id}/labels"' in page  # one tap from the receipt to its labels
    assert reconcile() == []


def test_receive_shows_each_refusal_beside_its_line_and_writes_nothing(client, world, login_as):
    login_as("keeper")
    form = {
        "form_token": token(),
        "source_kind": "purchase",
        "lines-0-item": "QUILT",
        "lines-0-quantity": "12",
        "lines-1-item": "QUILT",
        "lines-1-quantity": "zwölf",
        "lines-2-item": "NOPE",
        "lines-2-quantity": "3",
    }
    response = client.post("/depots/330102/receive", data=form)
    assert response.status_code == 422
    page = text(response)
    assert "请输入整数" in page and "NOPE" in page
    assert 'value="zwölf"' in page  # what was typed stays in its box
    # The operation's own rule (perishable needs an expiry) lands on the right row too.
    form = {
        "form_token": token(),
        "source_kind": "purchase",
        "lines-0-item": "",
        "lines-0-quantity": "",
        "lines-1-item": "WATER",
        "lines-1-quantity": "5",
    }
    response = client.post("/depots/330102/receive", data=form)
    assert response.status_code == 422
    assert re.search(
        r'name="lines-1-expiry_date"[^>]*>\s*(<small[^>]*>.*?</small>\s*)?<span class="field-error">',
        text(response),
        re.S,
    )
    assert db.session.scalar(db.select(db.func.count(Batch.id))) == 0


def test_receive_without_any_line_asks_for_one(client, world, login_as):
    login_as("keeper")
    response = client.post("/depots/330102/receive", data={"form_token": token(), "source_kind": "purchase"})
    assert response.status_code == 422 and "至少填写一行" in text(response)


def test_batch_page_shows_facts_actions_and_history(client, world, login_as, receive_one):
    batch = receive_one(40, item="WATER", expiry_date=local_today() + timedelta(days=20))
    login_as("keeper")
    page = text(client.get(f"/batches/{batch.code}"))
    assert "瓶装水" in page and "40" in page and "箱" in page
    assert "expiry-urgent" in page  # 20 days left: red
    for action in ("issue", "move", "quarantine", "write_off", "adjust"):
        assert f"/batches/{batch.code}/{action}" in page
    assert "/release" not in page
    assert f"/print/labels/batches?batch_ids={batch.id}" in page
    assert "入库" in page and "keeper" in page  # the receipt movement, and who made it


def test_batch_page_for_someone_who_may_not_act_has_no_action_buttons(client, world, login_as, receive_one):
    batch = receive_one(5)
    login_as("ningbo-keeper")
    response = client.get(f"/batches/{batch.code}")
    assert response.status_code == 200 and f"/batches/{batch.code}/issue" not in text(response)


def test_issue_form_issues_and_refuses_too_much_beside_the_field(client, world, login_as, receive_one):
    batch = receive_one(10)
    login_as("keeper")
    assert "autofocus" in text(client.get(f"/batches/{batch.code}/issue"))
    response = client.post(f"/batches/{batch.code}/issue", data={"form_token": token(), "quantity": "25"})
    assert (
        response.status_code == 409 and "25" in text(response) and 'class="field invalid"' in text(response)
    )
    response = client.post(
        f"/batches/{batch.code}/issue", data={"form_token": token(), "quantity": "4", "reason": "安置点A"}
    )
    assert response.status_code == 303 and response.location.endswith(f"/batches/{batch.code}")
    assert fresh(batch).quantity == 6
    assert "出库 4" in text(client.get(response.location))  # the flashed confirmation


def test_double_submit_writes_once(client, world, login_as, receive_one):
    batch = receive_one(10)
    login_as("keeper")
    form = {"form_token": token(), "quantity": "3"}
    first = client.post(f"/batches/{batch.code}/issue", data=form)
    second = client.post(f"/batches/{batch.code}/issue", data=form)
    assert first.status_code == second.status_code == 303 and first.location == second.location
    assert fresh(batch).quantity == 7 and len(movements(batch, MovementKind.ISSUE)) == 1
    # A form without a token (a page from before the protection) is refused, not run unprotected.
    response = client.post(f"/batches/{batch.code}/issue", data={"quantity": "3"})
    assert response.status_code == 422 and fresh(batch).quantity == 7


def test_issue_by_item_shows_fefo_batches_before_confirming(client, world, login_as, receive_one):
    later = receive_one(10, item="WATER", expiry_date=local_today() + timedelta(days=300))
    sooner = receive_one(4, item="WATER", expiry_date=local_today() + timedelta(days=100))
    login_as("keeper")
    preview = client.post(
        "/depots/330102/issue", data={"form_token": token(), "item": "WATER", "quantity": "6"}
    )
    page = text(preview)
    assert preview.status_code == 200 and page.index(sooner.code) < page.index(later.code)
    assert fresh(sooner).quantity == 4  # nothing issued yet
    response = client.post(
        "/depots/330102/issue", data={"form_token": token(), "confirm": "1", "item": "WATER", "quantity": "6"}
    )
    assert response.status_code == 303
    assert (fresh(sooner).quantity, fresh(later).quantity) == (0, 8)
    too_much = client.post(
        "/depots/330102/issue", data={"form_token": token(), "item": "WATER", "quantity": "99"}
    )
    assert "还差 91" in text(too_much) and "确认出库" not in text(too_much)  # no confirm button


def test_move_whole_batch_and_part_of_it(client, world, login_as, receive_one):
    batch = receive_one(10)
    add_location(world, "B-02")
    login_as("keeper")
    response = client.post(f"/batches/{batch.code}/move", data={"form_token": token(), "location": "b-02"})
    assert response.status_code == 303 and fresh(batch).location.code == "B-02"
    add_location(world, "C-03")
    response = client.post(
        f"/batches/{batch.code}/move", data={"form_token": token(), "location": "C-03", "quantity": "4"}
    )
    child = db.session.scalar(db.select(Batch).where(Batch.parent_id == batch.id))
    assert response.status_code == 303 and response.location.endswith(f"/batches/{child.code}")
    assert (child.quantity, child.location.code, fresh(batch).quantity) == (4, "C-03", 6)
    response = client.post(f"/batches/{batch.code}/move", data={"form_token": token(), "location": "Z-99"})
    assert response.status_code == 422 and "Z-99" in text(response) and "field invalid" in text(response)


def test_quarantine_release_and_write_off_need_their_reasons(client, world, login_as, receive_one):
    batch = receive_one(10)
    login_as("keeper")
    response = client.post(f"/batches/{batch.code}/quarantine", data={"form_token": token()})
    assert response.status_code == 422 and "请填写原因" in text(response)
    client.post(f"/batches/{batch.code}/quarantine", data={"form_token": token(), "reason": "包装破损"})
    assert fresh(batch).status is BatchStatus.QUARANTINED
    assert f"/batches/{batch.code}/release" in text(client.get(f"/batches/{batch.code}"))
    client.post(f"/batches/{batch.code}/release", data={"form_token": token()})
    assert fresh(batch).status is BatchStatus.AVAILABLE
    client.post(
        f"/batches/{batch.code}/write_off", data={"form_token": token(), "quantity": "10", "reason": "水浸"}
    )
    assert (fresh(batch).quantity, fresh(batch).status) == (0, BatchStatus.WRITTEN_OFF)
    assert reconcile() == []


def test_keeper_outside_his_depot_gets_403(client, world, login_as, receive_one):
    batch = receive_one(10)
    login_as("ningbo-keeper")
    assert client.get(f"/batches/{batch.code}/issue").status_code == 403
    assert (
        client.post(f"/batches/{batch.code}/issue", data={"form_token": token(), "quantity": "1"}).status_code
        == 403
    )
    assert client.get("/depots/330102/receive").status_code == 403
    assert client.get("/depots/330102/counts").status_code == 403
    assert fresh(batch).quantity == 10


def test_unknown_batch_and_action_are_404(client, world, login_as, receive_one):
    batch = receive_one(1)
    login_as("keeper")
    assert client.get(f"/batches/{batch.code}/teleport").status_code == 404
    wrong_check = batch.code[:-1] + ("0" if batch.code[-1] != "0" else "1")
    mistyped = client.get(f"/batches/{wrong_check}")  # a page that names nothing, saying why
    assert mistyped.status_code == 404 and wrong_check in text(mistyped)


def test_pages_speak_english_too(client, world, login_as, receive_one):
    batch = receive_one(3)
    login_as("keeper")
    client.post("/lang/en")
    page = text(client.get(f"/batches/{batch.code}"))
    assert "Issue" in page and "Write off" in page and "出库" not in page
    page = text(client.get("/depots/330102/stock?location=A-01"))
    assert "Stock on hand" in page
