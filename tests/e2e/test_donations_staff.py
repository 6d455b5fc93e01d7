"""The Shangcheng keeper on a phone, in Chinese: from the menu to the demo's donation still to be
received, accepting fewer jackets than declared with a reason, then from the new batch back to the
donation, in a real browser against the real server."""

import re

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


def test_a_keeper_receives_a_declared_donation_on_a_phone(page):
    sign_in(page, "sc-keeper", "keeper-demo")
    page.get_by_role("link", name="捐赠", exact=True).click()
    page.wait_for_url("**/donors/donations/")
    row = page.locator("#donation-list tbody tr", has_text="已登记，待入库").first
    code = row.locator("a.code").inner_text()
    row.locator("a.code").click()
    page.wait_for_url(f"**/donors/donations/{code}")
    page.get_by_role("link", name="验收入库").click()

    accepted = page.locator("input[name$='-accepted']").first
    declared = int(accepted.input_value())
    accepted.fill(str(declared - 2))
    page.get_by_role("button", name="确认入库").click()
    assert page.locator(".field-error").count() == 1  # a difference needs its reason
    page.locator("select[name$='-reason']").first.select_option("damaged")
    page.locator("input[name$='-note']").first.fill("两件拉链损坏")
    page.get_by_role("button", name="确认入库").click()

    page.wait_for_url(f"**/donors/donations/{code}")
    lines = page.locator("#donation-lines").inner_text()
    assert "破损" in lines and "两件拉链损坏" in lines and re.search(rf"\b{declared - 2}\b", lines)
    assert "已入库" in page.locator(".code-line").inner_text()
    page.locator("#donation-lines a.code").first.click()
    page.wait_for_url("**/batches/B-*")
    page.get_by_role("link", name="捐赠登记记录").click()
    page.wait_for_url(f"**/donors/donations/{code}")
