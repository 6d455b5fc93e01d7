"""Sealing the ledger and verifying it: every kind of quiet rewrite is found, and named.

Tampering goes through raw SQL, as someone with database access would do it, on SQLite and
PostgreSQL."""

import json

import pytest
import sqlalchemy as sa

from relief_stock.extensions import db
from relief_stock.sealing import chain, keys
from relief_stock.sealing.checkpoints import Checkpoint
from relief_stock.sealing.models import LedgerSeal, SealedMovement
from relief_stock.sealing.operations import message_of, publish_checkpoint, seal_ledger
from relief_stock.sealing.verify import verify_ledger
from relief_stock.stock.models import Movement

from .helpers import history, movement_ids, raw


@pytest.fixture
def sealed(world, receive_one):
    """Two seals over the history, then movements that are not sealed yet."""
    history(world, receive_one, receipts=2)
    seal_ledger()
    history(world, receive_one, receipts=2)
    seal_ledger(max_per_seal=4)  # a backlog is split over several seals
    history(world, receive_one, receipts=1)
    return movement_ids()


def test_an_untouched_ledger_verifies(sealed):
    report = verify_ledger()
    assert report.ok, report
    seals = db.session.scalars(sa.select(LedgerSeal).order_by(LedgerSeal.id)).all()
    assert [s.id for s in seals] == [1, 2, 3]
    assert report.seals == 3 and report.sealed == seals[-1].tree_size == len(sealed) - 3
    assert report.unsealed == 3
    assert seals[1].previous_head == seals[0].head


def test_seals_cover_movements_in_id_order_and_a_run_without_news_writes_nothing(sealed):
    seal_ledger()
    assert seal_ledger().seals == []
    positions = db.session.execute(
        sa.select(SealedMovement.position, SealedMovement.movement_id).order_by(SealedMovement.position)
    ).all()
    assert [p for p, _ in positions] == list(range(1, len(sealed) + 1))
    assert [m for _, m in positions] == sealed
    assert verify_ledger().ok


def test_an_edited_movement_is_named(sealed):
    target = sealed[4]
    raw(
        "UPDATE movements SET quantity = quantity - 1, balance_after = balance_after - 1 WHERE id = :id",
        id=target,
    )
    broken = verify_ledger().broken
    assert broken.movement_id == target and "edited" in broken.message


def test_a_deleted_movement_is_named(sealed):
    target = sealed[5]
    raw("DELETE FROM movements WHERE id = :id", id=target)
    broken = verify_ledger().broken
    assert broken.movement_id == target and "deleted" in broken.message


def test_a_deleted_movement_and_its_sealed_entry_are_found(sealed):
    target = sealed[2]
    raw("DELETE FROM sealed_movements WHERE movement_id = :id", id=target)
    raw("DELETE FROM movements WHERE id = :id", id=target)
    broken = verify_ledger().broken
    assert broken is not None and broken.seal == 1 and "missing" in broken.message


def test_a_movement_inserted_into_the_sealed_range_is_found(sealed):
    raw(
        "INSERT INTO movements (id, kind, batch_id, depot_id, item_id, quantity, balance_after,"
        " status_after, user_id, created_at) SELECT 0, kind, batch_id, depot_id, item_id, -3,"
        " balance_after, status_after, user_id, created_at FROM movements WHERE id = :id",
        id=sealed[1],
    )
    broken = verify_ledger().broken
    assert broken.movement_id == 0 and "inserted" in broken.message


def test_a_movement_appended_with_an_old_id_after_the_last_seal_is_found(sealed):
    seal_ledger()
    last = sealed[-1]
    raw("DELETE FROM sealed_movements WHERE movement_id = :id", id=last)  # hide it, keep the seal
    broken = verify_ledger().broken
    assert broken is not None and broken.seal == 4


def test_two_swapped_movements_are_found(sealed):
    first, second = sealed[3], sealed[6]
    raw("UPDATE movements SET id = -1 WHERE id = :id", id=first)
    raw("UPDATE movements SET id = :a WHERE id = :b", a=first, b=second)
    raw("UPDATE movements SET id = :b WHERE id = -1", b=second)
    broken = verify_ledger().broken
    assert broken.movement_id == first and "moved from another id" in broken.message


def _recompute_everything_after_editing(movement_id):
    """The careful forger: edit a movement, then rewrite every chain value and seal head to match."""
    raw("UPDATE movements SET quantity = quantity - 2 WHERE id = :id", id=movement_id)
    table = Movement.__table__
    rows = {row.id: row._mapping for row in db.session.execute(sa.select(table))}
    head, heads = chain.GENESIS, {}
    for entry in db.session.execute(sa.text("SELECT * FROM sealed_movements ORDER BY position")).all():
        head = chain.link(head, chain.leaf(rows[entry.movement_id]))
        raw("UPDATE sealed_movements SET chain = :c WHERE movement_id = :m", c=head, m=entry.movement_id)
        heads[entry.seal_id] = head
    previous = chain.GENESIS
    for seal_id, seal_head in sorted(heads.items()):
        raw(
            "UPDATE ledger_seals SET head = :h, previous_head = :p WHERE id = :id",
            h=seal_head,
            p=previous,
            id=seal_id,
        )
        previous = seal_head


def test_a_rewrite_that_recomputes_every_hash_fails_the_signature(sealed):
    _recompute_everything_after_editing(sealed[6])
    broken = verify_ledger().broken
    assert broken is not None and "signature" in broken.message
    owner = db.session.scalar(
        sa.select(SealedMovement.seal_id).where(SealedMovement.movement_id == sealed[6])
    )
    assert broken.seal == owner


def test_a_rewrite_re_signed_with_the_key_is_caught_by_a_published_checkpoint(sealed):
    published = Checkpoint.from_json(Checkpoint.of(publish_checkpoint(), keys.public_key()).to_json())
    assert verify_ledger(checkpoint=published).ok
    # Someone holding the key edits history and seals it all again: every signature is valid.
    raw("UPDATE movements SET quantity = quantity - 2 WHERE id = :id", id=sealed[2])
    raw("DELETE FROM sealed_movements")
    raw("DELETE FROM ledger_seals")
    seal_ledger()
    assert verify_ledger().ok
    broken = verify_ledger(checkpoint=published).broken
    assert broken is not None and "published checkpoint" in broken.message


def test_a_truncated_log_is_caught_by_a_published_checkpoint(sealed):
    published = Checkpoint.of(publish_checkpoint(), keys.public_key())
    raw("DELETE FROM sealed_movements WHERE seal_id = 4")
    raw("DELETE FROM ledger_seals WHERE id = 4")
    assert verify_ledger().ok  # the remaining seals are consistent on their own
    assert "removed" in verify_ledger(checkpoint=published).broken.message


def test_seals_and_checkpoints_signed_by_another_key_are_refused(sealed):
    from dataclasses import replace

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    published = Checkpoint.of(publish_checkpoint(), keys.public_key())
    other = Ed25519PrivateKey.generate()
    broken = verify_ledger(other.public_key()).broken
    assert broken.seal == 1 and "signature" in broken.message
    forged = replace(published, head="0" * 64)
    forged = replace(forged, signature=other.sign(forged.message()).hex())
    assert "checkpoint's signature" in verify_ledger(checkpoint=forged).broken.message


def test_signatures_cover_the_seal_message(sealed):
    seal = db.session.get(LedgerSeal, 1)
    assert keys.verifies(keys.public_key(), seal.signature, message_of(seal))
    assert seal.key_id == keys.key_id(keys.public_key())
    assert json.loads(message_of(seal).split(b"\n", 1)[1])["tree_size"] == seal.tree_size
