"""The keeper's work list (to pick, to dispatch, arriving with ETA), its dashboard panel, and a
refused pick that names the real reason."""

import secrets

import pytest

from relief_stock.database import atomic
from relief_stock.dispatch import operations, transfers, worklist
from relief_stock.errors import BadInput
from relief_stock.stock import operations as stock_ops
from tests.dispatch.helpers import emergency, receive


def approved(world, sites, user="dispatcher"):
    e = emergency(world, sites=sites)
    with atomic():
        plan = operations.make_plan(world.users[user], e)
    with atomic():
        return operations.approve(world.users[user], plan)


def test_orders_move_from_to_pick_to_to_dispatch_to_arriving(world, client, login_as):
    batch = receive(world, "330102", "QUILT", 100)
    (transfer,) = approved(world, [("county depot", "330106", {"QUILT": (40, 1)})])
    sender, receiver = world.depots["330102"], world.depots["330106"]
    assert worklist.work_list(sender).to_pick == [transfer]
    keeper = world.users["keeper"]
    with atomic():
        transfers.scan_pick(keeper, transfer, batch.code)
    work = worklist.work_list(sender)
    assert (work.to_pick, work.to_dispatch) == ([], [transfer])
    with atomic():
        stock_ops.dispatch_transfer(keeper, transfer)
    assert worklist.work_list(sender).count == 0
    ((arriving, eta),) = worklist.work_list(receiver).arriving
    assert arriving == transfer and eta > transfer.dispatched_at
    login_as("keeper")
    home = client.get("/dashboard").get_data(as_text=True)
    assert "/dispatch/depots/330102/work" in home
    page = client.get("/dispatch/depots/330106/work").get_data(as_text=True)
    assert transfer.number in page and "40" in page


def test_a_batch_picked_for_another_order_is_refused_with_that_reason(world):
    batch = receive(world, "330102", "QUILT", 30)
    (first,) = approved(world, [("a", (30.3, 120.2), {"QUILT": (30, 1)})])
    keeper = world.users["keeper"]
    with atomic():
        transfers.scan_pick(keeper, first, batch.code)
    receive(world, "330102", "QUILT", 10)  # more stock arrives; a second order is approved
    (second,) = approved(world, [("b", (30.4, 120.3), {"QUILT": (10, 1)})])
    with pytest.raises(BadInput) as refused:
        with atomic():
            transfers.scan_pick(keeper, second, batch.code)
    message = str(refused.value)
    assert batch.code in message and "30" in message and " - " not in message


def test_officer_cancels_an_approved_order_from_its_page(world, client, login_as):
    from relief_stock.extensions import db
    from relief_stock.stock.models import StockLevel

    receive(world, "330102", "QUILT", 100)
    (transfer,) = approved(world, [("a", (30.3, 120.2), {"QUILT": (30, 1)})])
    login_as("dispatcher")
    page = client.get(f"/dispatch/transfers/{transfer.number}").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    answer = client.post(
        f"/dispatch/transfers/{transfer.number}/cancel",
        data={"form_token": secrets.token_hex(8), "csrf_token": token, "reason": "road closed"},
    )
    assert answer.status_code == 303
    db.session.expire_all()
    assert transfer.status.value == "cancelled"
    assert db.session.get(StockLevel, (world.depots["330102"].id, world.items["QUILT"].id)).committed == 0


