"""The donation trace of stock received with a donor reference typed by staff (no registered
donation), on stock moved only by the stock operations: received at the Hangzhou depot, partly issued
there, partly transferred to a county depot (some damaged on the way), partly delivered to a shelter,
partly still on the road. Such references and batch codes can be guessed, so they trace only for
signed-in staff; the public page needs a registered donation's trace code."""

import pytest

from relief_stock.database import atomic
from relief_stock.stock import operations as ops
from relief_stock.stock.kinds import SourceKind

from .helpers import transfer_order as _transfer


@pytest.fixture
def donation(world):
    """100 quilts donated by 爱心企业 (ref JZ-2026-0042); returns the root batch code."""
    city_keeper, keeper = world.users["city-keeper"], world.users["keeper"]
    quilt = world.items["QUILT"]
    with atomic():
        receipt = ops.receive(
            city_keeper,
            world.depots["330100"],
            [ops.ReceiptLine(quilt, 100)],
            source_kind=SourceKind.DONATION,
            supplier="爱心企业",
            donor_ref="JZ-2026-0042",
        )
        root = receipt.batches[0]
        ops.issue(city_keeper, root, 10, reason="张三一家")  # a recipient's name: never shown publicly
    with atomic():
        to_county, line = _transfer(world, city_keeper, to_depot=world.depots["330102"], quantity=30)
        ops.pick(city_keeper, line, root, 30)
        ops.dispatch_transfer(city_keeper, to_county)
    with atomic():
        ops.receive_transfer(keeper, to_county, {line.picks[0].id: (28, 2)}, reason="两床受潮")
    with atomic():
        child = line.picks[0].received_batch
        ops.issue(keeper, child, 5)
    with atomic():
        to_site, site_line = _transfer(world, city_keeper, site="城西小学安置点", quantity=20)
        ops.pick(city_keeper, site_line, root, 20)
        ops.dispatch_transfer(city_keeper, to_site)
        ops.deliver_transfer(city_keeper, to_site)
    with atomic():
        on_road, road_line = _transfer(world, city_keeper, site="河桥镇安置点", quantity=10)
        ops.pick(city_keeper, road_line, root, 10)
        ops.dispatch_transfer(city_keeper, on_road)
    return {"root": root.code, "child": child.code}


def test_trace_by_donor_ref_accounts_for_every_unit(app, world, donation):
    from relief_stock.donations.queries import find_donation

    trace = find_donation("JZ-2026-0042", staff=True)
    (quilts,) = trace.summary
    assert (
        quilts.received,
        quilts.issued,
        quilts.delivered,
        quilts.in_transit,
        quilts.lost,
        quilts.in_stock,
    ) == (100, 15, 20, 10, 2, 53)
    assert quilts.distributed + quilts.in_transit + quilts.lost + quilts.in_stock == quilts.received
    assert {e.depot.code for e in trace.events} == {"330100", "330102"}
    assert trace.donors == ["爱心企业"]


def test_a_child_batch_code_traces_the_whole_donation(app, world, donation):
    from relief_stock.donations.queries import find_donation

    assert find_donation(donation["child"], staff=True).summary[0].received == 100
    assert find_donation(donation["root"].lower(), staff=True).summary[0].in_stock == 53
    assert find_donation("NO-SUCH-CODE", staff=True) is None
    for code in (donation["child"], donation["root"], "JZ-2026-0042"):
        assert find_donation(code) is None


def test_staff_page_shows_the_path_without_recipients(client, world, donation, login_as):
    assert client.get("/donations/JZ-2026-0042").status_code == 404  # typed by staff: guessable
    login_as("auditor")
    response = client.get("/donations/JZ-2026-0042", headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "城西小学安置点" in page and "河桥镇安置点" in page and "Depot 330102" in page
    assert "张三" not in page and "city-keeper" not in page and "两床受潮" not in page
    response = client.get("/donations/?code=JZ-2026-0042")
    assert response.status_code == 302 and response.location.endswith("/donations/JZ-2026-0042")
    response = client.get("/donations/NOPE-1", headers={"Accept-Language": "en"})
    assert response.status_code == 404 and "No donation found" in response.get_data(as_text=True)


def test_purchased_stock_is_not_a_donation(app, world):
    from relief_stock.donations.queries import find_donation

    with atomic():
        receipt = ops.receive(
            world.users["keeper"],
            world.depots["330102"],
            [ops.ReceiptLine(world.items["QUILT"], 5)],
            source_kind=SourceKind.PURCHASE,
        )
        code = receipt.batches[0].code
    assert find_donation(code, staff=True) is None


def test_a_receipt_booked_later_than_it_arrived_shows_both_days(client, world, login_as):
    """The keeper books on Monday what arrived on Friday: the page names the arrival day as the
    receipt's date and says when it was booked, so the list and the timeline do not seem to disagree."""
    from datetime import timedelta

    from relief_stock.database import local_today

    arrived = local_today() - timedelta(days=3)
    with atomic():
        ops.receive(
            world.users["city-keeper"],
            world.depots["330100"],
            [ops.ReceiptLine(world.items["QUILT"], 10)],
            source_kind=SourceKind.DONATION,
            supplier="爱心企业",
            donor_ref="JZ-2026-0099",
            received_date=arrived,
        )
    login_as("auditor")
    page = client.get("/donations/JZ-2026-0099", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f"arrived {arrived.isoformat()} · booked {local_today().isoformat()}" in page
