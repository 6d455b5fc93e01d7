"""Issue by item (FEFO over several batches) racing direct issues, quarantine and moves on one item.

The app runs under gunicorn (4 workers) on its own database. The depot holds far more of the item
than the whole run asks for, so no request has a reason to be refused: FEFO issues must all succeed
(a 409 would be a refusal while stock remains), direct issues may only be refused by a batch that
really ran dry, and no request may end in a 5xx (a deadlock or a serialisation failure). Afterwards
the books must balance and reconcile must be clean.

Batches are received with expiry dates falling as their ids rise, so first-expiry-first-out visits
them in the opposite order to their ids: the order that deadlocks when locks follow the plan.
"""

import json
import random
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from relief_stock import create_app
from relief_stock.auth import operations as auth_ops
from relief_stock.auth.permissions import SYSTEM
from relief_stock.database import atomic, local_today
from relief_stock.extensions import db
from relief_stock.network import operations as network_ops
from relief_stock.stock import operations as ops
from relief_stock.stock.models import Batch, Movement, StockLevel
from relief_stock.stock.reconcile import reconcile
from tests.factories import Factories
from tests.stock.server import gunicorn, request

pytestmark = pytest.mark.slow

BATCHES, PER_BATCH = 12, 250  # 3,000 units on the shelf, plus the quarantined batch's
FEFO_THREADS, FEFO_EACH = 3, 20  # 3 x 40 x 20 = 2,400 units at most, often from two batches
DIRECT_THREADS, DIRECT_EACH = 2, 2
ROUNDS = 40  # requests per thread: 8 threads x 40 = 320 requests


def seed(url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        world = Factories().world()
        depot, item = world.depots["330102"], world.items["WATER"]
        today = local_today()
        with atomic():
            keeper = world.users["keeper"]
            for code in ("A", "B"):
                network_ops.create_location(SYSTEM, depot, code)
            receipt = ops.receive(
                keeper,
                depot,
                [
                    ops.ReceiptLine(item, PER_BATCH, expiry_date=today + timedelta(days=400 - 10 * n))
                    for n in range(BATCHES + 1)
                ],
                source_kind="purchase",
            )
            codes = [batch.code for batch in sorted(receipt.batches, key=lambda b: b.id)]
            _token, secret = auth_ops.issue_token(keeper, "mix")
        db.session.remove()
        db.engine.dispose()
    # The last batch expires first: FEFO wants it first, and a keeper keeps freezing and releasing it.
    return app, codes[:-1], codes[-1], secret


def test_fefo_direct_issues_quarantine_and_moves_never_deadlock(own_database):
    app, codes, frozen, token = seed(own_database)
    with gunicorn(own_database, workers=4) as base:

        def post(path, body):
            status, raw = request("POST", base + "/api/v1" + path, token, json.dumps(body).encode())
            return status, path, body, raw

        def fefo(_n):
            body = {"depot": "330102", "item": "WATER", "quantity": FEFO_EACH, "reason": "distribution"}
            return [post("/issues", body) for _ in range(ROUNDS)]

        def direct(seed_):
            # Aim at the batches FEFO is taking from right now: the first few, in FEFO order,
            # that have not run dry yet.
            rng, live, out = random.Random(seed_), list(reversed(codes)), []
            for _ in range(ROUNDS):
                code = rng.choice(live[:3])
                out.append(post(f"/batches/{code}/issue", {"quantity": DIRECT_EACH}))
                if out[-1][0] == 409 and len(live) > 1:
                    live.remove(code)
            return out

        def freeze(_n):
            out = []
            for n in range(ROUNDS):
                action = "quarantine" if n % 2 == 0 else "release"
                out.append(post(f"/batches/{frozen}/{action}", {"reason": "inspection"}))
            return out

        def moves(seed_):
            # One thread moves, so it knows where each batch is: always to the other location (a
            # move to where a batch already is is refused, rightly, and is not what this tests).
            rng = random.Random(seed_)
            where, answers = {}, []
            for _ in range(ROUNDS):
                code = rng.choice(codes)
                target = "B" if where.get(code) == "A" else "A"
                answer = post(f"/batches/{code}/move", {"location": target})
                if answer[0] < 300:
                    where[code] = target
                answers.append(answer)
            return answers

        jobs = [(fefo, n) for n in range(FEFO_THREADS)] + [(direct, n) for n in range(DIRECT_THREADS)]
        jobs += [(freeze, 0), (moves, 1)]
        with ThreadPoolExecutor(len(jobs)) as pool:
            futures = [pool.submit(job, arg) for job, arg in jobs]
            answers = [answer for future in futures for answer in future.result()]

    server_errors = [(s, p, raw[:200]) for s, p, _b, raw in answers if s >= 500]
    assert server_errors == []
    with app.app_context():
        try:
            final = {b.code: b.quantity for b in db.session.scalars(db.select(Batch))}
            refused = [
                (s, p, raw[:200])
                for s, p, body, raw in answers
                if s >= 400 and not _refusal_is_real(p, body, final)
            ]
            assert refused == []
            check_books(codes + [frozen], answers)
        finally:
            db.session.remove()
            db.engine.dispose()


def _refusal_is_real(path, body, final):
    """A direct issue may be refused once its batch holds less than asked, a move once its batch
    is empty: batches only shrink in this run, so a batch that still holds enough at the end held
    enough when it was refused."""
    code = path.split("/")[2] if path.startswith("/batches/") else None
    if path.endswith("/issue"):
        return final[code] < body["quantity"]
    if path.endswith("/move"):
        return final[code] == 0
    return False


def check_books(codes, answers):
    issued = sum(
        body["quantity"] for status, path, body, _raw in answers if status == 201 and "issue" in path
    )
    received = PER_BATCH * len(codes)
    on_shelf = db.session.scalar(db.select(db.func.sum(Batch.quantity)))
    ledger = db.session.scalar(db.select(db.func.sum(Movement.quantity)))
    level = db.session.scalar(db.select(StockLevel).where(StockLevel.on_hand > 0))
    assert on_shelf == ledger == level.on_hand == received - issued
    assert reconcile() == []
