"""One registered donation followed from intake to use: declared and accepted lines, the trace code,
a transfer, distribution at sites, a write-off, goods on the road, with the public page and the
conservation identity checked at every step (received + corrections = in stock + in transit +
distributed + written off), on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest

from relief_stock.database import atomic, local_today
from relief_stock.donations import operations as donation_ops
from relief_stock.donations.models import DifferenceReason
from relief_stock.donations.queries import find_donation
from relief_stock.errors import BadInput, Conflict
from relief_stock.scanning import codes
from relief_stock.stock import operations as ops

from .helpers import transfer_order

Acceptance = donation_ops.Acceptance


@pytest.fixture
def declared(world):
    keeper = world.users["city-keeper"]
    with atomic():
        donor = donation_ops.register_donor(
            keeper, kind="individual", name="王秀英", phone="13800000000", may_name_publicly=False
        )
        donation = donation_ops.declare_donation(
            keeper,
            donor,
            world.depots["330100"],
            [
                donation_ops.DeclaredLine(world.items["QUILT"], 120),
                donation_ops.DeclaredLine(world.items["WATER"], 30),
            ],
        )
    return donation


def _receive(world, donation):
    quilts, water = donation.lines
    with atomic():
        donation_ops.receive_donation(
            world.users["city-keeper"],
            donation,
            {
                quilts.id: Acceptance(110, DifferenceReason.DAMAGED, note="10床包装破损"),
                water.id: Acceptance(30, expiry_date=local_today() + timedelta(days=300)),
            },
        )
    return {line.item.sku: line.batch for line in donation.lines}


def _quilts(code):
    trace = find_donation(code)
    (quilts,) = [s for s in trace.summary if s.item.sku == "QUILT"]
    assert (
        quilts.received + quilts.corrected
        == quilts.in_stock + quilts.in_transit + quilts.distributed + quilts.lost
    )
    return quilts


def _public_page(client, code, lang="en"):
    response = client.get(f"/donations/{code}", headers={"Accept-Language": lang})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for private in ("王秀英", "13800000000", "10床包装破损", "city-keeper", "张三"):
        assert private not in page
    return page


def test_a_donation_followed_from_intake_to_use(client, world, declared):
    code = declared.trace_code
    assert codes.parse_trace_code(code) == code
    batches = _receive(world, declared)
    quilt_batch = batches["QUILT"]
    assert quilt_batch.donor_ref == code and quilt_batch.source_kind == "donation"
    assert declared.receipt.donor_ref == code and declared.lines[0].difference == 10
    q = _quilts(code)
    assert (q.received, q.in_stock) == (110, 110)
    page = _public_page(client, code)
    assert "Anonymous donor" in page
    assert "爱心人士" in _public_page(client, code, lang="zh-CN")

    city_keeper, keeper = world.users["city-keeper"], world.users["keeper"]
    with atomic():  # 40 quilts to the county depot
        order, line = transfer_order(world, city_keeper, to_depot=world.depots["330102"], quantity=40)
        ops.pick(city_keeper, line, quilt_batch, 40)
        ops.dispatch_transfer(city_keeper, order)
    q = _quilts(code)
    assert (q.in_stock, q.in_transit) == (70, 40)
    with atomic():
        ops.receive_transfer(keeper, order, {line.picks[0].id: (40, 0)})
    q = _quilts(code)
    assert (q.in_stock, q.in_transit) == (110, 0)
    assert "Depot 330102" in _public_page(client, code)

    with atomic():  # 30 handed over at a shelter, 5 issued at the county depot
        to_site, site_line = transfer_order(world, city_keeper, site="苍南县灵溪镇安置点", quantity=30)
        ops.pick(city_keeper, site_line, quilt_batch, 30)
        ops.dispatch_transfer(city_keeper, to_site)
        ops.deliver_transfer(city_keeper, to_site)
    with atomic():
        ops.issue(keeper, line.picks[0].received_batch, 5, reason="张三一家")
    q = _quilts(code)
    assert (q.distributed, q.in_stock) == (35, 75)
    assert "苍南县灵溪镇安置点" in _public_page(client, code)

    with atomic():  # 3 spoiled, written off with a reason
        ops.write_off(keeper, line.picks[0].received_batch, 3, reason="受潮")
    with atomic():  # 10 on the road to another site
        on_road, road_line = transfer_order(world, city_keeper, site="平阳县安置点", quantity=10)
        ops.pick(city_keeper, road_line, quilt_batch, 10)
        ops.dispatch_transfer(city_keeper, on_road)
    q = _quilts(code)
    assert (q.received, q.distributed, q.in_transit, q.lost, q.in_stock) == (110, 35, 10, 3, 62)
    page = _public_page(client, code, lang="zh-CN")
    assert (
        "110 床棉被：已发放 35 床，其中 30 床至苍南县灵溪镇安置点 1 个安置点，10 床在途，3 床报损，62 床在库"
        in page
    )
    assert (
        "110 quilts (Cotton quilt): 35 quilts distributed, 30 of them to 1 site (苍南县灵溪镇安置点),"
        " 10 quilts on the way, 3 quilts written off, 62 quilts in stock"
    ) in _public_page(client, code)


def test_a_named_donor_is_named_and_codes_are_forgiving_but_not_guessable(client, world):
    keeper = world.users["city-keeper"]
    with atomic():
        donor = donation_ops.register_donor(
            keeper, kind="organisation", name="杭州爱心企业", may_name_publicly=True
        )
        donation = donation_ops.declare_donation(
            keeper, donor, world.depots["330100"], [donation_ops.DeclaredLine(world.items["QUILT"], 10)]
        )
    _receive_all(world, donation)
    code = donation.trace_code
    assert "杭州爱心企业" in client.get(f"/donations/{code}").get_data(as_text=True)
    typed = code.lower().replace("-", " ")
    assert client.get(f"/donations/{typed}").status_code == 200
    wrong_check = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert codes.parse_trace_code(wrong_check) is None
    assert client.get(f"/donations/{wrong_check}").status_code == 404
    assert len({codes.new_trace_code() for _ in range(2000)}) == 2000


def _receive_all(world, donation):
    with atomic():
        donation_ops.receive_donation(
            world.users["city-keeper"],
            donation,
            {line.id: Acceptance(line.declared_quantity) for line in donation.lines},
        )


def test_differences_need_a_reason_and_stay_within_the_declaration(world, declared):
    quilts, water = declared.lines
    keeper = world.users["city-keeper"]
    expiry = local_today() + timedelta(days=300)
    water_ok = Acceptance(30, expiry_date=expiry)
    cases = [
        ({quilts.id: Acceptance(100), water.id: water_ok}, "lines.1", "原因"),
        ({quilts.id: Acceptance(121), water.id: water_ok}, "lines.1", "120"),
        ({quilts.id: Acceptance(120)}, "lines.2", "接收数量"),
        ({quilts.id: Acceptance(100, "lost"), water.id: water_ok}, "lines.1", "原因"),
    ]
    for accepted, field, message in cases:
        with pytest.raises(BadInput, match=message) as error, atomic():
            donation_ops.receive_donation(keeper, declared, accepted)
        assert error.value.field == field
    assert declared.receipt_id is None  # nothing half-written
    with atomic():
        donation_ops.receive_donation(
            keeper,
            declared,
            {quilts.id: Acceptance(0, "refused"), water.id: Acceptance(30, expiry_date=expiry)},
        )
    assert quilts.batch_id is None and water.batch.quantity == 30
    with pytest.raises(Conflict), atomic():
        donation_ops.receive_donation(keeper, declared, {})


def test_a_keeper_cannot_receive_for_another_depot(world, declared):
    from relief_stock.errors import PermissionDenied

    with pytest.raises(PermissionDenied), atomic():
        donation_ops.receive_donation(world.users["ningbo-keeper"], declared, {})


def test_the_public_finds_the_trace_from_the_login_page_and_the_header(client, world):
    login = client.get("/login", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert 'href="/donations/"' in login and "捐赠物资查询" in login
    lookup = client.get("/donations/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'class="mainnav"><a href="/donations/" class="active">Donation trace</a>' in lookup


def test_a_batch_code_traces_only_for_staff_and_is_titled_as_a_batch(client, world, declared, login_as):
    batch = _receive(world, declared)["QUILT"]
    assert client.get(f"/donations/{batch.code}").status_code == 404  # sequential: not for the public
    assert client.get(f"/donations/{declared.receipt.number}").status_code == 404
    login_as("auditor")
    page = client.get(f"/donations/{batch.code}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f"<h1>Donated goods of batch {batch.code}</h1>" in page
    page = client.get(f"/donations/{declared.trace_code}", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert f"<h1>Donation {declared.trace_code}</h1>" in page
