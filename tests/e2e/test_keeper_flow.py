"""A county keeper on a phone, in Chinese: receive a delivery, scan a batch, issue from it, move it,
and count the depot, in a real browser against the real server. The phone-width screenshots of the
scan page and the batch page in docs/ are taken here by `scripts/screenshots`."""

import re
from datetime import timedelta

import pytest

from relief_stock.database import local_today
from tests.e2e.conftest import readme_screenshot, sign_in

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
}


@pytest.fixture
def browser_context_args():
    return PHONE


def _fits_the_screen(page):
    """Nothing pushes the page sideways on a 390 px phone (tables scroll inside their own box)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_keeper_receives_scans_issues_moves_and_counts(page):
    sign_in(page, "sc-keeper", "keeper-demo")  # 上城区 county depot, 330102
    # A shelf to move stock to (the depot page lets a keeper add his own locations).
    page.goto("/depots/330102")
    page.fill("form.locations-form input[name=code]", "E2E-01")
    page.click("form.locations-form button[type=submit]")

    # Scan first: the menu's first entry.
    page.goto("/dashboard")
    page.locator("nav.mainnav a").first.click()
    page.wait_for_url("**/scan")
    assert page.locator("#scan-code").evaluate("el => el === document.activeElement")
    readme_screenshot(page, "keeper-scan.png")
    assert _fits_the_screen(page)

    # Receive a delivery note with two lines; the second line is added with the button.
    page.get_by_role("link", name="入库").first.click()
    page.wait_for_url("**/depots/330102/receive")
    page.select_option("#f-source_kind", "donation")
    page.fill("input[name=supplier]", "E2E 爱心企业")
    page.fill("input[name=donor_ref]", "JZ-E2E-1")
    page.select_option("select[name=lines-0-item]", "BED-QUILT")
    page.fill("input[name=lines-0-quantity]", "60")
    page.get_by_role("button", name="添加一行").click()
    last = page.locator("fieldset.line").last
    number = page.locator("fieldset.line").count() - 1
    last.locator(f"select[name=lines-{number}-item]").select_option("WAT-BOTTLE-24")
    last.locator(f"input[name=lines-{number}-quantity]").fill("24")
    last.locator(f"input[name=lines-{number}-expiry_date]").fill(
        (local_today() + timedelta(days=45)).isoformat()
    )
    assert _fits_the_screen(page)
    page.get_by_role("button", name="确认入库").click()
    page.wait_for_url(re.compile(r".*/receipts/\d+$"))
    expect(page.get_by_text("已入库 2 行")).to_be_visible()
    codes = page.locator("table a.code").all_inner_texts()
    assert len(codes) == 2
    quilt_code, water_code = codes
    page.goto(f"/batches/{water_code}")
    expect(page.locator(".expiry-soon")).to_be_visible()  # 45 days left: amber
    readme_screenshot(page, "keeper-batch.png")
    assert _fits_the_screen(page)

    # Scan the new batch: the scanner types the code and presses Enter.
    page.goto("/scan")
    page.locator("#scan-code").type(quilt_code)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/batches/{quilt_code}")
    assert page.locator(".big-qty").inner_text().startswith("60")

    # A mistyped code is refused on the scan page, saying why.
    page.goto("/scan")
    page.locator("#scan-code").fill(quilt_code[:-1] + ("A" if quilt_code[-1] != "A" else "B"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("校验位不符")).to_be_visible()

    # Issue 5 from the batch.
    page.goto(f"/batches/{quilt_code}")
    page.get_by_role("link", name="出库", exact=True).click()
    page.fill("input[name=quantity]", "5")
    page.fill("input[name=reason]", "上城区安置点")
    page.get_by_role("button", name=re.compile("确认")).click()
    page.wait_for_url(f"**/batches/{quilt_code}")
    expect(page.get_by_text("已出库 5")).to_be_visible()
    assert page.locator(".big-qty").inner_text().startswith("55")

    # Move it to the shelf.
    page.get_by_role("link", name="移库").click()
    page.fill("input[name=location]", "e2e-01")
    page.get_by_role("button", name=re.compile("确认")).click()
    page.wait_for_url(f"**/batches/{quilt_code}")
    expect(page.get_by_text("已移至 E2E-01")).to_be_visible()

    # Count the depot: our batch is short by one; post the difference.
    page.goto("/depots/330102/counts")
    page.get_by_role("button", name="开始盘点").click()
    page.wait_for_url(re.compile(r".*/counts/\d+$"))
    page.locator(f"tr[data-code='{quilt_code}'] input.count-input").fill("54")
    page.get_by_role("button", name="保存实盘数").click()
    expect(page.get_by_text("已登记 1 个实盘数")).to_be_visible()
    assert page.locator(f"tr[data-code='{quilt_code}']").inner_text().strip().endswith("-1")
    page.locator("form.post-form input[name^=reason-]").fill("破损一床")  # every difference needs a reason
    page.get_by_role("button", name="盘点过账").click()
    expect(page.get_by_text("盘点已过账")).to_be_visible()
    page.goto(f"/batches/{quilt_code}")
    assert page.locator(".big-qty").inner_text().startswith("54")
    expect(page.get_by_text("盘点差异").first).to_be_visible()
