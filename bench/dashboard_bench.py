"""Province's picture benchmark: the dashboard and the map, rendered over HTTP, against the bare SQL
behind them, on a network of 3,000 depots and 1,000,000 batches.

    .venv/bin/python bench/dashboard_bench.py [--quick] [--backend sqlite|postgresql|both] [--seed N]

Data: the alert benchmark's generator (bench/alerts_bench.py: 3,000 depots, 300 items, 1M batches
with their RECEIPT movements, norms), then depots get seats spread over Zhejiang and items the 12
categories and unit weights, so every figure has something to add. (--quick: 300 depots, 50,000
batches.)

Figures, measured in this run on each backend:
  page    GET /reserve and GET /map as the admin (whole province): Flask, the ORM, shaping, the
          template and the SVG, median of 3
  sql     the same SQL statements those requests ran (captured from the engine while rendering),
          replayed on the raw DB-API connection and fetched, median of 3, interleaved with the pages
  ratio   page / sql: the target is at most 2
  weight  bytes of the map page as sent, and gzipped (what a depot on a slow link downloads)
Results also go to bench/results/dashboard_bench.json. PostgreSQL: TEST_DATABASE_URL (a database is
created and dropped; default postgresql://postgres@127.0.0.1:5432/test).
"""

import gzip
import os
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("RELIEF_STOCK_CONFIG", "testing")

import sqlalchemy as sa  # noqa: E402

from bench.alerts_bench import SIZES, generate, run_from_command_line, save_results  # noqa: E402

PAGES = ("/reserve", "/map")
ROUNDS = 3
PASSWORD = "bench-password-1"


def spread(connection, rng):
    """Seats over Zhejiang's box for every depot; categories and weights for every item."""
    from relief_stock.catalogue.models import Category

    depots = connection.execute(sa.text("SELECT id FROM depots")).scalars().all()
    connection.execute(
        sa.text("UPDATE depots SET lat = :lat, lng = :lng WHERE id = :id"),
        [{"id": d, "lat": rng.uniform(27.2, 30.9), "lng": rng.uniform(118.2, 122.4)} for d in depots],
    )
    categories = [c.value for c in Category]
    items = connection.execute(sa.text("SELECT id FROM items")).scalars().all()
    connection.execute(
        sa.text("UPDATE items SET category = :c, unit_weight_kg = :w WHERE id = :id"),
        [{"id": i, "c": categories[i % len(categories)], "w": round(rng.uniform(0.2, 30), 2)} for i in items],
    )
    connection.commit()


def capture(engine):
    """Record every statement the engine runs: [(statement, parameters)]."""
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", record)
    return seen, lambda: sa.event.remove(engine, "before_cursor_execute", record)


def replay(engine, statements):
    """Run the captured statements on a raw DB-API connection and fetch every row."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters in statements:
            cursor.execute(statement, parameters)
            if cursor.description is not None:
                cursor.fetchall()
        raw.rollback()
    finally:
        raw.close()


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def measure(url: str, size: str, seed: int) -> dict:
    from flask_migrate import upgrade

    from relief_stock import create_app
    from relief_stock.auth.models import Role
    from relief_stock.auth.operations import create_user
    from relief_stock.auth.permissions import SYSTEM
    from relief_stock.database import atomic
    from relief_stock.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    rng = random.Random(seed)
    with app.app_context():
        upgrade()
        start = time.perf_counter()
        with db.engine.connect() as connection:
            counts = generate(connection, *SIZES[size], date.today(), rng)
            spread(connection, rng)
        generated = time.perf_counter() - start
        with atomic():
            create_user(SYSTEM, username="bench", display_name="bench", password=PASSWORD, role=Role.ADMIN)
        with db.engine.begin() as connection:
            connection.execute(sa.text("ANALYZE"))
        engine = db.engine
    client = app.test_client()
    client.post("/login", data={"username": "bench", "password": PASSWORD})
    results = {}
    for path in PAGES:
        with app.app_context():
            engine = db.engine
        client.get(path)  # warm: templates compiled, outlines read, statement cache filled
        seen, stop = capture(engine)
        response = client.get(path)
        stop()
        assert response.status_code == 200, response.status_code
        statements = [s for s in seen if not s[0].lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))]
        page_times, sql_times = [], []
        for _ in range(ROUNDS):  # interleaved: load from other processes weighs on both alike
            seconds, _r = timed(lambda path=path: client.get(path))
            page_times.append(seconds)
            with app.app_context():
                seconds, _r = timed(lambda statements=statements: replay(db.engine, statements))
            sql_times.append(seconds)
        page, floor = statistics.median(page_times), statistics.median(sql_times)
        results[path] = {
            "page_s": round(page, 3),
            "sql_s": round(floor, 3),
            "ratio": round(page / floor, 2),
            "statements": len(statements),
            "bytes": len(response.data),
            "gzip_bytes": len(gzip.compress(response.data)),
            "page_times": [round(t, 3) for t in page_times],
            "sql_times": [round(t, 3) for t in sql_times],
        }
    with app.app_context():
        dialect = db.engine.dialect.name
        db.engine.dispose()
    return {
        "backend": dialect,
        "size": size,
        "data": counts,
        "generate_s": round(generated, 1),
        "pages": results,
    }


def main():
    results = run_from_command_line(measure, __doc__, "dashboard_bench_")
    print(f"{'backend':<11} {'depots':>6} {'batches':>9} {'page':<9} {'page s':>7} {'sql s':>7} {'ratio':>6} "
          f"{'stmts':>5} {'KB':>7} {'KB gz':>6}")  # fmt: skip
    for r in results:
        for path, p in r["pages"].items():
            print(
                f"{r['backend']:<11} {r['data']['depots']:>6,} {r['data']['batches']:>9,} {path:<9} "
                f"{p['page_s']:>7.3f} {p['sql_s']:>7.3f} {p['ratio']:>6.2f} {p['statements']:>5} "
                f"{p['bytes'] / 1024:>7.1f} {p['gzip_bytes'] / 1024:>6.1f}"
            )
    save_results("dashboard_bench", results)


if __name__ == "__main__":
    main()
