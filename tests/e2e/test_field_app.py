"""The keeper's field app on a 390 px phone in Chinese, in a real browser against the real server:
five operations done with no network (receive, issue, move, count, pick), a reload while offline,
then back online, each applied exactly once (ledger and balances read from the server's database);
a replay the server refuses is shown with its reason and resolved by changing it."""

import re
import sqlite3

import pytest

from tests.e2e.conftest import sign_in, wait_until
from tests.e2e.test_keeper_flow import PHONE

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser
DEPOT = "330102"


@pytest.fixture
def browser_context_args():
    return PHONE


def database(live_server):
    connection = sqlite3.connect(live_server.database_url.removeprefix("sqlite:///"))
    connection.row_factory = sqlite3.Row
    return connection


def one(live_server, sql, *args):
    with database(live_server) as connection:
        return connection.execute(sql, args).fetchone()


def shelved_batches(live_server, count):
    """Issuable batches of the depot that nothing has touched since receipt, not blankets (the demo
    order picks those), largest first."""
    with database(live_server) as connection:
        return connection.execute(
            "SELECT b.code, b.quantity, b.id FROM batches b JOIN depots d ON d.id = b.depot_id "
            "JOIN items i ON i.id = b.item_id LEFT JOIN locations l ON l.id = b.location_id "
            "WHERE d.code = ? AND b.status = 'available' AND b.quantity >= 20 AND i.sku != 'BED-BLKT-W30' "
            "AND (b.expiry_date IS NULL OR b.expiry_date > date('now', '+120 days')) "
            "AND (l.code IS NULL OR l.code != 'B-01') "
            "AND NOT EXISTS (SELECT 1 FROM movements m WHERE m.batch_id = b.id AND m.kind != 'receipt') "
            "ORDER BY b.quantity DESC LIMIT ?",
            (DEPOT, count),
        ).fetchall()


def movements(live_server, batch_id, kind):
    with database(live_server) as connection:
        return connection.execute(
            "SELECT quantity, location_id FROM movements WHERE batch_id = ? AND kind = ?", (batch_id, kind)
        ).fetchall()


def open_field_app(page):
    page.goto("/field/")
    wait_until(page, "document.getElementById('field').dataset.ready === '1'")
    wait_until(page, "navigator.serviceWorker.controller !== null", timeout=20000)
    expect(page.locator("#data-age")).to_contain_text("数据")


def scan(page, code):
    page.fill("#field-code", code)
    page.locator("#field-code").press("Enter")
    expect(page.locator("#batch-card")).to_be_visible()


def pending(page):
    return page.locator("#pending-count")


