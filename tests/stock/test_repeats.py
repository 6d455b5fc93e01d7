"""The repeat guard: Back, then Confirm again, must not issue twice without the keeper saying so."""

import uuid
from datetime import timedelta

from relief_stock.extensions import db
from relief_stock.stock.kinds import MovementKind
from relief_stock.stock.models import Batch, Movement
from relief_stock.stock.repeats import earlier_same
from tests.stock.test_views import add_location


def token() -> str:
    return uuid.uuid4().hex


def issues(batch):
    return list(
        db.session.scalars(
            db.select(Movement).where(Movement.batch_id == batch.id, Movement.kind == MovementKind.ISSUE)
        )
    )


def quantity(batch) -> int:
    db.session.expire_all()
    return db.session.get(Batch, batch.id).quantity


def test_second_issue_within_minutes_asks_naming_the_first(client, world, login_as, receive_one):
    batch = receive_one(130)
    login_as("keeper")
    first = client.post(f"/batches/{batch.code}/issue", data={"form_token": token(), "quantity": "5"})
    assert first.status_code == 303 and quantity(batch) == 125
    # Back, and the browser offers the same quantity again: the page asks instead of issuing.
    again = client.post(f"/batches/{batch.code}/issue", data={"form_token": token(), "quantity": "5"})
    page = again.get_data(as_text=True)
    assert again.status_code == 409 and quantity(batch) == 125
    assert "出库 5" in page and batch.code in page and 'name="confirm_repeat" value="1"' in page
    confirmed = client.post(
        f"/batches/{batch.code}/issue",
        data={"form_token": token(), "quantity": "5", "confirm_repeat": "1"},
    )
    assert confirmed.status_code == 303 and quantity(batch) == 120 and len(issues(batch)) == 2


def test_guard_is_per_user_batch_and_window(client, world, login_as, receive_one):
    batch, other = receive_one(50), receive_one(50)
    login_as("keeper")
    client.post(f"/batches/{batch.code}/issue", data={"form_token": token(), "quantity": "5"})
    keeper, dispatcher = world.users["keeper"], world.users["dispatcher"]
    assert earlier_same(keeper, "issue", batch=batch) is not None
    assert earlier_same(keeper, "issue", batch=other) is None  # another batch
    assert earlier_same(dispatcher, "issue", batch=batch) is None  # another user
    assert earlier_same(keeper, "write_off", batch=batch) is None  # another operation
    assert earlier_same(keeper, "issue", batch=batch, window=timedelta(0)) is None  # long ago
    # Another batch goes through at once.
    response = client.post(f"/batches/{other.code}/issue", data={"form_token": token(), "quantity": "5"})
    assert response.status_code == 303 and quantity(other) == 45


def test_issue_by_item_repeat_asks_too_and_keeps_the_preview(client, world, login_as, receive_one):
    batch = receive_one(40)
    login_as("keeper")
    form = {"form_token": token(), "confirm": "1", "item": "QUILT", "quantity": "6", "reason": "安置点"}
    assert client.post("/depots/330102/issue", data=form).status_code == 303
    again = client.post("/depots/330102/issue", data={**form, "form_token": token()})
    page = again.get_data(as_text=True)
    assert again.status_code == 409 and quantity(batch) == 34
    assert "棉被" in page and 'name="confirm_repeat" value="1"' in page  # the preview, with the item
    confirmed = client.post(
        "/depots/330102/issue", data={**form, "form_token": token(), "confirm_repeat": "1"}
    )
    assert confirmed.status_code == 303 and quantity(batch) == 28


def test_quantity_boxes_do_not_autofill(client, world, login_as, receive_one):
    batch = receive_one(10)
    login_as("keeper")
    page = client.get(f"/batches/{batch.code}/issue").get_data(as_text=True)
    assert 'name="quantity" type="number"' in page and 'autocomplete="off"' in page


def test_issue_by_item_preview_names_item_total_and_keeps_the_form(client, world, login_as, receive_one):
    receive_one(4)
    login_as("keeper")
    preview = client.post(
        "/depots/330102/issue",
        data={"form_token": token(), "item": "QUILT", "quantity": "9", "reason": "安置点B"},
    )
    page = preview.get_data(as_text=True)
    assert "棉被" in page and "共出库 9 床" in page and "还差 5" in page
    assert "出库现有的 4" in page  # short stock is no dead end: issue what is there, or edit
    assert "item=QUILT" in page and "quantity=9" in page  # the way back keeps the form
    back = client.get("/depots/330102/issue?item=QUILT&quantity=9&reason=x").get_data(as_text=True)
    assert 'value="9"' in back


def test_move_to_where_the_batch_already_is_is_refused(client, world, login_as, receive_one):
    add_location(world, "A-01")
    batch = receive_one(10)
    login_as("keeper")
    assert (
        client.post(
            f"/batches/{batch.code}/move", data={"form_token": token(), "location": "A-01"}
        ).status_code
        == 303
    )
    again = client.post(f"/batches/{batch.code}/move", data={"form_token": token(), "location": "a-01"})
    assert again.status_code == 409 and "A-01" in again.get_data(as_text=True)


def test_moves_show_from_and_to_and_a_location_scan_lands_on_its_batches(
    client, world, login_as, receive_one
):
    a01, b02 = add_location(world, "A-01"), add_location(world, "B-02")
    batch = receive_one(10, location=a01)
    receive_one(3)  # elsewhere in the depot
    login_as("keeper")
    client.post(f"/batches/{batch.code}/move", data={"form_token": token(), "location": "B-02"})
    history = client.get(f"/batches/{batch.code}").get_data(as_text=True)
    assert "从 A-01 移至 B-02" in history
    from relief_stock.scanning import codes

    response = client.get(f"/l/{codes.location_code('330102', b02.code)}")
    page = client.get(response.location).get_data(as_text=True)
    assert "库位 B-02 的批次" in page and page.index("库位 B-02 的批次") < page.index("<h2>按物资</h2>")
