"""Alert checks benchmark: a full check run against the same selection as one hand-made SQL query.

    .venv/bin/python bench/alerts_bench.py [--quick] [--backend sqlite|postgresql|both] [--seed N]

Data (bulk-generated, reproducible by seed, consistent balances: every batch has its RECEIPT movement,
expired ones an EXPIRE movement too, stock_levels are the sums): 3,000 depots (1 province, 99 city,
2,900 county, each with a served population), 300 items (70% perishable), 1,000,000 batches with
expiry dates from 60 days ago to 5 years ahead; norms: per-capita standards for 60 items at county
tier, tier norms for 100 items at city tier, 2,000 depot overrides. 300 batches are past their date
but still available, so the first run expires them through the stock operations.
(--quick: 300 depots, 60 items, 50,000 batches.)

Figures, all measured in this run on each backend:
  floor   the whole selection (due batches, expiring with severity and rotation, expired, shortfalls
          against effective norms) as ONE hand-written SQL statement, materialised into a temp table
  first   the first full run (`run_checks`): expires due batches, opens every alert
  steady  a run when nothing changed (the daily case): its time / floor is the target ratio (< 1.5);
          floor and steady runs alternate three times, medians reported
  rows    rows changed by the steady run in alerts, batches, movements and stock_levels (target 0)
Results also go to bench/results/alerts_bench.json. PostgreSQL: TEST_DATABASE_URL (a database is
created and dropped; default postgresql://postgres@127.0.0.1:5432/test).
"""

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("RELIEF_STOCK_CONFIG", "testing")

import sqlalchemy as sa  # noqa: E402

from bench.alerts_floor import FLOOR_SQL, floor_params  # noqa: E402

SIZES = {"full": (3000, 300, 1_000_000), "quick": (300, 60, 50_000)}
DUE = 300
CHUNK = 100_000


