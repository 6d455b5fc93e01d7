"""Sealing beside the stock writers: receipts and issues per second with and without a sealer.

    .venv/bin/python bench/seal_bench.py [--quick] [--pg postgresql://postgres@127.0.0.1:5432/postgres]

Four writer threads (one depot each) alternate a one-line receipt and an issue, each its own unit of
work, on a fresh SQLite database and (with --pg or TEST_DATABASE_URL) a fresh PostgreSQL one. The
runs alternate: without sealing (the baseline), then with a sealer process, as the scheduler runs
it, sealing every 50 ms (far more often than the scheduler's default of 60 s). The ratio is the
figure to read; afterwards the whole ledger is verified and the verification rate printed.
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("RELIEF_STOCK_CONFIG", "testing")

import sqlalchemy as sa  # noqa: E402
from stock_bench import _app, _url, drop, fresh_databases  # noqa: E402

DEPOTS = ("330102", "330106", "330203", "330100")


def _writer(app, ids, ops_count, errors):
    from relief_stock.auth.models import User
    from relief_stock.catalogue.models import Item
    from relief_stock.database import atomic
    from relief_stock.extensions import db
    from relief_stock.network.models import Depot
    from relief_stock.stock import operations as ops

    with app.app_context():
        user, depot, item = (
            db.session.get(User, ids[0]),
            db.session.get(Depot, ids[1]),
            db.session.get(Item, ids[2]),
        )
        batch = None
        try:
            for number in range(ops_count):
                with atomic():
                    if number % 2 == 0:
                        receipt = ops.receive(
                            user, depot, [ops.ReceiptLine(item, 100)], source_kind="purchase"
                        )
                        batch = receipt.batches[0]
                    else:
                        ops.issue(user, batch, 1)
        except Exception as error:  # reported by the caller: a bench that hides failures lies
            errors.append(error)
        finally:
            db.session.remove()


def sealer_loop(url, instance):
    """The sealer as the scheduler runs it: its own process (here sealing every 50 ms)."""
    from relief_stock.sealing.operations import seal_ledger

    app = _app(url)
    app.instance_path = instance
    seals = 0
    with app.app_context():
        print("ready", flush=True)
        try:
            while True:
                seals += len(seal_ledger().seals)
                time.sleep(0.05)
        except KeyboardInterrupt:
            print(seals, flush=True)


def _run(app, url, world_ids, ops_count, *, sealing):
    errors, seals = [], 0
    threads = [threading.Thread(target=_writer, args=(app, ids, ops_count, errors)) for ids in world_ids]
    sealer = None
    if sealing:
        command = [sys.executable, __file__, "--sealer-loop", url, app.instance_path]
        sealer = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert sealer.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if sealer:
        sealer.send_signal(signal.SIGINT)
        seals = int(sealer.communicate(timeout=60)[0].strip() or 0)
    if errors:
        raise errors[0]
    return len(threads) * ops_count / elapsed, seals


def bench(url, ops_count, rounds):
    from relief_stock.extensions import db
    from relief_stock.sealing.operations import seal_ledger
    from relief_stock.sealing.verify import verify_ledger
    from tests.factories import Factories

    app = _app(url)
    app.instance_path = tempfile.mkdtemp()  # the signing key of this run
    with app.app_context():
        world = Factories().world()
        admin, quilt = world.users["admin"], world.items["QUILT"]
        world_ids = [(admin.id, world.depots[code].id, quilt.id) for code in DEPOTS]
        db.session.remove()
    plain, sealed, seal_count = [], [], 0
    for _ in range(rounds):
        plain.append(_run(app, url, world_ids, ops_count, sealing=False)[0])
        rate, seals = _run(app, url, world_ids, ops_count, sealing=True)
        sealed.append(rate)
        seal_count += seals
    with app.app_context():
        seal_ledger()
        started = time.perf_counter()
        report = verify_ledger()
        verify_seconds = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    backend = sa.engine.make_url(_url(url)).get_backend_name()
    base, with_seal = sum(plain) / len(plain), sum(sealed) / len(sealed)
    print(
        f"{backend}: {len(DEPOTS)} writers x {ops_count} operations (receipt/issue alternating), {rounds} rounds"
    )
    print(f"  without sealing            {base:8.1f} ops/s   baseline")
    print(
        f"  sealing every 50 ms        {with_seal:8.1f} ops/s   {with_seal / base:.2f}x  ({seal_count} seals)"
    )
    print(
        f"  verify {report.sealed} movements   {report.sealed / verify_seconds:8.0f} movements/s   {report}"
    )
    if not report.ok:
        raise SystemExit(1)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sealer-loop", nargs=2, metavar=("URL", "INSTANCE"), help=argparse.SUPPRESS)
    parser.add_argument("--pg", default=os.environ.get("TEST_DATABASE_URL"), help="PostgreSQL admin URL")
    args = parser.parse_args()
    if args.sealer_loop:
        return sealer_loop(*args.sealer_loop)
    ops_count, rounds = (60, 2) if args.quick else (300, 3)
    for url in fresh_databases(args.pg):
        try:
            bench(url, ops_count, rounds)
        finally:
            drop(url)


if __name__ == "__main__":
    main()
