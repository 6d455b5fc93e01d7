"""The reports' figures against direct queries of the ledger and balances on the demo data, their
files (XLSX and PDF, Chinese and English), and the monthly job's archive."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import text

from relief_stock.dashboard import reports
from relief_stock.dashboard.scope import Scope
from relief_stock.database import local_today
from relief_stock.extensions import db
from relief_stock.network.queries import depot_by_code

pytestmark = pytest.mark.usefixtures("demo")


def sql(statement, **params):
    return db.session.execute(text(statement), params).all()


def test_the_monthly_account_is_the_ledger_of_the_month_and_closes_on_the_balances():
    month = local_today().replace(day=1)
    hangzhou = Scope(depot_by_code("330100"), True)
    account = {row.item.sku: row for row in reports.month_account(hangzhou, month)}
    inside = "d.path LIKE '/330000/330100/%'"
    balances = dict(
        sql(
            f"SELECT i.sku, SUM(s.on_hand) FROM stock_levels s JOIN items i ON i.id = s.item_id "
            f"JOIN depots d ON d.id = s.depot_id WHERE {inside} GROUP BY i.sku"
        )  # fmt: skip
    )
    received = dict(
        sql(
            f"SELECT i.sku, SUM(m.quantity) FROM movements m JOIN items i ON i.id = m.item_id "
            f"JOIN depots d ON d.id = m.depot_id WHERE {inside} AND m.kind = 'receipt' GROUP BY i.sku"
        )  # fmt: skip
    )
    assert balances and set(balances) <= set(account)
    for sku, row in account.items():
        assert row.closing == balances.get(sku, 0)
        assert row.received == received.get(sku, 0)
        moved = (
            row.received - row.issued + row.transferred_in - row.transferred_out - row.written_off + row.other
        )
        assert row.opening + moved == row.closing
    assert account["BED-QUILT"].transferred_in == 0  # the transfer to Hangzhou is still on the road
    province = {r.item.sku: r for r in reports.month_account(Scope(depot_by_code("330000"), True), month)}
    assert province["BED-QUILT"].transferred_out == 400
    last_month = reports.month_account(hangzhou, month - timedelta(days=1))
    assert all(r.closing == r.opening == 0 for r in last_month)  # the demo's ledger starts today


def test_expiry_and_shortfall_reports_list_what_the_balances_and_alerts_say():
    today = local_today()
    hangzhou = Scope(depot_by_code("330100"), True)
    expiry = reports.expiry_report(hangzhou, today)
    (count,) = sql(
        """SELECT COUNT(*) FROM batches b JOIN depots d ON d.id = b.depot_id
           WHERE d.path LIKE '/330000/330100/%' AND b.quantity > 0 AND b.expiry_date <= :limit
           AND b.status IN ('available', 'quarantined', 'expired')""",
        limit=today + timedelta(days=90),
    )[0]
    assert len(expiry.rows) == count > 0
    shortfall = reports.shortfall_report(hangzhou, today)
    (alerts,) = sql(
        """SELECT COUNT(*) FROM alerts a JOIN depots d ON d.id = a.depot_id
           WHERE a.kind = 'shortfall' AND a.state IN ('open', 'acknowledged')
           AND d.path LIKE '/330000/330100/%'"""
    )[0]
    assert len(shortfall.rows) == alerts > 0
    assert all(row[4] == row[2] - row[3] > 0 for row in shortfall.rows)


def test_report_files_in_both_languages(sign_in):
    client = sign_in("hz-dispatcher")
    xlsx = client.get("/reserve/330100/reports/monthly?format=xlsx&lang=zh")
    assert xlsx.status_code == 200 and "monthly-330100-" in xlsx.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    head = rows.index(next(r for r in rows if r and r[0] == "物资编码"))
    quilt = next(r for r in rows[head:] if r[0] == "BED-QUILT")
    (on_hand,) = sql(
        """SELECT SUM(s.on_hand) FROM stock_levels s JOIN items i ON i.id = s.item_id
           JOIN depots d ON d.id = s.depot_id WHERE i.sku = 'BED-QUILT' AND d.path LIKE '/330000/330100/%'"""
    )[0]
    assert quilt[10] == on_hand  # the closing column, a number
    pdf = client.get("/reserve/330100/reports/shortfall?format=pdf&lang=en")
    text_en = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert pdf.data[:4] == b"%PDF" and "Shortfall report" in text_en and "Hangzhou" in text_en
    pdf_zh = client.get("/reserve/330100/reports/expiry?format=pdf&lang=zh")
    assert "临期物资报表" in PdfReader(io.BytesIO(pdf_zh.data)).pages[0].extract_text()
    assert client.get("/reserve/330203/reports/monthly").status_code == 403
    bad = client.get("/reserve/330100/reports/monthly?month=2999-01", headers={"Accept-Language": "en"})
    assert bad.status_code == 422 and "2999-01" in bad.get_data(as_text=True)
    assert client.get("/reserve/330100/reports/weekly").status_code == 404


def test_the_monthly_job_archives_every_depots_report(demo, sign_in):
    runner = demo.test_cli_runner()
    month = f"{local_today():%Y-%m}"
    result = runner.invoke(args=["reports", "monthly", "--month", month, "--depot", "330102"])
    assert result.exit_code == 0, result.output
    assert "4 report files" in result.output
    client = sign_in("sc-keeper")
    page = client.get("/reserve/330102/reports").get_data(as_text=True)
    name = f"monthly-330102-{month}-zh.pdf"
    assert name in page
    archived = client.get(f"/reserve/330102/reports/archive/{month}/{name}")
    assert archived.status_code == 200 and archived.data[:4] == b"%PDF"
    archived.close()
    assert client.get(f"/reserve/330102/reports/archive/{month}/../../secret").status_code == 404
    assert runner.invoke(args=["reports", "monthly", "--month", "2026-13"]).exit_code == 2


def test_report_xlsx_keeps_formula_looking_text_as_text():
    """A depot or donor name typed as '=HYPERLINK(...)' must not become a live formula in a report."""
    from types import SimpleNamespace

    from relief_stock.dashboard.report_files import to_xlsx
    from relief_stock.printing.documents import Column

    report = SimpleNamespace(
        kind="monthly",
        title="t",
        scope_label="s",
        period="p",
        columns=[Column("name", 30), Column("qty", 10)],
        rows=[['=HYPERLINK("http://evil.example","x")', 3]],
        notes=[],
    )
    sheet = load_workbook(io.BytesIO(to_xlsx(report))).active
    name, qty = sheet[6]
    assert (name.value, name.data_type) == ('=HYPERLINK("http://evil.example","x")', "s")
    assert qty.value == 3