def test_five_operations_offline_then_each_applied_exactly_once(page, live_server):
    sign_in(page, "sc-keeper", "keeper-demo")
    page.goto(f"/depots/{DEPOT}/counts")  # a count is opened online, at the start of the day
    page.get_by_role("button", name="开始盘点").click()
    page.wait_for_url(re.compile(r".*/counts/\d+$"))
    stocktake_id = int(page.url.rsplit("/", 1)[1])
    (issued, issued_qty, issued_id), (moved, _moved_qty, moved_id), (counted, counted_qty, counted_id) = (
        shelved_batches(live_server, 3)
    )
    blanket = one(
        live_server,
        "SELECT b.code, b.id FROM batches b JOIN depots d ON d.id = b.depot_id JOIN items i ON i.id = b.item_id "
        "WHERE d.code = ? AND i.sku = 'BED-BLKT-W30' AND b.quantity >= 20 ORDER BY b.id LIMIT 1",
        DEPOT,
    )
    order = one(
        live_server,
        "SELECT t.number, t.id FROM transfers t JOIN depots d ON d.id = t.from_depot_id "
        "WHERE d.code = ? AND t.status = 'draft'",
        DEPOT,
    )
    receipts_before = one(live_server, "SELECT count(*) FROM receipts")[0]

    open_field_app(page)
    page.context.set_offline(True)
    expect(page.locator("#net-state")).to_have_text("离线")

    page.locator("#receive-details summary").click()
    page.select_option("#receive-form [name=item]", "BED-QUILT")
    page.fill("#receive-form [name=quantity]", "7")
    page.select_option("#receive-form [name=location]", "A-01")
    page.fill("#receive-form [name=supplier]", "离线爱心企业")
    page.get_by_role("button", name="确认收货").click()
    expect(pending(page)).to_have_text("1")

    scan(page, issued)
    page.locator("#batch-actions").get_by_role("button", name="出库").click()
    page.fill("#issue-form [name=quantity]", "3")
    page.fill("#issue-form [name=reason]", "离线安置点")
    page.get_by_role("button", name="确认出库").click()
    expect(pending(page)).to_have_text("2")

    scan(page, f"http://127.0.0.1/b/{moved.lower()}")  # what a scanner reading the QR code types
    page.locator("#batch-actions").get_by_role("button", name="移库").click()
    page.select_option("#move-form [name=location]", "B-01")
    page.get_by_role("button", name="确认移库").click()
    expect(pending(page)).to_have_text("3")

    scan(page, counted)
    page.locator("#batch-actions").get_by_role("button", name="盘点").click()
    page.fill("#count-form [name=counted]", str(counted_qty - 1))
    page.get_by_role("button", name="登记实盘数").click()
    expect(pending(page)).to_have_text("4")

    pick_form = page.locator(f".order[data-number='{order['number']}'] form")
    pick_form.locator("[name=batch]").fill(blanket["code"])
    pick_form.locator("[name=quantity]").fill("5")
    pick_form.get_by_role("button", name="拣货").click()
    expect(pending(page)).to_have_text("5")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    # Nothing reached the server; a reload without a network opens the app and its queue again.
    assert movements(live_server, issued_id, "issue") == []
    page.reload()
    wait_until(page, "document.getElementById('field').dataset.ready === '1'")
    expect(pending(page)).to_have_text("5")
    expect(page.locator("#queue li")).to_have_count(5)
    assert page.evaluate("fetch('/healthz').then(() => 'reached', () => 'unreachable')") == "unreachable"

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#pending")).to_be_hidden(timeout=20000)
    expect(page.locator("#queue li.op-done")).to_have_count(5)

    # Once each, and the balances follow the ledger.
    assert [row["quantity"] for row in movements(live_server, issued_id, "issue")] == [-3]
    assert one(live_server, "SELECT quantity FROM batches WHERE id = ?", issued_id)[0] == issued_qty - 3
    (move_in,) = movements(live_server, moved_id, "move_in")
    b01 = one(
        live_server,
        "SELECT id FROM locations WHERE code = 'B-01' AND depot_id = (SELECT id FROM depots WHERE code = ?)",
        DEPOT,
    )[0]
    assert move_in["location_id"] == b01
    assert one(live_server, "SELECT location_id FROM batches WHERE id = ?", moved_id)[0] == b01
    line = one(
        live_server,
        "SELECT counted_quantity, system_quantity FROM stocktake_lines "
        "WHERE stocktake_id = ? AND batch_id = ?",
        stocktake_id,
        counted_id,
    )
    assert (line["counted_quantity"], line["system_quantity"]) == (counted_qty - 1, counted_qty)
    picks = one(
        live_server,
        "SELECT count(*), sum(p.quantity) FROM transfer_picks p JOIN transfer_lines l "
        "ON l.id = p.line_id WHERE l.transfer_id = ?",
        order["id"],
    )
    assert tuple(picks) == (1, 5)
    assert one(live_server, "SELECT count(*) FROM receipts")[0] == receipts_before + 1
    receipt = one(
        live_server,
        "SELECT r.supplier, b.quantity FROM receipts r JOIN batches b ON b.receipt_id = r.id "
        "ORDER BY r.id DESC LIMIT 1",
    )
    assert tuple(receipt) == ("离线爱心企业", 7)

    # Sending again (another reload, another round) writes nothing more.
    page.reload()
    wait_until(page, "document.getElementById('field').dataset.ready === '1'")
    page.click("#refresh")
    page.wait_for_timeout(500)
    assert len(movements(live_server, issued_id, "issue")) == 1


