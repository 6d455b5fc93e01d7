"""A count posted while others work on the same stock: an issue in flight when the posting starts,
an issue that arrives while it posts, a recount that arrives while it posts. Each of them waits for
the other (the posting locks the count, then its batches and balances, before it computes), and
the books come out as if they had happened one after the other."""

import threading

from sqlalchemy import select

from relief_stock.auth.models import User
from relief_stock.database import atomic
from relief_stock.errors import Conflict
from relief_stock.extensions import db
from relief_stock.stock import operations as ops
from relief_stock.stock import stocktake as stocktake_module
from relief_stock.stock.models import Batch, Movement, Stocktake, StocktakeLine
from relief_stock.stock.reconcile import reconcile

BLOCKED = 0.7  # seconds a competitor is given to get past a lock it should be waiting for


def counted(world, batch, quantity):
    """An open count of depot 330102 with `batch` counted as `quantity`, its reason given."""
    keeper = world.users["keeper"]
    with atomic():
        sheet = ops.open_stocktake(keeper, world.depots["330102"])
        line = ops.record_count(keeper, sheet, batch, quantity)
        ops.set_reason(keeper, sheet, line, "破损")
    return sheet.id


def in_thread(app, work):
    """Run `work(session objects...)` in a unit of work of its own, on another thread; returns the
    thread and a dict that gets "done" or "error"."""
    outcome = {}

    def run():
        with app.app_context():
            try:
                with atomic():
                    work()
                outcome["done"] = True
            except Exception as error:  # asserted on by the test
                outcome["error"] = error
            finally:
                db.session.remove()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def issue_from(user_id, batch_id, quantity):
    return lambda: ops.issue(db.session.get(User, user_id), db.session.get(Batch, batch_id), quantity)


def post_count(user_id, sheet_id):
    return lambda: ops.post_stocktake(db.session.get(User, user_id), db.session.get(Stocktake, sheet_id))


def movements_of(batch_id):
    db.session.expire_all()
    return [
        (m.kind.value, m.quantity, m.balance_after)
        for m in db.session.scalars(
            select(Movement).where(Movement.batch_id == batch_id).order_by(Movement.id)
        )
    ]


def test_an_issue_in_flight_when_the_posting_starts_is_waited_for(app, world, receive_one):
    batch = receive_one(100)
    sheet_id = counted(world, batch, 97)
    issued, go = threading.Event(), threading.Event()
    keeper_id, batch_id = world.users["keeper"].id, batch.id

    def slow_issue():
        issue_from(keeper_id, batch_id, 10)()
        issued.set()
        go.wait(20)  # holds the batch (PostgreSQL) or the write lock (SQLite) meanwhile

    issuing, issue_outcome = in_thread(app, slow_issue)
    assert issued.wait(20)
    posting, post_outcome = in_thread(app, post_count(keeper_id, sheet_id))
    posting.join(BLOCKED)
    assert posting.is_alive(), post_outcome or "the posting must wait for the issue in flight"
    go.set()
    issuing.join(20)
    posting.join(20)
    assert issue_outcome == {"done": True} and post_outcome == {"done": True}
    # The correction of -3 lands on what the issue left: 100 - 10 - 3.
    assert movements_of(batch_id) == [("receipt", 100, 100), ("issue", -10, 90), ("count_correction", -3, 87)]
    assert reconcile() == []


def test_an_issue_arriving_while_the_count_posts_waits_for_it(app, world, receive_one, monkeypatch):
    batch = receive_one(100)
    sheet_id = counted(world, batch, 97)
    keeper_id, batch_id = world.users["keeper"].id, batch.id
    competitor = {}
    real_lock_levels = stocktake_module.lock_levels

    def lock_levels_then_an_issue_arrives(keys):
        real_lock_levels(keys)  # the count's batches and balances are locked now
        competitor["thread"], competitor["outcome"] = in_thread(app, issue_from(keeper_id, batch_id, 10))
        competitor["thread"].join(BLOCKED)
        competitor["blocked"] = competitor["thread"].is_alive()

    monkeypatch.setattr(stocktake_module, "lock_levels", lock_levels_then_an_issue_arrives)
    with atomic():
        ops.post_stocktake(world.users["keeper"], db.session.get(Stocktake, sheet_id))
    competitor["thread"].join(20)
    assert competitor["blocked"], "the issue must wait for the posting"
    assert competitor["outcome"] == {"done": True}
    assert movements_of(batch_id) == [("receipt", 100, 100), ("count_correction", -3, 97), ("issue", -10, 87)]
    assert reconcile() == []


def test_a_recount_arriving_while_the_count_posts_cannot_change_it(app, world, receive_one, monkeypatch):
    """Without the count's lock, the recount would land on the posted count: the sheet would say
    one thing and the ledger another (and a difference could skip its second-person approval)."""
    batch = receive_one(100)
    sheet_id = counted(world, batch, 97)
    keeper_id, batch_id = world.users["keeper"].id, batch.id
    competitor = {}
    real_lock_batches = stocktake_module.lock_batches

    def recount():
        sheet = db.session.get(Stocktake, sheet_id)
        ops.record_count(db.session.get(User, keeper_id), sheet, db.session.get(Batch, batch_id), 95)

    def lock_batches_then_a_recount_arrives(statement):
        competitor["thread"], competitor["outcome"] = in_thread(app, recount)
        competitor["thread"].join(BLOCKED)
        competitor["blocked"] = competitor["thread"].is_alive()
        return real_lock_batches(statement)

    monkeypatch.setattr(stocktake_module, "lock_batches", lock_batches_then_a_recount_arrives)
    with atomic():
        ops.post_stocktake(world.users["keeper"], db.session.get(Stocktake, sheet_id))
    competitor["thread"].join(20)
    assert competitor["blocked"], "the recount must wait for the posting"
    assert isinstance(competitor["outcome"].get("error"), Conflict)  # the count is posted by then
    db.session.expire_all()
    line = db.session.scalar(select(StocktakeLine).where(StocktakeLine.stocktake_id == sheet_id))
    assert (line.system_quantity, line.counted_quantity) == (100, 97)
    assert movements_of(batch_id) == [("receipt", 100, 100), ("count_correction", -3, 97)]
    assert reconcile() == []
