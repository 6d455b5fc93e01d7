"""Stocktakes auditors accept: blind counts, misplaced stock recorded and moved, a reason for every
difference, and a second person's approval for the large ones; the printable count sheet."""

import subprocess
import uuid

import pytest

from relief_stock.auth.models import Role
from relief_stock.auth.permissions import SYSTEM
from relief_stock.database import atomic
from relief_stock.errors import BadInput, Conflict, PermissionDenied
from relief_stock.extensions import db
from relief_stock.network import operations as network_ops
from relief_stock.stock import operations as ops
from relief_stock.stock.kinds import MovementKind, StocktakeStatus
from relief_stock.stock.models import Batch, Movement, Stocktake
from relief_stock.stock.reconcile import reconcile
from relief_stock.stock.stocktake import differences, may_approve


def token():
    return uuid.uuid4().hex


def shelves(world, *codes):
    with atomic():
        return [network_ops.create_location(SYSTEM, world.depots["330102"], code) for code in codes]


def fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def pdf_text(body: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=body, capture_output=True, check=True
    ).stdout.decode()


def test_blind_count_hides_the_book_quantity_on_the_sheet_and_on_paper(client, world, login_as, receive_one):
    batch = receive_one(137)
    login_as("keeper")
    response = client.post("/depots/330102/counts", data={"form_token": token(), "is_blind": "1"})
    count = db.session.scalar(db.select(Stocktake))
    assert response.status_code == 303 and count.is_blind
    sheet = client.get(f"/counts/{count.id}").get_data(as_text=True)
    assert batch.code in sheet and "137" not in sheet and "盲盘" in sheet
    paper = client.get(f"/print/counts/{count.id}/sheet")
    text = pdf_text(paper.data)
    assert paper.mimetype == "application/pdf" and batch.code in text and "137" not in text
    client.post(f"/counts/{count.id}", data={"form_token": token(), f"count-{batch.id}": "135"})
    assert "137" not in client.get(f"/counts/{count.id}").get_data(as_text=True)  # still blind while counting
    # An open count: the book quantity is printed for counting against it.
    with atomic():
        open_count = ops.open_stocktake(world.users["keeper"], world.depots["330102"])
    assert "137" in pdf_text(client.get(f"/print/counts/{open_count.id}/sheet").data)


def test_batch_found_on_the_counted_shelf_but_booked_elsewhere_is_recorded_and_moved(world, receive_one):
    keeper = world.users["keeper"]
    a01, a02 = shelves(world, "A-01", "A-02")
    here, misplaced, unshelved = receive_one(5, location=a01), receive_one(8, location=a02), receive_one(3)
    other_depot = receive_one(4, depot="330106", user="admin")
    with atomic():
        count = ops.open_stocktake(keeper, world.depots["330102"], a01)
        ops.record_count(keeper, count, here, 5)
        line = ops.record_count(keeper, count, misplaced, 7)
        ops.record_count(keeper, count, unshelved, 3)
    assert line.misplaced_from_id == a02.id
    with pytest.raises(BadInput), atomic():
        ops.record_count(keeper, count, other_depot, 4)  # another depot's stock is still refused
    with atomic():
        for diff in differences(count):
            ops.set_reason(keeper, count, diff, "一件破损")
        ops.post_stocktake(keeper, count)
    moved, shelved = fresh(Batch, misplaced.id), fresh(Batch, unshelved.id)
    assert (moved.location_id, moved.quantity) == (a01.id, 7) and shelved.location_id == a01.id
    moves = db.session.scalars(
        db.select(Movement).where(Movement.batch_id == misplaced.id, Movement.kind == MovementKind.MOVE_IN)
    ).all()
    assert [m.location_id for m in moves] == [a01.id]
    assert reconcile() == []


