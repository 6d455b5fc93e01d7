import re
from datetime import date, timedelta
import pytest
from tests.e2e.conftest import sign_in
from tests.e2e.test_keeper_flow import PHONE

@pytest.fixture
def browser_context_args():
    return PHONE

def test_snaps(page):
    sign_in(page, "sc-keeper", "keeper-demo")
    page.goto("/depots/330102/receive")
    page.screenshot(path="/tmp/b2/receive.png", full_page=True)
    page.select_option("select[name=lines-0-item]", "WAT-BOTTLE-24")
    page.fill("input[name=lines-0-quantity]", "5")
    page.fill("input[name=lines-0-expiry_date]", "2020-01-01")
    page.get_by_role("button", name="确认入库").click()
    page.screenshot(path="/tmp/b2/receive_err.png", full_page=True)
    page.fill("input[name=lines-0-quantity]", "12")
    page.fill("input[name=lines-0-expiry_date]", (date.today() + timedelta(days=20)).isoformat())
    page.get_by_role("button", name="确认入库").click()
    page.wait_for_url(re.compile(r".*/receipts/\d+$"))
    page.screenshot(path="/tmp/b2/receipt.png", full_page=True)
    code = page.locator("table a.code").first.inner_text()
    page.goto(f"/batches/{code}")
    page.screenshot(path="/tmp/b2/batch_water.png", full_page=True)
    page.goto(f"/batches/{code}/issue")
    page.fill("input[name=quantity]", "99")
    page.evaluate("document.querySelector('input[name=quantity]').removeAttribute('max')")
    page.get_by_role("button", name=re.compile("确认")).click()
    page.screenshot(path="/tmp/b2/issue_err.png", full_page=True)
    page.goto("/depots/330102/issue")
    page.screenshot(path="/tmp/b2/issue_item.png", full_page=True)
    page.goto("/depots/330102/stock")
    page.screenshot(path="/tmp/b2/depot_stock.png", full_page=True)
    page.goto("/stock")
    page.screenshot(path="/tmp/b2/overview.png", full_page=True)
    page.goto("/dashboard")
    page.screenshot(path="/tmp/b2/dashboard.png", full_page=True)
    page.goto("/depots/330102/counts")
    page.get_by_role("button", name="开始盘点").click()
    page.wait_for_url(re.compile(r".*/counts/\d+$"))
    page.screenshot(path="/tmp/b2/count.png", full_page=True)
    page.goto("/scan?code=B-1234")
    page.screenshot(path="/tmp/b2/scan_err.png", full_page=True)
