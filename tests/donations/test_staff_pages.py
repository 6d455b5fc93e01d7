"""Staff pages of donors and donations: register a donor and a donation, receive it with a reason
for each difference, the detail, list and donor pages, scope (a keeper sees his depot's donations
only, an auditor reads everything and writes nothing) and a double tap that writes once."""

import pytest

from relief_stock.database import atomic
from relief_stock.donations import operations as donation_ops
from relief_stock.donations.models import Donation, DonationStatus, Donor
from relief_stock.extensions import db


@pytest.fixture(autouse=True)
def english(client):
    """Messages are checked in English (one check reads the Chinese page)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def _token():
    import secrets

    return secrets.token_urlsafe(12)


@pytest.fixture
def donor(world):
    with atomic():
        return donation_ops.register_donor(
            world.users["admin"], kind="organisation", name="浙商爱心联盟", may_name_publicly=True
        )


def _declared(world, donor, depot="330102", quantity=40):
    with atomic():
        return donation_ops.declare_donation(
            world.users["admin"],
            donor,
            world.depots[depot],
            [donation_ops.DeclaredLine(world.items["QUILT"], quantity)],
        )


def test_a_keeper_registers_a_donor_then_a_donation_and_receives_it(client, world, login_as):
    login_as("keeper")
    token = _token()
    form = {"form_token": token, "kind": "individual", "name": "王秀英", "phone": "13800000000"}
    created = client.post("/donors/new", data=form)
    assert created.status_code == 303
    again = client.post("/donors/new", data=form)  # a double tap: the same token
    assert again.status_code == 303 and again.headers["Location"] == created.headers["Location"]
    donors = db.session.scalars(db.select(Donor).where(Donor.name == "王秀英")).all()
    assert len(donors) == 1 and not donors[0].may_name_publicly
    donor = donors[0]
    assert "Anonymous donor" in client.get(created.headers["Location"]).get_data(as_text=True)
    zh = client.get(created.headers["Location"], headers={"Accept-Language": "zh-CN"})
    assert "爱心人士" in zh.get_data(as_text=True)

    token = _token()
    register = {
        "form_token": token,
        "donor": str(donor.id),
        "depot": "330102",
        "documents": "捐赠协议 2026-118",
        "lines-0-item": "QUILT",
        "lines-0-quantity": "50",
        "lines-1-item": "WATER",
        "lines-1-quantity": "20",
    }
    page = client.get(f"/donors/donations/new?donor={donor.id}")
    assert page.status_code == 200 and f'value="{donor.id}" selected' in page.get_data(as_text=True)
    response = client.post("/donors/donations/new", data=register)
    assert response.status_code == 303
    assert client.post("/donors/donations/new", data=register).status_code == 303
    (donation,) = db.session.scalars(db.select(Donation).where(Donation.donor_id == donor.id)).all()
    assert response.headers["Location"].endswith(f"/donors/donations/{donation.trace_code}")
    quilts, water = donation.lines

    receive_url = f"/donors/donations/{donation.trace_code}/receive"
    form = client.get(receive_url)
    assert form.status_code == 200 and 'value="50"' in form.get_data(as_text=True)
    short = {
        "form_token": _token(),
        f"lines-{quilts.id}-accepted": "45",
        f"lines-{water.id}-accepted": "20",
        f"lines-{water.id}-expiry_date": "2027-06-30",
    }
    refused = client.post(receive_url, data=short)
    assert refused.status_code == 422
    assert "say why fewer were accepted" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Donation, donation.id).status is DonationStatus.DECLARED

    token = _token()
    short.update(
        {"form_token": token, f"lines-{quilts.id}-reason": "damaged", f"lines-{quilts.id}-note": "5床受潮"}
    )
    done = client.post(receive_url, data=short)
    assert done.status_code == 303
    assert client.post(receive_url, data=short).status_code == 303  # the double tap writes nothing
    db.session.expire_all()
    donation = db.session.get(Donation, donation.id)
    assert donation.status is DonationStatus.RECEIVED
    assert [line.accepted_quantity for line in donation.lines] == [45, 20]
    assert len(donation.receipt.batches) == 2

    detail = client.get(f"/donors/donations/{donation.trace_code}").get_data(as_text=True)
    for shown in ("45", "Damaged", "5床受潮", donation.receipt.number, "receipt.pdf", "捐赠协议 2026-118"):
        assert shown in detail
    for batch in donation.receipt.batches:
        assert batch.code in detail
        batch_page = client.get(f"/batches/{batch.code}").get_data(as_text=True)
        assert f"/donors/donations/{donation.trace_code}" in batch_page
    receipt_page = client.get(f"/receipts/{donation.receipt.id}").get_data(as_text=True)
    assert f"/donors/donations/{donation.trace_code}" in receipt_page
    history = client.get(f"/donors/{donor.id}").get_data(as_text=True)
    assert donation.trace_code in history and "/receipt.pdf" in history and "/donations/D-" in history
    # Received: the receive form sends the keeper back to the donation.
    assert client.get(receive_url).status_code == 303


def test_the_donation_list_filters_and_is_scoped(client, world, donor, login_as):
    here = _declared(world, donor, "330102")
    elsewhere = _declared(world, donor, "330203")
    with atomic():
        donation_ops.receive_donation(
            world.users["admin"], here, {here.lines[0].id: donation_ops.Acceptance(40)}
        )
    login_as("keeper")  # Shangcheng 330102
    page = client.get("/donors/donations/").get_data(as_text=True)
    assert here.trace_code in page and elsewhere.trace_code not in page
    assert client.get(f"/donors/donations/{elsewhere.trace_code}").status_code == 403
    assert client.get(f"/donors/donations/{here.trace_code}").status_code == 200
    declared_only = client.get("/donors/donations/?status=declared").get_data(as_text=True)
    assert here.trace_code not in declared_only
    assert client.get("/donors/donations/?date_from=2026-12-01&date_to=2026-01-01").status_code == 422
    assert client.get("/donors/donations/?donor=999999").status_code == 422
    assert client.get("/donors/donations/?depot=nowhere").status_code == 422

    client.post("/logout")
    login_as("auditor")
    page = client.get(f"/donors/donations/?donor={donor.id}").get_data(as_text=True)
    assert here.trace_code in page and elsewhere.trace_code in page
    ningbo = client.get("/donors/donations/?depot=330200").get_data(as_text=True)
    assert elsewhere.trace_code in ningbo and here.trace_code not in ningbo
    assert (
        client.post(
            "/donors/new", data={"form_token": _token(), "kind": "individual", "name": "x"}
        ).status_code
        == 403
    )
    assert client.get(f"/donors/donations/{elsewhere.trace_code}/receive").status_code == 403


def test_a_keeper_cannot_register_a_donation_for_another_depot(client, world, donor, login_as):
    login_as("keeper")
    form = {
        "form_token": _token(),
        "donor": str(donor.id),
        "depot": "330203",
        "lines-0-item": "QUILT",
        "lines-0-quantity": "5",
    }
    assert client.post("/donors/donations/new", data=form).status_code == 403
    assert db.session.scalar(db.select(db.func.count(Donation.id))) == 0


def test_bad_boxes_are_named_beside_them(client, world, donor, login_as):
    login_as("keeper")

    def register(**line):
        form = {"form_token": _token(), "donor": str(donor.id), "depot": "330102", **line}
        return client.post("/donors/donations/new", data=form)

    response = register(**{"lines-0-item": "QUILT", "lines-0-quantity": "0"})
    assert response.status_code == 422
    assert "between 1 and" in response.get_data(as_text=True)
    response = register(**{"lines-0-item": "NOPE", "lines-0-quantity": "3"})
    assert response.status_code == 422 and "NOPE" in response.get_data(as_text=True)
    empty = register()
    assert empty.status_code == 422 and "at least one line" in empty.get_data(as_text=True)
    bad_mail = client.post(
        "/donors/new", data={"form_token": _token(), "kind": "individual", "name": "李", "email": "not-mail"}
    )
    assert bad_mail.status_code == 422 and "e-mail address" in bad_mail.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Donation.id))) == 0


def test_editing_a_donor_changes_their_consent(client, world, donor, login_as):
    login_as("city-keeper")
    form = {"form_token": _token(), "kind": "organisation", "name": "浙商爱心联盟（杭州）"}
    assert client.get(f"/donors/{donor.id}/edit").status_code == 200
    assert client.post(f"/donors/{donor.id}/edit", data=form).status_code == 303
    db.session.expire_all()
    changed = db.session.get(Donor, donor.id)
    assert changed.name == "浙商爱心联盟（杭州）" and not changed.may_name_publicly


def test_the_donor_list_searches(client, world, donor, login_as):
    with atomic():
        donation_ops.register_donor(world.users["admin"], kind="individual", name="张伟", phone="13912345678")
    login_as("auditor")
    page = client.get("/donors/?q=1391").get_data(as_text=True)
    assert "张伟" in page and "浙商爱心联盟" not in page
    assert "浙商爱心联盟" in client.get("/donors/?kind=organisation").get_data(as_text=True)
    assert client.get("/donors/?kind=alien").status_code == 422
