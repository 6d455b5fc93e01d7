"""Sign in and open the depot tree in Chinese and in English, in a real browser; the README's
screenshot (docs/screenshot-depots.png) is taken here by `scripts/screenshots`."""

import pytest

from tests.e2e.conftest import readme_screenshot, sign_in

pytestmark = pytest.mark.browser


def test_depot_tree_in_chinese_then_english(page):
    sign_in(page, "hz-keeper", "keeper-demo")
    page.goto("/depots/")
    assert page.locator("h1").inner_text().startswith("仓库网络")
    assert page.get_by_role("link", name="浙江省红十字会备灾仓库", exact=True).is_visible()
    # the keeper's own branch (Hangzhou) is opened for him
    assert page.get_by_role("link", name="上城区红十字会备灾仓库", exact=True).is_visible()
    readme_screenshot(page, "screenshot-depots.png", full_page=False)

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Depot network")
    assert page.get_by_role("link", name="Zhejiang Province Red Cross relief depot", exact=True).is_visible()
    page.get_by_role("link", name="Hangzhou City Red Cross relief depot", exact=True).click()
    assert "/depots/330100" in page.url and page.get_by_text("Depots under this one").is_visible()
