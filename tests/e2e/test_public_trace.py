"""A member of the public on a phone, in Chinese: from the sign-in page to the trace of a donation,
using the code printed on the donor's receipt PDF, in a real browser against the real server."""

import io
import re

import pypdf
import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args():
    return {
        "viewport": {"width": 390, "height": 844},
        "locale": "zh-CN",
        "is_mobile": True,
        "has_touch": True,
    }


def _donation_in_live_database(live_server) -> str:
    """A Hangzhou keeper registers and receives 120 blankets from an anonymous donor and hands out
    20, through the operations, on the live server's database."""
    from relief_stock import create_app
    from relief_stock.auth.models import User
    from relief_stock.catalogue.models import Item
    from relief_stock.database import atomic
    from relief_stock.donations import operations as donation_ops
    from relief_stock.extensions import db
    from relief_stock.network.models import Depot
    from relief_stock.stock import operations as ops

    app = create_app({"SQLALCHEMY_DATABASE_URI": live_server.database_url})
    with app.app_context():
        keeper = db.session.scalar(db.select(User).where(User.username == "hz-keeper"))
        depot = db.session.scalar(db.select(Depot).where(Depot.code == "330100"))
        blanket = db.session.scalar(db.select(Item).where(Item.sku == "BED-BLKT-W30"))
        with atomic():
            donor = donation_ops.register_donor(keeper, kind="individual", name="李大爷", phone="13900001111")
            donation = donation_ops.declare_donation(
                keeper, donor, depot, [donation_ops.DeclaredLine(blanket, 120)]
            )
            donation_ops.receive_donation(
                keeper, donation, {donation.lines[0].id: donation_ops.Acceptance(120)}
            )
            ops.issue(keeper, donation.lines[0].batch, 20)
        code = donation.trace_code
        db.session.remove()
        db.engine.dispose()
    return code


def test_the_public_traces_a_donation_from_the_receipt_pdf(browser, live_server, page):
    code = _donation_in_live_database(live_server)
    staff = browser.new_context(base_url=live_server.url, locale="zh-CN")
    staff_page = staff.new_page()
    sign_in(staff_page, "hz-keeper", "keeper-demo")
    pdf = staff_page.request.get(f"/donors/donations/{code}/receipt.pdf")
    assert pdf.ok
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.body())).pages)
    staff.close()
    printed = re.search(r"D-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]", "".join(text.split())).group(0)
    assert printed == code

    page.goto("/login")
    page.click("#trace-a-donation a")
    page.wait_for_url("**/donations/")
    page.fill("input[name=code]", printed.lower())  # typed on a phone keyboard
    page.click("button[type=submit].primary")
    page.wait_for_url(f"**/donations/{code}")
    summary = page.inner_text("#summary")
    assert "120 条毛毯" in summary and "已发放 20 条" in summary and "100 条在库" in summary
    body = page.inner_text("body")
    assert "爱心人士" in body and "李大爷" not in body and "13900001111" not in body
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