def generate(connection, n_depots, n_items, n_batches, today, rng):
    """Bulk rows through the driver (COPY on PostgreSQL, executemany on SQLite)."""
    now = datetime.now(UTC)
    n_cities = max(1, n_depots // 30)
    depots = [(1, "330000", "省库", "Province", "province", None, "/330000/", 64_000_000)]
    for c in range(n_cities):
        code = f"3{c + 1:03d}00"
        depots.append(
            (c + 2, code, f"市库{c}", f"City {c}", "city", 1, f"/330000/{code}/", rng.randint(2, 12) * 10**6)
        )
    for k in range(n_depots - len(depots)):
        parent = 2 + k % n_cities
        code = f"9{k:05d}"
        depots.append(
            (
                len(depots) + 1,
                code,
                f"县库{k}",
                f"County {k}",
                "county",
                parent,
                f"{depots[parent - 1][6]}{code}/",
                rng.randint(100_000, 1_500_000),
            )
        )
    items = [
        (i + 1, f"SKU-{i:04d}", f"物资{i}", f"Item {i}", "bedding", "件", "piece", i % 10 < 7)
        for i in range(n_items)
    ]
    raw = connection.connection.dbapi_connection
    write = writer(connection.dialect.name, raw)
    write(
        "depots",
        (
            "id",
            "code",
            "name_zh",
            "name_en",
            "tier",
            "parent_id",
            "path",
            "served_population",
            "is_active",
            "created_at",
            "updated_at",
        ),
        [d + (True, now, now) for d in depots],
    )
    write(
        "items",
        (
            "id",
            "sku",
            "name_zh",
            "name_en",
            "category",
            "unit_zh",
            "unit_en",
            "is_perishable",
            "min_remaining_shelf_life_days",
            "is_active",
            "created_at",
            "updated_at",
        ),
        [i + (0, True, now, now) for i in items],
    )
    levels: dict = {}
    base = today - timedelta(days=60)
    due_left = DUE
    for first in range(1, n_batches + 1, CHUNK):
        batches, movements = [], []
        for b in range(first, min(first + CHUNK, n_batches + 1)):
            depot = rng.randrange(1, n_depots + 1)
            item = rng.randrange(1, n_items + 1)
            quantity = rng.randint(1, 400)
            expiry = base + timedelta(days=rng.randrange(0, 1885)) if items[item - 1][7] else None
            status = "available"
            if expiry is not None and expiry < today:
                if due_left > 0:
                    due_left -= 1  # still available: the first run must expire it
                else:
                    status = "expired"
            elif rng.random() < 0.01:
                status = "quarantined"
            batches.append(
                (
                    b,
                    f"B-{depots[depot - 1][1]}-2025-{b:07d}-X",
                    item,
                    depot,
                    quantity,
                    status,
                    expiry,
                    today - timedelta(days=400),
                    "purchase",
                    now,
                )
            )
            movements.append(("receipt", b, depot, item, quantity, quantity, "available", now))
            if status != "available":  # expired or quarantined: a status movement of zero quantity
                movements.append(
                    (
                        "expire" if status == "expired" else "quarantine",
                        b,
                        depot,
                        item,
                        0,
                        quantity,
                        status,
                        now,
                    )
                )
            on_hand, available = levels.get((depot, item), (0, 0))
            levels[(depot, item)] = (
                on_hand + quantity,
                available + (quantity if status == "available" else 0),
            )
        write(
            "batches",
            (
                "id",
                "code",
                "item_id",
                "depot_id",
                "quantity",
                "status",
                "expiry_date",
                "received_date",
                "source_kind",
                "created_at",
            ),
            batches,
        )
        write(
            "movements",
            (
                "kind",
                "batch_id",
                "depot_id",
                "item_id",
                "quantity",
                "balance_after",
                "status_after",
                "created_at",
            ),
            movements,
        )
    write("stock_levels", ("depot_id", "item_id", "on_hand", "available"), [k + v for k, v in levels.items()])

    norms, row_id = [], 0
    standards = [
        (i + 1, item, "county", rng.randint(1, 4), 10_000, "bench")
        for i, item in enumerate(rng.sample(range(1, n_items + 1), min(60, n_items)))
    ]
    for item in rng.sample(range(1, n_items + 1), min(100, n_items)):
        row_id += 1
        norms.append((row_id, item, "city", None, rng.randint(100, 2000), now))
    for _ in range(min(2000, n_depots * 2)):
        depot, item = rng.randrange(1, n_depots + 1), rng.randrange(1, n_items + 1)
        row_id += 1
        norms.append((row_id, item, None, depot, rng.randint(0, 600), now))
    norms = list({(n[1], n[2], n[3]): n for n in norms}.values())

    write("per_capita_standards", ("id", "item_id", "tier", "quantity", "per_residents", "source"), standards)
    write("reserve_norms", ("id", "item_id", "tier", "depot_id", "quantity", "updated_at"), norms)
    raw.commit()
    if connection.dialect.name == "postgresql":
        with raw.cursor() as cursor:
            for table in ("depots", "items", "batches", "movements", "reserve_norms", "per_capita_standards"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
        raw.commit()
    return {
        "depots": len(depots),
        "items": len(items),
        "batches": n_batches,
        "stock_levels": len(levels),
        "norms": len(norms),
        "standards": len(standards),
    }


def writer(dialect: str, raw):
    def write(table, columns, rows):
        if dialect == "postgresql":
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join("?" * len(columns))
        raw.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
            [tuple(sqlite_value(v) for v in row) for row in rows],
        )

    return write


def sqlite_value(value):
    """As SQLAlchemy stores it on SQLite: naive UTC timestamps and ISO dates, as text."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


FINGERPRINTS = {  # what a run may change; compared before and after the steady run
    "alerts": "SELECT * FROM alerts",
    "batches": "SELECT id, status, quantity FROM batches",
    "stock_levels": "SELECT depot_id, item_id, on_hand, available FROM stock_levels",
    "movements": "SELECT id FROM movements",
}


def snapshot(session):
    for name, query in FINGERPRINTS.items():
        session.execute(sa.text(f"DROP TABLE IF EXISTS bench_snap_{name}"))
        session.execute(sa.text(f"CREATE TABLE bench_snap_{name} AS {query}"))
    session.commit()


def rows_changed(session) -> dict:
    changed = {}
    for name, query in FINGERPRINTS.items():
        changed[name] = session.execute(
            sa.text(
                f"SELECT (SELECT count(*) FROM ({query} EXCEPT SELECT * FROM bench_snap_{name}) a)"
                f" + (SELECT count(*) FROM (SELECT * FROM bench_snap_{name} EXCEPT {query}) b)"
            )
        ).scalar()
        session.execute(sa.text(f"DROP TABLE bench_snap_{name}"))
    session.commit()
    return changed


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def measure(url: str, size: str, seed: int) -> dict:
    from flask_migrate import upgrade

    from relief_stock import create_app
    from relief_stock.alerts.checks import run_checks
    from relief_stock.database import atomic
    from relief_stock.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    today = date.today()
    with app.app_context():
        upgrade()
        start = time.perf_counter()
        with db.engine.connect() as connection:
            counts = generate(connection, *SIZES[size], today, random.Random(seed))
        generated = time.perf_counter() - start
        session = db.session
        session.execute(sa.text("ANALYZE"))
        session.commit()
        dialect = db.engine.dialect.name
        params = floor_params(today, dialect)

        def floor():
            session.execute(sa.text("DROP TABLE IF EXISTS floor_selection"))
            session.execute(sa.text(f"CREATE TEMPORARY TABLE floor_selection AS {FLOOR_SQL}"), params)
            rows = session.execute(sa.text("SELECT count(*) FROM floor_selection")).scalar()
            session.execute(sa.text("DROP TABLE floor_selection"))
            session.commit()
            return rows

        def run():
            with atomic():
                return run_checks(today)

        floor_first, floor_rows = timed(floor)  # due batches still in the selection
        first_time, first = timed(run)
        session.execute(sa.text("ANALYZE"))
        session.commit()
        snapshot(session)
        # Interleaved, so that load from other processes on the machine weighs on both alike.
        floor_times, steady_times = [], []
        for _ in range(3):
            seconds, steady_rows = timed(floor)
            floor_times.append(seconds)
            seconds, steady = timed(run)
            steady_times.append(seconds)
        floor_time, steady_time = statistics.median(floor_times), statistics.median(steady_times)
        changed = rows_changed(session)
        open_alerts = session.execute(
            sa.text("SELECT kind, count(*) FROM alerts WHERE state <> 'resolved' GROUP BY kind ORDER BY kind")
        ).all()
        db.engine.dispose()
    return {
        "backend": dialect,
        "size": size,
        "data": counts,
        "generate_s": round(generated, 1),
        "floor_first_s": round(floor_first, 3),
        "floor_s": round(floor_time, 3),
        "floor_rows": floor_rows,
        "steady_floor_rows": steady_rows,
        "first_run_s": round(first_time, 3),
        "first_run": str(first),
        "steady_run_s": round(steady_time, 3),
        "steady_run": str(steady),
        "ratio": round(steady_time / floor_time, 2),
        "rows_changed_by_steady_run": changed,
        "floor_times": [round(t, 3) for t in floor_times],
        "steady_times": [round(t, 3) for t in steady_times],
        "open_alerts": {kind: n for kind, n in open_alerts},
    }


def pg_database():
    admin_url = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    admin_url = admin_url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"relief_bench_{uuid.uuid4().hex[:8]}"
    with engine.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    return engine, name, engine.url.set(database=name).render_as_string(hide_password=False)


def run_from_command_line(measure, doc: str, prefix: str) -> list:
    """Parse --quick/--backend/--seed and run `measure(url, size, seed)` on each chosen backend."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    return on_backends(measure, args.backend, "quick" if args.quick else "full", args.seed, prefix)


def save_results(name: str, results: list) -> None:
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(results, indent=2, default=str))


