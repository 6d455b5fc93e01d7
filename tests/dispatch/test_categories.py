"""Relief categories as data: import (all or nothing, every bad row named), needs estimated per
category, plans filling category lines from substitutes and saving which items filled them."""

import secrets

import pytest

from relief_stock.auth.permissions import SYSTEM
from relief_stock.catalogue.importing import ImportRejected
from relief_stock.database import atomic
from relief_stock.dispatch import categories, operations, presenters
from relief_stock.dispatch.allocation import Limit
from tests import factories
from tests.dispatch.helpers import emergency, norm, receive

POINT = (30.30, 120.20)
CATEGORIES = (
    "code,name_zh,name_en,unit_zh,unit_en,amount,basis,priority,standard_zh,standard_en,source\n"
    "BEDDING,铺盖,Bedding,条,blanket-equivalents,2,person,1,每人2条,2 per person,Sphere NFI\n"
)
MEMBERS = (
    "category,sku,rank,coverage,source\nBEDDING,BLANKET,1,1,\nBEDDING,QUILT,2,2,a quilt is two blankets\n"
)


@pytest.fixture
def bedding(world):
    world.items["BLANKET"] = factories.Factories().item("BLANKET", unit_zh="条", unit_en="blanket")
    with atomic():
        categories.import_file(SYSTEM, CATEGORIES.encode(), "relief_categories.csv")
        categories.import_file(SYSTEM, MEMBERS.encode(), "category_items.csv")
    return categories.category_by_code("BEDDING")


def test_import_creates_categories_with_members_in_preference_order(bedding):
    assert [(m.item.sku, m.coverage) for m in bedding.members] == [("BLANKET", 1.0), ("QUILT", 2.0)]
    assert (bedding.amount, bedding.basis, bedding.priority) == (2.0, "person", 1)


def test_a_bad_file_imports_nothing_and_names_each_row(bedding):
    bad = "category,sku,rank,coverage\nBEDDING,QUILT,1,3\nBEDDING,NOPE,2,1\nSLEEP,QUILT,1,0\n"
    with pytest.raises(ImportRejected) as caught:
        with atomic():
            categories.import_file(SYSTEM, bad.encode(), "category_items.csv")
    problems = " | ".join(caught.value.problems)
    assert "第 4 行，coverage 列" in problems
    with pytest.raises(ImportRejected) as caught:
        with atomic():
            categories.import_file(
                SYSTEM, bad.replace("SLEEP,QUILT,1,0", "SLEEP,QUILT,1,1").encode(), "x.csv"
            )
    problems = " | ".join(caught.value.problems)
    assert "第 3 行，sku 列" in problems and "第 4 行，category 列" in problems
    assert [m.coverage for m in categories.category_by_code("BEDDING").members] == [1.0, 2.0]  # unchanged


def test_needs_are_estimated_per_category_and_hand_edits_kept(world, bedding):
    e = emergency(world, sites=[("school", POINT, {})])
    actor = world.users["dispatcher"]
    with atomic():
        operations.estimate_needs(actor, e)
    (line,) = e.sites[0].needs
    assert (line.category.code, line.quantity, line.item_id) == ("BEDDING", 200, None)  # 100 people x 2
    with atomic():
        operations.set_need(actor, e.sites[0], None, 150, 1, category=bedding)
        operations.estimate_needs(actor, e)
    assert e.sites[0].needs[0].quantity == 150


def test_plan_fills_a_category_line_from_substitutes_and_says_so(world, bedding):
    receive(world, "330102", "BLANKET", 30)
    receive(world, "330106", "QUILT", 100)
    norm(world, "330106", "QUILT", 40)
    e = emergency(world, sites=[("school", POINT, {})])
    with atomic():
        operations.set_need(world.users["dispatcher"], e.sites[0], None, 200, 1, category=bedding)
    with atomic():
        plan = operations.make_plan(world.users["dispatcher"], e)
    (outcome,) = plan.outcomes
    # 30 blankets + 60 quilts above the floor (120 blanket-equivalents) out of 200.
    assert (outcome.requested, outcome.planned, outcome.limited_by) == (200, 150, Limit.RESERVE_FLOOR)
    assert outcome.fills == [
        {"sku": "BLANKET", "units": 30, "coverage": 30.0},
        {"sku": "QUILT", "units": 60, "coverage": 120.0},
    ]
    assert outcome.held_in_reserve == 80 and outcome.if_released == 200
    shipped = {(line.from_depot.code, line.item.sku): line.quantity for line in plan.lines}
    assert shipped == {("330102", "BLANKET"): 30, ("330106", "QUILT"): 60}
    assert {line.category.code for line in plan.lines} == {"BEDDING"}
    notes = " | ".join(presenters.outcome_notes(outcome))
    assert "BLANKET × 30, QUILT × 60" in notes and "80" in notes and "50" in notes


def test_plan_page_shows_fills_and_fill_rate(world, bedding, client, login_as):
    receive(world, "330102", "BLANKET", 30)
    e = emergency(world, sites=[("school", POINT, {})])
    with atomic():
        operations.set_need(world.users["dispatcher"], e.sites[0], None, 60, 1, category=bedding)
    with atomic():
        plan = operations.make_plan(world.users["dispatcher"], e)
    login_as("dispatcher")
    page = client.get(f"/dispatch/plans/{plan.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Bedding" in page and "BLANKET × 30" in page and "50%" in page


def test_admin_edits_a_category_in_one_form_and_imports_a_file(world, bedding, client, login_as):
    import io

    quilt = next(m for m in bedding.members if m.item.sku == "QUILT")
    login_as("admin")
    page = client.get("/dispatch/categories").get_data(as_text=True)
    assert "BEDDING" in page and "a quilt is two blankets" in page
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    form = {"csrf_token": token, "amount": "3", "priority": "2"}
    form |= {f"rank_{m.id}": str(m.rank) for m in bedding.members}
    form |= {f"coverage_{m.id}": "1" for m in bedding.members} | {f"coverage_{quilt.id}": "abc"}
    assert (
        client.post(
            "/dispatch/categories/BEDDING", data={**form, "form_token": secrets.token_hex(8)}
        ).status_code
        == 422
    )
    db_category = categories.category_by_code("BEDDING")
    assert db_category.amount == 2.0  # nothing written
    form[f"coverage_{quilt.id}"] = "2.5"
    assert (
        client.post(
            "/dispatch/categories/BEDDING", data={**form, "form_token": secrets.token_hex(8)}
        ).status_code
        == 303
    )
    from relief_stock.extensions import db

    db.session.expire_all()
    edited = categories.category_by_code("BEDDING")
    assert (edited.amount, edited.priority, edited.members[1].coverage) == (3.0, 2, 2.5)
    upload = {
        "csrf_token": token,
        "file": (io.BytesIO(b"category,sku,rank,coverage\nBEDDING,NOPE,1,1\n"), "x.csv"),
    }
    refused = client.post(
        "/dispatch/categories/import",
        data={**upload, "form_token": secrets.token_hex(8)},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422 and "NOPE" in refused.get_data(as_text=True)
