"""The province's picture over HTTP on the demo data: scopes per role, the map's outlines, colours and
drill-down links (province -> city -> county -> depot -> batch), the start page's stock card, and
clear refusals of bad input."""

import re

import pytest
from sqlalchemy import text

from relief_stock.dashboard import maps, queries
from relief_stock.dashboard.scope import Scope
from relief_stock.database import local_today
from relief_stock.extensions import db
from relief_stock.network.queries import depot_by_code

pytestmark = pytest.mark.usefixtures("demo")


def links(html, pattern):
    return re.findall(rf'href="({re.escape(pattern)}[^"]*)"', html.replace("&amp;", "&"))


def areas(html):
    """{county code: (css classes, link)} of the map's county outlines."""
    pattern = r'(?:<a href="([^"]*)">)?<path d="[^"]+" class="area ([^"]*)" data-code="(\d+)"'
    return {code: (css, href) for href, css, code in re.findall(pattern, html.replace("&amp;", "&"))}


def test_the_province_map_outlines_90_counties_coloured_by_their_depots_coverage(sign_in):
    client = sign_in("dispatcher")
    html = client.get("/map").get_data(as_text=True)
    shapes = areas(html)
    assert len(shapes) == 90
    fills = queries.depot_fill(Scope(depot_by_code("330000"), True), local_today())
    shangcheng = depot_by_code("330102")
    css, href = shapes["330102"]
    assert css == maps.fill_class(fills[shangcheng.id].fill)
    assert href == "/map/330100"  # a county on the province map opens its city
    # Depots are labelled with names, never codes; the province map names the 11 cities only.
    labels = re.findall(r"<text [^>]*>([^<]+)</text>", html)
    assert (
        "杭州市" in labels and "上城区" not in labels and not any(re.fullmatch(r"\d{6}", t) for t in labels)
    )
    assert 'class="layer layer-shortfall"' in html and "critical" in html


def test_drilling_down_from_the_province_to_a_batch(sign_in):
    client = sign_in("dispatcher")
    city = client.get("/map/330100").get_data(as_text=True)
    shapes = areas(city)
    assert len(shapes) == 13 and shapes["330102"][1] == "/map/330102"
    county = client.get("/map/330102").get_data(as_text=True)
    (batches,) = set(links(county, "/reserve/330102/batches"))
    listing = client.get(batches).get_data(as_text=True)
    (count,) = db.session.execute(
        text(
            "SELECT COUNT(*) FROM batches b JOIN depots d ON d.id = b.depot_id "
            "WHERE d.code = '330102' AND b.quantity > 0"
        )  # fmt: skip
    ).one()
    assert f"<strong>{count:,}</strong>" in listing
    batch = links(listing, "/batches/B-330102-")[0]
    assert client.get(batch).status_code == 200


def test_a_keeper_sees_his_depot_and_is_refused_the_rest(sign_in):
    client = sign_in("sc-keeper")
    page = client.get("/reserve").get_data(as_text=True)
    assert "上城区红十字会备灾仓库" in page and "全省" not in page.split('id="scope-label"')[1][:80]
    assert client.get("/reserve/330100").status_code == 403
    assert client.get("/map/330203").status_code == 403
    shapes = areas(client.get("/map").get_data(as_text=True))
    assert list(shapes) == ["330102"]


def test_the_start_page_card_shows_exactly_the_users_scope_in_tonnes(sign_in):
    client = sign_in("hz-keeper")  # keeper of the Hangzhou city depot, which has counties below it
    page = client.get("/dashboard").get_data(as_text=True)
    hangzhou = depot_by_code("330100")
    (kg,) = db.session.execute(
        text(
            "SELECT SUM(s.on_hand * COALESCE(i.unit_weight_kg, 0)) FROM stock_levels s "
            "JOIN items i ON i.id = s.item_id WHERE s.depot_id = :d"
        ),  # fmt: skip
        {"d": hangzhou.id},
    ).one()
    assert f"{float(kg) / 1000:,.1f} t" in page
    assert "杭州市红十字会备灾仓库（仅本仓）" in page
    assert "库存总量" not in page


def test_the_dashboard_links_every_figure_to_the_list_behind_it(sign_in):
    client = sign_in("admin")
    html = client.get("/reserve").get_data(as_text=True)
    assert "全省底数" in html
    month_links = links(html, "/reserve/330000/batches?expiry_month=")
    assert len(month_links) >= 12
    flows = links(html, "/reserve/330000/movements?")
    assert flows and all(client.get(url).status_code == 200 for url in flows[:3])
    area_links = links(html, "/reserve/330100/batches?category=")
    assert area_links and client.get(area_links[0]).status_code == 200


@pytest.mark.parametrize(
    "url, status, words",
    [
        ("/map?category=nope", 422, "category"),
        ("/map?item=NO-SUCH-SKU", 422, "NO-SUCH-SKU"),
        ("/reserve/330000/batches?expiry_month=2026-13", 422, "YYYY-MM"),
        ("/reserve/330000/movements?flow=stolen", 422, "flow"),
        ("/reserve/330000/movements?page=0", 422, "page"),
        ("/reserve/999999", 404, "999999"),
    ],
)
def test_bad_input_is_refused_with_its_reason(sign_in, url, status, words):
    client = sign_in("auditor")
    response = client.get(url, headers={"Accept-Language": "en"})
    assert response.status_code == status
    assert words in response.get_data(as_text=True)
