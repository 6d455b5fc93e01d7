"""The "committed to emergencies" panel of the province's picture: every figure (tonnes per category,
units per item, the open orders and their units) checked against plain SQL over `stock_levels` and
`commitments` after plans were approved, for a dispatcher's subtree, a keeper's depot and the province,
on SQLite and PostgreSQL; and the page shows them with links to the transfers."""

import pytest
from sqlalchemy import text

from relief_stock.auth.models import Role
from relief_stock.dashboard.committed import committed_stock
from relief_stock.dashboard.scope import Scope
from relief_stock.database import atomic
from relief_stock.dispatch import operations, transfers
from relief_stock.extensions import db
from relief_stock.stock import operations as stock_ops
from relief_stock.stock.commitments import cancel_transfer
from relief_stock.stock.reconcile import reconcile
from tests.dispatch.helpers import emergency, receive

HANGZHOU_SITE = (30.30, 120.20)
NINGBO_SITE = (29.87, 121.56)


def sql(statement, **params):
    return db.session.execute(text(statement), params).all()


def approved(world, user, sites):
    e = emergency(world, user=user, sites=sites)
    with atomic():
        plan = operations.make_plan(world.users[user], e)
    with atomic():
        return e, operations.approve(world.users[user], plan)


@pytest.fixture
def committed_world(world, make):
    """Hangzhou's county 330102 promised quilts and water to one emergency, Ningbo's 330203 water to
    another; a third order was cancelled and a fourth dispatched, so neither holds anything."""
    receive(world, "330102", "QUILT", 100)
    receive(world, "330102", "WATER", 60, expires_in_days=365)
    receive(world, "330203", "WATER", 50, expires_in_days=365)
    hangzhou, hangzhou_orders = approved(
        world, "dispatcher", [("school", HANGZHOU_SITE, {"QUILT": (80, 1), "WATER": (25, 1)})]
    )
    ningbo, ningbo_orders = approved(
        world, "province-dispatcher", [("port", NINGBO_SITE, {"WATER": (40, 1)})]
    )
    _e, (cancelled,) = approved(world, "dispatcher", [("gym", HANGZHOU_SITE, {"QUILT": (10, 1)})])
    with atomic():
        cancel_transfer(world.users["dispatcher"], cancelled, "duplicate")
    batch = receive(world, "330106", "QUILT", 5)
    _e, (shipped,) = approved(world, "dispatcher", [("hall", (30.26, 120.13), {"QUILT": (5, 1)})])
    assert shipped.from_depot.code == "330106"
    keeper = make.user("keeper-106", Role.KEEPER, world.depots["330106"])
    with atomic():
        transfers.scan_pick(keeper, shipped, batch.code, quantity=5)
        stock_ops.dispatch_transfer(keeper, shipped)
    assert reconcile() == []
    world.emergencies = {"hangzhou": hangzhou, "ningbo": ningbo}
    world.orders = {"hangzhou": hangzhou_orders, "ningbo": ningbo_orders, "gone": [cancelled, shipped]}
    return world


def _direct(path):
    """Figures straight from the tables for the depots whose path starts with `path`."""
    tonnes = dict(
        sql(
            """SELECT i.category, SUM(s.committed * COALESCE(i.unit_weight_kg, 0)) / 1000.0
               FROM stock_levels s JOIN items i ON i.id = s.item_id JOIN depots d ON d.id = s.depot_id
               WHERE s.committed > 0 AND d.path LIKE :p GROUP BY i.category""",
            p=path + "%",
        )
    )
    units = dict(
        sql(
            """SELECT i.sku, SUM(s.committed) FROM stock_levels s JOIN items i ON i.id = s.item_id
               JOIN depots d ON d.id = s.depot_id WHERE s.committed > 0 AND d.path LIKE :p GROUP BY i.sku""",
            p=path + "%",
        )
    )
    lines = {
        (number, sku): (int(units_), name)
        for number, sku, units_, name in sql(
            """SELECT t.number, i.sku, SUM(c.quantity), e.name FROM commitments c
               JOIN transfer_lines l ON l.id = c.transfer_line_id JOIN transfers t ON t.id = l.transfer_id
               JOIN items i ON i.id = c.item_id JOIN depots d ON d.id = c.depot_id
               LEFT JOIN plan_transfers pt ON pt.transfer_id = t.id LEFT JOIN plans p ON p.id = pt.plan_id
               LEFT JOIN emergencies e ON e.id = p.emergency_id
               WHERE d.path LIKE :p GROUP BY t.number, i.sku, e.name HAVING SUM(c.quantity) > 0""",
            p=path + "%",
        )
    }
    return tonnes, units, lines


