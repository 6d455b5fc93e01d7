"""The province's picture in a real browser on the demo: the province dispatcher opens the dashboard
and the map and drills from the province to a batch; a county keeper sees his own depot only.

The README's screenshots come from this file, only when asked for:

    RELIEF_SCREENSHOTS=docs .venv/bin/python -m pytest tests/e2e/test_reserve_picture.py -m browser

(an ordinary test run writes no file).
"""

import os
import re
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, sign_in

pytestmark = pytest.mark.browser


def shoot(page, name: str, full_page: bool = True) -> None:
    folder = os.environ.get("RELIEF_SCREENSHOTS")
    if folder:
        page.screenshot(
            path=str((ROOT / folder if not Path(folder).is_absolute() else Path(folder)) / name),
            full_page=full_page,
        )


def click_area(page, code: str) -> None:
    """Click a county outline (an SVG path inside a link), whatever marker sits on top of its seat."""
    with page.expect_navigation():
        page.locator(f'path.area[data-code="{code}"]').dispatch_event("click")


def test_province_dispatcher_drills_from_the_province_to_a_batch(page):
    sign_in(page, "dispatcher", "dispatch-demo")
    with page.expect_navigation():
        page.get_by_role("navigation").get_by_role("link", name="物资底数").click()
    assert page.locator("h1").inner_text().startswith("全省底数")
    assert "全省" in page.locator("#scope-label").inner_text()
    assert page.locator("#where tbody tr").count() >= 8  # categories, in tonnes per city
    assert page.locator("#short td.cell").count() > 11
    assert page.locator("#expiry svg.chart rect").count() > 0
    shoot(page, "screenshot-reserve.png")

    with page.expect_navigation():
        page.get_by_role("link", name="地图", exact=True).first.click()
    assert page.locator("svg.reserve-map path.area").count() == 90
    assert page.locator("svg.reserve-map text", has_text="杭州市").count() == 1
    shoot(page, "screenshot-map-province.png", full_page=False)

    click_area(page, "330102")  # a county on the province map opens its city
    assert page.url.endswith("/map/330100")
    assert page.locator("svg.reserve-map path.area").count() == 13
    shoot(page, "screenshot-map-hangzhou.png", full_page=False)
    click_area(page, "330102")  # on the city's map, the county itself
    assert page.url.endswith("/map/330102")
    with page.expect_navigation():
        page.locator("#map-depots").get_by_role("link", name="批次").first.click()
    assert "/reserve/330102/batches" in page.url
    total = int(page.locator("#list-totals strong").first.inner_text().replace(",", ""))
    assert total > 0
    with page.expect_navigation():
        page.locator("#batch-list a[href^='/batches/B-330102-']").first.click()
    assert re.search(r"/batches/B-330102-", page.url)
    assert page.locator("h1").inner_text().startswith("B-330102-") or "B-330102-" in page.content()


def test_county_keeper_sees_his_own_depot(page):
    sign_in(page, "sc-keeper", "keeper-demo")
    assert "（仅本仓）" in page.locator("#stock-scope").inner_text()
    with page.expect_navigation():
        page.get_by_role("navigation").get_by_role("link", name="物资底数").click()
    assert page.locator("#scope-label").inner_text() == "上城区红十字会备灾仓库（仅本仓）"
    with page.expect_navigation():
        page.get_by_role("link", name="地图", exact=True).first.click()
    assert page.locator("svg.reserve-map path.area").count() == 1
    shoot(page, "screenshot-map-keeper.png", full_page=False)
    with page.expect_navigation():
        page.locator("svg.reserve-map .markers a").first.dispatch_event("click")
    assert "/reserve/330102/batches" in page.url and "own=1" in page.url
    with page.expect_navigation():
        page.locator("#batch-list a[href^='/batches/']").first.click()
    assert "/batches/B-330102-" in page.url
    response = page.goto("/map/330100")
    assert response.status == 403
