"""Every figure of the province's picture, checked against a direct query of the ledger and the
balances on the demo data (on SQLite and PostgreSQL). The direct queries are plain SQL written here,
independent of the dashboard's own statements."""

from collections import defaultdict
from datetime import datetime, time

import pytest
from sqlalchemy import text

from relief_stock.alerts.norms import effective_norm_rows
from relief_stock.catalogue.models import Category
from relief_stock.dashboard import queries
from relief_stock.dashboard.scope import Scope
from relief_stock.database import local_today
from relief_stock.extensions import db
from relief_stock.network.queries import depot_by_code

pytestmark = pytest.mark.usefixtures("demo")


def sql(statement, **params):
    return db.session.execute(text(statement), params).all()


def scope(code, subtree=True):
    return Scope(depot_by_code(code), subtree)


def test_tonnes_by_category_and_area_equal_the_balances_and_the_ledger():
    province = scope("330000")
    stock = {c.category: c for c in queries.stock_by_category(province)}
    areas = {d.code: d for d in province.areas()}
    direct = sql(
        """SELECT i.category, SUM(s.on_hand * COALESCE(i.unit_weight_kg, 0)) / 1000.0
           FROM stock_levels s JOIN items i ON i.id = s.item_id JOIN depots d ON d.id = s.depot_id
           WHERE d.path LIKE '/330000/330100/%' GROUP BY i.category"""
    )
    assert direct
    for category, tonnes in direct:
        assert stock[Category(category)].by_area[areas["330100"].id] == pytest.approx(float(tonnes))
    own = sql(
        """SELECT SUM(s.on_hand * COALESCE(i.unit_weight_kg, 0)) / 1000.0 FROM stock_levels s
           JOIN items i ON i.id = s.item_id JOIN depots d ON d.id = s.depot_id WHERE d.code = '330000'"""
    )[0][0]
    assert sum(c.by_area.get(areas["330000"].id, 0) for c in stock.values()) == pytest.approx(float(own))
    # The ledger: every signed movement summed per item times its weight gives the same tonnes.
    ledger = sql(
        """SELECT SUM(m.quantity * COALESCE(i.unit_weight_kg, 0)) / 1000.0
           FROM movements m JOIN items i ON i.id = m.item_id"""
    )[0][0]
    assert sum(c.tonnes for c in stock.values()) == pytest.approx(float(ledger))
    # Units per item: never added across items, each equal to its balance.
    quilt = next(i for c in stock.values() for i in c.items if i.item.sku == "BED-QUILT")
    assert quilt.on_hand == sql("SELECT SUM(on_hand) FROM stock_levels s JOIN items i ON i.id = s.item_id "
                                "WHERE i.sku = 'BED-QUILT'")[0][0]  # fmt: skip


def _direct_fills(code_prefix, today):
    """Per item: (sum of min(usable, norm), sum of norms, pairs short) over depots under a prefix."""
    usable = {
        (d, i): int(q)
        for d, i, q in sql(
            """SELECT depot_id, item_id, SUM(quantity) FROM batches WHERE status = 'available'
               AND quantity > 0 AND (expiry_date IS NULL OR expiry_date >= :today)
               GROUP BY depot_id, item_id""",
            today=today,
        )
    }
    inside = {d for (d,) in sql("SELECT id FROM depots WHERE path LIKE :p", p=code_prefix + "%")}
    sums = defaultdict(lambda: [0, 0, 0])
    for depot_id, item_id, norm, _source in effective_norm_rows():
        if depot_id in inside and norm > 0:
            have = usable.get((depot_id, item_id), 0)
            acc = sums[item_id]
            acc[0] += min(have, norm)
            acc[1] += norm
            acc[2] += have < norm
    return sums


def test_coverage_matrix_counts_each_depot_up_to_its_norm_and_matches_the_alerts():
    today = local_today()
    province = scope("330000")
    matrix = queries.coverage_matrix(province, today)
    hangzhou = depot_by_code("330100")
    direct = _direct_fills("/330000/330100/", today)
    expected_fill = sum(a[0] / a[1] for a in direct.values()) / len(direct)
    cell = matrix[(hangzhou.id, None)]
    assert cell.fill == pytest.approx(expected_fill)
    assert cell.short == sum(a[2] for a in direct.values())
    # The same shortfalls the alert list shows (the demo ran the checks when it loaded).
    alerts = sql(
        """SELECT COUNT(*) FROM alerts a JOIN depots d ON d.id = a.depot_id
           WHERE a.kind = 'shortfall' AND a.state IN ('open', 'acknowledged')"""
    )[0][0]
    assert matrix[(None, None)].short == alerts > 0
    # A surplus elsewhere does not hide a shortfall: the fill is below the ratio of the totals.
    total = _direct_fills("/330000/", today)
    naive = [
        min(1.0, sum(q for (d, i), q in _usable_by_item(today).items() if i == item_id) / acc[1])
        for item_id, acc in total.items()
    ]
    assert matrix[(None, None)].fill < sum(naive) / len(naive)


def _usable_by_item(today):
    return {
        (d, i): int(q)
        for d, i, q in sql(
            """SELECT depot_id, item_id, SUM(quantity) FROM batches WHERE status = 'available'
               AND quantity > 0 AND (expiry_date IS NULL OR expiry_date >= :today)
               GROUP BY depot_id, item_id""",
            today=today,
        )
    }


