"""The stock pages' norm, below-norm and expiring columns, their sorting and paging, on the demo,
checked against the norms and a direct query of the batches."""

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import text

from relief_stock.alerts.norms import effective_norm_rows
from relief_stock.database import local_today
from relief_stock.extensions import db
from relief_stock.stock import views_onhand

pytestmark = pytest.mark.usefixtures("demo")


def usable_by_depot(sku):
    return dict(
        db.session.execute(
            text("""SELECT d.code, SUM(b.quantity) FROM batches b JOIN depots d ON d.id = b.depot_id
                    JOIN items i ON i.id = b.item_id WHERE i.sku = :sku AND b.status = 'available'
                    AND b.quantity > 0 AND (b.expiry_date IS NULL OR b.expiry_date >= :today)
                    GROUP BY d.code"""),
            {"sku": sku, "today": local_today()},
        ).all()
    )


def norms_by_depot(sku):
    codes = dict(db.session.execute(text("SELECT id, code FROM depots")).all())
    (item_id,) = db.session.execute(text("SELECT id FROM items WHERE sku = :s"), {"s": sku}).one()
    return {codes[d]: n for d, i, n, _source in effective_norm_rows(item_ids=[item_id]) if n > 0}


def rows_of(html):
    """(depot code, [cell texts]) per table row of the item page."""
    found = []
    for code, row in re.findall(r'href="/depots/(\d+)/stock\?item=[^"]*">.*?</td>(.*?)</tr>', html, re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        found.append((code, cells))
    return found


def test_the_item_page_shows_norm_shortfall_and_expiring_sorted_by_shortfall(sign_in):
    client = sign_in("auditor")
    html = client.get("/items/BED-QUILT/stock?sort=shortfall").get_data(as_text=True)
    norms, usable = norms_by_depot("BED-QUILT"), usable_by_depot("BED-QUILT")
    short = {code: max(norm - usable.get(code, 0), 0) for code, norm in norms.items()}
    rows = rows_of(html)
    assert rows
    shown = [int(cells[4].replace(",", "")) if cells[4] != "—" else 0 for _code, cells in rows]
    assert shown == sorted(shown, reverse=True) and shown[0] == max(short[c] for c, _ in rows)
    for code, cells in rows:
        assert cells[3] == (f"{norms[code]:,}" if code in norms else "—")
        assert shown[[c for c, _ in rows].index(code)] == short.get(code, 0)
    (expiring,) = db.session.execute(
        text("""SELECT COALESCE(SUM(b.quantity), 0) FROM batches b JOIN items i ON i.id = b.item_id
                WHERE i.sku = 'BED-QUILT' AND b.quantity > 0 AND b.status IN ('available', 'quarantined')
                AND b.expiry_date >= :today AND b.expiry_date <= :limit"""),
        {"today": local_today(), "limit": local_today() + timedelta(days=90)},
    ).one()
    listed = sum(int(cells[5].replace(",", "")) for _c, cells in rows if cells[5] != "—")
    assert listed == expiring


def test_the_province_table_is_named_and_exports_the_new_columns(sign_in):
    client = sign_in("admin")
    html = client.get("/stock").get_data(as_text=True)
    assert "全省底数" in html and "低于定额" in html
    exported = client.get("/stock?format=csv&sort=shortfall").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    head = rows[0]
    assert head[-3:] == ["定额", "低于定额", "90 天内到期"]
    norms = norms_by_depot("BED-QUILT")
    usable = usable_by_depot("BED-QUILT")
    quilt = next(r for r in rows if r[0] == "BED-QUILT")
    assert int(quilt[-3]) == sum(norms.values())
    assert int(quilt[-2]) == sum(max(n - usable.get(c, 0), 0) for c, n in norms.items())
    assert client.get("/stock?sort=bogus").status_code == 422


def test_long_lists_are_paged(sign_in, monkeypatch):
    monkeypatch.setattr(views_onhand, "ROWS_PER_PAGE", 10)
    client = sign_in("auditor")
    html = client.get("/items/BED-QUILT/stock?page=2").get_data(as_text=True)
    assert len(rows_of(html)) == 10
    assert 'rel="prev"' in html and 'rel="next"' in html and "第 2 页" in html
