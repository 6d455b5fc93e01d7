"""Every HTML write runs through the one form idiom (`form_posts`): a double tap on a slow network
sends the same one-time token twice, and the second post writes nothing and goes where the first did;
a form without its token (a page from before, a forged post) is refused and writes nothing."""

import secrets

import pytest
from sqlalchemy import func, select

from relief_stock.auth.models import ApiToken
from relief_stock.database import atomic
from relief_stock.dispatch import operations
from relief_stock.dispatch.models import AffectedSite, Emergency, EmergencyKind, Plan, VehicleType
from relief_stock.extensions import db
from relief_stock.stock.kinds import SourceKind


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def _emergency(world):
    dispatcher = world.users["dispatcher"]
    with atomic():
        e = operations.create_emergency(
            dispatcher, name="台风", kind=EmergencyKind.TYPHOON, response_level=3, scope_depot=None
        )
        operations.add_site(dispatcher, e, name="安置点", lat=30.3, lng=120.2, population=60)
    return e


def _planned(world):
    from relief_stock.stock import operations as stock_ops

    e = _emergency(world)
    with atomic():
        line = stock_ops.ReceiptLine(world.items["QUILT"], 50)
        stock_ops.receive(
            world.users["admin"], world.depots["330102"], [line], source_kind=SourceKind.PURCHASE
        )
        operations.set_need(world.users["dispatcher"], e.sites[0], world.items["QUILT"], 20, 1)
    return e


VEHICLE = {
    "name": "厢式货车",
    "capacity_kg": "1500",
    "capacity_m3": "8",
    "fixed_cost": "300",
    "cost_per_km": "3",
}

# (signed-in user, what to set up -> (url, form), the rows a duplicate would add)
CASES = {
    "create emergency": (
        "dispatcher",
        lambda world: (
            "/dispatch/emergencies",
            {"name": "台风烟花", "kind": "typhoon", "response_level": "3"},
        ),
        Emergency,
    ),
    "add site": (
        "dispatcher",
        lambda world: (
            f"/dispatch/emergencies/{_emergency(world).id}/sites",
            {"name": "体育馆", "lat": "30.30", "lng": "120.20", "population": "80"},
        ),
        AffectedSite,
    ),
    "make a plan": (
        "dispatcher",
        lambda world: (f"/dispatch/emergencies/{_planned(world).id}/plan", {}),
        Plan,
    ),
    "add a vehicle type": ("admin", lambda world: ("/dispatch/vehicles", VEHICLE), VehicleType),
    "issue an API token": ("keeper", lambda world: ("/account/tokens", {"name": "扫码枪"}), ApiToken),
}


@pytest.fixture(params=CASES)
def case(request, world, login_as):
    """(url, form, the rows a duplicate would add, how many there are), signed in as the case's user."""
    user, setup, model = CASES[request.param]
    url, form = setup(world)
    login_as(user)
    return url, form, model, _count(model)


def test_a_replayed_form_token_creates_nothing_new(client, case):
    url, form, model, before = case
    posted = {**form, "form_token": secrets.token_urlsafe(12)}
    first = client.post(url, data=posted)
    assert first.status_code in (201, 303), first.get_data(as_text=True)[:500]
    created = _count(model)
    assert created > before
    with client.session_transaction() as session:  # the first post's message, read by its page
        session.pop("_flashes", None)
    again = client.post(url, data=posted)  # the double tap
    assert again.status_code == 303
    if first.status_code == 303:
        assert again.location == first.location
    assert _count(model) == created
    with client.session_transaction() as session:  # the replay says nothing new happened
        assert [m for m in session.get("_flashes", []) if m[0] == "success"] == []


def test_a_form_without_its_token_is_refused_and_writes_nothing(client, case):
    url, form, model, before = case
    response = client.post(url, data=form, headers={"Accept": "application/json", "Accept-Language": "en"})
    assert response.status_code == 422
    assert "Reload the page" in response.get_json()["message"]
    assert _count(model) == before


def test_a_refused_form_keeps_its_token_usable(client, world, login_as):
    """A refusal writes nothing and keeps nothing: the corrected form may be sent with the same token."""
    login_as("dispatcher")
    token = secrets.token_urlsafe(12)
    bad = client.post(
        "/dispatch/emergencies",
        data={"name": "台风", "kind": "meteor", "response_level": "3", "form_token": token},
        headers={"Accept": "application/json"},
    )
    assert bad.status_code == 422 and "kind" in bad.get_json()["errors"]
    good = client.post(
        "/dispatch/emergencies",
        data={"name": "台风", "kind": "typhoon", "response_level": "3", "form_token": token},
    )
    assert good.status_code == 303 and _count(Emergency) == 1


def test_the_pages_carry_a_fresh_token_in_every_write_form(client, world, login_as):
    import re

    e = _emergency(world)
    login_as("dispatcher")
    for url in ("/dispatch/", f"/dispatch/emergencies/{e.id}", "/account", "/alerts/norms"):
        page = client.get(url).get_data(as_text=True)
        forms = [  # the language switch and sign-out in the header write no data
            f
            for f in re.findall(r'<form method="post".*?</form>', page, re.S)
            if "/lang/" not in f and "/logout" not in f
        ]
        assert forms, url
        tokens = [re.search(r'name="form_token" value="([^"]+)"', f) for f in forms]
        assert all(tokens), url
        assert len({t.group(1) for t in tokens}) == len(tokens), url  # one per form
