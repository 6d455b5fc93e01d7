"""Pure rules: issuable batches and the FEFO plan (no app, no database)."""

from datetime import date, timedelta
from types import SimpleNamespace

from relief_stock.stock.kinds import BatchStatus
from relief_stock.stock.rules import fefo_plan, is_issuable

TODAY = date(2026, 6, 1)


def batch(id, quantity, expiry=None, status=BatchStatus.AVAILABLE, received=date(2026, 1, 1)):
    return SimpleNamespace(
        id=id,
        quantity=quantity,
        status=status,
        received_date=received,
        expiry_date=TODAY + timedelta(days=expiry) if expiry is not None else None,
    )


def test_is_issuable():
    assert is_issuable(batch(1, 5, expiry=0), TODAY)  # the expiry date is the last usable day
    assert not is_issuable(batch(1, 5, expiry=-1), TODAY)
    assert not is_issuable(batch(1, 0), TODAY)
    assert not is_issuable(batch(1, 5, status=BatchStatus.QUARANTINED), TODAY)
    assert not is_issuable(batch(1, 5, expiry=30), TODAY, min_remaining_days=60)


def test_fefo_takes_first_expiry_first_and_no_expiry_last():
    no_expiry, late, early, expired = batch(1, 10), batch(2, 5, 200), batch(3, 4, 20), batch(4, 9, -3)
    plan, shortfall = fefo_plan([no_expiry, late, early, expired], 12, TODAY)
    assert [(b.id, q) for b, q in plan] == [(3, 4), (2, 5), (1, 3)] and shortfall == 0
    plan, shortfall = fefo_plan([late, expired], 8, TODAY)
    assert [(b.id, q) for b, q in plan] == [(2, 5)] and shortfall == 3


def test_fefo_ties_go_to_the_oldest_receipt():
    newer, older = batch(1, 5, 50, received=date(2026, 3, 1)), batch(2, 5, 50, received=date(2026, 2, 1))
    plan, _ = fefo_plan([newer, older], 6, TODAY)
    assert [(b.id, q) for b, q in plan] == [(2, 5), (1, 1)]
