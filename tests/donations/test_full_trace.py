"""One registered donation through intake, a transfer, an emergency commitment, partial distribution
and a write-off, with the public page and the conservation identity (received + corrections = in
stock + in transit + distributed + written off) checked at every step, on SQLite and PostgreSQL.
A commitment changes none of those figures; the page shows it beside them. And the public finds a
donation only by its trace code: batch codes, receipt numbers and made-up codes find nothing."""

import re

import pytest

from relief_stock.database import atomic
from relief_stock.dispatch import operations as dispatch_ops
from relief_stock.donations import operations as donation_ops
from relief_stock.donations.queries import find_donation
from relief_stock.scanning import codes
from relief_stock.stock import operations as ops
from tests.dispatch.helpers import emergency

from .helpers import transfer_order

SITE = (30.2425, 120.1693)  # beside the county depot 330102
PRIVATE = ("王秀英", "13800000000", "city-keeper", "张三一家", "司机老李")


@pytest.fixture
def donation(world):
    keeper = world.users["city-keeper"]
    with atomic():
        donor = donation_ops.register_donor(keeper, kind="individual", name="王秀英", phone="13800000000")
        donation = donation_ops.declare_donation(
            keeper, donor, world.depots["330100"], [donation_ops.DeclaredLine(world.items["QUILT"], 200)]
        )
    return donation


def quilts(code):
    """The donation's quilts, after checking the identity."""
    (q,) = find_donation(code).summary
    assert q.received + q.corrected == q.in_stock + q.in_transit + q.distributed + q.lost
    assert 0 <= q.committed <= q.in_stock
    return q


def page(client, code, lang):
    response = client.get(f"/donations/{code}", headers={"Accept-Language": lang})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    for private in PRIVATE:
        assert private not in text
    return text


def section(client, code, anchor, lang="en"):
    """The text of the page element with id `anchor`, tags dropped, blanks squeezed."""
    text = page(client, code, lang)
    start = text.index(f'id="{anchor}"')
    end = min(i for i in (text.find("</section>", start), text.find("</ul>", start)) if i > 0)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text[start:end])).replace(" ,", ",")


def summary(client, code, lang="en"):
    return section(client, code, "summary", lang)


def identity(client, code, lang="en"):
    return section(client, code, "identity", lang)


