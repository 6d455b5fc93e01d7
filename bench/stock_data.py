"""Generate a large stock database for the benchmarks: 1,000,000 batches, then 10,000,000 ledger rows.

Not the product's code path (that would take hours): bulk SQL on PostgreSQL (COPY for batches, whose
codes carry real check characters, and INSERT ... SELECT generate_series for movements), big
executemany transactions on SQLite. Balances are kept consistent, so `flask stock reconcile` passes.

    .venv/bin/python bench/stock_data.py postgresql://postgres@127.0.0.1:5432/relief_bench [--batches N]
    phase 1: N batches, one RECEIPT movement each   (ledger = N rows)
    phase 2: nine ISSUE movements per batch          (ledger = 10 N rows)   [--phase 2]
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402

RECEIVED = 1000  # units per batch at receipt
ISSUES = 9  # issue movements per batch in phase 2, one unit each


def app_for(url):
    import os

    os.environ.setdefault("RELIEF_STOCK_CONFIG", "testing")
    from relief_stock import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url.replace("postgresql://", "postgresql+psycopg://", 1)})


def create_database(url):
    """Create (or recreate) the database named in `url` and migrate it; load depots, items, users."""
    from flask_migrate import upgrade

    from relief_stock.database import atomic
    from relief_stock.demo import loader
    from relief_stock.extensions import db

    target = sa.engine.make_url(url)
    if target.get_backend_name() == "postgresql":
        admin = sa.create_engine(
            target.set(drivername="postgresql+psycopg", database="postgres"), isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as c:
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
            c.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
        admin.dispose()
    elif target.database and Path(target.database).exists():
        Path(target.database).unlink()
    app = app_for(url)
    with app.app_context():
        upgrade()
        with atomic():
            loader.load_network()
            loader.load_catalogue()
            loader.load_users()
        db.session.remove()
    return app


def batch_rows(n, depots, items):
    from relief_stock.scanning.codes import format_sequenced

    rng = random.Random(7)
    seq = {}
    for batch_id in range(1, n + 1):
        depot_id, depot_code = depots[rng.randrange(len(depots))]
        number = seq[depot_code] = seq.get(depot_code, 0) + 1
        yield (
            batch_id,
            format_sequenced("batch", depot_code, 2026, number),
            items[rng.randrange(len(items))],
            depot_id,
            RECEIVED,
            "available",
            "2026-01-15",
            "purchase",
            "2026-01-01T00:00:00+00:00",
        )


def phase1(app, n):
    from relief_stock.extensions import db

    with app.app_context():
        engine = db.engine
        depots = [tuple(r) for r in db.session.execute(sa.text("SELECT id, code FROM depots ORDER BY id"))]
        items = [r[0] for r in db.session.execute(sa.text("SELECT id FROM items ORDER BY id"))]
        db.session.remove()
        rows = batch_rows(n, depots, items)
        cols = "id, code, item_id, depot_id, quantity, status, received_date, source_kind, created_at"
        if engine.dialect.name == "postgresql":
            _copy_batches(engine, rows, cols)
        else:
            with engine.begin() as c:
                c.exec_driver_sql(f"INSERT INTO batches ({cols}) VALUES (?,?,?,?,?,?,?,?,?)", list(rows))
        ledger = (
            "INSERT INTO movements (id, kind, batch_id, depot_id, item_id, quantity, balance_after, "
            "status_after, created_at) SELECT id, 'receipt', id, depot_id, item_id, quantity, quantity, "
            "'available', created_at FROM batches"
        )
        with engine.begin() as c:
            c.exec_driver_sql(ledger)
            _rebuild_levels(c)
        _analyze(engine)


def _copy_batches(engine, rows, cols):
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cur:
            cur.execute("SET session_replication_role = replica")  # bulk load: skip FK triggers
            with cur.copy(f"COPY batches ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        raw.commit()
    finally:
        raw.close()


def phase2(app):
    """Nine one-unit issues per batch: the ledger grows tenfold, balances follow."""
    from relief_stock.extensions import db

    with app.app_context():
        engine = db.engine
        with engine.begin() as c:
            if engine.dialect.name == "postgresql":
                c.exec_driver_sql("SET session_replication_role = replica")
                offset = c.exec_driver_sql("SELECT max(id) FROM movements").scalar()
                c.exec_driver_sql(
                    "INSERT INTO movements (id, kind, batch_id, depot_id, item_id, quantity, balance_after, "
                    "status_after, created_at) "
                    f"SELECT {offset} + (b.id - 1) * {ISSUES} + k, 'issue', b.id, b.depot_id, b.item_id, -1, "
                    f"{RECEIVED} - k, 'available', now() "
                    f"FROM batches b CROSS JOIN generate_series(1, {ISSUES}) k"
                )
                c.exec_driver_sql("SELECT setval('movements_id_seq', (SELECT max(id) FROM movements))")
            else:  # one INSERT ... SELECT: no 9M-row parameter list through Python
                c.exec_driver_sql(
                    "INSERT INTO movements (kind, batch_id, depot_id, item_id, quantity, balance_after, "
                    "status_after, created_at) "
                    f"SELECT 'issue', b.id, b.depot_id, b.item_id, -1, {RECEIVED} - k.n, 'available', "
                    "'2026-06-01 00:00:00.000000' FROM batches b CROSS JOIN (WITH RECURSIVE s(n) AS "
                    f"(SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {ISSUES}) SELECT n FROM s) k "
                    "ORDER BY b.id, k.n"
                )
            c.exec_driver_sql(f"UPDATE batches SET quantity = quantity - {ISSUES}")
            _rebuild_levels(c)
        _analyze(engine)


def _rebuild_levels(c):
    c.exec_driver_sql("DELETE FROM stock_levels")
    c.exec_driver_sql(
        "INSERT INTO stock_levels (depot_id, item_id, on_hand, available) "
        "SELECT depot_id, item_id, SUM(quantity), SUM(CASE WHEN status = 'available' "
        "THEN quantity ELSE 0 END) FROM batches GROUP BY depot_id, item_id"
    )
    if c.dialect.name == "postgresql":
        c.exec_driver_sql("SELECT setval('batches_id_seq', (SELECT max(id) FROM batches))")


def _analyze(engine):
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.exec_driver_sql("ANALYZE")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("url")
    parser.add_argument("--batches", type=int, default=1_000_000)
    parser.add_argument("--phase", type=int, choices=(1, 2), default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    if args.phase == 1:
        phase1(create_database(args.url), args.batches)
    else:
        phase2(app_for(args.url))
    print(f"phase {args.phase}: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
