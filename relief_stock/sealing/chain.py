"""The hash chain, as pure functions over plain values (no app, no database).

leaf(m)          = SHA-256(0x00 || canonical JSON of the movement's fields)
link(prev, leaf) = SHA-256(0x01 || prev || leaf), starting from GENESIS
A seal signs `seal_message(...)`: its number, size, last movement id, the previous seal's head and its
own. The prefixes keep a leaf from ever being read as a link (as RFC 6962 does for Merkle nodes).
"""

import hashlib
import json
from datetime import UTC, datetime
from enum import Enum

VERSION = 1
GENESIS = hashlib.sha256(b"relief-stock movement ledger v1").hexdigest()

# The movement fields a seal covers, in a fixed order: a column added later is not silently covered
# (or silently breaks old seals); adding one means a new VERSION.
MOVEMENT_FIELDS = (
    "id",
    "kind",
    "batch_id",
    "depot_id",
    "item_id",
    "quantity",
    "balance_after",
    "status_after",
    "user_id",
    "created_at",
    "reason",
    "document_type",
    "document_id",
    "location_id",
)


def _plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def canonical(movement) -> bytes:
    """The bytes that stand for a movement: a row mapping (or object) -> sorted, compact UTF-8 JSON."""
    get = movement.__getitem__ if hasattr(movement, "keys") else lambda name: getattr(movement, name)
    fields = {name: _plain(get(name)) for name in MOVEMENT_FIELDS}
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def leaf(movement) -> bytes:
    return hashlib.sha256(b"\x00" + canonical(movement)).digest()


def link(previous_hex: str, leaf_digest: bytes) -> str:
    return hashlib.sha256(b"\x01" + bytes.fromhex(previous_hex) + leaf_digest).hexdigest()


def seal_message(
    *, number, tree_size, last_movement_id, previous_head, head, sealed_at: datetime, key_id
) -> bytes:
    """What a seal's signature covers (and what a published checkpoint states)."""
    fields = {
        "v": VERSION,
        "seal": number,
        "tree_size": tree_size,
        "last_movement_id": last_movement_id,
        "previous_head": previous_head,
        "head": head,
        "sealed_at": _plain(sealed_at),
        "key_id": key_id,
    }
    return b"relief-stock ledger seal\n" + json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
