"""A dispatch officer, in a real browser on the demo data: new emergency -> site -> needs estimated
from the standards -> plan (table, trucks, map) -> approval -> transfer orders -> printed manifest."""

import pytest

from tests.e2e.conftest import readme_screenshot, sign_in

pytestmark = pytest.mark.browser


def test_officer_from_new_emergency_to_printed_manifest(page):
    sign_in(page, "dispatcher", "dispatch-demo")
    page.goto("/dispatch/")
    page.fill("input[name=name]", "台风“烟花”浙北")
    page.select_option("select[name=kind]", "typhoon")
    page.select_option("select[name=response_level]", "3")
    page.click("text=创建突发事件")
    page.wait_for_url("**/dispatch/emergencies/*")
    page.fill("input[name=name]", "临平体育中心安置点")
    page.fill("input[name=lat]", "30.42")
    page.fill("input[name=lng]", "120.30")
    page.fill("input[name=population]", "120")
    page.click("text=添加安置点")
    page.wait_for_load_state()
    page.click("text=按标准测算需求")
    page.wait_for_load_state()
    assert page.get_by_role("cell", name="Sphere WAT-02：生存饮水每人每天2.5–3升（取3升）").first.is_visible()
    page.click("text=生成调运计划")
    page.wait_for_url("**/dispatch/plans/*")
    assert page.locator("svg.dispatch-map line.flow").count() > 0
    assert page.get_by_role("heading", name="车辆与到达时间").is_visible()
    readme_screenshot(page, "screenshot-dispatch-plan.png", full_page=True)
    page.click("button:has-text('批准')")
    page.wait_for_load_state()
    assert page.get_by_text("已生成").is_visible()
    first = page.locator("a[href*='/dispatch/transfers/T-']").first
    number = first.inner_text()
    first.click()
    page.wait_for_url(f"**/dispatch/transfers/{number}")
    href = page.get_by_role("link", name="调拨单（随车）").get_attribute("href")
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"].startswith("application/pdf")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=f"Transfer order {number}").is_visible() or page.locator(
        "h1"
    ).inner_text().startswith("Transfer order")