def test_expiry_timeline_equals_the_batches_by_month():
    today = local_today()
    expired, months = queries.expiry_timeline(scope("330000"), today)
    assert len(months) == 12
    for bucket in months:
        end = queries.month_starts(bucket.start, 1)[1]
        count, kg = sql(
            """SELECT COUNT(*), COALESCE(SUM(b.quantity * COALESCE(i.unit_weight_kg, 0)), 0)
               FROM batches b JOIN items i ON i.id = b.item_id
               WHERE b.quantity > 0 AND b.status IN ('available', 'quarantined', 'expired')
               AND b.expiry_date >= :low AND b.expiry_date < :high""",
            low=max(bucket.start, today),
            high=end,
        )[0]
        assert (bucket.batches, bucket.total_tonnes) == (count, pytest.approx(float(kg) / 1000))
    (past,) = sql(
        """SELECT COUNT(*) FROM batches WHERE quantity > 0 AND expiry_date < :today
           AND status IN ('available', 'quarantined', 'expired')""",
        today=today,
    )[0]
    assert expired.batches == past > 0


def test_in_transit_and_monthly_flows_equal_the_transfers_and_the_ledger():
    today = local_today()
    province = scope("330000")
    rows, count, tonnes = queries.in_transit(province)
    direct = sql(
        """SELECT COUNT(DISTINCT t.id), SUM(p.quantity * COALESCE(i.unit_weight_kg, 0)) / 1000.0
           FROM transfers t JOIN transfer_lines l ON l.transfer_id = t.id
           JOIN transfer_picks p ON p.line_id = l.id JOIN items i ON i.id = l.item_id
           WHERE t.status = 'in_transit'"""
    )[0]
    assert (count, tonnes) == (direct[0], pytest.approx(float(direct[1])))
    assert count == len(rows) == 2
    # Hangzhou receives one of them: it is on its dashboard too; Shangcheng has none.
    assert queries.in_transit(scope("330100"))[1] == 1
    assert queries.in_transit(scope("330102"))[1] == 0

    flows = queries.monthly_flows(province, today)
    assert len(flows) == 12 and flows[-1].start == today.replace(day=1)
    zone = queries._zone()
    low = datetime.combine(today.replace(day=1), time(0), zone)
    for name, kind in (("received", "receipt"), ("transferred_out", "transfer_out")):
        n, kg = sql(
            """SELECT COUNT(*), SUM(ABS(m.quantity) * COALESCE(i.unit_weight_kg, 0)) / 1000.0
               FROM movements m JOIN items i ON i.id = m.item_id
               WHERE m.kind = :kind AND m.created_at >= :low""",
            kind=kind,
            low=low,
        )[0]
        assert flows[-1].movements[name] == n > 0
        assert flows[-1].tonnes[name] == pytest.approx(float(kg))
    assert all(not month.movements for month in flows[:-1])  # the demo's ledger starts today


def test_a_keepers_scope_is_his_depot_alone():
    hangzhou = depot_by_code("330100")
    own = queries.scope_summary(Scope(hangzhou, subtree=False))
    tree = queries.scope_summary(Scope(hangzhou, subtree=True))
    (kg,) = sql(
        """SELECT SUM(s.on_hand * COALESCE(i.unit_weight_kg, 0)) FROM stock_levels s
           JOIN items i ON i.id = s.item_id WHERE s.depot_id = :d""",
        d=hangzhou.id,
    )[0]
    assert own.tonnes == pytest.approx(float(kg) / 1000)
    assert tree.tonnes > own.tonnes


def test_the_lists_behind_a_figure_add_up_to_it():
    today = local_today()
    province = scope("330000")
    hangzhou = depot_by_code("330100")
    bedding = next(c for c in queries.stock_by_category(province) if c.category is Category.BEDDING)
    page = queries.batch_page(scope("330100"), today, category=Category.BEDDING, per_page=10)
    assert page.tonnes == pytest.approx(bedding.by_area[hangzhou.id])
    assert page.total > len(page.rows) == 10 and page.pages > 1
    expired, months = queries.expiry_timeline(province, today)
    busiest = max(months, key=lambda b: b.batches)
    listed = queries.batch_page(province, today, expiry_month=busiest.key)
    assert (listed.total, listed.tonnes) == (busiest.batches, pytest.approx(busiest.total_tonnes))
    assert queries.batch_page(province, today, expiry_month="expired").total == expired.batches
    month = queries.monthly_flows(province, today)[-1]
    moved = queries.movement_page(province, flow="received", month=month.key)
    assert (moved.total, moved.tonnes) == (
        month.movements["received"],
        pytest.approx(month.tonnes["received"]),
    )


def test_a_depots_colour_on_the_map_is_its_mean_fill_of_norms():
    today = local_today()
    usable = _usable_by_item(today)
    fills = queries.depot_fill(scope("330000"), today)
    by_depot = defaultdict(list)
    for depot_id, item_id, norm, _source in effective_norm_rows():
        if norm > 0:
            by_depot[depot_id].append(min(usable.get((depot_id, item_id), 0) / norm, 1.0))
    assert set(fills) == set(by_depot)
    for depot_id, ratios in by_depot.items():
        assert fills[depot_id].fill == pytest.approx(sum(ratios) / len(ratios))
        assert fills[depot_id].short == sum(r < 1 for r in ratios)
