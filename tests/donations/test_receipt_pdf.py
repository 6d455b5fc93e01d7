"""The donor's receipt (捐赠收据): the trace code in print and in a QR code that any phone opens."""

from relief_stock.database import atomic
from relief_stock.donations import operations as donation_ops
from relief_stock.donations.models import DifferenceReason
from tests.printing.conftest import decode, flat, page_texts, rasterise


def received(world, name="杭州爱心企业"):
    keeper = world.users["city-keeper"]
    with atomic():
        donor = donation_ops.register_donor(keeper, kind="organisation", name=name, phone="0571-8888")
        donation = donation_ops.declare_donation(
            keeper, donor, world.depots["330100"], [donation_ops.DeclaredLine(world.items["QUILT"], 50)]
        )
        line = donation.lines[0]
        donation_ops.receive_donation(
            keeper, donation, {line.id: donation_ops.Acceptance(48, DifferenceReason.DAMAGED)}
        )
    return donation


def test_the_receipt_carries_the_trace_code_and_a_qr_to_the_public_page(client, world, login_as):
    donation = received(world)
    login_as("city-keeper")
    response = client.get(f"/donors/donations/{donation.trace_code}/receipt.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = flat(page_texts(response.data)[0])
    for expected in ("捐赠收据", donation.trace_code, "杭州爱心企业", "48", "破损"):
        assert expected in text
    (page,) = rasterise(response.data)
    urls = {barcode.text for barcode in decode(page)}
    assert f"https://relief.example.org/donations/{donation.trace_code}" in urls
    english = client.get(f"/donors/donations/{donation.trace_code}/receipt.pdf?lang=en")
    assert "Donationreceipt" in flat(page_texts(english.data)[0])


def test_only_staff_in_scope_print_it(client, world, login_as):
    donation = received(world)
    login_as("ningbo-keeper")
    assert client.get(f"/donors/donations/{donation.trace_code}/receipt.pdf").status_code == 403
    assert client.get("/donors/donations/D-00000-00000-0/receipt.pdf").status_code == 404


def test_the_batch_and_receipt_pages_link_to_the_donation(client, world, login_as):
    donation = received(world)
    login_as("city-keeper")
    link = f'href="/donations/{donation.trace_code}"'
    assert link in client.get(f"/batches/{donation.lines[0].batch.code}").get_data(as_text=True)
    assert link in client.get(f"/receipts/{donation.receipt_id}").get_data(as_text=True)
