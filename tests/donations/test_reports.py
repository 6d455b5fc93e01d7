"""Donation reports for staff and auditors: the XLSX of a period's donations by donor and item with
their use and what remains, and the feedback letter to a donor (捐赠反馈函) as PDF, in Chinese and
English, with the trace code and its QR code; scoped to the user's depots, bad input a 422."""

import io
import re
from datetime import timedelta

import pytest

from relief_stock.database import atomic, local_today
from relief_stock.donations import operations as donation_ops
from relief_stock.stock import operations as ops
from tests.printing.conftest import decode, flat, page_texts, rasterise

from .helpers import transfer_order


@pytest.fixture
def given(world):
    """Two donations by 王秀英 (not named in public) at Hangzhou, one by a company at Ningbo's county."""
    keeper = world.users["city-keeper"]
    quilt, water = world.items["QUILT"], world.items["WATER"]
    with atomic():
        person = donation_ops.register_donor(keeper, kind="individual", name="王秀英", address="杭州市西湖区")
        company = donation_ops.register_donor(
            world.users["ningbo-keeper"], kind="organisation", name='=HYPERLINK("x")', may_name_publicly=True
        )
        first = donation_ops.declare_donation(
            keeper,
            person,
            world.depots["330100"],
            [donation_ops.DeclaredLine(quilt, 120), donation_ops.DeclaredLine(water, 30)],
            donated_date=local_today() - timedelta(days=3),
        )
        second = donation_ops.declare_donation(
            keeper, person, world.depots["330100"], [donation_ops.DeclaredLine(quilt, 20)]
        )
        other = donation_ops.declare_donation(
            world.users["ningbo-keeper"],
            company,
            world.depots["330203"],
            [donation_ops.DeclaredLine(quilt, 5)],
        )
    with atomic():
        q, w = first.lines
        donation_ops.receive_donation(
            keeper,
            first,
            {
                q.id: donation_ops.Acceptance(110, "damaged"),
                w.id: donation_ops.Acceptance(30, expiry_date=local_today() + timedelta(days=300)),
            },
        )
        donation_ops.receive_donation(keeper, second, {second.lines[0].id: donation_ops.Acceptance(20)})
        donation_ops.receive_donation(
            world.users["ningbo-keeper"], other, {other.lines[0].id: donation_ops.Acceptance(5)}
        )
    with atomic():
        order, line = transfer_order(world, keeper, site="苍南县灵溪镇安置点", quantity=40)
        ops.pick(keeper, line, first.lines[0].batch, 40)
        ops.dispatch_transfer(keeper, order)
        ops.deliver_transfer(keeper, order)
        ops.write_off(keeper, first.lines[0].batch, 4, reason="受潮")
    return {"person": person, "company": company, "first": first, "second": second, "other": other}


def _sheet(response):
    from openpyxl import load_workbook

    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return rows[0], rows[1:], sheet


def test_the_period_report_gives_use_and_remainder_by_donor_and_item(client, world, given, login_as):
    login_as("auditor")
    head, rows, sheet = _sheet(
        client.get("/donors/reports/donations.xlsx?lang=en", headers={"Accept-Language": "en"})
    )
    column = {name: index for index, name in enumerate(head)}
    assert {"Donor", "Item", "Declared", "Accepted", "Distributed", "In stock", "Written off"} <= set(column)
    by_code = {(r[column["Trace code"]], r[column["SKU"]]): r for r in rows}
    quilts = by_code[(given["first"].trace_code, "QUILT")]
    figures = [
        quilts[column[name]] for name in ("Declared", "Accepted", "Distributed", "Written off", "In stock")
    ]
    assert figures == [120, 110, 40, 4, 66]
    assert quilts[column["Distribution sites"]] == "苍南县灵溪镇安置点"
    assert quilts[column["Donor"]] == "王秀英"  # staff see the name the public does not
    assert by_code[(given["second"].trace_code, "QUILT")][column["In stock"]] == 20
    # A donor name that looks like a formula is stored as text, never run.
    company = by_code[(given["other"].trace_code, "QUILT")]
    cell = sheet.cell(row=rows.index(company) + 2, column=column["Donor"] + 1)
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"
    # Ordered by donor, then item.
    donors = [r[column["Donor"]] for r in rows]
    assert donors == sorted(donors)


def test_the_report_is_scoped_and_filtered_by_period_and_depot(client, world, given, login_as):
    login_as("keeper")  # Shangcheng: none of these donations were received there
    assert _sheet(client.get("/donors/reports/donations.xlsx"))[1] == []
    client.post("/logout")
    login_as("ningbo-keeper")
    codes = {r[1] for r in _sheet(client.get("/donors/reports/donations.xlsx"))[1]}
    assert codes == {given["other"].trace_code}
    client.post("/logout")
    login_as("admin")
    today = local_today()
    recent = _sheet(
        client.get(f"/donors/reports/donations.xlsx?from={today - timedelta(days=1)}&to={today}")
    )[1]
    assert {r[1] for r in recent} == {given["second"].trace_code, given["other"].trace_code}
    hangzhou = _sheet(client.get("/donors/reports/donations.xlsx?depot=330100"))[1]
    assert {r[1] for r in hangzhou} == {given["first"].trace_code, given["second"].trace_code}


@pytest.mark.parametrize(
    "query, field",
    [
        ("from=2026-13-01", "from"),
        ("from=2026-12-01&to=2026-11-01", "from"),
        ("from=2000-01-01&to=2026-11-01", "from"),
        ("depot=999999", "depot"),
    ],
)
def test_bad_report_parameters_are_422_naming_the_field(client, world, login_as, query, field):
    login_as("admin")
    response = client.get(f"/donors/reports/donations.xlsx?{query}", headers={"Accept-Language": "en"})
    assert response.status_code == 422


def _pdf_text(data: bytes) -> str:
    return "\n".join(page_texts(data))


def test_the_feedback_letter_says_where_the_goods_went(client, world, given, login_as):
    login_as("city-keeper")
    person = given["person"]
    response = client.get(f"/donors/reports/feedback/{person.id}.pdf?lang=zh&signed_by=李主任")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = flat(_pdf_text(response.data))
    assert "捐赠反馈函" in text and "尊敬的王秀英" in text
    for donation in (given["first"], given["second"]):
        assert donation.trace_code in text
    assert "苍南县灵溪镇安置点" in text and "李主任" in text
    english = _pdf_text(client.get(f"/donors/reports/feedback/{person.id}.pdf?lang=en").data)
    english = re.sub(r"\s+", " ", english)
    assert "Donation feedback letter" in english and "Dear 王秀英" in english
    assert "110 quilts (Cotton quilt): 40 quilts distributed to 1 site" in english


def test_the_letter_carries_a_qr_code_per_donation(client, world, given, login_as):
    login_as("city-keeper")
    data = client.get(f"/donors/reports/feedback/{given['person'].id}.pdf").data
    found = {barcode.text for page in rasterise(data) for barcode in decode(page)}
    for donation in (given["first"], given["second"]):
        assert f"https://relief.example.org/donations/{donation.trace_code}" in found


def test_the_letter_is_refused_outside_scope_and_for_unprintable_text(client, world, given, login_as):
    login_as("keeper")
    assert client.get(f"/donors/reports/feedback/{given['person'].id}.pdf").status_code == 404
    assert client.get("/donors/reports/feedback/999999.pdf").status_code == 404
    client.post("/logout")
    login_as("city-keeper")
    response = client.get(f"/donors/reports/feedback/{given['person'].id}.pdf?signed_by=李\U0001f600")
    assert response.status_code == 422