def test_one_donation_from_intake_to_distribution(client, world, donation):
    city_keeper, keeper, dispatcher = (world.users[u] for u in ("city-keeper", "keeper", "dispatcher"))
    code = donation.trace_code
    (line,) = donation.lines
    with atomic():  # intake: 200 declared, 200 accepted at the Hangzhou depot
        donation_ops.receive_donation(city_keeper, donation, {line.id: donation_ops.Acceptance(200)})
    root = line.batch
    q = quilts(code)
    assert (q.received, q.in_stock, q.committed) == (200, 200, 0)
    assert "200 quilts (Cotton quilt): 200 quilts in stock" in summary(client, code)
    assert "200 床棉被：200 床在库" in summary(client, code, "zh-CN")
    assert "received 200 + 0 corrected = 200 in stock + 0 in transit + 0 distributed + 0 written off" in (
        identity(client, code)
    )

    with atomic():  # a transfer of 80 to the county depot
        order, order_line = transfer_order(world, city_keeper, to_depot=world.depots["330102"], quantity=80)
        ops.pick(city_keeper, order_line, root, 80)
        ops.dispatch_transfer(city_keeper, order, driver_name="司机老李")
    q = quilts(code)
    assert (q.in_stock, q.in_transit) == (120, 80)
    assert "80 quilts on the way, 120 quilts in stock" in summary(client, code)
    with atomic():
        ops.receive_transfer(keeper, order, {order_line.picks[0].id: (80, 0)})
    county = order_line.picks[0].received_batch
    q = quilts(code)
    assert (q.in_stock, q.in_transit) == (200, 0)

    # An emergency needs 50 quilts beside the county depot: approval commits them there. The only
    # quilts in the county depot are donated, so the commitment is the donation's.
    flood = emergency(world, sites=[("灵溪镇安置点", SITE, {"QUILT": (50, 1)})])
    with atomic():
        plan = dispatch_ops.make_plan(dispatcher, flood)
        (relief,) = dispatch_ops.approve(dispatcher, plan)
    assert relief.from_depot.code == "330102"
    q = quilts(code)
    assert (q.in_stock, q.committed, q.distributed) == (200, 50, 0)  # committed is part of in stock
    assert q.emergencies == {"Test flood": 50}
    assert "200 quilts in stock, 50 of them committed to Test flood" in summary(client, code)
    assert "200 床在库（其中 50 床已分配给Test flood）" in summary(client, code, "zh-CN")
    committed = section(client, code, "committed")
    assert "Test flood" in committed and "50 quilt Cotton quilt" in committed

    with atomic():  # partial distribution: 30 of the 50 picked, the truck leaves, they arrive
        (relief_line,) = relief.lines
        ops.pick(keeper, relief_line, county, 30)
    q = quilts(code)
    assert q.committed == 50  # 30 picked for loading, 20 still promised
    with atomic():
        ops.dispatch_transfer(keeper, relief)
    q = quilts(code)
    assert (q.in_stock, q.in_transit, q.committed) == (170, 30, 0)  # dispatch settled the promise
    with atomic():
        ops.deliver_transfer(keeper, relief)
    q = quilts(code)
    assert (q.in_stock, q.in_transit, q.distributed, q.delivered) == (170, 0, 30, 30)
    assert q.sites == {"灵溪镇安置点": 30}
    assert "30 quilts distributed to 1 site (灵溪镇安置点), 170 quilts in stock" in summary(client, code)
    assert "已发放 30 床至灵溪镇安置点 1 个安置点，170 床在库" in summary(client, code, "zh-CN")
    handed = section(client, code, "distributed")
    assert "at 灵溪镇安置点" in handed and "Test flood" in handed

    with atomic():  # 10 issued at the county depot, 5 written off there
        ops.issue(keeper, county, 10, reason="张三一家")
        ops.write_off(keeper, county, 5, reason="鼠咬")
    q = quilts(code)
    assert (q.received, q.in_stock, q.in_transit, q.distributed, q.lost) == (200, 155, 0, 40, 5)
    assert (
        "200 quilts (Cotton quilt): 40 quilts distributed, 30 of them to 1 site (灵溪镇安置点),"
        " 5 quilts written off, 155 quilts in stock"
    ) in summary(client, code)
    assert "200 床棉被：已发放 40 床，其中 30 床至灵溪镇安置点 1 个安置点，5 床报损，155 床在库" in summary(
        client, code, "zh-CN"
    )
    assert "received 200 + 0 corrected = 155 in stock + 0 in transit + 40 distributed + 5 written off" in (
        identity(client, code)
    )
    written_off = section(client, code, "written-off")
    assert "Damaged or unusable at the depot" in written_off
    assert "鼠咬" not in written_off and "张三" not in client.get(f"/donations/{code}").get_data(as_text=True)
    assert "接收 200 + 盘点更正 0 = 在库 155 + 在途 0 + 已发放 40 + 报损 5" in identity(client, code, "zh-CN")


def test_only_what_other_stock_cannot_cover_counts_as_the_donations_commitment(world, donation):
    """A promise not yet picked is fungible over the depot's stock: the donation's share is only
    what the depot's other free stock of the item cannot cover."""
    from tests.dispatch.helpers import receive

    (line,) = donation.lines
    with atomic():
        donation_ops.receive_donation(
            world.users["city-keeper"], donation, {line.id: donation_ops.Acceptance(200)}
        )
    receive(world, "330100", "QUILT", 100)  # bought stock beside the donated
    site = (30.2469, 120.2098)  # at the Hangzhou depot
    dispatcher = world.users["dispatcher"]
    for need, share in ((80, 0), (60, 40)):
        flood = emergency(world, sites=[("城东安置点", site, {"QUILT": (need, 1)})])
        with atomic():
            dispatch_ops.approve(dispatcher, dispatch_ops.make_plan(dispatcher, flood))
        assert quilts(donation.trace_code).committed == share  # 80 + 60 promised of 300: 40 must be donated


def test_enumerating_codes_finds_nothing(client, world, donation):
    (line,) = donation.lines
    with atomic():
        donation_ops.receive_donation(
            world.users["city-keeper"], donation, {line.id: donation_ops.Acceptance(200)}
        )
    batch, receipt = line.batch, donation.receipt
    assert client.get(f"/donations/{donation.trace_code}").status_code == 200
    guesses = [batch.code, batch.code.lower(), receipt.number, str(donation.id), str(batch.id)]
    with atomic():
        guesses += [codes.next_code(codes.BATCH, "330100") for _ in range(3)]  # the next in sequence
    guesses += [codes.new_trace_code() for _ in range(40)]  # well-formed, check character right
    for guess in guesses:
        assert client.get(f"/donations/{guess}").status_code == 404, guess
        assert find_donation(guess) is None
    assert find_donation(batch.code, staff=True).donation.id == donation.id  # staff may use a batch code