def test_a_refused_replay_shows_the_reason_and_is_resolved(page, live_server, browser):
    sign_in(page, "sc-keeper", "keeper-demo")
    ((code, quantity, batch_id),) = shelved_batches(live_server, 1)
    open_field_app(page)
    page.context.set_offline(True)
    scan(page, code)
    page.locator("#batch-actions").get_by_role("button", name="出库").click()
    page.fill("#issue-form [name=quantity]", str(quantity))
    page.get_by_role("button", name="确认出库").click()
    expect(pending(page)).to_have_text("1")

    # Meanwhile a colleague at the depot issues part of the same batch, online.
    other = browser.new_context(base_url=live_server.url, **PHONE)
    colleague = other.new_page()
    sign_in(colleague, "sc-keeper", "keeper-demo")
    colleague.goto(f"/batches/{code}/issue")
    colleague.fill("input[name=quantity]", "4")
    colleague.get_by_role("button", name=re.compile("确认")).click()
    colleague.wait_for_url(f"**/batches/{code}")
    other.close()

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    refused = page.locator("#refused li")
    expect(refused).to_have_count(1, timeout=20000)
    expect(refused.locator(".field-error")).to_contain_text(str(quantity - 4))  # what the batch holds now
    assert one(live_server, "SELECT quantity FROM batches WHERE id = ?", batch_id)[0] == quantity - 4

    refused.locator("input[name=quantity]").fill(str(quantity - 4))
    refused.get_by_role("button", name="修改后重新发送").click()
    expect(page.locator("#refused-card")).to_be_hidden(timeout=20000)
    expect(page.locator("#queue li.op-done")).to_have_count(1, timeout=20000)
    assert one(live_server, "SELECT quantity FROM batches WHERE id = ?", batch_id)[0] == 0
    assert sorted(r["quantity"] for r in movements(live_server, batch_id, "issue")) == [-(quantity - 4), -4]


def test_receive_an_order_offline_with_a_damaged_part(page, live_server):
    """The Hangzhou keeper takes in the province's shipment with no network: one quilt damaged."""
    order = one(
        live_server,
        "SELECT t.number, t.id FROM transfers t JOIN depots d ON d.id = t.to_depot_id "
        "WHERE d.code = '330100' AND t.status = 'in_transit' ORDER BY t.id LIMIT 1",
    )
    sign_in(page, "hz-keeper", "keeper-demo")
    open_field_app(page)
    page.context.set_offline(True)
    card = page.locator(f".order[data-number='{order['number']}']")
    card.locator("input[name^=damaged-]").first.fill("1")
    card.locator("input[name=reason]").fill("运输途中受潮")
    card.get_by_role("button", name="确认收货").click()
    expect(pending(page)).to_have_text("1")
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#pending")).to_be_hidden(timeout=20000)
    assert page.locator("#refused li").count() == 0, page.locator("#refused").inner_text()
    expect(page.locator("#queue li.op-done")).to_have_count(1)
    assert one(live_server, "SELECT status FROM transfers WHERE id = ?", order["id"])[0] == "received"
    with database(live_server) as connection:
        kinds = connection.execute(
            "SELECT m.kind, m.quantity FROM movements m WHERE m.document_type = 'transfer' AND m.document_id = ? "
            "AND m.kind IN ('transfer_in', 'write_off')",
            (order["id"],),
        ).fetchall()
    assert sorted((k["kind"], k["quantity"]) for k in kinds) == [
        ("transfer_in", 200),
        ("write_off", -1),
    ]  # 199 + 1