def _shown(figures):
    tonnes = {c.category.value: c.tonnes for c in figures.categories}
    units = {i.item.sku: i.units for c in figures.categories for i in c.items}
    lines = {
        (o.transfer.number, line.item.sku): (line.units, o.emergency.name if o.emergency else None)
        for o in figures.orders
        for line in o.lines
    }
    return tonnes, units, lines


@pytest.mark.parametrize(
    ("code", "subtree"), [("330000", True), ("330100", True), ("330102", False), ("330200", True)]
)
def test_every_committed_figure_equals_the_balances_and_the_commitment_ledger(committed_world, code, subtree):
    depot = committed_world.depots[code]
    figures = committed_stock(Scope(depot, subtree))
    tonnes, units, lines = _direct(depot.path)
    assert units  # every scope here holds a commitment
    shown_tonnes, shown_units, shown_lines = _shown(figures)
    assert shown_tonnes == pytest.approx({k: float(v) for k, v in tonnes.items()})
    assert shown_units == {k: int(v) for k, v in units.items()}
    assert shown_lines == lines
    assert figures.tonnes == pytest.approx(sum(float(v) for v in tonnes.values()))
    # The orders hold exactly what the balances say is committed, item by item.
    for sku, total in shown_units.items():
        assert sum(u for (_n, s), (u, _e) in shown_lines.items() if s == sku) == total
    # Each item names the orders holding it, and only those.
    for category in figures.categories:
        for item in category.items:
            assert sorted(item.transfers) == sorted(n for (n, s) in lines if s == item.item.sku)


def test_scopes_keep_to_their_depots_and_drop_cancelled_and_shipped_orders(committed_world):
    w = committed_world
    numbers = {
        code: {o.transfer.number for o in committed_stock(Scope(w.depots[code], code != "330102")).orders}
        for code in ("330000", "330100", "330102", "330200", "330106")
    }
    hangzhou = {t.number for t in w.orders["hangzhou"]}
    ningbo = {t.number for t in w.orders["ningbo"]}
    assert numbers["330100"] == numbers["330102"] == hangzhou
    assert numbers["330200"] == ningbo
    assert numbers["330000"] == hangzhou | ningbo
    assert numbers["330106"] == set()
    gone = {t.number for t in w.orders["gone"]}
    assert not gone & numbers["330000"]
    quilt = committed_stock(Scope(w.depots["330102"], False)).categories
    assert {i.item.sku: i.units for c in quilt for i in c.items} == {"QUILT": 80, "WATER": 25}


def test_the_page_shows_the_committed_figures_with_links_to_the_transfers(committed_world, login_as, client):
    w = committed_world
    login_as("dispatcher")
    html = client.get("/reserve/330100").get_data(as_text=True)
    tonnes, _units, lines = _direct(w.depots["330100"].path)
    total = sum(float(v) for v in tonnes.values())
    assert f'id="fig-committed">{total:,.1f} t' in html
    for number, _sku in lines:
        assert f'data-transfer="{number}"><td><a href="/dispatch/transfers/{number}"' in html
    for t in w.orders["ningbo"] + w.orders["gone"]:
        assert f'data-transfer="{t.number}"' not in html
    assert f'emergencies/{w.emergencies["hangzhou"].id}"' in html
    client.post("/logout")
    login_as("ningbo-keeper")
    html = client.get("/reserve/330203").get_data(as_text=True)
    assert {f'data-transfer="{t.number}"' in html for t in w.orders["ningbo"]} == {True}
    assert not any(f'data-transfer="{t.number}"' in html for t in w.orders["hangzhou"])


def test_nothing_committed_says_so(world, login_as, client):
    login_as("keeper")
    html = client.get("/reserve/330102").get_data(as_text=True)
    assert 'id="fig-committed">0.0 t' in html and "data-transfer=" not in html and "data-item=" not in html