def test_the_location_sheet_records_a_misplaced_scan(client, world, login_as, receive_one):
    (a01,) = shelves(world, "A-01")
    elsewhere = receive_one(6)
    login_as("keeper")
    client.post("/depots/330102/counts", data={"form_token": token(), "location": "A-01"})
    count = db.session.scalar(db.select(Stocktake))
    response = client.post(
        f"/counts/{count.id}",
        data={"form_token": token(), "record": "scan", "code": elsewhere.code, "counted": "6"},
    )
    assert response.status_code == 303
    sheet = client.get(f"/counts/{count.id}").get_data(as_text=True)
    assert elsewhere.code in sheet and "过账时移至此处" in sheet


def test_every_difference_needs_a_reason(world, receive_one):
    keeper = world.users["keeper"]
    batch = receive_one(10)
    with atomic():
        count = ops.open_stocktake(keeper, world.depots["330102"])
        ops.record_count(keeper, count, batch, 9)
    with pytest.raises(BadInput) as refused, atomic():
        ops.post_stocktake(keeper, count)
    assert batch.code in refused.value.message
    assert fresh(Stocktake, count.id).status is StocktakeStatus.OPEN and fresh(Batch, batch.id).quantity == 10
    with atomic():
        ops.set_reason(keeper, count, differences(count)[0], "鼠咬损坏")
        movements = ops.post_stocktake(keeper, count)
    assert [m.quantity for m in movements] == [-1] and "鼠咬损坏" in movements[0].reason


def test_large_differences_need_a_second_person(world, make, receive_one):
    keeper, depot = world.users["keeper"], world.depots["330102"]
    other_keeper = make.user("keeper-2", Role.KEEPER, depot)
    batch, small = receive_one(100), receive_one(10)
    with atomic():
        count = ops.open_stocktake(keeper, depot)
        ops.record_count(keeper, count, batch, 80)  # -20: above the threshold of 10
        ops.record_count(keeper, count, small, 9)  # -1: the counter may book it alone
        for diff in differences(count):
            ops.set_reason(keeper, count, diff, "待查")
    with pytest.raises(Conflict), atomic():
        ops.post_stocktake(keeper, count)
    assert not may_approve(keeper, count)  # who counted cannot approve
    with pytest.raises(PermissionDenied), atomic():
        ops.approve_stocktake(keeper, count)
    with pytest.raises(PermissionDenied), atomic():
        ops.approve_stocktake(world.users["ningbo-keeper"], count)  # not this depot's keeper
    assert may_approve(world.users["dispatcher"], count)  # Hangzhou dispatcher covers 330102
    assert not may_approve(world.users["auditor"], count)
    with atomic():
        ops.approve_stocktake(other_keeper, count)
    # Counting again withdraws the approval: what was approved is no longer what would be booked.
    with atomic():
        ops.record_count(keeper, count, batch, 75)
        ops.set_reason(keeper, count, [d for d in differences(count) if d.batch_id == batch.id][0], "待查")
    with pytest.raises(Conflict), atomic():
        ops.post_stocktake(keeper, count)
    with atomic():
        ops.approve_stocktake(world.users["dispatcher"], count)
        ops.post_stocktake(keeper, count)
    assert (
        fresh(Batch, batch.id).quantity == 75
        and fresh(Stocktake, count.id).approved_by_id == world.users["dispatcher"].id
    )
    assert reconcile() == []


def test_approval_page_for_the_dispatcher(client, world, login_as, receive_one):
    batch = receive_one(100)
    keeper = world.users["keeper"]
    with atomic():
        count = ops.open_stocktake(keeper, world.depots["330102"])
        ops.record_count(keeper, count, batch, 50)
        ops.set_reason(keeper, count, differences(count)[0], "被水淹")
    login_as("dispatcher")
    page = client.get(f"/counts/{count.id}/approve").get_data(as_text=True)
    assert batch.code in page and "被水淹" in page and "-50" in page
    response = client.post(f"/counts/{count.id}/approve", data={"form_token": token()})
    assert (
        response.status_code == 303
        and fresh(Stocktake, count.id).approved_by_id == world.users["dispatcher"].id
    )
    login_as("keeper")
    assert client.post(f"/counts/{count.id}/post", data={"form_token": token()}).status_code == 303