def test_approval_box_lists_only_what_others_must_give_grouped_by_who(world, client, login_as):
    from relief_stock.dispatch import approvals

    for depot in ("330102", "330106", "330203"):
        receive(world, depot, "QUILT", 10)
    e = emergency(world, user="province-dispatcher", sites=[("a", (30.3, 120.2), {"QUILT": (30, 1)})])
    with atomic():  # every depot drawn on: ten quilts in Ningbo are far below the minimum lot
        plan = operations.make_plan(world.users["province-dispatcher"], e, min_lot_kg=0)
    assert approvals.grouped_pending(plan, world.users["province-dispatcher"]) == (3, [])
    mine, groups = approvals.grouped_pending(plan, world.users["dispatcher"])
    assert mine == 2 and [(g.approvers, g.depots) for g in groups] == [(("province-dispatcher",), ["330203"])]
    login_as("province-dispatcher")
    page = client.get(f"/dispatch/plans/{plan.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Your approval covers 3" in page and "Still needed" not in page
    assert "depots drawn on" in page and "transfer orders" in page


def test_every_manifest_of_a_plan_prints_as_one_pdf(world, client, login_as):
    import io

    from pypdf import PdfReader

    receive(world, "330102", "QUILT", 10)
    receive(world, "330106", "QUILT", 10)
    orders = approved(world, [("a", (30.3, 120.2), {"QUILT": (20, 1)})])
    assert len(orders) == 2
    plan_id = operations.queries.plan_of_transfer(orders[0]).id
    login_as("auditor")
    answer = client.get(f"/dispatch/plans/{plan_id}/manifests.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.data)).pages)
    assert all(t.number in text for t in orders)
    assert client.get(f"/dispatch/plans/{plan_id}/picking_lists.pdf").status_code == 200


def test_shipments_are_edited_in_one_form_all_or_nothing(world, client, login_as):
    from relief_stock.extensions import db

    receive(world, "330102", "QUILT", 30)
    receive(world, "330106", "QUILT", 30)
    e = emergency(world, sites=[("a", (30.3, 120.2), {"QUILT": (40, 1)})])
    with atomic():
        plan = operations.make_plan(world.users["dispatcher"], e)
    lines = {line.from_depot.code: line for line in plan.lines}
    assert sum(line.quantity for line in lines.values()) == 40
    login_as("dispatcher")
    page = client.get(f"/dispatch/plans/{plan.id}").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    a, b = lines["330102"], lines["330106"]
    bad = {"csrf_token": token, f"quantity_{a.id}": "5", f"quantity_{b.id}": "31"}  # 330106 has 30
    assert (
        client.post(
            f"/dispatch/plans/{plan.id}/lines", data={**bad, "form_token": secrets.token_hex(8)}
        ).status_code
        == 422
    )
    db.session.expire_all()
    assert (a.quantity, b.quantity) == (a.planned_quantity, b.planned_quantity)  # nothing written
    good = {"csrf_token": token, f"quantity_{a.id}": "10", f"quantity_{b.id}": "30"}
    assert (
        client.post(
            f"/dispatch/plans/{plan.id}/lines", data={**good, "form_token": secrets.token_hex(8)}
        ).status_code
        == 303
    )
    db.session.expire_all()
    assert (a.quantity, b.quantity) == (10, 30)


def test_level_and_population_change_before_approval_only(world, client, login_as):
    from relief_stock.extensions import db

    receive(world, "330102", "QUILT", 30)
    e = emergency(world, sites=[("a", (30.3, 120.2), {"QUILT": (10, 1)})])
    login_as("dispatcher")
    page = client.get(f"/dispatch/emergencies/{e.id}").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    site = e.sites[0]
    form = {"csrf_token": token, "response_level": "2", "days_to_cover": "5", f"population_{site.id}": "300"}
    assert (
        client.post(
            f"/dispatch/emergencies/{e.id}/edit", data={**form, "form_token": secrets.token_hex(8)}
        ).status_code
        == 303
    )
    db.session.expire_all()
    assert (e.response_level, e.days_to_cover, site.population, site.households) == (2, 5, 300, 100)
    with atomic():
        operations.approve(world.users["dispatcher"], operations.make_plan(world.users["dispatcher"], e))
    assert (
        client.post(
            f"/dispatch/emergencies/{e.id}/edit", data={**form, "form_token": secrets.token_hex(8)}
        ).status_code
        == 409
    )


def test_closing_an_emergency_from_its_page_releases_its_orders(world, client, login_as):
    from relief_stock.extensions import db
    from relief_stock.stock.models import StockLevel

    receive(world, "330102", "QUILT", 30)
    (transfer,) = approved(world, [("a", (30.3, 120.2), {"QUILT": (20, 1)})])
    e = operations.queries.plan_of_transfer(transfer).emergency
    login_as("dispatcher")
    page = client.get(f"/dispatch/emergencies/{e.id}").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]

    def close():
        form = {"form_token": secrets.token_hex(8), "csrf_token": token}
        return client.post(f"/dispatch/emergencies/{e.id}/close", data=form).status_code

    assert close() == 303
    db.session.expire_all()
    assert e.closed_at is not None and transfer.status.value == "cancelled"
    assert db.session.get(StockLevel, (world.depots["330102"].id, world.items["QUILT"].id)).committed == 0
    assert close() == 409