def on_backends(measure, backend: str, size: str, seed: int, prefix: str) -> list:
    """`measure(url, size, seed)` on a fresh SQLite file and/or a fresh PostgreSQL database."""
    results = []
    if backend in ("sqlite", "both"):
        folder = tempfile.mkdtemp(prefix=prefix)
        try:
            results.append(measure(f"sqlite:///{folder}/bench.sqlite3", size, seed))
        finally:
            shutil.rmtree(folder)
    if backend in ("postgresql", "both"):
        engine, name, url = pg_database()
        try:
            results.append(measure(url, size, seed))
        finally:
            with engine.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            engine.dispose()
    return results


def main():
    results = run_from_command_line(measure, __doc__, "alerts_bench_")
    print(
        f"{'backend':<11} {'batches':>9} {'floor s':>8} {'first s':>8} {'steady s':>9} {'ratio':>6} "
        f"{'rows changed (steady)':>22}"
    )
    for r in results:
        print(
            f"{r['backend']:<11} {r['data']['batches']:>9,} {r['floor_s']:>8.3f} {r['first_run_s']:>8.3f} "
            f"{r['steady_run_s']:>9.3f} {r['ratio']:>6.2f} {sum(r['rows_changed_by_steady_run'].values()):>22}"
        )
        print(
            f"            first run: {r['first_run']}; open alerts {r['open_alerts']}; "
            f"floor rows {r['steady_floor_rows']:,}; data generated in {r['generate_s']} s"
        )
    save_results("alerts_bench", results)


if __name__ == "__main__":
    main()
