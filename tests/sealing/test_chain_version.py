"""Chain versions: the canonical form of a movement covers every column of the movement table, each
seal records the version it was made with, and a column added without a new version stops sealing
instead of leaving the column uncovered."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from relief_stock.extensions import db
from relief_stock.sealing import chain, keys
from relief_stock.sealing.checkpoints import Checkpoint
from relief_stock.sealing.models import LedgerSeal
from relief_stock.sealing.operations import publish_checkpoint, seal_ledger
from relief_stock.sealing.verify import verify_ledger
from relief_stock.stock.models import Movement

from .helpers import history, raw

COLUMNS = [column.name for column in Movement.__table__.columns]


def test_the_newest_chain_version_covers_every_movement_column():
    # Fails as soon as a column is added to Movement without a chain version that covers it.
    assert chain.version_for(COLUMNS) == chain.VERSION
    assert set(chain.fields_of(chain.VERSION)) == set(COLUMNS)


def _sample():
    row = {name: 1 for name in COLUMNS}
    row.update(kind="receipt", status_after="available", reason="r", document_type="receipt")
    row["created_at"] = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    return row


@pytest.mark.parametrize("column", COLUMNS)
def test_changing_any_column_changes_the_leaf(column):
    row = _sample()
    changed = dict(row)
    value = row[column]
    if isinstance(value, datetime):
        changed[column] = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    elif isinstance(value, str):
        changed[column] = value + "x"
    else:
        changed[column] = value + 1
    assert chain.leaf(changed) != chain.leaf(row)


def test_a_column_no_version_covers_is_refused_by_name():
    with pytest.raises(chain.Uncovered, match="vehicle_plate"):
        chain.version_for([*COLUMNS, "vehicle_plate"])
    with pytest.raises(chain.Uncovered, match="reason"):
        chain.version_for([name for name in COLUMNS if name != "reason"])
    with pytest.raises(ValueError, match="unknown chain version"):
        chain.fields_of(chain.VERSION + 1)


def test_sealing_stops_when_the_table_outgrows_the_chain(world, receive_one, monkeypatch):
    history(world, receive_one, receipts=1)
    # As if `reason` had been added to the model after the newest version was frozen.
    monkeypatch.setitem(chain.COVERED, chain.VERSION, chain.COVERED[chain.VERSION] - {"reason"})
    with pytest.raises(chain.Uncovered, match="reason"):
        seal_ledger()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LedgerSeal)) == 0


def test_each_seal_and_checkpoint_carry_their_version(world, receive_one):
    history(world, receive_one, receipts=1)
    seal = publish_checkpoint()
    assert seal.version == chain.VERSION
    published = Checkpoint.from_json(Checkpoint.of(seal, keys.public_key()).to_json())
    assert published.version == chain.VERSION and published.verifies(keys.public_key())
    assert verify_ledger(checkpoint=published).ok


def test_a_seal_relabelled_with_another_version_fails(world, receive_one):
    history(world, receive_one, receipts=1)
    seal_ledger()
    raw("UPDATE ledger_seals SET version = :v WHERE id = 1", v=chain.VERSION + 1)
    assert "chain version" in verify_ledger().broken.message
    raw("UPDATE ledger_seals SET version = :v WHERE id = 1", v=chain.VERSION)
    assert verify_ledger().ok


EDITS = {  # a quiet edit of each column that needs no other row to exist
    "kind": "kind = 'issue'",
    "quantity": "quantity = quantity + 1",
    "balance_after": "balance_after = balance_after + 1",
    "status_after": "status_after = 'quarantined'",
    "created_at": None,  # set below to a different instant
    "reason": "reason = 'x'",
    "document_type": "document_type = 'stocktake'",
    "document_id": "document_id = 424242",
}


@pytest.mark.parametrize("column", sorted(EDITS))
def test_a_raw_edit_of_any_column_breaks_verification(world, receive_one, column):
    history(world, receive_one, receipts=1)
    seal_ledger()
    target = db.session.scalar(sa.select(sa.func.max(Movement.id)))
    if column == "created_at":
        raw(
            "UPDATE movements SET created_at = :at WHERE id = :id",
            at=datetime(2020, 1, 1, tzinfo=UTC),
            id=target,
        )
    else:
        raw(f"UPDATE movements SET {EDITS[column]} WHERE id = :id", id=target)
    broken = verify_ledger().broken
    assert broken is not None and broken.movement_id == target, column
